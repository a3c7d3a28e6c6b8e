import type { BenchReport } from "./bench-report.js";
import type { BenchScenario } from "./bench-scenario.js";
import { median } from "./compare-runs.js";
import {
  formatBytes,
  formatCount,
  formatFigure,
  formatMs,
  formatPercent,
} from "./format-figures.js";
import type { RunSummary } from "./run-summary.js";

/** The headline of a report: one sentence, a detail line, and a tone for its colour. */
export interface Verdict {
  tone: "good" | "warn" | "bad";
  headline: string;
  detail: string;
}

type Kind = Exclude<BenchScenario["suite"]["headline"], "none">;

/** What the scenario is about: named by the suite, or implied by its faults. */
function kindOf(scenario: BenchScenario): Kind {
  if (scenario.suite.headline !== "none") return scenario.suite.headline;
  if (scenario.cutEvery > 0) return "resume";
  if (scenario.abort > 0) return "cancellation";
  return "ttft";
}

function sum(runs: RunSummary[], pick: (run: RunSummary) => number): number {
  return runs.reduce((total, run) => total + pick(run), 0);
}

function medianOf(
  runs: RunSummary[],
  pick: (run: RunSummary) => number | null | undefined,
): number | null {
  const values = runs.map(pick).filter((value): value is number => typeof value === "number");
  return values.length === 0 ? null : median(values);
}

function integrity(runs: RunSummary[]): { tone: Verdict["tone"]; text: string } {
  const checked = sum(runs, (run) => run.correctness.checked);
  const broken = checked - sum(runs, (run) => run.correctness.passed);
  const failed = sum(runs, (run) => run.requests.failed);
  const violations = sum(runs, (run) => run.correctness.eventsAfterTerminal);
  if (violations > 0)
    return {
      tone: "bad",
      text: `${formatCount(violations)} events arrived after a stream's terminal event`,
    };
  if (broken > 0)
    return {
      tone: "bad",
      text: `${formatCount(broken)} of ${formatCount(checked)} streams lost or repeated text`,
    };
  if (failed > 0)
    return {
      tone: "warn",
      text: `${formatPercent(
        failed /
          Math.max(
            sum(runs, (run) => run.requests.measured),
            1,
          ),
      )} of requests failed`,
    };
  if (checked === 0)
    return { tone: "good", text: "no errors (texts not checked: not a mock model)" };
  return { tone: "good", text: `every one of ${formatCount(checked)} streams arrived whole` };
}

function focus(kind: Kind, label: string, runs: RunSummary[], report: BenchReport): string {
  const row = (key: string) => report.comparison?.rows.find((entry) => entry.key === key);
  switch (kind) {
    case "resume":
      return `${label} resumed ${formatCount(sum(runs, (run) => run.correctness.resumedIntact))} of ${formatCount(sum(runs, (run) => run.correctness.resumedRequests))} cut streams whole, after ${formatCount(sum(runs, (run) => run.correctness.cutConnections))} cut connections`;
    case "cancellation": {
      const cancellations = runs.flatMap((run) => (run.cancellation ? [run.cancellation] : []));
      if (cancellations.length === 0) return `${label}: no cancellation check (no --mock-url)`;
      return `${formatCount(cancellations.reduce((total, entry) => total + entry.reachedUpstream, 0))} of ${formatCount(cancellations.reduce((total, entry) => total + entry.aborted, 0))} client aborts reached the upstream through ${label}, within ${formatMs(median(cancellations.map((entry) => entry.waitedMs)))}`;
    }
    case "memory":
      return `${label} held ${formatCount(medianOf(runs, (run) => run.client.peakInFlight))} open streams at ${formatBytes(medianOf(runs, (run) => run.server?.rssPerOpenStreamBytes))} each`;
    case "relay": {
      const cpu = medianOf(runs, (run) => run.server?.cpuSecondsPerMillionTokens);
      return `${label} spent ${cpu === null ? "–" : cpu.toFixed(1)} CPU seconds per million tokens relayed`;
    }
    case "throughput": {
      const cpu = medianOf(runs, (run) => run.server?.cpuPercent);
      return `${label} carried ${formatCount(medianOf(runs, (run) => run.throughput.tokensPerSecond))} tokens/s${cpu === null ? "" : `, its gateway at ${cpu.toFixed(0)} % of a core`}`;
    }
    case "ttft": {
      const ttft50 = row("ttft.p50");
      const ttft99 = row("ttft.p99");
      if (ttft50 && report.comparison) {
        return `${label} adds ${formatFigure(ttft50.delta, "ms", true)} to time to first token at p50${ttft99 ? ` and ${formatFigure(ttft99.delta, "ms", true)} at p99` : ""}, compared with ${report.comparison.labels[0]}`;
      }
      return `${formatCount(sum(runs, (run) => run.requests.measured))} streams: TTFT ${formatMs(medianOf(runs, (run) => run.latency.ttft.p50))} at p50, ${formatMs(medianOf(runs, (run) => run.latency.ttft.p99))} at p99`;
    }
  }
}

/** Says in one sentence what the run or the comparison found, about what the scenario tests. */
export function reportVerdict(report: BenchReport): Verdict {
  const comparison = report.comparison;
  const label = comparison ? comparison.labels[1] : (report.runs[0]?.target.label ?? "");
  const runs = report.runs.filter((run) => run.target.label === label);
  if (runs.length === 0) return { tone: "warn", headline: "No run completed", detail: "" };
  const checks = integrity(runs);
  const kind = kindOf(report.scenario);
  const headline =
    checks.tone === "bad"
      ? `${checks.text[0]?.toUpperCase()}${checks.text.slice(1)}`
      : focus(kind, label, runs, report);
  const row = (key: string) => comparison?.rows.find((entry) => entry.key === key);
  const tokens = row("tokensPerSecond");
  const itl = row("itl.p50");
  const others = comparison
    ? report.runs.filter((run) => run.target.label === comparison.labels[0])
    : [];
  const detail = comparison
    ? [
        kind === "ttft"
          ? null
          : `TTFT p50 ${formatFigure(row("ttft.p50")?.delta ?? null, "ms", true)}`,
        itl ? `ITL p50 ${formatFigure(itl.delta, "ms", true)}` : null,
        tokens?.relative != null
          ? `tokens/s ${tokens.relative >= 0 ? "+" : "−"}${formatPercent(Math.abs(tokens.relative))}`
          : null,
        `through ${label}, ${checks.text}`,
        kind === "resume" ? `${comparison.labels[0]}: ${integrity(others).text}` : null,
        `medians of ${comparison.rounds} alternating round${comparison.rounds === 1 ? "" : "s"}`,
      ]
    : [
        kind === "ttft"
          ? checks.text
          : `TTFT p50 ${formatMs(medianOf(runs, (run) => run.latency.ttft.p50))}`,
        `ITL p50 ${formatMs(medianOf(runs, (run) => run.latency.itl.p50))}`,
        `${formatCount(medianOf(runs, (run) => run.throughput.tokensPerSecond))} tokens/s`,
        runs[0]?.goodput
          ? `${formatPercent(runs[0].goodput.fraction)} met ${runs[0].goodput.slo}`
          : null,
        runs.length > 1 ? `medians of ${runs.length} runs` : null,
      ];
  return { tone: checks.tone, headline, detail: detail.filter(Boolean).join(" · ") };
}
