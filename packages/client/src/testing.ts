// Test helpers: a scripted `fetch` that answers from a list of handlers, and SSE bodies cut
// into chosen chunks. Not exported from the package.

/** One request the scripted fetch saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
}

export type Answer = (
  request: SeenRequest,
  signal: AbortSignal | undefined,
) => Response | Promise<Response>;

/** A `fetch` answering each request with the next handler; `requests` records what it saw. */
export function scriptedFetch(answers: Answer[]): { fetch: typeof fetch; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fetchFunction = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: SeenRequest = {
      method: init.method ?? "GET",
      url: String(input),
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    };
    requests.push(request);
    const answer = answers.shift();
    if (!answer) throw new TypeError(`unexpected request ${request.method} ${request.url}`);
    return answer(request, init.signal ?? undefined);
  };
  return { fetch: fetchFunction as typeof fetch, requests };
}

/**
 * A body that sends `chunks` (strings are UTF-8 encoded, byte arrays go as they are, a promise
 * is waited for), then
 * ends, or stays open when `hang` is set, until `signal` aborts.
 */
export function chunkedBody(
  chunks: (string | Uint8Array | Promise<string>)[],
  options: { hang?: boolean; signal?: AbortSignal | undefined } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await chunks[index];
      index += 1;
      if (chunk !== undefined) {
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
        return;
      }
      if (!options.hang) {
        controller.close();
        return;
      }
      return new Promise<void>((_resolve, reject) => {
        const fail = () => reject(options.signal?.reason ?? new Error("aborted"));
        if (options.signal?.aborted) fail();
        options.signal?.addEventListener("abort", fail, { once: true });
      });
    },
  });
}

/** An SSE response as the gateway sends it: headers, then `chunks`. */
export function sseResponse(
  streamId: string,
  chunks: (string | Uint8Array | Promise<string>)[],
  options: { hang?: boolean; signal?: AbortSignal | undefined } = {},
): Response {
  return new Response(chunkedBody(chunks, options), {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "x-stream-id": streamId },
  });
}

/** One SSE message of the native stream. */
export function frame(streamId: string, seq: number, event: object): string {
  return `id: ${streamId}:${seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A `done` event with plausible figures. */
export function doneEvent(fields: object = {}): object {
  return {
    type: "done",
    finish_reason: "stop",
    token_count: 2,
    ttft_ms: 5,
    elapsed_seconds: 0.1,
    tokens_per_second: 20,
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    ...fields,
  };
}

/** A JSON response in the contract's error shape. */
export function errorResponse(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ error: { type, message } }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The two answers of a stream that is stopped: the stream (one token, then, once the DELETE
 * came, `done` with `finish_reason: "cancelled"`) and the DELETE's 202.
 */
export function stoppableStream(streamId: string): [Answer, Answer] {
  let release: (() => void) | undefined;
  const deleted = new Promise<void>((resolve) => {
    release = resolve;
  });
  const stream: Answer = () =>
    sseResponse(streamId, [
      `retry: 1000\nid: ${streamId}:0\n\n${frame(streamId, 1, { type: "token", content: "a" })}`,
      deleted.then(() => frame(streamId, 2, doneEvent({ finish_reason: "cancelled" }))),
    ]);
  const cancel: Answer = () => {
    release?.();
    return Response.json({ id: streamId, cancelled: true }, { status: 202 });
  };
  return [stream, cancel];
}
