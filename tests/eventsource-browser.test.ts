import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { launchChromium } from "./support/chromium.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

interface BrowserResult {
  text: string;
  opens: number;
  terminal: string;
  lastEventId: string;
}

describe("a browser's own EventSource", () => {
  // The page's origin is the mock's; the stream is cross-origin, as from an app to its gateway.
  const servers = useMockAndGateway((mockUrl) => ({
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
  }));

  test("reconnects by itself after cuts and ends with the exact text of one generation", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    // The stream goes through a proxy that cuts its first two connections mid-stream.
    const proxy = await startCuttingProxy(servers.gateway.url, [3000, 6000]);
    try {
      const page = await browser.newPage();
      await page.goto(`${servers.mock.url}/__stats`);
      servers.mock.reset();
      const model = "openai/mock?tokens=150&seed=9&gap=4&ttft=1";
      const url = `${proxy.url}/api/chat/stream?message=Hello&model=${encodeURIComponent(model)}`;
      const result = await page.evaluate(
        (source) =>
          new Promise<BrowserResult>((resolve, reject) => {
            const events = new EventSource(source);
            let text = "";
            let opens = 0;
            setTimeout(
              () => reject(new Error(`stuck after ${opens} opens: ${text.length} chars`)),
              20_000,
            );
            events.onopen = () => {
              opens += 1;
            };
            events.onmessage = (message) => {
              const event = JSON.parse(message.data);
              if (event.type === "token") text += event.content;
              if (event.type === "done" || event.type === "error") {
                events.close();
                resolve({ text, opens, terminal: event.type, lastEventId: message.lastEventId });
              }
            };
          }),
        url,
      );
      assert.equal(result.terminal, "done");
      assert.equal(result.text, mockText({ tokens: 150, seed: 9 }));
      assert.equal(result.opens, 3, "two cuts, two reconnects");
      assert.equal(proxy.connections(), 3);
      assert.equal(servers.mock.stats().streams_started, 1);
    } finally {
      await browser.close();
      await proxy.close();
    }
  });
});
