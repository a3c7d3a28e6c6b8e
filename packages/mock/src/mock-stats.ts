/**
 * What the mock has seen. A response is a stream here whether or not the request asked
 * for streaming: `streams_started` = `open_streams` + `completed_streams` + `aborted_streams`
 * (until a reset, which keeps `open_streams`). Faults answered with an HTTP status are
 * requests, not streams.
 */
export interface MockStats {
  /** Requests received, internal `/__` routes excepted. */
  requests: number;
  /** Responses the mock began to generate. */
  streams_started: number;
  /** Responses in progress. */
  open_streams: number;
  /** Responses the mock ended itself: finished, or cut by a `drop`, `error` or `content_filter` fault. */
  completed_streams: number;
  /** Responses whose client went away before the end. */
  aborted_streams: number;
  /** Requests per path, internal `/__` routes excepted. */
  by_path: Record<string, number>;
}

/** Options of `MockServer.waitFor`. */
export interface WaitForOptions {
  /** Reject after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The mock's counters; tells waiters on every change. */
export class StatsBoard {
  #stats: MockStats = StatsBoard.#empty(0);
  readonly #listeners = new Set<() => void>();

  static #empty(openStreams: number): MockStats {
    return {
      requests: 0,
      streams_started: 0,
      open_streams: openStreams,
      completed_streams: 0,
      aborted_streams: 0,
      by_path: {},
    };
  }

  /** A copy of the counters. */
  snapshot(): MockStats {
    return { ...this.#stats, by_path: { ...this.#stats.by_path } };
  }

  /** Zeroes every counter but `open_streams`, which counts what is still running. */
  reset(): void {
    this.#stats = StatsBoard.#empty(this.#stats.open_streams);
    this.#changed();
  }

  countRequest(path: string): void {
    this.#stats.requests++;
    this.#stats.by_path[path] = (this.#stats.by_path[path] ?? 0) + 1;
    this.#changed();
  }

  countStart(): void {
    this.#stats.streams_started++;
    this.#stats.open_streams++;
    this.#changed();
  }

  countEnd(outcome: "completed" | "aborted"): void {
    this.#stats.open_streams--;
    if (outcome === "completed") this.#stats.completed_streams++;
    else this.#stats.aborted_streams++;
    this.#changed();
  }

  /** Resolves with the counters as soon as `predicate` holds for them. */
  waitFor(
    predicate: (stats: MockStats) => boolean,
    options: WaitForOptions = {},
  ): Promise<MockStats> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const { signal } = options;
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        signal?.removeEventListener("abort", onAbort);
        outcome();
      };
      const check = () => {
        const stats = this.snapshot();
        // A throwing predicate fails its own wait, not the request that changed the stats.
        try {
          if (predicate(stats)) settle(() => resolve(stats));
        } catch (error) {
          settle(() => reject(error));
        }
      };
      const onAbort = () => settle(() => reject(signal?.reason));
      const timer = setTimeout(() => {
        const stats = JSON.stringify(this.#stats);
        settle(() =>
          reject(new Error(`mock: condition not met within ${timeoutMs} ms; stats ${stats}`)),
        );
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#listeners.add(check);
      check();
    });
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
