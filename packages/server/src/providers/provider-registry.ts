import { SluiceError } from "@sluice/protocol";
import { AnthropicProvider } from "./anthropic-provider.js";
import { type DemoOptions, DemoProvider } from "./demo-provider.js";
import { OpenAIProvider } from "./openai-provider.js";
import type { Provider, ProviderLogger } from "./provider.js";

/** Where an upstream provider is reached. */
export interface UpstreamConfig {
  apiKey: string;
  baseURL?: string;
}

/** A named provider instance (`SLUICE_CONFIG`'s `providers`), e.g. `openai-eu`. */
export interface ProviderInstanceConfig extends UpstreamConfig {
  name: string;
  type: "openai" | "anthropic";
}

/** Which providers exist; the demo provider always does. */
export interface ProviderRegistryConfig {
  openai?: UpstreamConfig;
  anthropic?: UpstreamConfig;
  /** More instances, by name; one named `openai` or `anthropic` replaces the environment's. */
  instances?: ProviderInstanceConfig[];
  /** The model of requests that name none (`DEFAULT_MODEL`). Default: see {@link ProviderRegistry}. */
  defaultModel?: string;
  demo?: DemoOptions;
  logger?: ProviderLogger;
}

/**
 * A provider that stands for a model alias and routes each request to its targets. It applies
 * retries and timeouts per target itself, so runs leave them to it.
 */
export interface RoutingProvider extends Provider {
  /** Throws a 503 `SluiceError` (with `retryAfterMs`) when no target may take a request now. */
  admit(): Promise<void>;
}

/** A model name resolved to the provider that serves it. */
export interface ResolvedModel {
  provider: Provider;
  /** The provider's own name for the model (after the first `/`), or the alias. */
  model: string;
  /** `provider/model`, or the alias. */
  id: string;
  /** Set, to the same object as `provider`, when the name is an alias. */
  router?: RoutingProvider;
}

/** What {@link ProviderRegistry.listModels} found. */
export interface ModelList {
  /** `provider/model`, for every provider that could list its models. */
  models: string[];
  /** The providers that could not, and why (the message never holds a key). */
  unavailable: { provider: string; host?: string; error: { type: string; message: string } }[];
}

/** The default model when `DEFAULT_MODEL` is unset, by what is configured. */
const DEFAULT_MODELS = {
  openai: "openai/gpt-4o-mini",
  anthropic: "anthropic/claude-sonnet-4-5",
  demo: "demo/default",
} as const;

/**
 * The configured providers, and the one place model names are resolved. Models are named
 * `provider/model` (`openai/gpt-4o-mini`, `anthropic/claude-sonnet-4-5`, `demo/default`);
 * everything after the first `/` is the provider's model. A request without a model gets
 * `defaultModel`, else `demo/default` when no provider key is set, else `openai/gpt-4o-mini`
 * when OpenAI is configured, else `anthropic/claude-sonnet-4-5`.
 */
export class ProviderRegistry {
  readonly #providers = new Map<string, Provider>();
  readonly #aliases = new Map<string, RoutingProvider>();
  readonly #defaultModel: string;
  readonly #logger: ProviderLogger | undefined;

  constructor(config: ProviderRegistryConfig = {}) {
    const { openai, anthropic, logger } = config;
    this.#logger = logger;
    this.#providers.set("demo", new DemoProvider(config.demo));
    if (openai) this.#providers.set("openai", new OpenAIProvider({ ...openai, logger }));
    if (anthropic)
      this.#providers.set("anthropic", new AnthropicProvider({ ...anthropic, logger }));
    for (const { type, ...instance } of config.instances ?? []) {
      this.#providers.set(
        instance.name,
        type === "openai"
          ? new OpenAIProvider({ ...instance, logger })
          : new AnthropicProvider({ ...instance, logger }),
      );
    }
    this.#defaultModel =
      config.defaultModel ||
      (openai ? DEFAULT_MODELS.openai : anthropic ? DEFAULT_MODELS.anthropic : DEFAULT_MODELS.demo);
  }

  /** The model used when a request names none. */
  get defaultModel(): string {
    return this.#defaultModel;
  }

  /** Makes `name` resolve to `router` (a model alias); listed first by {@link listModels}. */
  addAlias(name: string, router: RoutingProvider): void {
    this.#aliases.set(name, router);
  }

  /**
   * The provider and local model name for `model` (or the default model): an alias resolves
   * to its router. Throws `SluiceError` `not_found` (param `model`) for a provider that is
   * unknown or not configured, naming those that are, and for a model its provider says it
   * does not have.
   */
  resolve(model: string | undefined): ResolvedModel {
    const id = model || this.#defaultModel;
    const router = this.#aliases.get(id);
    if (router) return { provider: router, model: id, id, router };
    const slash = id.indexOf("/");
    const providerName = slash === -1 ? id : id.slice(0, slash);
    const local = slash === -1 ? "" : id.slice(slash + 1);
    const provider = this.#providers.get(providerName);
    if (!provider || local === "") {
      const configured = [
        ...[...this.#providers.keys()].map((name) => `${name}/…`),
        ...this.#aliases.keys(),
      ].join(", ");
      throw new SluiceError(
        "not_found",
        `Unknown model "${id}": models are named provider/model or an alias, and the configured ones are ${configured}.`,
        { param: "model" },
      );
    }
    if (provider.hasModel && !provider.hasModel(local)) {
      throw new SluiceError(
        "not_found",
        `Unknown model "${id}": ${provider.name} has no model "${local}" (see GET /v1/models).`,
        { param: "model" },
      );
    }
    return { provider, model: local, id: `${provider.name}/${local}` };
  }

  /**
   * Every model: the aliases first, then as `provider/model` the demo's always, and each
   * upstream's when its list can be fetched; an upstream that cannot list its models is named
   * in `unavailable` (and logged) instead of being left out silently. Throws the signal's
   * reason on abort.
   */
  async listModels(signal: AbortSignal): Promise<ModelList> {
    const providers = [...this.#providers.values()];
    const lists = await Promise.allSettled(
      providers.map((provider) => provider.listModels(signal)),
    );
    signal.throwIfAborted();
    const result: ModelList = { models: [...this.#aliases.keys()], unavailable: [] };
    lists.forEach((list, index) => {
      const provider = providers[index];
      if (provider === undefined) return;
      if (list.status === "fulfilled") {
        result.models.push(...list.value.map((model) => `${provider.name}/${model}`));
        return;
      }
      const reason: unknown = list.reason;
      const error =
        reason instanceof SluiceError
          ? { type: reason.type, message: reason.message }
          : { type: "unknown", message: "The provider's models could not be listed." };
      this.#logger?.warn(
        { provider: provider.name, host: provider.host, error: error.message },
        "could not list the provider's models",
      );
      result.unavailable.push({
        provider: provider.name,
        ...(provider.host ? { host: provider.host } : {}),
        error,
      });
    });
    return result;
  }
}
