import type { LogEvent, StreamEvent } from "./stream-event.js";

const lineBreak = /[\r\n\0]/;

/**
 * One SSE message. `id` may not hold CR, LF or NUL: a line break there would let data forge
 * a second frame. JSON data never holds a raw line break, so one `data:` line suffices.
 */
export function encodeSseMessage(id: string, data: string, retryMs?: number): string {
  if (lineBreak.test(id)) throw new TypeError("An SSE id may not contain CR, LF or NUL.");
  if (lineBreak.test(data)) {
    data = data.split(/\r\n|\r|\n/).join("\ndata: ");
  }
  const retry = retryMs === undefined ? "" : `retry: ${retryMs}\n`;
  return `${retry}id: ${id}\ndata: ${data}\n\n`;
}

/** An event's JSON. A token, the event sent most by far, skips the generic object walk. */
function eventJson(event: LogEvent): string {
  return event.type === "token"
    ? `{"type":"token","content":${JSON.stringify(event.content)}}`
    : JSON.stringify(event);
}

/** One native stream event as an SSE message; the caller encodes each event once. */
export function encodeStreamEvent(id: string, event: StreamEvent, retryMs?: number): string {
  return encodeSseMessage(id, eventJson(event), retryMs);
}

/**
 * Encodes the events of one stream as SSE messages with ids `<stream id>:<seq>`, as
 * {@link encodeStreamEvent} does, for the per-token path: the stream id is checked once, not
 * per event, and JSON never holds a raw CR, LF or NUL, so an event costs one JSON escape and
 * one string.
 */
export class StreamEventEncoder {
  readonly #prefix: string;

  constructor(streamId: string) {
    if (lineBreak.test(streamId)) throw new TypeError("An SSE id may not contain CR, LF or NUL.");
    this.#prefix = `id: ${streamId}:`;
  }

  /** `id: <stream id>:<seq>\ndata: <json>\n\n`. */
  encode(seq: number, event: StreamEvent): string {
    return this.frame(seq, eventJson(event));
  }

  /** The event's JSON, as {@link encode} writes it (tool-call fragments too). */
  json(event: LogEvent): string {
    return eventJson(event);
  }

  /** The message for the event at `seq` whose JSON (from {@link json}) is `json`. */
  frame(seq: number, json: string): string {
    return `${this.#prefix}${seq}\ndata: ${json}\n\n`;
  }
}

/** An SSE comment, ignored by parsers; keeps idle proxies from closing the connection. */
export function encodeSseComment(text: string): string {
  if (lineBreak.test(text)) throw new TypeError("An SSE comment may not contain CR, LF or NUL.");
  return `: ${text}\n\n`;
}
