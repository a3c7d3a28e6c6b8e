import { SluiceError } from "@sluice/protocol";

/**
 * The error for a request or reader whose Redis call failed: retryable, a 503 before
 * headers, and a cut connection after them (the reader never ends cleanly on it).
 */
export function redisUnavailable(cause: unknown): SluiceError {
  if (cause instanceof SluiceError) return cause;
  return new SluiceError(
    "network_error",
    "The shared stream store is unavailable; retry shortly.",
    {
      retryable: true,
      status: 503,
      cause,
    },
  );
}

/** `pending`, with a failure turned into {@link redisUnavailable}. */
export async function orUnavailable<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw redisUnavailable(error);
  }
}
