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

/** Which providers exist; the demo provider always does. */
export interface ProviderRegistryConfig {
  openai?: UpstreamConfig;
  anthropic?: UpstreamConfig;
  /** The model of requests that name none (`DEFAULT_MODEL`). Default: see {@link ProviderRegistry}. */
  defaultModel?: string;
  demo?: DemoOptions;
  logger?: ProviderLogger;
}

/** A model name resolved to the provider that serves it. */
export interface ResolvedModel {
  provider: Provider;
  /** The provider's own name for the model (after the first `/`). */
  model: string;
  /** `provider/model`. */
  id: string;
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
  readonly #defaultModel: string;
  readonly #logger: ProviderLogger | undefined;

  constructor(config: ProviderRegistryConfig = {}) {
    const { openai, anthropic, logger } = config;
    this.#logger = logger;
    this.#providers.set("demo", new DemoProvider(config.demo));
    if (openai) this.#providers.set("openai", new OpenAIProvider({ ...openai, logger }));
    if (anthropic)
      this.#providers.set("anthropic", new AnthropicProvider({ ...anthropic, logger }));
    this.#defaultModel =
      config.defaultModel ||
      (openai ? DEFAULT_MODELS.openai : anthropic ? DEFAULT_MODELS.anthropic : DEFAULT_MODELS.demo);
  }

  /** The model used when a request names none. */
  get defaultModel(): string {
    return this.#defaultModel;
  }

  /**
   * The provider and local model name for `model` (or the default model). Throws
   * `SluiceError` `not_found` (param `model`) for a provider that is unknown or not
   * configured, naming those that are.
   */
  resolve(model: string | undefined): ResolvedModel {
    const id = model || this.#defaultModel;
    const slash = id.indexOf("/");
    const providerName = slash === -1 ? id : id.slice(0, slash);
    const local = slash === -1 ? "" : id.slice(slash + 1);
    const provider = this.#providers.get(providerName);
    if (!provider || local === "") {
      const configured = [...this.#providers.keys()].map((name) => `${name}/…`).join(", ");
      throw new SluiceError(
        "not_found",
        `Unknown model "${id}": models are named provider/model, and the configured providers are ${configured}.`,
        { param: "model" },
      );
    }
    return { provider, model: local, id: `${provider.name}/${local}` };
  }

  /**
   * Every model as `provider/model`: the demo's always, each upstream's when its list can
   * be fetched (failures are logged and left out). Throws the signal's reason on abort.
   */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const providers = [...this.#providers.values()];
    const lists = await Promise.allSettled(
      providers.map((provider) => provider.listModels(signal)),
    );
    signal.throwIfAborted();
    return lists.flatMap((list, index) => {
      const provider = providers[index];
      if (provider === undefined) return [];
      if (list.status === "fulfilled")
        return list.value.map((model) => `${provider.name}/${model}`);
      const reason: unknown = list.reason;
      this.#logger?.warn(
        { provider: provider.name, error: reason instanceof Error ? reason.message : reason },
        "could not list the provider's models",
      );
      return [];
    });
  }
}
