/**
 * How each figure is computed, printed beside it in the table and the report, because load
 * testers disagree on what these names mean. Times count from when a request was due: when it
 * was sent, or in an open loop its scheduled arrival, so that a client falling behind cannot
 * hide queueing (coordinated omission).
 */
export const metricFormulas = {
  ttft: "first token received − request due",
  itl: "(last token − first token) / (tokens − 1), per request",
  tpot: "(E2E − TTFT) / (tokens − 1), per request",
  e2e: "end of response − request due, successful requests",
  gap: "every interval between two consecutive tokens",
  requestsPerSecond: "measured requests / measured seconds",
  tokensPerSecond: "tokens of measured requests / measured seconds",
  measuredSeconds: "end of the last measured request − start of the first (warm-up excluded)",
  errorRate: "failed requests / measured requests (deliberate aborts are not failures)",
  goodput:
    "requests that succeeded, whose text checked out and that met every SLO / measured seconds",
  correctness: "received text = the mock's deterministic text: nothing lost, nothing repeated",
  cancellation:
    "aborted streams the mock saw end early (/__stats aborted_streams) / streams aborted",
  rss: "VmRSS of /proc/PID/status, sampled every 250 ms",
  rssPerStream: "(peak RSS − RSS before the load) / most streams in flight",
  cpu: "utime + stime of /proc/PID/stat over the run",
  cpuPerMillionTokens: "gateway CPU seconds / tokens received × 10⁶",
} as const;

export type MetricName = keyof typeof metricFormulas;
