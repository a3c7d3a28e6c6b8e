import assert from "node:assert/strict";
import { test } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { MemoryStreamLimiter } from "./memory-stream-limiter.js";

const refusedBy = (limit: string) => (error: unknown) =>
  error instanceof SluiceError && error.type === "rate_limited" && error.param === limit;

test("concurrency per owner: the next stream waits for a release", async () => {
  const limiter = new MemoryStreamLimiter({ maxConcurrent: 2, tokensPerMinute: 0 });
  const first = await limiter.acquire("a");
  await limiter.acquire("a");
  await assert.rejects(limiter.acquire("a"), refusedBy("concurrent_streams"));
  await limiter.acquire("b");
  first.release(0);
  first.release(0); // twice is once
  await limiter.acquire("a");
  await assert.rejects(limiter.acquire("a"), refusedBy("concurrent_streams"));
});

test("tokens per minute: refused once spent, with Retry-After to the minute's end", async () => {
  let now = 60_000 * 1000 + 45_000;
  const limiter = new MemoryStreamLimiter({ maxConcurrent: 0, tokensPerMinute: 100 }, () => now);
  (await limiter.acquire("a")).release(70);
  (await limiter.acquire("a")).release(40);
  const refusal = await limiter.acquire("a").catch((error: unknown) => error);
  assert.ok(refusedBy("tokens_per_minute")(refusal));
  assert.equal((refusal as SluiceError).retryAfterMs, 15_000);
  now += 15_000;
  await limiter.acquire("a");
});
