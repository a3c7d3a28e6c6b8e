/**
 * Calls `onStall` once when `touch` has not been called for `stallMs` (0: never). One
 * timestamp per touch and a timer re-armed only when it fires: no timer per token.
 */
export class StallWatch {
  readonly #stallMs: number;
  readonly #onStall: () => void;
  #lastTouch = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(stallMs: number, onStall: () => void) {
    this.#stallMs = stallMs;
    this.#onStall = onStall;
    if (stallMs > 0) this.#timer = setTimeout(this.#check, stallMs);
  }

  /** Something arrived: the connection is alive. */
  readonly touch = (): void => {
    this.#lastTouch = Date.now();
  };

  /** The connection is over: no more checks. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #check = (): void => {
    const idle = Date.now() - this.#lastTouch;
    if (idle >= this.#stallMs) {
      this.#timer = undefined;
      this.#onStall();
    } else this.#timer = setTimeout(this.#check, this.#stallMs - idle);
  };
}
