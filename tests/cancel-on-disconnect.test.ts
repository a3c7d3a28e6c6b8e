import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readSse } from "@sluice/protocol";
import OpenAI from "openai";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

describe("cancel on disconnect", () => {
  const servers = useMockAndGateway({ STREAM_GRACE_MS: "0" });

  /**
   * Waits until the mock has no open stream. The answers run for 50 s, so an early close is the
   * gateway's doing; how early is the bench's figure (docs/benchmarks.md), not a test's, so that
   * a loaded CI machine cannot fail it.
   */
  async function upstreamClosed(): Promise<void> {
    await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 15_000 });
  }

  test("an OpenAI SDK client that stops after 5 tokens leaves no open stream upstream at once", async () => {
    servers.mock.reset();
    const client = new OpenAI({
      baseURL: `${servers.gateway.url}/v1`,
      apiKey: "unused",
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({
      model: "openai/mock?tokens=5000&gap=10&ttft=1",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    let tokens = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) tokens += 1;
      if (tokens === 5) break;
    }
    await upstreamClosed();
    assert.equal(servers.mock.stats().aborted_streams, 1);
  });

  test("a native client that hangs up after 5 tokens cancels upstream (grace 0)", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const response = await postStream(
      servers.gateway.url,
      { message: "Hello", model: "openai/mock?tokens=5000&gap=10&ttft=1" },
      { signal: controller.signal },
    );
    const result = await readNativeStream(response, { stopAfterTokens: 5, controller });
    assert.equal(result.events.filter(({ event }) => event.type === "token").length, 5);
    await upstreamClosed();
    assert.equal(servers.mock.stats().aborted_streams, 1);
  });

  test("a client of the compact stream that hangs up cancels upstream", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const response = await fetch(`${servers.gateway.url}/api/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Hello", model: "openai/mock?tokens=5000&gap=10&ttft=1" }),
      signal: controller.signal,
    });
    assert.ok(response.body);
    let frames = 0;
    for await (const message of readSse(response.body)) {
      assert.equal(typeof JSON.parse(message.data).t, "string");
      frames += 1;
      if (frames === 5) break;
    }
    controller.abort();
    await upstreamClosed();
    assert.equal(servers.mock.stats().aborted_streams, 1);
  });
});
