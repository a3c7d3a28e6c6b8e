import { type ErrorEvent, StreamEvent } from "@sluice/protocol";
import type { ServerEvent } from "./client-event.js";

/**
 * One SSE message's `data`, validated by the protocol's schema. A malformed one becomes an
 * `error` event that ends the stream, never an exception thrown into the caller's loop.
 */
export function decodeEvent(data: string): ServerEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return malformed("it is not JSON");
  }
  const parsed = StreamEvent.safeParse(raw);
  if (!parsed.success) return malformed(parsed.error.issues[0]?.message ?? "unknown shape");
  const event = parsed.data;
  // The schema strips fields it does not name; a done event's model is worth keeping.
  const model = (raw as { model?: unknown }).model;
  if (event.type === "done" && typeof model === "string") return { ...event, model };
  return event;
}

function malformed(reason: string): ErrorEvent {
  return {
    type: "error",
    error_type: "unknown",
    message: `The server sent a malformed event (${reason}).`,
    retryable: false,
  };
}

/** The seq of an event id `<stream id>:<seq>`, or `undefined` when the id has no number. */
export function seqOf(eventId: string): number | undefined {
  const seq = Number(eventId.slice(eventId.lastIndexOf(":") + 1));
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/** The stream id of an event id `<stream id>:<seq>`. */
export function streamIdOf(eventId: string): string {
  return eventId.slice(0, eventId.lastIndexOf(":"));
}
