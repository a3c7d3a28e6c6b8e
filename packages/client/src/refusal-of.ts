import { SluiceStreamError } from "./sluice-stream-error.js";

/**
 * The server's refusal in the contract's shape `{"error": {"type", "message"}}`, as a
 * {@link SluiceStreamError} with the status and, for a 429, `Retry-After`; `undefined` when the
 * response is not one (an HTML page from a proxy, say), which is a reason to fall back, not an answer.
 */
export async function refusalOf(response: Response): Promise<SluiceStreamError | undefined> {
  if (!(response.headers.get("content-type") ?? "").includes("json")) return undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  const error = (body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.type !== "string" || typeof error.message !== "string") return undefined;
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  return new SluiceStreamError(error.type, error.message, {
    status: response.status,
    retryable: response.status === 429 || response.status >= 500,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
