import type { RunSummary } from "./run-summary.js";

/** How a compared figure is shown, and which direction is better. */
export type FigureUnit = "ms" | "perSecond" | "bytes" | "fraction" | "cpuSeconds";

interface ComparedMetric {
  key: string;
  label: string;
  unit: FigureUnit;
  better: "lower" | "higher";
  pick(summary: RunSummary): number | null;
}

const comparedMetrics: ComparedMetric[] = [
  {
    key: "ttft.p50",
    label: "TTFT p50",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.ttft.p50,
  },
  {
    key: "ttft.p90",
    label: "TTFT p90",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.ttft.p90,
  },
  {
    key: "ttft.p99",
    label: "TTFT p99",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.ttft.p99,
  },
  {
    key: "itl.p50",
    label: "ITL p50",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.itl.p50,
  },
  {
    key: "itl.p99",
    label: "ITL p99",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.itl.p99,
  },
  {
    key: "tpot.p50",
    label: "TPOT p50",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.tpot.p50,
  },
  {
    key: "e2e.p50",
    label: "E2E p50",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.e2e.p50,
  },
  {
    key: "e2e.p99",
    label: "E2E p99",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.e2e.p99,
  },
  {
    key: "gap.p99",
    label: "token gap p99",
    unit: "ms",
    better: "lower",
    pick: (run) => run.latency.gap.p99,
  },
  {
    key: "tokensPerSecond",
    label: "tokens/s",
    unit: "perSecond",
    better: "higher",
    pick: (run) => run.throughput.tokensPerSecond,
  },
  {
    key: "requestsPerSecond",
    label: "requests/s",
    unit: "perSecond",
    better: "higher",
    pick: (run) => run.throughput.requestsPerSecond,
  },
  {
    key: "errorRate",
    label: "error rate",
    unit: "fraction",
    better: "lower",
    pick: (run) => run.errorRate,
  },
  {
    key: "goodput",
    label: "goodput (fraction)",
    unit: "fraction",
    better: "higher",
    pick: (run) => run.goodput?.fraction ?? null,
  },
  {
    key: "peakRss",
    label: "server peak RSS",
    unit: "bytes",
    better: "lower",
    pick: (run) => run.server?.peakRssBytes ?? null,
  },
  {
    key: "rssGrowth",
    label: "server RSS growth (peak − before)",
    unit: "bytes",
    better: "lower",
    pick: (run) => (run.server ? run.server.peakRssBytes - run.server.baselineRssBytes : null),
  },
  {
    key: "rssGrowthSettled",
    label: "server RSS growth after settling (settled − before)",
    unit: "bytes",
    better: "lower",
    pick: (run) =>
      run.server?.settledRssBytes == null
        ? null
        : run.server.settledRssBytes - run.server.baselineRssBytes,
  },
  {
    key: "cpuPerMillionTokens",
    label: "server CPU s / Mtok",
    unit: "cpuSeconds",
    better: "lower",
    pick: (run) => run.server?.cpuSecondsPerMillionTokens ?? null,
  },
];

/** One figure of a comparison: medians over the rounds and the paired differences (B − A). */
export interface ComparisonRow {
  key: string;
  label: string;
  unit: FigureUnit;
  better: "lower" | "higher";
  a: number;
  b: number;
  /** Median over the rounds of (B − A) within a round: robust to drift between rounds. */
  delta: number;
  deltaMin: number;
  deltaMax: number;
  /** delta / a; null when a is 0. */
  relative: number | null;
}

/** Two targets run in alternation: every run, and the figures compared. */
export interface Comparison {
  labels: [string, string];
  rounds: number;
  rows: ComparisonRow[];
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Compares the runs of two targets, round by round (`runsA[i]` with `runsB[i]`); a figure missing
 * from either side in any round is left out.
 */
export function compareRuns(runsA: RunSummary[], runsB: RunSummary[]): Comparison {
  const rows: ComparisonRow[] = [];
  for (const metric of comparedMetrics) {
    const pairs: [number, number][] = [];
    for (const [round, runA] of runsA.entries()) {
      const runB = runsB[round];
      const a = metric.pick(runA);
      const b = runB ? metric.pick(runB) : null;
      if (a !== null && b !== null) pairs.push([a, b]);
    }
    if (pairs.length === 0 || pairs.length !== runsA.length) continue;
    const deltas = pairs.map(([a, b]) => b - a);
    const a = median(pairs.map(([value]) => value));
    rows.push({
      key: metric.key,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      a,
      b: median(pairs.map(([, value]) => value)),
      delta: median(deltas),
      deltaMin: Math.min(...deltas),
      deltaMax: Math.max(...deltas),
      relative: a === 0 ? null : median(deltas) / a,
    });
  }
  return {
    labels: [runsA[0]?.target.label ?? "A", runsB[0]?.target.label ?? "B"],
    rounds: runsA.length,
    rows,
  };
}
