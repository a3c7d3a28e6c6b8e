import { setMaxListeners } from "node:events";
import { Agent } from "node:http";
import { awaitCancellations, readMockStats } from "./await-cancellations.js";
import type { BenchScenario } from "./bench-scenario.js";
import { hasDurationUnit, parseDuration } from "./duration.js";
import { startFaultProxy } from "./fault-proxy.js";
import { LoadRunner } from "./load-runner.js";
import { ProcessSampler } from "./process-sampler.js";
import type { RequestOutcome } from "./request-outcome.js";
import { RequestPlanner } from "./request-planner.js";
import { RunCollector } from "./run-collector.js";
import { runStreamRequest } from "./run-stream-request.js";
import type { RunSummary, TargetDescription } from "./run-summary.js";
import { seededUniform } from "./seeded-uniform.js";
import { parseSlo } from "./slo.js";
import type { StreamFormat } from "./stream-format.js";
import { summarizeServer } from "./summarize-server.js";

/** One endpoint to load. */
export interface BenchTarget {
  /** A short name for tables and charts (`direct`, `sluice`). */
  label: string;
  url: URL;
  format: StreamFormat;
  /** The model; for `mock…` models the scenario's knobs are appended after `?`. */
  model: string;
  headers: Record<string, string>;
  /** The process to sample for RSS and CPU (the gateway's); null samples none. */
  pid: number | null;
}

/** What the progress line shows, every 250 ms. */
export interface RunProgress {
  label: string;
  elapsedSeconds: number;
  ended: number;
  inFlight: number;
  failed: number;
  tokensPerSecond: number;
  ttftP50: number | null;
  ttftP99: number | null;
}

export interface RunTargetOptions {
  target: BenchTarget;
  scenario: BenchScenario;
  /** The mock's origin, for the cancellation check at `/__stats`; null skips it. */
  mockUrl: URL | null;
  onProgress?: (progress: RunProgress) => void;
  /** Every request's own measurements as it ends (warm-up included, and flagged). */
  onOutcome?: (outcome: RequestOutcome, warmup: boolean) => void;
  signal: AbortSignal;
}

const tickMs = 250;

function warmupOf(warmup: number | string): { requests: number } | { durationMs: number } {
  if (typeof warmup === "string" && hasDurationUnit(warmup)) {
    return { durationMs: parseDuration(warmup, "warmup") };
  }
  return { requests: Number(warmup) };
}

/**
 * Runs a scenario against one target: the fault proxy in front of it when connections are to be
 * cut, the load, the process samples, and the cancellation check at the mock; returns the figures.
 */
export async function runTarget(options: RunTargetOptions): Promise<RunSummary> {
  const { target, scenario } = options;
  // Every request in flight listens to the run's signal: thousands of listeners are expected.
  const signal = AbortSignal.any([options.signal]);
  setMaxListeners(0, signal);
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, noDelay: true });
  const proxy =
    scenario.cutEvery > 0
      ? await startFaultProxy({
          target: new URL(target.url.origin),
          cutEvery: scenario.cutEvery,
          cutAfterBytes: scenario.cutAfter,
        })
      : null;
  const url = proxy ? new URL(`${target.url.pathname}${target.url.search}`, proxy.url) : target.url;
  const sampler = target.pid === null ? null : new ProcessSampler(target.pid);
  sampler?.sample();
  const mockBefore =
    scenario.abort > 0 && options.mockUrl ? await readMockStats(options.mockUrl, signal) : null;
  const planner = new RequestPlanner(scenario, target.model);
  const collector = new RunCollector(scenario.slo ? parseSlo(scenario.slo) : null);
  const cpuBefore = process.cpuUsage();
  const startedAt = new Date().toISOString();
  let peakInFlight = 0;
  let clientAborts = 0;

  const runner: LoadRunner = new LoadRunner({
    shape: scenario.rate
      ? {
          kind: "open",
          rate: scenario.rate,
          maxInFlight: scenario.maxInFlight,
          random: seededUniform(scenario.seed),
        }
      : { kind: "closed", concurrency: scenario.concurrency ?? 10 },
    requests: scenario.requests ?? (scenario.duration === undefined ? 100 : null),
    durationMs: scenario.duration ?? null,
    warmup: warmupOf(scenario.warmup),
    execute: (request) => {
      collector.series.inFlight(request.dueAt - runner.startedAt, runner.inFlight);
      const plan = planner.plan(request.index);
      return runStreamRequest({
        index: request.index,
        url,
        format: target.format,
        model: plan.model,
        prompt: scenario.prompt,
        headers: target.headers,
        agent,
        dueAt: request.dueAt,
        runStartedAt: runner.startedAt,
        expectedText: plan.expectedText,
        abortAfterTokens: plan.abortAfterTokens,
        abortStyle: scenario.abortWith,
        readDelayMs: plan.readDelayMs,
        maxResumes: scenario.maxResumes,
        timeoutMs: scenario.timeout,
        signal,
      });
    },
    onOutcome: (outcome, request) => {
      options.onOutcome?.(outcome, request.warmup);
      collector.record(outcome, request.warmup);
      if (outcome.aborted) clientAborts += 1;
    },
    signal,
  });

  const tick = (): void => {
    const elapsed = performance.now() - runner.startedAt;
    peakInFlight = Math.max(peakInFlight, runner.inFlight);
    collector.series.inFlight(elapsed, runner.inFlight);
    const sample = sampler?.sample();
    if (sample) collector.series.rss(elapsed, sample.rssBytes);
    const snapshot = collector.snapshot();
    options.onProgress?.({
      label: target.label,
      elapsedSeconds: elapsed / 1000,
      ended: snapshot.ended,
      inFlight: runner.inFlight,
      failed: snapshot.failed,
      tokensPerSecond: elapsed > 0 ? collector.allTokens / (elapsed / 1000) : 0,
      ttftP50: snapshot.ttftP50,
      ttftP99: snapshot.ttftP99,
    });
  };
  const ticker = setInterval(tick, tickMs);
  let result: Awaited<ReturnType<LoadRunner["run"]>>;
  try {
    result = await runner.run();
  } finally {
    clearInterval(ticker);
    tick();
    agent.destroy();
    await proxy?.close();
  }
  const figures = collector.figures((result.endedAt - result.measuredFrom) / 1000);
  figures.correctness.cutConnections = proxy?.counts().cuts ?? 0;
  const cpu = process.cpuUsage(cpuBefore);
  const wallSeconds = (result.endedAt - result.startedAt) / 1000;
  const clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const cancellation =
    mockBefore && options.mockUrl
      ? await awaitCancellations(
          options.mockUrl,
          mockBefore,
          clientAborts,
          scenario.cancelWait,
          signal,
        )
      : null;
  const server = sampler
    ? summarizeServer(sampler.pid, sampler.samples, collector.allTokens, peakInFlight)
    : null;
  if (server && sampler && scenario.settle !== undefined) {
    // Read apart from the samples above, so that the idle wait counts in no CPU figure.
    await new Promise((resolve) => setTimeout(resolve, scenario.settle));
    const settled = new ProcessSampler(sampler.pid).sample();
    server.settledRssBytes = settled?.rssBytes ?? null;
  }
  const description: TargetDescription = {
    label: target.label,
    url: target.url.href,
    format: target.format.name,
    model: planner.plan(0).model,
  };
  return {
    target: description,
    startedAt,
    ...figures,
    cancellation,
    server,
    client: {
      cpuSeconds: clientCpuSeconds,
      cpuPercent: wallSeconds > 0 ? (clientCpuSeconds / wallSeconds) * 100 : 0,
      peakInFlight,
    },
  };
}
