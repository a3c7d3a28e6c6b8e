/** How a client reconnects: at most `maxAttempts` in a row without progress, waits growing from `baseDelayMs` to `maxDelayMs`. */
export interface ReconnectPolicy {
  /** Reconnects in a row that bring no new event before the client gives up. Default 8. */
  maxAttempts: number;
  /** Ceiling of the first wait. Default 250 ms. */
  baseDelayMs: number;
  /** Ceiling of any wait. Default 5000 ms. */
  maxDelayMs: number;
}

/** The defaults of {@link ReconnectPolicy}. */
export const defaultReconnectPolicy: ReconnectPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 5000,
};

/**
 * The wait before reconnect number `attempt` (1-based): full jitter, a uniform draw below an
 * exponentially growing ceiling, so that many clients cut at once do not return at once.
 */
export function backoffDelay(
  attempt: number,
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
