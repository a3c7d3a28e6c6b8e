import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redisSkipReason } from "../../../../../../tests/support/redis-server.js";
import { keyPrefix, useRedisStores } from "../../../../../../tests/support/redis-stores.js";
import {
  appendTokens,
  readAll,
  until,
} from "../../../../../../tests/support/stream-log-testing.js";

describe("RemoteStreamView: reading a stream another instance generates", {
  skip: redisSkipReason(),
}, () => {
  const redis = useRedisStores();

  test("ends with a retryable error, soon after the lease, when the generator stops renewing it", async (t) => {
    const leaseMs = 300;
    const generator = await redis.newStore({ leaseMs });
    const reader = await redis.newStore({ leaseMs });
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 3);
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(remote);
    const reading = readAll(remote);
    const stoppedAt = performance.now();
    await generator.close();
    const entries = await reading;
    const detectedMs = performance.now() - stoppedAt;
    t.diagnostic(`lease ${leaseMs} ms: the reader saw the error after ${detectedMs.toFixed(0)} ms`);
    assert.deepEqual(
      entries.map((entry) => entry.seq),
      [1, 2, 3, 4],
    );
    const last = entries.at(-1)?.event;
    assert.ok(last?.type === "error");
    assert.equal(last.retryable, true);
    assert.equal(last.error_type, "network_error");
    assert.equal(remote.state(), "error");
    assert.equal(await redis.raw.hget(`${keyPrefix}{${log.id}}:meta`, "state"), "error");
  });

  test("two instances that find the lease gone write one terminal event between them", async () => {
    const generator = await redis.newStore({ leaseMs: 60_000 });
    const first = await redis.newStore({ leaseMs: 200 });
    const second = await redis.newStore({ leaseMs: 200 });
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 2);
    const views = await Promise.all(
      [first, second].map((store) => store.open(log.id, AbortSignal.timeout(5000))),
    );
    const readings = views.map((view) => {
      assert.ok(view);
      return readAll(view);
    });
    await redis.raw.del(`${keyPrefix}{${log.id}}:lease`);
    const [fromFirst, fromSecond] = await Promise.all(readings);
    assert.deepEqual(
      fromFirst?.map((entry) => entry.frame),
      fromSecond?.map((entry) => entry.frame),
    );
    assert.equal(fromFirst?.length, 3);
    assert.equal(await redis.raw.xlen(`${keyPrefix}{${log.id}}:log`), 3);
  });

  test("a generator whose stream was ended elsewhere stops its run instead of writing after the end", async () => {
    const generator = await redis.newStore({ leaseMs: 60_000 });
    const reader = await redis.newStore({ leaseMs: 200 });
    const cancelled: string[] = [];
    generator.onCancelRequest((id) => cancelled.push(id));
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 2);
    const remote = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(remote);
    await redis.raw.del(`${keyPrefix}{${log.id}}:lease`);
    const entries = await readAll(remote);
    assert.equal(entries.at(-1)?.event.type, "error");
    appendTokens(log, 3);
    await until(() => cancelled.includes(log.id));
    const stored = await redis.raw.xrange(`${keyPrefix}{${log.id}}:log`, "-", "+");
    assert.equal(stored.length, 3, "nothing was written after the terminal event");
  });

  test("readers that resume from different points share one cache and each get their own tail", async () => {
    const generator = await redis.newStore();
    const reader = await redis.newStore();
    const log = await generator.create({ owner: "alice" });
    appendTokens(log, 10);
    await until(async () => (await redis.raw.xlen(`${keyPrefix}{${log.id}}:log`)) === 10);
    const late = await reader.open(log.id, AbortSignal.timeout(5000));
    const early = await reader.open(log.id, AbortSignal.timeout(5000));
    assert.ok(late && early);
    const detach = late.attachReader();
    const readings = [readAll(late, 7), readAll(early, 2)];
    appendTokens(log, 2);
    log.append({ type: "error", error_type: "api_error", message: "upstream", retryable: true });
    const [fromLate, fromEarly] = await Promise.all(readings);
    detach();
    assert.deepEqual(
      fromLate?.map((entry) => entry.seq),
      [8, 9, 10, 11, 12, 13],
    );
    assert.deepEqual(
      fromEarly?.map((entry) => entry.seq),
      [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    );
  });
});
