import { SluiceError } from "@sluice/protocol";

/** HTTP statuses that say a target is misconfigured: it is skipped at once, not retried. */
const misconfigured = new Set([401, 403, 404]);

/** The upstream's HTTP status behind a provider's error, when there was one. */
export function upstreamStatus(error: SluiceError): number | undefined {
  let cause: unknown = error.cause;
  // The SDK's error is the cause, or the cause of the retries' last failure.
  for (let depth = 0; depth < 4 && typeof cause === "object" && cause !== null; depth++) {
    const status = (cause as { status?: unknown }).status;
    if (typeof status === "number" && !(cause instanceof SluiceError)) return status;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Whether a failure is the target's, so that another target may answer and its breaker
 * counts it: retryable failures (after the target's own retries), and a 401, 403 or 404 from
 * the target. A request the upstream refused as invalid (400, 422) would fail anywhere.
 */
export function isTargetFailure(error: SluiceError): boolean {
  if (error.retryable) return true;
  const status = upstreamStatus(error);
  return status !== undefined && misconfigured.has(status);
}

/** Why a target failed, in a few words for a `status` event: `openai answered 503`. */
export function describeFailure(provider: string, failure: SluiceError): string {
  // After the target's own retries, the last attempt's failure says what happened.
  const error =
    failure.type === "max_retries" && failure.cause instanceof SluiceError
      ? failure.cause
      : failure;
  const status = upstreamStatus(error);
  if (status !== undefined) return `${provider} answered ${status}`;
  if (error.type === "timeout") return `${provider} timed out (${lowerFirst(error.message)})`;
  if (error.type === "network_error") return `${provider} lost the connection`;
  return `${provider} failed (${error.type})`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
