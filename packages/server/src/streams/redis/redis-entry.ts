import { encodeSseMessage, formatEventId, SluiceError } from "@sluice/protocol";
import type { LogEntry, LogEvent } from "../log-event.js";

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
 * serialisation). Throws when they do not continue `after` without a gap: a reader must be
 * cut, never shown a stream with a hole.
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
    if (seq !== expected || json === undefined) {
      throw new SluiceError(
        "network_error",
        `Stream ${streamId} lost events in the shared store.`,
        {
          retryable: true,
          status: 503,
        },
      );
    }
    const event = JSON.parse(json) as LogEvent;
    const frame =
      event.type === "tool_call" ? "" : encodeSseMessage(formatEventId(streamId, seq), json);
    entries.push({ seq, event, frame });
    expected += 1;
  }
  return entries;
}
