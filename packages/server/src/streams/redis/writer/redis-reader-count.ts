/**
 * The readers of a stream across instances: those attached here, plus those other instances
 * report over the stream's control channel. Reports are renewed every tick, so the readers
 * of an instance that died or lost Redis stop counting after `expiryMs`.
 */
export class RedisReaderCount {
  readonly #expiryMs: number;
  readonly #onChange: (count: number) => void;
  #local = 0;
  /** Made on the first report from elsewhere: most streams are read only where they run. */
  #elsewhere: Map<string, { count: number; seenAt: number }> | undefined;
  #reported = 0;

  /** `onChange` hears the total whenever it changes. */
  constructor(expiryMs: number, onChange: (count: number) => void) {
    this.#expiryMs = expiryMs;
    this.#onChange = onChange;
  }

  /** The readers attached in this process. */
  setLocal(count: number): void {
    this.#local = count;
    this.#report();
  }

  /** Another instance reports how many readers it has (0 when the last one left). */
  setElsewhere(instance: string, count: number, now: number): void {
    if (count > 0) {
      this.#elsewhere ??= new Map();
      this.#elsewhere.set(instance, { count, seenAt: now });
    } else this.#elsewhere?.delete(instance);
    this.#report();
  }

  /** Forgets instances that stopped reporting. */
  expire(now: number): void {
    if (!this.#elsewhere) return;
    for (const [instance, { seenAt }] of this.#elsewhere) {
      if (now - seenAt > this.#expiryMs) this.#elsewhere.delete(instance);
    }
    this.#report();
  }

  #report(): void {
    let count = this.#local;
    for (const { count: elsewhere } of this.#elsewhere?.values() ?? []) count += elsewhere;
    if (count === this.#reported) return;
    this.#reported = count;
    this.#onChange(count);
  }
}
