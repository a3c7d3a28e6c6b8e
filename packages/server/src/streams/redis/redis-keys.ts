/**
 * The Redis names of one store's data. A stream's keys share a `{id}` hash tag, so that they
 * live in one slot should the deployment move to Redis Cluster.
 */
export class RedisKeys {
  readonly #prefix: string;

  /** `prefix` starts every key and channel (default in the store: `sluice:`). */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The Redis Stream of encoded events; entry ids are `<seq>-0`. */
  log(id: string): string {
    return `${this.#prefix}{${id}}:log`;
  }

  /** A hash: `owner`, `state` (running, done, error) and `instance` (who generates it). */
  meta(id: string): string {
    return `${this.#prefix}{${id}}:meta`;
  }

  /** Exists while the generating instance is alive; it renews the key's expiry. */
  lease(id: string): string {
    return `${this.#prefix}{${id}}:lease`;
  }

  /** The channel the generating instance listens on: cancel requests and reader counts. */
  control(id: string): string {
    return `${this.#prefix}{${id}}:control`;
  }

  /** The id of the stream whose control channel this is, if it is one. */
  idOfControl(channel: string): string | undefined {
    const match = /^\{([^}]+)\}:control$/.exec(channel.slice(this.#prefix.length));
    return channel.startsWith(this.#prefix) ? match?.[1] : undefined;
  }

  /** A claim held by one caller among all instances (see `StreamStore.claim`). */
  claim(key: string): string {
    return `${this.#prefix}claim:${key}`;
  }

  /** The stream id last created under a request key (`resume_from` joins it). */
  request(requestKey: string): string {
    return `${this.#prefix}request:${requestKey}`;
  }
}
