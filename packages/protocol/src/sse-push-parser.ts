import {
  createParser,
  type EventSourceMessage,
  type EventSourceParser,
  type ParseError,
} from "eventsource-parser";

/** The default bound of an SSE parser's `maxBufferSize`: 1 MiB of characters. */
export const defaultSseBufferSize = 1024 * 1024;

/** Thrown when the peer exceeded `maxBufferSize`. */
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

/** What an {@link SsePushParser} is built with. */
export interface SsePushParserOptions {
  /** Called synchronously, in the same `feed`, for each message the bytes complete. */
  onMessage: (message: EventSourceMessage) => void;
  /** Called for each comment line (`: ping`), without its colon: the heartbeats a server sends. */
  onComment?: (comment: string) => void;
  /**
   * Most characters a line, or an event not yet ended by its blank line, may hold before the
   * stream is refused (default 1 MiB): a peer that never sends a newline would otherwise grow
   * the reader's memory without bound.
   */
  maxBufferSize?: number;
}

/**
 * A transport-free SSE push parser: feed it a body's bytes as they arrive and it calls
 * `onMessage` for every message they complete, in the same call (no stream, promise or
 * generator per message). UTF-8 is decoded across chunk boundaries, and eventsource-parser
 * handles a `\r\n` split between two chunks. `feed` throws {@link SseBufferOverflowError}
 * past `maxBufferSize`.
 */
export class SsePushParser {
  readonly #decoder = new TextDecoder();
  readonly #parser: EventSourceParser;
  readonly #maxBufferSize: number;
  #overflow: ParseError | undefined;

  constructor(options: SsePushParserOptions) {
    this.#maxBufferSize = options.maxBufferSize ?? defaultSseBufferSize;
    this.#parser = createParser({
      onEvent: options.onMessage,
      ...(options.onComment ? { onComment: options.onComment } : {}),
      onError: (error) => {
        if (error.type === "max-buffer-size-exceeded") this.#overflow = error;
      },
      maxBufferSize: this.#maxBufferSize,
    });
  }

  /** Parses the next chunk of the body. */
  feed(chunk: Uint8Array | string): void {
    this.#parser.feed(
      typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true }),
    );
    if (this.#overflow) {
      throw new SseBufferOverflowError(this.#maxBufferSize, { cause: this.#overflow });
    }
  }

  /** The body ended: parses the decoder's last bytes (a message without its blank line is dropped). */
  end(): void {
    this.feed(this.#decoder.decode());
  }
}
