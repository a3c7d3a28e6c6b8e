import assert from "node:assert/strict";
import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startFaultProxy } from "./fault-proxy.js";
import { runStreamRequest } from "./run-stream-request.js";
import { streamFormat } from "./stream-format.js";
import type { StreamRequestOptions } from "./stream-request-options.js";

// Multi-byte characters, so that byte-wise writes split them.
const tokens = Array.from({ length: 40 }, (_, index) => `wörd${index} 🌊 `);
const expectedText = tokens.join("");
const streamId = "Abcdefghijklmnopqrstuvwx";

function nativeEvents(fromSeq: number): string {
  let body = "";
  for (let seq = fromSeq + 1; seq <= tokens.length; seq += 1) {
    body += `id: ${streamId}:${seq}\ndata: ${JSON.stringify({ type: "token", content: tokens[seq - 1] })}\n\n`;
  }
  return `${body}id: ${streamId}:${tokens.length + 1}\ndata: {"type":"done","finish_reason":"stop"}\n\n`;
}

/** A stand-in for the gateway: native streams, resume by Last-Event-ID, and planted faults. */
function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  const mode = request.headers["x-mode"];
  if (mode === "busy") {
    response.writeHead(429).end();
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "x-stream-id": streamId });
  if (url.pathname.endsWith("/chat/completions")) {
    const frames = tokens.map(
      (content) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`,
    );
    response.end(mode === "no-done" ? frames.join("") : `${frames.join("")}data: [DONE]\n\n`);
    return;
  }
  const lastEventId = request.headers["last-event-id"];
  // "off-by-one" replays the last event the client already had: a planted duplicate.
  const replayed = mode === "off-by-one" ? 1 : 0;
  const from = typeof lastEventId === "string" ? Number(lastEventId.split(":")[1]) - replayed : 0;
  const body = Buffer.from(nativeEvents(from));
  if (mode === "bytewise") {
    let offset = 0;
    const writeNext = (): void => {
      if (offset >= body.length) return void response.end();
      response.write(body.subarray(offset, offset + 1));
      offset += 1;
      setImmediate(writeNext);
    };
    writeNext();
    return;
  }
  if (mode === "after-done") {
    response.end(
      `${nativeEvents(0)}id: ${streamId}:99\ndata: {"type":"token","content":"late"}\n\n`,
    );
    return;
  }
  if (mode === "endless-line") {
    // More than the parser's 1 MiB bound without a newline, then silence.
    response.write(`data: ${"x".repeat(1_100_000)}`);
    request.on("close", () => response.destroy());
    return;
  }
  if (mode === "hang") {
    response.write(body.subarray(0, 200));
    request.on("close", () => response.destroy());
    return;
  }
  response.end(body);
}

let origin = "";
const server = createServer(handle);
const agent = new Agent({ keepAlive: true });

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function options(overrides: Partial<StreamRequestOptions> = {}): StreamRequestOptions {
  const now = performance.now();
  return {
    index: 0,
    url: new URL("/api/chat/stream", origin),
    format: streamFormat("native"),
    model: "openai/mock",
    prompt: "hello",
    headers: {},
    agent,
    dueAt: now,
    runStartedAt: now,
    expectedText,
    abortAfterTokens: null,
    abortStyle: "disconnect",
    readDelayMs: null,
    maxResumes: 5,
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("runStreamRequest", () => {
  it("measures a native stream: every token, every gap, the terminal event, the text", async () => {
    const outcome = await runStreamRequest(options());
    assert.equal(outcome.errorType, null);
    assert.equal(outcome.terminal, "done");
    assert.equal(outcome.tokens, tokens.length);
    assert.equal(outcome.gapsMs.length, tokens.length - 1);
    assert.ok(outcome.ttftMs !== null && outcome.ttftMs <= outcome.e2eMs);
    assert.ok(outcome.bytes > expectedText.length);
    assert.equal(outcome.streamId, streamId);
    assert.deepEqual(outcome.check, { ok: true, kind: "ok", at: null, span: null });
  });

  it("reassembles text written one byte at a time, split UTF-8 characters included", async () => {
    const outcome = await runStreamRequest(options({ headers: { "x-mode": "bytewise" } }));
    assert.equal(outcome.check?.ok, true);
    assert.equal(outcome.tokens, tokens.length);
  });

  it("resumes a connection cut mid-stream by the fault proxy and loses nothing", async () => {
    const proxy = await startFaultProxy({
      target: new URL(origin),
      cutEvery: 1,
      cutAfterBytes: 700,
    });
    try {
      const outcome = await runStreamRequest(
        options({ url: new URL("/api/chat/stream", proxy.url), maxResumes: 20 }),
      );
      assert.ok(outcome.resumes >= 1, "the stream was resumed");
      assert.ok(proxy.counts().cuts >= 1);
      assert.equal(outcome.errorType, null);
      assert.equal(outcome.terminal, "done");
      assert.equal(outcome.check?.ok, true);
    } finally {
      await proxy.close();
    }
  });

  it("catches a resume that replays an event the client already had", async () => {
    const proxy = await startFaultProxy({
      target: new URL(origin),
      cutEvery: 1,
      cutAfterBytes: 700,
    });
    try {
      const outcome = await runStreamRequest(
        options({
          url: new URL("/api/chat/stream", proxy.url),
          headers: { "x-mode": "off-by-one" },
          maxResumes: 1,
        }),
      );
      assert.equal(outcome.resumes, 1);
      assert.equal(outcome.check?.kind, "duplicate");
    } finally {
      await proxy.close();
    }
  });

  it("counts a token after the terminal event as a protocol violation, not as text", async () => {
    const outcome = await runStreamRequest(options({ headers: { "x-mode": "after-done" } }));
    assert.equal(outcome.eventsAfterTerminal, 1);
    assert.equal(outcome.tokens, tokens.length);
    assert.equal(outcome.check?.ok, true);
  });

  it("names an HTTP error by its status", async () => {
    const outcome = await runStreamRequest(options({ headers: { "x-mode": "busy" } }));
    assert.equal(outcome.errorType, "http_429");
    assert.equal(outcome.tokens, 0);
  });

  it("counts an abort after N tokens as an outcome, not an error, and checks the prefix", async () => {
    const outcome = await runStreamRequest(
      options({ headers: { "x-mode": "hang" }, abortAfterTokens: 2 }),
    );
    assert.equal(outcome.aborted, true);
    assert.equal(outcome.errorType, null);
    assert.equal(outcome.tokens, 2);
    assert.equal(outcome.check?.ok, true);
  });

  it("stops reading a stream whose line outgrows the SSE parser's bound, and says why", async () => {
    const outcome = await runStreamRequest(options({ headers: { "x-mode": "endless-line" } }));
    assert.equal(outcome.errorType, "sse_buffer_overflow");
    assert.equal(outcome.tokens, 0);
  });

  it("times out a stream that stalls", async () => {
    const outcome = await runStreamRequest(
      options({ headers: { "x-mode": "hang" }, timeoutMs: 200 }),
    );
    assert.equal(outcome.errorType, "timeout");
  });

  it("reads an OpenAI-compatible stream and its [DONE]", async () => {
    const outcome = await runStreamRequest(
      options({ url: new URL("/v1/chat/completions", origin), format: streamFormat("openai") }),
    );
    assert.equal(outcome.terminal, "done");
    assert.equal(outcome.check?.ok, true);
  });

  it("reports an OpenAI-compatible stream that ends without [DONE]", async () => {
    const outcome = await runStreamRequest(
      options({
        url: new URL("/v1/chat/completions", origin),
        format: streamFormat("openai"),
        headers: { "x-mode": "no-done" },
      }),
    );
    assert.equal(outcome.errorType, "no_terminal");
    assert.equal(outcome.check?.ok, true);
  });

  it("treats a plain body's end as the stream's end", async () => {
    const outcome = await runStreamRequest(
      options({
        url: new URL("/v1/chat/completions", origin),
        format: streamFormat("plain"),
        expectedText: null,
      }),
    );
    assert.equal(outcome.errorType, null);
    assert.equal(outcome.terminal, "done");
    assert.equal(outcome.tokens, tokens.length + 1);
  });
});
