import type { BenchReport } from "./bench-report.js";
import type { Comparison, FigureUnit } from "./compare-runs.js";
import { median } from "./compare-runs.js";
import { formatBytes, formatCount, formatFigure, formatMs } from "./format-figures.js";
import type { RunSummary } from "./run-summary.js";

/** The targets the summary has a column for, in its order. */
export const summaryTargets = ["direct", "sluice", "sluice-v1", "baseline"] as const;

/**
 * One row of the summary table: the figure, then one cell per target of {@link summaryTargets}
 * (direct, Sluice native, Sluice /v1, the lesson's server), then the difference or ratio.
 */
export type SummaryRow = [string, string, string, string, string, string];

function runsOf(report: BenchReport, label: string): RunSummary[] {
  return report.runs.filter((run) => run.target.label === label);
}

function medianOf(runs: RunSummary[], pick: (run: RunSummary) => number | null): number | null {
  const values = runs.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : median(values);
}

function comparisonOf(report: BenchReport, first: string, second: string): Comparison | null {
  const all = report.comparisons ?? (report.comparison ? [report.comparison] : []);
  return all.find((entry) => entry.labels[0] === first && entry.labels[1] === second) ?? null;
}

/** What each target adds over `direct` to a figure: median and range of the per-round differences. */
function added(report: BenchReport, key: string): string {
  const cells = summaryTargets.slice(1).flatMap((label) => {
    const row = comparisonOf(report, "direct", label)?.rows.find((entry) => entry.key === key);
    if (!row) return [];
    return [
      {
        label,
        text: `**${formatFigure(row.delta, row.unit, true)}** (${formatFigure(row.deltaMin, row.unit, true)} … ${formatFigure(row.deltaMax, row.unit, true)})`,
      },
    ];
  });
  if (cells.length === 0) return "–";
  if (cells.length === 1) return (cells[0] as { text: string }).text;
  return cells.map((cell) => `${cell.label} ${cell.text}`).join(" · ");
}

/** Sluice's figure as a fraction of the lesson's server's, per route (medians of the rounds). */
function ratioToBaseline(report: BenchReport, pick: (run: RunSummary) => number | null): string {
  const baseline = medianOf(runsOf(report, "baseline"), pick);
  if (baseline === null || baseline === 0) return "";
  return summaryTargets
    .filter((label) => label.startsWith("sluice"))
    .flatMap((label) => {
      const value = medianOf(runsOf(report, label), pick);
      return value === null ? [] : [`${label} ÷ baseline **${(value / baseline).toFixed(2)}**`];
    })
    .join(" · ");
}

function load(report: BenchReport): string {
  const scenario = report.scenario;
  return scenario.rate
    ? `${formatCount(scenario.rate)} requests/s`
    : `${formatCount(scenario.concurrency ?? 10)} stream${scenario.concurrency === 1 ? "" : "s"}`;
}

/**
 * The summary rows a scenario contributes to `docs/benchmarks.md`, by its `suite.headline`:
 * added TTFT, relay cost and retained memory at saturation, tokens/s, memory per open stream,
 * cancellations, resumes.
 */
