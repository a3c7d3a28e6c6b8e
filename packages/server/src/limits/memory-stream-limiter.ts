import type { StreamLease, StreamLimiter, StreamLimits } from "./stream-limiter.js";
import { minuteWindow, refusal } from "./stream-limiter.js";

/** The limits of one process, as they are without Redis. */
export class MemoryStreamLimiter implements StreamLimiter {
  readonly #limits: StreamLimits;
  readonly #now: () => number;
  readonly #running = new Map<string, number>();
  readonly #tokens = new Map<string, { window: number; used: number }>();

  constructor(limits: StreamLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  async acquire(owner: string): Promise<StreamLease> {
    const { maxConcurrent, tokensPerMinute } = this.#limits;
    const { window, leftMs } = minuteWindow(this.#now());
    if (tokensPerMinute > 0) {
      const spent = this.#tokens.get(owner);
      if (spent && spent.window === window && spent.used >= tokensPerMinute) {
        throw refusal("tokens_per_minute", this.#limits, leftMs);
      }
    }
    const running = this.#running.get(owner) ?? 0;
    if (maxConcurrent > 0 && running >= maxConcurrent) {
      throw refusal("concurrent_streams", this.#limits, leftMs);
    }
    this.#running.set(owner, running + 1);
    let released = false;
    return {
      release: async (tokens) => {
        if (released) return;
        released = true;
        const left = (this.#running.get(owner) ?? 1) - 1;
        if (left > 0) this.#running.set(owner, left);
        else this.#running.delete(owner);
        if (tokensPerMinute > 0 && tokens > 0) {
          const now = minuteWindow(this.#now()).window;
          const spent = this.#tokens.get(owner);
          const used = spent?.window === now ? spent.used + tokens : tokens;
          this.#tokens.set(owner, { window: now, used });
        }
      },
    };
  }

  async close(): Promise<void> {}
}
