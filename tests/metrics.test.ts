import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";
import { observations, parseMetrics, sampleValue } from "./support/prometheus-text.js";

const key = { authorization: "Bearer metrics-key" };

describe("/metrics moves as a scripted set of streams says it should", () => {
  const servers = useMockAndGateway({
    SLUICE_API_KEYS: "metrics-key",
    MAX_CONCURRENT_STREAMS: "1",
    HEARTBEAT_MS: "150",
    // Wide enough for a loaded machine to scrape the full buffers before the cut: the gateway
    // is busy relaying the test's fastest stream meanwhile, so each scrape can take a while.
    READER_STALL_MS: "6000",
    ANTHROPIC_API_KEY: undefined,
    ANTHROPIC_BASE_URL: undefined,
  });

  const scrape = async () => {
    const response = await fetch(`${servers.gateway.url}/metrics`);
    return parseMetrics(await response.text());
  };

  test("TTFT split, inter-token latency, readers, resumes, heartbeats, limit rejections", async () => {
    const before = await scrape();
    // A slow first token: heartbeats go out while the upstream thinks.
    const slow = await postStream(
      servers.gateway.url,
      { message: "Hi", model: "openai/mock?tokens=20&gap=5&ttft=600" },
      { headers: key },
    );
    assert.match(slow.headers.get("server-timing") ?? "", /store;dur=[\d.]+, gateway;dur=[\d.]+/);
    assert.equal((await readNativeStream(slow)).events.at(-1)?.event.type, "done");

    // A second stream: while it runs, another of the same key is refused (concurrency 1).
    const controller = new AbortController();
    const running = await postStream(
      servers.gateway.url,
      { message: "Hi", model: "openai/mock?tokens=60&gap=10&ttft=1" },
      { headers: key, signal: controller.signal },
    );
    const id = running.headers.get("x-stream-id");
    const refused = await postStream(servers.gateway.url, { message: "Hi" }, { headers: key });
    assert.equal(refused.status, 429);
    await refused.arrayBuffer();
    const firstPart = await readNativeStream(running, { stopAfterTokens: 5, controller });
    // A resume after the last event read, and a second reader from the start.
    const resumed = await fetch(`${servers.gateway.url}/api/streams/${id}`, {
      headers: { ...key, "last-event-id": firstPart.events.at(-1)?.id ?? "" },
    });
    const replay = await fetch(`${servers.gateway.url}/api/streams/${id}`, { headers: key });
    await Promise.all([readNativeStream(resumed), readNativeStream(replay)]);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    assert.equal(delta("sluice_stream_readers_attached_total", { kind: "new" }), 2);
    assert.equal(delta("sluice_stream_readers_attached_total", { kind: "resume" }), 1);
    assert.equal(delta("sluice_stream_readers_attached_total", { kind: "reconnect" }), 1);
    assert.equal(delta("sluice_limit_rejections_total", { limit: "concurrent_streams" }), 1);
    assert.ok(delta("sluice_heartbeats_sent_total") >= 2, "pings during the 600 ms first token");
    assert.equal(delta("sluice_streams_ended_total", { outcome: "stop" }), 2);

    const count = (name: string) => observations(after, name) - observations(before, name);
    assert.equal(count("sluice_upstream_time_to_first_token_seconds"), 2);
    assert.equal(count("sluice_inter_token_latency_seconds"), 2);
    const added = after.get("sluice_gateway_added_ttft_seconds")?.metrics[0];
    const addedBefore = before.get("sluice_gateway_added_ttft_seconds")?.metrics[0];
    assert.equal(Number(added?.count) - Number(addedBefore?.count ?? 0), 2);
    // The upstream's 600 ms are the upstream's, not the gateway's.
    const upstreamSlow = Number(
      after.get("sluice_upstream_time_to_first_token_seconds")?.metrics[0]?.buckets?.["0.5"] ?? 0,
    );
    assert.ok(upstreamSlow < observations(after, "sluice_upstream_time_to_first_token_seconds"));
    assert.ok(Number(added?.sum) - Number(addedBefore?.sum ?? 0) < 0.5, "the gateway added little");
    assert.equal(sampleValue(after, "sluice_open_stream_responses"), 0);
  });

  test("a reader that never reads shows as buffered bytes, then is cut for stalling", async () => {
    const before = await scrape();
    const socket = connect(Number(new URL(servers.gateway.url).port), "127.0.0.1");
    const body = JSON.stringify({ message: "Hi", model: "openai/mock?tokens=600000&gap=0&ttft=1" });
    socket.write(
      `POST /api/chat/stream HTTP/1.1\r\nHost: x\r\nAuthorization: ${key.authorization}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.pause(); // never reads: the gateway's buffers for it fill up
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    let buffered = 0;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      buffered = Math.max(buffered, sampleValue(await scrape(), "sluice_reader_buffered_bytes"));
      const cut = sampleValue(await scrape(), "sluice_readers_cut_total");
      if (cut > sampleValue(before, "sluice_readers_cut_total")) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    socket.resume();
    await closed;
    assert.ok(buffered > 0, `bytes buffered for the slow reader: ${buffered}`);
    assert.equal(
      sampleValue(await scrape(), "sluice_readers_cut_total") -
        sampleValue(before, "sluice_readers_cut_total"),
      1,
    );
  });
});
