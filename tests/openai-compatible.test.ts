import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import OpenAI from "openai";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

describe("the OpenAI-compatible route, driven by the official openai SDK", () => {
  const servers = useMockAndGateway({ RETRY_MAX_ATTEMPTS: "1" });
  let client: OpenAI;

  before(() => {
    client = new OpenAI({ baseURL: `${servers.gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });

  for (const provider of ["openai", "anthropic"]) {
    test(`streams the upstream's exact text through ${provider}/…, tricky tokens included`, async () => {
      const stream = await client.chat.completions.create({
        model: `${provider}/mock?tokens=120&seed=7&gap=1&ttft=5`,
        messages: [{ role: "user", content: "Hello" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let usage: OpenAI.CompletionUsage | undefined | null;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      const expected = mockText({ tokens: 120, seed: 7 });
      assert.equal(text, expected);
      assert.match(expected, /\r\n/);
      assert.equal(finish, "stop");
      assert.equal(usage?.completion_tokens, 120);
    });

    test(`answers without streaming through ${provider}/…`, async () => {
      const completion = await client.chat.completions.create({
        model: `${provider}/mock?tokens=30&seed=2&gap=0&ttft=1`,
        messages: [{ role: "user", content: "Hello" }],
      });
      assert.equal(completion.choices[0]?.message.content, mockText({ tokens: 30, seed: 2 }));
      assert.equal(completion.choices[0]?.finish_reason, "stop");
      assert.equal(completion.usage?.completion_tokens, 30);
    });
  }

  test("streams tool-call deltas that the SDK assembles", async () => {
    const runner = client.chat.completions.stream({
      model: "openai/mock?tool=1&gap=0&ttft=1",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ],
    });
    const completion = await runner.finalChatCompletion();
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.equal(completion.choices[0]?.finish_reason, "tool_calls");
    assert.equal(call?.type, "function");
    assert.ok(call && call.type === "function" && call.function.name.length > 0);
    assert.doesNotThrow(() => JSON.parse(call?.type === "function" ? call.function.arguments : ""));
  });

  test("an upstream failure before the first token is a real HTTP status in OpenAI's shape", async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: "openai/mock?fault=429&retry_after=3",
        messages: [{ role: "user", content: "Hello" }],
        stream: true,
      }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError, String(error));
        assert.equal(error.headers.get("retry-after"), "3");
        assert.equal(error.headers.get("x-should-retry"), "true");
        return true;
      },
    );
    await assert.rejects(
      client.chat.completions.create({
        model: "openai/mock?fault=500",
        messages: [{ role: "user", content: "Hello" }],
      }),
      (error: unknown) => error instanceof OpenAI.APIError && (error.status ?? 0) >= 500,
    );
  });

  test("a failure after the first token reaches the SDK as an error, not a clean end", async () => {
    const stream = await client.chat.completions.create({
      model: "openai/mock?tokens=20&fault=error&after=5&gap=0&ttft=1",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    let text = "";
    await assert.rejects(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    });
    assert.equal(text, mockText({ tokens: 20, seed: 1 }).slice(0, text.length));
    assert.ok(text.length > 0);
  });

  test("an unknown model is OpenAI's 404 with code model_not_found", async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: "nosuch/model",
        messages: [{ role: "user", content: "Hello" }],
      }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === "model_not_found",
    );
  });

  test("lists the demo model and the upstream's models", async () => {
    const models = await client.models.list();
    const ids = models.data.map((model) => model.id);
    assert.ok(ids.includes("demo/default"), ids.join(","));
  });
});
