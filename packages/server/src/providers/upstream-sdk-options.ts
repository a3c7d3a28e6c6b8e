/**
 * What both provider SDKs are built with. Sluice's run retries and applies the real
 * time-to-first-token and idle timeouts, so the SDKs must not retry again; their own timeout,
 * one hour, is only a backstop against a leaked request. They log nothing of their own.
 */
export const UPSTREAM_SDK_OPTIONS = {
  maxRetries: 0,
  timeout: 3_600_000,
  logLevel: "off",
} as const;
