import { readSse, SluiceError, type ToolCallEvent } from "@sluice/protocol";
import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type {
  Provider,
  ProviderEvent,
  ProviderFinishReason,
  ProviderLogger,
  ProviderRequest,
} from "./provider.js";
import { upstreamErrorNormaliser, upstreamHost } from "./upstream-error-normaliser.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";

/** How to reach an OpenAI-compatible Chat Completions API. */
export interface OpenAIProviderOptions {
  apiKey: string;
  /** The prefix of its model names. Default `openai`; a named instance from `SLUICE_CONFIG` has its own. */
  name?: string;
  /** Default: the SDK's, `https://api.openai.com/v1` (or `OPENAI_BASE_URL`). */
  baseURL?: string;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: typeof fetch;
  logger?: ProviderLogger;
}

type ChunkChoice = ChatCompletionChunk.Choice;

const FINISH_REASONS: Record<ChunkChoice["finish_reason"] & string, ProviderFinishReason> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
};

/**
 * The provider for any server that speaks OpenAI's Chat Completions API (OpenAI, Ollama,
 * vLLM, llama.cpp, ...). Every field of the request passes through; the SDK never retries,
 * since Sluice retries and times out by itself.
 */
export class OpenAIProvider implements Provider {
  readonly name: string;
  readonly #client: OpenAI;
  readonly host: string;
  readonly #normalise: (error: unknown, signal: AbortSignal) => SluiceError;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? "openai";
    this.host = upstreamHost(options.baseURL ?? "https://api.openai.com/v1");
    this.#normalise = upstreamErrorNormaliser(this.name, this.host, options);
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      fetch: options.fetch,
      ...UPSTREAM_SDK_OPTIONS,
    });
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const models: string[] = [];
      for await (const model of this.#client.models.list({ signal })) {
        models.push(model.id);
      }
      return models;
    } catch (error) {
      throw this.#normalise(error, signal);
    }
  }

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const body = {
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    } as ChatCompletionCreateParamsStreaming;
    let finish: ProviderFinishReason | undefined;
    let usage: ProviderEvent | undefined;
    try {
      // The SDK builds and sends the request and turns HTTP errors into its error classes; the
      // body is parsed here, because its own SSE iterator costs several times more per token.
      const response = await this.#client.chat.completions.create(body, { signal }).asResponse();
      if (!response.body) throw new SluiceError("network_error", "The openai stream has no body.");
      for await (const message of readSse(response.body)) {
        if (message.data === "[DONE]") break;
        const chunk = JSON.parse(message.data) as ChatCompletionChunk & { error?: object };
        // As the SDK's own iterator does: an in-band error is an APIError without a status.
        if (chunk.error) {
          throw new OpenAI.APIError(undefined, chunk.error, undefined, response.headers);
        }
        // Chunks already buffered keep coming after an abort; none may reach the caller.
        if (signal.aborted) break;
        if (chunk.usage) {
          usage = {
            type: "usage",
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
        const choice = chunk.choices[0];
        if (choice === undefined) continue;
        // Some compatible servers send choices without a delta (e.g. filter results).
        const { content, refusal, tool_calls: toolCalls } = choice.delta ?? {};
        if (content) yield { type: "text", text: content };
        // A refusal is what the user should read in place of an answer.
        if (refusal) yield { type: "text", text: refusal };
        if (toolCalls) yield* toolCallEvents(toolCalls);
        if (choice.finish_reason) finish = FINISH_REASONS[choice.finish_reason] ?? "stop";
      }
    } catch (error) {
      throw this.#normalise(error, signal);
    }
    // The SDK ends quietly when the signal fires mid-stream.
    signal.throwIfAborted();
    if (finish === undefined) {
      throw new SluiceError("network_error", "The stream from openai ended before it finished.");
    }
    if (usage) yield usage;
    yield { type: "finish", reason: finish };
  }
}

function* toolCallEvents(
  toolCalls: ChatCompletionChunk.Choice.Delta.ToolCall[],
): Generator<ProviderEvent, void, undefined> {
  for (const call of toolCalls) {
    const event: ToolCallEvent = { type: "tool_call", index: call.index };
    if (call.id) event.id = call.id;
    if (call.function?.name) event.name = call.function.name;
    if (call.function?.arguments) event.arguments = call.function.arguments;
    yield event;
  }
}
