import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import {
  type RedisServer,
  redisSkipReason,
  startRedisServer,
} from "../../../../tests/support/redis-server.js";
import { until } from "../../../../tests/support/stream-log-testing.js";
import { RedisRoutingState } from "./redis-routing-state.js";

const logger = pino({ level: "silent" });
const breaker = { failureThreshold: 2, cooldownMs: 60_000 };

describe("RedisRoutingState against a real redis-server", { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  const states: RedisRoutingState[] = [];
  const newState = (prefix: string) => {
    const state = new RedisRoutingState({ url: redis.url, logger, prefix });
    states.push(state);
    return state;
  };
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await Promise.all(states.map((state) => state.close()));
    await redis.stop();
  });

  test("two instances add up their running generations, and one that closes stops counting", async () => {
    const [first, second] = [newState("busy:"), newState("busy:")];
    first.started("openai/a");
    first.started("openai/a");
    second.started("openai/a");
    second.started("openai/b");
    const busy = async (state: RedisRoutingState) =>
      (await state.health(["openai/a", "openai/b"])).map((health) => health.busy);
    await until(async () => (await busy(first)).join() === "3,1", 5000, "counts shared");
    assert.deepEqual(await busy(second), [3, 1]);
    first.ended("openai/a");
    await until(async () => (await busy(second)).join() === "2,1", 5000, "an end shared");
    await second.close();
    await until(async () => (await busy(first)).join() === "1,0", 5000, "a closed instance");
  });

  test("a target benched by one instance is benched for the other", async () => {
    const [first, second] = [newState("bench:"), newState("bench:")];
    first.failed("openai/a", breaker);
    second.failed("openai/a", breaker);
    await until(
      async () => (await first.health(["openai/a"]))[0]?.benchedForMs !== 0,
      5000,
      "benched after two failures from two instances",
    );
    const [health] = await second.health(["openai/a"]);
    assert.ok(health && health.benchedForMs > 55_000 && health.benchedForMs <= 60_000);
  });

  test("while Redis is away, an instance routes on its own view", async () => {
    const state = newState("away:");
    await redis.stop();
    state.started("openai/a");
    state.failed("openai/b", { failureThreshold: 1, cooldownMs: 5000 });
    const [a, b] = await state.health(["openai/a", "openai/b"]);
    assert.equal(a?.busy, 1);
    assert.ok(b && b.benchedForMs > 0);
    await redis.restart();
  });
});
