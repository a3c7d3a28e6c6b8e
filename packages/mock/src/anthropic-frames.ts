import type { PacedScript } from "./token-pacer.js";

/** What an Anthropic message carries besides the tokens. */
export interface AnthropicAnswer {
  id: string;
  model: string;
  /** Text tokens, or the pieces of a tool call's input JSON. */
  tokens: readonly string[];
  /** Tokens to send; fewer than `tokens.length` when the answer is cut. */
  count: number;
  toolUse: { id: string; name: string } | undefined;
  stopReason: "end_turn" | "max_tokens" | "tool_use" | "refusal" | undefined;
  inputTokens: number;
}

/** An Anthropic error object (`type` e.g. `overloaded_error`). */
export interface AnthropicError {
  type: "error";
  error: { type: string; message: string };
}

function usage(answer: AnthropicAnswer, outputTokens: number) {
  return {
    input_tokens: answer.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

/**
 * The events of a streamed message, as Anthropic frames them: `event:` and `data:` lines
 * and a blank line; `message_start`, `content_block_start`, a `ping`, the deltas,
 * `content_block_stop`, `message_delta`, `message_stop`; or, when `inBandError` is given,
 * an `error` event after the deltas instead.
 */
export function anthropicEventScript(
  answer: AnthropicAnswer,
  inBandError?: AnthropicError,
): PacedScript {
  const { toolUse } = answer;
  const message = {
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: usage(answer, 1),
  };
  const block = toolUse
    ? `{"type":"tool_use","id":"${toolUse.id}","name":${JSON.stringify(toolUse.name)},"input":{}}`
    : `{"type":"text","text":""}`;
  const deltaHead = `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":${
    toolUse ? `{"type":"input_json_delta","partial_json":` : `{"type":"text_delta","text":`
  }`;
  const ping = event("ping", `{"type": "ping"}`);
  return {
    count: answer.count,
    ping,
    opening: () =>
      event("message_start", JSON.stringify({ type: "message_start", message })) +
      event(
        "content_block_start",
        `{"type":"content_block_start","index":0,"content_block":${block}}`,
      ) +
      ping +
      (toolUse ? `${deltaHead}""}}\n\n` : ""),
    token: (index) => `${deltaHead}${JSON.stringify(answer.tokens[index])}}}\n\n`,
    closing: () => {
      if (inBandError) return event("error", JSON.stringify(inBandError));
      const delta = {
        type: "message_delta",
        delta: { stop_reason: answer.stopReason, stop_sequence: null },
        usage: { output_tokens: answer.count },
      };
      return (
        event("content_block_stop", `{"type":"content_block_stop","index":0}`) +
        event("message_delta", JSON.stringify(delta)) +
        event("message_stop", `{"type":"message_stop"}`)
      );
    },
  };
}

function toolInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A cut answer holds part of the JSON; the real API would not send a tool call then.
    return {};
  }
}

/** A non-streamed message, as Anthropic sends it. */
export function anthropicMessageBody(answer: AnthropicAnswer): string {
  const text = answer.tokens.slice(0, answer.count).join("");
  const { toolUse } = answer;
  const content = toolUse
    ? [{ type: "tool_use", id: toolUse.id, name: toolUse.name, input: toolInput(text) }]
    : [{ type: "text", text }];
  return JSON.stringify({
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content,
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: usage(answer, answer.count),
  });
}
