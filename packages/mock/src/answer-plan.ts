import type { MockExchange } from "./mock-exchange.js";
import type { PacedEnding, PacedScript } from "./token-pacer.js";

/** How an answer ends: all tokens, cut at the token limit, cut by a filter, or by an error. */
export type AnswerStop = "complete" | "length" | "content_filter" | "error";

/** How many tokens an answer sends and how it ends, from its knobs and its fault. */
export interface AnswerPlan {
  count: number;
  stop: AnswerStop;
  ending: PacedEnding;
}

/**
 * Plans an answer of `available` tokens: `limit` (the request's max tokens) cuts it to
 * `length`; a `drop`, `stall`, `error` or `content_filter` fault cuts it after `after` tokens.
 */
export function planAnswer(
  exchange: MockExchange,
  available: number,
  limit: number | undefined,
): AnswerPlan {
  const { fault, knobs } = exchange;
  let count = available;
  let stop: AnswerStop = "complete";
  if (limit !== undefined && limit < count) {
    count = limit;
    stop = "length";
  }
  const cutting = fault === "drop" || fault === "stall" || fault === "error";
  if ((cutting || fault === "content_filter") && knobs.after < count) count = knobs.after;
  if (fault === "content_filter") stop = "content_filter";
  if (fault === "error") stop = "error";
  const ending = fault === "drop" ? "drop" : fault === "stall" ? "stall" : "end";
  return { count, stop, ending };
}

/** A script that sends `text` in one write, when the answer is due. */
export function singleWriteScript(text: string): PacedScript {
  return { count: 0, ping: "", opening: () => "", token: () => "", closing: () => text };
}
