import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redisSkipReason } from "../../../../../tests/support/redis-server.js";
import { keyPrefix, useRedisStores } from "../../../../../tests/support/redis-stores.js";
import { appendTokens, readAll, until } from "../../../../../tests/support/stream-log-testing.js";

const done = {
  type: "done",
  finish_reason: "stop",
  token_count: 0,
  ttft_ms: null,
  elapsed_seconds: 0,
  tokens_per_second: 0,
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
} as const;

describe("RedisStreamStore against a real redis-server", { skip: redisSkipReason() }, () => {
  const redis = useRedisStores();

  test("100 appends in one event-loop turn leave in one pipeline with one script call", async () => {
    const store = await redis.newStore();
    const log = await store.create({ owner: "alice" });
    await until(async () => (await redis.raw.exists(`${keyPrefix}{${log.id}}:meta`)) === 1);
    const scriptCalls = async () => {
      const stats = await redis.raw.info("commandstats");
      return [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    };
    const callsBefore = await scriptCalls();
    const pipelinesBefore = store.appendPipelines();
    appendTokens(log, 100);
    const key = `${keyPrefix}{${log.id}}:log`;
    await until(async () => (await redis.raw.xlen(key)) === 100, 5000, "100 entries in Redis");
    assert.equal(store.appendPipelines() - pipelinesBefore, 1);
    assert.equal((await scriptCalls()) - callsBefore, 1);
    const stored = await redis.raw.xrange(key, "-", "+");
    assert.deepEqual(
      stored.map(([id]) => id),
      Array.from({ length: 100 }, (_unused, index) => `${index + 1}-0`),
    );
  });

  test("Redis refuses a second entry with the seq of one it holds", async () => {
    const store = await redis.newStore();
    const log = await store.create({ owner: "alice" });
    appendTokens(log, 3);
    const key = `${keyPrefix}{${log.id}}:log`;
    await until(async () => (await redis.raw.xlen(key)) === 3);
    await assert.rejects(redis.raw.xadd(key, "3-0", "d", "{}"), /equal or smaller/);
    await assert.rejects(redis.raw.xadd(key, "2-0", "d", "{}"), /equal or smaller/);
    assert.equal(await redis.raw.xlen(key), 3);
  });

  test("another instance reads the same frames, byte for byte, and follows to the end", async () => {
    const generator = await redis.newStore();
    const reader = await redis.newStore();
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 5);
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(remote);
    assert.notEqual(remote, log);
    assert.equal(remote.owner, "alice");
    const reading = readAll(remote);
    await new Promise((resolve) => setTimeout(resolve, 20));
    appendTokens(log, 5, "u");
    log.append(done);
    const remoteEntries = await reading;
    const localEntries = await readAll(log);
    assert.equal(remoteEntries.length, 11);
    assert.deepEqual(
      remoteEntries.map((entry) => entry.frame),
      localEntries.map((entry) => entry.frame),
    );
    assert.equal(remote.state(), "done");
  });

  test("an ended stream stays readable here compacted; one no client resumes leaves no copy here", async () => {
    const store = await redis.newStore();
    const kept = await store.create({ owner: "alice" });
    const dropped = await store.create({ owner: "alice", retain: false });
    for (const log of [kept, dropped]) {
      appendTokens(log, 50);
      log.append(done);
    }
    const frames = (await readAll(kept)).map((entry) => entry.frame);
    await until(async () => store.retained().streams === 1, 5000, "one stream retained");
    const { bytes } = store.retained();
    // 51 events' JSON and an offset each: far less than an object and a frame per event.
    assert.ok(bytes > 0 && bytes < 51 * 100, `${bytes} bytes retained`);
    // Rebuilt from the compacted copy, byte for byte what the readers were sent.
    assert.equal(frames.length, 51);
    assert.deepEqual(
      (await readAll(kept)).map((entry) => entry.frame),
      frames,
    );
    // The other is still in Redis for the retention time: opened from there, whole.
    const reopened = await store.open(dropped.id, AbortSignal.timeout(5000));
    assert.ok(reopened);
    assert.notEqual(reopened, dropped);
    assert.equal((await readAll(reopened)).length, 51);
  });

  test("only the owner recorded at creation is reported to other instances", async () => {
    const generator = await redis.newStore();
    const reader = await redis.newStore();
    const log = await generator.create({ owner: "owner-hash-of-key-a" });
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.equal(remote?.owner, "owner-hash-of-key-a");
    assert.equal(await reader.open("no-such-stream", AbortSignal.timeout(5000)), undefined);
  });

  test("an ended stream's keys expire after the retention time; the lease goes at once", async () => {
    const store = await redis.newStore({ ttlMs: 400 });
    const other = await redis.newStore({ ttlMs: 400 });
    const log = await store.create({ owner: "alice", requestKey: "request-1" });
    appendTokens(log, 2);
    log.append(done);
    const keys = ["log", "meta"].map((name) => `${keyPrefix}{${log.id}}:${name}`);
    await until(async () => (await redis.raw.hget(keys[1] ?? "", "state")) === "done");
    assert.equal(await redis.raw.exists(`${keyPrefix}{${log.id}}:lease`), 0);
    for (const key of keys) {
      const ttl = await redis.raw.pttl(key);
      assert.ok(ttl > 0 && ttl <= 400, `${key} expires in ${ttl} ms`);
    }
    assert.equal(await other.findByRequestKey("request-1", AbortSignal.timeout(5000)), log.id);
    await until(
      async () => (await redis.raw.exists(...keys, `${keyPrefix}request:request-1`)) === 0,
    );
    assert.equal(await other.open(log.id, AbortSignal.timeout(5000)), undefined);
  });

  test("a cancel request reaches the instance that generates the stream", async () => {
    const generator = await redis.newStore();
    const other = await redis.newStore();
    const cancelled: string[] = [];
    generator.onCancelRequest((id) => cancelled.push(id));
    const log = await generator.create({ owner: "alice" });
    await other.requestCancel(log.id);
    await until(() => cancelled.includes(log.id), 5000, "cancel heard");
  });

  test("readers on another instance count for the generator's grace", async () => {
    const generator = await redis.newStore();
    const other = await redis.newStore();
    const log = await generator.create({ owner: "alice" });
    const counts: number[] = [];
    log.onReadersChanged((count) => counts.push(count));
    const remote = await other.open(log.id, AbortSignal.timeout(5000));
    const detach = remote?.attachReader();
    await until(() => counts.at(-1) === 1, 5000, "remote reader counted");
    detach?.();
    await until(() => counts.at(-1) === 0, 5000, "remote reader gone");
  });
});
