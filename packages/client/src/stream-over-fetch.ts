import { type ChatRequest, isTerminal, SseBufferOverflowError } from "@sluice/protocol";
import { backoffDelay } from "./backoff-delay.js";
import type { ClientEvent } from "./client-event.js";
import { streamUrl } from "./client-options.js";
import { seqOf } from "./decode-event.js";
import { fallbackAnswer } from "./fallback-answer.js";
import { readStreamEvents } from "./read-stream-events.js";
import { refusalOf } from "./refusal-of.js";
import { sleep } from "./sleep.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import { StallWatch } from "./stall-watch.js";
import type { StreamContext } from "./stream-context.js";

/** How one connection ended. */
type ConnectionEnd = "terminal" | "cut";

/**
 * The events of one answer over `fetch`: `POST /api/chat/stream` when `request` is given (or
 * `GET /api/streams/{id}` when the context already knows the stream), then, whenever a
 * connection ends without a terminal event, errors or stalls, `GET /api/streams/{id}` with
 * `Last-Event-ID` after a jittered wait. Events whose seq was delivered already are dropped.
 * The POST is never repeated: one call, at most one generation.
 */
export async function* streamOverFetch(
  context: StreamContext,
  request: ChatRequest | undefined,
): AsyncGenerator<ClientEvent, void, undefined> {
  const { options } = context;
  if (request && options.fallback && !canStream()) {
    yield* fallbackAnswer(context, request);
    return;
  }
  let attempt = 0;
  let retryAfterMs = 0;
  for (let first = true; ; first = false) {
    if (!first) {
      if (context.leaveSignal.aborted) return;
      attempt += 1;
      const policy = options.reconnect;
      if (policy === false || attempt > policy.maxAttempts) {
        yield lost(
          policy === false
            ? "The connection was lost."
            : `The connection was lost; gave up after ${policy.maxAttempts} reconnects.`,
        );
        return;
      }
      const delay = Math.max(retryAfterMs, backoffDelay(attempt, policy));
      retryAfterMs = 0;
      yield { type: "reconnecting", attempt, delay_ms: delay };
      await sleep(delay, context.leaveSignal);
      if (context.leaveSignal.aborted) return;
    }
    const starting = first && request !== undefined;
    const connection = new AbortController();
    // From the request on: a proxy that accepts and never answers is as dead as a silent body.
    const stall = new StallWatch(options.stallMs, () =>
      connection.abort(new Error(`No byte for ${options.stallMs} ms.`)),
    );
    try {
      const signal = AbortSignal.any([context.leaveSignal, connection.signal]);
      let response: Response;
      try {
        response = starting ? await post(context, request, signal) : await resume(context, signal);
      } catch (error) {
        if (context.leaveSignal.aborted) return;
        // Unknown whether the POST reached the server: trying again could start a second generation.
        if (starting || context.streamId === undefined) {
          throw new SluiceStreamError("network_error", `Could not reach ${options.baseUrl}.`, {
            retryable: true,
            cause: error,
          });
        }
        continue;
      }
      stall.touch();
      noteStream(context, response);

      if (!isStream(response)) {
        if (response.status === 204 || (!first && response.status === 404)) {
          yield lost("The stream is gone: it ended or expired before the rest could be read.");
          return;
        }
        const refusal = await refusalOf(response);
        if (first && refusal) throw refusal;
        if (refusal && response.status !== 429 && response.status < 500) {
          yield lost(`Could not resume the stream: ${refusal.message}`);
          return;
        }
        if (refusal) {
          retryAfterMs = (refusal.retryAfterSeconds ?? 0) * 1000;
          continue;
        }
        if (starting && options.fallback && !response.headers.has("x-stream-id")) {
          stall.stop();
          yield* fallbackAnswer(context, request);
          return;
        }
        if (first) {
          throw new SluiceStreamError(
            "network_error",
            `Expected a stream from ${response.url || options.baseUrl}, got HTTP ${response.status} ${response.headers.get("content-type") ?? "without a content type"}.`,
          );
        }
        // A proxy's error page between us and the gateway: try again.
        continue;
      }
      const before = context.lastSeq;
      const body = response.body as ReadableStream<Uint8Array>;
      const end = yield* readConnection(context, body, stall.touch);
      if (end === "terminal") return;
      if (context.lastSeq > before) attempt = 0;
    } finally {
      stall.stop();
    }
  }
}

/** Takes the stream id and token a response names (`X-Stream-Id`, `X-Stream-Token`). */
export function noteStream(context: StreamContext, response: Response): void {
  const token = response.headers.get("x-stream-token");
  if (token) context.streamToken = token;
  const streamId = response.headers.get("x-stream-id") ?? context.streamId;
  if (streamId) context.setStreamId(streamId);
}

/** Reads one connection's events until its terminal event or its end (a cut, a stall, a leave). */
async function* readConnection(
  context: StreamContext,
  body: ReadableStream<Uint8Array>,
  onChunk: () => void,
): AsyncGenerator<ClientEvent, ConnectionEnd, undefined> {
  try {
    const { maxBufferSize } = context.options;
    for await (const { id, event } of readStreamEvents(body, {
      onChunk,
      ...(maxBufferSize === undefined ? {} : { maxBufferSize }),
    })) {
      const seq = id === undefined ? undefined : seqOf(id);
      if (seq !== undefined) {
        if (seq <= context.lastSeq) continue;
        context.lastSeq = seq;
        context.lastEventId = id;
      }
      yield event;
      if (isTerminal(event)) return "terminal";
    }
  } catch (error) {
    // Reading it again would overflow again: the stream ends here.
    if (error instanceof SseBufferOverflowError) {
      yield { type: "error", error_type: "unknown", message: error.message, retryable: false };
      return "terminal";
    }
    // Otherwise a cut, a stall or a leave: the caller resumes or stops.
  }
  return "cut";
}

/** `POST /api/chat/stream`: starts the generation. */
export function post(
  context: StreamContext,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<Response> {
  const { options } = context;
  return options.fetch(`${options.baseUrl}/api/chat/stream`, {
    method: "POST",
    headers: {
      ...options.headers,
      accept: "text/event-stream",
      "content-type": "application/json",
      ...(options.streamTokenScope === "cancel" ? { "x-stream-token-scope": "cancel" } : {}),
    },
    body: JSON.stringify(request),
    signal,
  });
}

function resume(context: StreamContext, signal: AbortSignal): Promise<Response> {
  const { options, streamId, lastEventId } = context;
  return options.fetch(streamUrl(options, streamId ?? ""), {
    headers: {
      ...options.headers,
      accept: "text/event-stream",
      ...(lastEventId ? { "last-event-id": lastEventId } : {}),
    },
    signal,
  });
}

function isStream(response: Response): boolean {
  return (
    response.status === 200 &&
    response.body !== null &&
    (response.headers.get("content-type") ?? "").startsWith("text/event-stream")
  );
}

/** Whether this runtime can read a response body as it arrives. */
function canStream(): boolean {
  return typeof ReadableStream === "function" && "body" in Response.prototype;
}

function lost(message: string): ClientEvent {
  return { type: "error", error_type: "network_error", message, retryable: true };
}
