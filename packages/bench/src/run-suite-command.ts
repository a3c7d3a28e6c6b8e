import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { benchmarksMarkdown } from "./benchmarks-markdown.js";
import type { SuiteArguments } from "./parse-bench-arguments.js";
import type { ProgressStream } from "./progress-line.js";
import { readSuiteResults } from "./read-suite-results.js";
import { runSuite } from "./run-suite.js";
import type { RunProgress } from "./run-target.js";

/**
 * `sluice bench --suite DIR`: runs the committed scenarios against the mock and a gateway it
 * starts, writes each report to the results folder and, with `--write`, the Markdown page built
 * from every result there; prints the page's summary. Exit code 1 when any checked text was
 * lost or repeated.
 */
export async function runSuiteCommand(
  options: SuiteArguments,
  output: { stdout: { write(text: string): unknown }; stderr: ProgressStream },
  onProgress: ((progress: RunProgress) => void) | undefined,
  signal: AbortSignal,
): Promise<void> {
  const result = await runSuite({
    scenariosDirectory: options.scenariosDirectory,
    resultsDirectory: options.resultsDirectory,
    cliEntry: options.cliEntry,
    // The baselines sit beside the scenarios: bench/scenarios → bench/baselines.
    baselineScript: join(dirname(options.scenariosDirectory), "baselines", "lesson-server.mjs"),
    only: options.only,
    rounds: options.rounds,
    onScenario: (name, index, total) => {
      if (!options.quiet) output.stderr.write(`\nscenario ${index + 1}/${total}: ${name}\n`);
    },
    onProgress,
    signal,
  });
  const markdownDirectory = options.markdownFile ? dirname(options.markdownFile) : ".";
  const entries = readSuiteResults(options.scenariosDirectory, options.resultsDirectory);
  // Findings written by hand (profiles, what stands in the way) sit beside the scenarios.
  const notesFile = join(dirname(options.scenariosDirectory), "notes.md");
  const markdown = benchmarksMarkdown(entries, result.pinning, {
    resultsLink: relative(markdownDirectory, options.resultsDirectory) || ".",
    command: "npm run bench",
    notes: existsSync(notesFile) ? readFileSync(notesFile, "utf8") : undefined,
  });
  if (signal.aborted) {
    output.stderr.write("\ninterrupted: the Markdown page was left as it was\n");
  } else if (options.markdownFile) {
    mkdirSync(markdownDirectory, { recursive: true });
    writeFileSync(options.markdownFile, markdown);
    output.stderr.write(`\nwrote ${options.markdownFile} and ${options.resultsDirectory}/\n`);
  }
  const summary = markdown.slice(markdown.indexOf("## Summary"), markdown.indexOf("## Machine"));
  output.stdout.write(`${summary.trim()}\n`);
  const broken = result.entries.some((entry) =>
    entry.report.runs.some((run) => run.correctness.passed < run.correctness.checked),
  );
  if (broken) process.exitCode = 1;
}
