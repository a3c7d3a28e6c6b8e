import { isTerminal } from "@sluice/protocol";
import type { LogEntry } from "../streams/log-event.js";
import type { StreamLog } from "../streams/stream-log.js";

/**
 * The entries of a log after `after`, in batches of whatever has accumulated since the last
 * batch, up to and including the terminal event; then it ends.
 */
export async function* readLog(
  log: StreamLog,
  after: number,
  signal: AbortSignal,
): AsyncGenerator<readonly LogEntry[], void, undefined> {
  let position = after;
  for (;;) {
    const entries = await log.readAfter(position, signal);
    const last = entries.at(-1);
    if (!last) return;
    yield entries;
    position = last.seq;
    if (isTerminal(last.event)) return;
  }
}
