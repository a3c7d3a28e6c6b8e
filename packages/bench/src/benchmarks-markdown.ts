import { formatBytes, formatCount, formatFigure, formatMs } from "./format-figures.js";
import { headlineRows } from "./headline-rows.js";
import { machineInfo } from "./machine-info.js";
import { metricFormulas } from "./metric-formulas.js";
import type { SuiteEntry, SuitePinning } from "./run-suite.js";

export interface MarkdownOptions {
  /** The results folder as a link from the Markdown file (`../bench/results`). */
  resultsLink: string;
  /** The command that regenerates the page. */
  command: string;
  /** Hand-written Markdown kept on the page after the summary (`bench/notes.md`): findings. */
  notes?: string | undefined;
}

type Row = string[];

function table(header: Row, rows: Row[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function scenarioSection(entry: SuiteEntry, options: MarkdownOptions): string {
  const report = entry.report;
  const scenario = report.scenario;
  const parts = [`### ${scenario.name}`, "", scenario.description, ""];
  parts.push(
    `Scenario: [\`bench/scenarios/${entry.file}\`](../bench/scenarios/${entry.file}) · report: [${entry.htmlFile}](${options.resultsLink}/${entry.htmlFile}) · data: [${entry.htmlFile.replace(/\.html$/, ".json")}](${options.resultsLink}/${entry.htmlFile.replace(/\.html$/, ".json")})`,
    "",
  );
  const comparisons = report.comparisons ?? (report.comparison ? [report.comparison] : []);
  for (const comparison of comparisons) {
    const rows = comparison.rows.map(
      (row): Row => [
        row.label,
        formatFigure(row.a, row.unit),
        formatFigure(row.b, row.unit),
        `${formatFigure(row.delta, row.unit, true)} (${formatFigure(row.deltaMin, row.unit, true)} … ${formatFigure(row.deltaMax, row.unit, true)})`,
      ],
    );
    if (comparisons.length > 1) parts.push(`${comparison.labels.join(" vs ")}:`, "");
    parts.push(
      table(
        [
          "",
          `${comparison.labels[0]} (median)`,
          `${comparison.labels[1]} (median)`,
          "difference (range over rounds)",
        ],
        rows,
      ),
      "",
    );
  }
  if (comparisons.length === 0) {
    const rows = report.runs.map(
      (run, index): Row => [
        `${index + 1}. ${run.target.label}`,
        `TTFT p50 ${formatMs(run.latency.ttft.p50)}, p99 ${formatMs(run.latency.ttft.p99)}`,
        `${formatCount(run.throughput.tokensPerSecond)} tokens/s`,
        `peak RSS ${formatBytes(run.server?.peakRssBytes ?? null)}, ${formatBytes(run.server?.rssPerOpenStreamBytes ?? null)} per stream`,
      ],
    );
    parts.push(table(["run", "latency", "throughput", "gateway"], rows));
  }
  const errors = new Map<string, number>();
  for (const run of report.runs) {
    for (const [type, count] of Object.entries(run.errors)) {
      const key = `${run.target.label}: ${type}`;
      errors.set(key, (errors.get(key) ?? 0) + count);
    }
  }
  if (errors.size > 0) {
    parts.push(
      "",
      `Failed requests, over all rounds: ${[...errors].map(([key, count]) => `${key} ${formatCount(count)}`).join(", ")}.`,
    );
  }
  const failures = report.runs.reduce(
    (sum, run) => sum + run.correctness.checked - run.correctness.passed,
    0,
  );
  const checked = report.runs.reduce((sum, run) => sum + run.correctness.checked, 0);
  const clientCpu = Math.max(...report.runs.map((run) => run.client.cpuPercent));
  parts.push(
    "",
    `Texts checked: ${formatCount(checked)}, lost or repeated: ${formatCount(failures)}. Load generator CPU at most ${clientCpu.toFixed(0)} % of a core.`,
    "",
  );
  return parts.join("\n");
}

/**
 * `docs/benchmarks.md` from the suite's results: the summary the README quotes, the machine, the
 * method, and every scenario's comparison.
 */
export function benchmarksMarkdown(
  entries: SuiteEntry[],
  pinning: SuitePinning,
  options: MarkdownOptions,
): string {
  const first = entries[0]?.report.machine ?? machineInfo();
  const summary = entries.flatMap((entry) => headlineRows(entry.report));
  const dates = entries.flatMap((entry) =>
    entry.report.runs.map((run) => run.startedAt.slice(0, 10)),
  );
  const period = [...new Set([dates.sort()[0], dates.at(-1)])].join(" – ");
  const rounds = [
    ...new Set(
      entries.map((entry) => entry.report.scenario.rounds ?? (entry.report.comparison ? 3 : 1)),
    ),
  ];
  return [
    "# Benchmarks",
    "",
    `Sluice's own figures, measured with \`sluice bench\` (\`packages/bench\`) against the mock upstream (\`packages/mock\`), directly and through the gateway, on ${period}. Regenerate with \`${options.command}\`; it rewrites this page and \`bench/results/\`.`,
    "",
    "## Summary",
    "",
    table(
      [
        "",
        "direct to the mock",
        "Sluice native",
        "Sluice /v1",
        "the lesson's server",
        "Sluice adds over direct (median; range over rounds), or Sluice ÷ the lesson's server",
      ],
      summary,
    ),
    "",
    ...(options.notes ? [options.notes.trim(), ""] : []),
    "## Machine",
    "",
    `- CPU: ${first.cpuModel} × ${first.cores}; memory ${formatBytes(first.memoryBytes)}; ${first.os}; Node.js ${first.node}.`,
    `- ${pinning.gateway === null ? "No CPU pinning (one core)." : `The gateway ran alone on CPU ${pinning.gateway}; the mock on CPU ${pinning.mock} and the load generator on CPU ${pinning.bench ?? "any"}.`}`,
    `- Load average when the suite started: ${first.loadAverage.toFixed(2)}. The machine is shared: absolute figures move between runs; the differences between direct and Sluice, measured in alternation, move much less.`,
    "",
    "## Method",
    "",
    `- Each scenario runs against its targets in alternation, the order reversed every other round (ABBA for two: direct, Sluice, Sluice, direct, …), ${rounds.join(" or ")} rounds; tables give the median of the rounds, and the difference is the median of the per-round differences, with its range.`,
    "- A fresh gateway starts for every scenario (default configuration, memory stream store, logs at `info` to /dev/null), pointed at the mock with `OPENAI_BASE_URL` (and `ANTHROPIC_BASE_URL` where a scenario's `suite.upstream` is `anthropic`: its targets ask for `anthropic/mock`); `Sluice native` loads its native route `POST /api/chat/stream`, `Sluice /v1` its `POST /v1/chat/completions`. Direct runs go to the mock's `POST /v1/chat/completions`.",
    "- `the lesson's server` is [`bench/baselines/lesson-server.mjs`](../bench/baselines/lesson-server.mjs): the lesson's server written plainly (Fastify + the official `openai` SDK, `for await` → one `data:` frame per token), started the same way and pinned to the same core; every figure can be read as a ratio against what a user would write by hand.",
    "- Warm-up requests are excluded. Every text is compared with the mock's deterministic text.",
    "",
    "| figure | formula |",
    "| --- | --- |",
    ...Object.entries(metricFormulas).map(([name, formula]) => `| ${name} | ${formula} |`),
    "",
    "## Scenarios",
    "",
    ...entries.map((entry) => scenarioSection(entry, options)),
  ].join("\n");
}
