/**
 * A fault the mock injects. `401`, `403`, `404`, `429`, `500`, `503`, `529`: that HTTP status
 * (with the provider's usual error body) before the first token; `drop`: the socket is destroyed after `after` tokens; `stall`: nothing more is sent
 * after `after` tokens; `error`: an in-band error after `after` tokens; `content_filter`: the
 * answer is cut by the content filter after `after` tokens; `none`: no fault.
 */
export type MockFault =
  | "none"
  | "401"
  | "403"
  | "404"
  | "429"
  | "500"
  | "503"
  | "529"
  | "drop"
  | "stall"
  | "error"
  | "content_filter";

const faults: readonly MockFault[] = [
  "none",
  "401",
  "403",
  "404",
  "429",
  "500",
  "503",
  "529",
  "drop",
  "stall",
  "error",
  "content_filter",
];

/** How the mock answers one request. Set per request in the model name or `x-mock` header. */
export interface MockKnobs {
  /** Milliseconds before the first token, and before the headers (knob `ttft`). Default 20. */
  ttftMs: number;
  /** Milliseconds between tokens (knob `gap`). Default 5. */
  gapMs: number;
  /** Spread of each gap, as a fraction of `gapMs` from 0 to 1, drawn from `seed`. Default 0. */
  jitter: number;
  /** Tokens in the answer. Default 40. */
  tokens: number;
  /** Seed of the text and of the jitter. Default 1. */
  seed: number;
  /** Answer with JSON (knob `json=1`); also on when `response_format` asks for JSON. Default false. */
  json: boolean;
  /** Answer with Markdown: headings, lists, tables, fenced code (knob `markdown=1`). Default false. */
  markdown: boolean;
  /** Answer with a call of the first tool when the request has `tools` (knob `tool=1`). Default false. */
  tool: boolean;
  /** Anthropic: send a `ping` event whenever nothing was sent for this long (knob `ping`); 0: only the first. Default 0. */
  pingMs: number;
  /**
   * OpenAI: report usage where the request asks for it; knob `usage=0` never does.
   * Anthropic always reports usage, as its API does. Default true.
   */
  usage: boolean;
  /** The fault to inject. Default `none`. */
  fault: MockFault;
  /** Tokens sent before a `drop`, `stall`, `error` or `content_filter` fault. Default 0. */
  after: number;
  /** Requests with the same knob text that get the fault before one succeeds. Default Infinity. */
  times: number;
  /** Seconds in the `retry-after` header of a 429 (knob `retry_after`). Default 1. */
  retryAfterSeconds: number;
}

/** The knob values used where neither the request nor the mock's options set one. */
export const defaultMockKnobs: Readonly<MockKnobs> = {
  ttftMs: 20,
  gapMs: 5,
  jitter: 0,
  tokens: 40,
  seed: 1,
  json: false,
  markdown: false,
  tool: false,
  pingMs: 0,
  usage: true,
  fault: "none",
  after: 0,
  times: Number.POSITIVE_INFINITY,
  retryAfterSeconds: 1,
};

type NumberKnob = "ttftMs" | "gapMs" | "jitter" | "tokens" | "seed" | "pingMs" | "after" | "times";
type BooleanKnob = "json" | "markdown" | "tool" | "usage";

const numberKnobs: Record<string, { knob: NumberKnob; max: number; integer: boolean }> = {
  ttft: { knob: "ttftMs", max: 86_400_000, integer: false },
  gap: { knob: "gapMs", max: 86_400_000, integer: false },
  jitter: { knob: "jitter", max: 1, integer: false },
  tokens: { knob: "tokens", max: 10_000_000, integer: true },
  seed: { knob: "seed", max: 4_294_967_295, integer: true },
  ping: { knob: "pingMs", max: 86_400_000, integer: false },
  after: { knob: "after", max: 10_000_000, integer: true },
  times: { knob: "times", max: Number.POSITIVE_INFINITY, integer: true },
};

const booleanKnobs: Record<string, BooleanKnob> = {
  json: "json",
  markdown: "markdown",
  tool: "tool",
  usage: "usage",
};

function parseNumber(name: string, value: string, max: number, integer: boolean): number {
  const number = Number(value);
  if (value === "" || Number.isNaN(number) || number < 0 || number > max) {
    throw new RangeError(`mock knob ${name}=${value}: expected a number from 0 to ${max}`);
  }
  if (integer && !Number.isInteger(number) && number !== Number.POSITIVE_INFINITY) {
    throw new RangeError(`mock knob ${name}=${value}: expected a whole number`);
  }
  return number;
}

/**
 * Parses a knob text such as `tokens=200&ttft=50&fault=drop&after=7` (the part of a model
 * name after `?`, or the `x-mock` header). Throws a `RangeError` naming the knob on an
 * unknown knob or a bad value. `retry_after` is in seconds; `times` also takes `Infinity`.
 */
export function parseMockKnobs(text: string): Partial<MockKnobs> {
  const knobs: Partial<MockKnobs> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const numberKnob = numberKnobs[name];
    const booleanKnob = booleanKnobs[name];
    if (numberKnob) {
      knobs[numberKnob.knob] = parseNumber(name, value, numberKnob.max, numberKnob.integer);
    } else if (booleanKnob) {
      if (value !== "0" && value !== "1" && value !== "true" && value !== "false") {
        throw new RangeError(`mock knob ${name}=${value}: expected 1 or 0`);
      }
      knobs[booleanKnob] = value === "1" || value === "true";
    } else if (name === "retry_after") {
      knobs.retryAfterSeconds = parseNumber(name, value, 86_400, false);
    } else if (name === "fault") {
      if (!faults.includes(value as MockFault)) {
        throw new RangeError(`mock knob fault=${value}: expected one of ${faults.join(", ")}`);
      }
      knobs.fault = value as MockFault;
    } else {
      throw new RangeError(`unknown mock knob "${name}"`);
    }
  }
  return knobs;
}
