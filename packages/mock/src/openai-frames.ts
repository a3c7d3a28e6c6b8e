import type { PacedScript } from "./token-pacer.js";

/** What an OpenAI chat completion's chunks carry besides the tokens. */
export interface OpenAIAnswer {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  /** Text tokens, or the pieces of a tool call's arguments. */
  tokens: readonly string[];
  /** Tokens to send; fewer than `tokens.length` when the answer is cut. */
  count: number;
  toolCall: { id: string; name: string } | undefined;
  finishReason: "stop" | "length" | "tool_calls" | "content_filter" | undefined;
  /** Usage to report; undefined when none was asked for. */
  usage: OpenAIUsage | undefined;
  /** Whether every chunk carries `"usage":null` (the request set `include_usage`). */
  usageField: boolean;
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/** OpenAI's usage object for this many tokens. */
export function openAIUsage(promptTokens: number, completionTokens: number): OpenAIUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** An OpenAI error object. */
export interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The body of an OpenAI error response, pretty-printed as the API sends it. */
export function openAIErrorBody(error: OpenAIError): string {
  return `${JSON.stringify(error, null, 4)}\n`;
}

/**
 * The chunks of a streamed chat completion, as OpenAI frames them: one `data:` line per
 * chunk, a blank line after each, and `data: [DONE]` at the end; or, when `inBandError` is
 * given, that error frame instead of the end. The parts shared by every chunk are built once.
 */
export function openAIChunkScript(answer: OpenAIAnswer, inBandError?: OpenAIError): PacedScript {
  const head =
    `data: {"id":"${answer.id}","object":"chat.completion.chunk","created":${answer.created},` +
    `"model":${JSON.stringify(answer.model)},"service_tier":"default",` +
    `"system_fingerprint":"${answer.systemFingerprint}","choices":[`;
  const tail = `]${answer.usageField ? ',"usage":null' : ""}}\n\n`;
  const choice = (delta: string, finishReason: string) =>
    `${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason}}${tail}`;
  const { toolCall } = answer;
  const opening = toolCall
    ? `{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"${toolCall.id}",` +
      `"type":"function","function":{"name":${JSON.stringify(toolCall.name)},"arguments":""}}],` +
      `"refusal":null}`
    : `{"role":"assistant","content":"","refusal":null}`;
  const tokenHead = toolCall
    ? `${head}{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":`
    : `${head}{"index":0,"delta":{"content":`;
  const tokenTail = `${toolCall ? "}}]" : ""}},"logprobs":null,"finish_reason":null}${tail}`;
  return {
    count: answer.count,
    ping: "",
    opening: () => choice(opening, "null"),
    token: (index) => tokenHead + JSON.stringify(answer.tokens[index]) + tokenTail,
    closing: () => {
      if (inBandError) return `data: ${JSON.stringify(inBandError)}\n\n`;
      let closing = choice("{}", `"${answer.finishReason}"`);
      if (answer.usage) {
        closing += `${head}],"usage":${JSON.stringify(answer.usage)}}\n\n`;
      }
      return `${closing}data: [DONE]\n\n`;
    },
  };
}

/** A non-streamed chat completion, pretty-printed as OpenAI sends it. */
export function openAICompletionBody(answer: OpenAIAnswer): string {
  const text = answer.tokens.slice(0, answer.count).join("");
  const { toolCall } = answer;
  const message = toolCall
    ? {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: toolCall.id, type: "function", function: { name: toolCall.name, arguments: text } },
        ],
        refusal: null,
        annotations: [],
      }
    : { role: "assistant", content: text, refusal: null, annotations: [] };
  const completion = {
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: answer.usage,
    service_tier: "default",
    system_fingerprint: answer.systemFingerprint,
  };
  return JSON.stringify(completion, null, 2);
}
