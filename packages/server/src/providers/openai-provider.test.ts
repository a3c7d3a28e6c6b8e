import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { mockText, mockTokens } from "@sluice/mock";
import { collectProviderEvents } from "./collect-provider-events.js";
import { OpenAIProvider } from "./openai-provider.js";
import { ask, providerContractTests, weatherTool } from "./provider-contract-tests.js";

const apiKey = "sk-test-0123456789abcdef";

describe("OpenAIProvider against the mock upstream", () => {
  const upstream = providerContractTests({
    apiKey,
    baseURL: (mockUrl) => `${mockUrl}/v1`,
    create: (baseURL) => new OpenAIProvider({ apiKey, baseURL }),
    baseURLVariable: "OPENAI_BASE_URL",
    serverErrorStatuses: [500],
    inBandErrorMessage: /The server had an error while processing your request/,
  });

  it("streams tool-call deltas: id and name first, then argument fragments", async () => {
    const { events } = await upstream.stream(
      ask("mock?tool=1&tokens=12", { tools: [weatherTool] }),
    );
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

  it("passes every field of the request through, and asks for usage", async (t) => {
    // A pass-through in front of the mock that keeps the body the provider sent.
    let sent: Record<string, unknown> = {};
    const recorder = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      sent = JSON.parse(body);
      const upstreamResponse = await fetch(`${upstream.mock.url}${request.url}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      response.writeHead(upstreamResponse.status, { "content-type": "text/event-stream" });
      response.end(await upstreamResponse.text());
    });
    await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    t.after(() => recorder.close());
    const { port } = recorder.address() as AddressInfo;
    const spying = new OpenAIProvider({ apiKey, baseURL: `http://127.0.0.1:${port}/v1` });
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
    await collectProviderEvents((emit) =>
      spying.stream(ask("mock?tokens=3", fields), AbortSignal.timeout(5000), emit),
    );
    assert.deepEqual(sent, {
      model: "mock?tokens=3",
      messages: [{ role: "user", content: "Hello" }],
      ...fields,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("keeps characters whole when the upstream's bytes are split anywhere, inside a character too", async (t) => {
    const texts = ["Hé", "llo 🦀", ' "quoted" \\ ', "中文", "\n"];
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const body = Buffer.from(
      [
        ...texts.map((text) => chunk({ content: text })),
        chunk({}, "stop"),
        "data: [DONE]\n\n",
      ].join(""),
    );
    // One byte a write, each flushed on its own: every multi-byte character arrives split.
    const server = createServer(async (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (const byte of body) {
        await new Promise<void>((resolve) => response.write(Buffer.of(byte), () => resolve()));
      }
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const provider = new OpenAIProvider({ apiKey, baseURL: `http://127.0.0.1:${port}/v1` });
    const { events, error } = await collectProviderEvents((emit) =>
      provider.stream(ask("m"), AbortSignal.timeout(30_000), emit),
    );
    assert.equal(error, undefined);
    assert.deepEqual(
      events.filter((event) => event.type === "text").map((event) => event.text),
      texts,
    );
  });
});
