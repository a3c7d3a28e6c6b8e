import { SluiceError } from "@sluice/protocol";

const durationPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;
const unitMs = { ms: 1, s: 1000, m: 60_000 } as const;

/**
 * Milliseconds from a duration such as `250ms`, `2s`, `1.5m`, or a bare number of milliseconds.
 * Throws an `invalid_request` {@link SluiceError} naming `what` when the text is not a duration.
 */
export function parseDuration(text: string | number, what = "duration"): number {
  if (typeof text === "number") {
    if (Number.isFinite(text) && text >= 0) return text;
  } else {
    const match = durationPattern.exec(text.trim());
    if (match?.[1]) return Number(match[1]) * unitMs[(match[2] ?? "ms") as keyof typeof unitMs];
  }
  throw new SluiceError(
    "invalid_request",
    `${what}: "${text}" is not a duration (e.g. 250ms, 2s, 1m).`,
    {
      param: what,
    },
  );
}

/** True when the text names a duration with a unit (`2s`), false for a bare count (`100`). */
export function hasDurationUnit(text: string): boolean {
  return /[a-z]\s*$/i.test(text.trim());
}
