/** Where progress goes: stderr, normally. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * A live status line: rewritten in place on a terminal, and on anything else (a CI log) printed
 * as a plain line at most every `intervalMs` (default 10 s), so logs stay short.
 */
export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #intervalMs: number;
  #lastPrinted = Number.NEGATIVE_INFINITY;
  #showing = false;

  constructor(stream: ProgressStream, intervalMs = 10_000) {
    this.#stream = stream;
    this.#intervalMs = intervalMs;
  }

  update(text: string): void {
    if (this.#stream.isTTY) {
      const width = Math.max(20, (this.#stream.columns ?? 100) - 1);
      this.#stream.write(`\r\x1b[2K${text.length > width ? text.slice(0, width) : text}`);
      this.#showing = true;
      return;
    }
    const now = performance.now();
    if (now - this.#lastPrinted < this.#intervalMs) return;
    this.#lastPrinted = now;
    this.#stream.write(`${text}\n`);
  }

  /** Clears the line on a terminal, so that what follows starts clean. */
  clear(): void {
    if (this.#showing) this.#stream.write("\r\x1b[2K");
    this.#showing = false;
  }
}
