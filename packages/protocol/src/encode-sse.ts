import type { StreamEvent } from "./stream-event.js";

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

/**
 * One native stream event as an SSE message; the caller encodes each event once. A token,
 * the event sent most by far, skips the generic object walk: only its text is escaped.
 */
export function encodeStreamEvent(id: string, event: StreamEvent, retryMs?: number): string {
  const data =
    event.type === "token"
      ? `{"type":"token","content":${JSON.stringify(event.content)}}`
      : JSON.stringify(event);
  return encodeSseMessage(id, data, retryMs);
}

/** An SSE comment, ignored by parsers; keeps idle proxies from closing the connection. */
export function encodeSseComment(text: string): string {
  if (lineBreak.test(text)) throw new TypeError("An SSE comment may not contain CR, LF or NUL.");
  return `: ${text}\n\n`;
}
