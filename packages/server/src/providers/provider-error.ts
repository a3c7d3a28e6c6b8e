import Anthropic from "@anthropic-ai/sdk";
import { SluiceError, SseBufferOverflowError } from "@sluice/protocol";
import OpenAI from "openai";

/** What {@link toSluiceError} needs besides the error. */
export interface ToSluiceErrorOptions {
  /** The key the gateway sent upstream: scrubbed from every message. */
  apiKey?: string;
  /** The request's signal: once it has fired, its reason is rethrown instead. */
  signal?: AbortSignal;
}

type SdkApiError = InstanceType<typeof OpenAI.APIError> | InstanceType<typeof Anthropic.APIError>;

const REJECTED_CREDENTIALS = "The provider rejected the gateway's credentials";
const KEY_LIKE = /\b(?:sk|pk|rk)-[\w*.-]{6,}|\bBearer\s+\S+|\b[\w-]{40,}\b/gi;
// Failures of the socket under fetch's body stream, which the SDKs rethrow unwrapped.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** What operators read for the system codes a failed connection carries. */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed while sending",
  UND_ERR_SOCKET: "socket closed by the other side",
  UND_ERR_CLOSED: "socket closed",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
};

/**
 * The system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...) somewhere in an error's
 * `cause` chain, or in the errors of an `AggregateError` (a host with several addresses).
 */
export function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isRecord(current); depth++) {
    if (typeof current.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(current.code)) {
      return current.code;
    }
    const first: unknown = Array.isArray(current.errors) ? current.errors[0] : undefined;
    current = current.cause ?? first;
  }
  return undefined;
}

/** `: connection refused (ECONNREFUSED)`, else the innermost cause's own words (`: bad port`). */
function causeText(error: unknown, scrub: (message: string) => string): string {
  const code = causeCode(error);
  if (code !== undefined) {
    const meaning = CAUSES[code];
    return meaning ? `: ${meaning} (${code})` : `: ${code}`;
  }
  let innermost: unknown = error;
  for (let depth = 0; depth < 8 && innermost instanceof Error && innermost.cause; depth++) {
    innermost = innermost.cause;
  }
  return innermost !== error && innermost instanceof Error && innermost.message
    ? `: ${scrub(innermost.message).slice(0, 200)}`
    : "";
}

/**
 * Normalises whatever a provider SDK threw into a `SluiceError` (with `cause` kept):
 * 429 → `rate_limit` (with `retryAfterMs` from `retry-after-ms` or `retry-after`);
 * 408, 409, 5xx, 529 and in-band stream errors → retryable `api_error` with the upstream
 * status; 400, 404, 413, 422 → final `invalid_request` with the upstream's message; 401, 403 →
 * final `api_error` that says the gateway's credentials were rejected; lost or refused
 * connections → retryable `network_error` naming the cause (`connection refused
 * (ECONNREFUSED)`); an SSE line over the reader's bound → final `api_error`. `provider` is
 * how messages name the upstream (`openai (api.openai.com)`). Messages never contain the key
 * or key-like text.
 *
 * An abort is not an error: when `options.signal` has fired, or the SDK reports a user
 * abort, this throws the signal's reason (or the abort itself) instead of returning.
 */
export function toSluiceError(
  error: unknown,
  provider: string,
  options: ToSluiceErrorOptions = {},
): SluiceError {
  const { signal, apiKey } = options;
  if (signal?.aborted) throw signal.reason;
  if (error instanceof SluiceError) return error;
  if (isUserAbort(error)) throw signal?.reason ?? error;
  const scrub = (message: string) => scrubSecrets(message, apiKey);
  if (isConnectionError(error)) {
    const what = isTimeout(error) ? "timed out" : "failed";
    return new SluiceError(
      "network_error",
      `The connection to ${provider} ${what}${causeText(error, scrub)}.`,
      { cause: error },
    );
  }
  if (isApiError(error)) return fromApiError(error, provider, scrub);
  if (isNetworkFailure(error)) {
    return new SluiceError(
      "network_error",
      `The connection to ${provider} was lost${causeText(error, scrub)}.`,
      { cause: error },
    );
  }
  if (error instanceof SseBufferOverflowError) {
    // Retrying would read the same endless line again.
    return new SluiceError(
      "api_error",
      `${provider} sent a line or event longer than ${error.maxBufferSize} characters; the stream was dropped.`,
      { retryable: false, cause: error },
    );
  }
  const detail = error instanceof Error ? `: ${scrub(error.message)}` : "";
  return new SluiceError("unknown", `Unexpected error from ${provider}${detail}`, { cause: error });
}

function fromApiError(
  error: SdkApiError,
  provider: string,
  scrub: (message: string) => string,
): SluiceError {
  const { status } = error;
  const upstream = scrub(upstreamMessage(error));
  const retryAfterMs = error.headers ? retryAfterFrom(error.headers) : undefined;
  if (status === undefined) {
    return new SluiceError("api_error", `${provider} reported an error mid-stream: ${upstream}`, {
      retryable: true,
      retryAfterMs,
      cause: error,
    });
  }
  if (status === 429) {
    return new SluiceError("rate_limit", `${provider} is rate limiting: ${upstream}`, {
      retryable: true,
      retryAfterMs,
      cause: error,
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new SluiceError("api_error", `${provider} returned HTTP ${status}: ${upstream}`, {
      retryable: true,
      status,
      retryAfterMs,
      cause: error,
    });
  }
  if (status === 401 || status === 403) {
    return new SluiceError("api_error", REJECTED_CREDENTIALS, { retryable: false, cause: error });
  }
  if (status === 400 || status === 404 || status === 413 || status === 422) {
    return new SluiceError("invalid_request", `${provider}: ${upstream}`, {
      retryable: false,
      status,
      cause: error,
    });
  }
  return new SluiceError("api_error", `${provider} returned HTTP ${status}: ${upstream}`, {
    retryable: false,
    cause: error,
  });
}

/** The upstream's own words: OpenAI's `error.message`, Anthropic's `error.error.message`. */
function upstreamMessage(error: SdkApiError): string {
  const body: unknown = error.error;
  if (isRecord(body)) {
    if (typeof body.message === "string") return body.message;
    if (isRecord(body.error) && typeof body.error.message === "string") return body.error.message;
  }
  return error.message;
}

/** Milliseconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
function retryAfterFrom(headers: Headers): number | undefined {
  const milliseconds = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function scrubSecrets(message: string, apiKey: string | undefined): string {
  const withoutKey =
    apiKey && apiKey.length >= 4 ? message.replaceAll(apiKey, "[redacted]") : message;
  return withoutKey.replace(KEY_LIKE, "[redacted]");
}

function isApiError(error: unknown): error is SdkApiError {
  return error instanceof OpenAI.APIError || error instanceof Anthropic.APIError;
}

function isUserAbort(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIUserAbortError ||
    error instanceof Anthropic.APIUserAbortError ||
    (error instanceof Error && error.name === "AbortError")
  );
}

function isConnectionError(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError
  );
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIConnectionTimeoutError ||
    error instanceof Anthropic.APIConnectionTimeoutError
  );
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error instanceof TypeError &&
    (error.message === "terminated" || error.message === "fetch failed")
  ) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  const causeCode = isRecord(error.cause) ? error.cause.code : undefined;
  return (
    (typeof code === "string" && NETWORK_CODES.has(code)) ||
    (typeof causeCode === "string" && NETWORK_CODES.has(causeCode))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
