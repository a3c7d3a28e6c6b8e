import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import getPort from "get-port";
import type { Page } from "playwright-core";
import { launchChromium } from "./support/chromium.js";
import { type ExampleApp, serveExample } from "./support/example-app.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

const tokens = 400;
// 8 s of answer: room for a reload on a loaded machine before the answer ends.
const reloadModel = `openai/mock?tokens=${tokens}&gap=20&ttft=1`;
// Far longer than any test: only Stop can end it.
const stopModel = "openai/mock?tokens=100000&gap=10&ttft=1";
const apiKey = "example-key";

/** The text of the last assistant message on the page. */
const answerText = (page: Page) =>
  page.evaluate(() => {
    const answers = document.querySelectorAll('li[data-role="assistant"] p');
    return answers[answers.length - 1]?.textContent ?? "";
  });

/**
 * Registers hooks that start a mock and a gateway, and build and serve the example for
 * `model` on another origin than the gateway, as an app of its own would be.
 */
function useExample(model: string) {
  let port = 0;
  let app: ExampleApp | undefined;
  before(async () => {
    port = await getPort({ host: "127.0.0.1" });
  });
  const servers = useMockAndGateway(() => ({
    CORS_ORIGINS: `http://127.0.0.1:${port}`,
    SLUICE_API_KEYS: apiKey,
    STREAM_GRACE_MS: "10000",
  }));
  before(async () => {
    app = await serveExample("ai-sdk-chat", port, {
      VITE_SLUICE_URL: servers.gateway.url,
      VITE_SLUICE_API_KEY: apiKey,
      VITE_SLUICE_MODEL: model,
    });
  });
  after(async () => {
    await app?.close();
  });
  /** Opens the page, sends `text` and waits for the answer to start. */
  const send = async (page: Page, text: string) => {
    await page.goto(app?.url ?? "");
    await page.getByLabel("Message", { exact: true }).fill(text);
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForFunction(
      () => (document.querySelector('li[data-role="assistant"] p')?.textContent?.length ?? 0) > 20,
    );
  };
  return { servers, send };
}

describe("examples/ai-sdk-chat: useChat({ resume: true }) on Sluice in Chromium", () => {
  const { servers, send } = useExample(reloadModel);

  test("a reload mid-answer shows the full exact answer from one generation", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      servers.mock.reset();
      await send(page, "Tell me about streaming.");
      const before = await answerText(page);
      assert.ok(before.length < mockText({ tokens }).length, "reloaded mid-answer");
      const resumed = page.waitForResponse(
        (response) =>
          response.request().method() === "GET" &&
          /\/api\/ui\/chat\/[^/]+\/stream$/.test(response.url()),
      );
      await page.reload();
      assert.equal((await resumed).status(), 200, "the reloaded page resumed the running stream");
      await page.waitForFunction(
        (expected) =>
          document.querySelectorAll('li[data-role="assistant"] p')[0]?.textContent === expected,
        mockText({ tokens }),
        { timeout: 15_000 },
      );
      await page.waitForSelector('[data-status="ready"]');
      assert.equal(await page.locator('li[data-role="assistant"]').count(), 1);
      assert.equal(
        await page.locator('li[data-role="user"] p').textContent(),
        "Tell me about streaming.",
      );
      const stats = servers.mock.stats();
      assert.equal(stats.streams_started, 1, "one generation upstream");
      assert.equal(stats.aborted_streams, 0);
    } finally {
      await browser.close();
    }
  });
});

describe("examples/ai-sdk-chat: Stop in Chromium", () => {
  const { servers, send } = useExample(stopModel);

  test("Stop, wired as the README says, closes the mock's stream", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      servers.mock.reset();
      await send(page, "Go on and on.");
      await page.getByRole("button", { name: "Stop" }).click();
      await servers.mock.waitFor(
        (stats) => stats.open_streams === 0 && stats.aborted_streams === 1,
        { timeoutMs: 8000 }, // below the 10 s grace period: only Stop ends it this early
      );
      await page.waitForSelector('[data-status="ready"]');
      assert.ok((await answerText(page)).length > 0);
    } finally {
      await browser.close();
    }
  });
});
