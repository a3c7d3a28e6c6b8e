import { encodeSseComment } from "@sluice/protocol";
import type { ResponseWriter } from "./response-writer.js";

export interface HeartbeatOptions {
  /** Send `: ping` when nothing was written for this long (ms). */
  intervalMs: number;
  /** Cut a reader whose socket has not drained for this long (ms); it can resume. */
  stallMs: number;
  /** Counts each `: ping` sent (metrics). */
  onPing?: () => void;
  /** Counts each reader cut for stalling (metrics). */
  onCut?: () => void;
}

const ping = encodeSseComment("ping");

/**
 * One timer for every open stream, instead of one per stream or per token: it pings the
 * responses that have been quiet for `intervalMs` and cuts the ones stuck for `stallMs`.
 */
export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #writers = new Set<ResponseWriter>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
  }

  add(writer: ResponseWriter): void {
    this.#writers.add(writer);
    if (!this.#timer) {
      const tickMs = Math.max(10, Math.min(1000, Math.floor(this.#options.intervalMs / 4)));
      this.#timer = setInterval(() => this.#tick(), tickMs);
      this.#timer.unref();
    }
  }

  remove(writer: ResponseWriter): void {
    this.#writers.delete(writer);
    if (this.#writers.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Open streaming responses. */
  size(): number {
    return this.#writers.size;
  }

  /** Bytes written to the open responses that their clients have not read yet (at scrape time). */
  bufferedBytes(): number {
    let total = 0;
    for (const writer of this.#writers) total += writer.bufferedBytes;
    return total;
  }

  #tick(): void {
    const now = performance.now();
    for (const writer of this.#writers) {
      if (writer.blockedSince !== undefined) {
        if (now - writer.blockedSince >= this.#options.stallMs) {
          writer.destroy();
          this.#options.onCut?.();
        }
      } else if (now - writer.lastWriteAt >= this.#options.intervalMs) {
        void writer.write(ping);
        this.#options.onPing?.();
      }
    }
  }
}
