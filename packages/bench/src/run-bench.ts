import { readMockStats } from "./await-cancellations.js";
import type { BenchReport } from "./bench-report.js";
import type { BenchScenario } from "./bench-scenario.js";
import { type Comparison, compareRuns } from "./compare-runs.js";
import { machineInfo } from "./machine-info.js";
import type { RequestOutcome } from "./request-outcome.js";
import type { RunSummary } from "./run-summary.js";
import { type BenchTarget, type RunProgress, runTarget } from "./run-target.js";

export interface RunBenchOptions {
  scenario: BenchScenario;
  /** One target, or several to compare in alternation (the first is what the rest are compared with). */
  targets: [BenchTarget, ...BenchTarget[]];
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
 * Runs a scenario against one target (`scenario.rounds` times, default once), or against several
 * in alternation for `scenario.rounds` rounds (default 3), the order reversed every other round
 * (A B C, C B A, A B C, …: ABBA for two) so that drift on a shared machine falls on all alike.
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
  const targets = options.targets;
  const runs: RunSummary[] = [];
  if (targets.length === 1) {
    const rounds = scenario.rounds ?? 1;
    for (let round = 0; round < rounds && !signal.aborted; round += 1) {
      runs.push(await run(targets[0]));
    }
    return { generatedAt, machine, scenario, runs, comparison: null, comparisons: [] };
  }
  for (let round = 0; round < (scenario.rounds ?? 3) && !signal.aborted; round += 1) {
    for (const target of alternationOrder(targets, round)) runs.push(await run(target));
  }
  return { generatedAt, machine, scenario, runs, ...compareTargets(runs) };
}

/** The order of a round: as given, reversed every other round. */
export function alternationOrder<Item>(items: readonly Item[], round: number): Item[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

/**
 * Every pair of targets compared over the rounds all of them completed, in the order their labels
 * first appear in `runs` (the first pair is the report's `comparison`).
 */
export function compareTargets(
  runs: RunSummary[],
): Pick<BenchReport, "comparison" | "comparisons"> {
  const labels = [...new Set(runs.map((run) => run.target.label))];
  const byLabel = labels.map((label) => runs.filter((run) => run.target.label === label));
  const rounds = Math.min(...byLabel.map((entry) => entry.length));
  const comparisons: Comparison[] = [];
  for (let first = 0; first < labels.length; first += 1) {
    for (let second = first + 1; second < labels.length; second += 1) {
      comparisons.push(
        compareRuns(
          (byLabel[first] as RunSummary[]).slice(0, rounds),
          (byLabel[second] as RunSummary[]).slice(0, rounds),
        ),
      );
    }
  }
  return { comparison: comparisons[0] ?? null, comparisons };
}
