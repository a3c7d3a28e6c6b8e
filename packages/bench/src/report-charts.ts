import type { BenchReport } from "./bench-report.js";
import { median } from "./compare-runs.js";
import { escapeHtml } from "./escape-html.js";
import { formatCount, formatTickMs } from "./format-figures.js";
import { histogramChart } from "./histogram-chart.js";
import { type LineSeries, lineChart } from "./line-chart.js";
import { metricFormulas } from "./metric-formulas.js";
import type { RunSummary } from "./run-summary.js";
import type { SeriesPoint } from "./time-series.js";

/** One target's run drawn in the charts, with its colour. */
interface Drawn {
  run: RunSummary;
  className: string;
}

/**
 * Per target, the round whose TTFT p50 is the median of its rounds: a typical run, not the best
 * or the worst. The first target is drawn muted and the second in the accent colour; a single
 * target gets the accent.
 */
export function representativeRuns(report: BenchReport): Drawn[] {
  const labels = [...new Set(report.runs.map((run) => run.target.label))];
  return labels.map((label, index) => {
    const runs = report.runs.filter((run) => run.target.label === label);
    const middle = median(runs.map((run) => run.latency.ttft.p50 ?? 0));
    const run =
      runs.find((candidate) => (candidate.latency.ttft.p50 ?? 0) === middle) ??
      [...runs].sort((left, right) => (left.latency.ttft.p50 ?? 0) - (right.latency.ttft.p50 ?? 0))[
        Math.floor(runs.length / 2)
      ] ??
      (runs[0] as RunSummary);
    return { run, className: labels.length > 1 && index === 0 ? "series-a" : "series-b" };
  });
}

function legend(entries: { label: string; className: string }[]): string {
  return `<div class="legend">${entries.map((entry) => `<span class="${entry.className}">${escapeHtml(entry.label)}</span>`).join("")}</div>`;
}

function figure(caption: string, formula: string, legendHtml: string, chart: string): string {
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption><p class="formula">${escapeHtml(formula)}</p>${legendHtml}${chart}</figure>`;
}

function warmupShade(points: SeriesPoint[], pointSeconds: number): [number, number] | null {
  const last = points.filter((point) => point.warmup).at(-1);
  return last ? [0, last.t + pointSeconds] : null;
}

function overTime(
  drawn: Drawn[],
  lines: {
    suffix: string;
    dashed: boolean;
    pick(point: SeriesPoint, seconds: number): number | null;
  }[],
): LineSeries[] {
  return drawn.flatMap(({ run, className }) =>
    lines.map((line) => ({
      label: `${run.target.label}${line.suffix}`,
      className: `${className}${line.dashed ? " dashed" : ""}`,
      points: run.series.points.map((point): [number, number | null] => [
        point.t,
        line.pick(point, run.series.pointSeconds),
      ]),
    })),
  );
}

function seriesLegend(series: LineSeries[]): string {
  return legend(series.map((entry) => ({ label: entry.label, className: entry.className })));
}

/** The report's charts: latency distributions, latency over time, load, throughput and memory. */
export function reportCharts(report: BenchReport): { latency: string; load: string } {
  const drawn = representativeRuns(report);
  const first = drawn[0]?.run;
  const shade = first ? warmupShade(first.series.points, first.series.pointSeconds) : null;
  const seconds = (value: number) => `${formatCount(value)} s`;
  const histogramLegend = legend(
    drawn.map(({ run, className }) => ({ label: run.target.label, className })),
  );
  const histogram = (key: "ttft" | "itl", title: string) =>
    histogramChart(
      title,
      `${key.toUpperCase()} (ms)`,
      drawn.map(({ run, className }) => ({
        label: run.target.label,
        className,
        quantiles: run.quantiles[key],
      })),
    );
  const percentileLines = (key: "ttft" | "itl") => [
    {
      suffix: ` ${key.toUpperCase()} p50`,
      dashed: false,
      pick: (point: SeriesPoint) => (key === "ttft" ? point.ttftP50 : point.itlP50),
    },
    {
      suffix: ` ${key.toUpperCase()} p99`,
      dashed: true,
      pick: (point: SeriesPoint) => (key === "ttft" ? point.ttftP99 : point.itlP99),
    },
  ];
  const ttftOverTime = overTime(drawn, percentileLines("ttft"));
  const itlOverTime = overTime(drawn, percentileLines("itl"));
  const inFlight = overTime(drawn, [
    { suffix: "", dashed: false, pick: (point) => point.inFlight },
  ]);
  const throughput = overTime(drawn, [
    { suffix: "", dashed: false, pick: (point, length) => point.tokens / length },
  ]);
  const memoryRuns = drawn.filter(({ run }) => run.server !== null);
  const memory = overTime(memoryRuns, [
    {
      suffix: " gateway RSS",
      dashed: false,
      // In MiB, so that the axis gets round ticks (200 MiB, not 190.7 MiB).
      pick: (point) => (point.rssBytes === null ? null : point.rssBytes / 2 ** 20),
    },
  ]);
  const timeOptions = (label: string, yTitle: string, formatY: (value: number) => string) => ({
    label,
    xTitle: "time since the start of the run",
    yTitle,
    formatX: seconds,
    formatY,
    shade,
  });
  const latency = [
    figure(
      "Time to first token",
      metricFormulas.ttft,
      histogramLegend,
      histogram("ttft", "TTFT distribution"),
    ),
    figure(
      "Inter-token latency",
      metricFormulas.itl,
      histogramLegend,
      histogram("itl", "ITL distribution"),
    ),
    figure(
      "TTFT over time",
      "p50 and p99 of the requests whose first token came in each interval; shaded: warm-up",
      seriesLegend(ttftOverTime),
      lineChart(timeOptions("TTFT percentiles over time", "TTFT", formatTickMs), ttftOverTime),
    ),
    figure(
      "ITL over time",
      "p50 and p99 of the requests that ended in each interval",
      seriesLegend(itlOverTime),
      lineChart(timeOptions("ITL percentiles over time", "ITL", formatTickMs), itlOverTime),
    ),
  ].join("");
  const load = [
    figure(
      "Streams in flight",
      "most requests open at once in each interval, sampled every 250 ms",
      seriesLegend(inFlight),
      lineChart(timeOptions("Concurrency over time", "streams", formatCount), inFlight),
    ),
    figure(
      "Throughput",
      "tokens received in each interval / its length",
      seriesLegend(throughput),
      lineChart(timeOptions("Throughput over time", "tokens/s", formatCount), throughput),
    ),
    memoryRuns.length > 0
      ? figure(
          "Gateway memory",
          metricFormulas.rss,
          seriesLegend(memory),
          lineChart(
            timeOptions("RSS over time", "RSS", (value) => `${formatCount(value)} MiB`),
            memory,
          ),
        )
      : "",
  ].join("");
  return { latency, load };
}
