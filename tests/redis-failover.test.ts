import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readStreamEvents, type ServerEvent } from "@sluice/client";
import { type MockServer, mockText, startMock } from "@sluice/mock";
import { startGateway, type TestGateway, upstreamEnvironment } from "./support/gateway.js";
import { type GatewayProcess, startGatewayProcess } from "./support/gateway-process.js";
import { postStream, textOf } from "./support/native-stream.js";
import { type RedisServer, redisSkipReason, startRedisServer } from "./support/redis-server.js";

const leaseMs = 1000;

interface Followed {
  events: { id: string; event: ServerEvent }[];
  /** The connection ended without a terminal event (cut, or closed early). */
  cut: boolean;
}

/**
 * Reads a native stream until its terminal event or until the connection ends; calls
 * `onToken` with the tokens seen so far, so that a test can act mid-stream.
 */
async function follow(
  response: Response,
  onToken: (tokens: number) => void = () => {},
): Promise<Followed> {
  const events: Followed["events"] = [];
  let tokens = 0;
  assert.equal(response.status, 200);
  assert.ok(response.body);
  try {
    for await (const { id, event } of readStreamEvents(response.body)) {
      events.push({ id: id ?? "", event });
      if (event.type === "token") onToken(++tokens);
      if (event.type === "done" || event.type === "error") return { events, cut: false };
    }
  } catch {
    // The server cut the connection: no terminal event.
  }
  return { events, cut: true };
}

function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(":") + 1));
}

/**
 * Resumes a stream on `url` after `lastId`, retrying every 100 ms while the store recovers
 * (503 while Redis is down, 404 until the generator has re-synced); `refusals` counts those.
 */
async function resume(
  url: string,
  streamId: string,
  lastId: string,
): Promise<{ response: Response; refusals: number }> {
  const deadline = performance.now() + 15_000;
  for (let refusals = 0; ; refusals += 1) {
    const response = await fetch(`${url}/api/streams/${streamId}`, {
      headers: { "last-event-id": lastId },
    });
    if (response.status === 200) return { response, refusals };
    await response.arrayBuffer();
    if (performance.now() > deadline) assert.fail(`resume still answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("streams shared through Redis when an instance or Redis fails", {
  skip: redisSkipReason(),
}, () => {
  let redis: RedisServer;
  let mock: MockServer;
  let environment: Record<string, string>;
  let gatewayB: TestGateway;

  before(async () => {
    redis = await startRedisServer();
    mock = await startMock();
    environment = {
      ...upstreamEnvironment(mock.url),
      REDIS_URL: redis.url,
      REDIS_LEASE_MS: String(leaseMs),
    };
    gatewayB = await startGateway(environment);
  });
  after(async () => {
    await gatewayB.close();
    await mock.close();
    await redis.stop();
  });

  test("when A dies mid-stream, B's reader gets a retryable error within about a lease", async (t) => {
    const gatewayA: GatewayProcess = await startGatewayProcess(environment);
    t.after(() => gatewayA.stop());
    mock.reset();
    const controller = new AbortController();
    const started = await postStream(
      gatewayA.url,
      { message: "Hello", model: "openai/mock?tokens=5000&gap=5&ttft=1" },
      { signal: controller.signal },
    );
    const streamId = started.headers.get("x-stream-id") ?? "";
    const first = await follow(started, (tokens) => tokens === 5 && controller.abort());
    let killedAt = 0;
    const rest = await follow(
      await fetch(`${gatewayB.url}/api/streams/${streamId}`, {
        headers: { "last-event-id": first.events.at(-1)?.id ?? "" },
      }),
      (tokens) => {
        if (tokens !== 10) return;
        killedAt = performance.now();
        gatewayA.signal("SIGKILL");
      },
    );
    const detectedMs = performance.now() - killedAt;
    t.diagnostic(
      `lease ${leaseMs} ms: B's reader got the error ${detectedMs.toFixed(0)} ms after the kill`,
    );
    assert.equal(rest.cut, false, "the reader got a terminal event, not a hang or a cut");
    const terminal = rest.events.at(-1)?.event;
    assert.ok(terminal?.type === "error", `terminal event: ${JSON.stringify(terminal)}`);
    assert.equal(terminal.retryable, true);
    assert.equal(terminal.error_type, "network_error");
    // "Not a hang": the figure itself is in the diagnostic above, and a loaded machine is late.
    assert.ok(detectedMs < leaseMs * 1.5 + 8000, `${detectedMs.toFixed(0)} ms after the kill`);
    const events = [...first.events, ...rest.events];
    assert.deepEqual(
      events.map(({ id }) => seqOf(id)),
      events.map((_event, index) => index + 1),
    );
    assert.ok(mockText({ tokens: 5000, seed: 1 }).startsWith(textOf(events)));
    assert.equal((await gatewayA.exited).signal, "SIGKILL");
  });

  test("a Redis restart mid-stream never ends a reader on a truncated text", async (t) => {
    const gatewayA = await startGateway(environment);
    try {
      mock.reset();
      const expected = mockText({ tokens: 400, seed: 1 });
      const onA = await postStream(gatewayA.url, {
        message: "Hello",
        model: "openai/mock?tokens=400&gap=5&ttft=1",
      });
      const streamId = onA.headers.get("x-stream-id") ?? "";
      let restarted: Promise<void> | undefined;
      const readingOnA = follow(onA);
      const onB = await follow(await fetch(`${gatewayB.url}/api/streams/${streamId}`), (tokens) => {
        if (tokens === 20) restarted = redis.restart();
      });
      await restarted;
      const fromA = await readingOnA;
      assert.equal(fromA.cut, false);
      assert.equal(textOf(fromA.events), expected, "A's own reader reads memory: the whole text");
      assert.equal(fromA.events.at(-1)?.event.type, "done");

      let events = onB.events;
      if (onB.cut) {
        const resumed = await resume(gatewayB.url, streamId, events.at(-1)?.id ?? "");
        t.diagnostic(
          `B's reader was cut after ${events.length} events; it resumed after ${resumed.refusals} refusals`,
        );
        const rest = await follow(resumed.response);
        assert.equal(rest.cut, false);
        events = [...events, ...rest.events];
      }
      const terminal = events.at(-1)?.event;
      if (terminal?.type === "done") {
        assert.equal(textOf(events), expected, "a done event comes only after the whole text");
      } else {
        assert.ok(terminal?.type === "error" && terminal.retryable);
      }
      assert.deepEqual(
        events.map(({ id }) => seqOf(id)),
        events.map((_event, index) => index + 1),
      );
      assert.equal(mock.stats().streams_started, 1);
    } finally {
      await gatewayA.close();
    }
  });

  test("/readyz answers 503 while Redis is down, and 200 once it is back", async () => {
    await redis.stop();
    const down = await fetch(`${gatewayB.url}/readyz`);
    assert.equal(down.status, 503);
    const body = (await down.json()) as { store: { kind: string; ready: boolean } };
    assert.deepEqual(body.store, { kind: "redis", ready: false });
    await redis.restart();
    const deadline = performance.now() + 15_000;
    for (;;) {
      const response = await fetch(`${gatewayB.url}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) break;
      if (performance.now() > deadline) assert.fail("not ready again within 15 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
