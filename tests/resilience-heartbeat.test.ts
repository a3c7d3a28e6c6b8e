import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream } from "./support/native-stream.js";

/**
 * Heartbeats: `: ping` comments from the moment the headers go out, while the model thinks
 * and while the gateway waits to retry, so that proxies with idle timeouts keep the stream.
 * (tests/nginx-proxy.test.ts shows the same through a real nginx.)
 */

/** The raw body as its parts: "ping" for a comment, the event's type for a message. */
async function parts(response: Response): Promise<string[]> {
  const raw = await response.text();
  return raw
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      if (block === ": ping") return "ping";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return data === undefined ? "preamble" : (JSON.parse(data) as { type: string }).type;
    });
}

describe("heartbeats", () => {
  const servers = useMockAndGateway({
    HEARTBEAT_MS: "100",
    RETRY_BASE_DELAY_MS: "10",
    RETRY_MAX_DELAY_MS: "20",
  });

  test("pings go out from the headers on while the first token is awaited", async () => {
    const response = await postStream(servers.gateway.url, {
      message: "Hello",
      model: "openai/mock?tokens=20&ttft=600&gap=1",
    });
    const sequence = await parts(response);
    assert.equal(sequence[0], "preamble");
    const firstToken = sequence.indexOf("token");
    const early = sequence.slice(1, firstToken);
    assert.ok(
      early.length >= 3 && early.every((part) => part === "ping"),
      `before the first token: ${early.join(", ")}`,
    );
    assert.deepEqual(
      sequence.slice(firstToken).filter((part) => part !== "ping"),
      [...Array(20).fill("token"), "done"],
    );
  });

  test("pings go out while the gateway waits to retry a 429", async () => {
    const response = await postStream(servers.gateway.url, {
      message: "Hello",
      model: "openai/mock?tokens=5&ttft=1&gap=1&fault=429&times=1&retry_after=0.6",
    });
    const sequence = await parts(response);
    const status = sequence.indexOf("status");
    const firstToken = sequence.indexOf("token");
    assert.ok(status > 0 && firstToken > status);
    const waiting = sequence.slice(status + 1, firstToken);
    assert.ok(
      waiting.length >= 3 && waiting.every((part) => part === "ping"),
      `during the wait: ${waiting.join(", ")}`,
    );
    assert.equal(sequence.at(-1), "done");
  });
});
