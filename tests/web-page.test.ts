import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { collapseSpace, openChatPage } from "./support/chat-page.js";
import { launchChromium } from "./support/chromium.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

// The page must be built before any gateway starts: its static routes are the files present then.
execFileSync(process.execPath, ["scripts/build-web.mjs"], { stdio: "inherit" });

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** The page's address with `model` chosen (a mock model with its knobs). */
function pageUrl(origin: string, model: string): string {
  return `${origin}/?model=${encodeURIComponent(model)}`;
}

/** Records, in the page, the first time its text shows `Reconnecting… (attempt n)`. */
function watchForReconnecting() {
  const seen = window as unknown as { reconnecting: string[] };
  seen.reconnecting = [];
  new MutationObserver(() => {
    const match = document.body?.innerText.match(/Reconnecting… \(attempt \d+\)/);
    if (match && !seen.reconnecting.includes(match[0])) seen.reconnecting.push(match[0]);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

describe("the chat page against the mock", () => {
  const servers = useMockAndGateway({
    STREAM_GRACE_MS: "10000",
    RETRY_MAX_ATTEMPTS: "2",
    RETRY_BASE_DELAY_MS: "10",
  });

  test("shows the answer while the mock streams it, and its exact text at the end", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?tokens=48&gap=40&seed=3";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      servers.mock.reset();
      await chat.send("Hello");
      await chat.answer().getByTestId("answer").filter({ hasText: /\S/ }).waitFor();
      assert.equal(servers.mock.stats().open_streams, 1, "text shows before the mock finished");
      await chat.answer().getByTestId("live-rate").waitFor();
      await chat.waitForDone();
      const expected = mockText({ tokens: 48, seed: 3 });
      assert.equal(await chat.storedAnswer(), expected);
      assert.equal(await chat.shownAnswer(), collapseSpace(expected));
      assert.match(await chat.answer().getByTestId("stats").innerText(), /TTFT \d+ ms · 48 tokens/);
      assert.equal(servers.mock.stats().streams_started, 1);
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });

  test("Stop ends the upstream stream within a second and says Stopped", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?tokens=3000&gap=20";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      await chat.send("A long answer, please");
      await chat.answer().getByTestId("answer").filter({ hasText: /\S/ }).waitFor();
      assert.equal(servers.mock.stats().open_streams, 1);
      await chat.page.getByRole("button", { name: "Stop" }).click();
      await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 1000 });
      await chat.answer().getByText("Stopped", { exact: true }).waitFor();
      await chat.page.getByRole("button", { name: "Send" }).waitFor();
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), "message");
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });

  test("a cut connection shows Reconnecting, then the exact answer of one generation", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    // Only the answer's stream is cut, after 2,500 bytes; the page and its assets pass.
    const proxy = await startCuttingProxy(servers.gateway.url, [2500], "cut", {
      cutRequests: /^POST \/api\/chat\/stream /,
    });
    try {
      const model = "openai/mock?tokens=300&gap=8&seed=5";
      const chat = await openChatPage(browser, pageUrl(proxy.url, model), {
        watch: watchForReconnecting,
      });
      servers.mock.reset();
      await chat.send("Hello through a bad network");
      await chat.waitForDone();
      const seen = await chat.page.evaluate(
        () => (window as unknown as { reconnecting: string[] }).reconnecting,
      );
      assert.deepEqual(seen, ["Reconnecting… (attempt 1)"]);
      const expected = mockText({ tokens: 300, seed: 5 });
      assert.equal(await chat.storedAnswer(), expected);
      assert.equal(await chat.shownAnswer(), collapseSpace(expected));
      assert.equal(servers.mock.stats().streams_started, 1, "one generation upstream");
      // The browser itself logs the cut response; nothing else may complain.
      const cut = /ERR_INCOMPLETE_CHUNKED_ENCODING/;
      assert.deepEqual(
        chat.errors.filter((error) => !cut.test(error)),
        [],
      );
    } finally {
      await browser.close();
      await proxy.close();
    }
  });

  test("reloading mid-answer continues it: exact text, one generation", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?tokens=300&gap=10&seed=6";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      servers.mock.reset();
      await chat.send("Hello, then reload");
      await chat
        .answer()
        .getByTestId("answer")
        .filter({ hasText: /(\S+\s+){10}/ })
        .waitFor();
      await chat.page.reload();
      assert.equal(servers.mock.stats().open_streams, 1, "reloaded before the answer ended");
      await chat.waitForDone();
      const expected = mockText({ tokens: 300, seed: 6 });
      assert.equal(await chat.storedAnswer(), expected);
      assert.equal(await chat.shownAnswer(), collapseSpace(expected));
      assert.equal(servers.mock.stats().streams_started, 1, "one generation upstream");
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });

  test("an upstream 500 past the retries shows the error banner, and Retry succeeds", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      // The gateway tries twice (RETRY_MAX_ATTEMPTS=2): both get the 500; the third request succeeds.
      const model = "openai/mock?fault=500&times=2&tokens=20&seed=8";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      await chat.send("Fail first");
      const banner = chat.page.getByRole("alert");
      await banner.waitFor();
      assert.match(await banner.innerText(), /max_retries|api_error/);
      await banner.getByRole("button", { name: "Retry" }).click();
      await chat.waitForDone();
      assert.equal(await chat.storedAnswer(), mockText({ tokens: 20, seed: 8 }));
      assert.equal(await banner.count(), 0, "the banner goes once the answer arrived");
    } finally {
      await browser.close();
    }
  });

  test("renders a Markdown answer's table and fenced code as a table and a code block", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?markdown=1&tokens=180&gap=2";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      await chat.send("Show me Markdown");
      await chat.waitForDone();
      const answer = chat.answer();
      await answer
        .getByRole("heading", { name: "Part 1: streaming without losing a word" })
        .waitFor();
      await answer.getByRole("table").getByRole("columnheader", { name: "setting" }).waitFor();
      await answer.getByRole("cell", { name: "STREAM_GRACE_MS" }).waitFor();
      const code = answer.locator("pre code");
      await code.filter({ hasText: "for await (const event of streamChat" }).waitFor();
      await answer.getByRole("button", { name: /copy/i }).first().waitFor();
      assert.equal(await answer.getByText("| setting |").count(), 0, "no raw table syntax");
      assert.equal(await answer.getByText("```").count(), 0, "no raw code fence");
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });

  test("on a 390×844 phone: no horizontal overflow, the newest text and Stop stay in view, axe finds nothing serious", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?tokens=3000&gap=4";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model), {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      await chat.send("A long answer on a small screen");
      // Twice while it streams: once the answer is taller than the screen, and later.
      for (const height of [1200, 2400]) {
        await chat.page.waitForFunction(
          (least) => (document.querySelector(".conversation")?.scrollHeight ?? 0) > least,
          height,
        );
        const layout = await chat.page.evaluate(() => {
          const conversation = document.querySelector(".conversation") as HTMLElement;
          const answers = document.querySelectorAll('[aria-label="Answer"] [data-testid="answer"]');
          const answer = answers[answers.length - 1] as HTMLElement;
          return {
            pageWidth: document.documentElement.scrollWidth,
            viewportWidth: window.innerWidth,
            answerBottom: answer.getBoundingClientRect().bottom,
            visibleTop: conversation.getBoundingClientRect().top,
            visibleBottom: conversation.getBoundingClientRect().bottom,
          };
        });
        assert.ok(
          layout.pageWidth <= layout.viewportWidth,
          `no horizontal scroll: ${JSON.stringify(layout)}`,
        );
        assert.ok(
          layout.answerBottom > layout.visibleTop &&
            layout.answerBottom <= layout.visibleBottom + 1,
          `the newest text is in view: ${JSON.stringify(layout)}`,
        );
        const stop = await chat.page.getByRole("button", { name: "Stop" }).boundingBox();
        assert.ok(stop && stop.y >= 0 && stop.y + stop.height <= 844, "Stop is in view");
      }
      await chat.page.getByRole("button", { name: "Stop" }).click();
      await chat.answer().getByText("Stopped", { exact: true }).waitFor();
      await chat.page.evaluate(axeSource);
      const violations = await chat.page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => violation.id);
      });
      assert.deepEqual(violations, []);
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });
});

