import type { ProviderEvent } from "./provider.js";

/** What a provider stream produced before it ended or failed (for tests). */
export interface CollectedProviderEvents {
  events: ProviderEvent[];
  /** The concatenated `text` events. */
  text: string;
  /** What the iteration threw, if it did. */
  error: unknown;
}

/**
 * Drains a provider stream, keeping every event and the error that ended it, if any.
 * `onEvent` runs after each event is kept (e.g. to abort after the third).
 */
export async function collectProviderEvents(
  stream: AsyncIterable<ProviderEvent>,
  onEvent?: (event: ProviderEvent, events: ProviderEvent[]) => void,
): Promise<CollectedProviderEvents> {
  const events: ProviderEvent[] = [];
  let text = "";
  let error: unknown;
  try {
    for await (const event of stream) {
      events.push(event);
      if (event.type === "text") text += event.text;
      onEvent?.(event, events);
    }
  } catch (thrown) {
    error = thrown;
  }
  return { events, text, error };
}
