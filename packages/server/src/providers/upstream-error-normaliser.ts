import type { SluiceError } from "@sluice/protocol";
import type { ProviderLogger } from "./provider.js";
import { toSluiceError } from "./provider-error.js";

/**
 * The host (and port) of an upstream's base URL, so that messages and logs say which server
 * failed (`openai (127.0.0.1:11434)`). Never the path or query, which could carry a key.
 */
export function upstreamHost(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return "an invalid base URL";
  }
}

/**
 * The function a provider passes whatever its SDK threw to: {@link toSluiceError} for
 * `provider (host)` with `options.apiKey` scrubbed (so it rethrows an abort of `signal`), the result
 * logged at debug level to `options.logger`, if any.
 */
export function upstreamErrorNormaliser(
  provider: string,
  host: string,
  options: { apiKey: string; logger?: ProviderLogger | undefined },
): (error: unknown, signal: AbortSignal) => SluiceError {
  const { apiKey, logger } = options;
  const label = `${provider} (${host})`;
  return (error, signal) => {
    const normalised = toSluiceError(error, label, { apiKey, signal });
    logger?.debug(
      { provider: label, type: normalised.type, message: normalised.message },
      "upstream request failed",
    );
    return normalised;
  };
}
