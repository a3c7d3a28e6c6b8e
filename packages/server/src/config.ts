import { z } from "zod";
import { loadRoutingFile } from "./routing/load-routing-file.js";
import type { RoutingSettings } from "./routing/routing-settings.js";

const milliseconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** Every setting, read from the environment; the defaults are the contract's. A timeout of 0 is off. */
const Environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText,
  DEFAULT_MODEL: optionalText,
  /** A YAML or JSON file of provider instances and model aliases (see the README's routing section). */
  SLUICE_CONFIG: optionalText,
  REDIS_URL: optionalText,
  /** How soon readers elsewhere give up on a stream whose generating instance died (ms). */
  REDIS_LEASE_MS: z.coerce.number().int().min(100).default(5000),
  SLUICE_API_KEYS: list,
  /** Signs stream tokens (X-Stream-Token); random per process when unset. */
  SLUICE_TOKEN_SECRET: optionalText,
  /** How long a stream token is valid (ms); 0: the stream's whole life, STREAM_TIMEOUT_MS + STREAM_TTL_MS. */
  STREAM_TOKEN_TTL_MS: milliseconds(0),
  CORS_ORIGINS: list,
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Time a client has to send its request headers; slowloris clients are cut after it (ms). */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  /** Time a client has to send its whole request, body included; responses are not limited (ms). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  HEARTBEAT_MS: milliseconds(15_000),
  STREAM_GRACE_MS: milliseconds(10_000),
  STREAM_TTL_MS: milliseconds(5 * 60_000),
  /** The most bytes ended streams kept for resuming may hold (memory store); oldest go first. */
  STREAM_RETAIN_BYTES: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(256 * 1024 * 1024),
  FIRST_TOKEN_TIMEOUT_MS: milliseconds(30_000),
  IDLE_TIMEOUT_MS: milliseconds(30_000),
  STREAM_TIMEOUT_MS: milliseconds(10 * 60_000),
  SHUTDOWN_GRACE_MS: milliseconds(10_000),
  READER_STALL_MS: milliseconds(60_000),
  RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  RETRY_BASE_DELAY_MS: milliseconds(500),
  RETRY_MAX_DELAY_MS: milliseconds(8_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().nonnegative().default(0),
  MAX_CONCURRENT_STREAMS: z.coerce.number().int().nonnegative().default(0),
  /** Prompt + completion tokens per API key a minute (0: off); across instances with Redis. */
  TOKENS_PER_MINUTE: z.coerce.number().int().nonnegative().default(0),
  DEMO_TTFT_MS: milliseconds(300),
  DEMO_TOKENS_PER_SECOND: z.coerce.number().positive().default(40),
});

/** The environment's settings, and what the `SLUICE_CONFIG` file adds (undefined without one). */
export type Config = z.infer<typeof Environment> & { routing: RoutingSettings | undefined };

/**
 * Reads the configuration, and refuses contradictions at start-up rather than misbehaving
 * later (heartbeats that come after a proxy's idle timeout would close streams).
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Environment.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const routing = parsed.data.SLUICE_CONFIG
    ? loadRoutingFile(parsed.data.SLUICE_CONFIG, environment, [
        "demo",
        ...(parsed.data.OPENAI_API_KEY ? ["openai"] : []),
        ...(parsed.data.ANTHROPIC_API_KEY ? ["anthropic"] : []),
      ])
    : undefined;
  const config: Config = { ...parsed.data, routing };
  if (config.HEARTBEAT_MS < 100 || config.HEARTBEAT_MS >= 60_000) {
    throw new Error(
      "HEARTBEAT_MS must be between 100 ms and 60 s: proxies commonly drop connections idle for 60 s.",
    );
  }
  if (config.READER_STALL_MS > 0 && config.READER_STALL_MS <= config.HEARTBEAT_MS) {
    throw new Error("READER_STALL_MS must be longer than HEARTBEAT_MS.");
  }
  if (config.REDIS_URL && config.SLUICE_API_KEYS.length > 0 && !config.SLUICE_TOKEN_SECRET) {
    throw new Error(
      "SLUICE_TOKEN_SECRET is required with REDIS_URL and SLUICE_API_KEYS: every instance must accept the stream tokens the others issue.",
    );
  }
  if (config.SLUICE_TOKEN_SECRET && config.SLUICE_TOKEN_SECRET.length < 32) {
    throw new Error("SLUICE_TOKEN_SECRET must be at least 32 characters.");
  }
  if (config.HEADERS_TIMEOUT_MS > config.REQUEST_TIMEOUT_MS) {
    throw new Error("HEADERS_TIMEOUT_MS may not exceed REQUEST_TIMEOUT_MS.");
  }
  for (const name of ["FIRST_TOKEN_TIMEOUT_MS", "IDLE_TIMEOUT_MS"] as const) {
    if (config.STREAM_TIMEOUT_MS > 0 && config[name] > config.STREAM_TIMEOUT_MS) {
      throw new Error(`${name} may not exceed STREAM_TIMEOUT_MS.`);
    }
  }
  return config;
}
