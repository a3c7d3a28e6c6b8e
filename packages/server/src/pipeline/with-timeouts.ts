import { SluiceError } from "@sluice/protocol";
import type { ProviderEvent, ProviderSource } from "../providers/provider.js";
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
 * Enforces {@link TimeoutLimits} on `source`. On expiry it aborts the signal it gave `source`
 * (so the upstream request ends) and rejects with a retryable `timeout` `SluiceError` ("No
 * first token within 30s", "No token for 20s"). Composed inside `withRetries`, a first-token
 * timeout is retried and an idle timeout after content is not.
 *
 * It keeps one timer and the time of the last event, never a timer per event: when the timer
 * fires early because events came meanwhile, it is re-armed for the remainder. An event costs
 * one clock read. Like every source, `source` must settle soon after its signal aborts. An
 * abort of the caller's signal rejects with its reason. With no limit set, `source` is returned
 * as it is.
 */
export function withTimeouts(source: ProviderSource, limits: TimeoutLimits): ProviderSource {
  const { firstTokenMs, idleMs, clock = systemClock } = limits;
  if (firstTokenMs === undefined && idleMs === undefined) return source;
  return async (signal, emit) => {
    signal.throwIfAborted();
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(signal.reason);
    signal.addEventListener("abort", forwardAbort, { once: true });

    const startedAt = clock.now();
    let lastEventAt = startedAt;
    let contentStarted = false;
    let expired: SluiceError | undefined;
    let timer: unknown;
    let timerDueAt = Number.POSITIVE_INFINITY;

    const deadline = (): number => {
      if (!contentStarted && firstTokenMs !== undefined) return startedAt + firstTokenMs;
      return idleMs === undefined ? Number.POSITIVE_INFINITY : lastEventAt + idleMs;
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
    const forward = (event: ProviderEvent): void => {
      if (expired) return;
      lastEventAt = clock.now();
      if (!contentStarted && isContentEvent(event)) {
        contentStarted = true;
        // The armed first-token timer may be due later than the idle limit, or not apply.
        const dueAt = deadline();
        if (dueAt < timerDueAt || dueAt === Number.POSITIVE_INFINITY) arm(dueAt);
      }
      emit(event);
    };

    try {
      arm(deadline());
      await source(controller.signal, forward);
      if (expired) throw expired;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw expired ?? error;
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
      signal.removeEventListener("abort", forwardAbort);
    }
  };
}
