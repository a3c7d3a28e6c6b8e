import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import type { MockRequestRecord } from "@sluice/mock";
import type { DoneEvent } from "@sluice/protocol";
import { useGatewaysOnRedis } from "./support/gateways-on-redis.js";
import { postStream, readNativeStream } from "./support/native-stream.js";
import { redisSkipReason } from "./support/redis-server.js";
import { routingFile } from "./support/routing-file.js";

/** Two gateways sharing least-busy counts and circuit breakers through Redis. */

const config = `
models:
  busy:
    targets: ["openai/mock-a?tokens=400&gap=10", "openai/mock-b?tokens=400&gap=10"]
    strategy: least-busy
  fragile:
    targets: ["openai/mock-a?tokens=3&fault=500", "openai/mock-b?tokens=3"]
    failure_threshold: 1
    cooldown_ms: 60000
`;

describe("routing state shared through Redis", { skip: redisSkipReason() }, () => {
  const seen: MockRequestRecord[] = [];
  const servers = useGatewaysOnRedis(
    { SLUICE_CONFIG: routingFile(config), RETRY_MAX_ATTEMPTS: "1" },
    { ttftMs: 1, gapMs: 1, onRequest: (request) => seen.push(request) },
  );
  beforeEach(() => {
    seen.length = 0;
  });
  test("least-busy on one instance counts the generations running on the other", async () => {
    const controller = new AbortController();
    const running = await readNativeStream(
      await postStream(
        servers.gatewayA.url,
        { message: "Long", model: "busy" },
        { signal: controller.signal },
      ),
      { stopAfterTokens: 1, controller },
    );
    const busyModel = String(seen[0]?.body.model);
    // Both instances start their turns on the same target: only the shared count tells them apart.
    const other = await readNativeStream(
      await postStream(servers.gatewayB.url, { message: "Short", model: "busy", max_tokens: 3 }),
    );
    const done = other.events.at(-1)?.event as DoneEvent;
    assert.equal(done.type, "done");
    assert.notEqual(`openai/${busyModel}`, done.model);
    assert.deepEqual(
      seen.map((request) => request.body.model),
      [busyModel, done.model?.slice("openai/".length)],
    );
    const cancelled = await fetch(`${servers.gatewayA.url}/api/streams/${running.streamId}`, {
      method: "DELETE",
    });
    assert.equal(cancelled.status < 300, true);
    await cancelled.arrayBuffer();
  });

  test("a target benched by one instance is skipped by the other", async () => {
    const fellBack = await readNativeStream(
      await postStream(servers.gatewayA.url, { message: "Hello", model: "fragile" }),
    );
    const done = fellBack.events.at(-1)?.event;
    assert.equal(done?.type === "done" && done.model, "openai/mock-b?tokens=3");
    const ready = await (await fetch(`${servers.gatewayB.url}/readyz`)).json();
    assert.deepEqual(
      ready.routing.benched_targets.map((bench: { target: string }) => bench.target),
      ["openai/mock-a?tokens=3&fault=500"],
    );
    seen.length = 0;
    const skipped = await readNativeStream(
      await postStream(servers.gatewayB.url, { message: "Hello", model: "fragile" }),
    );
    assert.equal(
      skipped.events.some(({ event }) => event.type === "status"),
      false,
    );
    assert.deepEqual(
      seen.map((request) => request.body.model),
      ["mock-b?tokens=3"],
    );
  });
});
