import type { Redis } from "ioredis";
import type { StreamState } from "../../stream-log.js";
import { seqOf } from "../redis-entry.js";
import type { RedisKeys } from "../redis-keys.js";
import { orUnavailable, redisUnavailable } from "../redis-unavailable.js";

/** What one look at Redis says of a stream: its meta hash and last entry. */
export interface RedisStreamSnapshot {
  id: string;
  owner: string;
  state: StreamState;
  lastSeq: number;
}

/**
 * A stream as Redis has it now (owner, state, last seq) in one round trip, or undefined when
 * Redis does not know it. Throws a retryable 503 when Redis fails.
 */
export async function readRedisSnapshot(
  client: Redis,
  keys: RedisKeys,
  id: string,
): Promise<RedisStreamSnapshot | undefined> {
  const results = await orUnavailable(
    client.pipeline().hgetall(keys.meta(id)).xrevrange(keys.log(id), "+", "-", "COUNT", 1).exec(),
  );
  const [metaReply, topReply] = results ?? [];
  const failure = metaReply?.[0] ?? topReply?.[0];
  if (!metaReply || !topReply || failure) throw redisUnavailable(failure);
  const meta = metaReply[1] as Record<string, string | undefined>;
  const [top] = topReply[1] as [id: string, fields: string[]][];
  if (!meta.owner) return undefined;
  return { id, owner: meta.owner, state: toState(meta.state), lastSeq: top ? seqOf(top[0]) : 0 };
}

function toState(state: string | undefined): StreamState {
  return state === "done" || state === "error" ? state : "running";
}
