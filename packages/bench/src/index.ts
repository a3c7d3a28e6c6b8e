export type { BenchReport } from "./bench-report.js";
export { BenchScenario, type BenchScenarioInput } from "./bench-scenario.js";
export { checkText, type TextCheck, type TextCheckKind } from "./check-text.js";
export { type Comparison, type ComparisonRow, compareRuns, median } from "./compare-runs.js";
export { type FaultProxy, type FaultProxyOptions, startFaultProxy } from "./fault-proxy.js";
export { htmlReport } from "./html-report.js";
export { LatencyHistogram, type LatencySummary } from "./latency-histogram.js";
export { type LoadOptions, type LoadRequest, type LoadResult, LoadRunner } from "./load-runner.js";
export { type ProcessSample, ProcessSampler } from "./process-sampler.js";
export type { RequestOutcome } from "./request-outcome.js";
export { type RunBenchOptions, runBench } from "./run-bench.js";
export { runBenchCommand } from "./run-bench-command.js";
export { RunCollector } from "./run-collector.js";
export { runStreamRequest } from "./run-stream-request.js";
export type { RunSummary } from "./run-summary.js";
export { type BenchTarget, runTarget } from "./run-target.js";
export { parseSlo, type Slo } from "./slo.js";
export {
  inferFormat,
  type StreamFormat,
  type StreamFormatName,
  streamFormat,
} from "./stream-format.js";
export type { AbortStyle, StreamRequestOptions } from "./stream-request-options.js";
