import assert from "node:assert/strict";
import { type IdentifiedEvent, readStreamEvents } from "@sluice/client";
import type { StreamEvent } from "@sluice/protocol";

/** One event as it came over the wire, with its SSE id. */
export type ReceivedEvent = IdentifiedEvent;

export interface NativeStreamResult {
  status: number;
  streamId: string | null;
  events: ReceivedEvent[];
  text: string;
}

/**
 * Reads one native SSE response to its end (or until `stopAfterTokens`, then aborts) through
 * the client SDK's decoder, with no reconnecting: for tests of what the server puts on the wire.
 */
export async function readNativeStream(
  response: Response,
  options: { stopAfterTokens?: number; controller?: AbortController } = {},
): Promise<NativeStreamResult> {
  const events: ReceivedEvent[] = [];
  let text = "";
  let tokens = 0;
  if (!response.body) throw new Error("no body");
  for await (const received of readStreamEvents(response.body)) {
    events.push(received);
    const { event } = received;
    if (event.type === "token") {
      text += event.content;
      tokens += 1;
      if (options.stopAfterTokens !== undefined && tokens >= options.stopAfterTokens) {
        options.controller?.abort();
        break;
      }
    }
  }
  return {
    status: response.status,
    streamId: response.headers.get("x-stream-id"),
    events,
    text,
  };
}

/** POSTs a native chat request to the stream route. */
export function postStream(
  url: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${url}/api/chat/stream`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** The text of a stream's token events, in order. */
export function textOf(events: readonly { event: StreamEvent }[]): string {
  return events.map(({ event }) => (event.type === "token" ? event.content : "")).join("");
}

/**
 * Asserts the invariants of one stream, read on one connection or across several: ids
 * `streamId:1`, `:2`, `:3`, … and exactly one terminal event, the last.
 */
export function assertWholeStream(streamId: string, events: readonly ReceivedEvent[]): void {
  assert.deepEqual(
    events.map(({ id }) => id),
    events.map((_event, index) => `${streamId}:${index + 1}`),
  );
  const terminals = events.filter(({ event }) => event.type === "done" || event.type === "error");
  assert.equal(terminals.length, 1);
  assert.equal(terminals[0], events.at(-1));
}
