import { createParser, type EventSourceMessage, type EventSourceParser } from "eventsource-parser";
import { SluiceError } from "./sluice-error.js";

/** What an {@link SsePushParser} is built with. */
export interface SsePushParserOptions {
  /** Called synchronously, in the same `feed`, for each message the bytes complete. */
  onMessage: (message: EventSourceMessage) => void;
  /**
   * The most characters held without a complete message (default 1 MiB): an upstream that never
   * ends a line or a message would otherwise grow this process's memory without end.
   */
  maxBufferSize?: number;
}

/** One MiB of text: far beyond any real SSE message of a chat stream. */
const defaultMaxBufferSize = 1024 * 1024;

/**
 * A transport-free SSE push parser: feed it the body's bytes as they arrive and it calls
 * `onMessage` for every message they complete, in the same call (no stream, promise or
 * generator per message). UTF-8 is decoded across chunk boundaries, and eventsource-parser
 * handles a `\r\n` split between two chunks. Throws a `SluiceError` (`api_error`) when more than
 * `maxBufferSize` characters arrive without completing a message.
 */
export class SsePushParser {
  readonly #decoder = new TextDecoder();
  readonly #parser: EventSourceParser;
  readonly #maxBufferSize: number;
  /** Characters fed since the last complete message (an upper bound). */
  #pending = 0;
  #completed = false;

  constructor(options: SsePushParserOptions) {
    this.#maxBufferSize = options.maxBufferSize ?? defaultMaxBufferSize;
    const { onMessage } = options;
    this.#parser = createParser({
      onEvent: (message) => {
        this.#completed = true;
        onMessage(message);
      },
      onComment: () => {
        this.#completed = true;
      },
    });
  }

  /** Parses the next chunk of the body. */
  feed(chunk: Uint8Array | string): void {
    const text = typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    this.#completed = false;
    this.#parser.feed(text);
    if (this.#completed) {
      // What follows the last line break is all that can still be held.
      const lastBreak = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
      this.#pending = text.length - lastBreak - 1;
    } else {
      this.#pending += text.length;
    }
    if (this.#pending > this.#maxBufferSize) {
      this.#parser.reset();
      throw new SluiceError(
        "api_error",
        `The upstream sent more than ${this.#maxBufferSize} characters without ending an event.`,
      );
    }
  }

  /** The body ended: flushes the decoder's last bytes (a message without its blank line is dropped). */
  end(): void {
    const rest = this.#decoder.decode();
    if (rest !== "") this.#parser.feed(rest);
    this.#parser.reset();
  }
}
