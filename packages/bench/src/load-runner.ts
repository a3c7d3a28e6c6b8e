import { emptyOutcome, type RequestOutcome } from "./request-outcome.js";

/** Closed loop: `concurrency` clients, each sending its next request when its last one ends. */
export interface ClosedLoop {
  kind: "closed";
  concurrency: number;
}

/**
 * Open loop: requests arrive as a Poisson process at `rate` per second whatever the server does;
 * arrivals beyond `maxInFlight` are dropped and counted as `client_saturated`.
 */
export interface OpenLoop {
  kind: "open";
  rate: number;
  maxInFlight: number;
  /** Uniform random numbers in [0, 1) that draw the arrival times (seeded, for repeatable runs). */
  random: () => number;
}

/** One request the runner wants sent. */
export interface LoadRequest {
  index: number;
  /** `performance.now()` when the request was due (its scheduled arrival, in an open loop). */
  dueAt: number;
  /** Started during warm-up: measured, but left out of the figures. */
  warmup: boolean;
}

export interface LoadOptions {
  shape: ClosedLoop | OpenLoop;
  /** Measured requests to start; null for no count bound. */
  requests: number | null;
  /** Milliseconds of measured load; null for no time bound. At least one bound must be set. */
  durationMs: number | null;
  /** Requests (a count) or milliseconds (`{ durationMs }`) of warm-up; default none. */
  warmup?: { requests: number } | { durationMs: number };
  execute(request: LoadRequest): Promise<RequestOutcome>;
  onOutcome(outcome: RequestOutcome, request: LoadRequest): void;
  signal: AbortSignal;
}

export interface LoadResult {
  /** `performance.now()` at the start, at the end of warm-up, and when the last request ended. */
  startedAt: number;
  measuredFrom: number;
  endedAt: number;
  started: number;
  dropped: number;
}

/** Drives requests in a closed or open loop, bounded by count or time, warm-up kept apart. */
export class LoadRunner {
  readonly #options: LoadOptions;
  #inFlight = 0;
  #started = 0;
  #measuredStarted = 0;
  #dropped = 0;
  #startedAt = 0;
  #measuredFrom = 0;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: LoadOptions) {
    if (options.requests === null && options.durationMs === null) {
      throw new RangeError("A load needs a bound: a request count or a duration.");
    }
    this.#options = options;
  }

  /** Requests sent and not yet ended. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** `performance.now()` when the run started: the zero of every outcome's `startedAt`. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Requests started so far, warm-up included. */
  get started(): number {
    return this.#started;
  }

  async run(): Promise<LoadResult> {
    this.#startedAt = performance.now();
    this.#measuredFrom = this.#startedAt;
    const shape = this.#options.shape;
    if (shape.kind === "closed") {
      await Promise.all(Array.from({ length: shape.concurrency }, () => this.#closedClient()));
    } else {
      await this.#openArrivals(shape);
      while (this.#pending.size > 0) await Promise.all(this.#pending);
    }
    return {
      startedAt: this.#startedAt,
      measuredFrom: this.#measuredFrom,
      endedAt: performance.now(),
      started: this.#started,
      dropped: this.#dropped,
    };
  }

  /** The next request if the bounds allow one more, else null. */
  #next(dueAt: number): LoadRequest | null {
    const options = this.#options;
    if (options.signal.aborted) return null;
    const warmup = options.warmup;
    const inWarmup =
      warmup === undefined
        ? false
        : "requests" in warmup
          ? this.#started < warmup.requests
          : dueAt - this.#startedAt < warmup.durationMs;
    if (!inWarmup) {
      if (this.#measuredStarted === 0) this.#measuredFrom = dueAt;
      if (options.requests !== null && this.#measuredStarted >= options.requests) return null;
      if (options.durationMs !== null && dueAt - this.#measuredFrom >= options.durationMs)
        return null;
      this.#measuredStarted += 1;
    }
    const request = { index: this.#started, dueAt, warmup: inWarmup };
    this.#started += 1;
    return request;
  }

  async #send(request: LoadRequest): Promise<void> {
    this.#inFlight += 1;
    try {
      this.#options.onOutcome(await this.#options.execute(request), request);
    } finally {
      this.#inFlight -= 1;
    }
  }

  async #closedClient(): Promise<void> {
    for (
      let request = this.#next(performance.now());
      request;
      request = this.#next(performance.now())
    ) {
      await this.#send(request);
    }
  }

  async #openArrivals(shape: OpenLoop): Promise<void> {
    let due = this.#startedAt;
    for (;;) {
      // Inter-arrival times of a Poisson process are exponential with mean 1/rate.
      due += (-Math.log(1 - shape.random()) / shape.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const request = this.#next(due);
      if (!request) return;
      if (this.#inFlight >= shape.maxInFlight) {
        this.#dropped += 1;
        this.#options.onOutcome(droppedOutcome(request, this.#startedAt), request);
        continue;
      }
      const sent = this.#send(request).finally(() => this.#pending.delete(sent));
      this.#pending.add(sent);
    }
  }
}

function droppedOutcome(request: LoadRequest, startedAt: number): RequestOutcome {
  return {
    ...emptyOutcome(request.index, request.dueAt - startedAt),
    errorType: "client_saturated",
  };
}
