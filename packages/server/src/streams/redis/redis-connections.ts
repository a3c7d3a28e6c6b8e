import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import { RedisConnectionPool } from "./redis-connection-pool.js";
import { defineRedisScripts } from "./redis-scripts.js";

export interface RedisConnectionsOptions {
  url: string;
  /** Bounds every command's wait for a reply (ms). */
  commandTimeoutMs: number;
  /** How long one blocking read waits (ms); its connection allows for a lease more. */
  blockMs: number;
  leaseMs: number;
  logger: Logger;
}

/**
 * Commands fail at once while Redis is unreachable instead of queueing, and commands in
 * flight fail when the connection drops instead of being sent again later: the store
 * decides what to resend (an old append sent after a restart would leave a gap).
 */
const failFast: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
};

/** The store's connections: commands, pub/sub, and a pool for blocking reads. */
export class RedisConnections {
  /** For commands and pipelines; knows the store's scripts. */
  readonly client: Redis;
  /** In subscriber mode once it listens. */
  readonly subscriber: Redis;
  readonly pool: RedisConnectionPool;
  readonly #logger: Logger;

  constructor(options: RedisConnectionsOptions) {
    this.#logger = options.logger;
    this.client = this.#watch(
      new Redis(options.url, { ...failFast, commandTimeout: options.commandTimeoutMs }),
      "commands",
    );
    defineRedisScripts(this.client);
    this.subscriber = this.#watch(this.client.duplicate({ autoResubscribe: false }), "pub/sub");
    this.pool = new RedisConnectionPool(() =>
      this.#watch(
        this.client.duplicate({
          lazyConnect: true,
          commandTimeout: undefined,
          blockingTimeout: options.blockMs,
          blockingTimeoutGrace: options.leaseMs,
        }),
        "blocking reads",
      ),
    );
  }

  /** Whether commands and pub/sub are up, and Redis answers PING before `signal` aborts. */
  async ready(signal: AbortSignal): Promise<boolean> {
    if (this.client.status !== "ready" || this.subscriber.status !== "ready") return false;
    try {
      return (await untilAborted(this.client.ping(), signal)) === "PONG";
    } catch {
      return false;
    }
  }

  /** Resolves true once every connection is up, or false when `signal` aborts first. */
  async whenReady(signal: AbortSignal): Promise<boolean> {
    while (!(await this.ready(signal))) {
      if (signal.aborted) return false;
      await untilAborted(new Promise((resolve) => setTimeout(resolve, 20)), signal).catch(() => {});
    }
    return true;
  }

  async close(): Promise<void> {
    this.pool.close();
    await Promise.all([quit(this.client), quit(this.subscriber)]);
  }

  /** Logs a connection's trouble once per outage, not once per reconnect attempt. */
  #watch(connection: Redis, role: string): Redis {
    let up: boolean | undefined;
    connection.on("ready", () => {
      if (up === false) this.#logger.info({ role }, "redis connection is back");
      up = true;
    });
    connection.on("error", (error: Error) => {
      if (up !== false) this.#logger.warn({ role, err: error }, "redis connection failed");
      up = false;
    });
    return connection;
  }
}

function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Closes a connection politely when it is up (pending replies arrive first), at once if not. */
function quit(connection: Redis): Promise<void> {
  if (connection.status !== "ready") {
    connection.disconnect();
    return Promise.resolve();
  }
  return connection.quit().then(
    () => undefined,
    () => connection.disconnect(),
  );
}
