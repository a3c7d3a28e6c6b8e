import type { ChatRequest } from "@sluice/protocol";
import type { ClientEvent } from "./client-event.js";
import type { StreamContext } from "./stream-context.js";
import { streamOverEventSource } from "./stream-over-eventsource.js";
import { streamOverFetch } from "./stream-over-fetch.js";

/** The events of one answer over the transport the options name: a new stream when `request` is given, else a resume. */
export function streamEvents(
  context: StreamContext,
  request: ChatRequest | undefined,
): AsyncGenerator<ClientEvent, void, undefined> {
  return context.options.transport === "eventsource"
    ? streamOverEventSource(context, request)
    : streamOverFetch(context, request);
}