export function headlineRows(report: BenchReport): SummaryRow[] {
  const figures = (
    label: string,
    pick: (run: RunSummary) => number | null,
    unit: FigureUnit,
    last: string,
  ): SummaryRow => {
    const cells = summaryTargets.map((target) => {
      const runs = runsOf(report, target);
      return runs.length === 0 ? "–" : formatFigure(medianOf(runs, pick), unit);
    });
    return [label, ...cells, last] as SummaryRow;
  };
  const perTarget = (label: string, text: (runs: RunSummary[]) => string, last: string) =>
    [
      label,
      ...summaryTargets.map((target) => {
        const runs = runsOf(report, target);
        return runs.length === 0 ? "–" : text(runs);
      }),
      last,
    ] as SummaryRow;
  const ttft = (run: RunSummary) => run.latency.ttft;
  switch (report.scenario.suite.headline) {
    case "ttft":
      return [
        figures(
          `TTFT p50 at ${load(report)}`,
          (run) => ttft(run).p50,
          "ms",
          added(report, "ttft.p50"),
        ),
        figures(
          `TTFT p99 at ${load(report)}`,
          (run) => ttft(run).p99,
          "ms",
          added(report, "ttft.p99"),
        ),
      ];
    case "throughput": {
      const cpu = medianOf(runsOf(report, "sluice"), (run) => run.server?.cpuPercent ?? null);
      return [
        figures(
          `tokens/s at saturation, gateway on one core (its CPU: ${cpu === null ? "–" : `${cpu.toFixed(0)} %`})`,
          (run) => run.throughput.tokensPerSecond,
          "perSecond",
          added(report, "tokensPerSecond"),
        ),
      ];
    }
    case "relay": {
      const cpu = (run: RunSummary) => run.server?.cpuSecondsPerMillionTokens ?? null;
      const growth = (run: RunSummary) =>
        run.server ? run.server.peakRssBytes - run.server.baselineRssBytes : null;
      const settledGrowth = (run: RunSummary) =>
        run.server?.settledRssBytes == null
          ? null
          : run.server.settledRssBytes - run.server.baselineRssBytes;
      return [
        figures(
          `CPU seconds per million tokens relayed, ${load(report)} at saturation, one core`,
          cpu,
          "cpuSeconds",
          ratioToBaseline(report, cpu),
        ),
        figures(
          `RSS growth over that run (ended streams retained for resuming)`,
          growth,
          "bytes",
          ratioToBaseline(report, growth),
        ),
        ...(report.scenario.settle === undefined
          ? []
          : [
              figures(
                `RSS growth ${formatMs(report.scenario.settle)} after the run (gateway STREAM_TTL_MS ${report.scenario.suite.gatewayEnv.STREAM_TTL_MS ?? "default"})`,
                settledGrowth,
                "bytes",
                ratioToBaseline(report, settledGrowth),
              ),
            ]),
      ];
    }
    case "memory": {
      const perStream = (run: RunSummary) => run.server?.rssPerOpenStreamBytes ?? null;
      const streams = medianOf(report.runs, (run) => run.client.peakInFlight);
      const failed = report.runs.reduce((sum, run) => sum + run.requests.failed, 0);
      const measured = report.runs.reduce((sum, run) => sum + run.requests.measured, 0);
      const peak = medianOf(runsOf(report, "sluice"), (run) => run.server?.peakRssBytes ?? null);
      const notes = [
        ratioToBaseline(report, perStream),
        peak === null ? "" : `peak ${formatBytes(peak)}`,
        failed > 0 ? `${formatCount(failed)} of ${formatCount(measured)} streams failed` : "",
      ].filter((note) => note !== "");
      return [
        figures(
          `gateway RSS per open stream, ${formatCount(streams)} streams open`,
          perStream,
          "bytes",
          notes.join("; "),
        ),
      ];
    }
    case "cancellation":
      return [
        perTarget(
          `client aborts reaching the mock (${report.scenario.abortWith})`,
          (runs) => {
            const cancellations = runs.flatMap((run) =>
              run.cancellation ? [run.cancellation] : [],
            );
            if (cancellations.length === 0) return "–";
            const aborted = cancellations.reduce((sum, entry) => sum + entry.aborted, 0);
            const upstream = cancellations.reduce((sum, entry) => sum + entry.reachedUpstream, 0);
            return `${formatCount(upstream)}/${formatCount(aborted)}, within ${formatMs(median(cancellations.map((entry) => entry.waitedMs)))}`;
          },
          "",
        ),
      ];
    case "resume":
      return [
        perTarget(
          `1 request in ${report.scenario.cutEvery} cut mid-stream`,
          (runs) => {
            const checked = runs.reduce((sum, run) => sum + run.correctness.checked, 0);
            const passed = runs.reduce((sum, run) => sum + run.correctness.passed, 0);
            const failed = runs.reduce((sum, run) => sum + run.requests.failed, 0);
            return `${formatCount(passed)}/${formatCount(checked)} texts intact, ${formatCount(failed)} failed`;
          },
          `${formatCount(runsOf(report, "sluice").reduce((sum, run) => sum + run.correctness.resumes, 0))} resumes`,
        ),
      ];
    case "none":
      return [];
  }
}
