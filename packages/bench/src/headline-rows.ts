import type { BenchReport } from "./bench-report.js";
import { median } from "./compare-runs.js";
import { formatBytes, formatCount, formatFigure, formatMs } from "./format-figures.js";
import type { RunSummary } from "./run-summary.js";

/** One row of the summary table: the figure, direct, through Sluice, the difference. */
export type SummaryRow = [string, string, string, string];

function runsOf(report: BenchReport, label: string): RunSummary[] {
  return report.runs.filter((run) => run.target.label === label);
}

function medianOf(runs: RunSummary[], pick: (run: RunSummary) => number | null): number | null {
  const values = runs.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : median(values);
}

function delta(report: BenchReport, key: string): string {
  const row = report.comparison?.rows.find((entry) => entry.key === key);
  if (!row) return "–";
  return `**${formatFigure(row.delta, row.unit, true)}** (${formatFigure(row.deltaMin, row.unit, true)} … ${formatFigure(row.deltaMax, row.unit, true)})`;
}

function load(report: BenchReport): string {
  const scenario = report.scenario;
  return scenario.rate
    ? `${formatCount(scenario.rate)} requests/s`
    : `${formatCount(scenario.concurrency ?? 10)} stream${scenario.concurrency === 1 ? "" : "s"}`;
}

/**
 * The summary rows a scenario contributes to `docs/benchmarks.md`, by its `suite.headline`:
 * added TTFT, tokens/s at saturation, memory per open stream, cancellations, resumes.
 */
export function headlineRows(report: BenchReport): SummaryRow[] {
  const direct = runsOf(report, "direct");
  const sluice = runsOf(report, "sluice");
  const figure = (
    runs: RunSummary[],
    pick: (run: RunSummary) => number | null,
    unit: Parameters<typeof formatFigure>[1],
  ) => (runs.length === 0 ? "–" : formatFigure(medianOf(runs, pick), unit));
  switch (report.scenario.suite.headline) {
    case "ttft":
      return [
        [
          `TTFT p50 at ${load(report)}`,
          figure(direct, (run) => run.latency.ttft.p50, "ms"),
          figure(sluice, (run) => run.latency.ttft.p50, "ms"),
          delta(report, "ttft.p50"),
        ],
        [
          `TTFT p99 at ${load(report)}`,
          figure(direct, (run) => run.latency.ttft.p99, "ms"),
          figure(sluice, (run) => run.latency.ttft.p99, "ms"),
          delta(report, "ttft.p99"),
        ],
      ];
    case "throughput": {
      const cpu = medianOf(sluice, (run) => run.server?.cpuPercent ?? null);
      return [
        [
          `tokens/s at saturation, gateway on one core (its CPU: ${cpu === null ? "–" : `${cpu.toFixed(0)} %`})`,
          figure(direct, (run) => run.throughput.tokensPerSecond, "perSecond"),
          figure(sluice, (run) => run.throughput.tokensPerSecond, "perSecond"),
          delta(report, "tokensPerSecond"),
        ],
      ];
    }
    case "memory": {
      const streams = medianOf(sluice, (run) => run.client.peakInFlight);
      const failed = sluice.reduce((sum, run) => sum + run.requests.failed, 0);
      const measured = sluice.reduce((sum, run) => sum + run.requests.measured, 0);
      return [
        [
          `gateway RSS per open stream, ${formatCount(streams)} streams open`,
          "–",
          formatBytes(medianOf(sluice, (run) => run.server?.rssPerOpenStreamBytes ?? null)),
          `peak ${formatBytes(medianOf(sluice, (run) => run.server?.peakRssBytes ?? null))}${failed > 0 ? `; ${formatCount(failed)} of ${formatCount(measured)} streams failed` : ""}`,
        ],
      ];
    }
    case "cancellation": {
      const reached = (runs: RunSummary[]) => {
        const cancellations = runs.map((run) => run.cancellation).filter((entry) => entry !== null);
        if (cancellations.length === 0) return "–";
        const aborted = cancellations.reduce((sum, entry) => sum + entry.aborted, 0);
        const upstream = cancellations.reduce((sum, entry) => sum + entry.reachedUpstream, 0);
        return `${formatCount(upstream)}/${formatCount(aborted)}, within ${formatMs(median(cancellations.map((entry) => entry.waitedMs)))}`;
      };
      return [
        [
          `client aborts reaching the mock (${report.scenario.abortWith})`,
          reached(direct),
          reached(sluice),
          "",
        ],
      ];
    }
    case "resume": {
      const intact = (runs: RunSummary[]) => {
        if (runs.length === 0) return "–";
        const checked = runs.reduce((sum, run) => sum + run.correctness.checked, 0);
        const passed = runs.reduce((sum, run) => sum + run.correctness.passed, 0);
        const failed = runs.reduce((sum, run) => sum + run.requests.failed, 0);
        return `${formatCount(passed)}/${formatCount(checked)} texts intact, ${formatCount(failed)} failed`;
      };
      return [
        [
          `1 request in ${report.scenario.cutEvery} cut mid-stream`,
          intact(direct),
          intact(sluice),
          `${formatCount(sluice.reduce((sum, run) => sum + run.correctness.resumes, 0))} resumes`,
        ],
      ];
    }
    case "none":
      return [];
  }
}
