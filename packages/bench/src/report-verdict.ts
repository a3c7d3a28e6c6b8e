import type { BenchReport } from "./bench-report.js";
import { formatCount, formatFigure, formatMs, formatPercent } from "./format-figures.js";
import type { RunSummary } from "./run-summary.js";

/** The headline of a report: one sentence, a detail line, and a tone for its colour. */
export interface Verdict {
  tone: "good" | "warn" | "bad";
  headline: string;
  detail: string;
}

function integrity(runs: RunSummary[]): { tone: Verdict["tone"]; text: string } {
  const checked = runs.reduce((sum, run) => sum + run.correctness.checked, 0);
  const broken = runs.reduce(
    (sum, run) => sum + run.correctness.checked - run.correctness.passed,
    0,
  );
  const missingTerminal = runs.reduce((sum, run) => sum + run.correctness.terminalMissing, 0);
  const failed = runs.reduce((sum, run) => sum + run.requests.failed, 0);
  const measured = runs.reduce((sum, run) => sum + run.requests.measured, 0);
  if (broken > 0) {
    return {
      tone: "bad",
      text: `${formatCount(broken)} of ${formatCount(checked)} streams lost or repeated text`,
    };
  }
  if (failed > 0 || missingTerminal > 0) {
    return {
      tone: "warn",
      text: `${formatPercent(failed / Math.max(measured, 1))} of requests failed`,
    };
  }
  if (checked === 0)
    return { tone: "good", text: "no errors (texts not checked: not a mock model)" };
  return { tone: "good", text: `every one of ${formatCount(checked)} streams arrived whole` };
}

/** Says in one sentence what the run or the comparison found. */
export function reportVerdict(report: BenchReport): Verdict {
  const comparison = report.comparison;
  if (comparison) {
    const [labelA, labelB] = comparison.labels;
    const row = (key: string) => comparison.rows.find((entry) => entry.key === key);
    const ttft50 = row("ttft.p50");
    const ttft99 = row("ttft.p99");
    const tokens = row("tokensPerSecond");
    const itl = row("itl.p50");
    const runsB = report.runs.filter((run) => run.target.label === labelB);
    const checks = integrity(runsB);
    const headline = ttft50
      ? `${labelB} adds ${formatFigure(ttft50.delta, "ms", true)} to time to first token at p50${ttft99 ? ` and ${formatFigure(ttft99.delta, "ms", true)} at p99` : ""}, compared with ${labelA}`
      : `${labelB} compared with ${labelA}`;
    const parts = [
      itl ? `ITL p50 ${formatFigure(itl.delta, "ms", true)}` : null,
      tokens?.relative !== null && tokens?.relative !== undefined
        ? `tokens/s ${tokens.relative >= 0 ? "+" : "−"}${formatPercent(Math.abs(tokens.relative))}`
        : null,
      `through ${labelB}, ${checks.text}`,
      `medians of ${comparison.rounds} alternating rounds`,
    ];
    return { tone: checks.tone, headline, detail: parts.filter(Boolean).join(" · ") };
  }
  const run = report.runs[0];
  if (!run) return { tone: "warn", headline: "No run completed", detail: "" };
  const checks = integrity([run]);
  const headline =
    checks.tone === "good"
      ? `${formatCount(run.requests.measured)} streams: TTFT ${formatMs(run.latency.ttft.p50)} at p50, ${formatMs(run.latency.ttft.p99)} at p99`
      : `${checks.text[0]?.toUpperCase()}${checks.text.slice(1)}`;
  const goodput = run.goodput
    ? `${formatPercent(run.goodput.fraction)} met ${run.goodput.slo}`
    : null;
  const detail = [
    checks.tone === "good"
      ? checks.text
      : `TTFT p50 ${formatMs(run.latency.ttft.p50)}, p99 ${formatMs(run.latency.ttft.p99)}`,
    `ITL p50 ${formatMs(run.latency.itl.p50)}`,
    `${formatCount(run.throughput.tokensPerSecond)} tokens/s`,
    goodput,
  ];
  return { tone: checks.tone, headline, detail: detail.filter(Boolean).join(" · ") };
}
