import { z } from "zod";
import { parseDuration } from "./duration.js";
import { parseSlo } from "./slo.js";

const Duration = z.union([z.string(), z.number().nonnegative()]).transform((value, context) => {
  try {
    return parseDuration(value);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
const Fraction = z.number().min(0).max(1);
const Count = z.number().int().positive();

/**
 * A benchmark scenario: the load, the stream asked of the mock, the faults and the SLO. It is the
 * shape of `bench/scenarios/*.json` and of the command's flags (durations as `50ms`, `2s`).
 */
export const BenchScenario = z
  .object({
    name: z.string().default("ad hoc"),
    description: z.string().default(""),
    /** Closed loop: clients sending back to back. Default 10 unless `rate` is set. */
    concurrency: Count.optional(),
    /** Open loop: Poisson arrivals per second. */
    rate: z.number().positive().optional(),
    /** Measured requests. Default 100 unless `duration` is set. */
    requests: Count.optional(),
    /** Measured time (ms after parsing). */
    duration: Duration.optional(),
    /** Warm-up: a request count (a number) or a time (`"2s"`), left out of the figures. */
    warmup: z.union([z.number().int().nonnegative(), z.string()]).default(0),
    /** Per-request limit. Default 60 s. */
    timeout: Duration.default(60_000),
    /** Open loop only: arrivals beyond this many in flight are dropped. Default 10,000. */
    maxInFlight: Count.default(10_000),
    /** Seeds the arrival times and the mock's texts (request i uses seed + i mod 64). Default 1. */
    seed: z.number().int().nonnegative().default(1),
    prompt: z.string().default("Explain streaming responses in production."),
    /** Mock knobs: tokens per answer, time to first token, gap between tokens. */
    tokens: Count.default(100),
    ttft: Duration.default(20),
    gap: Duration.default(5),
    /** Further mock knobs, appended as they are (e.g. `jitter=0.2`). */
    knobs: z.string().default(""),
    /** Cut every nth connection through the fault proxy (0: no proxy), after `cutAfter` bytes. */
    cutEvery: z.number().int().nonnegative().default(0),
    cutAfter: Count.default(2048),
    /** Fraction of clients that abort after `abortAfter` tokens, by `abortWith`. */
    abort: Fraction.default(0),
    abortAfter: Count.default(5),
    abortWith: z.enum(["disconnect", "delete"]).default("disconnect"),
    /** How long to wait for aborts to reach the mock. Default 15 s. */
    cancelWait: Duration.default(15_000),
    /** Fraction of clients that read slowly, pausing `slowDelay` after each read. */
    slow: Fraction.default(0),
    slowDelay: Duration.default(50),
    /**
     * After the load, wait this long and read the server's RSS once more: with the gateway's
     * `STREAM_TTL_MS` shorter than it, whether the memory of ended streams is given back.
     */
    settle: Duration.optional(),
    /** Reconnections allowed to resume one cut stream. Default 10. */
    maxResumes: z.number().int().nonnegative().default(10),
    /** SLO for goodput, as the flag takes it: `ttft:200ms,itl:50ms`. */
    slo: z
      .string()
      .optional()
      .superRefine((value, context) => {
        if (value === undefined) return;
        try {
          parseSlo(value);
        } catch (error) {
          context.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    /** Runs per target: with two targets, rounds of alternation (default 3); with one, default 1. */
    rounds: Count.optional(),
    /** For `npm run bench` only: which targets to run, and which summary figure this gives. */
    suite: z
      .object({
        targets: z
          .array(z.enum(["direct", "sluice", "sluice-v1", "baseline"]))
          .min(1)
          .default(["direct", "sluice"]),
        headline: z
          .enum(["ttft", "throughput", "relay", "memory", "cancellation", "resume", "none"])
          .default("none"),
        /**
         * A new gateway for the whole scenario (default), or for each run, so that no run starts
         * with a heap an earlier one grew (memory figures); with several targets, each run of the
         * alternation gets its own.
         */
        freshGateway: z.enum(["scenario", "run"]).default("scenario"),
        /** Extra environment for the gateway (e.g. `STREAM_GRACE_MS`). */
        gatewayEnv: z.record(z.string(), z.string()).default({}),
        /**
         * The provider the gateway's targets reach the mock through: `openai/mock` (Chat
         * Completions, the default) or `anthropic/mock` (Anthropic's Messages SSE).
         */
        upstream: z.enum(["openai", "anthropic"]).default("openai"),
      })
      .strict()
      .refine((suite) => new Set(suite.targets).size === suite.targets.length, {
        message: "each target once",
      })
      .prefault({}),
  })
  .strict();

export type BenchScenario = z.infer<typeof BenchScenario>;
/** A scenario as written: durations may still be text. */
export type BenchScenarioInput = z.input<typeof BenchScenario>;
