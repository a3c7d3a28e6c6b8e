import type { StreamEvent } from "@sluice/protocol";
import type { StreamFormat } from "./stream-format.js";

/** Sluice's native stream: `POST /api/chat/stream`, one JSON event per SSE message. */
export const nativeFormat: StreamFormat = {
  name: "native",
  method: "POST",
  defaultModel: "openai/mock",
  resumable: true,
  endIsTerminal: false,
  body: (model, prompt) => JSON.stringify({ message: prompt, model }),
  message(message, sink) {
    if (message.id) sink.position(message.id);
    let event: StreamEvent;
    try {
      event = JSON.parse(message.data) as StreamEvent;
    } catch {
      sink.malformed();
      return;
    }
    switch (event.type) {
      case "token":
        sink.token(event.content);
        return;
      case "done":
        sink.terminal("done", null);
        return;
      case "error":
        sink.terminal("error", `stream_${event.error_type}`, event.message);
        return;
      case "status":
      case "json":
        return;
      default:
        sink.malformed();
    }
  },
};
