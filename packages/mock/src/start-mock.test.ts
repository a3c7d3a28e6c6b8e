import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { mockText } from "./mock-tokens.js";
import { type MockServer, startMock } from "./start-mock.js";

const messages = [{ role: "user" as const, content: "hi" }];

function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: "POST", body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

describe("startMock", () => {
  let mock: MockServer;

  before(async () => {
    mock = await startMock({
      ttftMs: 1,
      gapMs: 0,
      tokens: 6,
      seed: 3,
      models: ["mock", "mock-large"],
    });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("listens on 127.0.0.1 on a free port", () => {
    assert.equal(mock.url, `http://127.0.0.1:${mock.port}`);
    assert.ok(mock.port > 0);
  });

  it("uses its options as the defaults of every request", async () => {
    const response = await post(`${mock.url}/v1/chat/completions`, { model: "mock", messages });
    const completion = await response.json();
    assert.equal(completion.choices[0].message.content, mockText({ tokens: 6, seed: 3 }));
  });

  it("lists its models in OpenAI's shape, and in Anthropic's for the Anthropic SDK", async () => {
    const openai = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "x", maxRetries: 0 });
    const openAIModels = [];
    for await (const model of openai.models.list()) openAIModels.push(model);
    assert.deepEqual(
      openAIModels.map((model) => [model.id, model.object, model.owned_by]),
      [
        ["mock", "model", "sluice"],
        ["mock-large", "model", "sluice"],
      ],
    );
    const anthropic = new Anthropic({ baseURL: mock.url, apiKey: "x", maxRetries: 0 });
    const anthropicModels = [];
    for await (const model of anthropic.models.list()) anthropicModels.push(model.id);
    assert.deepEqual(anthropicModels, ["mock", "mock-large"]);
  });

  it("counts requests, streams and paths, and serves them on /__stats", async () => {
    await (await post(`${mock.url}/v1/chat/completions`, { model: "mock", messages })).text();
    await (
      await post(`${mock.url}/v1/chat/completions`, { model: "mock?fault=500", messages })
    ).text();
    await (await fetch(`${mock.url}/v1/models`)).text();
    const stats = await mock.waitFor((current) => current.completed_streams === 1);
    assert.deepEqual(stats, {
      requests: 3,
      streams_started: 1,
      open_streams: 0,
      completed_streams: 1,
      aborted_streams: 0,
      by_path: { "/v1/chat/completions": 2, "/v1/models": 1 },
    });
    assert.deepEqual(await (await fetch(`${mock.url}/__stats`)).json(), stats);
  });

  it("resets the counters and the fault counts on POST /__reset", async () => {
    const model = "mock?fault=429&times=1";
    assert.equal((await post(`${mock.url}/v1/chat/completions`, { model, messages })).status, 429);
    assert.equal((await post(`${mock.url}/v1/chat/completions`, { model, messages })).status, 200);
    const reset = await (await fetch(`${mock.url}/__reset`, { method: "POST" })).json();
    assert.equal(reset.requests, 0);
    assert.equal((await post(`${mock.url}/v1/chat/completions`, { model, messages })).status, 429);
  });

  it("counts a non-streamed answer as open while it waits, and its client leaving as an abort", async () => {
    const controller = new AbortController();
    const request = post(
      `${mock.url}/v1/chat/completions`,
      { model: "mock?ttft=60000", messages },
      controller.signal,
    ).catch(() => undefined);
    await mock.waitFor((stats) => stats.open_streams === 1);
    controller.abort();
    await request;
    const stats = await mock.waitFor((current) => current.open_streams === 0);
    assert.equal(stats.aborted_streams, 1);
  });

  it("sends the headers only when the first token is due", async () => {
    const startedAt = performance.now();
    const response = await post(`${mock.url}/v1/chat/completions`, {
      model: "mock?ttft=150",
      messages,
      stream: true,
    });
    assert.ok(performance.now() - startedAt >= 140);
    await response.text();
  });

  it("answers an unknown route with a 404 in OpenAI's shape", async () => {
    const response = await fetch(`${mock.url}/v1/nothing`);
    assert.equal(response.status, 404);
    const body = await response.json();
    assert.equal(body.error.message, "Invalid URL (GET /v1/nothing)");
  });
});

describe("MockServer.waitFor", () => {
  it("rejects after its timeout with the stats in the message", async () => {
    const mock = await startMock();
    try {
      await assert.rejects(
        mock.waitFor((stats) => stats.requests > 0, { timeoutMs: 20 }),
        /not met within 20 ms; stats \{"requests":0,/,
      );
    } finally {
      await mock.close();
    }
  });

  it("rejects with the signal's reason when aborted", async () => {
    const mock = await startMock();
    try {
      const controller = new AbortController();
      const waiting = mock.waitFor((stats) => stats.requests > 0, { signal: controller.signal });
      controller.abort(new Error("gave up"));
      await assert.rejects(waiting, /gave up/);
    } finally {
      await mock.close();
    }
  });
});

describe("MockServer.close", () => {
  it("destroys open streams so that their clients see the connection end", async () => {
    const mock = await startMock({ ttftMs: 1, gapMs: 0 });
    const response = await post(`${mock.url}/v1/chat/completions`, {
      model: "mock?fault=stall&after=1",
      messages,
      stream: true,
    });
    const reading = response.text();
    await mock.waitFor((stats) => stats.open_streams === 1);
    await mock.close();
    await assert.rejects(reading);
  });
});
