import type { LogEvent } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";

/**
 * A reader that is handed new entries synchronously (see {@link StreamLog.follow}): those of
 * `entries` from index `from` on (index = seq − 1; the array is the log's own, valid during the
 * call only). Returns whether it wants the next ones; it must not throw.
 */
export type LogFollower = (entries: readonly LogEntry[], from: number) => boolean;

/** Where a stream stands: running until its one terminal event, then done or failed. */
export type StreamState = "running" | "done" | "error";

/** What readers see of a stream: its entries after any seq, and a way to wait for more. */
export interface StreamLog {
  readonly id: string;
  /** Who created the stream (a hash of the API key); only they may read or cancel it. */
  readonly owner: string;
  state(): StreamState;
  /** The seq of the last entry appended so far (0 when none). */
  lastSeq(): number;
  /**
   * Every entry after `after`. Waits while there is none and the stream still runs; returns an
   * empty list when the stream has ended and nothing is after `after`. Rejects with the
   * signal's reason on abort.
   */
  readAfter(after: number, signal: AbortSignal): Promise<readonly LogEntry[]>;
  /**
   * Hands `follower` the entries after `after` in the event-loop turn they were appended, all of
   * one turn in one call, with no promise per turn, until it returns false, the returned
   * function is called, or it was handed the terminal entry. Undefined when the log has ended
   * (read the rest with {@link readAfter}). Logs without it are read with `readAfter` alone.
   */
  follow?(after: number, follower: LogFollower): (() => void) | undefined;
  /** Counts a reader in; the returned function counts it out. The last one out starts grace. */
  attachReader(): () => void;
}

/** The view the run that generates a stream has: it alone appends. */
export interface WritableStreamLog extends StreamLog {
  /** Numbers, encodes and stores the event, and wakes waiting readers (once per loop turn). */
  append(event: LogEvent): LogEntry;
  /** Called with the number of attached readers whenever it changes. */
  onReadersChanged(listener: (count: number) => void): void;
}
