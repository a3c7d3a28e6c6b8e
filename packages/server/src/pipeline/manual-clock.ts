import type { Clock } from "./clock.js";

/**
 * A {@link Clock} for tests: time moves only when `advance` is called, which runs the timers
 * that fall due, in order. It counts the timers it was asked for.
 */
export class ManualClock implements Clock {
  #time = 0;
  #created = 0;
  readonly #timers = new Map<number, { dueAt: number; callback: () => void }>();

  now(): number {
    return this.#time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.#created++;
    this.#timers.set(this.#created, { dueAt: this.#time + Math.max(0, ms), callback });
    return this.#created;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers created so far. */
  get created(): number {
    return this.#created;
  }

  /** Timers set and neither run nor cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time on by `ms`, running each timer that falls due at its own time. */
  advance(ms: number): void {
    const target = this.#time + ms;
    for (let next = this.#nextDue(target); next; next = this.#nextDue(target)) {
      this.#timers.delete(next.handle);
      this.#time = Math.max(this.#time, next.dueAt);
      next.callback();
    }
    this.#time = target;
  }

  #nextDue(limit: number): { handle: number; dueAt: number; callback: () => void } | undefined {
    let found: { handle: number; dueAt: number; callback: () => void } | undefined;
    for (const [handle, timer] of this.#timers) {
      if (timer.dueAt <= limit && (!found || timer.dueAt < found.dueAt))
        found = { handle, ...timer };
    }
    return found;
  }
}
