import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventSourceMessage } from "@sluice/protocol";
import { SluiceError } from "@sluice/protocol";
import { AnthropicEventReader } from "./anthropic-event-reader.js";
import type { ProviderEvent } from "./provider.js";
import { toSluiceError } from "./provider-error.js";
import { notOneJsonString, trickyJsonStrings } from "./tricky-json-strings.js";

/** An SSE message as Anthropic frames it: the event's name, and its JSON as data. */
function event(name: string, data: object | string): EventSourceMessage {
  return {
    event: name,
    data: typeof data === "string" ? data : JSON.stringify(data),
    id: undefined,
  };
}

function textDelta(text: string, index = 0): EventSourceMessage {
  return event("content_block_delta", {
    type: "content_block_delta",
    index,
    delta: { type: "text_delta", text },
  });
}

const messageStart = event("message_start", {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      cache_creation_input_tokens: 3,
      cache_read_input_tokens: 2,
      output_tokens: 1,
    },
  },
});

function messageDelta(stopReason: string, usage: object = { output_tokens: 7 }) {
  return event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage,
  });
}

const messageStop = event("message_stop", { type: "message_stop" });

/** Reads `messages` and ends the body; what was emitted, and what was thrown. */
function read(messages: EventSourceMessage[]) {
  const events: ProviderEvent[] = [];
  const reader = new AnthropicEventReader((providerEvent) => events.push(providerEvent));
  try {
    for (const message of messages) reader.message(message);
    reader.end();
    return { events, error: undefined as unknown };
  } catch (error) {
    return { events, error };
  }
}

/** Reads `messages` as the content of a whole message that ends with end_turn. */
function readWhole(messages: EventSourceMessage[]) {
  return read([messageStart, ...messages, messageDelta("end_turn"), messageStop]);
}

describe("AnthropicEventReader", () => {
  it("emits text deltas, then usage with cached input counted, then finish", () => {
    const { events, error } = read([
      messageStart,
      event("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
      event("ping", { type: "ping" }),
      textDelta("Hello"),
      textDelta(""),
      textDelta(', "world" \u00e9 \ud83d\ude00'),
      event("content_block_stop", { type: "content_block_stop", index: 0 }),
      messageDelta("end_turn"),
      messageStop,
    ]);
    assert.equal(error, undefined);
    assert.deepEqual(events, [
      { type: "text", text: "Hello" },
      { type: "text", text: ', "world" é 😀' },
      { type: "usage", promptTokens: 15, completionTokens: 7 },
      { type: "finish", reason: "stop" },
    ]);
  });

  it("skips what the SDK's iterator skips: unnamed messages, pings, thinking and unknown events", () => {
    const { events, error } = read([
      messageStart,
      { event: undefined, data: JSON.stringify(textDelta("unnamed").data), id: undefined },
      event("ping", ""),
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking: "hmm" },
      }),
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "abc" },
      }),
      event("some_future_event", { type: "some_future_event" }),
      event("content_block_delta", ""),
      textDelta("ok", 1),
      messageDelta("end_turn"),
      messageStop,
    ]);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.filter((providerEvent) => providerEvent.type === "text"),
      [{ type: "text", text: "ok" }],
    );
  });

  it("numbers tool calls in call order, whatever their block index, with argument fragments", () => {
    const toolStart = (index: number, id: string) =>
      event("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id, name: "get_weather", input: {} },
      });
    const json = (index: number, partial: string) =>
      event("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: partial },
      });
    const { events } = read([
      messageStart,
      textDelta("Let me look."),
      toolStart(1, "toolu_a"),
      json(1, ""),
      json(1, '{"city":'),
      json(1, '"Paris"}'),
      toolStart(2, "toolu_b"),
      json(2, '{"city":"Rome"}'),
      messageDelta("tool_use"),
      messageStop,
    ]);
    assert.deepEqual(events.slice(1, -2), [
      { type: "tool_call", index: 0, id: "toolu_a", name: "get_weather" },
      { type: "tool_call", index: 0, arguments: '{"city":' },
      { type: "tool_call", index: 0, arguments: '"Paris"}' },
      { type: "tool_call", index: 1, id: "toolu_b", name: "get_weather" },
      { type: "tool_call", index: 1, arguments: '{"city":"Rome"}' },
    ]);
    assert.deepEqual(events.at(-1), { type: "finish", reason: "tool_calls" });
  });

  it("takes usage from message_start, revised by message_delta", () => {
    const { events } = read([
      messageStart,
      textDelta("a"),
      messageDelta("max_tokens", { input_tokens: 20, output_tokens: 9 }),
      messageStop,
    ]);
    assert.deepEqual(events.slice(-2), [
      { type: "usage", promptTokens: 25, completionTokens: 9 },
      { type: "finish", reason: "length" },
    ]);
  });

  it("maps stop reasons to finish reasons, an unknown one to stop", () => {
    const reasons = [
      ["refusal", "content_filter"],
      ["model_context_window_exceeded", "length"],
      ["something_new", "stop"],
    ];
    for (const [stopReason = "", finish] of reasons) {
      const { events } = read([messageStart, messageDelta(stopReason), messageStop]);
      assert.deepEqual(events.at(-1), { type: "finish", reason: finish }, stopReason);
    }
  });

  it("throws an error event as the SDK does: a retryable api_error with the upstream's words", () => {
    const { events, error } = read([
      messageStart,
      textDelta("partial"),
      event("error", {
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      }),
      textDelta("never read"),
    ]);
    assert.deepEqual(events, [{ type: "text", text: "partial" }]);
    const normalised = toSluiceError(error, "anthropic (api.anthropic.com)");
    assert.equal(normalised.type, "api_error");
    assert.equal(normalised.retryable, true);
    assert.match(normalised.message, /mid-stream: Overloaded/);
    assert.equal((error as { type?: unknown }).type, "overloaded_error");
  });

  it("throws an error event whose data is not JSON with its text", () => {
    const { error } = read([messageStart, event("error", "upstream exploded")]);
    const normalised = toSluiceError(error, "anthropic (api.anthropic.com)");
    assert.equal(normalised.type, "api_error");
    assert.match(normalised.message, /upstream exploded/);
  });

  it("throws a network_error when the body ends before message_stop", () => {
    const { events, error } = read([messageStart, textDelta("cut"), messageDelta("end_turn")]);
    assert.deepEqual(events, [{ type: "text", text: "cut" }]);
    assert.ok(error instanceof SluiceError && error.type === "network_error", String(error));
  });

  it("reads nothing after message_stop", () => {
    const { events } = read([messageStart, textDelta("a"), messageStop, textDelta("late")]);
    assert.deepEqual(
      events.map((providerEvent) => providerEvent.type),
      ["text", "usage", "finish"],
    );
  });
});

