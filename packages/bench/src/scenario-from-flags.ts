import { readFileSync } from "node:fs";
import { SluiceError } from "@sluice/protocol";
import { BenchScenario } from "./bench-scenario.js";

/** Flags that fill a scenario field, and whether the value is a number. */
const scenarioFlags: Record<string, { field: string; number: boolean }> = {
  concurrency: { field: "concurrency", number: true },
  rate: { field: "rate", number: true },
  requests: { field: "requests", number: true },
  duration: { field: "duration", number: false },
  timeout: { field: "timeout", number: false },
  seed: { field: "seed", number: true },
  tokens: { field: "tokens", number: true },
  ttft: { field: "ttft", number: false },
  gap: { field: "gap", number: false },
  knobs: { field: "knobs", number: false },
  prompt: { field: "prompt", number: false },
  "cut-every": { field: "cutEvery", number: true },
  "cut-after": { field: "cutAfter", number: true },
  abort: { field: "abort", number: true },
  "abort-after": { field: "abortAfter", number: true },
  "abort-with": { field: "abortWith", number: false },
  "cancel-wait": { field: "cancelWait", number: false },
  slow: { field: "slow", number: true },
  "slow-delay": { field: "slowDelay", number: false },
  slo: { field: "slo", number: false },
  settle: { field: "settle", number: false },
  rounds: { field: "rounds", number: true },
};

/** The names of the flags that set scenario fields (all take a value). */
export const scenarioFlagNames = [...Object.keys(scenarioFlags), "warmup", "scenario"];

function invalid(message: string, param?: string): SluiceError {
  return new SluiceError("invalid_request", message, { param });
}

/**
 * The scenario the flags describe: the `--scenario` file if given, each flag overriding its field.
 * Throws an `invalid_request` SluiceError naming the bad flag or field.
 */
export function scenarioFromFlags(values: Record<string, unknown>): BenchScenario {
  const input: Record<string, unknown> = {};
  if (typeof values.scenario === "string") {
    try {
      Object.assign(input, JSON.parse(readFileSync(values.scenario, "utf8")));
    } catch (error) {
      throw invalid(
        `--scenario: cannot read ${values.scenario}: ${(error as Error).message}`,
        "scenario",
      );
    }
  }
  for (const [flag, { field, number }] of Object.entries(scenarioFlags)) {
    const value = values[flag];
    if (typeof value !== "string") continue;
    if (number && !Number.isFinite(Number(value))) {
      throw invalid(`--${flag}: "${value}" is not a number.`, flag);
    }
    input[field] = number ? Number(value) : value;
  }
  if (typeof values.warmup === "string") {
    input.warmup = /^\d+$/.test(values.warmup) ? Number(values.warmup) : values.warmup;
  }
  const parsed = BenchScenario.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "scenario"}: ${issue.message}`,
    );
    throw invalid(`Invalid scenario: ${issues.join("; ")}`);
  }
  if (parsed.data.concurrency !== undefined && parsed.data.rate !== undefined) {
    throw invalid("Give either a concurrency (closed loop) or a rate (open loop), not both.");
  }
  return parsed.data;
}
