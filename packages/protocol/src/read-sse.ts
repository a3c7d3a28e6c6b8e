import type { EventSourceMessage } from "eventsource-parser";
import { SsePushParser } from "./sse-push-parser.js";

export type { EventSourceMessage };

/** What a reader of SSE may ask of {@link readSse}. */
export interface ReadSseOptions {
  /**
   * Called once per body read, comments and heartbeats included: lets a caller tell a live
   * connection from a stalled one with one timestamp per read instead of a timer per token.
   */
  onChunk?: () => void;
  /**
   * Most characters a line, or an event not yet ended by its blank line, may hold before the
   * stream is refused (default 1 MiB): a peer that never sends a newline would otherwise grow
   * the reader's memory without bound.
   */
  maxBufferSize?: number;
}

/**
 * The SSE messages of a response body, through one {@link SsePushParser} (UTF-8 decoded across
 * chunk boundaries, a `\r\n` split between two chunks joined). One
 * body read yields every message it completed: no transform streams, so a token costs no
 * promise of its own on this side. Throws its `SseBufferOverflowError` past `maxBufferSize`.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const { onChunk } = options;
  const reader = body.getReader();
  let ready: EventSourceMessage[] = [];
  const parser = new SsePushParser({
    onMessage: (message) => ready.push(message),
    maxBufferSize: options.maxBufferSize,
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      onChunk?.();
      let failure: unknown;
      try {
        if (done) parser.end();
        else parser.feed(value);
      } catch (error) {
        failure = error;
      }
      if (ready.length > 0) {
        const messages = ready;
        ready = [];
        yield* messages;
      }
      if (failure) throw failure;
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
