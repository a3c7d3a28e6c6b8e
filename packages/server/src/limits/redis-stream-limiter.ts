import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  minuteWindow,
  refusal,
  type StreamLease,
  type StreamLimiter,
  type StreamLimits,
} from "./stream-limiter.js";

/**
 * One script, so that check and reservation are one step across instances. KEYS: the key's
 * running set (stream slot → lease expiry, Redis's own clock), its token count for this minute.
 * ARGV: concurrency limit, token limit, slot, lease ms. Returns 0 (reserved), 1 (over the
 * token budget) or 2 (too many running). Slots whose instance stopped renewing them have
 * expired and are dropped first.
 */
const acquireScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local maxRunning, maxTokens = tonumber(ARGV[1]), tonumber(ARGV[2])
if maxTokens > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= maxTokens then return 1 end
if maxRunning > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= maxRunning then return 2 end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
end
return 0
`;

/** Renews the leases of this instance's slots (KEYS: running sets; ARGV: lease ms, then slots). */
const renewScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = tonumber(ARGV[1])
for index, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + lease, ARGV[index + 1])
  redis.call('PEXPIRE', key, lease * 2)
end
return 0
`;

export interface RedisStreamLimiterOptions {
  redis: Redis;
  limits: StreamLimits;
  /** How long a slot outlives the instance that holds it, unrenewed (`REDIS_LEASE_MS`). */
  leaseMs: number;
  /** Starts every key (default `sluice:limits:`). */
  prefix?: string;
  now?: () => number;
  /** Where a Redis failure is reported (the stream is then let through). */
  logger: Logger;
}

/**
 * The limits across every instance sharing one Redis: concurrency as a sorted set of running
 * stream slots per key, each with a lease this instance renews while its run lives (so a dead
 * instance's slots free themselves), and tokens as a per-key count for the current minute.
 */
export class RedisStreamLimiter implements StreamLimiter {
  readonly #redis: Redis;
  readonly #limits: StreamLimits;
  readonly #leaseMs: number;
  readonly #prefix: string;
  readonly #now: () => number;
  /** This instance's running slots: slot → its key's running set. */
  readonly #slots = new Map<string, string>();
  readonly #renewal: NodeJS.Timeout;
  readonly #logger: Logger;

  constructor(options: RedisStreamLimiterOptions) {
    this.#redis = options.redis;
    this.#limits = options.limits;
    this.#leaseMs = options.leaseMs;
    this.#prefix = options.prefix ?? "sluice:limits:";
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    // One timer per instance renews every slot it holds, in one script call.
    this.#renewal = setInterval(() => this.#renew(), Math.max(50, options.leaseMs / 3));
    this.#renewal.unref();
  }

  async acquire(owner: string): Promise<StreamLease> {
    const { maxConcurrent, tokensPerMinute } = this.#limits;
    const { window, leftMs } = minuteWindow(this.#now());
    const running = `${this.#prefix}{${owner}}:running`;
    const tokens = `${this.#prefix}{${owner}}:tokens:${window}`;
    const slot = randomUUID();
    let verdict: unknown;
    try {
      verdict = await this.#redis.eval(
        acquireScript,
        2,
        running,
        tokens,
        maxConcurrent,
        tokensPerMinute,
        slot,
        this.#leaseMs,
      );
    } catch (error) {
      // Redis away: streams go on (they are local too until it is back); the outage is logged.
      this.#logger.warn({ err: error }, "limits unchecked: Redis did not answer");
      return { release: async () => {} };
    }
    if (verdict === 1) {
      throw refusal("tokens_per_minute", this.#limits, leftMs);
    }
    if (verdict === 2) {
      throw refusal("concurrent_streams", this.#limits, leftMs);
    }
    if (maxConcurrent > 0) this.#slots.set(slot, running);
    let released = false;
    return {
      release: async (used) => {
        if (released) return;
        released = true;
        this.#slots.delete(slot);
        const pipeline = this.#redis.pipeline();
        if (maxConcurrent > 0) pipeline.zrem(running, slot);
        if (tokensPerMinute > 0 && used > 0) {
          const charged = `${this.#prefix}{${owner}}:tokens:${minuteWindow(this.#now()).window}`;
          pipeline.incrby(charged, used).pexpire(charged, 120_000);
        }
        // A lost release is bounded: the slot's lease expires, the count with its minute.
        await pipeline.exec().catch(() => undefined);
      },
    };
  }

  #renew(): void {
    if (this.#slots.size === 0) return;
    const slots = [...this.#slots];
    this.#redis
      .eval(
        renewScript,
        slots.length,
        ...slots.map(([, key]) => key),
        this.#leaseMs,
        ...slots.map(([slot]) => slot),
      )
      // Redis away: the slots expire and free themselves, which is the safe direction.
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.#renewal);
  }
}
