import { z } from "zod";

/** Every error Sluice reports, before a stream starts (HTTP) or inside one (`error` event). */
export const ErrorType = z.enum([
  "invalid_request",
  "unauthorized",
  "not_found",
  "conflict",
  "payload_too_large",
  "rate_limited",
  "api_error",
  "timeout",
  "content_filter",
  "rate_limit",
  "network_error",
  "max_retries",
  "unknown",
]);
export type ErrorType = z.infer<typeof ErrorType>;

/** The `error_type` values an `error` event may carry (the contract's list). */
export const StreamErrorType = ErrorType.extract([
  "api_error",
  "timeout",
  "content_filter",
  "rate_limit",
  "network_error",
  "max_retries",
  "invalid_request",
  "unknown",
]);
export type StreamErrorType = z.infer<typeof StreamErrorType>;

interface ErrorTraits {
  /** HTTP status when the error happens before a stream starts. */
  status: number;
  /** Whether trying the same request again may succeed. */
  retryable: boolean;
  /** What users see when the error's own message must stay private. */
  message: string;
}

/** The one table that maps an error type to its HTTP status, retryability and public message. */
export const errorTable: Record<ErrorType, ErrorTraits> = {
  invalid_request: { status: 400, retryable: false, message: "The request is invalid." },
  unauthorized: { status: 401, retryable: false, message: "A valid API key is required." },
  not_found: { status: 404, retryable: false, message: "Not found." },
  conflict: { status: 409, retryable: false, message: "The resource is busy." },
  payload_too_large: { status: 413, retryable: false, message: "The request body is too large." },
  rate_limited: { status: 429, retryable: true, message: "Too many requests." },
  api_error: { status: 502, retryable: true, message: "The model provider returned an error." },
  timeout: { status: 504, retryable: true, message: "The model provider timed out." },
  content_filter: { status: 400, retryable: false, message: "Blocked by the content policy." },
  rate_limit: { status: 429, retryable: true, message: "The model provider is rate limiting." },
  network_error: { status: 502, retryable: true, message: "The connection was lost." },
  max_retries: { status: 503, retryable: true, message: "The provider failed after retries." },
  unknown: { status: 500, retryable: false, message: "An unexpected error occurred." },
};
