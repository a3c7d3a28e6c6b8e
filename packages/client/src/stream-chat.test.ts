import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ClientEvent } from "./client-event.js";
import { resumeStream } from "./resume-stream.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import { streamChat } from "./stream-chat.js";
import {
  type Answer,
  doneEvent,
  errorResponse,
  frame,
  type SeenRequest,
  scriptedFetch,
  sseResponse,
  stoppableStream,
} from "./testing.js";

const id = "streamAAAAAAAAAAAAAAAAAA";
const baseUrl = "http://gateway.test";
const opening = `retry: 1000\nid: ${id}:0\n\n`;

async function collect(events: AsyncIterable<ClientEvent>): Promise<ClientEvent[]> {
  const all: ClientEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("streamChat over fetch", () => {
  test("decodes hostile chunk boundaries: split CRLF, split UTF-8 character, several events per chunk, an id without data", async () => {
    const euro = new TextEncoder().encode("€"); // three bytes, split below
    const text = `id: ${id}:1\r\ndata: {"type":"token","content":"`;
    const chunks: (string | Uint8Array)[] = [
      `retry: 1000\r\nid: ${id}:0\r`,
      "\n\r\n",
      text,
      euro.subarray(0, 1),
      euro.subarray(1),
      `"}\r\n\r\n${frame(id, 2, { type: "token", content: " and " })}${frame(id, 3, { type: "token", content: "ünïcödé" })}`,
      frame(id, 4, doneEvent({ token_count: 3 })).replace("\n\n", "\r"),
      "\n\r\n",
    ];
    const { fetch } = scriptedFetch([() => sseResponse(id, chunks)]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    const events = await collect(stream);
    assert.deepEqual(
      events.map((event) => event.type),
      ["token", "token", "token", "done"],
    );
    assert.equal(await stream.text, "€ and ünïcödé");
    assert.equal(await stream.id, id);
    assert.equal(stream.lastEventId, `${id}:4`);
    assert.equal((await stream.done).token_count, 3);
  });

  test("sends the request as the contract's POST with the bearer key", async () => {
    const { fetch, requests } = scriptedFetch([
      () => sseResponse(id, [opening, frame(id, 1, doneEvent())]),
    ]);
    await streamChat({ message: "hi", model: "demo/default" }, { baseUrl, fetch, apiKey: "k1" })
      .done;
    const [request] = requests as [SeenRequest];
    assert.equal(request.method, "POST");
    assert.equal(request.url, `${baseUrl}/api/chat/stream`);
    assert.equal(request.headers.get("authorization"), "Bearer k1");
    assert.deepEqual(JSON.parse(request.body ?? ""), { message: "hi", model: "demo/default" });
  });

  test("resumes a cut connection with Last-Event-ID and drops events it has seen", async () => {
    const { fetch, requests } = scriptedFetch([
      () => sseResponse(id, [opening, frame(id, 1, { type: "token", content: "one " })]),
      () =>
        sseResponse(id, [
          // A replay overlapping what arrived: seq 1 again must not be appended twice.
          frame(id, 1, { type: "token", content: "one " }),
          frame(id, 2, { type: "token", content: "two" }),
          frame(id, 3, doneEvent()),
        ]),
    ]);
    const stream = streamChat(
      { message: "hi" },
      { baseUrl, fetch, reconnect: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const events = await collect(stream);
    assert.equal(await stream.text, "one two");
    assert.deepEqual(
      events.map((event) => event.type),
      ["token", "reconnecting", "token", "done"],
    );
    assert.equal(requests[1]?.method, "GET");
    assert.equal(requests[1]?.url, `${baseUrl}/api/streams/${id}`);
    assert.equal(requests[1]?.headers.get("last-event-id"), `${id}:1`);
  });

  /** The rest of a stream after a stall: `b`, then done. */
  const rest: Answer = () =>
    sseResponse(id, [frame(id, 2, { type: "token", content: "b" }), frame(id, 3, doneEvent())]);
  const stalls: [string, Answer[]][] = [
    [
      "a stalled connection (open, silent body) is dropped after stallMs and resumed",
      [
        (_request, signal) =>
          sseResponse(id, [opening, frame(id, 1, { type: "token", content: "a" })], {
            hang: true,
            signal,
          }),
        rest,
      ],
    ],
    [
      "a resume that never answers (no headers) is abandoned after stallMs and tried again",
      [
        () => sseResponse(id, [opening, frame(id, 1, { type: "token", content: "a" })]),
        (_request, signal) =>
          new Promise<Response>((_resolve, reject) => {
            signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          }),
        rest,
      ],
    ],
  ];
  for (const [name, answers] of stalls) {
    test(name, async () => {
      const count = answers.length;
      const { fetch, requests } = scriptedFetch(answers);
      const stream = streamChat(
        { message: "hi" },
        { baseUrl, fetch, stallMs: 50, reconnect: { baseDelayMs: 1, maxDelayMs: 1 } },
      );
      assert.equal(await stream.text, "ab");
      assert.equal(requests.length, count);
    });
  }

  test("a refused request rejects id, text and done with the server's type, message and Retry-After, and is not retried", async () => {
    const { fetch, requests } = scriptedFetch([
      () => errorResponse(429, "rate_limited", "Too many requests.", { "retry-after": "7" }),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    for (const promise of [stream.id, stream.text, stream.done]) {
      await assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof SluiceStreamError);
        assert.equal(error.type, "rate_limited");
        assert.equal(error.message, "Too many requests.");
        assert.equal(error.status, 429);
        assert.equal(error.retryAfterSeconds, 7);
        return true;
      });
    }
    await assert.rejects(collect(stream), SluiceStreamError);
    assert.equal(requests.length, 1);
  });

  test("an error event rejects done with its error_type and retryable, after the text so far", async () => {
    const { fetch } = scriptedFetch([
      () =>
        sseResponse(id, [
          opening,
          frame(id, 1, { type: "token", content: "half" }),
          frame(id, 2, { type: "error", error_type: "timeout", message: "slow", retryable: true }),
        ]),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    const events = await collect(stream);
    assert.equal(events.at(-1)?.type, "error");
    await assert.rejects(stream.done, (error: unknown) => {
      assert.ok(error instanceof SluiceStreamError);
      assert.equal(error.type, "timeout");
      assert.equal(error.retryable, true);
      assert.equal(error.partialText, "half");
      return true;
    });
  });

  test("a malformed event ends the stream with an error event, not an exception in the loop", async () => {
    const { fetch } = scriptedFetch([
      () => sseResponse(id, [opening, `id: ${id}:1\ndata: {"type":"token"}\n\n`]),
    ]);
    const events = await collect(streamChat({ message: "hi" }, { baseUrl, fetch }));
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, "error");
  });

  test("a stream that is gone on resume ends with a network_error event and the text it has", async () => {
    const { fetch } = scriptedFetch([
      () => sseResponse(id, [opening, frame(id, 1, { type: "token", content: "part" })]),
      () => errorResponse(404, "not_found", "No such stream."),
    ]);
    const stream = streamChat(
      { message: "hi" },
      { baseUrl, fetch, reconnect: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const events = await collect(stream);
    const last = events.at(-1);
    assert.equal(last?.type === "error" && last.error_type, "network_error");
    await assert.rejects(stream.text, (error: SluiceStreamError) => error.partialText === "part");
  });

  test("falls back to POST /api/chat when the streaming route answers an HTML page", async () => {
    const { fetch, requests } = scriptedFetch([
      () =>
        new Response("<h1>Not Found</h1>", {
          status: 404,
          headers: { "content-type": "text/html" },
        }),
      () =>
        Response.json({
          content: "whole answer",
          model: "demo/default",
          finish_reason: "stop",
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    const events = await collect(stream);
    assert.deepEqual(
      events.map((event) => event.type),
      ["fallback", "token", "done"],
    );
    assert.equal(await stream.text, "whole answer");
    assert.equal(requests[1]?.url, `${baseUrl}/api/chat`);
    assert.equal((await stream.done).model, "demo/default");
  });

  test("does not fall back when fallback is false", async () => {
    const { fetch, requests } = scriptedFetch([
      () =>
        new Response("<h1>Not Found</h1>", {
          status: 404,
          headers: { "content-type": "text/html" },
        }),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch, fallback: false });
    await assert.rejects(stream.text, SluiceStreamError);
    assert.equal(requests.length, 1);
  });

  test("leave drops the connection and rejects done with type left; the iteration just ends", async () => {
    const { fetch, requests } = scriptedFetch([
      (_request, signal) =>
        sseResponse(id, [opening, frame(id, 1, { type: "token", content: "a" })], {
          hang: true,
          signal,
        }),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    const seen: ClientEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      stream.leave();
    }
    assert.equal(seen.length, 1);
    await assert.rejects(stream.done, (error: SluiceStreamError) => error.type === "left");
    assert.equal(stream.lastEventId, `${id}:1`);
    assert.equal(requests.length, 1);
  });

  test("stop sends DELETE for the stream and the stream ends cancelled", async () => {
    const { fetch, requests } = scriptedFetch(stoppableStream(id));
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch });
    await stream.id;
    await stream.stop();
    assert.equal(requests[1]?.method, "DELETE");
    assert.equal(requests[1]?.url, `${baseUrl}/api/streams/${id}`);
    assert.equal((await stream.done).finish_reason, "cancelled");
  });

  test("validates the final object with the given schema", async () => {
    const { fetch } = scriptedFetch([
      () =>
        sseResponse(id, [
          opening,
          frame(id, 1, { type: "json", value: { name: "A" } }),
          frame(id, 2, doneEvent({ value: { name: "Ada" } })),
        ]),
    ]);
    const schema = {
      parse(value: unknown): { name: string } {
        if (typeof (value as { name?: unknown })?.name !== "string") throw new Error("no name");
        return value as { name: string };
      },
    };
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch, schema });
    const object = await stream.object;
    assert.equal(object.name, "Ada");
  });

  test("a line longer than maxBufferSize ends the stream with an error, without reconnecting", async () => {
    const { fetch, requests } = scriptedFetch([
      () =>
        sseResponse(id, [
          opening,
          frame(id, 1, { type: "token", content: "a" }),
          `data: ${"x".repeat(5000)}`,
        ]),
    ]);
    const stream = streamChat({ message: "hi" }, { baseUrl, fetch, maxBufferSize: 1000 });
    const events = await collect(stream);
    const last = events.at(-1);
    assert.equal(last?.type, "error");
    assert.match(last?.type === "error" ? last.message : "", /1000 characters/);
    assert.equal(requests.length, 1);
  });

  test("a stream token: asked for with cancel scope, exposed, and used in place of the key to resume and stop", async () => {
    const [stoppable, cancel] = stoppableStream(id);
    const issued = scriptedFetch([
      () => {
        const response = sseResponse(id, [opening, frame(id, 1, doneEvent())]);
        response.headers.set("x-stream-token", "token-1");
        return response;
      },
    ]);
    const started = streamChat(
      { message: "hi" },
      { baseUrl, fetch: issued.fetch, apiKey: "k1", streamTokenScope: "cancel" },
    );
    await started.done;
    assert.equal(issued.requests[0]?.headers.get("x-stream-token-scope"), "cancel");
    assert.equal(started.streamToken, "token-1");

    const reader = scriptedFetch([stoppable, cancel]);
    const resumed = resumeStream(id, {
      baseUrl,
      fetch: reader.fetch,
      streamToken: "token-1",
      lastEventId: `${id}:0`,
    });
    await resumed.stop();
    assert.equal((await resumed.done).finish_reason, "cancelled");
    const [read, stop] = reader.requests;
    assert.equal(read?.url, `${baseUrl}/api/streams/${id}?token=token-1`);
    assert.equal(read?.headers.get("authorization"), null);
    assert.equal(stop?.method, "DELETE");
    assert.equal(stop?.url, `${baseUrl}/api/streams/${id}?token=token-1`);
  });

  test("refuses to start without a base URL outside a browser", () => {
    assert.throws(() => streamChat({ message: "hi" }), TypeError);
  });
});
