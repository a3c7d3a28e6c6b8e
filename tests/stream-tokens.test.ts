import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

const key = { authorization: "Bearer browser-test-key" };
const slowModel = "openai/mock?tokens=60&gap=10&ttft=1";

interface ErrorBody {
  error: { type: string };
}

describe("stream tokens read one stream without the API key (the browser test: eventsource-browser)", () => {
  const servers = useMockAndGateway((mockUrl) => ({
    SLUICE_API_KEYS: "browser-test-key",
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
  }));

  /** Starts a stream with the key and returns its id and token, leaving the stream running. */
  async function started(scope?: string) {
    const controller = new AbortController();
    const response = await postStream(
      servers.gateway.url,
      { message: "Hi", model: slowModel },
      {
        headers: { ...key, ...(scope ? { "x-stream-token-scope": scope } : {}) },
        signal: controller.signal,
      },
    );
    const id = response.headers.get("x-stream-id") ?? "";
    const token = response.headers.get("x-stream-token") ?? "";
    controller.abort();
    return { id, token };
  }

  test("the token reads its stream to the end, with no Authorization header", async () => {
    const { id, token } = await started();
    assert.ok(token.length > 20);
    const response = await fetch(`${servers.gateway.url}/api/streams/${id}?token=${token}`);
    assert.equal(response.status, 200);
    const result = await readNativeStream(response);
    assert.equal(result.events.at(-1)?.event.type, "done");
    assert.equal(result.text, mockText({ tokens: 60 }));
  });

  test("a token for stream A cannot read stream B; a forged token is a 401", async () => {
    const a = await started();
    const b = await started();
    for (const [id, token] of [
      [b.id, a.token],
      [a.id, `${a.token.slice(0, -2)}xx`],
      [a.id, "4102444800.rc.forged"],
    ]) {
      const response = await fetch(`${servers.gateway.url}/api/streams/${id}?token=${token}`);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as ErrorBody).error.type, "unauthorized");
    }
    const starting = await fetch(
      `${servers.gateway.url}/api/chat/stream?message=Hi&token=${a.token}`,
    );
    assert.equal(starting.status, 401, "a token cannot start a stream");
    await starting.arrayBuffer();
  });

  test("a read token cannot cancel; a token that says cancel can", async () => {
    const read = await started();
    const refused = await fetch(
      `${servers.gateway.url}/api/streams/${read.id}?token=${read.token}`,
      {
        method: "DELETE",
      },
    );
    assert.equal(refused.status, 401);
    await refused.arrayBuffer();
    const cancelling = await started("cancel");
    const cancelled = await fetch(
      `${servers.gateway.url}/api/streams/${cancelling.id}?token=${cancelling.token}`,
      { method: "DELETE" },
    );
    assert.equal(cancelled.status, 202);
    assert.deepEqual(await cancelled.json(), { id: cancelling.id, cancelled: true });
  });
});
