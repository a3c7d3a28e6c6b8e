import type { OutgoingHttpHeaders } from "node:http";
import { planAnswer } from "./answer-plan.js";
import type { MockDialect, MockExchange } from "./mock-exchange.js";
import { sharedMockTokens } from "./mock-tokens.js";
import {
  type OpenAIAnswer,
  type OpenAIError,
  openAIChunkScript,
  openAICompletionBody,
  openAIErrorBody,
  openAIUsage,
} from "./openai-frames.js";
import { playJsonAnswer } from "./play-json-answer.js";
import { randomId } from "./random-id.js";

function error(message: string, type: string, code: string | null = null): OpenAIError {
  return { error: { message, type, param: null, code } };
}

const serverError = error(
  "The server had an error while processing your request. Sorry about that!",
  "server_error",
);
const overloaded = error("The server is overloaded or not ready yet.", "server_error");

/** OpenAI's usual error per HTTP status. */
const errors: Record<number, OpenAIError> = {
  400: error("Invalid request.", "invalid_request_error"),
  401: error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
  403: error("You are not allowed to access this model.", "invalid_request_error", "forbidden"),
  404: error("Not found.", "invalid_request_error"),
  413: error("The request is too large.", "invalid_request_error"),
  429: error(
    "Rate limit reached for requests. Please try again later.",
    "requests",
    "rate_limit_exceeded",
  ),
  500: serverError,
  503: overloaded,
  529: overloaded,
};

function firstToolName(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  const name = (tools[0] as { function?: { name?: unknown } } | undefined)?.function?.name;
  return typeof name === "string" ? name : undefined;
}

function asksForJson(responseFormat: unknown): boolean {
  const type = (responseFormat as { type?: unknown } | undefined)?.type;
  return type === "json_object" || type === "json_schema";
}

function tokenLimit(body: Record<string, unknown>): number | undefined {
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return typeof limit === "number" ? limit : undefined;
}

/** OpenAI's Chat Completions API (`POST /v1/chat/completions`). */
export const openAIDialect: MockDialect = {
  sendError(response, status, message, headers = {}) {
    const usual = errors[status] ?? serverError;
    const body = openAIErrorBody(
      message === undefined ? usual : { error: { ...usual.error, message } },
    );
    response.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "x-request-id": randomId("req_", 32),
    });
    response.end(body);
  },

  answer(exchange: MockExchange) {
    const { body, knobs } = exchange;
    if (!Array.isArray(body.messages)) {
      return this.sendError(exchange.response, 400, "Missing required parameter: 'messages'.");
    }
    const stream = body.stream === true;
    const toolName = knobs.tool ? firstToolName(body.tools) : undefined;
    const json = knobs.json || toolName !== undefined || asksForJson(body.response_format);
    const tokens = sharedMockTokens({
      tokens: knobs.tokens,
      seed: knobs.seed,
      json,
      markdown: knobs.markdown,
    });
    const plan = planAnswer(exchange, tokens.length, toolName ? undefined : tokenLimit(body));
    const includeUsage =
      knobs.usage &&
      (!stream ||
        (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
    const finishReasons = {
      complete: toolName ? "tool_calls" : "stop",
      length: "length",
      content_filter: "content_filter",
      error: undefined,
    } as const;
    const answer: OpenAIAnswer = {
      id: randomId("chatcmpl-", 29),
      created: Math.floor(Date.now() / 1000),
      model: exchange.model,
      systemFingerprint: "fp_5d0c7a3e21",
      tokens,
      count: plan.count,
      toolCall: toolName ? { id: randomId("call_", 24), name: toolName } : undefined,
      finishReason: finishReasons[plan.stop],
      usage: includeUsage ? openAIUsage(exchange.promptTokens, plan.count) : undefined,
      usageField: stream && includeUsage,
    };
    const headers: OutgoingHttpHeaders = {
      "x-request-id": randomId("req_", 32),
      "openai-version": "2020-10-01",
    };
    const failed = plan.stop === "error";
    if (stream) {
      return exchange.play({
        headers: { ...headers, "content-type": "text/event-stream; charset=utf-8" },
        script: openAIChunkScript(answer, failed ? serverError : undefined),
        ending: plan.ending,
      });
    }
    // A non-streamed answer cannot fail half-way: its in-band error becomes a 500.
    const text = failed ? openAIErrorBody(serverError) : openAICompletionBody(answer);
    playJsonAnswer(exchange, plan, { status: failed ? 500 : 200, headers, text });
  },
};
