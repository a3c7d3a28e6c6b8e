/**
 * A Prometheus label value drawn from what clients send (a model name), kept to a bounded set:
 * the first `limit` distinct values are themselves, every later one is `other`. Anything after a
 * `?` is dropped first, so per-request options in a model name (the mock's knobs) do not count
 * as models. Without it, a client could grow the registry by one series per name it invents.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #limit: number;

  /** @param limit distinct values kept before the rest become `other` (default 100). */
  constructor(limit = 100) {
    this.#limit = limit;
  }

  /** The label value for `value`. */
  of(value: string): string {
    const query = value.indexOf("?");
    const name = query === -1 ? value : value.slice(0, query);
    if (this.#seen.has(name)) return name;
    if (this.#seen.size >= this.#limit) return "other";
    this.#seen.add(name);
    return name;
  }
}
