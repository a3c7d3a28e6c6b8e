import { SluiceError } from "@sluice/protocol";
import { parseDuration } from "./duration.js";
import {
  interTokenLatency,
  longestGap,
  type RequestOutcome,
  timePerOutputToken,
} from "./request-outcome.js";

/** The metrics an SLO may bound. `gap` is the longest single pause between two tokens. */
export const sloMetrics = ["ttft", "itl", "tpot", "e2e", "gap"] as const;
export type SloMetric = (typeof sloMetrics)[number];

/** Upper bounds in milliseconds, per metric; a request meets the SLO when it is within all. */
export type Slo = Partial<Record<SloMetric, number>>;

/** Parses `ttft:200ms,itl:50ms` into an {@link Slo}. */
export function parseSlo(text: string): Slo {
  const slo: Slo = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const [name, value] = part.split(":").map((piece) => piece.trim());
    if (!name || !value || !(sloMetrics as readonly string[]).includes(name)) {
      throw new SluiceError(
        "invalid_request",
        `--slo: "${part}" is not <metric>:<duration> with metric one of ${sloMetrics.join(", ")}.`,
        { param: "slo" },
      );
    }
    slo[name as SloMetric] = parseDuration(value, `--slo ${name}`);
  }
  return slo;
}

/** Formats an {@link Slo} back into the flag's syntax. */
export function formatSlo(slo: Slo): string {
  return sloMetrics
    .filter((metric) => slo[metric] !== undefined)
    .map((metric) => `${metric}:${slo[metric]}ms`)
    .join(",");
}

function measured(outcome: RequestOutcome, metric: SloMetric): number | null {
  switch (metric) {
    case "ttft":
      return outcome.ttftMs;
    case "itl":
      return interTokenLatency(outcome);
    case "tpot":
      return timePerOutputToken(outcome);
    case "e2e":
      return outcome.e2eMs;
    case "gap":
      return longestGap(outcome);
  }
}

/**
 * True when the request is good: it succeeded, its text checked out, and every bounded metric is
 * within its bound (a metric the request cannot have, such as ITL of a one-token answer, passes).
 */
export function meetsSlo(outcome: RequestOutcome, slo: Slo): boolean {
  if (outcome.errorType !== null || outcome.aborted) return false;
  if (outcome.check && !outcome.check.ok) return false;
  for (const metric of sloMetrics) {
    const bound = slo[metric];
    if (bound === undefined) continue;
    const value = measured(outcome, metric);
    if (value !== null && value > bound) return false;
  }
  return true;
}
