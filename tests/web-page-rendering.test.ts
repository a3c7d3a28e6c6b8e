import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ensureBuiltPage } from "./support/built-page.js";
import {
  chatPageGateway,
  chatPageUrl,
  seriousViolations,
  useChatPages,
} from "./support/chat-page.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

// The page must be built before any gateway starts: its static routes are the files present then.
await ensureBuiltPage();
// One browser for the file; each test has a context (storage, viewport) of its own.
const onChatPage = useChatPages();

describe("the chat page against the mock: what it renders and how it looks", () => {
  const servers = useMockAndGateway(chatPageGateway);

  test("renders a Markdown answer's table and fenced code as a table and a code block", async (t) => {
    const model = "openai/mock?markdown=1&tokens=180&gap=10";
    await onChatPage(
      t,
      chatPageUrl(servers.gateway.url, model),
      async (chat) => {
        // The renderer's chunk, fetched with the page, is in: until then (seconds on a loaded
        // machine) an answer shows as plain text, fences included, by design.
        await chat.page.waitForLoadState("networkidle");
        await chat.send("Show me Markdown");
        await chat.waitForDone();
        const answer = chat.answer();
        await answer
          .getByRole("heading", { name: "Part 1: streaming without losing a word" })
          .waitFor();
        await answer.getByRole("table").getByRole("columnheader", { name: "setting" }).waitFor();
        await answer.getByRole("cell", { name: "STREAM_GRACE_MS" }).waitFor();
        await answer
          .locator("pre code")
          .filter({ hasText: "for await (const event of streamChat" })
          .waitFor();
        await answer.getByRole("button", { name: /copy/i }).first().waitFor();
        assert.equal(await answer.getByText("| setting |").count(), 0, "no raw table syntax");
        // Mid-stream too: an open fence is already a code block, never three backticks.
        const shown = await chat.seen();
        assert.ok(shown.length > 2, `${shown.length} renders seen mid-stream`);
        assert.deepEqual(
          shown.filter((text) => text.includes("```")),
          [],
        );
      },
      { watch: '[aria-label="Answer"] [data-testid="answer"]' },
    );
  });

  test("in dark mode, a finished Markdown answer has no serious accessibility violations", async (t) => {
    const model = "openai/mock?markdown=1&tokens=180&gap=1";
    const dark = { colorScheme: "dark" as const, viewport: { width: 1280, height: 800 } };
    await onChatPage(
      t,
      chatPageUrl(servers.gateway.url, model),
      async (chat) => {
        await chat.send("Markdown in the dark");
        await chat.waitForDone();
        await chat.answer().locator("pre code span").first().waitFor();
        assert.deepEqual(await seriousViolations(chat.page), []);
      },
      dark,
    );
  });

  test("on a 390×844 phone: no horizontal overflow, the newest text and Stop stay in view, axe finds nothing serious", async (t) => {
    const model = "openai/mock?tokens=3000&gap=4";
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
    await onChatPage(
      t,
      chatPageUrl(servers.gateway.url, model),
      async (chat) => {
        await chat.send("A long answer on a small screen");
        // Twice while it streams: once the answer is taller than the screen, and later.
        for (const height of [1200, 2400]) {
          await chat.page.waitForFunction(
            (least) => (document.querySelector(".conversation")?.scrollHeight ?? 0) > least,
            height,
          );
          const layout = await chat.page.evaluate(() => {
            const conversation = document.querySelector(".conversation") as HTMLElement;
            const answers = document.querySelectorAll(
              '[aria-label="Answer"] [data-testid="answer"]',
            );
            const answer = answers[answers.length - 1] as HTMLElement;
            return {
              pageWidth: document.documentElement.scrollWidth,
              viewportWidth: window.innerWidth,
              answerBottom: answer.getBoundingClientRect().bottom,
              visibleTop: conversation.getBoundingClientRect().top,
              visibleBottom: conversation.getBoundingClientRect().bottom,
            };
          });
          const described = JSON.stringify(layout);
          assert.ok(layout.pageWidth <= layout.viewportWidth, `no horizontal scroll: ${described}`);
          assert.ok(
            layout.answerBottom > layout.visibleTop &&
              layout.answerBottom <= layout.visibleBottom + 1,
            `the newest text is in view: ${described}`,
          );
          const stop = await chat.page.getByRole("button", { name: "Stop" }).boundingBox();
          assert.ok(stop && stop.y >= 0 && stop.y + stop.height <= 844, "Stop is in view");
        }
        await chat.page.getByRole("button", { name: "Stop" }).click();
        await chat.answer().getByText("Stopped", { exact: true }).waitFor();
        assert.deepEqual(await seriousViolations(chat.page), []);
      },
      phone,
    );
  });
});

describe("the chat page's structured output", () => {
  const servers = useMockAndGateway({ DEMO_TTFT_MS: "10", DEMO_TOKENS_PER_SECOND: "100" });

  test("shows the partial object filling in, then the final object of the schema", async (t) => {
    const url = chatPageUrl(servers.gateway.url, "demo/default");
    await onChatPage(
      t,
      url,
      async (chat) => {
        await chat.page.getByRole("checkbox", { name: "Structured output" }).check();
        await chat.send("Explain backpressure");
        await chat.answer().getByText("Final object").waitFor();
        const partials = await chat.seen();
        assert.ok(partials.length > 1, `the object filled in: ${partials.length} partial objects`);
        const value = JSON.parse(await chat.answer().locator("pre").innerText());
        assert.deepEqual(Object.keys(value).sort(), ["difficulty", "keywords", "summary", "title"]);
        assert.ok(Array.isArray(value.keywords));
      },
      { watch: 'figure[data-final="false"] pre' },
    );
  });
});
