import type { BreakerSettings, RoutingState, TargetHealth } from "./routing-state.js";

interface TargetRecord {
  busy: number;
  failures: number;
  benchedUntil: number;
}

/** {@link RoutingState} for one instance. `now` is injectable for tests (default `Date.now`). */
export class MemoryRoutingState implements RoutingState {
  readonly #targets = new Map<string, TargetRecord>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async health(targets: readonly string[]): Promise<TargetHealth[]> {
    return targets.map((target) => this.healthNow(target));
  }

  /** The health of `target` as this instance knows it, at once. */
  healthNow(target: string): TargetHealth {
    const record = this.#targets.get(target);
    return {
      busy: record?.busy ?? 0,
      benchedForMs: Math.max(0, (record?.benchedUntil ?? 0) - this.#now()),
    };
  }

  started(target: string): void {
    this.#record(target).busy++;
  }

  ended(target: string): void {
    const record = this.#record(target);
    record.busy = Math.max(0, record.busy - 1);
  }

  failed(target: string, breaker: BreakerSettings): void {
    const record = this.#record(target);
    record.failures++;
    if (record.failures >= breaker.failureThreshold) {
      record.failures = 0;
      record.benchedUntil = this.#now() + breaker.cooldownMs;
    }
  }

  succeeded(target: string): void {
    this.#record(target).failures = 0;
  }

  async close(): Promise<void> {}

  #record(target: string): TargetRecord {
    let record = this.#targets.get(target);
    if (!record) {
      record = { busy: 0, failures: 0, benchedUntil: 0 };
      this.#targets.set(target, record);
    }
    return record;
  }
}
