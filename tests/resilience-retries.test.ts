import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import type { StreamEvent } from "@sluice/protocol";
import getPort from "get-port";
import { startGateway, type TestGateway, upstreamEnvironment } from "./support/gateway.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

/** Retries before the first token, as a client of the native stream sees them. */

// Backoff of at most 20 ms, 40 ms: every wait reads "0.1s" unless the upstream asks for more.
const fastRetries = {
  RETRY_MAX_ATTEMPTS: "3",
  RETRY_BASE_DELAY_MS: "20",
  RETRY_MAX_DELAY_MS: "40",
};

/** What a client notices of each event: its type and what it says. */
function sequence(events: StreamEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case "token":
        return "token";
      case "status":
        return `status: ${event.message}`;
      case "error":
        return `error: ${event.error_type}`;
      case "done":
        return `done: ${event.finish_reason}, ${event.token_count} tokens`;
      default:
        return event.type;
    }
  });
}

async function stream(url: string, model: string) {
  const response = await postStream(url, { message: "Hello", model });
  assert.equal(response.status, 200);
  const result = await readNativeStream(response);
  return { ...result, events: result.events.map(({ event }) => event) };
}

describe("retries before the first token", () => {
  const servers = useMockAndGateway(fastRetries, { ttftMs: 1, gapMs: 1 });
  beforeEach(() => servers.mock.reset());

  test("a 429 is retried after the upstream's retry-after-ms, and the answer then streams in full", async () => {
    const startedAt = performance.now();
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=12&seed=2&fault=429&times=1&retry_after=0.3",
    );
    const elapsedMs = performance.now() - startedAt;
    assert.deepEqual(sequence(events), [
      "status: Rate limited, retrying in 0.3s",
      ...Array(12).fill("token"),
      "done: stop, 12 tokens",
    ]);
    assert.equal(text, mockText({ tokens: 12, seed: 2 }));
    assert.ok(elapsedMs >= 300, `the retry came after ${elapsedMs.toFixed(0)} ms, not 300`);
    assert.equal(servers.mock.stats().requests, 2);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("a 429 on every attempt ends with a retryable rate_limit error after the last one", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=12&fault=429&retry_after=0.05",
    );
    assert.deepEqual(sequence(events), [
      "status: Rate limited, retrying in 0.1s",
      "status: Rate limited, retrying in 0.1s",
      "error: rate_limit",
    ]);
    assert.equal(text, "");
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "rate_limit",
      message: `Gave up after 3 attempts: openai (${new URL(servers.mock.url).host}) is rate limiting: Rate limit reached for requests. Please try again later.`,
      retryable: true,
    });
    assert.equal(servers.mock.stats().requests, 3);
    assert.equal(servers.mock.stats().streams_started, 0);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("a 500 is retried, and a 500 on every attempt ends with max_retries", async () => {
    const recovered = await stream(servers.gateway.url, "openai/mock?tokens=8&fault=500&times=2");
    assert.deepEqual(sequence(recovered.events), [
      "status: Provider error, retrying in 0.1s",
      "status: Provider error, retrying in 0.1s",
      ...Array(8).fill("token"),
      "done: stop, 8 tokens",
    ]);
    assert.equal(recovered.text, mockText({ tokens: 8 }));

    servers.mock.reset();
    const failed = await stream(servers.gateway.url, "openai/mock?tokens=8&fault=500");
    assert.deepEqual(sequence(failed.events), [
      "status: Provider error, retrying in 0.1s",
      "status: Provider error, retrying in 0.1s",
      "error: max_retries",
    ]);
    const terminal = failed.events.at(-1);
    assert.ok(terminal?.type === "error");
    assert.equal(terminal.retryable, true);
    assert.match(
      terminal.message,
      /^Gave up after 3 attempts: openai \(127\.0\.0\.1:\d+\) returned HTTP 500: /,
    );
    assert.equal(servers.mock.stats().requests, 3);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("Anthropic's 529 overloaded is retried like a 5xx", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "anthropic/mock?tokens=8&seed=3&fault=529&times=1",
    );
    assert.deepEqual(sequence(events), [
      "status: Provider error, retrying in 0.1s",
      ...Array(8).fill("token"),
      "done: stop, 8 tokens",
    ]);
    assert.equal(text, mockText({ tokens: 8, seed: 3 }));
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("a connection cut before the first token is retried", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=8&seed=5&fault=drop&after=0&times=1",
    );
    assert.deepEqual(sequence(events), [
      "status: Connection failed, retrying in 0.1s",
      ...Array(8).fill("token"),
      "done: stop, 8 tokens",
    ]);
    assert.equal(text, mockText({ tokens: 8, seed: 5 }));
    assert.equal(servers.mock.stats().requests, 2);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("no first token in time counts as a retryable failure, then the retry streams", async () => {
    const slow = await startGateway({
      ...upstreamEnvironment(servers.mock.url),
      ...fastRetries,
      FIRST_TOKEN_TIMEOUT_MS: "200",
    });
    try {
      const { events, text } = await stream(
        slow.url,
        "openai/mock?tokens=6&fault=stall&after=0&times=1",
      );
      assert.deepEqual(sequence(events), [
        "status: No response in time, retrying in 0.1s",
        ...Array(6).fill("token"),
        "done: stop, 6 tokens",
      ]);
      assert.equal(text, mockText({ tokens: 6 }));
      assert.equal(servers.mock.stats().requests, 2);
      await servers.mock.waitFor((stats) => stats.open_streams === 0);
      assert.equal(servers.mock.stats().aborted_streams, 1);
    } finally {
      await slow.close();
    }
  });
});

describe("retries when the upstream refuses connections", () => {
  let gateway: TestGateway;
  let closedPort = 0;

  before(async () => {
    // A port nothing listens on: every connection is refused.
    closedPort = await getPort({ host: "127.0.0.1" });
    gateway = await startGateway({
      ...upstreamEnvironment(`http://127.0.0.1:${closedPort}`),
      ...fastRetries,
    });
  });
  after(() => gateway.close());

  test("a refused connection is retried, then ends with a retryable max_retries error", async () => {
    const { events, text } = await stream(gateway.url, "openai/mock?tokens=8");
    assert.deepEqual(sequence(events), [
      "status: Connection failed, retrying in 0.1s",
      "status: Connection failed, retrying in 0.1s",
      "error: max_retries",
    ]);
    assert.equal(text, "");
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "max_retries",
      message: `Gave up after 3 attempts: The connection to openai (127.0.0.1:${closedPort}) failed: connection refused (ECONNREFUSED).`,
      retryable: true,
    });
  });
});
