import type { ProviderEvent, ProviderSource } from "../providers/provider.js";

/**
 * Helpers for the pipeline's tests: fake providers are written as plain async generators and
 * adapted to push form ({@link fromIterable}); a stage's output is read back as an async
 * iterable ({@link iterate}), so a test reads as the sequence of events it expects.
 */

/** Settles only by rejecting with the signal's reason, as a provider's pending request does. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** A push source from a generator (or a function of the attempt's signal returning one). */
export function fromIterable(
  open: AsyncIterable<ProviderEvent> | ((signal: AbortSignal) => AsyncIterable<ProviderEvent>),
): ProviderSource {
  return async (signal, emit) => {
    const events = typeof open === "function" ? open(signal) : open;
    for await (const event of events) {
      if (signal.aborted) break;
      emit(event);
    }
    signal.throwIfAborted();
  };
}

/**
 * The events a push source emits, as an async iterable; leaving the loop early aborts the
 * source (as a run stopping would), and waits for it to settle.
 */
export async function* iterate(
  source: ProviderSource,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent, void, undefined> {
  {
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener("abort", forward, { once: true });
    const queue: ProviderEvent[] = [];
    let wake: (() => void) | undefined;
    let outcome: { failed: boolean; error?: unknown } | undefined;
    const settled = source(controller.signal, (event) => {
      queue.push(event);
      wake?.();
    }).then(
      () => {
        outcome = { failed: false };
        wake?.();
      },
      (error: unknown) => {
        outcome = { failed: true, error };
        wake?.();
      },
    );
    try {
      for (;;) {
        const event = queue.shift();
        if (event) {
          yield event;
          continue;
        }
        if (outcome?.failed) throw outcome.error;
        if (outcome) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      if (!outcome) controller.abort(new Error("The consumer stopped reading."));
      signal.removeEventListener("abort", forward);
      await settled;
    }
  }
}

/** Every event of a stream, in order. */
export async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const collected: ProviderEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

/** A text event. */
export function text(value: string): ProviderEvent {
  return { type: "text", text: value };
}
