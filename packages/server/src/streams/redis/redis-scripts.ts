import type { ChainableCommander, Redis } from "ioredis";
import type { RedisKeys } from "./redis-keys.js";

// KEYS: log, meta, lease. ARGV: the seq the batch follows, the state it ends the stream in
// ("" while running), the expiry in ms to set, then one event JSON per entry.
// Entries are added as <after+1>-0, <after+2>-0, ... only when the stream's last entry is
// exactly <after>, so a batch can never leave a gap, repeat an entry or follow another
// writer's terminal event (explicit ids alone would still accept a batch after a gap).
const appendLua = `
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local last = top and tonumber(string.match(top[1], '^%d+')) or 0
if last ~= tonumber(ARGV[1]) then return 0 end
for i = 4, #ARGV do
  redis.call('XADD', KEYS[1], (last + i - 3) .. '-0', 'd', ARGV[i])
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[2], 'state', ARGV[2])
  redis.call('DEL', KEYS[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

// KEYS: log, meta, lease. ARGV: the terminal error event JSON, the expiry in ms.
// Ends a stream whose generating instance stopped renewing its lease, right after whatever it
// last appended. Atomic, so a late append by that instance is refused by appendLua instead.
// Returns the seq written, 0 when the stream is alive or over, -1 when it is gone.
const endOrphanLua = `
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local seq = (top and tonumber(string.match(top[1], '^%d+')) or 0) + 1
redis.call('XADD', KEYS[1], seq .. '-0', 'd', ARGV[1])
redis.call('HSET', KEYS[2], 'state', 'error')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return seq
`;

type ScriptArgument = string | number;

/** The commands {@link defineRedisScripts} adds; ioredis sends EVALSHA and loads scripts itself. */
interface ScriptCommands {
  sluiceAppend(...args: ScriptArgument[]): Promise<number>;
  sluiceEndOrphan(...args: ScriptArgument[]): Promise<number>;
}

/** Teaches a connection (and its pipelines) the store's scripts. */
export function defineRedisScripts(client: Redis): void {
  client.defineCommand("sluiceAppend", { numberOfKeys: 3, lua: appendLua });
  client.defineCommand("sluiceEndOrphan", { numberOfKeys: 3, lua: endOrphanLua });
}

export interface AppendBatch {
  /** The seq the first event follows. */
  after: number;
  /** The events' JSON, in order. */
  events: readonly string[];
  /** The state the batch ends the stream in, when its last event is terminal. */
  ends: "done" | "error" | undefined;
  expiryMs: number;
}

/** Queues an append that Redis refuses (the reply is 0) unless it continues the stream exactly. */
export function queueAppend(
  pipeline: ChainableCommander,
  keys: RedisKeys,
  id: string,
  batch: AppendBatch,
): void {
  (pipeline as unknown as ScriptCommands).sluiceAppend(
    keys.log(id),
    keys.meta(id),
    keys.lease(id),
    batch.after,
    batch.ends ?? "",
    batch.expiryMs,
    ...batch.events,
  );
}

/** Ends a running stream whose lease is gone with `terminalJson`; see endOrphanLua for the reply. */
export function endOrphan(
  client: Redis,
  keys: RedisKeys,
  id: string,
  terminalJson: string,
  expiryMs: number,
): Promise<number> {
  return (client as unknown as ScriptCommands).sluiceEndOrphan(
    keys.log(id),
    keys.meta(id),
    keys.lease(id),
    terminalJson,
    expiryMs,
  );
}
