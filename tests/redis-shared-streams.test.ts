import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { useGatewaysOnRedis } from "./support/gateways-on-redis.js";
import {
  assertWholeStream,
  postStream,
  readNativeStream,
  textOf,
} from "./support/native-stream.js";
import { redisSkipReason } from "./support/redis-server.js";

const alpha = { authorization: "Bearer alpha-key" };
const beta = { authorization: "Bearer beta-key" };

describe("two gateways sharing streams through Redis", { skip: redisSkipReason() }, () => {
  const servers = useGatewaysOnRedis({
    SLUICE_API_KEYS: "alpha-key,beta-key",
    // Shorter than the long streams below, so that only readers on B can keep them alive.
    STREAM_GRACE_MS: "1000",
  });

  test("a stream started on A and resumed on B yields the exact text from one generation", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const first = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Hello", model: "openai/mock?tokens=200&gap=5&ttft=1" },
        { headers: alpha, signal: controller.signal },
      ),
      { stopAfterTokens: 20, controller },
    );
    const streamId = first.streamId ?? "";
    const lastId = first.events.at(-1)?.id ?? "";
    const rest = await readNativeStream(
      await fetch(`${servers.gatewayB.url}/api/streams/${streamId}`, {
        headers: { ...alpha, "last-event-id": lastId },
      }),
    );
    assert.equal(rest.status, 200);
    const events = [...first.events, ...rest.events];
    assertWholeStream(streamId, events);
    assert.equal(textOf(events), mockText({ tokens: 200, seed: 1 }));
    assert.equal(rest.events.at(-1)?.event.type, "done");
    const done = rest.events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "stop");
    assert.equal(servers.mock.stats().streams_started, 1);
  });

  test("a stream whose only reader is on B outlives the grace period on A", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const first = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Slow", model: "openai/mock?tokens=600&seed=2&gap=5&ttft=1" },
        { headers: alpha, signal: controller.signal },
      ),
      { stopAfterTokens: 5, controller },
    );
    const startedAt = performance.now();
    const rest = await readNativeStream(
      await fetch(`${servers.gatewayB.url}/api/streams/${first.streamId}`, {
        headers: { ...alpha, "last-event-id": first.events.at(-1)?.id ?? "" },
      }),
    );
    assert.ok(performance.now() - startedAt > 1000, "the stream ran past A's grace period");
    const done = rest.events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "stop", "B's reader counted on A: no grace expiry");
    assert.equal(first.text + rest.text, mockText({ tokens: 600, seed: 2 }));
  });

  test("resuming on B at every position of a stream generated on A yields the exact text", async () => {
    servers.mock.reset();
    const whole = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Hi", model: "openai/mock?tokens=60&seed=3&gap=0&ttft=1" },
        { headers: alpha },
      ),
    );
    const expected = mockText({ tokens: 60, seed: 3 });
    assert.equal(whole.text, expected);
    for (let position = 0; position < whole.events.length; position += 1) {
      const response = await fetch(`${servers.gatewayB.url}/api/streams/${whole.streamId}`, {
        headers: {
          ...alpha,
          ...(position > 0 ? { "last-event-id": `${whole.streamId}:${position}` } : {}),
        },
      });
      const rest = await readNativeStream(response);
      assert.deepEqual(
        rest.events.map(({ id }) => id),
        whole.events.slice(position).map(({ id }) => id),
        `ids after position ${position}`,
      );
      assert.equal(textOf(whole.events.slice(0, position)) + rest.text, expected);
    }
    assert.equal(servers.mock.stats().streams_started, 1);
  });

  test("a retry with resume_from on B joins the generation running on A", async () => {
    servers.mock.reset();
    const body = { message: "Join me", model: "openai/mock?tokens=100&seed=7&gap=5&ttft=1" };
    const controller = new AbortController();
    const first = await readNativeStream(
      await postStream(servers.gatewayA.url, body, { headers: alpha, signal: controller.signal }),
      { stopAfterTokens: 10, controller },
    );
    const rest = await readNativeStream(
      await postStream(
        servers.gatewayB.url,
        { ...body, resume_from: first.text.length },
        { headers: alpha },
      ),
    );
    assert.equal(rest.streamId, first.streamId);
    assert.equal(first.text + rest.text, mockText({ tokens: 100, seed: 7 }));
    assert.equal(servers.mock.stats().streams_started, 1);
  });

  test("DELETE on B stops the upstream request A is making; B's reader ends with done: cancelled", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const first = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Long", model: "openai/mock?tokens=5000&gap=5&ttft=1" },
        { headers: alpha, signal: controller.signal },
      ),
      { stopAfterTokens: 5, controller },
    );
    const streamId = first.streamId ?? "";
    const following = fetch(`${servers.gatewayB.url}/api/streams/${streamId}`, {
      headers: { ...alpha, "last-event-id": first.events.at(-1)?.id ?? "" },
    }).then((response) => readNativeStream(response));
    await servers.mock.waitFor((stats) => stats.open_streams === 1);
    const cancel = await fetch(`${servers.gatewayB.url}/api/streams/${streamId}`, {
      method: "DELETE",
      headers: alpha,
    });
    assert.equal(cancel.status, 202);
    assert.deepEqual(await cancel.json(), { id: streamId, cancelled: true });
    await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 5000 });
    assert.equal(servers.mock.stats().aborted_streams, 1);
    const rest = await following;
    const done = rest.events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "cancelled");
    assertWholeStream(streamId, [...first.events, ...rest.events]);
  });

  test("another API key can neither read nor cancel the stream on B", async () => {
    servers.mock.reset();
    const controller = new AbortController();
    const first = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Mine", model: "openai/mock?tokens=300&gap=5&ttft=1" },
        { headers: alpha, signal: controller.signal },
      ),
      { stopAfterTokens: 2, controller },
    );
    const url = `${servers.gatewayB.url}/api/streams/${first.streamId}`;
    const read = await fetch(url, { headers: beta });
    assert.equal(read.status, 404);
    assert.equal(((await read.json()) as { error: { type: string } }).error.type, "not_found");
    const cancel = await fetch(url, { method: "DELETE", headers: beta });
    assert.equal(cancel.status, 404);
    await cancel.arrayBuffer();
    const rest = await readNativeStream(
      await fetch(url, { headers: { ...alpha, "last-event-id": first.events.at(-1)?.id ?? "" } }),
    );
    const done = rest.events.at(-1)?.event;
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "stop");
  });

  test("/readyz reports Redis", async () => {
    const response = await fetch(`${servers.gatewayB.url}/readyz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { store: { kind: string; ready: boolean } };
    assert.deepEqual(body.store, { kind: "redis", ready: true });
  });
});
