import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Authenticator } from "../http/authenticate.js";
import type { Heartbeat } from "../http/heartbeat.js";
import type { StreamTokens } from "../http/stream-tokens.js";
import type { Metrics } from "../metrics.js";
import type { ProviderRegistry } from "../providers/provider-registry.js";
import type { ModelRouting } from "../routing/model-routing.js";
import type { StreamService } from "../streams/stream-service.js";
import type { StreamStore } from "../streams/stream-store.js";

/** What the routes share; they stay thin and leave the work to these. */
export interface RouteContext {
  config: Config;
  logger: Logger;
  streams: StreamService;
  store: StreamStore;
  providers: ProviderRegistry;
  auth: Authenticator;
  tokens: StreamTokens;
  heartbeat: Heartbeat;
  metrics: Metrics;
  /** The model aliases of `SLUICE_CONFIG`, when there is one. */
  routing?: ModelRouting | undefined;
}
