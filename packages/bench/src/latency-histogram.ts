import { Int32Histogram } from "hdr-histogram-js";

/** Percentiles of one latency metric, in milliseconds (null when nothing was recorded). */
export interface LatencySummary {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

// Values are stored in microseconds: HDR histograms hold integers, and 1 µs is far below
// anything a network client can measure.
const unitsPerMs = 1000;

/**
 * An HDR histogram of latencies in milliseconds, with three significant digits (percentiles are
 * exact to 0.1 %); min, max and mean are kept exactly beside it.
 */
export class LatencyHistogram {
  readonly #histogram = new Int32Histogram(1, 2, 3);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  constructor() {
    this.#histogram.autoResize = true;
  }

  get count(): number {
    return this.#count;
  }

  /** Records one value; negative values (a clock step) count as zero. */
  record(milliseconds: number): void {
    const value = Math.max(milliseconds, 0);
    this.#histogram.recordValue(Math.round(value * unitsPerMs));
    this.#count += 1;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** Adds every value of another histogram to this one. */
  add(other: LatencyHistogram): void {
    if (other.#count === 0) return;
    this.#histogram.add(other.#histogram);
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
  }

  /** The value at a percentile (0–100), in milliseconds; null when empty. */
  percentile(percentile: number): number | null {
    if (this.#count === 0) return null;
    const value = this.#histogram.getValueAtPercentile(percentile) / unitsPerMs;
    return Math.min(Math.max(value, this.#min), this.#max);
  }

  summary(): LatencySummary {
    const empty = this.#count === 0;
    return {
      count: this.#count,
      min: empty ? null : this.#min,
      mean: empty ? null : this.#sum / this.#count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: empty ? null : this.#max,
    };
  }

  /**
   * The quantile function at every whole percentile: element i is the value at percentile i
   * (0 is the minimum, 100 the maximum). 101 numbers describe the distribution well enough to
   * draw it on any scale, and to draw two runs on the same bins.
   */
  quantiles(): number[] {
    if (this.#count === 0) return [];
    return Array.from({ length: 101 }, (_, percentile) =>
      percentile === 0 ? this.#min : (this.percentile(percentile) as number),
    );
  }
}
