import { encodeSseMessage, formatEventId, LogEvent, SluiceError } from "@sluice/protocol";
import type { LogEntry } from "../log-event.js";

/** A Redis Stream entry as ioredis returns it: its id and its fields, name then value. */
export type RedisEntry = [id: string, fields: string[]];

/** The one field of an entry: the event's JSON. */
export const eventField = "d";

/** The entry id that holds seq: explicit ids make Redis refuse a duplicate or out-of-order seq. */
export function entryId(seq: number): string {
  return `${seq}-0`;
}

/** The seq of an entry id (`<seq>-0`). */
export function seqOf(id: string): number {
  return Number.parseInt(id, 10);
}

/**
 * Log entries from stored ones, each native frame built from the stored JSON (no second
 * serialisation) and each event checked against the protocol's schema: Redis is shared, and
 * what another instance (or another version) wrote is input, not trusted memory. Throws when
 * they do not continue `after` without a gap or hold an event that is not one: a reader must
 * be cut, never shown a stream with a hole.
 */
export function toLogEntries(
  streamId: string,
  after: number,
  stored: readonly RedisEntry[],
): LogEntry[] {
  const entries: LogEntry[] = [];
  let expected = after + 1;
  for (const [id, fields] of stored) {
    const seq = seqOf(id);
    const json = fields[fields.indexOf(eventField) + 1];
    if (seq !== expected || json === undefined) throw lost(streamId, "lost events");
    const event = LogEvent.safeParse(parseJson(json));
    if (!event.success) throw lost(streamId, `holds an entry that is not an event at seq ${seq}`);
    const frame =
      event.data.type === "tool_call" ? "" : encodeSseMessage(formatEventId(streamId, seq), json);
    entries.push({ seq, event: event.data, frame });
    expected += 1;
  }
  return entries;
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function lost(streamId: string, what: string): SluiceError {
  return new SluiceError("network_error", `Stream ${streamId} ${what} in the shared store.`, {
    retryable: true,
    status: 503,
  });
}
