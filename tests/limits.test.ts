import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

describe("rate and concurrency limits, when configured", () => {
  const servers = useMockAndGateway({
    SLUICE_API_KEYS: "alice,bob",
    RATE_LIMIT_PER_MINUTE: "4",
    MAX_CONCURRENT_STREAMS: "1",
  });

  const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

  test("a second concurrent stream of one key is 429 rate_limited; another key is not held back", async () => {
    const body = { message: "Hi", model: "openai/mock?tokens=100&gap=5" };
    const first = await postStream(servers.gateway.url, body, as("alice"));
    const second = await postStream(servers.gateway.url, body, as("alice"));
    assert.equal(second.status, 429);
    assert.ok(second.headers.get("retry-after"));
    assert.equal(((await second.json()) as { error: { type: string } }).error.type, "rate_limited");
    const other = await postStream(servers.gateway.url, body, as("bob"));
    assert.equal(other.status, 200);
    assert.equal((await readNativeStream(first)).events.at(-1)?.event.type, "done");
    assert.equal((await readNativeStream(other)).events.at(-1)?.event.type, "done");
  });

  test("requests beyond the rate get 429 with Retry-After, per key", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await fetch(`${servers.gateway.url}/v1/models`, as("bob"));
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    assert.ok(statuses.includes(429), statuses.join(","));
    const limited = await fetch(`${servers.gateway.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", ...as("bob").headers },
      body: JSON.stringify({ message: "Hi" }),
    });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    const body = (await limited.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "rate_limited");
  });
});
