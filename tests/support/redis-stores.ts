import assert from "node:assert/strict";
import { after, before } from "node:test";
import { Redis } from "ioredis";
import { pino } from "pino";
import {
  RedisStreamStore,
  type RedisStreamStoreOptions,
} from "../../packages/server/src/streams/redis/redis-stream-store.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

/** The prefix of every key the stores of {@link useRedisStores} write. */
export const keyPrefix = "test:";

const logger = pino({ level: "silent" });

/** A redis-server, a plain client of it, and stores on it, readable once the suite has started. */
export interface RedisStores {
  readonly server: RedisServer;
  /** A plain client (one retry per command; connection errors ignored), to look at the keys. */
  readonly raw: Redis;
  /** A connected store on the suite's redis-server, with {@link keyPrefix} and `options`. */
  newStore(options?: Partial<RedisStreamStoreOptions>): Promise<RedisStreamStore>;
}

/**
 * Registers `before`/`after` hooks in the current `describe`: before its tests, an empty
 * redis-server and a plain client of it; after them, every store made by `newStore` closed,
 * the client disconnected and the server stopped.
 */
export function useRedisStores(): RedisStores {
  let redis: RedisServer | undefined;
  let raw: Redis | undefined;
  const stores: RedisStreamStore[] = [];
  const running: RedisStores = {
    get server() {
      if (!redis) throw new Error("redis-server starts in the suite's before hook.");
      return redis;
    },
    get raw() {
      if (!raw) throw new Error("The Redis client connects in the suite's before hook.");
      return raw;
    },
    async newStore(options = {}) {
      const store = new RedisStreamStore({
        url: running.server.url,
        logger,
        keyPrefix,
        ...options,
      });
      stores.push(store);
      assert.ok(await store.whenReady(AbortSignal.timeout(5000)), "the store connects");
      return store;
    },
  };
  before(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    // Some tests stop Redis on purpose; the client reconnects when it is back.
    raw.on("error", () => {});
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    raw?.disconnect();
    await redis?.stop();
  });
  return running;
}
