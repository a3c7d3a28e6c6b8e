import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import OpenAI from "openai";
import { mockText, mockTokens } from "./mock-tokens.js";
import { type MockServer, startMock } from "./start-mock.js";

const messages = [{ role: "user" as const, content: "Tell me about streaming." }];
const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", parameters: { type: "object", properties: {} } },
};

describe("the OpenAI Chat Completions route", () => {
  let mock: MockServer;
  let openai: OpenAI;

  before(async () => {
    mock = await startMock({ ttftMs: 1, gapMs: 0 });
    openai = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "x", maxRetries: 0 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  async function streamText(
    model: string,
    options: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {},
  ) {
    const stream = await openai.chat.completions.create({
      model,
      messages,
      stream: true,
      ...options,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    return { chunks, text };
  }

  it("streams the exact mock text through the official SDK, tricky tokens included", async () => {
    const { chunks, text } = await streamText("mock?tokens=80&seed=4", {
      stream_options: { include_usage: true },
    });
    assert.equal(text, mockText({ tokens: 80, seed: 4 }));
    const [first] = chunks;
    assert.deepEqual(first?.choices[0]?.delta, { role: "assistant", content: "", refusal: null });
    assert.match(first?.id ?? "", /^chatcmpl-[A-Za-z0-9]{29}$/);
    assert.ok(chunks.every((chunk) => chunk.model === "mock" && chunk.id === first?.id));
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, "stop");
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk?.choices, []);
    assert.equal(usageChunk?.usage?.completion_tokens, 80);
    assert.ok((usageChunk?.usage?.prompt_tokens ?? 0) > 0);
  });

  it("sends no usage chunk unless asked, nor when the usage knob is 0", async () => {
    const plain = await streamText("mock?tokens=5");
    assert.equal(plain.chunks.at(-1)?.choices[0]?.finish_reason, "stop");
    assert.ok(plain.chunks.every((chunk) => chunk.usage === undefined));
    const off = await streamText("mock?tokens=5&usage=0", {
      stream_options: { include_usage: true },
    });
    assert.ok(off.chunks.every((chunk) => chunk.usage === undefined));
  });

  it("answers without streaming with the same text and usage", async () => {
    const completion = await openai.chat.completions.create({ model: "mock?tokens=80", messages });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.choices[0]?.message.content, mockText({ tokens: 80 }));
    assert.equal(completion.choices[0]?.finish_reason, "stop");
    assert.equal(completion.usage?.completion_tokens, 80);
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const { chunks, text } = await streamText("mock?tokens=20", { max_tokens: 6 });
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 6).join(""));
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, "length");
    const completion = await openai.chat.completions.create({
      model: "mock?tokens=20",
      messages,
      max_completion_tokens: 4,
    });
    assert.equal(
      completion.choices[0]?.message.content,
      mockTokens({ tokens: 20 }).slice(0, 4).join(""),
    );
    assert.equal(completion.choices[0]?.finish_reason, "length");
  });

  it("answers JSON when response_format asks for it", async () => {
    const { text } = await streamText("mock?tokens=60", {
      response_format: { type: "json_object" },
    });
    assert.equal(text, mockText({ tokens: 60, json: true }));
    assert.equal(typeof JSON.parse(text), "object");
  });

  it("takes knobs from the x-mock header over the model name", async () => {
    const completion = await openai.chat.completions.create(
      { model: "mock?tokens=9", messages },
      { headers: { "x-mock": "tokens=3&seed=2" } },
    );
    assert.equal(completion.choices[0]?.message.content, mockText({ tokens: 3, seed: 2 }));
  });

  it("streams a tool call that the SDK accumulates", async () => {
    const stream = openai.chat.completions.stream({
      model: "mock?tool=1&tokens=30",
      messages,
      tools: [weatherTool],
    });
    const completion = await stream.finalChatCompletion();
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.equal(completion.choices[0]?.finish_reason, "tool_calls");
    assert.equal(call?.type, "function");
    assert.match(call?.id ?? "", /^call_/);
    assert.equal(call?.type === "function" && call.function.name, "get_weather");
    assert.equal(
      call?.type === "function" && call.function.arguments,
      mockText({ tokens: 30, json: true }),
    );
  });

  it("answers a tool call without streaming", async () => {
    const completion = await openai.chat.completions.create({
      model: "mock?tool=1&tokens=30",
      messages,
      tools: [weatherTool],
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.equal(completion.choices[0]?.message.content, null);
    assert.equal(
      call?.type === "function" && call.function.arguments,
      mockText({ tokens: 30, json: true }),
    );
  });

  it("answers fault=429 with a RateLimitError that carries retry-after", async () => {
    const error = await openai.chat.completions
      .create({ model: "mock?fault=429&retry_after=2", messages })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(error.headers.get("retry-after"), "2");
    assert.equal(error.headers.get("retry-after-ms"), "2000");
    assert.equal(error.code, "rate_limit_exceeded");
  });

  it("fails twice with fault=429&times=2, then succeeds on the third try", async () => {
    const retrying = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "x", maxRetries: 2 });
    const completion = await retrying.chat.completions.create({
      model: "mock?fault=429&times=2&retry_after=0.01&tokens=4",
      messages,
    });
    assert.equal(completion.choices[0]?.message.content, mockText({ tokens: 4 }));
    assert.equal(mock.stats().requests, 3);
  });

  it("answers fault=500 before the first token with an InternalServerError", async () => {
    const error = await streamText("mock?fault=500").catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.InternalServerError);
    assert.equal(error.type, "server_error");
  });

  it("surfaces an in-band error after N tokens", async () => {
    let text = "";
    const stream = await openai.chat.completions.create({
      model: "mock?fault=error&after=5",
      messages,
      stream: true,
    });
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.APIError);
    assert.match(error.message, /server had an error/);
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 5).join(""));
  });

  it("cuts the connection with fault=drop after N tokens", async () => {
    let text = "";
    const stream = await openai.chat.completions.create({
      model: "mock?fault=drop&after=3",
      messages,
      stream: true,
    });
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((caught: unknown) => caught);
    // What fetch reports when the connection ends in the middle of the body.
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, "terminated");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 3).join(""));
    await mock.waitFor((stats) => stats.open_streams === 0 && stats.completed_streams === 1);
  });

  it("cuts the connection of a non-streamed answer with fault=drop: an APIConnectionError", async () => {
    const error = await openai.chat.completions
      .create({ model: "mock?fault=drop", messages })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.APIConnectionError);
  });

  it("ends with finish_reason content_filter after N tokens", async () => {
    const { chunks, text } = await streamText("mock?fault=content_filter&after=4");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 4).join(""));
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, "content_filter");
  });

  it("counts an abort and closes the stream when the SDK stream is aborted", async () => {
    const stream = await openai.chat.completions.create({
      model: "mock?tokens=100000&gap=5",
      messages,
      stream: true,
    });
    let received = 0;
    for await (const _chunk of stream) {
      received++;
      if (received === 3) stream.controller.abort();
    }
    const stats = await mock.waitFor((current) => current.open_streams === 0);
    assert.equal(stats.aborted_streams, 1);
    assert.equal(stats.completed_streams, 0);
  });

  it("stalls after N tokens until the client goes away", async () => {
    const stream = await openai.chat.completions.create({
      model: "mock?fault=stall&after=2",
      messages,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text === mockTokens({ tokens: 40 }).slice(0, 2).join("")) break;
    }
    await mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1);
  });

  it("refuses a bad knob with a BadRequestError naming it", async () => {
    const error = await openai.chat.completions
      .create({ model: "mock?tokens=lots", messages })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.match(error.message, /tokens=lots/);
  });

  it("frames a streamed response byte for byte as OpenAI does", async () => {
    const response = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "mock?tokens=2",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.match(response.headers.get("x-request-id") ?? "", /^req_/);
    const bytes = (await response.text())
      .replace(/"chatcmpl-[A-Za-z0-9]{29}"/g, '"ID"')
      .replace(/"created":\d+/g, '"created":0');
    const head =
      'data: {"id":"ID","object":"chat.completion.chunk","created":0,"model":"mock",' +
      '"service_tier":"default","system_fingerprint":"fp_5d0c7a3e21","choices":[';
    const expected =
      `${head}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n` +
      `${head}{"index":0,"delta":{"content":" the"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n` +
      `${head}{"index":0,"delta":{"content":"\\n"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n` +
      `${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n` +
      `${head}],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,` +
      `"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":` +
      `{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n` +
      "data: [DONE]\n\n";
    assert.equal(bytes, expected);
  });

  it("answers a malformed JSON body with a 400 in OpenAI's error shape", async () => {
    const response = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      body: '{"model": "mock", "messages": [',
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("content-type"), "application/json");
    const body = await response.json();
    assert.deepEqual(Object.keys(body.error), ["message", "type", "param", "code"]);
    assert.equal(body.error.type, "invalid_request_error");
  });
});
