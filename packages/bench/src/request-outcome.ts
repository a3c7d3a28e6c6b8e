import type { TextCheck } from "./check-text.js";

/**
 * What one request did, as the client saw it. Times are milliseconds; `startedAt` is measured from
 * the start of the run, the others from the moment the request was due to start (in an open loop
 * that is its scheduled arrival, so that a client falling behind does not hide queueing).
 */
export interface RequestOutcome {
  index: number;
  startedAt: number;
  /** Time to the first token; null when none came. */
  ttftMs: number | null;
  /** Every gap between consecutive tokens, in order (a resume's reconnect time included). */
  gapsMs: number[];
  /** Time to the end of the response body (after the last resume, if any). */
  e2eMs: number;
  tokens: number;
  bytes: number;
  /** The terminal event that ended the stream, or null when the connection ended without one. */
  terminal: "done" | "error" | null;
  /** Tokens or terminal events after the terminal event: each is a protocol violation. */
  eventsAfterTerminal: number;
  /** The error that failed the request (`http_429`, `stream_timeout`, `no_terminal`...), or null. */
  errorType: string | null;
  /** What the server said about the failure: an error response's body, or an error event's message. */
  errorDetail: string | null;
  /** The client aborted this request on purpose (a fault, not an error). */
  aborted: boolean;
  /** The stream's id, when the target names one (native streams). */
  streamId: string | null;
  /** Reconnections that resumed a cut stream. */
  resumes: number;
  /** The text compared with the expected text, when one was known. */
  check: TextCheck | null;
}

/** The outcome of a request before anything arrived: no token, no terminal event, no error. */
export function emptyOutcome(index: number, startedAt: number): RequestOutcome {
  return {
    index,
    startedAt,
    ttftMs: null,
    gapsMs: [],
    e2eMs: 0,
    tokens: 0,
    bytes: 0,
    terminal: null,
    eventsAfterTerminal: 0,
    errorType: null,
    errorDetail: null,
    aborted: false,
    streamId: null,
    resumes: 0,
    check: null,
  };
}

/** Inter-token latency as the bench defines it: `(last − first) / (tokens − 1)`; null below 2 tokens. */
export function interTokenLatency(outcome: RequestOutcome): number | null {
  if (outcome.tokens < 2) return null;
  let total = 0;
  for (const gap of outcome.gapsMs) total += gap;
  return total / (outcome.tokens - 1);
}

/** Time per output token after the first: `(e2e − ttft) / (tokens − 1)`; null below 2 tokens. */
export function timePerOutputToken(outcome: RequestOutcome): number | null {
  if (outcome.tokens < 2 || outcome.ttftMs === null) return null;
  return (outcome.e2eMs - outcome.ttftMs) / (outcome.tokens - 1);
}

/** The longest single gap between two tokens; null below 2 tokens. */
export function longestGap(outcome: RequestOutcome): number | null {
  if (outcome.gapsMs.length === 0) return null;
  let longest = 0;
  for (const gap of outcome.gapsMs) if (gap > longest) longest = gap;
  return longest;
}
