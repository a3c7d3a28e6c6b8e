import { after, before } from "node:test";
import { type MockOptions, type MockServer, startMock } from "@sluice/mock";
import { startGateway, type TestGateway, upstreamEnvironment } from "./gateway.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

/** A redis-server, a mock upstream and two gateways sharing streams through both. */
export interface GatewaysOnRedis {
  readonly redis: RedisServer;
  readonly mock: MockServer;
  readonly gatewayA: TestGateway;
  readonly gatewayB: TestGateway;
}

/**
 * Registers `before`/`after` hooks in the current `describe`: before its tests, an empty
 * redis-server, a mock upstream and two in-process gateways on both, configured by
 * `upstreamEnvironment(mock.url)`, `REDIS_URL`, a shared `SLUICE_TOKEN_SECRET` and `environment` (the mock by `mockOptions`);
 * after them, all stopped.
 */
export function useGatewaysOnRedis(
  environment: Record<string, string>,
  mockOptions: MockOptions = {},
): GatewaysOnRedis {
  let started: GatewaysOnRedis | undefined;
  let redis: RedisServer | undefined;
  let mock: MockServer | undefined;
  const gateways: TestGateway[] = [];
  before(async () => {
    redis = await startRedisServer();
    mock = await startMock(mockOptions);
    const merged = {
      ...upstreamEnvironment(mock.url),
      REDIS_URL: redis.url,
      // Instances behind one balancer share the secret, so each accepts the others' stream tokens.
      SLUICE_TOKEN_SECRET: "a-secret-both-test-gateways-share-0123456789",
      ...environment,
    };
    gateways.push(...(await Promise.all([startGateway(merged), startGateway(merged)])));
    const [gatewayA, gatewayB] = gateways;
    if (gatewayA && gatewayB) started = { redis, mock, gatewayA, gatewayB };
  });
  after(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await mock?.close();
    await redis?.stop();
  });
  const running = (): GatewaysOnRedis => {
    if (!started) throw new Error("The gateways start in the suite's before hook.");
    return started;
  };
  return {
    get redis() {
      return running().redis;
    },
    get mock() {
      return running().mock;
    },
    get gatewayA() {
      return running().gatewayA;
    },
    get gatewayB() {
      return running().gatewayB;
    },
  };
}
