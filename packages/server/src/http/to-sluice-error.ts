import { SluiceError } from "@sluice/protocol";
import { ZodError } from "zod";

interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Normalises anything a route or Fastify throws into a SluiceError, keeping `cause`: schema
 * failures and body problems become 4xx; only unexpected throws become `unknown` (500).
 */
export function toSluiceError(error: unknown): SluiceError {
  if (error instanceof SluiceError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const param = issue?.path.join(".") || undefined;
    const detail = error.issues
      .slice(0, 5)
      .map((each) => (each.path.length ? `${each.path.join(".")}: ${each.message}` : each.message))
      .join("; ");
    return new SluiceError("invalid_request", `Invalid request: ${detail}`, {
      cause: error,
      ...(param ? { param } : {}),
    });
  }
  const framework = error as FrameworkError;
  const status = framework.statusCode;
  if (status === 413 || framework.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new SluiceError("payload_too_large", undefined, { cause: error });
  }
  if (status === 404) return new SluiceError("not_found", undefined, { cause: error });
  if (status !== undefined && status >= 400 && status < 500) {
    return new SluiceError("invalid_request", framework.message || undefined, {
      status,
      cause: error,
    });
  }
  return new SluiceError("unknown", undefined, { cause: error });
}
