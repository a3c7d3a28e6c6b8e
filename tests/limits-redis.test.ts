import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useGatewaysOnRedis } from "./support/gateways-on-redis.js";
import { postStream, readNativeStream } from "./support/native-stream.js";
import { parseMetrics } from "./support/prometheus-text.js";
import { redisSkipReason } from "./support/redis-server.js";

const as = (key: string) => ({ authorization: `Bearer ${key}` });

interface LimitBody {
  error: { type: string; param: string };
}

/** Asserts a 429 of `limit` with a Retry-After of at least 1 s and at most `maxSeconds`. */
async function assertLimited(response: Response, limit: string, maxSeconds: number) {
  assert.equal(response.status, 429);
  const retryAfter = Number(response.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= maxSeconds, `Retry-After ${retryAfter}`);
  const body = (await response.json()) as LimitBody;
  assert.equal(body.error.type, "rate_limited");
  assert.equal(body.error.param, limit);
}

describe("limits hold across two gateways sharing Redis", { skip: redisSkipReason() }, () => {
  const servers = useGatewaysOnRedis({
    SLUICE_API_KEYS: "concurrent-key,tokens-key,rate-key",
    RATE_LIMIT_PER_MINUTE: "6",
    MAX_CONCURRENT_STREAMS: "1",
    TOKENS_PER_MINUTE: "100",
  });

  test("a key's running stream on A holds back its next one on B, until it ends", async () => {
    const model = "openai/mock?tokens=40&gap=10&ttft=1";
    const first = await postStream(
      servers.gatewayA.url,
      { message: "Hi", model },
      {
        headers: as("concurrent-key"),
      },
    );
    assert.equal(first.status, 200);
    await assertLimited(
      await postStream(
        servers.gatewayB.url,
        { message: "Hi", model },
        {
          headers: as("concurrent-key"),
        },
      ),
      "concurrent_streams",
      5,
    );
    assert.equal((await readNativeStream(first)).events.at(-1)?.event.type, "done");
    const next = await postStream(
      servers.gatewayB.url,
      { message: "Hi", model },
      {
        headers: as("concurrent-key"),
      },
    );
    assert.equal(next.status, 200);
    await readNativeStream(next);
  });

  test("tokens used on A count against the key's minute on B", async () => {
    // 120 completion tokens and the prompt's: over the budget of 100 once it has ended.
    const model = "openai/mock?tokens=120&gap=0&ttft=1";
    for (let attempt = 1; ; attempt++) {
      const minute = Math.floor(Date.now() / 60_000);
      const spent = await readNativeStream(
        await postStream(
          servers.gatewayA.url,
          { message: "Hi", model },
          {
            headers: as("tokens-key"),
          },
        ),
      );
      const done = spent.events.at(-1)?.event;
      assert.ok(done?.type === "done" && done.usage.total_tokens > 100);
      const refused = await postStream(
        servers.gatewayB.url,
        { message: "Hi", model },
        {
          headers: as("tokens-key"),
        },
      );
      // A minute that turned between the two requests starts a fresh budget: try once more.
      if (refused.status === 200 && Math.floor(Date.now() / 60_000) !== minute && attempt < 2) {
        await readNativeStream(refused);
        continue;
      }
      await assertLimited(refused, "tokens_per_minute", 60);
      break;
    }
  });

  test("requests counted on A and B together are limited per minute", async () => {
    const statuses: number[] = [];
    for (const gateway of [servers.gatewayA, servers.gatewayB, servers.gatewayA]) {
      for (let index = 0; index < 2; index++) {
        const listed = await fetch(`${gateway.url}/v1/models`, { headers: as("rate-key") });
        statuses.push(listed.status);
        await listed.arrayBuffer();
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
    await assertLimited(
      await fetch(`${servers.gatewayB.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", ...as("rate-key") },
        body: JSON.stringify({ message: "Hi" }),
      }),
      "requests_per_minute",
      60,
    );
  });

  test("each pipeline of appends to Redis is timed in /metrics", async () => {
    const metrics = parseMetrics(await (await fetch(`${servers.gatewayA.url}/metrics`)).text());
    const appends = metrics.get("sluice_redis_append_seconds")?.metrics[0];
    assert.ok(Number(appends?.count) > 0, "streams ran on A, so appends went to Redis");
    assert.ok(Number(appends?.sum) > 0);
  });
});
