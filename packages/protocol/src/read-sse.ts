import { createParser, type EventSourceMessage } from "eventsource-parser";

export type { EventSourceMessage };

/** What a reader of SSE may ask of {@link readSse}. */
export interface ReadSseOptions {
  /**
   * Called once per body read, comments and heartbeats included: lets a caller tell a live
   * connection from a stalled one with one timestamp per read instead of a timer per token.
   */
  onChunk?: () => void;
}

/**
 * The SSE messages of a response body, decoded as UTF-8 across chunk boundaries and parsed by
 * eventsource-parser's push parser (which handles a `\r\n` split between two chunks). One
 * body read yields every message it completed: no transform streams, so a token costs no
 * promise of its own on this side.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const { onChunk } = options;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message) });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      onChunk?.();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      if (ready.length > 0) {
        const messages = ready;
        ready = [];
        yield* messages;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
