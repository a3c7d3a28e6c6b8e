import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { StreamEvent } from "@sluice/protocol";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import {
  assertWholeStream,
  postStream,
  readNativeStream,
  textOf,
} from "./support/native-stream.js";

describe("the native SSE stream", () => {
  const servers = useMockAndGateway({
    DEFAULT_MODEL: "demo/default",
    DEMO_TTFT_MS: "20",
    DEMO_TOKENS_PER_SECOND: "400",
  });

  test("sends the contract's headers, numbered ids, retry, and exactly one terminal event", async () => {
    const response = await postStream(servers.gateway.url, {
      message: "Hello",
      model: "openai/mock?tokens=50&seed=4&gap=0&ttft=1",
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    const raw = await response.text();
    assert.match(raw, /^retry: 1000\n/);
    const streamId = response.headers.get("x-stream-id");
    assert.ok(streamId && streamId.length >= 22);
    const messages = raw.split("\n\n").filter((block) => block.includes("data: "));
    const events = messages.map((block) => {
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
      return { id, event: StreamEvent.parse(JSON.parse(data)) };
    });
    assertWholeStream(streamId, events);
    assert.equal(textOf(events), mockText({ tokens: 50, seed: 4 }));
    const done = events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "stop");
    assert.equal(done.token_count, 50);
    assert.equal(done.usage.completion_tokens, 50);
    assert.ok(done.ttft_ms !== null && done.ttft_ms >= 0);
    assert.ok(done.elapsed_seconds > 0 && done.tokens_per_second > 0);
  });

  test("the demo model streams a labelled Markdown answer token by token", async () => {
    const response = await fetch(
      `${servers.gateway.url}/api/chat/stream?message=${encodeURIComponent("How do tides work?")}`,
    );
    assert.ok(response.body);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let raw = "";
    let readsWithTokens = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      if (chunk.includes('"type":"token"')) readsWithTokens += 1;
      raw += chunk;
    }
    assert.ok(readsWithTokens > 5, `tokens came in ${readsWithTokens} reads`);
    const text = [...raw.matchAll(/^data: (.*)$/gm)]
      .map((match) => JSON.parse(match[1] ?? "{}"))
      .filter((event) => event.type === "token")
      .map((event) => event.content)
      .join("");
    assert.match(text, /demo/i);
    assert.match(text, /tides/i);
    assert.match(raw, /"type":"done"/);
  });

  test("a usage count is estimated when the provider gives none", async () => {
    const result = await readNativeStream(
      await postStream(servers.gateway.url, {
        message: "Hi",
        model: "openai/mock?tokens=12&usage=0&gap=0",
      }),
    );
    const done = result.events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.usage.estimated, true);
    assert.ok(done.usage.completion_tokens > 0);
  });
});
