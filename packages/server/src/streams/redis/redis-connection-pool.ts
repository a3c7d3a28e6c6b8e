import type { Redis } from "ioredis";

/**
 * Connections for blocking reads (`XREAD BLOCK` holds its connection until it returns). One is
 * lent to each remote stream this instance follows, not to each reader, and kept for reuse
 * afterwards (up to `maxIdle`), so that following a stream rarely costs a new connection.
 */
export class RedisConnectionPool {
  readonly #create: () => Redis;
  readonly #maxIdle: number;
  readonly #idle: Redis[] = [];
  readonly #lent = new Set<Redis>();
  #closed = false;

  /** `create` makes a lazily connecting connection; `maxIdle` defaults to 8. */
  constructor(create: () => Redis, maxIdle = 8) {
    this.#create = create;
    this.#maxIdle = maxIdle;
  }

  /** A ready connection; rejects when Redis cannot be reached. */
  async acquire(): Promise<Redis> {
    if (this.#closed) throw new Error("The connection pool is closed.");
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (idle.status === "ready") return this.#lend(idle);
      idle.disconnect();
    }
    const connection = this.#create();
    this.#lent.add(connection);
    try {
      await connection.connect();
    } catch (error) {
      this.#lent.delete(connection);
      connection.disconnect();
      throw error;
    }
    if (this.#closed) {
      connection.disconnect();
      throw new Error("The connection pool is closed.");
    }
    return connection;
  }

  /** Takes a connection back; one that failed is closed rather than reused. */
  release(connection: Redis, healthy: boolean): void {
    this.#lent.delete(connection);
    if (
      this.#closed ||
      !healthy ||
      connection.status !== "ready" ||
      this.#idle.length >= this.#maxIdle
    ) {
      connection.disconnect();
      return;
    }
    this.#idle.push(connection);
  }

  /** Closes every connection, lent ones too: their blocked reads reject. */
  close(): void {
    this.#closed = true;
    for (const connection of [...this.#idle, ...this.#lent]) connection.disconnect();
    this.#idle.length = 0;
    this.#lent.clear();
  }

  #lend(connection: Redis): Redis {
    this.#lent.add(connection);
    return connection;
  }
}
