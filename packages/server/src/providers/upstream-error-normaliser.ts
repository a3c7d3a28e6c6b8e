import type { SluiceError } from "@sluice/protocol";
import type { ProviderLogger } from "./provider.js";
import { toSluiceError } from "./provider-error.js";

/**
 * The function a provider passes whatever its SDK threw to: {@link toSluiceError} for
 * `provider` with `options.apiKey` scrubbed (so it rethrows an abort of `signal`), the result
 * logged at debug level to `options.logger`, if any.
 */
export function upstreamErrorNormaliser(
  provider: string,
  options: { apiKey: string; logger?: ProviderLogger | undefined },
): (error: unknown, signal: AbortSignal) => SluiceError {
  const { apiKey, logger } = options;
  return (error, signal) => {
    const normalised = toSluiceError(error, provider, { apiKey, signal });
    logger?.debug(
      { provider, type: normalised.type, message: normalised.message },
      "upstream request failed",
    );
    return normalised;
  };
}
