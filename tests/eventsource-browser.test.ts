import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { mockText } from "@sluice/mock";
import type { Page } from "playwright-core";
import { launchChromium } from "./support/chromium.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { type MockAndGateway, useMockAndGateway } from "./support/mock-and-gateway.js";

interface BrowserResult {
  text: string;
  opens: number;
  terminal: string;
}

const model = "openai/mock?tokens=150&seed=9&gap=4&ttft=1";

/**
 * Opens Chromium's own EventSource on the URL `source` returns (given the page, on the mock's
 * origin, and a proxy that cuts its first two reads of the stream mid-way), reads to the terminal
 * event, and checks what a user would: the exact text of one generation, after two reconnects.
 */
async function eventSourceThroughCuts(
  t: TestContext,
  servers: MockAndGateway,
  source: (page: Page, proxyUrl: string) => Promise<string>,
): Promise<void> {
  const browser = await launchChromium(t);
  if (!browser) return;
  // The stream's GETs in order, whatever other connections the browser opens or reuses.
  const proxy = await startCuttingProxy(servers.gateway.url, [3000, 6000], "cut", {
    cutRequests: /^GET \/api\/(chat\/stream|streams\/)/,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${servers.mock.url}/__stats`);
    servers.mock.reset();
    const url = await source(page, proxy.url);
    const result = await page.evaluate(
      (url) =>
        new Promise<BrowserResult>((resolve, reject) => {
          const events = new EventSource(url);
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
              resolve({ text, opens, terminal: event.type });
            }
          };
        }),
      url,
    );
    assert.equal(result.terminal, "done");
    assert.equal(result.text, mockText({ tokens: 150, seed: 9 }));
    assert.equal(result.opens, 3, "two cuts, two reconnects");
    assert.equal(servers.mock.stats().streams_started, 1);
  } finally {
    await browser.close();
    await proxy.close();
  }
}

describe("a browser's own EventSource", () => {
  // The page's origin is the mock's; the stream is cross-origin, as from an app to its gateway.
  const servers = useMockAndGateway((mockUrl) => ({
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
  }));

  test("reconnects by itself after cuts and ends with the exact text of one generation", (t) =>
    eventSourceThroughCuts(
      t,
      servers,
      async (_page, proxyUrl) =>
        `${proxyUrl}/api/chat/stream?message=Hello&model=${encodeURIComponent(model)}`,
    ));
});

describe("a browser's own EventSource with auth on, through a stream token", () => {
  const servers = useMockAndGateway((mockUrl) => ({
    SLUICE_API_KEYS: "browser-test-key",
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
  }));

  test("streams with no key, only the stream's token, and resumes after cuts", (t) =>
    eventSourceThroughCuts(t, servers, (page, proxyUrl) =>
      // The page starts the stream cross-origin (so CORS must expose X-Stream-Token), then
      // gives its EventSource only the token.
      page.evaluate(
        async ({ gateway, proxied, model }) => {
          const response = await fetch(`${gateway}/api/chat/stream`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              authorization: "Bearer browser-test-key",
            },
            body: JSON.stringify({ message: "Hello", model }),
          });
          const id = response.headers.get("x-stream-id");
          const token = response.headers.get("x-stream-token");
          await response.body?.cancel();
          if (!id || !token) throw new Error("X-Stream-Id or X-Stream-Token is not exposed");
          return `${proxied}/api/streams/${id}?token=${encodeURIComponent(token)}`;
        },
        { gateway: servers.gateway.url, proxied: proxyUrl, model },
      ),
    ));
});
