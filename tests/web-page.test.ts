import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { onChatPage, seriousViolations } from "./support/chat-page.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

// The page must be built before any gateway starts: its static routes are the files present then.
execFileSync(process.execPath, ["scripts/build-web.mjs"], { stdio: "inherit" });

/** The page's address with `model` chosen (a mock model with its knobs). */
function pageUrl(origin: string, model: string): string {
  return `${origin}/?model=${encodeURIComponent(model)}`;
}

describe("the chat page against the mock", () => {
  const servers = useMockAndGateway({
    STREAM_GRACE_MS: "10000",
    RETRY_MAX_ATTEMPTS: "2",
    RETRY_BASE_DELAY_MS: "10",
  });

  test("shows the answer while the mock streams it, and its exact text at the end", async (t) => {
    const model = "openai/mock?tokens=48&gap=40&seed=3";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      servers.mock.reset();
      await chat.send("Hello");
      await chat.waitForText();
      assert.equal(servers.mock.stats().open_streams, 1, "text shows before the mock finished");
      await chat.answer().getByTestId("live-rate").waitFor();
      await chat.waitForDone();
      await chat.assertAnswer(mockText({ tokens: 48, seed: 3 }));
      assert.match(await chat.answer().getByTestId("stats").innerText(), /TTFT \d+ ms · 48 tokens/);
      assert.equal(servers.mock.stats().streams_started, 1);
    });
  });

  test("Stop ends the upstream stream within a second and says Stopped", async (t) => {
    const model = "openai/mock?tokens=3000&gap=20";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      await chat.send("A long answer, please");
      await chat.waitForText();
      assert.equal(servers.mock.stats().open_streams, 1);
      await chat.page.getByRole("button", { name: "Stop" }).click();
      await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 1000 });
      await chat.answer().getByText("Stopped", { exact: true }).waitFor();
      await chat.page.getByRole("button", { name: "Send" }).waitFor();
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), "message");
    });
  });

  test("works from the keyboard alone: Tab to the textbox, Enter sends, Tab to Stop, focus comes back", async (t) => {
    const model = "openai/mock?tokens=3000&gap=20";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      const focused = () =>
        chat.page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);
      for (let presses = 0; (await focused()) !== "message"; presses++) {
        assert.ok(presses < 10, "the textbox is reached with Tab");
        await chat.page.keyboard.press("Tab");
      }
      await chat.page.keyboard.type("Typed, not clicked");
      await chat.page.keyboard.press("Shift+Enter");
      await chat.page.keyboard.type("on two lines");
      await chat.page.keyboard.press("Enter");
      await chat.waitForText();
      assert.equal(
        await chat.page.getByRole("article", { name: "You said" }).innerText(),
        "Typed, not clicked\non two lines",
      );
      await chat.page.keyboard.press("Tab");
      assert.equal(await focused(), "Stop");
      await chat.page.keyboard.press("Enter");
      await chat.answer().getByText("Stopped", { exact: true }).waitFor();
      assert.equal(await focused(), "message");
    });
  });

  test("a cut connection shows Reconnecting, then the exact answer of one generation", async (t) => {
    // Only the answer's stream is cut, after 2,500 bytes; the page and its assets pass.
    const proxy = await startCuttingProxy(servers.gateway.url, [2500], "cut", {
      cutRequests: /^POST \/api\/chat\/stream /,
    });
    try {
      const model = "openai/mock?tokens=300&gap=8&seed=5";
      const url = pageUrl(proxy.url, model);
      await onChatPage(
        t,
        url,
        async (chat) => {
          servers.mock.reset();
          await chat.send("Hello through a bad network");
          await chat.waitForDone();
          assert.deepEqual(await chat.seen(), ["Reconnecting… (attempt 1)"]);
          await chat.assertAnswer(mockText({ tokens: 300, seed: 5 }));
          assert.equal(servers.mock.stats().streams_started, 1, "one generation upstream");
        },
        // The browser itself logs the cut response; nothing else may complain.
        { watch: ".state.reconnecting", allowedErrors: /ERR_INCOMPLETE_CHUNKED_ENCODING/ },
      );
    } finally {
      await proxy.close();
    }
  });

  test("reloading mid-answer continues it: exact text, one generation", async (t) => {
    const model = "openai/mock?tokens=300&gap=10&seed=6";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      servers.mock.reset();
      await chat.send("Hello, then reload");
      await chat.waitForText(/(\S+\s+){10}/);
      await chat.page.reload();
      assert.equal(servers.mock.stats().open_streams, 1, "reloaded before the answer ended");
      await chat.waitForDone();
      await chat.assertAnswer(mockText({ tokens: 300, seed: 6 }));
      assert.equal(servers.mock.stats().streams_started, 1, "one generation upstream");
    });
  });

  test("an answer whose stream is gone when the page comes back stays, marked partial", async (t) => {
    const model = "openai/mock?tokens=300&gap=10&seed=7";
    await onChatPage(
      t,
      pageUrl(servers.gateway.url, model),
      async (chat) => {
        await chat.send("Hello, then lose the stream");
        await chat.waitForText(/(\S+\s+){10}/);
        // Away from the page (which saves its state as it goes), the stream it will resume is
        // made one the gateway does not know, as after a restart of a gateway without Redis.
        await chat.page.goto(`${servers.gateway.url}/healthz`);
        await chat.page.evaluate(() => {
          const saved = JSON.parse(localStorage.getItem("sluice-chat") ?? "{}");
          saved.running = { ...saved.running, streamId: "a-stream-that-is-gone" };
          delete saved.running.lastEventId;
          localStorage.setItem("sluice-chat", JSON.stringify(saved));
        });
        await chat.page.goto(pageUrl(servers.gateway.url, model));
        await chat.answer().getByText("Partial answer: the connection was lost").waitFor();
        assert.match(await chat.shownAnswer(), /\S/, "what had arrived is still shown");
        await chat.page.getByRole("alert").getByRole("button", { name: "Retry" }).waitFor();
      },
      // The browser logs the 404 of the resume.
      { allowedErrors: /status of 404/ },
    );
  });

  test("shows the gateway's retry notice inline, then the answer", async (t) => {
    // One 500, then a success on the gateway's second attempt.
    const model = "openai/mock?fault=500&times=1&tokens=20&seed=9";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      await chat.send("Retry once");
      await chat.waitForDone();
      assert.match(await chat.answer().getByRole("note").innerText(), /retrying in/);
      await chat.assertAnswer(mockText({ tokens: 20, seed: 9 }));
      assert.equal(await chat.page.getByRole("alert").count(), 0, "no error banner");
    });
  });

  test("an upstream 500 past the retries shows the error banner, and Retry succeeds", async (t) => {
    // The gateway tries twice (RETRY_MAX_ATTEMPTS=2): both get the 500; the third request succeeds.
    const model = "openai/mock?fault=500&times=2&tokens=20&seed=8";
    await onChatPage(t, pageUrl(servers.gateway.url, model), async (chat) => {
      await chat.send("Fail first");
      const banner = chat.page.getByRole("alert");
      await banner.waitFor();
      assert.match(await banner.innerText(), /max_retries|api_error/);
      await banner.getByRole("button", { name: "Retry" }).click();
      await chat.waitForDone();
      await chat.assertAnswer(mockText({ tokens: 20, seed: 8 }));
      assert.equal(await banner.count(), 0, "the banner goes once the answer arrived");
    });
  });

  test("renders a Markdown answer's table and fenced code as a table and a code block", async (t) => {
    const model = "openai/mock?markdown=1&tokens=180&gap=10";
    await onChatPage(
      t,
      pageUrl(servers.gateway.url, model),
      async (chat) => {
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
        assert.ok(shown.length > 10, `${shown.length} renders seen`);
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
      pageUrl(servers.gateway.url, model),
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
      pageUrl(servers.gateway.url, model),
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

describe("the chat page with DEFAULT_MODEL set", () => {
  const servers = useMockAndGateway({ DEFAULT_MODEL: "openai/mock?tokens=12&gap=5&seed=4" });

  test("starts on the server's default model, so the first message goes to the mock", async (t) => {
    await onChatPage(t, servers.gateway.url, async (chat) => {
      const picker = chat.page.getByRole("combobox", { name: "Model" });
      await picker.waitFor();
      assert.equal(await picker.inputValue(), "openai/mock?tokens=12&gap=5&seed=4");
      servers.mock.reset();
      await chat.send("Hello");
      await chat.waitForDone();
      assert.equal(servers.mock.stats().streams_started, 1);
      await chat.assertAnswer(mockText({ tokens: 12, seed: 4 }));
    });
  });
});

describe("the chat page with SLUICE_API_KEYS set", () => {
  const servers = useMockAndGateway({ SLUICE_API_KEYS: "page-key-1,page-key-2" });

  test("asks for a key, keeps it, and then works", async (t) => {
    const model = "openai/mock?tokens=12&gap=5&seed=2";
    await onChatPage(
      t,
      pageUrl(servers.gateway.url, model),
      async (chat) => {
        const key = chat.page.getByRole("textbox", { name: "API key" });
        await key.fill("page-key-2");
        await chat.page.getByRole("button", { name: "Save key" }).click();
        await key.waitFor({ state: "detached" });
        await chat.send("Hello");
        await chat.waitForDone();
        await chat.assertAnswer(mockText({ tokens: 12, seed: 2 }));
        await chat.page.reload();
        await chat.page.getByRole("combobox", { name: "Model" }).waitFor();
        assert.equal(await key.count(), 0, "asked once, then remembered");
      },
      // The browser logs the first, keyless request's 401.
      { allowedErrors: /status of 401/ },
    );
  });
});

describe("the chat page's structured output", () => {
  const servers = useMockAndGateway({ DEMO_TTFT_MS: "10", DEMO_TOKENS_PER_SECOND: "100" });

  test("shows the partial object filling in, then the final object of the schema", async (t) => {
    const url = pageUrl(servers.gateway.url, "demo/default");
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
