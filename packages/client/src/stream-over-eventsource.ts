import type { ChatRequest } from "@sluice/protocol";
import type { ClientEvent } from "./client-event.js";
import { streamUrl } from "./client-options.js";
import { decodeEvent, seqOf, streamIdOf } from "./decode-event.js";
import { refusalOf } from "./refusal-of.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import type { StreamContext } from "./stream-context.js";
import { noteStream, post, streamOverFetch } from "./stream-over-fetch.js";

/** What the EventSource's callbacks hand to the generator. */
type Arrival = MessageEvent<string> | "reconnecting" | "closed" | "left";

/** The server's `retry:`, which the browser waits before reconnecting by itself. */
const browserRetryMs = 1000;

/**
 * The events of one answer over the browser's own `EventSource` (`GET /api/chat/stream?message=`
 * or `GET /api/streams/{id}`): the browser reconnects by itself with `Last-Event-ID` and the
 * server resumes; events whose seq was delivered already are dropped. Should the browser give
 * up without a terminal event, the fetch transport resumes the stream. Where there is no
 * `EventSource` (Node 20), the fetch transport does the whole job. No stall timer here: an
 * EventSource does not show heartbeats, so silence cannot be told from a model that thinks.
 */
export async function* streamOverEventSource(
  context: StreamContext,
  request: ChatRequest | undefined,
): AsyncGenerator<ClientEvent, void, undefined> {
  const EventSourceClass = (globalThis as { EventSource?: typeof EventSource }).EventSource;
  if (!EventSourceClass) {
    yield* streamOverFetch(context, request);
    return;
  }
  if (request && (context.options.headers.authorization || !fitsInQuery(request))) {
    // An EventSource can send neither the key nor a body: start with one POST that carries
    // them, then follow the stream (with the token it answered, if any) from its first event.
    await startWithPost(context, request);
    request = undefined;
    if (context.leaveSignal.aborted) return;
  }
  const source = new EventSourceClass(eventSourceUrl(context, request));
  const arrivals: Arrival[] = [];
  let wake: (() => void) | undefined;
  const arrive = (arrival: Arrival) => {
    arrivals.push(arrival);
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  source.onmessage = (message) => arrive(message);
  source.onerror = () =>
    arrive(source.readyState === EventSourceClass.CLOSED ? "closed" : "reconnecting");
  const onLeave = () => arrive("left");
  context.leaveSignal.addEventListener("abort", onLeave, { once: true });
  if (context.leaveSignal.aborted) arrive("left");
  let attempt = 0;
  try {
    for (;;) {
      while (arrivals.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      const arrival = arrivals.shift() as Arrival;
      if (arrival === "left") return;
      if (arrival === "reconnecting") {
        attempt += 1;
        yield { type: "reconnecting", attempt, delay_ms: browserRetryMs };
        continue;
      }
      if (arrival === "closed") {
        source.close();
        if (context.streamId === undefined) {
          throw new SluiceStreamError(
            "network_error",
            "The EventSource could not open the stream (refused, or the server is unreachable).",
            { retryable: true },
          );
        }
        // The browser gave up; the fetch transport resumes after the last event seen.
        yield* streamOverFetch(context, undefined);
        return;
      }
      attempt = 0;
      const eventId = arrival.lastEventId;
      const seq = eventId ? seqOf(eventId) : undefined;
      if (seq !== undefined && seq <= context.lastSeq) continue;
      if (eventId && context.streamId === undefined) context.setStreamId(streamIdOf(eventId));
      const event = decodeEvent(arrival.data);
      if (seq !== undefined) {
        context.lastSeq = seq;
        context.lastEventId = eventId;
      }
      yield event;
      if (event.type === "done" || event.type === "error") return;
    }
  } finally {
    source.close();
    context.leaveSignal.removeEventListener("abort", onLeave);
  }
}

/**
 * Starts the stream with a POST that carries the key and the whole request, and keeps its id
 * and token; reads none of its events (the run waits out its grace period for the EventSource).
 */
async function startWithPost(context: StreamContext, request: ChatRequest): Promise<void> {
  let response: Response;
  try {
    response = await post(context, request, context.leaveSignal);
  } catch (error) {
    if (context.leaveSignal.aborted) return;
    throw new SluiceStreamError("network_error", `Could not reach ${context.options.baseUrl}.`, {
      retryable: true,
      cause: error,
    });
  }
  noteStream(context, response);
  const tokenNeeded = context.options.headers.authorization !== undefined;
  if (response.ok && context.streamId && (context.streamToken || !tokenNeeded)) {
    // The generation runs on detached; the EventSource reads it from the start.
    await response.body?.cancel();
    return;
  }
  const refusal = await refusalOf(response);
  if (refusal) throw refusal;
  throw new SluiceStreamError(
    "network_error",
    `Expected a stream with X-Stream-Id${tokenNeeded ? " and X-Stream-Token" : ""}, got HTTP ${response.status}.`,
  );
}

/** The GET an EventSource can make: a new stream from the request's `message`, or a resume. */
function eventSourceUrl(context: StreamContext, request: ChatRequest | undefined): string {
  const { options } = context;
  const { baseUrl } = options;
  if (!request) {
    return streamUrl(options, context.streamId ?? "", {
      token: context.streamToken,
      last_event_id: context.lastEventId,
    });
  }
  const query = new URLSearchParams({ message: request.message ?? "" });
  for (const name of ["system_prompt", "model", "max_tokens", "temperature", "smooth"] as const) {
    const value = request[name];
    if (value !== undefined) query.set(name, String(value));
  }
  return `${baseUrl}/api/chat/stream?${query}`;
}

/** Whether a GET's query can carry the request: one `message`, no history, no output format. */
function fitsInQuery(request: ChatRequest): boolean {
  return request.message !== undefined && !request.messages && !request.response_format;
}
