import type { DoneEvent, LogEvent, ToolCallEvent } from "@sluice/protocol";

/** A tool call being assembled from its fragments. */
interface PendingCall {
  id: string;
  name: string;
  input: string;
}

const finishReasons = {
  stop: "stop",
  length: "length",
  content_filter: "content-filter",
} as const;

/** The last frame of every UI message stream, as `ai`'s own `JsonToSseTransformStream` ends. */
export const uiStreamEnd = "data: [DONE]\n\n";

/** A chunk of the UI message stream as one SSE `data:` message. */
function frame(chunk: object): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * Encodes one response's UI message stream (`ai` 6, protocol `v1`) from log events. A reader
 * needs its own, as text parts and tool calls open and close along the stream; replaying the
 * log from its start yields the same chunks, ids included. A token costs one JSON string
 * escape: the text part's frame head is built when the part opens.
 */
export class UiMessageChunks {
  #textParts = 0;
  /** `data: {"type":"text-delta","id":...,"delta":` while a text part is open. */
  #deltaHead: string | undefined;
  #textId = "";
  readonly #calls: PendingCall[] = [];

  /** The chunks before any event: the message (with its id) and its one step. */
  start(messageId: string): string {
    return frame({ type: "start", messageId }) + frame({ type: "start-step" });
  }

  /** The chunks for one log event; the terminal event's include the `[DONE]` frame. */
  encode(event: LogEvent): string {
    switch (event.type) {
      case "token":
        if (this.#deltaHead === undefined) return this.#openText() + this.#delta(event.content);
        return this.#delta(event.content);
      case "tool_call":
        return this.#toolCall(event);
      case "status":
        // Transient: `useChat` hands it to `onData` and keeps it out of the message.
        return frame({
          type: "data-sluice-status",
          data: { message: event.message },
          transient: true,
        });
      case "json":
        // The text deltas carry the JSON itself; the parsed value is for native readers.
        return "";
      case "done":
        return this.#done(event);
      case "error":
        return `${this.#closeText()}${frame({ type: "error", errorText: event.message })}${uiStreamEnd}`;
    }
  }

  #openText(): string {
    this.#textId = `text-${this.#textParts++}`;
    this.#deltaHead = `data: {"type":"text-delta","id":"${this.#textId}","delta":`;
    return frame({ type: "text-start", id: this.#textId });
  }

  #delta(text: string): string {
    return `${this.#deltaHead}${JSON.stringify(text)}}\n\n`;
  }

  #closeText(): string {
    if (this.#deltaHead === undefined) return "";
    this.#deltaHead = undefined;
    return frame({ type: "text-end", id: this.#textId });
  }

  #toolCall(event: ToolCallEvent): string {
    let chunks = "";
    let call = this.#calls[event.index];
    if (!call) {
      call = { id: event.id ?? `call-${event.index}`, name: event.name ?? "", input: "" };
      this.#calls[event.index] = call;
      chunks += this.#closeText();
      chunks += frame({ type: "tool-input-start", toolCallId: call.id, toolName: call.name });
    }
    if (event.arguments) {
      call.input += event.arguments;
      chunks += frame({
        type: "tool-input-delta",
        toolCallId: call.id,
        inputTextDelta: event.arguments,
      });
    }
    return chunks;
  }

  /** Every call's whole input, parsed, or an input error when it is not JSON. */
  #toolInputs(): string {
    let chunks = "";
    for (const call of this.#calls) {
      if (!call) continue;
      const base = { toolCallId: call.id, toolName: call.name };
      try {
        const input: unknown = call.input.trim() === "" ? {} : JSON.parse(call.input);
        chunks += frame({ type: "tool-input-available", ...base, input });
      } catch {
        chunks += frame({
          type: "tool-input-error",
          ...base,
          input: call.input,
          errorText: "The model's tool input is not valid JSON.",
        });
      }
    }
    return chunks;
  }

  #done(event: DoneEvent): string {
    const ending = `${this.#closeText()}${this.#toolInputs()}${frame({ type: "finish-step" })}`;
    const messageMetadata = {
      ...(event.model === undefined ? {} : { model: event.model }),
      usage: {
        inputTokens: event.usage.prompt_tokens,
        outputTokens: event.usage.completion_tokens,
        totalTokens: event.usage.total_tokens,
        ...(event.usage.estimated ? { estimated: true } : {}),
      },
      ttftMs: event.ttft_ms,
      elapsedSeconds: event.elapsed_seconds,
      tokensPerSecond: event.tokens_per_second,
    };
    if (event.finish_reason === "cancelled") {
      return `${ending}${frame({ type: "message-metadata", messageMetadata })}${frame({ type: "abort", reason: "cancelled" })}${uiStreamEnd}`;
    }
    const finishReason =
      event.finish_reason === "stop" && this.#calls.length > 0
        ? "tool-calls"
        : finishReasons[event.finish_reason];
    return `${ending}${frame({ type: "finish", finishReason, messageMetadata })}${uiStreamEnd}`;
  }
}
