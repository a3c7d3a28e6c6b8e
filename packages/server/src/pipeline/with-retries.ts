import { type ErrorType, SluiceError } from "@sluice/protocol";
import type { ProviderEvent, ProviderSource } from "../providers/provider.js";
import { sleep as delay } from "../sleep.js";
import { formatSeconds } from "./format-seconds.js";
import { isContentEvent } from "./is-content-event.js";

/** How failed attempts are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts: number;
  /** The backoff before the second attempt, doubled for each later one (default 500 ms). */
  baseDelayMs: number;
  /** The largest backoff, unless the upstream's `retryAfterMs` asks for more (default 8000 ms). */
  maxDelayMs: number;
  /** A number in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
  /** Waits `ms`; rejects with the signal's reason on abort (default: a timer). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Three attempts, backoff from 500 ms up to 8 s. */
export const defaultRetryPolicy: Readonly<RetryPolicy> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
};

/** The most an upstream's `retry-after` can make us wait before one attempt. */
const retryAfterBoundMs = 60_000;

/**
 * A complete policy from a partial one: missing or undefined fields take the defaults of
 * {@link defaultRetryPolicy}. Throws a `RangeError` for values that cannot be meant.
 */
export function retryPolicyFrom(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...defaultRetryPolicy };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) Object.assign(policy, { [key]: value });
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  if (!(policy.baseDelayMs >= 0 && policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new RangeError("Need 0 <= baseDelayMs <= maxDelayMs.");
  }
  return policy;
}

const waitReasons: Partial<Record<ErrorType, string>> = {
  rate_limit: "Rate limited",
  api_error: "Provider error",
  network_error: "Connection failed",
  timeout: "No response in time",
};

/**
 * Opens `source` again after a retryable `SluiceError`, as long as no content (`text` or
 * `tool_call`) has gone out: after content, a retry would repeat text, so the failure is
 * rethrown as is. Before each wait it emits a `status` event ("Rate limited, retrying in 2s").
 * The wait is exponential backoff with full jitter, capped at `maxDelayMs`, and at least the
 * upstream's `retryAfterMs` (itself bounded to 60 s). When the last attempt fails, it rejects
 * with a retryable `rate_limit` (if that was the last cause) or `max_retries` error whose
 * `cause` is the last failure.
 *
 * Each attempt gets its own signal, aborted when it fails and when the caller aborts; events a
 * failed attempt still sends are dropped. An abort of the caller's signal rejects with its
 * reason. `policy` may be partial; see {@link retryPolicyFrom} (checked here, when composed).
 * The cost per event is one check until content has started.
 */
export function withRetries(source: ProviderSource, policy: Partial<RetryPolicy>): ProviderSource {
  const {
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    random = Math.random,
    sleep = delay,
  } = retryPolicyFrom(policy);
  return async (signal, emit) => {
    signal.throwIfAborted();
    for (let attemptNumber = 1; ; attemptNumber++) {
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort(signal.reason);
      signal.addEventListener("abort", abortAttempt, { once: true });
      let sentContent = false;
      const forward = (event: ProviderEvent): void => {
        if (attempt.signal.aborted) return;
        if (!sentContent && isContentEvent(event)) sentContent = true;
        emit(event);
      };
      try {
        await source(attempt.signal, forward);
        return;
      } catch (error) {
        attempt.abort(error);
        if (signal.aborted) throw signal.reason;
        if (sentContent || !(error instanceof SluiceError) || !error.retryable) throw error;
        if (attemptNumber >= maxAttempts) throw exhausted(error, attemptNumber);
        const backoffMs = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1));
        const waitMs = Math.round(
          Math.max(backoffMs, Math.min(error.retryAfterMs ?? 0, retryAfterBoundMs)),
        );
        const reason = waitReasons[error.type] ?? waitReasons.api_error;
        emit({ type: "status", message: `${reason}, retrying in ${formatSeconds(waitMs)}` });
        await sleep(waitMs, signal);
      } finally {
        signal.removeEventListener("abort", abortAttempt);
      }
    }
  };
}

function exhausted(last: SluiceError, attempts: number): SluiceError {
  const type = last.type === "rate_limit" ? "rate_limit" : "max_retries";
  const message = `Gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${last.message}`;
  return new SluiceError(type, message, {
    retryable: true,
    retryAfterMs: last.retryAfterMs,
    cause: last,
  });
}
