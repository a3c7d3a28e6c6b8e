import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { BenchReport } from "./bench-report.js";
import type { SuiteEntry } from "./run-suite.js";

/**
 * The latest result of every scenario in `scenariosDirectory` that has one in
 * `resultsDirectory` (`<name>.json`), in the scenarios' order: the page is rebuilt from all of
 * them, so that running a few scenarios again (`--only`) keeps the others' figures.
 */
export function readSuiteResults(
  scenariosDirectory: string,
  resultsDirectory: string,
): SuiteEntry[] {
  return readdirSync(scenariosDirectory)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .flatMap((file) => {
      const name = basename(file, ".json");
      const path = join(resultsDirectory, `${name}.json`);
      if (!existsSync(path)) return [];
      const report = JSON.parse(readFileSync(path, "utf8")) as BenchReport;
      return [{ file, report, htmlFile: `${name}.html` }];
    });
}
