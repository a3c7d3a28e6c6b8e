import Anthropic from "@anthropic-ai/sdk";
import type { RawMessageStreamEvent, StopReason } from "@anthropic-ai/sdk/resources/messages";
import { type EventSourceMessage, SluiceError } from "@sluice/protocol";
import type { ProviderEmit, ProviderFinishReason } from "./provider.js";
import { findTextMember, TextDeltaTemplate } from "./text-delta-template.js";

const textKey = '"text"';

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
 * Turns the SSE messages of one streamed Anthropic message into provider events, pushed to
 * `emit` as each is read: text, tool-call deltas numbered in call order, and at the end one
 * `usage` and one `finish`. Messages are read as the SDK's iterator reads them: those without
 * an event name and `ping`s are skipped, and an `error` event is thrown as the SDK's `APIError`
 * without a status (e.g. `overloaded_error`), for the same classification.
 */
export class AnthropicEventReader {
  readonly #emit: ProviderEmit;
  #completionTokens = 0;
  #finish: ProviderFinishReason = "stop";
  /** Content-block index → tool-call index (OpenAI numbers calls, not blocks). */
  readonly #toolCalls = new Map<number, number>();
  #inputTokens = 0;
  #cacheCreationTokens = 0;
  #cacheReadTokens = 0;
  /** Most events are text deltas of one shape: read without building their object graph. */
  readonly #textDelta = new TextDeltaTemplate();
  /** `message_stop` came: the message is complete and nothing after it is read. */
  done = false;

  constructor(emit: ProviderEmit) {
    this.#emit = emit;
  }

  /** Reads one message; throws the upstream's in-band error. */
  message(message: EventSourceMessage): void {
    const name = message.event;
    if (name === undefined || name === "ping" || this.done) return;
    const { data } = message;
    if (name === "content_block_delta") {
      const text = this.#textDelta.read(data);
      if (text !== undefined) {
        if (text) this.#emit({ type: "text", text });
        return;
      }
    }
    if (name === "error") throw this.#inBandError(data);
    if (data) this.#apply(JSON.parse(data) as RawMessageStreamEvent, data);
  }

  /** The body ended: emits usage and finish, or throws when the stream stopped short. */
  end(): void {
    if (!this.done) {
      throw new SluiceError("network_error", "The stream from anthropic ended before it finished.");
    }
    this.#emit({
      type: "usage",
      promptTokens: this.#inputTokens + this.#cacheCreationTokens + this.#cacheReadTokens,
      completionTokens: this.#completionTokens,
    });
    this.#emit({ type: "finish", reason: this.#finish });
  }

  #apply(event: RawMessageStreamEvent, data: string): void {
    switch (event.type) {
      case "message_start":
        this.#countInput(event.message.usage);
        this.#completionTokens = event.message.usage.output_tokens;
        return;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type !== "tool_use") return;
        const index = this.#toolCalls.size;
        this.#toolCalls.set(event.index, index);
        this.#emit({ type: "tool_call", index, id: block.id, name: block.name });
        return;
      }
      case "content_block_delta": {
        const { delta } = event;
        if (delta.type === "text_delta") {
          if (typeof delta.text === "string") this.#learn(data, delta.text);
          if (delta.text) this.#emit({ type: "text", text: delta.text });
          return;
        }
        const index = this.#toolCalls.get(event.index);
        if (delta.type === "input_json_delta" && index !== undefined && delta.partial_json) {
          this.#emit({ type: "tool_call", index, arguments: delta.partial_json });
        }
        return;
      }
      case "message_delta":
        // Output tokens are cumulative; input tokens come again when the API revises them.
        this.#countInput(event.usage);
        this.#completionTokens = event.usage.output_tokens;
        if (event.delta.stop_reason) {
          this.#finish = FINISH_REASONS[event.delta.stop_reason] ?? "stop";
        }
        return;
      case "message_stop":
        this.done = true;
        return;
      default:
        return;
    }
  }

  /**
   * Keeps a text delta's `data` as the template when its `text` string is its only member of
   * that name (`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":…}}`).
   */
  #learn(data: string, text: string): void {
    const span = findTextMember(data, textKey, text);
    if (span !== undefined) this.#textDelta.learn(data, span);
  }

  #countInput(usage: InputUsage): void {
    // Like OpenAI's `prompt_tokens`, cached input is counted with the rest.
    this.#inputTokens = usage.input_tokens ?? this.#inputTokens;
    this.#cacheCreationTokens = usage.cache_creation_input_tokens ?? this.#cacheCreationTokens;
    this.#cacheReadTokens = usage.cache_read_input_tokens ?? this.#cacheReadTokens;
  }

  /**
   * As the SDK's iterator builds it (the body as JSON, else its text, and the error's type),
   * without the 200 response's headers, as for OpenAI: they hold no `retry-after`, and keeping
   * them would cost every open stream their memory.
   */
  #inBandError(data: string): InstanceType<typeof Anthropic.APIError> {
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      body = undefined;
    }
    body ??= data;
    const type = (body as { error?: { type?: unknown } } | null)?.error?.type;
    return new Anthropic.APIError(
      undefined,
      body as object,
      undefined,
      undefined,
      typeof type === "string" ? (type as Anthropic.ErrorType) : undefined,
    );
  }
}

interface InputUsage {
  input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}
