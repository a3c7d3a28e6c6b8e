import type { ProcessSample } from "./process-sampler.js";
import type { ServerSummary } from "./run-summary.js";

/**
 * The gateway's side of a run from its samples: the first one is the baseline, taken before the
 * load; CPU seconds and percent over the sampled span; memory per stream at the most in flight.
 */
export function summarizeServer(
  pid: number,
  samples: ProcessSample[],
  tokens: number,
  peakInFlight: number,
): ServerSummary | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return null;
  const peakRssBytes = Math.max(...samples.map((sample) => sample.rssBytes));
  const cpuSeconds = last.cpuSeconds - first.cpuSeconds;
  const wallSeconds = (last.at - first.at) / 1000;
  return {
    pid,
    baselineRssBytes: first.rssBytes,
    peakRssBytes,
    settledRssBytes: null,
    rssPerOpenStreamBytes: peakInFlight > 0 ? (peakRssBytes - first.rssBytes) / peakInFlight : null,
    cpuSeconds,
    cpuPercent: wallSeconds > 0 ? (cpuSeconds / wallSeconds) * 100 : 0,
    cpuSecondsPerMillionTokens: tokens > 0 ? (cpuSeconds / tokens) * 1e6 : null,
  };
}
