import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { MemoryRoutingState } from "./memory-routing-state.js";
import type { BreakerSettings, RoutingState, TargetHealth } from "./routing-state.js";

export interface RedisRoutingStateOptions {
  url: string;
  logger: Logger;
  /** Starts every key (default `sluice:routing:`). */
  prefix?: string;
  /** How long an instance's counts outlive its last refresh, should it die (ms; default 15 s). */
  instanceTtlMs?: number;
}

// Benches a target once its failures in a row reach the threshold; atomic, so that two
// instances failing at once bench it once. KEYS: failures, benched. ARGV: threshold, cooldown.
const recordFailure = `
local failures = redis.call("INCR", KEYS[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
if failures >= tonumber(ARGV[1]) then
  redis.call("DEL", KEYS[1])
  redis.call("SET", KEYS[2], "1", "PX", ARGV[2])
end
return failures`;

/**
 * {@link RoutingState} shared by every instance through Redis. Each instance writes its own
 * running counts to a hash that expires unless it is refreshed, so that a dead instance's
 * generations stop counting; `least-busy` adds up the live instances' hashes. Breakers are
 * a failure counter and a `benched` key whose expiry is the cool-down. Every change is made
 * in this instance's memory too, which answers while Redis cannot.
 */
export class RedisRoutingState implements RoutingState {
  readonly #redis: Redis;
  readonly #local = new MemoryRoutingState();
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #instance = randomUUID();
  readonly #ttlMs: number;
  readonly #refresh: NodeJS.Timeout;
  readonly #targets = new Set<string>();
  #failing = false;

  constructor(options: RedisRoutingStateOptions) {
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? "sluice:routing:";
    this.#ttlMs = options.instanceTtlMs ?? 15_000;
    // Commands sent while connecting wait for the connection (a breaker's failure is not
    // lost at start-up); once a reconnect attempt fails they fail, and routing goes on what
    // this instance knows: the queue cannot grow while Redis is away.
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: 0, commandTimeout: 1000 });
    this.#redis.on("error", (error: Error) => this.#trouble(error));
    this.#refresh = setInterval(() => this.#publish([...this.#targets]), this.#ttlMs / 3);
    this.#refresh.unref();
  }

  async health(targets: readonly string[]): Promise<TargetHealth[]> {
    try {
      const now = Date.now();
      const instances = this.#key("instances");
      const live = await this.#redis.zrangebyscore(instances, now - this.#ttlMs, "+inf");
      const pipeline = this.#redis.pipeline();
      for (const target of targets) pipeline.pttl(this.#key(`benched:${target}`));
      for (const instance of live) pipeline.hmget(this.#key(`busy:${instance}`), ...targets);
      pipeline.zremrangebyscore(instances, "-inf", now - this.#ttlMs);
      const replies = (await pipeline.exec()) ?? [];
      const reply = (index: number): unknown => {
        const [error, value] = replies[index] ?? [new Error("no reply")];
        if (error) throw error;
        return value;
      };
      this.#recovered();
      return targets.map((_target, index) => {
        let busy = 0;
        for (let instance = 0; instance < live.length; instance++) {
          const counts = reply(targets.length + instance) as (string | null)[];
          busy += Number(counts[index] ?? 0);
        }
        const ttl = Number(reply(index));
        return { busy, benchedForMs: ttl > 0 ? ttl : 0 };
      });
    } catch (error) {
      this.#trouble(error);
      return this.#local.health(targets);
    }
  }

  started(target: string): void {
    this.#local.started(target);
    this.#publish([target]);
  }

  ended(target: string): void {
    this.#local.ended(target);
    this.#publish([target]);
  }

  failed(target: string, breaker: BreakerSettings): void {
    this.#local.failed(target, breaker);
    this.#redis
      .eval(
        recordFailure,
        2,
        this.#key(`failures:${target}`),
        this.#key(`benched:${target}`),
        breaker.failureThreshold,
        breaker.cooldownMs,
      )
      .then(
        () => this.#recovered(),
        (error: unknown) => this.#trouble(error),
      );
  }

  succeeded(target: string): void {
    this.#local.succeeded(target);
    this.#redis.del(this.#key(`failures:${target}`)).then(
      () => this.#recovered(),
      (error: unknown) => this.#trouble(error),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.#refresh);
    try {
      await this.#redis
        .multi()
        .del(this.#key(`busy:${this.#instance}`))
        .zrem(this.#key("instances"), this.#instance)
        .exec();
      await this.#redis.quit();
    } catch {
      // Redis is away: the counts expire by themselves.
      this.#redis.disconnect();
    }
  }

  /** Writes this instance's running counts of `targets`, and says it is alive. */
  #publish(targets: string[]): void {
    for (const target of targets) this.#targets.add(target);
    const counts = this.#key(`busy:${this.#instance}`);
    const transaction = this.#redis.multi();
    for (const target of targets)
      transaction.hset(counts, target, this.#local.healthNow(target).busy);
    transaction
      .pexpire(counts, this.#ttlMs)
      .zadd(this.#key("instances"), Date.now(), this.#instance)
      .exec()
      .then(
        () => this.#recovered(),
        (error: unknown) => this.#trouble(error),
      );
  }

  #key(name: string): string {
    return `${this.#prefix}${name}`;
  }

  /** Logs once per outage, not once per command. */
  #trouble(error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#logger.warn(
      { err: error },
      "routing state in Redis unavailable; routing on this instance's view",
    );
  }

  #recovered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#logger.info("routing state in Redis is back");
  }
}
