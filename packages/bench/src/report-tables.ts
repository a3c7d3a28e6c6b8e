import type { BenchReport } from "./bench-report.js";
import type { Comparison } from "./compare-runs.js";
import { escapeHtml } from "./escape-html.js";
import {
  formatBytes,
  formatCount,
  formatFigure,
  formatMs,
  formatPercent,
} from "./format-figures.js";
import { metricFormulas } from "./metric-formulas.js";
import type { RunSummary } from "./run-summary.js";

function wrap(table: string): string {
  return `<div class="table-wrap"><table>${table}</table></div>`;
}

const latencyRows = [
  ["TTFT", "ttft"],
  ["ITL", "itl"],
  ["TPOT", "tpot"],
  ["E2E", "e2e"],
  ["token gap", "gap"],
] as const;
const columns = [
  ["p50", "p50"],
  ["p90", "p90"],
  ["p95", "p95"],
  ["p99", "p99"],
  ["p99.9", "p999"],
  ["mean", "mean"],
  ["max", "max"],
] as const;

/** Percentiles of every latency metric of one run, with each formula beside it. */
export function percentileTable(run: RunSummary): string {
  const head = `<tr><th>${escapeHtml(run.target.label)}</th>${columns.map(([title]) => `<th>${title}</th>`).join("")}<th>count</th><th style="text-align:left">formula</th></tr>`;
  const rows = latencyRows.map(([title, key]) => {
    const latency = run.latency[key];
    const cells = columns.map(([, column]) => `<td>${formatMs(latency[column])}</td>`).join("");
    return `<tr><td>${title}</td>${cells}<td>${formatCount(latency.count)}</td><td class="formula-cell">${escapeHtml(metricFormulas[key])}</td></tr>`;
  });
  return wrap(`<thead>${head}</thead><tbody>${rows.join("")}</tbody>`);
}

/**
 * The comparison: medians, the median paired difference, and its range over the rounds; the
 * difference is coloured only when every round agrees on its sign (otherwise it is noise).
 */
export function comparisonTableHtml(comparison: Comparison): string {
  const [labelA, labelB] = comparison.labels.map(escapeHtml);
  const head = `<tr><th></th><th>${labelA}</th><th>${labelB}</th><th>${labelB} − ${labelA}</th><th>relative</th><th>range over ${comparison.rounds} rounds</th></tr>`;
  const rows = comparison.rows.map((row) => {
    const consistent =
      (row.deltaMin > 0 && row.deltaMax > 0) || (row.deltaMin < 0 && row.deltaMax < 0);
    const improves = row.better === "lower" ? row.delta < 0 : row.delta > 0;
    const tone = consistent ? (improves ? "better" : "worse") : "";
    const relative =
      row.relative === null
        ? "–"
        : `${row.relative >= 0 ? "+" : "−"}${formatPercent(Math.abs(row.relative))}`;
    return `<tr><td>${escapeHtml(row.label)}</td><td>${formatFigure(row.a, row.unit)}</td><td>${formatFigure(row.b, row.unit)}</td><td class="${tone}">${formatFigure(row.delta, row.unit, true)}</td><td>${relative}</td><td>${formatFigure(row.deltaMin, row.unit, true)} … ${formatFigure(row.deltaMax, row.unit, true)}</td></tr>`;
  });
  return wrap(`<thead>${head}</thead><tbody>${rows.join("")}</tbody>`);
}

/** Every run in order: what each measured, so the spread between rounds is visible. */
export function runsTable(report: BenchReport): string {
  const head =
    "<tr><th>run</th><th>requests</th><th>TTFT p50</th><th>TTFT p99</th><th>ITL p50</th><th>tokens/s</th><th>failed</th><th>texts intact</th><th>resumes</th><th>peak RSS</th><th>client CPU</th></tr>";
  const rows = report.runs.map((run, index) => {
    const correctness = run.correctness;
    const intact =
      correctness.checked > 0
        ? `${formatCount(correctness.passed)}/${formatCount(correctness.checked)}`
        : "–";
    return `<tr><td>${index + 1}. ${escapeHtml(run.target.label)}</td><td>${formatCount(run.requests.measured)}</td><td>${formatMs(run.latency.ttft.p50)}</td><td>${formatMs(run.latency.ttft.p99)}</td><td>${formatMs(run.latency.itl.p50)}</td><td>${formatCount(run.throughput.tokensPerSecond)}</td><td>${formatCount(run.requests.failed)}</td><td>${intact}</td><td>${formatCount(correctness.resumes)}</td><td>${formatBytes(run.server?.peakRssBytes ?? null)}</td><td>${run.client.cpuPercent.toFixed(0)} %</td></tr>`;
  });
  return wrap(`<thead>${head}</thead><tbody>${rows.join("")}</tbody>`);
}

function facts(entries: [string, string | null][]): string {
  return `<dl class="facts">${entries
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("")}</dl>`;
}

/** The scenario and the targets, as a list of facts. */
export function scenarioFacts(report: BenchReport): string {
  const scenario = report.scenario;
  const load = scenario.rate
    ? `open loop: Poisson arrivals at ${formatCount(scenario.rate)} requests/s`
    : `closed loop: ${formatCount(scenario.concurrency ?? 10)} concurrent clients`;
  const bound = [
    scenario.requests ? `${formatCount(scenario.requests)} requests` : null,
    scenario.duration ? `${formatMs(scenario.duration)}` : null,
  ].filter(Boolean);
  const faults = [
    scenario.cutEvery > 0
      ? `1 request in ${scenario.cutEvery} has its connection cut after ${formatBytes(scenario.cutAfter)}`
      : null,
    scenario.abort > 0
      ? `${formatPercent(scenario.abort)} of clients abort after ${scenario.abortAfter} tokens (${scenario.abortWith})`
      : null,
    scenario.slow > 0
      ? `${formatPercent(scenario.slow)} of clients pause ${formatMs(scenario.slowDelay)} per read`
      : null,
  ].filter(Boolean);
  const targets = [...new Map(report.runs.map((run) => [run.target.label, run.target])).values()];
  return facts([
    ["scenario", `${scenario.name}${scenario.description ? ` — ${scenario.description}` : ""}`],
    ["load", load],
    [
      "bound",
      bound.length > 0 ? `${bound.join(" or ")} (warm-up: ${scenario.warmup})` : "100 requests",
    ],
    [
      "stream",
      `${formatCount(scenario.tokens)} tokens, first after ${formatMs(scenario.ttft)}, then every ${formatMs(scenario.gap)}${scenario.knobs ? `, ${scenario.knobs}` : ""}`,
    ],
    ["faults", faults.length > 0 ? faults.join("; ") : "none"],
    ["SLO", scenario.slo ?? null],
    ...targets.map((target): [string, string] => [
      target.label,
      `${target.format} · ${target.url} · model ${target.model}`,
    ]),
  ]);
}

/** The machine, for the reader to judge the absolute figures. */
export function machineFacts(report: BenchReport): string {
  const machine = report.machine;
  return facts([
    ["CPU", `${machine.cpuModel} × ${machine.cores}`],
    [
      "memory",
      `${formatBytes(machine.memoryBytes)} (${formatBytes(machine.freeMemoryBytes)} free at the start)`,
    ],
    ["system", machine.os],
    ["Node.js", machine.node],
    ["load average", machine.loadAverage.toFixed(2)],
  ]);
}

/** Every formula, in one place. */
export function formulaList(): string {
  return `<dl class="formulas">${Object.entries(metricFormulas)
    .map(([name, formula]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(formula)}</dd>`)
    .join("")}</dl>`;
}
