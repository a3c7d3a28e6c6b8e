import type { ProviderRequest } from "../providers/provider.js";

/**
 * The request that asks another target to continue an answer cut short: the original
 * messages plus the partial answer as a trailing `assistant` message, which Anthropic treats
 * as a prefill to continue, and OpenAI-compatible servers receive in the same shape. Anthropic
 * refuses a prefill that ends in whitespace, so `trimEnd` trims it for Anthropic targets.
 */
export function continuationRequest(
  request: ProviderRequest,
  partial: string,
  trimEnd: boolean,
): ProviderRequest {
  const content = trimEnd ? partial.trimEnd() : partial;
  return { ...request, messages: [...request.messages, { role: "assistant", content }] };
}
