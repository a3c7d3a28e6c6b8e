import type { OutgoingHttpHeaders } from "node:http";
import { planAnswer } from "./answer-plan.js";
import {
  type AnthropicAnswer,
  type AnthropicError,
  anthropicEventScript,
  anthropicMessageBody,
} from "./anthropic-frames.js";
import type { MockDialect, MockExchange } from "./mock-exchange.js";
import { sharedMockTokens } from "./mock-tokens.js";
import { playJsonAnswer } from "./play-json-answer.js";
import { randomId } from "./random-id.js";

function error(type: string, message: string): AnthropicError {
  return { type: "error", error: { type, message } };
}

const overloaded = error("overloaded_error", "Overloaded");
const apiError = error("api_error", "Internal server error");

/** Anthropic's usual error per HTTP status. */
const errors: Record<number, AnthropicError> = {
  400: error("invalid_request_error", "Invalid request."),
  401: error("authentication_error", "invalid x-api-key"),
  403: error(
    "permission_error",
    "Your API key does not have permission to use the specified resource.",
  ),
  404: error("not_found_error", "Not found."),
  413: error("request_too_large", "Request exceeds the maximum allowed number of bytes."),
  429: error("rate_limit_error", "Number of requests has exceeded your rate limit."),
  500: apiError,
  503: error("api_error", "Service unavailable."),
  529: overloaded,
};

function requestId(): string {
  return randomId("req_011C", 20);
}

function firstToolName(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  const name = (tools[0] as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}

/** Anthropic's Messages API (`POST /v1/messages`). */
export const anthropicDialect: MockDialect = {
  sendError(response, status, message, headers = {}) {
    const usual = errors[status] ?? apiError;
    const id = requestId();
    const body = JSON.stringify({
      ...usual,
      error: { ...usual.error, message: message ?? usual.error.message },
      request_id: id,
    });
    response.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "request-id": id,
      "x-request-id": id,
    });
    response.end(body);
  },

  answer(exchange: MockExchange) {
    const { body, knobs } = exchange;
    if (!Array.isArray(body.messages)) {
      return this.sendError(exchange.response, 400, "messages: Field required");
    }
    if (typeof body.max_tokens !== "number") {
      return this.sendError(exchange.response, 400, "max_tokens: Field required");
    }
    const toolName = knobs.tool ? firstToolName(body.tools) : undefined;
    const json = knobs.json || toolName !== undefined;
    const tokens = sharedMockTokens({
      tokens: knobs.tokens,
      seed: knobs.seed,
      json,
      markdown: knobs.markdown,
    });
    const plan = planAnswer(exchange, tokens.length, toolName ? undefined : body.max_tokens);
    const stopReasons = {
      complete: toolName ? "tool_use" : "end_turn",
      length: "max_tokens",
      content_filter: "refusal",
      error: undefined,
    } as const;
    const answer: AnthropicAnswer = {
      id: randomId("msg_01", 22),
      model: exchange.model,
      tokens,
      count: plan.count,
      toolUse: toolName ? { id: randomId("toolu_01", 22), name: toolName } : undefined,
      stopReason: stopReasons[plan.stop],
      inputTokens: exchange.promptTokens,
    };
    const id = requestId();
    const headers: OutgoingHttpHeaders = { "request-id": id, "x-request-id": id };
    const failed = plan.stop === "error";
    if (body.stream === true) {
      return exchange.play({
        headers: {
          ...headers,
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
        },
        script: anthropicEventScript(answer, failed ? overloaded : undefined),
        ending: plan.ending,
      });
    }
    // A non-streamed answer cannot fail half-way: its in-band error becomes a 529.
    const text = failed
      ? JSON.stringify({ ...overloaded, request_id: id })
      : anthropicMessageBody(answer);
    playJsonAnswer(exchange, plan, { status: failed ? 529 : 200, headers, text });
  },
};
