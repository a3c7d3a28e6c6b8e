import type { ProviderEvent } from "../providers/provider.js";

/** Helpers for the pipeline's tests: fake providers are plain async generators. */

/** Settles only by rejecting with the signal's reason, as a provider's pending request does. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
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
