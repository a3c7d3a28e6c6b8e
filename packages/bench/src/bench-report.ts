import type { BenchScenario } from "./bench-scenario.js";
import type { Comparison } from "./compare-runs.js";
import type { MachineInfo } from "./machine-info.js";
import type { RunSummary } from "./run-summary.js";

/** Everything `--json` prints and `--html` draws. */
export interface BenchReport {
  generatedAt: string;
  machine: MachineInfo;
  scenario: BenchScenario;
  /** Every run, in the order they ran (with several targets: alternating). */
  runs: RunSummary[];
  /** With two or more targets: the first two compared. */
  comparison: Comparison | null;
  /** With two or more targets: every pair compared (the first is `comparison`). */
  comparisons?: Comparison[];
}
