import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { SsePushParser, StreamEvent } from "@sluice/protocol";
import { startGateway, upstreamEnvironment } from "./support/gateway.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream } from "./support/native-stream.js";
import { nginxBinary, type RunningNginx, startNginx } from "./support/nginx.js";

/**
 * The gateway behind a real nginx with the package's defaults (`proxy_buffering on`): the
 * `X-Accel-Buffering: no` header makes nginx pass each frame on at once, and heartbeats keep
 * a stream alive through `proxy_read_timeout` while a slow model thinks.
 */

const installed = existsSync(nginxBinary);
const required = process.env.CI === "true";
const skip =
  installed || required
    ? false
    : `nginx is not installed at ${nginxBinary} (apt-get install nginx); skipped outside CI`;

interface Arrival {
  /** Milliseconds from the request to the read that completed it. */
  atMs: number;
  /** Which read of the body completed it, from 0. */
  read: number;
}

interface TimedStream {
  events: (StreamEvent & Arrival)[];
  pings: Arrival[];
  text: string;
  /** The connection ended without a terminal event. */
  cut: boolean;
}

/** Posts a chat request and reads the SSE response, noting when each message and ping arrived. */
async function timedStream(url: string, model: string): Promise<TimedStream> {
  const startedAt = performance.now();
  const response = await postStream(url, { message: "Hello", model });
  assert.equal(response.status, 200);
  assert.ok(response.body);
  const events: TimedStream["events"] = [];
  const pings: Arrival[] = [];
  let arrival: Arrival = { atMs: 0, read: -1 };
  const parser = new SsePushParser({
    onMessage: (message) =>
      events.push({ ...StreamEvent.parse(JSON.parse(message.data)), ...arrival }),
    onComment: (comment) => {
      if (comment.trim() === "ping") pings.push(arrival);
    },
  });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrival = { atMs: performance.now() - startedAt, read: arrival.read + 1 };
      parser.feed(value);
    }
  } catch {
    // A proxy that gives up cuts the body; the missing terminal event says so.
  }
  const last = events.at(-1);
  return {
    events,
    pings,
    text: events.map((event) => (event.type === "token" ? event.content : "")).join(""),
    cut: last?.type !== "done" && last?.type !== "error",
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

describe("through nginx", { skip }, () => {
  const proxies: RunningNginx[] = [];
  before(() => assert.ok(installed, `CI=true, so nginx must be installed at ${nginxBinary}`));
  // Registered first so that the proxies stop before the gateway behind them.
  after(() => Promise.all(proxies.map((running) => running.stop())));
  const servers = useMockAndGateway({ HEARTBEAT_MS: "1000", STREAM_GRACE_MS: "0" });
  const proxy = async (options: Omit<Parameters<typeof startNginx>[0], "upstream">) => {
    const started = await startNginx({ upstream: servers.gateway.url, ...options });
    proxies.push(started);
    return started;
  };

  test("time to first token through nginx is about the same as direct", async (t) => {
    const nginx = await proxy({});
    const model = "openai/mock?tokens=10&ttft=100&gap=20";
    const direct: number[] = [];
    const proxied: number[] = [];
    // Round 0 warms up both paths (connections, JIT) and is not counted.
    for (let round = 0; round <= 10; round++) {
      for (const [url, figures] of [
        [servers.gateway.url, direct],
        [nginx.url, proxied],
      ] as const) {
        const { events, text } = await timedStream(url, model);
        assert.equal(text, mockText({ tokens: 10 }));
        const first = events.find((event) => event.type === "token");
        const terminal = events.at(-1);
        assert.ok(first && terminal?.type === "done");
        // Streamed, not buffered: the first token came before the end.
        assert.ok(first.read < terminal.read, "the first token came in the last read");
        if (round > 0) figures.push(first.atMs);
      }
    }
    const figures = (values: number[]) =>
      `median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms`;
    const summary =
      `time to first token over 10 requests each (mock ttft 100 ms): direct ${figures(direct)}; ` +
      `through nginx ${figures(proxied)}; median difference ` +
      `${(median(proxied) - median(direct)).toFixed(1)} ms`;
    t.diagnostic(summary);
  });

  test("heartbeats keep a stream alive through proxy_read_timeout 2s while the first token takes 5s", async () => {
    const nginx = await proxy({ readTimeout: "2s" });
    const { events, pings, text, cut } = await timedStream(
      nginx.url,
      "openai/mock?tokens=30&seed=6&ttft=5000&gap=2",
    );
    assert.equal(cut, false, nginx.errors());
    assert.equal(text, mockText({ tokens: 30, seed: 6 }));
    assert.equal(events.at(-1)?.type, "done");
    const firstToken = events.find((event) => event.type === "token");
    assert.ok(firstToken && firstToken.atMs >= 4900);
    const early = pings.filter((ping) => ping.atMs < firstToken.atMs);
    assert.ok(early.length >= 3, `${early.length} pings before the first token`);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("without heartbeats, nginx cuts the same stream after 2s and the gateway cancels upstream", async () => {
    const quiet = await startGateway({
      ...upstreamEnvironment(servers.mock.url),
      HEARTBEAT_MS: "59000",
      STREAM_GRACE_MS: "0",
    });
    const nginx = await startNginx({ upstream: quiet.url, readTimeout: "2s" });
    try {
      const { events, pings, cut } = await timedStream(
        nginx.url,
        "openai/mock?tokens=30&ttft=5000&gap=2",
      );
      assert.equal(cut, true);
      assert.deepEqual(events, []);
      assert.deepEqual(pings, []);
      await servers.mock.waitFor((stats) => stats.open_streams === 0);
    } finally {
      await nginx.stop();
      await quiet.close();
    }
  });

  test("X-Accel-Buffering: no is what makes nginx stream: ignored, the frames arrive only at the end", async () => {
    const model = "openai/mock?tokens=10&ttft=1&gap=100";
    const streaming = await timedStream((await proxy({})).url, model);
    const buffered = await timedStream((await proxy({ ignoreAccelBuffering: true })).url, model);
    for (const result of [streaming, buffered]) {
      assert.equal(result.text, mockText({ tokens: 10 }));
      assert.equal(result.events.at(-1)?.type, "done");
    }
    const reads = (result: TimedStream) =>
      new Set(result.events.filter((event) => event.type === "token").map((event) => event.read))
        .size;
    assert.ok(reads(streaming) >= 5, `honoured: tokens came in ${reads(streaming)} reads`);
    assert.equal(reads(buffered), 1, "ignored: every token came in one read");
    assert.equal(buffered.events[0]?.read, buffered.events.at(-1)?.read);
    assert.ok(
      (buffered.events[0]?.atMs ?? 0) >= 900,
      "ignored: nothing arrived before the mock had sent everything",
    );
  });
});
