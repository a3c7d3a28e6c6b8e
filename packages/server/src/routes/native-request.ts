import { createHash } from "node:crypto";
import type { ChatRequest, OpenAIChatMessage } from "@sluice/protocol";
import type { ProviderRequest } from "../providers/provider.js";
import type { StartStreamOptions } from "../streams/stream-service.js";

/** The native request in the providers' lingua franca (OpenAI's shape), without the model. */
function nativeToProviderRequest(request: ChatRequest): Omit<ProviderRequest, "model"> {
  const messages: OpenAIChatMessage[] = [];
  if (request.system_prompt !== undefined) {
    messages.push({ role: "system", content: request.system_prompt });
  }
  if (request.messages) messages.push(...request.messages);
  if (request.message !== undefined) messages.push({ role: "user", content: request.message });
  return {
    messages,
    ...(request.max_tokens === undefined ? {} : { max_tokens: request.max_tokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.response_format === undefined ? {} : { response_format: request.response_format }),
  };
}

/** How a native request starts a run: its model, provider request and stream shaping. */
export function nativeStartOptions(
  owner: string,
  request: ChatRequest,
  graceMs: number,
): StartStreamOptions {
  return {
    owner,
    model: request.model,
    request: nativeToProviderRequest(request),
    graceMs,
    smooth: request.smooth,
    responseFormat: request.response_format,
  };
}

/**
 * The fingerprint under which an identical request (same owner, same body but `resume_from`)
 * finds its stream again.
 */
export function requestKey(owner: string, request: ChatRequest): string {
  const { resume_from: _ignored, ...rest } = request;
  return createHash("sha256")
    .update(owner)
    .update("\n")
    .update(JSON.stringify(rest))
    .digest("base64url");
}
