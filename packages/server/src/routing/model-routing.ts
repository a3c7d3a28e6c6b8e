import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { RetryPolicy } from "../pipeline/with-retries.js";
import type { ProviderRegistry } from "../providers/provider-registry.js";
import { MemoryRoutingState } from "./memory-routing-state.js";
import { RedisRoutingState } from "./redis-routing-state.js";
import { RoutedModel } from "./routed-model.js";
import { RoutingMetrics } from "./routing-metrics.js";
import type { RoutingSettings } from "./routing-settings.js";
import type { RoutingState } from "./routing-state.js";

export interface ModelRoutingOptions {
  settings: RoutingSettings;
  providers: ProviderRegistry;
  /** Shares least-busy counts and breakers with the other instances when set. */
  redisUrl?: string | undefined;
  limits: { firstTokenMs: number; idleMs: number };
  retryPolicy: Partial<RetryPolicy>;
  registry: Registry;
  logger: Logger;
}

/** A benched target, for `/readyz`. */
export interface BenchedTarget {
  target: string;
  retry_after_ms: number;
}

/**
 * The model aliases of `SLUICE_CONFIG`: adds each to the provider registry as a
 * {@link RoutedModel}, over one routing state (Redis when `redisUrl` is set).
 */
export class ModelRouting {
  readonly #state: RoutingState;
  readonly #targets: string[];

  constructor(options: ModelRoutingOptions) {
    const { settings, providers, redisUrl, logger } = options;
    this.#state = redisUrl
      ? new RedisRoutingState({ url: redisUrl, logger: logger.child({ routing: "redis" }) })
      : new MemoryRoutingState();
    this.#targets = [...new Set(settings.aliases.flatMap((alias) => alias.targets))];
    const metrics = new RoutingMetrics(options.registry, this.#state, this.#targets);
    for (const alias of settings.aliases) {
      const router = new RoutedModel({
        alias,
        resolve: (target) => providers.resolve(target),
        state: this.#state,
        limits: options.limits,
        retryPolicy: options.retryPolicy,
        metrics,
      });
      providers.addAlias(alias.name, router);
    }
  }

  /** The targets their breakers have benched, and for how long yet. */
  async benched(): Promise<BenchedTarget[]> {
    const health = await this.#state.health(this.#targets);
    return this.#targets
      .map((target, index) => ({ target, retry_after_ms: health[index]?.benchedForMs ?? 0 }))
      .filter((target) => target.retry_after_ms > 0);
  }

  close(): Promise<void> {
    return this.#state.close();
  }
}
