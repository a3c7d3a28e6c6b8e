import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { redisSkipReason } from "../../../../../../tests/support/redis-server.js";
import { keyPrefix, useRedisStores } from "../../../../../../tests/support/redis-stores.js";
import {
  appendTokens,
  readAll,
  until,
} from "../../../../../../tests/support/stream-log-testing.js";
import type { LogEntry } from "../../log-event.js";
import type { RedisStreamStore } from "../redis-stream-store.js";

describe("RedisLogWriter across a Redis outage", { skip: redisSkipReason() }, () => {
  const redis = useRedisStores();
  let generator: RedisStreamStore;
  let reader: RedisStreamStore;

  before(async () => {
    generator = await redis.newStore({ leaseMs: 300 });
    reader = await redis.newStore({ leaseMs: 300 });
  });

  test("appends while Redis is down neither throw nor stall; Redis gets them all when it is back", async () => {
    const log = await generator.create({ owner: "alice", requestKey: "outage" });
    appendTokens(log, 10, "a");
    const key = `${keyPrefix}{${log.id}}:log`;
    await until(async () => (await redis.raw.xlen(key)) === 10);

    await redis.server.stop();
    appendTokens(log, 10, "b");
    const local = await readAll(log, 0, 1000).catch((error: unknown) => error);
    assert.ok(local instanceof Error, "the local reader waits for more: the stream still runs");
    assert.equal(log.lastSeq(), 20);
    assert.equal(await generator.ready(AbortSignal.timeout(1000)), false);
    await assert.rejects(
      reader.open(log.id, AbortSignal.timeout(1000)),
      (error: { type?: string; status?: number }) =>
        error.type === "network_error" && error.status === 503,
    );

    // A restart without persistence: Redis comes back empty.
    await redis.server.restart();
    appendTokens(log, 5, "c");
    log.append({ type: "error", error_type: "api_error", message: "upstream", retryable: true });
    await until(async () => (await redis.raw.xlen(key)) === 26);
    await until(() => reader.whenReady(AbortSignal.timeout(1000)));
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(remote);
    assert.equal(remote.owner, "alice");
    const remoteEntries = await readAll(remote);
    const localEntries = await readAll(log);
    assert.deepEqual(
      remoteEntries.map((entry) => entry.frame),
      localEntries.map((entry) => entry.frame),
    );
    assert.equal(await redis.raw.hget(`${keyPrefix}{${log.id}}:meta`, "state"), "error");
    assert.equal(await reader.findByRequestKey("outage", AbortSignal.timeout(5000)), log.id);
  });

  test("a reader elsewhere is cut, not ended, when Redis goes away, and can resume afterwards", async () => {
    for (const store of [generator, reader]) {
      assert.ok(await store.whenReady(AbortSignal.timeout(10_000)));
    }
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 5, "a");
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(remote);
    const seen: LogEntry[] = [];
    const signal = AbortSignal.timeout(10_000);
    const cut = (async () => {
      let position = 0;
      for (;;) {
        const batch = await remote.readAfter(position, signal);
        seen.push(...batch);
        position = batch.at(-1)?.seq ?? position;
      }
    })().catch((error: unknown) => error);
    await until(() => seen.length === 5);
    await redis.server.restart();
    const failure = (await cut) as { retryable?: boolean; status?: number };
    assert.equal(failure.retryable, true);
    assert.equal(failure.status, 503);
    assert.ok(
      seen.every((entry) => entry.event.type === "token"),
      "no terminal event was made up",
    );

    appendTokens(log, 3, "b");
    log.append({ type: "error", error_type: "api_error", message: "upstream", retryable: true });
    await until(async () => (await reader.open(log.id, AbortSignal.timeout(1000))) !== undefined);
    const resumed = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(resumed);
    const rest = await readAll(resumed, seen.length);
    assert.deepEqual(
      [...seen, ...rest].map((entry) => entry.frame),
      (await readAll(log)).map((entry) => entry.frame),
    );
  });
});
