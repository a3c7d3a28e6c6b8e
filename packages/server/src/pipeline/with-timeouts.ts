import { SluiceError } from "@sluice/protocol";
import type { ProviderEvent } from "../providers/provider.js";
import { type Clock, systemClock } from "./clock.js";
import { formatSeconds } from "./format-seconds.js";
import { isContentEvent } from "./is-content-event.js";

/** Time limits on one provider stream; an undefined limit does not apply. */
export interface TimeoutLimits {
  /** Longest wait from the start for the first content event (`text` or `tool_call`). */
  firstTokenMs?: number | undefined;
  /**
   * Longest silence between provider events once content has started (from the start, when
   * `firstTokenMs` is not set). Time the caller spends between two reads does not count.
   */
  idleMs?: number | undefined;
  /** Default: {@link systemClock}. */
  clock?: Clock | undefined;
}

/**
 * Enforces {@link TimeoutLimits} on the stream that `open` returns. On expiry it aborts the
 * signal it gave `open` (so the upstream request ends) and throws a retryable `timeout`
 * `SluiceError` ("No first token within 30s", "No token for 20s"). Composed inside
 * `withRetries`, a first-token timeout is retried and an idle timeout after content is not.
 *
 * It keeps one timer and the time of the last read, never a timer per event: when the timer
 * fires early because events came meanwhile, it is re-armed for the remainder. Like every
 * provider, the source must end promptly when its signal aborts. An abort of `signal` ends
 * the generator by throwing its reason.
 */
export async function* withTimeouts(
  open: (signal: AbortSignal) => AsyncIterable<ProviderEvent>,
  limits: TimeoutLimits,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  const { firstTokenMs, idleMs, clock = systemClock } = limits;
  signal.throwIfAborted();
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", forwardAbort, { once: true });

  const startedAt = clock.now();
  let lastReadAt = startedAt;
  let contentStarted = false;
  // False while suspended at a yield: the caller holds us, the provider is not silent.
  let reading = true;
  let checkAfterYield = false;
  let expired: SluiceError | undefined;
  let timer: unknown;
  let timerDueAt = Number.POSITIVE_INFINITY;

  const deadline = (): number => {
    if (!contentStarted && firstTokenMs !== undefined) return startedAt + firstTokenMs;
    return idleMs === undefined ? Number.POSITIVE_INFINITY : lastReadAt + idleMs;
  };
  const arm = (dueAt: number): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerDueAt = dueAt;
    if (dueAt !== Number.POSITIVE_INFINITY) {
      timer = clock.setTimeout(check, Math.max(0, dueAt - clock.now()));
    }
  };
  function check(): void {
    timer = undefined;
    timerDueAt = Number.POSITIVE_INFINITY;
    if (!reading) {
      checkAfterYield = true;
      return;
    }
    const dueAt = deadline();
    if (dueAt > clock.now()) {
      arm(dueAt);
      return;
    }
    expired = new SluiceError(
      "timeout",
      !contentStarted && firstTokenMs !== undefined
        ? `No first token within ${formatSeconds(firstTokenMs)}`
        : `No token for ${formatSeconds(idleMs ?? 0)}`,
      { retryable: true },
    );
    controller.abort(expired);
  }

  let ended = false;
  try {
    arm(deadline());
    for await (const event of open(controller.signal)) {
      if (expired) throw expired;
      reading = false;
      if (!contentStarted && isContentEvent(event)) {
        contentStarted = true;
        lastReadAt = clock.now();
        // The armed first-token timer may be due later than the idle limit, or not apply.
        const dueAt = deadline();
        if (dueAt < timerDueAt || dueAt === Number.POSITIVE_INFINITY) arm(dueAt);
      }
      yield event;
      lastReadAt = clock.now();
      reading = true;
      if (checkAfterYield) {
        checkAfterYield = false;
        check();
        if (expired) throw expired;
      }
    }
    ended = true;
  } catch (error) {
    ended = true;
    if (signal.aborted) throw signal.reason;
    throw expired ?? error;
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
    signal.removeEventListener("abort", forwardAbort);
    // The caller stopped early: end the upstream request.
    if (!ended) controller.abort(signal.aborted ? signal.reason : undefined);
  }
}
