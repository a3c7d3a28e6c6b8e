import Anthropic from "@anthropic-ai/sdk";
import type { RawMessageStreamEvent, StopReason } from "@anthropic-ai/sdk/resources/messages";
import { SluiceError } from "@sluice/protocol";
import type {
  Provider,
  ProviderEmit,
  ProviderEvent,
  ProviderFinishReason,
  ProviderLogger,
  ProviderRequest,
} from "./provider.js";
import { toAnthropicRequest } from "./to-anthropic-request.js";
import { upstreamErrorNormaliser, upstreamHost } from "./upstream-error-normaliser.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";

/** How to reach Anthropic's Messages API. */
export interface AnthropicProviderOptions {
  apiKey: string;
  /** The prefix of its model names. Default `anthropic`; a named instance from `SLUICE_CONFIG` has its own. */
  name?: string;
  /** Default: the SDK's, `https://api.anthropic.com` (or `ANTHROPIC_BASE_URL`). */
  baseURL?: string;
  logger?: ProviderLogger;
}

const FINISH_REASONS: Partial<Record<StopReason, ProviderFinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/**
 * The provider for Anthropic's Messages API: translates the OpenAI-shaped request with
 * {@link toAnthropicRequest} and Anthropic's stream events back into provider events (text,
 * tool-call deltas numbered in call order, one `usage`, one `finish`). In-band `error` events
 * (e.g. `overloaded_error`) are thrown as retryable `api_error`s. The SDK never retries.
 */
export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly #client: Anthropic;
  readonly host: string;
  readonly #normalise: (error: unknown, signal: AbortSignal) => SluiceError;

  constructor(options: AnthropicProviderOptions) {
    this.name = options.name ?? "anthropic";
    this.host = upstreamHost(options.baseURL ?? "https://api.anthropic.com");
    this.#normalise = upstreamErrorNormaliser(this.name, this.host, options);
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      ...UPSTREAM_SDK_OPTIONS,
    });
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const models: string[] = [];
      for await (const model of this.#client.models.list({}, { signal })) {
        models.push(model.id);
      }
      return models;
    } catch (error) {
      throw this.#normalise(error, signal);
    }
  }

  async stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    const body = { ...toAnthropicRequest(request), stream: true as const };
    const state = new MessageState();
    try {
      const events = await this.#client.messages.create(body, { signal });
      for await (const event of events) {
        // Chunks already buffered keep coming after an abort; none may reach the caller.
        if (signal.aborted) break;
        const providerEvent = state.apply(event);
        if (providerEvent) emit(providerEvent);
      }
    } catch (error) {
      throw this.#normalise(error, signal);
    }
    // The SDK ends quietly when the signal fires mid-stream.
    signal.throwIfAborted();
    if (!state.stopped) {
      throw new SluiceError("network_error", "The stream from anthropic ended before it finished.");
    }
    emit({
      type: "usage",
      promptTokens: state.promptTokens,
      completionTokens: state.completionTokens,
    });
    emit({ type: "finish", reason: state.finish });
  }
}

/** What one streamed message has said so far: usage, stop reason, tool-call numbering. */
class MessageState {
  completionTokens = 0;
  finish: ProviderFinishReason = "stop";
  stopped = false;
  /** Content-block index → tool-call index (OpenAI numbers calls, not blocks). */
  readonly #toolCalls = new Map<number, number>();
  #inputTokens = 0;
  #cacheCreationTokens = 0;
  #cacheReadTokens = 0;

  /** Like OpenAI's `prompt_tokens`, cached input included. */
  get promptTokens(): number {
    return this.#inputTokens + this.#cacheCreationTokens + this.#cacheReadTokens;
  }

  apply(event: RawMessageStreamEvent): ProviderEvent | undefined {
    switch (event.type) {
      case "message_start":
        this.#countInput(event.message.usage);
        this.completionTokens = event.message.usage.output_tokens;
        return undefined;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type !== "tool_use") return undefined;
        const index = this.#toolCalls.size;
        this.#toolCalls.set(event.index, index);
        return { type: "tool_call", index, id: block.id, name: block.name };
      }
      case "content_block_delta": {
        const { delta } = event;
        if (delta.type === "text_delta") {
          return delta.text ? { type: "text", text: delta.text } : undefined;
        }
        const index = this.#toolCalls.get(event.index);
        if (delta.type === "input_json_delta" && index !== undefined && delta.partial_json) {
          return { type: "tool_call", index, arguments: delta.partial_json };
        }
        return undefined;
      }
      case "message_delta": {
        // Output tokens are cumulative; input tokens come again when the API revises them.
        this.#countInput(event.usage);
        this.completionTokens = event.usage.output_tokens;
        if (event.delta.stop_reason) {
          this.finish = FINISH_REASONS[event.delta.stop_reason] ?? "stop";
        }
        return undefined;
      }
      case "message_stop":
        this.stopped = true;
        return undefined;
      default:
        return undefined;
    }
  }

  #countInput(usage: InputUsage): void {
    this.#inputTokens = usage.input_tokens ?? this.#inputTokens;
    this.#cacheCreationTokens = usage.cache_creation_input_tokens ?? this.#cacheCreationTokens;
    this.#cacheReadTokens = usage.cache_read_input_tokens ?? this.#cacheReadTokens;
  }
}

interface InputUsage {
  input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}
