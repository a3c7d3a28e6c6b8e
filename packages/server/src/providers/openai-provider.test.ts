import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type MockServer, mockText, mockTokens, startMock } from "@sluice/mock";
import { SluiceError } from "@sluice/protocol";
import { collectProviderEvents } from "./collect-provider-events.js";
import { OpenAIProvider } from "./openai-provider.js";
import type { ProviderRequest } from "./provider.js";

const apiKey = "sk-test-0123456789abcdef";
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

function ask(model: string, fields: Partial<ProviderRequest> = {}): ProviderRequest {
  return { model, messages: [{ role: "user", content: "Hello" }], ...fields };
}

function isSluiceError(type: string, retryable: boolean) {
  return (error: unknown) =>
    error instanceof SluiceError && error.type === type && error.retryable === retryable;
}

describe("OpenAIProvider against the mock upstream", () => {
  let mock: MockServer;
  let provider: OpenAIProvider;
  const stream = (request: ProviderRequest, signal = AbortSignal.timeout(10_000)) =>
    collectProviderEvents(provider.stream(request, signal));

  before(async () => {
    mock = await startMock({ ttftMs: 0, gapMs: 0 });
    provider = new OpenAIProvider({ apiKey, baseURL: `${mock.url}/v1` });
  });
  beforeEach(() => mock.reset());
  after(() => mock.close());

  it("streams the exact text, tricky tokens included, then usage, then finish", async () => {
    const { events, text, error } = await stream(ask("mock?tokens=80"));
    assert.equal(error, undefined);
    assert.equal(text, mockText({ tokens: 80 }));
    const texts = events.filter((event) => event.type === "text");
    assert.equal(texts.length, 80);
    const [usage, finish] = events.slice(-2);
    assert.ok(usage?.type === "usage" && usage.completionTokens === 80 && usage.promptTokens > 0);
    assert.deepEqual(finish, { type: "finish", reason: "stop" });
  });

  it("streams tool-call deltas: id and name first, then argument fragments", async () => {
    const { events } = await stream(ask("mock?tool=1&tokens=12", { tools: [weatherTool] }));
    const calls = events.filter((event) => event.type === "tool_call");
    assert.equal(calls[0]?.index, 0);
    assert.equal(calls[0]?.name, "get_weather");
    assert.match(String(calls[0]?.id), /^call_/);
    assert.ok(calls.every((call) => call.index === 0));
    const fragments = calls.map((call) => call.arguments ?? "");
    assert.equal(fragments.join(""), mockText({ tokens: 12, json: true }));
    assert.deepEqual(fragments.slice(1), mockTokens({ tokens: 12, json: true }));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "tool_calls" });
  });

  it("passes every field of the request through, and asks for usage", async () => {
    let sent: Record<string, unknown> = {};
    const spying = new OpenAIProvider({
      apiKey,
      baseURL: `${mock.url}/v1`,
      fetch: async (input, init) => {
        sent = JSON.parse(String(init?.body));
        return fetch(input, init);
      },
    });
    const fields = {
      tools: [weatherTool],
      tool_choice: "auto",
      response_format: { type: "json_object" as const },
      stop: ["END"],
      seed: 7,
      top_p: 0.5,
      temperature: 0.3,
      max_tokens: 50,
      user: "user-1",
    };
    await collectProviderEvents(
      spying.stream(ask("mock?tokens=3", fields), AbortSignal.timeout(5000)),
    );
    assert.deepEqual(sent, {
      model: "mock?tokens=3",
      messages: [{ role: "user", content: "Hello" }],
      ...fields,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("finishes with length when max_tokens cuts the answer", async () => {
    const { text, events } = await stream(ask("mock?tokens=30", { max_tokens: 5 }));
    assert.equal(text, mockTokens({ tokens: 30 }).slice(0, 5).join(""));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "length" });
  });

  it("finishes with content_filter when the upstream filter cuts the answer", async () => {
    const { text, events, error } = await stream(
      ask("mock?tokens=30&fault=content_filter&after=4"),
    );
    assert.equal(error, undefined);
    assert.equal(text, mockTokens({ tokens: 30 }).slice(0, 4).join(""));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "content_filter" });
  });

  it("reports a 429 as a retryable rate_limit with the wait the upstream asked for", async () => {
    const { events, error } = await stream(ask("mock?fault=429&retry_after=2"));
    assert.deepEqual(events, []);
    assert.ok(isSluiceError("rate_limit", true)(error), String(error));
    assert.equal((error as SluiceError).retryAfterMs, 2000);
  });

  it("reports a 500 as a retryable api_error, without retrying it itself", async () => {
    const { error } = await stream(ask("mock?fault=500"));
    assert.ok(isSluiceError("api_error", true)(error), String(error));
    assert.equal((error as SluiceError).status, 500);
    assert.equal(mock.stats().requests, 1);
  });

  it("throws an in-band error frame as a retryable api_error after the text before it", async () => {
    const { text, events, error } = await stream(ask("mock?tokens=20&fault=error&after=6"));
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 6).join(""));
    assert.ok(events.every((event) => event.type === "text"));
    assert.ok(isSluiceError("api_error", true)(error), String(error));
  });

  it("throws a network_error when the connection drops mid-stream", async () => {
    const { text, error } = await stream(ask("mock?tokens=20&fault=drop&after=5"));
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 5).join(""));
    assert.ok(isSluiceError("network_error", true)(error), String(error));
  });

  it("reports an upstream 404 as a final invalid_request, without echoing the key", async () => {
    const misdirected = new OpenAIProvider({ apiKey, baseURL: `${mock.url}/nowhere` });
    const { error } = await collectProviderEvents(
      misdirected.stream(ask("mock"), AbortSignal.timeout(5000)),
    );
    assert.ok(isSluiceError("invalid_request", false)(error), String(error));
    assert.ok(!(error as SluiceError).message.includes(apiKey));
  });

  it("closes the upstream stream at once when the signal fires mid-stream", async () => {
    const controller = new AbortController();
    const reason = new Error("client went away");
    const { events, error } = await collectProviderEvents(
      provider.stream(ask("mock?tokens=1000&gap=20"), controller.signal),
      (_event, seen) => {
        if (seen.length === 3) controller.abort(reason);
      },
    );
    assert.equal(error, reason);
    assert.equal(events.length, 3);
    await mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1);
  });

  it("closes the upstream stream when the consumer stops reading", async () => {
    for await (const event of provider.stream(
      ask("mock?tokens=1000&gap=20"),
      AbortSignal.timeout(10_000),
    )) {
      if (event.type === "text") break;
    }
    await mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1);
  });

  it("lists the upstream's models", async () => {
    assert.deepEqual(await provider.listModels(AbortSignal.timeout(5000)), ["mock"]);
  });
});
