import type { SluiceError } from "@sluice/protocol";

const openAITypes: Record<string, string> = {
  invalid_request: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  content_filter: "invalid_request_error",
  not_found: "invalid_request_error",
  unauthorized: "authentication_error",
  rate_limited: "rate_limit_error",
  rate_limit: "rate_limit_error",
  unknown: "server_error",
};

/** The native error body: `{"error": {"type", "message"}}`. */
export function nativeErrorBody(error: SluiceError) {
  return {
    error: {
      type: error.type,
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
    },
  };
}

/** OpenAI's error body, so that its SDKs raise the error class they would for OpenAI. */
export function openAIErrorBody(error: SluiceError) {
  const code =
    error.type === "not_found" && error.param === "model"
      ? "model_not_found"
      : error.type === "unauthorized"
        ? "invalid_api_key"
        : error.type;
  return {
    error: {
      message: error.message,
      type: openAITypes[error.type] ?? "api_error",
      param: error.param ?? null,
      code,
    },
  };
}

/** Headers that tell clients whether and when to retry. */
export function retryHeaders(error: SluiceError): Record<string, string> {
  if (!error.retryable) return { "x-should-retry": "false" };
  const headers: Record<string, string> = { "x-should-retry": "true" };
  if (error.retryAfterMs !== undefined || error.status === 429 || error.status === 503) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    headers["retry-after"] = String(seconds);
  }
  return headers;
}
