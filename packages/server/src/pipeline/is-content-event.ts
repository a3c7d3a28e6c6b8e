import type { ProviderEvent } from "../providers/provider.js";

/** Whether the event is part of the answer (text or a tool call), as opposed to metadata. */
export function isContentEvent(event: ProviderEvent): boolean {
  return event.type === "text" || event.type === "tool_call";
}
