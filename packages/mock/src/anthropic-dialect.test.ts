import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { mockText, mockTokens } from "./mock-tokens.js";
import { type MockServer, startMock } from "./start-mock.js";

const messages = [{ role: "user" as const, content: "Tell me about streaming." }];
const weatherTool = {
  name: "get_weather",
  input_schema: { type: "object" as const, properties: {} },
};

describe("the Anthropic Messages route", () => {
  let mock: MockServer;
  let anthropic: Anthropic;

  before(async () => {
    mock = await startMock({ ttftMs: 1, gapMs: 0 });
    anthropic = new Anthropic({ baseURL: mock.url, apiKey: "x", maxRetries: 0 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  async function collect(model: string, maxTokens = 4096) {
    const stream = await anthropic.messages.create({
      model,
      messages,
      max_tokens: maxTokens,
      stream: true,
    });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    let text = "";
    const error = await (async () => {
      for await (const event of stream) {
        events.push(event);
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
          text += event.delta.text;
        }
      }
    })().catch((caught: unknown) => caught);
    return { events, text, error };
  }

  it("streams the exact mock text through the official SDK, tricky tokens included", async () => {
    const stream = anthropic.messages.stream({
      model: "mock?tokens=80&seed=6",
      messages,
      max_tokens: 4096,
    });
    const message = await stream.finalMessage();
    const [block] = message.content;
    assert.equal(block?.type === "text" && block.text, mockText({ tokens: 80, seed: 6 }));
    assert.equal(message.stop_reason, "end_turn");
    assert.equal(message.model, "mock");
    assert.match(message.id, /^msg_01[A-Za-z0-9]{22}$/);
    assert.equal(message.usage.output_tokens, 80);
    assert.ok(message.usage.input_tokens > 0);
  });

  it("sends the events in the order the real API does", async () => {
    const { events } = await collect("mock?tokens=3");
    assert.deepEqual(
      events.map((event) => event.type),
      [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
      ],
    );
  });

  it("answers without streaming with the same text", async () => {
    const message = await anthropic.messages.create({
      model: "mock?tokens=50",
      messages,
      max_tokens: 4096,
    });
    const [block] = message.content;
    assert.equal(block?.type === "text" && block.text, mockText({ tokens: 50 }));
    assert.equal(message.stop_reason, "end_turn");
    assert.equal(message.usage.output_tokens, 50);
  });

  it("stops at max_tokens with stop_reason max_tokens", async () => {
    const { events, text } = await collect("mock?tokens=20", 7);
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 7).join(""));
    const delta = events.find((event) => event.type === "message_delta");
    assert.equal(delta?.type === "message_delta" && delta.delta.stop_reason, "max_tokens");
  });

  it("streams a tool use that the SDK accumulates", async () => {
    const stream = anthropic.messages.stream({
      model: "mock?tool=1&tokens=30",
      messages,
      max_tokens: 4096,
      tools: [weatherTool],
    });
    const message = await stream.finalMessage();
    const [block] = message.content;
    assert.equal(message.stop_reason, "tool_use");
    assert.equal(block?.type, "tool_use");
    assert.equal(block?.type === "tool_use" && block.name, "get_weather");
    assert.match(block?.type === "tool_use" ? block.id : "", /^toolu_01/);
    assert.deepEqual(
      block?.type === "tool_use" && block.input,
      JSON.parse(mockText({ tokens: 30, json: true })),
    );
  });

  it("answers fault=429 with a RateLimitError that carries retry-after", async () => {
    const error = await anthropic.messages
      .create({ model: "mock?fault=429&retry_after=3", messages, max_tokens: 10 })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.headers?.get("retry-after"), "3");
    assert.equal(error.headers?.get("retry-after-ms"), "3000");
  });

  it("answers fault=529 with an overloaded_error", async () => {
    const error = await collect("mock?fault=529").catch((caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 529);
    assert.equal((error.error as { error?: { type?: string } }).error?.type, "overloaded_error");
  });

  it("surfaces an in-band overloaded_error after N tokens", async () => {
    const { text, error } = await collect("mock?fault=error&after=5");
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal((error.error as { error?: { type?: string } }).error?.type, "overloaded_error");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 5).join(""));
  });

  it("cuts the connection with fault=drop after N tokens", async () => {
    const { text, error } = await collect("mock?fault=drop&after=2");
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, "terminated");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 2).join(""));
  });

  it("ends with stop_reason refusal on fault=content_filter", async () => {
    const { events, text } = await collect("mock?fault=content_filter&after=3");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 3).join(""));
    const delta = events.find((event) => event.type === "message_delta");
    assert.equal(delta?.type === "message_delta" && delta.delta.stop_reason, "refusal");
  });

  it("counts an abort and closes the stream when the SDK stream is aborted", async () => {
    const stream = anthropic.messages.stream({
      model: "mock?tokens=100000&gap=5",
      messages,
      max_tokens: 200000,
    });
    let deltas = 0;
    stream.on("text", () => {
      deltas++;
      if (deltas === 3) stream.abort();
    });
    await stream.done().catch(() => undefined);
    const stats = await mock.waitFor((current) => current.open_streams === 0);
    assert.equal(stats.aborted_streams, 1);
  });

  it("sends pings during long gaps when the ping knob is set", async () => {
    const response = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({
        model: "mock?tokens=2&gap=300&ping=10",
        max_tokens: 10,
        messages,
        stream: true,
      }),
    });
    const bytes = await response.text();
    assert.ok(bytes.split('event: ping\ndata: {"type": "ping"}\n\n').length - 1 >= 3, bytes);
  });

  it("frames a streamed response byte for byte as Anthropic does", async () => {
    const response = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "mock?tokens=2",
        max_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    });
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.match(response.headers.get("request-id") ?? "", /^req_/);
    const bytes = (await response.text()).replace(/"msg_01[A-Za-z0-9]{22}"/, '"ID"');
    const delta =
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":';
    const expected =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"ID","type":"message",' +
      '"role":"assistant","model":"mock","content":[],"stop_reason":null,"stop_sequence":null,' +
      '"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,' +
      '"output_tokens":1,"service_tier":"standard"}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
      'event: ping\ndata: {"type": "ping"}\n\n' +
      `${delta}{"type":"text_delta","text":" the"}}\n\n` +
      `${delta}{"type":"text_delta","text":"\\n"}}\n\n` +
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    assert.equal(bytes, expected);
  });

  it("answers a malformed body or a missing max_tokens with a 400 in Anthropic's error shape", async () => {
    for (const body of ["{not json", JSON.stringify({ model: "mock", messages })]) {
      const response = await fetch(`${mock.url}/v1/messages`, { method: "POST", body });
      assert.equal(response.status, 400);
      const error = await response.json();
      assert.equal(error.type, "error");
      assert.equal(error.error.type, "invalid_request_error");
    }
  });
});
