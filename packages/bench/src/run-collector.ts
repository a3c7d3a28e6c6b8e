import type { TextCheckKind } from "./check-text.js";
import { LatencyHistogram } from "./latency-histogram.js";
import { interTokenLatency, type RequestOutcome, timePerOutputToken } from "./request-outcome.js";
import type { CorrectnessSummary, RunSummary } from "./run-summary.js";
import { formatSlo, meetsSlo, type Slo } from "./slo.js";
import { TimeSeries } from "./time-series.js";

/** The parts of a {@link RunSummary} that come from the requests' outcomes. */
export type CollectedFigures = Omit<
  RunSummary,
  "target" | "startedAt" | "cancellation" | "server" | "client"
>;

/** Error types whose first failure is kept with its detail. */
const maxErrorSamples = 5;

/**
 * Folds request outcomes into histograms, counters and a time series as they arrive, so that
 * memory does not grow with the number of requests. Warm-up outcomes reach the time series only.
 */
export class RunCollector {
  readonly series = new TimeSeries();
  readonly #slo: Slo | null;
  readonly #latency = {
    ttft: new LatencyHistogram(),
    itl: new LatencyHistogram(),
    tpot: new LatencyHistogram(),
    e2e: new LatencyHistogram(),
    gap: new LatencyHistogram(),
  };
  readonly #errors: Record<string, number> = {};
  /** The first failure of each type, with what the server said: why a run failed, at a glance. */
  readonly #firstErrors = new Map<string, string>();
  readonly #correctness: CorrectnessSummary = {
    checked: 0,
    passed: 0,
    failures: { missing: 0, duplicate: 0, truncated: 0, mismatch: 0 },
    terminalMissing: 0,
    eventsAfterTerminal: 0,
    resumes: 0,
    resumedRequests: 0,
    resumedIntact: 0,
    cutConnections: 0,
  };
  #measured = 0;
  #warmup = 0;
  #succeeded = 0;
  #aborted = 0;
  #good = 0;
  #tokens = 0;
  #bytes = 0;
  /** Tokens of every request, warm-up included: the server's CPU is spent on all of them. */
  allTokens = 0;

  /** `slo`: bounds for goodput; null reports no goodput. */
  constructor(slo: Slo | null) {
    this.#slo = slo;
  }

  record(outcome: RequestOutcome, warmup: boolean): void {
    this.#recordSeries(outcome, warmup);
    this.allTokens += outcome.tokens;
    if (warmup) {
      this.#warmup += 1;
      return;
    }
    this.#measured += 1;
    this.#tokens += outcome.tokens;
    this.#bytes += outcome.bytes;
    if (outcome.aborted) this.#aborted += 1;
    else if (outcome.errorType !== null) {
      this.#errors[outcome.errorType] = (this.#errors[outcome.errorType] ?? 0) + 1;
      if (!this.#firstErrors.has(outcome.errorType) && this.#firstErrors.size < maxErrorSamples) {
        this.#firstErrors.set(outcome.errorType, outcome.errorDetail ?? "");
      }
    } else this.#succeeded += 1;
    if (this.#slo && meetsSlo(outcome, this.#slo)) this.#good += 1;
    const latency = this.#latency;
    if (outcome.ttftMs !== null) latency.ttft.record(outcome.ttftMs);
    for (const gap of outcome.gapsMs) latency.gap.record(gap);
    const itl = interTokenLatency(outcome);
    if (itl !== null) latency.itl.record(itl);
    const tpot = timePerOutputToken(outcome);
    if (tpot !== null) latency.tpot.record(tpot);
    if (outcome.errorType === null && !outcome.aborted) latency.e2e.record(outcome.e2eMs);
    this.#recordCorrectness(outcome);
  }

  #recordSeries(outcome: RequestOutcome, warmup: boolean): void {
    const series = this.series;
    series.started(outcome.startedAt, warmup);
    series.completed(outcome.startedAt + outcome.e2eMs, outcome.errorType !== null);
    if (outcome.ttftMs === null) return;
    let at = outcome.startedAt + outcome.ttftMs;
    series.firstToken(at, outcome.ttftMs);
    series.tokens(at);
    for (const gap of outcome.gapsMs) {
      at += gap;
      series.tokens(at);
    }
    const itl = interTokenLatency(outcome);
    if (itl !== null) series.interTokenLatency(at, itl);
  }

  #recordCorrectness(outcome: RequestOutcome): void {
    const correctness = this.#correctness;
    if (outcome.terminal === null && !outcome.aborted && outcome.errorType !== "client_saturated") {
      correctness.terminalMissing += 1;
    }
    correctness.eventsAfterTerminal += outcome.eventsAfterTerminal;
    correctness.resumes += outcome.resumes;
    if (outcome.resumes > 0) correctness.resumedRequests += 1;
    const check = outcome.check;
    if (!check) return;
    correctness.checked += 1;
    if (check.ok) {
      correctness.passed += 1;
      if (outcome.resumes > 0) correctness.resumedIntact += 1;
    } else correctness.failures[check.kind as Exclude<TextCheckKind, "ok">] += 1;
  }

  /** A cheap view for the progress line: requests ended (warm-up included), failures, TTFT. */
  snapshot(): { ended: number; failed: number; ttftP50: number | null; ttftP99: number | null } {
    return {
      ended: this.#measured + this.#warmup,
      failed: this.#measured - this.#succeeded - this.#aborted,
      ttftP50: this.#latency.ttft.percentile(50),
      ttftP99: this.#latency.ttft.percentile(99),
    };
  }

  /** The figures over the measured window, `measuredSeconds` long. */
  figures(measuredSeconds: number): CollectedFigures {
    const seconds = Math.max(measuredSeconds, 1e-9);
    const failed = this.#measured - this.#succeeded - this.#aborted;
    return {
      measuredSeconds,
      requests: {
        measured: this.#measured,
        warmup: this.#warmup,
        succeeded: this.#succeeded,
        failed,
        aborted: this.#aborted,
      },
      errors: { ...this.#errors },
      firstErrors: [...this.#firstErrors].map(([type, detail]) => ({ type, detail })),
      errorRate: this.#measured === 0 ? 0 : failed / this.#measured,
      latency: {
        ttft: this.#latency.ttft.summary(),
        itl: this.#latency.itl.summary(),
        tpot: this.#latency.tpot.summary(),
        e2e: this.#latency.e2e.summary(),
        gap: this.#latency.gap.summary(),
      },
      throughput: {
        requestsPerSecond: this.#measured / seconds,
        tokensPerSecond: this.#tokens / seconds,
        bytesPerSecond: this.#bytes / seconds,
        tokens: this.#tokens,
        bytes: this.#bytes,
      },
      goodput: this.#slo
        ? {
            slo: formatSlo(this.#slo),
            good: this.#good,
            requestsPerSecond: this.#good / seconds,
            fraction: this.#measured === 0 ? 0 : this.#good / this.#measured,
          }
        : null,
      correctness: structuredClone(this.#correctness),
      series: { pointSeconds: this.series.pointSeconds(60), points: this.series.points(60) },
      quantiles: { ttft: this.#latency.ttft.quantiles(), itl: this.#latency.itl.quantiles() },
    };
  }
}
