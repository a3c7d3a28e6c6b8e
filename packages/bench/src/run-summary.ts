import type { TextCheckKind } from "./check-text.js";
import type { LatencySummary } from "./latency-histogram.js";
import type { StreamFormatName } from "./stream-format.js";
import type { SeriesPoint } from "./time-series.js";

/** What was loaded. */
export interface TargetDescription {
  /** A short name for tables: `direct`, `sluice`, or the URL's host. */
  label: string;
  url: string;
  format: StreamFormatName;
  model: string;
}

/** The gateway process's resources over the run, sampled from /proc. */
export interface ServerSummary {
  pid: number;
  /** Resident memory before the load started. */
  baselineRssBytes: number;
  peakRssBytes: number;
  /** (peak − baseline) / most requests in flight at once. */
  rssPerOpenStreamBytes: number | null;
  /** RSS `settle` after the load ended (the scenario's `settle`); null when not asked. */
  settledRssBytes?: number | null;
  /** User + system CPU time over the run. */
  cpuSeconds: number;
  /** CPU seconds / wall seconds × 100 (100 = one core busy all the time). */
  cpuPercent: number;
  /** CPU seconds / tokens received × 10^6 (all tokens of the run, warm-up included). */
  cpuSecondsPerMillionTokens: number | null;
}

/** Whether the streams that clients aborted were stopped at the upstream. */
export interface CancellationSummary {
  /** Streams the clients aborted on purpose. */
  aborted: number;
  /** Of those, how many the mock saw aborted (its `aborted_streams` counter, from `/__stats`). */
  reachedUpstream: number;
  /** How long after the last request the count stopped rising or reached `aborted`. */
  waitedMs: number;
}

export interface CorrectnessSummary {
  /** Requests whose text was compared with the expected text. */
  checked: number;
  passed: number;
  failures: Record<Exclude<TextCheckKind, "ok">, number>;
  /** Requests that ended without a terminal event (after any resumes). */
  terminalMissing: number;
  /** Tokens or terminal events after a stream's terminal event: each is a protocol violation. */
  eventsAfterTerminal: number;
  /** Reconnections made to resume cut streams, and the requests that needed any. */
  resumes: number;
  resumedRequests: number;
  /** Resumed requests whose text came out whole. */
  resumedIntact: number;
  /** Connections the fault proxy cut (requests, resumes included). */
  cutConnections: number;
}

/** Everything one run measured: the figures the table, the JSON and the HTML report show. */
export interface RunSummary {
  target: TargetDescription;
  startedAt: string;
  /** From the first measured request's start to the last one's end. */
  measuredSeconds: number;
  requests: {
    measured: number;
    warmup: number;
    succeeded: number;
    failed: number;
    aborted: number;
  };
  /** Failed requests by error type (`http_429`, `stream_timeout`, `no_terminal`, …). */
  errors: Record<string, number>;
  /** The first failure of each error type (up to 5): the server's error body or event message. */
  firstErrors: { type: string; detail: string }[];
  /** failed / measured. */
  errorRate: number;
  latency: Record<"ttft" | "itl" | "tpot" | "e2e" | "gap", LatencySummary>;
  throughput: {
    requestsPerSecond: number;
    tokensPerSecond: number;
    bytesPerSecond: number;
    tokens: number;
    bytes: number;
  };
  goodput: { slo: string; good: number; requestsPerSecond: number; fraction: number } | null;
  correctness: CorrectnessSummary;
  cancellation: CancellationSummary | null;
  server: ServerSummary | null;
  /** The load generator's own CPU use: near 100 % means the client, not the target, was the limit. */
  client: { cpuSeconds: number; cpuPercent: number; peakInFlight: number };
  series: { pointSeconds: number; points: SeriesPoint[] };
  /** Quantile functions (the value at each whole percentile, 0–100), to draw the distributions. */
  quantiles: { ttft: number[]; itl: number[] };
}
