import type { StreamFormat } from "./stream-format.js";

/**
 * Any URL, fetched with GET: each SSE message (or, when the body is not an event stream, each
 * chunk of it) counts as a token, and the body's end is the stream's end.
 */
export const plainFormat: StreamFormat = {
  name: "plain",
  method: "GET",
  defaultModel: "",
  resumable: false,
  endIsTerminal: true,
  body: () => undefined,
  message(message, sink) {
    sink.token(message.data);
  },
};
