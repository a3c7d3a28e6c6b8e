import { createParser, type EventSourceMessage, type ParseError } from "eventsource-parser";

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

/** The default bound of {@link ReadSseOptions.maxBufferSize}: 1 MiB of characters. */
export const defaultSseBufferSize = 1024 * 1024;

/** Thrown by {@link readSse} when the peer exceeded `maxBufferSize`. */
export class SseBufferOverflowError extends Error {
  readonly type = "sse_buffer_overflow";
  constructor(
    readonly maxBufferSize: number,
    options?: ErrorOptions,
  ) {
    super(`An SSE line or event exceeded ${maxBufferSize} characters.`, options);
    this.name = "SseBufferOverflowError";
  }
}

/**
 * The SSE messages of a response body, decoded as UTF-8 across chunk boundaries and parsed by
 * eventsource-parser's push parser (which handles a `\r\n` split between two chunks). One
 * body read yields every message it completed: no transform streams, so a token costs no
 * promise of its own on this side. Throws {@link SseBufferOverflowError} past `maxBufferSize`.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const { onChunk } = options;
  const maxBufferSize = options.maxBufferSize ?? defaultSseBufferSize;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let ready: EventSourceMessage[] = [];
  let overflow: ParseError | undefined;
  const parser = createParser({
    onEvent: (message) => ready.push(message),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") overflow = error;
    },
    maxBufferSize,
  });
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
      if (overflow) throw new SseBufferOverflowError(maxBufferSize, { cause: overflow });
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
