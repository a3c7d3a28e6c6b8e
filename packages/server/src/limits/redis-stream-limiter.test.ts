import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { Redis } from "ioredis";
import { pino } from "pino";
import {
  type RedisServer,
  redisSkipReason,
  startRedisServer,
} from "../../../../tests/support/redis-server.js";
import { RedisStreamLimiter } from "./redis-stream-limiter.js";

const refusedBy = (limit: string) => (error: unknown) =>
  error instanceof SluiceError && error.type === "rate_limited" && error.param === limit;

describe("RedisStreamLimiter against a real redis-server", { skip: redisSkipReason() }, () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const limiters: RedisStreamLimiter[] = [];
  const instance = (limits: { maxConcurrent: number; tokensPerMinute: number }, leaseMs = 300) => {
    const redis = new Redis(server.url);
    clients.push(redis);
    const limiter = new RedisStreamLimiter({
      redis,
      limits,
      leaseMs,
      logger: pino({ level: "silent" }),
    });
    limiters.push(limiter);
    return limiter;
  };
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await Promise.all(limiters.map((limiter) => limiter.close()));
    for (const client of clients) client.disconnect();
    await server.stop();
  });

  test("a slot stays held while its instance renews it, and frees itself when it dies", async () => {
    const limits = { maxConcurrent: 1, tokensPerMinute: 0 };
    const dying = instance(limits);
    const other = instance(limits);
    await dying.acquire("owner-a");
    // Several lease lengths later, the renewing instance still holds the slot.
    const heldUntil = Date.now() + 1000;
    while (Date.now() < heldUntil) {
      await assert.rejects(other.acquire("owner-a"), refusedBy("concurrent_streams"));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await dying.close(); // renewals stop, as when the process is killed
    const diedAt = Date.now();
    for (;;) {
      const lease = await other.acquire("owner-a").catch(() => undefined);
      if (lease) break;
      assert.ok(Date.now() - diedAt < 15_000, "the dead instance's slot never expired");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test("release frees the slot at once and charges the tokens to the minute", async () => {
    const limits = { maxConcurrent: 1, tokensPerMinute: 50 };
    const first = instance(limits);
    const second = instance(limits);
    const lease = await first.acquire("owner-b");
    await assert.rejects(second.acquire("owner-b"), refusedBy("concurrent_streams"));
    await lease.release(60);
    await assert.rejects(second.acquire("owner-b"), refusedBy("tokens_per_minute"));
    await second.acquire("owner-c");
  });
});
