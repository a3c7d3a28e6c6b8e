import { setTimeout as wait } from "node:timers/promises";

/**
 * Waits `ms`. An abort rejects with the signal's own reason rather than Node's AbortError,
 * because every stage treats "the signal's reason" as the sign of an abort.
 */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  }
}
