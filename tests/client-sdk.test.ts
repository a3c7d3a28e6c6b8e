import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resumeStream, streamChat } from "@sluice/client";
import { mockText } from "@sluice/mock";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

describe("the client SDK in Node against the gateway", () => {
  const servers = useMockAndGateway({ STREAM_GRACE_MS: "5000" });

  test("streams the exact text", async () => {
    const model = "openai/mock?tokens=60&seed=3&gap=1&ttft=1";
    const stream = streamChat({ message: "Hello", model }, { baseUrl: servers.gateway.url });
    assert.equal(await stream.text, mockText({ tokens: 60, seed: 3 }));
    assert.equal((await stream.done).finish_reason, "stop");
  });

  test("a connection cut twice still ends with the exact text of one generation", async () => {
    const proxy = await startCuttingProxy(servers.gateway.url, [3000, 6000]);
    try {
      servers.mock.reset();
      const model = "openai/mock?tokens=150&seed=9&gap=4&ttft=1";
      const stream = streamChat(
        { message: "Hello", model },
        { baseUrl: proxy.url, reconnect: { baseDelayMs: 20, maxDelayMs: 50 } },
      );
      const reconnects: number[] = [];
      for await (const event of stream) {
        if (event.type === "reconnecting") reconnects.push(event.attempt);
      }
      assert.equal(await stream.text, mockText({ tokens: 150, seed: 9 }));
      assert.deepEqual(reconnects, [1, 1]);
      assert.equal(proxy.connections(), 3);
      assert.equal(servers.mock.stats().streams_started, 1);
    } finally {
      await proxy.close();
    }
  });

  test("leave, then resumeStream after the last event id, gives the rest with nothing lost or repeated", async () => {
    const model = "openai/mock?tokens=120&seed=5&gap=5&ttft=1";
    const first = streamChat({ message: "Hello", model }, { baseUrl: servers.gateway.url });
    let before = "";
    for await (const event of first) {
      if (event.type === "token") before += event.content;
      if (before.length > 40) first.leave();
    }
    await assert.rejects(first.done, (error: { type: string }) => error.type === "left");
    const rest = resumeStream(await first.id, {
      baseUrl: servers.gateway.url,
      ...(first.lastEventId ? { lastEventId: first.lastEventId } : {}),
    });
    assert.equal(before + (await rest.text), mockText({ tokens: 120, seed: 5 }));
  });

  test("a body over BODY_LIMIT is refused with payload_too_large (413), not retried", async () => {
    const stream = streamChat(
      { message: "x".repeat(2 * 1024 * 1024) },
      { baseUrl: servers.gateway.url },
    );
    await assert.rejects(stream.done, (error: { type: string; status: number }) => {
      assert.equal(error.status, 413);
      assert.equal(error.type, "payload_too_large");
      return true;
    });
  });

  test("resuming a stream that does not exist is refused with not_found (404)", async () => {
    const stream = resumeStream("NoSuchStreamAAAAAAAAAAAA", { baseUrl: servers.gateway.url });
    await assert.rejects(stream.text, (error: { type: string; status: number }) => {
      assert.equal(error.status, 404);
      assert.equal(error.type, "not_found");
      return true;
    });
  });

  test("a request the server refuses rejects with its type and message", async () => {
    const stream = streamChat(
      { message: "Hello", temperature: 5 },
      { baseUrl: servers.gateway.url },
    );
    await assert.rejects(stream.done, (error: { type: string; status: number }) => {
      assert.equal(error.status, 400);
      assert.equal(error.type, "invalid_request");
      return true;
    });
  });
});

describe("the client SDK with API keys and stream tokens", () => {
  const servers = useMockAndGateway({
    STREAM_GRACE_MS: "5000",
    SLUICE_API_KEYS: "key-one,key-two",
  });

  test("a backend starts with its key and hands out id and token; a reader with only those gets the rest, and can stop it", async () => {
    const model = "openai/mock?tokens=400&seed=7&gap=5&ttft=1";
    const started = streamChat(
      { message: "Hello", model },
      { baseUrl: servers.gateway.url, apiKey: "key-one", streamTokenScope: "cancel" },
    );
    let before = "";
    for await (const event of started) {
      if (event.type === "token") before += event.content;
      if (before.length > 30) started.leave();
    }
    const id = await started.id;
    assert.ok(started.streamToken, "the gateway answered a stream token");

    const reader = resumeStream(id, {
      baseUrl: servers.gateway.url,
      streamToken: started.streamToken,
      ...(started.lastEventId ? { lastEventId: started.lastEventId } : {}),
    });
    let after = "";
    let stopping: Promise<void> | undefined;
    for await (const event of reader) {
      if (event.type === "token") after += event.content;
      if (after.length > 30) stopping ??= reader.stop();
    }
    await stopping;
    const done = await reader.done;
    assert.equal(done.finish_reason, "cancelled");
    assert.ok(mockText({ tokens: 400, seed: 7 }).startsWith(before + after));
    await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 10_000 });
  });

  test("a reader without key or token is refused with unauthorized", async () => {
    const started = streamChat(
      { message: "Hello", model: "openai/mock?tokens=5&gap=1&ttft=1" },
      { baseUrl: servers.gateway.url, apiKey: "key-two" },
    );
    await started.done;
    const stranger = resumeStream(await started.id, { baseUrl: servers.gateway.url });
    await assert.rejects(stranger.text, (error: { type: string; status: number }) => {
      assert.equal(error.type, "unauthorized");
      assert.equal(error.status, 401);
      return true;
    });
  });
});
