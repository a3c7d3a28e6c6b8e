/**
 * The SDKs' own timeout, only a backstop against a leaked request: Sluice's run applies
 * the real time-to-first-token and idle timeouts and aborts the signal. One hour.
 */
export const UPSTREAM_TIMEOUT_MS = 3_600_000;
