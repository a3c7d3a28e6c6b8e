/**
 * Counts the faults injected per knob text, so that `fault=429&times=2` fails twice and
 * then succeeds for requests that carry that same text.
 */
export class FaultLedger {
  readonly #injected = new Map<string, number>();

  /** Whether this request gets the fault; counts it when it does. */
  take(knobText: string, times: number): boolean {
    const injected = this.#injected.get(knobText) ?? 0;
    if (injected >= times) return false;
    this.#injected.set(knobText, injected + 1);
    return true;
  }

  clear(): void {
    this.#injected.clear();
  }
}
