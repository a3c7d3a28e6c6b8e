import { SluiceError } from "@sluice/protocol";

const limitNames = ["requests_per_minute", "concurrent_streams", "tokens_per_minute"] as const;

/** Which limit refused a request: a label of `sluice_limit_rejections_total`. */
export type LimitName = (typeof limitNames)[number];

/** Whether an error's `param` names a limit (so that metric labels stay bounded). */
export function isLimitName(name: string | undefined): name is LimitName {
  return limitNames.includes(name as LimitName);
}

/** The per-key limits a stream is held to (0: off). */
export interface StreamLimits {
  /** Streams one key may have running at once (`MAX_CONCURRENT_STREAMS`). */
  maxConcurrent: number;
  /** Prompt + completion tokens one key may use in a minute (`TOKENS_PER_MINUTE`). */
  tokensPerMinute: number;
}

/** A stream's place under the limits, held while it runs. */
export interface StreamLease {
  /**
   * Frees the concurrency slot and charges `tokens` (prompt + completion) to the key's minute;
   * settles once recorded. Never rejects: a release that could not be recorded is bounded by the
   * slot's lease and the minute's end. A second call does nothing.
   */
  release(tokens: number): Promise<void>;
}

/**
 * Holds each API key to its concurrency and token limits, in this process or, with Redis, across
 * every instance. `acquire` is checked before a stream starts; its lease ends with the run.
 */
export interface StreamLimiter {
  /** A lease for one more stream of `owner`, or a `rate_limited` error (429 with Retry-After). */
  acquire(owner: string): Promise<StreamLease>;
  close(): Promise<void>;
}

/** The start of the fixed one-minute window `now` falls in, and the time left in it (ms). */
export function minuteWindow(now: number): { window: number; leftMs: number } {
  const window = Math.floor(now / 60_000);
  return { window, leftMs: (window + 1) * 60_000 - now };
}

/** The 429 a limit answers with; `param` names the limit, for clients and metrics. */
export function limitError(name: LimitName, message: string, retryAfterMs: number): SluiceError {
  return new SluiceError("rate_limited", message, {
    param: name,
    retryAfterMs: Math.max(1000, Math.ceil(retryAfterMs)),
  });
}

/** The 429 of a key over `limits`: its token budget (`leftMs` to the minute's end) or concurrency. */
export function refusal(
  limit: "tokens_per_minute" | "concurrent_streams",
  limits: StreamLimits,
  leftMs: number,
): SluiceError {
  return limit === "tokens_per_minute"
    ? limitError(
        limit,
        `The API key used its ${limits.tokensPerMinute} tokens for this minute.`,
        leftMs,
      )
    : limitError(
        limit,
        `At most ${limits.maxConcurrent} streams of one API key may run at once.`,
        1000,
      );
}
