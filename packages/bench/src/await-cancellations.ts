import type { MockStats } from "@sluice/mock";
import type { CancellationSummary } from "./run-summary.js";

/** The mock's counters, from `GET /__stats`. */
export async function readMockStats(mockUrl: URL, signal: AbortSignal): Promise<MockStats> {
  const response = await fetch(new URL("/__stats", mockUrl), { signal });
  if (!response.ok) throw new Error(`${mockUrl.origin}/__stats answered ${response.status}`);
  return (await response.json()) as MockStats;
}

/**
 * Waits until the mock has seen `aborted` more aborted streams than in `before` (each client
 * abort should stop its upstream request), polling `/__stats` every 100 ms for at most
 * `waitMs`; reports how many arrived and how long that took.
 */
export async function awaitCancellations(
  mockUrl: URL,
  before: MockStats,
  aborted: number,
  waitMs: number,
  signal: AbortSignal,
): Promise<CancellationSummary> {
  const startedAt = performance.now();
  let reached = 0;
  for (;;) {
    const stats = await readMockStats(mockUrl, signal);
    reached = stats.aborted_streams - before.aborted_streams;
    const waited = performance.now() - startedAt;
    if (reached >= aborted || waited >= waitMs || signal.aborted) {
      return { aborted, reachedUpstream: reached, waitedMs: waited };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
