import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import type { StreamEvent } from "@sluice/protocol";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

/**
 * Failures after the first token: what was sent stays, the stream ends with an `error` that
 * says whether to retry, never with a `done` that hides a truncated answer, and the gateway
 * never retries (a retry would repeat text).
 */

async function stream(url: string, model: string) {
  const response = await postStream(url, { message: "Hello", model });
  assert.equal(response.status, 200);
  const result = await readNativeStream(response);
  return { ...result, events: result.events.map(({ event }) => event) };
}

const tokens = (count: number): StreamEvent["type"][] => Array(count).fill("token");

describe("failures in the middle of a stream", () => {
  const servers = useMockAndGateway(
    { IDLE_TIMEOUT_MS: "300", RETRY_BASE_DELAY_MS: "10", RETRY_MAX_DELAY_MS: "20" },
    { ttftMs: 1, gapMs: 2 },
  );
  beforeEach(() => servers.mock.reset());

  test("a socket dropped after 5 tokens keeps them and ends with a retryable network_error", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=20&fault=drop&after=5",
    );
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(5), "error"],
    );
    assert.equal(text, mockText({ tokens: 5 }));
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "network_error",
      message: `The connection to openai (${new URL(servers.mock.url).host}) was lost: socket closed by the other side (UND_ERR_SOCKET).`,
      retryable: true,
    });
    assert.equal(servers.mock.stats().requests, 1);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("an upstream silent for longer than IDLE_TIMEOUT_MS ends with a retryable timeout and is aborted", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=20&seed=2&fault=stall&after=4",
    );
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(4), "error"],
    );
    assert.equal(text, mockText({ tokens: 4, seed: 2 }));
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "timeout",
      message: "No token for 0.3s",
      retryable: true,
    });
    assert.equal(servers.mock.stats().requests, 1);
    const stats = await servers.mock.waitFor((current) => current.open_streams === 0);
    assert.equal(stats.aborted_streams, 1);
  });

  test("an in-band OpenAI error after 6 tokens ends with a retryable api_error", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=20&seed=3&fault=error&after=6",
    );
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(6), "error"],
    );
    assert.equal(text, mockText({ tokens: 6, seed: 3 }));
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "api_error",
      message: `openai (${new URL(servers.mock.url).host}) reported an error mid-stream: The server had an error while processing your request. Sorry about that!`,
      retryable: true,
    });
    assert.equal(servers.mock.stats().requests, 1);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("Anthropic's overloaded_error after 6 tokens ends with a retryable api_error", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "anthropic/mock?tokens=20&seed=4&fault=error&after=6",
    );
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(6), "error"],
    );
    assert.equal(text, mockText({ tokens: 6, seed: 4 }));
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "api_error",
      message: `anthropic (${new URL(servers.mock.url).host}) reported an error mid-stream: Overloaded`,
      retryable: true,
    });
    assert.equal(servers.mock.stats().requests, 1);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });

  test("the content filter ends the stream with done: content_filter after what passed", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=20&seed=5&fault=content_filter&after=7",
    );
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(7), "done"],
    );
    assert.equal(text, mockText({ tokens: 7, seed: 5 }));
    const done = events.at(-1);
    assert.ok(done?.type === "done");
    assert.equal(done.finish_reason, "content_filter");
    assert.equal(done.token_count, 7);
    assert.equal(done.usage.completion_tokens, 7);
    await servers.mock.waitFor((stats) => stats.open_streams === 0);
  });
});

describe("the whole-stream time limit", () => {
  const servers = useMockAndGateway({
    STREAM_TIMEOUT_MS: "400",
    FIRST_TOKEN_TIMEOUT_MS: "400",
    IDLE_TIMEOUT_MS: "400",
  });

  test("a stream longer than STREAM_TIMEOUT_MS keeps its tokens and ends with a retryable timeout", async () => {
    const { events, text } = await stream(
      servers.gateway.url,
      "openai/mock?tokens=200&ttft=1&gap=20",
    );
    const count = events.length - 1;
    assert.ok(count > 0, "some tokens came before the limit");
    assert.deepEqual(
      events.map((event) => event.type),
      [...tokens(count), "error"],
    );
    assert.ok(mockText({ tokens: 200 }).startsWith(text));
    assert.deepEqual(events.at(-1), {
      type: "error",
      error_type: "timeout",
      message: "The stream exceeded its time limit.",
      retryable: true,
    });
    const stats = await servers.mock.waitFor((current) => current.open_streams === 0);
    assert.equal(stats.aborted_streams, 1);
  });
});
