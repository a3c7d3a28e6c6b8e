import type { RoutingStrategy } from "./routing-file.js";

/** A provider instance from the file, with its key read from the environment. */
export interface ProviderInstance {
  name: string;
  type: "openai" | "anthropic";
  apiKey: string;
  baseURL?: string | undefined;
}

/** A model alias, its targets flattened to `provider/model` names. */
export interface ModelAlias {
  name: string;
  targets: string[];
  strategy: RoutingStrategy;
  continueOnFailure: boolean;
  failureThreshold: number;
  cooldownMs: number;
}

/** What `SLUICE_CONFIG` adds to the environment's configuration. */
export interface RoutingSettings {
  /** The file it came from, for messages. */
  file: string;
  providers: ProviderInstance[];
  aliases: ModelAlias[];
}