/** A content_block_delta message whose text is `raw` (raw JSON), shaped as Anthropic sends it. */
function rawTextDelta(raw: string, index = 0): EventSourceMessage {
  return event(
    "content_block_delta",
    `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${raw}}}`,
  );
}

/** The text events the full parse gives for `messages`, as the SDK's iterator would read them. */
function fullParseTexts(messages: EventSourceMessage[]): ProviderEvent[] {
  return messages.flatMap((message) => {
    if (message.event !== "content_block_delta") return [];
    const parsed = JSON.parse(message.data) as { delta: { type: string; text?: string } };
    return parsed.delta.type === "text_delta" && parsed.delta.text
      ? [{ type: "text" as const, text: parsed.delta.text }]
      : [];
  });
}

describe("AnthropicEventReader's text fast path", () => {
  it("emits exactly what the full parse gives for every tricky text, whichever it learnt from", () => {
    for (const template of trickyJsonStrings) {
      const deltas = [template, ...trickyJsonStrings].map((raw) => rawTextDelta(raw));
      const { events, error } = readWhole(deltas);
      assert.equal(error, undefined);
      assert.deepEqual(events.slice(0, -2), fullParseTexts(deltas), template);
    }
  });

  it("reads other shapes in between with the full parse, and text after them exactly", () => {
    const messages = [
      rawTextDelta('"learnt"'),
      ...trickyJsonStrings.map((raw) => rawTextDelta(raw)),
      // Another block index, another member, spacing the template did not have, a tool block.
      rawTextDelta('"index one"', 1),
      event(
        "content_block_delta",
        '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cited","citations":[]}}',
      ),
      event(
        "content_block_delta",
        '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text": "spaced"}}',
      ),
      event(
        "content_block_delta",
        '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"not text"}}',
      ),
      ...trickyJsonStrings.map((raw) => rawTextDelta(raw)),
    ];
    const { events, error } = readWhole(messages);
    assert.equal(error, undefined);
    assert.deepEqual(events.slice(0, -2), fullParseTexts(messages));
  });

  it("never reads as text what is not one JSON string, or not a content_block_delta event", () => {
    for (const raw of notOneJsonString) {
      // After a learnt template, as the full parse reads it: a SyntaxError, or its text if any.
      const { events, error } = read([messageStart, rawTextDelta('"learnt"'), rawTextDelta(raw)]);
      let expected: unknown;
      try {
        expected = fullParseTexts([rawTextDelta(raw)]);
      } catch (syntaxError) {
        expected = syntaxError;
      }
      if (expected instanceof SyntaxError) assert.ok(error instanceof SyntaxError, raw);
      else assert.deepEqual(events.slice(1), expected, raw);
    }
    const { events } = read([
      messageStart,
      rawTextDelta('"learnt"'),
      { ...rawTextDelta('"a ping that looks like text"'), event: "ping" },
      { ...rawTextDelta('"unnamed"'), event: undefined },
      messageDelta("end_turn"),
      messageStop,
    ]);
    assert.deepEqual(
      events.filter((providerEvent) => providerEvent.type === "text"),
      [{ type: "text", text: "learnt" }],
    );
  });
});
