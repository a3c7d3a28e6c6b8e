import type { ProviderEmit, ProviderEvent } from "./provider.js";

/** What a provider stream produced before it ended or failed (for tests). */
export interface CollectedProviderEvents {
  events: ProviderEvent[];
  /** The concatenated `text` events. */
  text: string;
  /** What the iteration threw, if it did. */
  error: unknown;
}

/**
 * Runs a provider stream to its end (`stream` starts it with the `emit` given), keeping every
 * event and the error that ended it, if any. `onEvent` runs after each event is kept (e.g. to
 * abort after the third).
 */
export async function collectProviderEvents(
  stream: (emit: ProviderEmit) => Promise<void>,
  onEvent?: (event: ProviderEvent, events: ProviderEvent[]) => void,
): Promise<CollectedProviderEvents> {
  const events: ProviderEvent[] = [];
  let text = "";
  let error: unknown;
  try {
    await stream((event) => {
      events.push(event);
      if (event.type === "text") text += event.text;
      onEvent?.(event, events);
    });
  } catch (thrown) {
    error = thrown;
  }
  return { events, text, error };
}
