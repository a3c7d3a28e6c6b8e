import { readMockStats } from "./await-cancellations.js";
import type { BenchReport } from "./bench-report.js";
import type { BenchScenario } from "./bench-scenario.js";
import { compareRuns } from "./compare-runs.js";
import { machineInfo } from "./machine-info.js";
import type { RequestOutcome } from "./request-outcome.js";
import type { RunSummary } from "./run-summary.js";
import { type BenchTarget, type RunProgress, runTarget } from "./run-target.js";

export interface RunBenchOptions {
  scenario: BenchScenario;
  /** One target, or two to compare in alternation. */
  targets: [BenchTarget] | [BenchTarget, BenchTarget];
  /** The mock's origin: cancellation checks, and waiting for quiet between runs. */
  mockUrl: URL | null;
  onProgress?: (progress: RunProgress) => void;
  /** Every request's own measurements, with the target's label and the run's number. */
  onOutcome?: (
    outcome: RequestOutcome,
    context: { label: string; run: number; warmup: boolean },
  ) => void;
  signal: AbortSignal;
}

/** Waits (at most 10 s) until the mock has no stream open, so that one run's tail does not load the next. */
async function settle(mockUrl: URL | null, signal: AbortSignal): Promise<void> {
  if (!mockUrl) return;
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline && !signal.aborted) {
    if ((await readMockStats(mockUrl, signal)).open_streams === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs a scenario against one target (`scenario.rounds` times, default once), or against two in
 * alternation for `scenario.rounds` rounds (default 3), in ABBA order (A B, B A, A B, …) so that
 * drift on a shared machine falls on both alike.
 */
export async function runBench(options: RunBenchOptions): Promise<BenchReport> {
  const { scenario, signal } = options;
  const generatedAt = new Date().toISOString();
  const machine = machineInfo();
  let runNumber = 0;
  const run = async (target: BenchTarget): Promise<RunSummary> => {
    await settle(options.mockUrl, signal);
    runNumber += 1;
    return runTarget({
      target,
      scenario,
      mockUrl: options.mockUrl,
      onProgress: options.onProgress,
      onOutcome: options.onOutcome
        ? (outcome, warmup) =>
            options.onOutcome?.(outcome, { label: target.label, run: runNumber, warmup })
        : undefined,
      signal,
    });
  };
  const [first, second] = options.targets;
  const runs: RunSummary[] = [];
  if (!second) {
    const rounds = scenario.rounds ?? 1;
    for (let round = 0; round < rounds && !signal.aborted; round += 1) runs.push(await run(first));
    return { generatedAt, machine, scenario, runs, comparison: null };
  }
  const runsA: RunSummary[] = [];
  const runsB: RunSummary[] = [];
  for (let round = 0; round < (scenario.rounds ?? 3) && !signal.aborted; round += 1) {
    const order = round % 2 === 0 ? [first, second] : [second, first];
    for (const target of order) {
      const summary = await run(target);
      runs.push(summary);
      (target === first ? runsA : runsB).push(summary);
    }
  }
  const rounds = Math.min(runsA.length, runsB.length);
  return {
    generatedAt,
    machine,
    scenario,
    runs,
    comparison: compareRuns(runsA.slice(0, rounds), runsB.slice(0, rounds)),
  };
}
