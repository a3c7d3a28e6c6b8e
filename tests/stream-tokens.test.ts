import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { launchChromium } from "./support/chromium.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

const key = { authorization: "Bearer browser-test-key" };
const slowModel = "openai/mock?tokens=60&gap=10&ttft=1";

interface ErrorBody {
  error: { type: string };
}

describe("stream tokens: a browser reads a stream without the API key", () => {
  // The page's origin is the mock's; the gateway is cross-origin, as from an app to its gateway.
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

  test("Chromium's EventSource streams through a token and resumes after cuts", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    // The EventSource goes through a proxy that cuts its first two connections mid-stream.
    const proxy = await startCuttingProxy(servers.gateway.url, [3000, 6000]);
    try {
      const page = await browser.newPage();
      await page.goto(`${servers.mock.url}/__stats`);
      servers.mock.reset();
      const model = "openai/mock?tokens=150&seed=9&gap=4&ttft=1";
      const result = await page.evaluate(
        async ({ gateway, proxied, model, authorization }) => {
          // The page starts the stream (cross-origin, so X-Stream-Token must be exposed by CORS),
          // then hands only the token to its EventSource.
          const response = await fetch(`${gateway}/api/chat/stream`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization },
            body: JSON.stringify({ message: "Hello", model }),
          });
          const id = response.headers.get("x-stream-id");
          const token = response.headers.get("x-stream-token");
          await response.body?.cancel();
          if (!id || !token) throw new Error("X-Stream-Id or X-Stream-Token is not exposed");
          return new Promise<{ text: string; opens: number; terminal: string }>(
            (resolve, reject) => {
              const events = new EventSource(`${proxied}/api/streams/${id}?token=${token}`);
              let text = "";
              let opens = 0;
              setTimeout(() => reject(new Error(`stuck after ${opens} opens`)), 20_000);
              events.onopen = () => {
                opens += 1;
              };
              events.onmessage = (message) => {
                const event = JSON.parse(message.data);
                if (event.type === "token") text += event.content;
                if (event.type === "done" || event.type === "error") {
                  events.close();
                  resolve({ text, opens, terminal: event.type });
                }
              };
            },
          );
        },
        {
          gateway: servers.gateway.url,
          proxied: proxy.url,
          model,
          authorization: key.authorization,
        },
      );
      assert.equal(result.terminal, "done");
      assert.equal(result.text, mockText({ tokens: 150, seed: 9 }));
      assert.equal(result.opens, 3, "two cuts, two reconnects");
      assert.equal(servers.mock.stats().streams_started, 1);
    } finally {
      await browser.close();
      await proxy.close();
    }
  });
});
