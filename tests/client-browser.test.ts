import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { before, describe, type TestContext, test } from "node:test";
import type { ClientOptions } from "@sluice/client";
import { mockText } from "@sluice/mock";
import type { ChatRequest } from "@sluice/protocol";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./support/chromium.js";
import { type CuttingMode, type CuttingProxy, startCuttingProxy } from "./support/cutting-proxy.js";
import { type MockAndGateway, useMockAndGateway } from "./support/mock-and-gateway.js";

interface PageResult {
  text: string;
  types: string[];
  finish?: string;
  error?: string;
  id?: string;
  lastEventId?: string;
}

interface PageStream {
  bundle: string;
  request?: ChatRequest;
  resume?: { id: string; lastEventId: string | undefined };
  options: ClientOptions;
  /** Leave once the text is this long. */
  leaveAfterChars?: number;
}

/** Streams in the page through the served bundle (`import("/sluice-client.js")`) and reports what arrived. */
function streamInPage(page: Page, plan: PageStream): Promise<PageResult> {
  return page.evaluate(async (plan) => {
    const client = await import(plan.bundle);
    const stream = plan.resume
      ? client.resumeStream(plan.resume.id, {
          ...plan.options,
          lastEventId: plan.resume.lastEventId,
        })
      : client.streamChat(plan.request, plan.options);
    const types: string[] = [];
    try {
      for await (const event of stream) {
        types.push(event.type);
        if (
          plan.leaveAfterChars !== undefined &&
          stream.currentText.length >= plan.leaveAfterChars
        ) {
          stream.leave();
        }
      }
      if (plan.leaveAfterChars !== undefined) {
        return {
          text: stream.currentText,
          types,
          id: await stream.id,
          lastEventId: stream.lastEventId,
        };
      }
      const done = await stream.done;
      return { text: await stream.text, types, finish: done.finish_reason };
    } catch (error) {
      const failure = error as { type?: string; message?: string };
      return { text: stream.currentText, types, error: `${failure.type}: ${failure.message}` };
    }
  }, plan);
}

/** Response bytes before each planned cut, of the requests `requests` matches (in order). */
type Cuts = { bytes: number[]; mode?: CuttingMode; requests?: RegExp };
const streamRequests = /^(POST|GET) \/api\/(chat\/stream|streams\/)/;
/** Only the EventSource's reads of a stream that a POST started. */
const followRequests = /^GET \/api\/streams\//;

const mockModel = (tokens: number, seed: number, gap = 4) =>
  `openai/mock?tokens=${tokens}&seed=${seed}&gap=${gap}&ttft=1`;

/**
 * Runs `run` in a fresh Chromium page on the mock's origin, with the bundle's URL and, when
 * `cuts` is given, a cutting proxy in front of the gateway; closes both after. The proxy cuts
 * the planned stream requests in order (by default every POST or GET of a stream; never a CORS
 * preflight, whose connection the browser may or may not reuse for the request it precedes).
 */
async function inPage(
  servers: MockAndGateway,
  t: TestContext,
  run: (page: Page, bundle: string, proxy: CuttingProxy | undefined) => Promise<void>,
  cuts?: Cuts,
): Promise<void> {
  const browser = await launchChromium(t);
  if (!browser) return;
  const proxy = cuts
    ? await startCuttingProxy(servers.gateway.url, cuts.bytes, cuts.mode, {
        cutRequests: cuts.requests ?? streamRequests,
      })
    : undefined;
  try {
    const page = await browser.newPage();
    await page.goto(`${servers.mock.url}/__stats`);
    servers.mock.reset();
    await run(page, `${servers.gateway.url}/sluice-client.js`, proxy);
  } finally {
    await browser.close();
    await proxy?.close();
  }
}

/**
 * Streams 150 tokens in a page through a proxy that cuts the planned connections, and asserts
 * what a user would notice: the exact text, `reconnects` reconnects, one generation upstream.
 */
function exactThroughCuts(
  servers: MockAndGateway,
  t: TestContext,
  options: ClientOptions,
  cuts: Cuts,
  reconnects: number,
  request: Omit<ChatRequest, "model"> = { message: "Hello" },
): Promise<void> {
  return inPage(
    servers,
    t,
    async (page, bundle, proxy) => {
      const result = await streamInPage(page, {
        bundle,
        request: { ...request, model: mockModel(150, 9) },
        options: { ...options, baseUrl: proxy?.url },
      });
      assert.equal(result.error, undefined);
      assert.equal(result.text, mockText({ tokens: 150, seed: 9 }));
      assert.equal(result.types.filter((type) => type === "reconnecting").length, reconnects);
      assert.equal(servers.mock.stats().streams_started, 1);
    },
    cuts,
  );
}

// The bundle must exist before a gateway starts: its static routes are the files present then.
before(() => {
  execFileSync(process.execPath, ["scripts/build-client.mjs"], { stdio: "inherit" });
});

