import { createWriteStream, writeFileSync } from "node:fs";
import { SluiceError } from "@sluice/protocol";
import type { BenchReport } from "./bench-report.js";
import { benchUsage } from "./bench-usage.js";
import { comparisonTable } from "./comparison-table.js";
import { formatCount, formatMs } from "./format-figures.js";
import { htmlReport } from "./html-report.js";
import { parseBenchArguments } from "./parse-bench-arguments.js";
import { ProgressLine, type ProgressStream } from "./progress-line.js";
import { runBench } from "./run-bench.js";
import { runSuiteCommand } from "./run-suite-command.js";
import type { RunProgress } from "./run-target.js";
import { summaryTable } from "./summary-table.js";

function progressText(progress: RunProgress): string {
  return [
    `${progress.label}`,
    `${progress.elapsedSeconds.toFixed(1)}s`,
    `${formatCount(progress.ended)} done`,
    `${formatCount(progress.inFlight)} in flight`,
    `${formatCount(progress.tokensPerSecond)} tok/s`,
    `TTFT p50 ${formatMs(progress.ttftP50)} p99 ${formatMs(progress.ttftP99)}`,
    `${formatCount(progress.failed)} failed`,
  ].join(" · ");
}

function textOutput(report: BenchReport): string {
  if (!report.comparison) return report.runs.map(summaryTable).join("\n");
  const perRun = report.runs
    .map(
      (run, index) =>
        `  ${index + 1}. ${run.target.label.padEnd(14)} TTFT p50 ${formatMs(run.latency.ttft.p50)} p99 ${formatMs(run.latency.ttft.p99)} · ${formatCount(run.throughput.tokensPerSecond)} tok/s · ${run.requests.failed} failed · ${run.correctness.passed}/${run.correctness.checked} texts intact`,
    )
    .join("\n");
  const last = report.runs.slice(-2).map(summaryTable).join("\n");
  return `${comparisonTable(report.comparison)}\nruns, in order:\n${perRun}\n\nthe last round in full:\n\n${last}`;
}

/** Where the command writes: the table or JSON to `stdout`, progress and notes to `stderr`. */
export interface BenchCommandOutput {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

/**
 * `sluice bench`: parses `argv` (see `--help`), runs the load, prints a table (or `--json`),
 * writes `--html`. Sets the exit code: 2 for bad arguments, 1 when any checked text was lost,
 * repeated or garbled, or a run's error rate is above `--max-error-rate` (default 0). Ctrl-C stops the load and reports what was measured. `output` defaults
 * to the process's stdout and stderr.
 */
export async function runBenchCommand(
  argv: string[],
  output: BenchCommandOutput = process,
): Promise<void> {
  let parsed: ReturnType<typeof parseBenchArguments>;
  try {
    parsed = parseBenchArguments(argv);
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    output.stderr.write(`sluice bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed === "help") {
    output.stdout.write(`${benchUsage}\n`);
    return;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  const progress = new ProgressLine(output.stderr);
  const onProgress = parsed.quiet
    ? undefined
    : (update: RunProgress) => progress.update(progressText(update));
  try {
    if (parsed.kind === "suite") {
      await runSuiteCommand(parsed, output, onProgress, controller.signal);
      return;
    }
    const outcomes = parsed.outcomes ? createWriteStream(parsed.outcomes) : null;
    const report = await runBench({
      scenario: parsed.scenario,
      targets: parsed.targets,
      mockUrl: parsed.mockUrl,
      onProgress,
      onOutcome: outcomes
        ? (outcome, context) => outcomes.write(`${JSON.stringify({ ...context, ...outcome })}\n`)
        : undefined,
      signal: controller.signal,
    });
    if (outcomes) await new Promise((resolve) => outcomes.end(resolve));
    progress.clear();
    output.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : textOutput(report));
    if (parsed.html) {
      writeFileSync(parsed.html, htmlReport(report));
      output.stderr.write(`report written to ${parsed.html}\n`);
    }
    if (report.runs.some((run) => run.correctness.passed < run.correctness.checked))
      process.exitCode = 1;
    const failing = report.runs.filter((run) => run.errorRate > parsed.maxErrorRate);
    if (failing.length > 0) {
      for (const run of failing) {
        output.stderr.write(
          `sluice bench: ${run.target.label}: ${(run.errorRate * 100).toFixed(1)} % of requests failed (--max-error-rate ${parsed.maxErrorRate * 100} %)\n`,
        );
      }
      process.exitCode = 1;
    }
  } finally {
    progress.clear();
    process.off("SIGINT", stop);
  }
}
