import { z } from "zod";

/** The strategies an alias may pick its first target by; the others are its fallbacks. */
export const RoutingStrategy = z.enum(["fallback", "round-robin", "least-busy"]);
export type RoutingStrategy = z.infer<typeof RoutingStrategy>;

const providerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "a provider name is lower-case letters, digits, - and _");
const aliasName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:-]*$/, "an alias is letters, digits, ., :, - and _ (no /)");

/** A named provider instance; its key comes from the environment, never from the file. */
export const ProviderEntry = z.strictObject({
  type: z.enum(["openai", "anthropic"]),
  base_url: z.url().optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_]\w*$/, "the name of an environment variable, e.g. OPENAI_EU_KEY"),
});
export type ProviderEntry = z.infer<typeof ProviderEntry>;

/** A model alias: its targets in order, how to pick among them, and its circuit breaker. */
export const AliasEntry = z.strictObject({
  /** `provider/model` names, or other aliases (whose targets take their place). */
  targets: z.array(z.string().min(1)).min(1),
  strategy: RoutingStrategy.default("fallback"),
  /** Whether a target that fails after tokens went out is continued by the next one. */
  continue_on_failure: z.boolean().default(false),
  /** Failures in a row that bench a target. */
  failure_threshold: z.number().int().min(1).max(1000).default(3),
  /** How long a benched target sits out (ms). */
  cooldown_ms: z.number().int().min(10).max(3_600_000).default(30_000),
});
export type AliasEntry = z.infer<typeof AliasEntry>;

/** The whole `SLUICE_CONFIG` file (YAML, or JSON, which is YAML). */
export const RoutingFile = z.strictObject({
  providers: z.record(providerName, ProviderEntry).default({}),
  models: z.record(aliasName, AliasEntry).default({}),
});
export type RoutingFile = z.infer<typeof RoutingFile>;
