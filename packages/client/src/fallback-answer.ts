import { ChatAnswer, type ChatRequest } from "@sluice/protocol";
import type { ClientEvent } from "./client-event.js";
import { refusalOf } from "./refusal-of.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import type { StreamContext } from "./stream-context.js";

/**
 * The whole answer from `POST /api/chat`, for where streaming cannot work, delivered as the
 * events a stream would have sent after a `fallback` notice. Stopping it hangs up, which the
 * server answers by cancelling the generation at once.
 */
export async function* fallbackAnswer(
  context: StreamContext,
  request: ChatRequest,
): AsyncGenerator<ClientEvent, void, undefined> {
  const { options } = context;
  context.fallingBack = true;
  yield { type: "fallback" };
  const startedAt = Date.now();
  let response: Response;
  try {
    response = await options.fetch(`${options.baseUrl}/api/chat`, {
      method: "POST",
      headers: { ...options.headers, "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: AbortSignal.any([context.leaveSignal, context.stopSignal]),
    });
  } catch (error) {
    if (context.leaveSignal.aborted) return;
    if (context.stopSignal.aborted) {
      yield cancelled(startedAt);
      return;
    }
    throw new SluiceStreamError("network_error", `Could not reach ${options.baseUrl}.`, {
      retryable: true,
      cause: error,
    });
  }
  const refusal = response.ok ? undefined : await refusalOf(response);
  if (refusal) throw refusal;
  let answer: ChatAnswer;
  try {
    answer = ChatAnswer.parse(await response.json());
  } catch (error) {
    if (context.leaveSignal.aborted) return;
    if (context.stopSignal.aborted) {
      yield cancelled(startedAt);
      return;
    }
    throw new SluiceStreamError(
      "network_error",
      `POST /api/chat answered HTTP ${response.status} without the expected JSON answer.`,
      { cause: error },
    );
  }
  if (answer.content !== "") yield { type: "token", content: answer.content };
  if (answer.value !== undefined) yield { type: "json", value: answer.value };
  const elapsedSeconds = (Date.now() - startedAt) / 1000;
  const tokens = answer.usage.completion_tokens;
  yield {
    type: "done",
    finish_reason: answer.finish_reason,
    model: answer.model,
    token_count: tokens,
    // The whole answer came at once: there was no first token to time.
    ttft_ms: null,
    elapsed_seconds: elapsedSeconds,
    tokens_per_second: elapsedSeconds > 0 ? Math.round((tokens / elapsedSeconds) * 10) / 10 : 0,
    usage: answer.usage,
    ...(answer.value === undefined ? {} : { value: answer.value }),
  };
}

function cancelled(startedAt: number): ClientEvent {
  return {
    type: "done",
    finish_reason: "cancelled",
    token_count: 0,
    ttft_ms: null,
    elapsed_seconds: (Date.now() - startedAt) / 1000,
    tokens_per_second: 0,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, estimated: true },
  };
}
