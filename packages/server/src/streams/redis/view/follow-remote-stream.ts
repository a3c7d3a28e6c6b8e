import type { ErrorEvent, SluiceError } from "@sluice/protocol";
import type { Redis } from "ioredis";
import type { LogEntry } from "../../log-event.js";
import type { RedisConnectionPool } from "../redis-connection-pool.js";
import { entryId, toLogEntries } from "../redis-entry.js";
import type { RedisKeys } from "../redis-keys.js";
import { endOrphan } from "../redis-scripts.js";
import { orUnavailable, redisUnavailable } from "../redis-unavailable.js";

/** Where the follower is and what it reports to: the remote view's cache. */
export interface FollowedStream {
  readonly id: string;
  /** The seq of the last entry held. */
  tail(): number;
  /** Whether to go on: someone reads, and the terminal event is not yet held. */
  wanted(): boolean;
  running(): boolean;
  add(entries: readonly LogEntry[]): void;
}

export interface RemoteFollowContext {
  client: Redis;
  pool: RedisConnectionPool;
  keys: RedisKeys;
  /** How long one blocking read waits before the generator's lease is checked (ms). */
  blockMs: number;
  ttlMs: number;
}

/** The terminal event for a stream whose generating instance stopped renewing its lease. */
const orphanedEvent: ErrorEvent = {
  type: "error",
  error_type: "network_error",
  message: "The instance generating this stream stopped; please retry.",
  retryable: true,
};
const orphanedJson = JSON.stringify(orphanedEvent);

/** Entries per blocking read, so that one reply stays bounded. */
const readLimit = 1000;

/**
 * Reads a stream's new entries with `XREAD BLOCK` on one pooled connection while the stream
 * is wanted. After each quiet read it checks the generator's lease; when the lease is gone it
 * ends the stream with a retryable `error` (atomically in Redis, so a late append by that
 * generator is refused) and the next read returns that event: a reader learns of a dead
 * generator within about a lease plus one block period. Rejects when Redis fails.
 */
export async function followRemoteStream(
  stream: FollowedStream,
  context: RemoteFollowContext,
): Promise<void> {
  const { pool, keys, blockMs, client, ttlMs } = context;
  const connection = await orUnavailable(pool.acquire());
  let healthy = false;
  try {
    while (stream.wanted()) {
      const tail = stream.tail();
      const reply = await orUnavailable(
        connection.xread(
          "COUNT",
          readLimit,
          "BLOCK",
          blockMs,
          "STREAMS",
          keys.log(stream.id),
          entryId(tail),
        ),
      );
      const stored = reply?.[0]?.[1];
      if (stored && stored.length > 0) {
        stream.add(toLogEntries(stream.id, tail, stored));
      } else if (stream.running()) {
        const outcome = await orUnavailable(
          endOrphan(client, keys, stream.id, orphanedJson, ttlMs),
        );
        if (outcome < 0) throw lostStream(stream.id);
      }
    }
    healthy = true;
  } finally {
    pool.release(connection, healthy);
  }
}

/** A stream that vanished from Redis (expired, or lost in a restart): readers are cut. */
export function lostStream(id: string): SluiceError {
  return redisUnavailable(new Error(`Stream ${id} is missing from Redis.`));
}
