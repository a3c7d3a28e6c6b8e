import { type EventSourceMessage, SluiceError, type ToolCallEvent } from "@sluice/protocol";
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { OpenAITextDelta, type ParsedChunk } from "./openai-text-delta.js";
import type { ProviderEmit, ProviderEvent, ProviderFinishReason } from "./provider.js";

type ChunkChoice = ChatCompletionChunk.Choice;

const FINISH_REASONS: Record<ChunkChoice["finish_reason"] & string, ProviderFinishReason> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
};

/**
 * Turns the SSE messages of one Chat Completions stream into provider events, pushed to `emit`
 * as each message is read: text (refusals too), tool-call fragments, and at the end one
 * `usage` (when the upstream reported it) and one `finish`. An in-band error is thrown as the
 * SDK's own iterator would (an `APIError` without a status), for the same classification.
 */
export class OpenAIChunkReader {
  readonly #emit: ProviderEmit;
  readonly #headers: Headers | undefined;
  #finish: ProviderFinishReason | undefined;
  #usage: ProviderEvent | undefined;
  /** Most chunks are text deltas of one shape: read without building their object graph. */
  readonly #textDelta = new OpenAITextDelta();
  /** `[DONE]` came: whatever follows is not part of the answer. */
  done = false;

  constructor(emit: ProviderEmit, headers?: Headers) {
    this.#emit = emit;
    this.#headers = headers;
  }

  /** Reads one message; throws the upstream's in-band error. */
  message(message: EventSourceMessage): void {
    if (this.done) return;
    if (message.data === "[DONE]") {
      this.done = true;
      return;
    }
    const text = this.#textDelta.read(message.data);
    if (text !== undefined) {
      if (text) this.#emit({ type: "text", text });
      return;
    }
    const chunk = JSON.parse(message.data) as ParsedChunk;
    this.#textDelta.learn(message.data, chunk);
    if (chunk.error) throw new OpenAI.APIError(undefined, chunk.error, undefined, this.#headers);
    if (chunk.usage) {
      this.#usage = {
        type: "usage",
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
      };
    }
    const choice = chunk.choices?.[0];
    if (choice === undefined) return;
    // Some compatible servers send choices without a delta (e.g. filter results).
    const delta = choice.delta;
    if (delta) {
      if (delta.content) this.#emit({ type: "text", text: delta.content });
      // A refusal is what the user should read in place of an answer.
      if (delta.refusal) this.#emit({ type: "text", text: delta.refusal });
      if (delta.tool_calls) for (const call of delta.tool_calls) this.#emit(toolCallEvent(call));
    }
    if (choice.finish_reason) this.#finish = FINISH_REASONS[choice.finish_reason] ?? "stop";
  }

  /** The body ended: emits usage and finish, or throws when the stream stopped short. */
  end(): void {
    if (this.#finish === undefined) {
      throw new SluiceError("network_error", "The stream from openai ended before it finished.");
    }
    if (this.#usage) this.#emit(this.#usage);
    this.#emit({ type: "finish", reason: this.#finish });
  }
}

function toolCallEvent(call: ChatCompletionChunk.Choice.Delta.ToolCall): ToolCallEvent {
  const event: ToolCallEvent = { type: "tool_call", index: call.index };
  if (call.id) event.id = call.id;
  if (call.function?.name) event.name = call.function.name;
  if (call.function?.arguments) event.arguments = call.function.arguments;
  return event;
}