describe("the client SDK in Chromium, imported from /sluice-client.js", () => {
  // Pages that talk to the proxies live on the mock's origin (the gateway's CSP allows only
  // its own origin), so the bundle and the API are cross-origin, as from an app to its gateway.
  const servers = useMockAndGateway((mockUrl) => ({
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
  }));

  test("the vanilla page streams the exact text, with its stats line", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      const model = mockModel(80, 4);
      await page.goto(`${servers.gateway.url}/vanilla.html?model=${encodeURIComponent(model)}`);
      await page.fill("#message", "Hello");
      await page.click("#send");
      await page.waitForSelector("#stats[data-finish]");
      assert.equal(await page.textContent("#text"), mockText({ tokens: 80, seed: 4 }));
      assert.equal(await page.getAttribute("#stats", "data-finish"), "stop");
      assert.match((await page.textContent("#stats")) ?? "", /80 tokens · [\d.]+ tok\/s/);
      assert.equal(await page.isHidden("#cursor"), true);
    } finally {
      await browser.close();
    }
  });

  test("Stop on the vanilla page leaves no open stream at the mock at once", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      const model = mockModel(3000, 2, 20);
      await page.goto(`${servers.gateway.url}/vanilla.html?model=${encodeURIComponent(model)}`);
      await page.click("#send");
      await page.waitForFunction(
        () => (document.getElementById("text")?.textContent ?? "").length > 30,
      );
      assert.equal(servers.mock.stats().open_streams, 1);
      await page.click("#stop");
      // The answer would run for a minute and the page is still reading it: only Stop ends it
      // this early. The bench measures how early; a loaded machine may take seconds here.
      await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 20_000 });
      await page.waitForSelector("#stats[data-finish]");
      assert.equal(await page.getAttribute("#stats", "data-finish"), "cancelled");
    } finally {
      await browser.close();
    }
  });

  test("a connection cut twice by a proxy ends with the exact text and one generation", (t) =>
    exactThroughCuts(
      servers,
      t,
      { reconnect: { baseDelayMs: 20, maxDelayMs: 100 } },
      { bytes: [3000, 6000] },
      2,
    ));

  test("a stalled connection (open, silent) is resumed after stallMs", (t) =>
    inPage(
      servers,
      t,
      async (page, bundle, proxy) => {
        const startedAt = Date.now();
        const result = await streamInPage(page, {
          bundle,
          request: { message: "Hello", model: mockModel(200, 6, 10) },
          options: {
            baseUrl: proxy?.url,
            stallMs: 800,
            reconnect: { baseDelayMs: 20, maxDelayMs: 100 },
          },
        });
        assert.equal(result.error, undefined);
        assert.equal(result.text, mockText({ tokens: 200, seed: 6 }));
        assert.deepEqual(
          result.types.filter((type) => type === "reconnecting"),
          ["reconnecting"],
        );
        assert.ok(Date.now() - startedAt >= 800, "resumed no sooner than stallMs");
        assert.equal(servers.mock.stats().streams_started, 1);
      },
      { bytes: [3000], mode: "stall" },
    ));

  test("with the streaming route broken before the stream starts, the fallback delivers the answer", (t) =>
    inPage(servers, t, async (page, bundle) => {
      // What an old deployment or a rewriting proxy answers: an HTML 404 page.
      await page.route("**/api/chat/stream", (route) =>
        route.fulfill({
          status: 404,
          contentType: "text/html",
          headers: { "access-control-allow-origin": "*" },
          body: "<h1>Not Found</h1>",
        }),
      );
      const result = await streamInPage(page, {
        bundle,
        request: { message: "Hello", model: mockModel(60, 12) },
        options: { baseUrl: servers.gateway.url },
      });
      assert.equal(result.error, undefined);
      assert.deepEqual(result.types, ["fallback", "token", "done"]);
      assert.equal(result.text, mockText({ tokens: 60, seed: 12 }));
      assert.equal(servers.mock.stats().streams_started, 1);
    }));

  test("transport eventsource through the cutting proxy ends with the exact text and one generation", (t) =>
    exactThroughCuts(servers, t, { transport: "eventsource" }, { bytes: [3000, 6000] }, 2));

  test("transport eventsource with a conversation (messages) starts with one POST, then follows through cuts: exact text, one generation", (t) =>
    exactThroughCuts(
      servers,
      t,
      { transport: "eventsource" },
      // The POST's answer is left unread; the EventSource's two reads are cut.
      { bytes: [3000, 6000], requests: followRequests },
      2,
      {
        messages: [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Hi! What would you like to know?" },
          { role: "user", content: "Everything about streams." },
        ],
      },
    ));

  test("leave, then resumeStream in a second page, gives the rest with nothing lost or repeated", (t) =>
    inPage(servers, t, async (page, bundle) => {
      const model = mockModel(200, 21, 10);
      const first = await streamInPage(page, {
        bundle,
        request: { message: "Hello", model },
        options: { baseUrl: servers.gateway.url },
        leaveAfterChars: 50,
      });
      assert.ok(first.id && first.lastEventId, "the first page knows where it stopped");
      assert.ok(first.text.length >= 50);
      await page.close();
      const second = await (page.context().browser() as Browser).newPage();
      await second.goto(`${servers.mock.url}/__stats`);
      const rest = await streamInPage(second, {
        bundle,
        resume: { id: first.id, lastEventId: first.lastEventId },
        options: { baseUrl: servers.gateway.url },
      });
      assert.equal(rest.error, undefined);
      assert.equal(first.text + rest.text, mockText({ tokens: 200, seed: 21 }));
      assert.equal(servers.mock.stats().streams_started, 1);
    }));
});

describe("the client SDK in Chromium with API keys: the eventsource transport", () => {
  const servers = useMockAndGateway((mockUrl) => ({
    STREAM_GRACE_MS: "5000",
    CORS_ORIGINS: mockUrl,
    SLUICE_API_KEYS: "key-one",
  }));

  test("starts with one POST that carries the key, follows with the stream token through cuts, exact text, one generation", (t) =>
    exactThroughCuts(
      servers,
      t,
      { transport: "eventsource", apiKey: "key-one" },
      // The POST's answer is left unread; the EventSource's two reads are cut.
      { bytes: [3000, 6000], requests: followRequests },
      2,
    ));
});
