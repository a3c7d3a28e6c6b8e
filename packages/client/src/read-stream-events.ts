import { type ReadSseOptions, readSse } from "@sluice/protocol";
import type { ServerEvent } from "./client-event.js";
import { decodeEvent } from "./decode-event.js";

/** One event of a native stream, with the SSE id it came with (`<stream id>:<seq>`). */
export interface IdentifiedEvent {
  id: string | undefined;
  event: ServerEvent;
}

/**
 * The events of one native SSE response body, decoded by the protocol's `readSse` and
 * validated by its zod schema; a malformed one comes as an `error` event (type `unknown`).
 * No reconnecting here: this is one connection, for callers that look at the wire itself
 * (tests of the server); `streamChat` and `resumeStream` read through it.
 */
export async function* readStreamEvents(
  body: ReadableStream<Uint8Array>,
  options?: ReadSseOptions,
): AsyncGenerator<IdentifiedEvent, void, undefined> {
  for await (const message of readSse(body, options)) {
    yield { id: message.id, event: decodeEvent(message.data) };
  }
}
