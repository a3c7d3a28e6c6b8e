import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DoneEvent } from "@sluice/protocol";
import { UiMessageChunks } from "./ui-message-chunks.js";

const done = (finish_reason: DoneEvent["finish_reason"]): DoneEvent => ({
  type: "done",
  finish_reason,
  token_count: 2,
  ttft_ms: 5,
  elapsed_seconds: 0.1,
  tokens_per_second: 20,
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

/** The JSON chunks of SSE text, `[DONE]` kept as a string. */
function chunksOf(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      assert.ok(frame.startsWith("data: ") && !frame.includes("\n"), frame);
      const data = frame.slice("data: ".length);
      return data === "[DONE]" ? data : JSON.parse(data);
    });
}

describe("UiMessageChunks", () => {
  test("text that would break SSE framing stays inside one data line per delta", () => {
    const chunks = new UiMessageChunks();
    const tricky = "\ndata: [DONE]\r\n\n: x\u2028";
    const text = chunks.start("m") + chunks.encode({ type: "token", content: tricky });
    assert.deepEqual(chunksOf(text), [
      { type: "start", messageId: "m" },
      { type: "start-step" },
      { type: "text-start", id: "text-0" },
      { type: "text-delta", id: "text-0", delta: tricky },
    ]);
  });

  test("a tool call closes the text part and ends with its parsed input and tool-calls", () => {
    const chunks = new UiMessageChunks();
    const text =
      chunks.encode({ type: "token", content: "Let me check." }) +
      chunks.encode({ type: "tool_call", index: 0, id: "call_1", name: "get_weather" }) +
      chunks.encode({ type: "tool_call", index: 0, arguments: '{"city":' }) +
      chunks.encode({ type: "tool_call", index: 0, arguments: '"Paris"}' }) +
      chunks.encode({ type: "tool_call", index: 1, id: "call_2", name: "broken", arguments: "{" }) +
      chunks.encode(done("stop"));
    assert.deepEqual(chunksOf(text), [
      { type: "text-start", id: "text-0" },
      { type: "text-delta", id: "text-0", delta: "Let me check." },
      { type: "text-end", id: "text-0" },
      { type: "tool-input-start", toolCallId: "call_1", toolName: "get_weather" },
      { type: "tool-input-delta", toolCallId: "call_1", inputTextDelta: '{"city":' },
      { type: "tool-input-delta", toolCallId: "call_1", inputTextDelta: '"Paris"}' },
      { type: "tool-input-start", toolCallId: "call_2", toolName: "broken" },
      { type: "tool-input-delta", toolCallId: "call_2", inputTextDelta: "{" },
      {
        type: "tool-input-available",
        toolCallId: "call_1",
        toolName: "get_weather",
        input: { city: "Paris" },
      },
      {
        type: "tool-input-error",
        toolCallId: "call_2",
        toolName: "broken",
        input: "{",
        errorText: "The model's tool input is not valid JSON.",
      },
      { type: "finish-step" },
      {
        type: "finish",
        finishReason: "tool-calls",
        messageMetadata: {
          usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
          ttftMs: 5,
          elapsedSeconds: 0.1,
          tokensPerSecond: 20,
        },
      },
      "[DONE]",
    ]);
  });

  test("a cancelled stream ends with its usage and abort; an error with its message", () => {
    const cancelled = chunksOf(new UiMessageChunks().encode(done("cancelled")));
    assert.deepEqual(
      cancelled.map((chunk) =>
        typeof chunk === "string" ? chunk : (chunk as { type: string }).type,
      ),
      ["finish-step", "message-metadata", "abort", "[DONE]"],
    );
    const failed = new UiMessageChunks();
    const text =
      failed.encode({ type: "token", content: "Hi" }) +
      failed.encode({
        type: "error",
        error_type: "timeout",
        message: "The model provider timed out.",
        retryable: true,
      });
    assert.deepEqual(chunksOf(text).slice(2), [
      { type: "text-end", id: "text-0" },
      { type: "error", errorText: "The model provider timed out." },
      "[DONE]",
    ]);
  });

  test("a status is a transient data part that stays out of the message", () => {
    const text = new UiMessageChunks().encode({ type: "status", message: "Retrying in 1s" });
    assert.deepEqual(chunksOf(text), [
      { type: "data-sluice-status", data: { message: "Retrying in 1s" }, transient: true },
    ]);
  });
});
