import assert from "node:assert/strict";
import type { LogEntry } from "../../packages/server/src/streams/log-event.js";
import type { StreamLog, WritableStreamLog } from "../../packages/server/src/streams/stream-log.js";

/** Helpers for the stream logs' tests. */

/** Reads a log after `from` to its terminal event, as a reader would (in `timeoutMs` at most). */
export async function readAll(log: StreamLog, from = 0, timeoutMs = 10_000): Promise<LogEntry[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  const entries: LogEntry[] = [];
  let position = from;
  for (;;) {
    const batch = await log.readAfter(position, signal);
    if (batch.length === 0) return entries;
    entries.push(...batch);
    position = batch.at(-1)?.seq ?? position;
  }
}

/** Appends `count` tokens, `${prefix}0 `, `${prefix}1 `, ... */
export function appendTokens(log: WritableStreamLog, count: number, prefix = ""): void {
  for (let index = 0; index < count; index += 1) {
    log.append({ type: "token", content: `${prefix}${index} ` });
  }
}

/**
 * Polls `condition` every 10 ms until it holds; fails after `timeoutMs` (default 10 s) with
 * `what` and the last error, since a condition that throws (Redis is away) has not held yet.
 */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  what = "",
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const because = lastError === undefined ? "" : ` (last error: ${String(lastError)})`;
      assert.fail(`not within ${timeoutMs} ms: ${what}${because}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
