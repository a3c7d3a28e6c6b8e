import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { pino } from "pino";
import {
  type RedisServer,
  redisSkipReason,
  startRedisServer,
} from "../../../../tests/support/redis-server.js";
import type { LogEntry } from "./log-event.js";
import { RedisStreamStore } from "./redis-stream-store.js";
import type { StreamLog, WritableStreamLog } from "./stream-log.js";

const logger = pino({ level: "silent" });
const keyPrefix = "test:";

async function readAll(log: StreamLog, from = 0, timeoutMs = 10_000): Promise<LogEntry[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  const entries: LogEntry[] = [];
  let position = from;
  for (;;) {
    const batch = await log.readAfter(position, signal);
    if (batch.length === 0) return entries;
    entries.push(...batch);
    position = batch.at(-1)?.seq ?? position;
  }
}

function appendTokens(log: WritableStreamLog, count: number, prefix: string): void {
  for (let index = 0; index < count; index += 1) {
    log.append({ type: "token", content: `${prefix}${index} ` });
  }
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(condition)
      .catch(() => false))
  ) {
    if (performance.now() > deadline) assert.fail(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("RedisLogWriter across a Redis outage", { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  let raw: Redis;
  let generator: RedisStreamStore;
  let reader: RedisStreamStore;

  before(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url);
    raw.on("error", () => {});
    generator = new RedisStreamStore({ url: redis.url, logger, keyPrefix, leaseMs: 300 });
    reader = new RedisStreamStore({ url: redis.url, logger, keyPrefix, leaseMs: 300 });
    for (const store of [generator, reader]) {
      assert.ok(await store.whenReady(AbortSignal.timeout(5000)));
    }
  });
  after(async () => {
    await Promise.all([generator.close(), reader.close()]);
    raw.disconnect();
    await redis.stop();
  });

  test("appends while Redis is down neither throw nor stall; Redis gets them all when it is back", async () => {
    const log = await generator.create({ owner: "alice", requestKey: "outage" });
    appendTokens(log, 10, "a");
    const key = `${keyPrefix}{${log.id}}:log`;
    await until(async () => (await raw.xlen(key)) === 10);

    await redis.stop();
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
    await redis.restart();
    appendTokens(log, 5, "c");
    log.append({ type: "error", error_type: "api_error", message: "upstream", retryable: true });
    await until(async () => (await raw.xlen(key)) === 26);
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
    assert.equal(await raw.hget(`${keyPrefix}{${log.id}}:meta`, "state"), "error");
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
    await redis.restart();
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
