import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, join, resolve } from "node:path";
import getPort from "get-port";
import type { BenchReport } from "./bench-report.js";
import { BenchScenario } from "./bench-scenario.js";
import { benchThroughGateway } from "./bench-through-gateway.js";
import { htmlReport } from "./html-report.js";
import { pinProcess } from "./pin-process.js";
import { alternationOrder, compareTargets } from "./run-bench.js";
import type { RunProgress } from "./run-target.js";
import { startService } from "./start-service.js";

export interface SuiteOptions {
  /** The folder of scenario files (`bench/scenarios`). */
  scenariosDirectory: string;
  /** Where each scenario's JSON and HTML report go (`bench/results`). */
  resultsDirectory: string;
  /** The CLI entry that serves the gateway and the mock (`packages/cli/src/main.ts`). */
  cliEntry: string;
  /** The lesson's plain server, the `baseline` target (`bench/baselines/lesson-server.mjs`). */
  baselineScript: string;
  /** Run only the scenarios with these names; null runs all. */
  only: string[] | null;
  /** Overrides every scenario's rounds (for a quick look); null keeps them. */
  rounds: number | null;
  onScenario?: (name: string, index: number, total: number) => void;
  onProgress?: (progress: RunProgress) => void;
  signal: AbortSignal;
}

/** Which CPU each process of the suite ran on. */
export interface SuitePinning {
  gateway: number | null;
  mock: number | null;
  bench: string | null;
}

export interface SuiteEntry {
  file: string;
  report: BenchReport;
  /** The HTML report's path, relative to the results folder. */
  htmlFile: string;
}

export interface SuiteResult {
  startedAt: string;
  finishedAt: string;
  pinning: SuitePinning;
  entries: SuiteEntry[];
}

function readScenarios(
  directory: string,
  only: string[] | null,
): { file: string; scenario: BenchScenario }[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const parsed = BenchScenario.safeParse(
        JSON.parse(readFileSync(join(directory, file), "utf8")),
      );
      if (!parsed.success)
        throw new Error(
          `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        );
      return { file, scenario: parsed.data };
    })
    .filter(({ scenario }) => only === null || only.includes(scenario.name));
}

/**
 * `npm run bench`: runs every scenario against the mock directly and through a freshly started
 * gateway (one per scenario, so that no scenario inherits another's heap), with the gateway
 * pinned to one CPU and the mock and the load generator on another, where the machine has two.
 * Writes each scenario's JSON and HTML report to `resultsDirectory`.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const startedAt = new Date().toISOString();
  const scenarios = readScenarios(options.scenariosDirectory, options.only);
  const cores = cpus().length;
  const pinning: SuitePinning =
    cores >= 2
      ? { gateway: 1, mock: cores > 2 ? 2 : 0, bench: "0" }
      : { gateway: null, mock: null, bench: null };
  if (pinning.bench !== null && !pinProcess(process.pid, pinning.bench)) pinning.bench = null;
  mkdirSync(options.resultsDirectory, { recursive: true });
  const cli = resolve(options.cliEntry);
  const mockPort = await getPort();
  const mockUrl = new URL(`http://127.0.0.1:${mockPort}`);
  const mock = await startService({
    args: ["--import", "tsx", cli, "mock", "--port", String(mockPort)],
    env: process.env,
    readyUrl: new URL("/__stats", mockUrl),
    cpu: pinning.mock,
    signal: options.signal,
  });
  const entries: SuiteEntry[] = [];
  try {
    for (const [index, { file, scenario: base }] of scenarios.entries()) {
      if (options.signal.aborted) break;
      const scenario = options.rounds === null ? base : { ...base, rounds: options.rounds };
      options.onScenario?.(scenario.name, index, scenarios.length);
      const run = (runScenario: BenchScenario) =>
        benchThroughGateway(runScenario, {
          cli,
          baselineScript: resolve(options.baselineScript),
          mockUrl,
          cpu: pinning.gateway,
          onProgress: options.onProgress,
          signal: options.signal,
        });
      let report: BenchReport;
      if (scenario.suite.freshGateway === "run") {
        // A fresh process for every run, so that no run starts with a heap an earlier one grew;
        // the targets still alternate, in the order runBench gives them.
        const reports: BenchReport[] = [];
        for (let round = 0; round < (scenario.rounds ?? 1) && !options.signal.aborted; round += 1) {
          for (const target of alternationOrder(scenario.suite.targets, round)) {
            if (options.signal.aborted) break;
            const suite = { ...scenario.suite, targets: [target] };
            reports.push(await run({ ...scenario, rounds: 1, suite }));
          }
        }
        const runs = reports.flatMap((entry) => entry.runs);
        report = { ...(reports[0] as BenchReport), scenario, runs, ...compareTargets(runs) };
      } else {
        report = await run(scenario);
      }
      const name = basename(file, ".json");
      writeFileSync(
        join(options.resultsDirectory, `${name}.json`),
        `${JSON.stringify(report, null, 2)}\n`,
      );
      writeFileSync(join(options.resultsDirectory, `${name}.html`), htmlReport(report));
      entries.push({ file, report, htmlFile: `${name}.html` });
    }
  } finally {
    await mock.stop();
    if (pinning.bench !== null) pinProcess(process.pid, `0-${cores - 1}`);
  }
  return { startedAt, finishedAt: new Date().toISOString(), pinning, entries };
}