describe("the chat page with DEFAULT_MODEL set", () => {
  const servers = useMockAndGateway({ DEFAULT_MODEL: "openai/mock?tokens=12&gap=5&seed=4" });

  test("starts on the server's default model, so the first message goes to the mock", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const chat = await openChatPage(browser, servers.gateway.url);
      const picker = chat.page.getByRole("combobox", { name: "Model" });
      await picker.waitFor();
      assert.equal(await picker.inputValue(), "openai/mock?tokens=12&gap=5&seed=4");
      servers.mock.reset();
      await chat.send("Hello");
      await chat.waitForDone();
      assert.equal(servers.mock.stats().streams_started, 1);
      assert.equal(await chat.storedAnswer(), mockText({ tokens: 12, seed: 4 }));
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });
});

describe("the chat page with SLUICE_API_KEYS set", () => {
  const servers = useMockAndGateway({ SLUICE_API_KEYS: "page-key-1,page-key-2" });

  test("asks for a key, keeps it, and then works", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const model = "openai/mock?tokens=12&gap=5&seed=2";
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, model));
      const key = chat.page.getByRole("textbox", { name: "API key" });
      await key.fill("page-key-2");
      await chat.page.getByRole("button", { name: "Save key" }).click();
      await key.waitFor({ state: "detached" });
      await chat.send("Hello");
      await chat.waitForDone();
      assert.equal(await chat.storedAnswer(), mockText({ tokens: 12, seed: 2 }));
      await chat.page.reload();
      await chat.page.getByRole("combobox", { name: "Model" }).waitFor();
      assert.equal(await key.count(), 0, "asked once, then remembered");
    } finally {
      await browser.close();
    }
  });
});

describe("the chat page's structured output", () => {
  const servers = useMockAndGateway({ DEMO_TTFT_MS: "10", DEMO_TOKENS_PER_SECOND: "100" });

  test("shows the partial object filling in, then the final object of the schema", async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const chat = await openChatPage(browser, pageUrl(servers.gateway.url, "demo/default"), {
        watch: () => {
          const seen = window as unknown as { partial: number };
          seen.partial = 0;
          new MutationObserver(() => {
            if (document.body?.innerText.includes("Partial object, filling in…")) seen.partial++;
          }).observe(document, { subtree: true, childList: true, characterData: true });
        },
      });
      await chat.page.getByRole("checkbox", { name: "Structured output" }).check();
      await chat.send("Explain backpressure");
      const final = chat.answer().getByText("Final object");
      await final.waitFor();
      const partials = await chat.page.evaluate(
        () => (window as unknown as { partial: number }).partial,
      );
      assert.ok(partials > 1, `the object filled in over ${partials} renders`);
      const value = JSON.parse(await chat.answer().locator("pre").innerText());
      assert.deepEqual(Object.keys(value).sort(), ["difficulty", "keywords", "summary", "title"]);
      assert.ok(Array.isArray(value.keywords));
      assert.deepEqual(chat.errors, []);
    } finally {
      await browser.close();
    }
  });
});
