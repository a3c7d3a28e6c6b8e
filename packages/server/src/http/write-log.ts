import { isTerminal } from "@sluice/protocol";
import type { LogEntry } from "../streams/log-event.js";
import type { StreamLog } from "../streams/stream-log.js";
import type { ResponseWriter } from "./response-writer.js";

/** Turns one log entry into what the response sends for it (empty: nothing). */
export type EntryEncoder = (entry: LogEntry) => string;

/** Where following stopped: the last seq written, and why. */
interface FollowOutcome {
  position: number;
  /** The terminal entry was written. */
  ended: boolean;
  /** The socket is full: resolves on `drain` (then the reader catches up with readAfter). */
  drain: Promise<void> | undefined;
}

/**
 * Writes a log's entries after `after` to the response, up to and including the terminal
 * entry, then ends it. What has accumulated is written as one chunk (what `encode` makes of
 * the entries). A reader that is caught up follows the log (`StreamLog.follow`): each turn's
 * entries are written in the turn they were appended, with no promise, generator step or timer
 * per turn; behind (a resume, a full socket) or on a log that cannot be followed, it reads with
 * `readAfter`, waiting for `drain` only when the socket is full. A failure cuts the connection
 * instead of ending it: a client that sees no terminal event knows to resume.
 */
export async function writeLog(
  writer: ResponseWriter,
  log: StreamLog,
  after: number,
  encode: EntryEncoder,
): Promise<void> {
  let position = after;
  try {
    for (;;) {
      if (log.follow && position === log.lastSeq() && log.state() === "running") {
        const outcome = await follow(log, position, writer, encode);
        position = outcome.position;
        if (outcome.ended) break;
        await outcome.drain;
        continue;
      }
      const entries = await log.readAfter(position, writer.signal);
      const last = entries.at(-1);
      if (!last) break;
      position = last.seq;
      const drain = writer.write(encodeAll(entries, 0, encode));
      if (isTerminal(last.event)) break;
      await drain;
    }
    writer.end();
  } catch (error) {
    writer.destroy();
    if (!writer.signal.aborted) throw error;
  }
}

function encodeAll(entries: readonly LogEntry[], from: number, encode: EntryEncoder): string {
  let chunk = "";
  for (let index = from; index < entries.length; index++) {
    chunk += encode(entries[index] as LogEntry);
  }
  return chunk;
}

/** Follows `log` from `position` until the terminal entry, a full socket or the client's hang-up. */
function follow(
  log: StreamLog,
  position: number,
  writer: ResponseWriter,
  encode: EntryEncoder,
): Promise<FollowOutcome> {
  const signal = writer.signal;
  return new Promise<FollowOutcome>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let stop: (() => void) | undefined;
    const onAbort = () => {
      stop?.();
      reject(signal.reason);
    };
    const finish = (outcome: FollowOutcome) => {
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    stop = log.follow?.(position, (entries, from) => {
      try {
        const last = entries[entries.length - 1] as LogEntry;
        position = last.seq;
        const drain = writer.write(encodeAll(entries, from, encode));
        const ended = isTerminal(last.event);
        if (!ended && drain === undefined) return true;
        finish({ position, ended, drain });
      } catch (error) {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      }
      return false;
    });
    // The log ended between the check and here: read the rest.
    if (!stop) finish({ position, ended: false, drain: undefined });
  });
}
