import { LatencyHistogram } from "./latency-histogram.js";

/** One window of the run, for the charts; `t` is the window's start in seconds from the run's start. */
export interface SeriesPoint {
  t: number;
  warmup: boolean;
  started: number;
  completed: number;
  errors: number;
  tokens: number;
  /** Most requests in flight at once, as sampled; null when no sample fell in the window. */
  inFlight: number | null;
  ttftP50: number | null;
  ttftP99: number | null;
  itlP50: number | null;
  itlP99: number | null;
  /** The gateway's resident memory, as sampled (bytes); null without `--pid`. */
  rssBytes: number | null;
}

interface Window {
  warmup: boolean;
  started: number;
  completed: number;
  errors: number;
  tokens: number;
  inFlight: number | null;
  ttft: LatencyHistogram;
  itl: LatencyHistogram;
  rssBytes: number | null;
}

/** Per-window counters and latency histograms over a run, merged into at most `maxPoints` points. */
export class TimeSeries {
  readonly #windowMs: number;
  readonly #windows: Window[] = [];

  /** `windowMs`: the finest window kept (default 250 ms). */
  constructor(windowMs = 250) {
    this.#windowMs = windowMs;
  }

  #at(milliseconds: number): Window {
    const index = Math.max(0, Math.floor(milliseconds / this.#windowMs));
    for (let next = this.#windows.length; next <= index; next += 1) {
      this.#windows.push({
        warmup: false,
        started: 0,
        completed: 0,
        errors: 0,
        tokens: 0,
        inFlight: null,
        ttft: new LatencyHistogram(),
        itl: new LatencyHistogram(),
        rssBytes: null,
      });
    }
    return this.#windows[index] as Window;
  }

  started(at: number, warmup: boolean): void {
    const window = this.#at(at);
    window.started += 1;
    if (warmup) window.warmup = true;
  }

  completed(at: number, failed: boolean): void {
    const window = this.#at(at);
    window.completed += 1;
    if (failed) window.errors += 1;
  }

  tokens(at: number, count = 1): void {
    this.#at(at).tokens += count;
  }

  firstToken(at: number, ttftMs: number): void {
    this.#at(at).ttft.record(ttftMs);
  }

  interTokenLatency(at: number, itlMs: number): void {
    this.#at(at).itl.record(itlMs);
  }

  inFlight(at: number, count: number): void {
    const window = this.#at(at);
    window.inFlight = Math.max(window.inFlight ?? 0, count);
  }

  rss(at: number, bytes: number): void {
    const window = this.#at(at);
    window.rssBytes = Math.max(window.rssBytes ?? 0, bytes);
  }

  /** The windows, merged in runs of equal length so that there are at most `maxPoints`. */
  points(maxPoints = 120): SeriesPoint[] {
    const merge = Math.max(1, Math.ceil(this.#windows.length / maxPoints));
    const points: SeriesPoint[] = [];
    for (let first = 0; first < this.#windows.length; first += merge) {
      const group = this.#windows.slice(first, first + merge);
      const ttft = new LatencyHistogram();
      const itl = new LatencyHistogram();
      let rssBytes: number | null = null;
      for (const window of group) {
        ttft.add(window.ttft);
        itl.add(window.itl);
        if (window.rssBytes !== null) rssBytes = Math.max(rssBytes ?? 0, window.rssBytes);
      }
      const sum = (pick: (window: Window) => number): number =>
        group.reduce((total, window) => total + pick(window), 0);
      points.push({
        t: (first * this.#windowMs) / 1000,
        warmup: group.some((window) => window.warmup),
        started: sum((window) => window.started),
        completed: sum((window) => window.completed),
        errors: sum((window) => window.errors),
        tokens: sum((window) => window.tokens),
        inFlight: group.reduce<number | null>(
          (most, window) =>
            window.inFlight === null ? most : Math.max(most ?? 0, window.inFlight),
          null,
        ),
        ttftP50: ttft.percentile(50),
        ttftP99: ttft.percentile(99),
        itlP50: itl.percentile(50),
        itlP99: itl.percentile(99),
        rssBytes,
      });
    }
    return points;
  }

  /** The length of one point of {@link points}, in seconds. */
  pointSeconds(maxPoints = 120): number {
    return (Math.max(1, Math.ceil(this.#windows.length / maxPoints)) * this.#windowMs) / 1000;
  }
}
