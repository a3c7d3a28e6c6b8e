import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { ensureBuiltPage } from "./support/built-page.js";
import { type ChatPage, chatPageGateway, chatPageUrl, useChatPages } from "./support/chat-page.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { countFirstAnswerRenders } from "./support/react-commits.js";

// The page must be built before any gateway starts: its static routes are the files present then.
await ensureBuiltPage();
// One browser for the file; each test has a context (storage, viewport) of its own.
const onChatPage = useChatPages();

describe("the chat page against the mock", () => {
  const servers = useMockAndGateway(chatPageGateway);

  test("shows the answer while the mock streams it, and its exact text at the end", async (t) => {
    // 4 s: a loaded machine still shows the first text before the mock has finished.
    const model = "openai/mock?tokens=48&gap=80&seed=3";
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
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

  test("Stop ends the upstream stream at once and says Stopped", async (t) => {
    const model = "openai/mock?tokens=3000&gap=20";
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
      await chat.send("A long answer, please");
      await chat.waitForText();
      assert.equal(servers.mock.stats().open_streams, 1);
      await chat.page.getByRole("button", { name: "Stop" }).click();
      // The answer would run for a minute and the page is still reading it: only Stop ends it
      // this early. The bench measures how early; a loaded machine may take seconds here.
      await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 20_000 });
      await chat.answer().getByText("Stopped", { exact: true }).waitFor();
      await chat.page.getByRole("button", { name: "Send" }).waitFor();
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), "message");
    });
  });

  test("an earlier answer is left alone while the next one streams: not re-rendered, not one node changed, a selection in it kept", async (t) => {
    const model = "openai/mock?tokens=200&gap=10&seed=9";
    const url = chatPageUrl(servers.gateway.url, model);
    const check = async (chat: ChatPage) => {
      await chat.send("First question");
      await chat.waitForDone();
      await chat.send("Second question");
      await chat.waitForText();
      // Selected once the second answer streams (sending moves the selection to the textbox).
      const selected = await chat.page.evaluate(() => {
        const first = document.querySelector('article[aria-label="Answer"]') as HTMLElement;
        const watch = window as unknown as {
          changes: number;
          range: Range;
          watchFirstAnswer: boolean;
        };
        watch.watchFirstAnswer = true;
        watch.changes = 0;
        new MutationObserver((records) => {
          watch.changes += records.length;
        }).observe(first, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
        const range = document.createRange();
        range.selectNodeContents(first.querySelector('[data-testid="answer"]') as HTMLElement);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        watch.range = range;
        return getSelection()?.toString() ?? "";
      });
      assert.match(selected, /\S{3}/);
      await chat.waitForDone();
      await chat.assertAnswer(mockText({ tokens: 200, seed: 9 }));
      const after = await chat.page.evaluate(() => {
        const watch = window as unknown as {
          changes: number;
          range: Range;
          firstAnswerRenders: number;
        };
        return {
          renders: watch.firstAnswerRenders,
          changes: watch.changes,
          selection: getSelection()?.toString() ?? "",
          connected: watch.range.startContainer.isConnected,
        };
      });
      assert.deepEqual(after, { renders: 0, changes: 0, selection: selected, connected: true });
    };
    await onChatPage(t, url, check, { initScripts: [countFirstAnswerRenders] });
  });

  test("works from the keyboard alone: Tab to the textbox, Enter sends, Tab to Stop, focus comes back", async (t) => {
    const model = "openai/mock?tokens=3000&gap=20";
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
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

  test("shows the gateway's retry notice inline, then the answer", async (t) => {
    // One 500, then a success on the gateway's second attempt.
    const model = "openai/mock?fault=500&times=1&tokens=20&seed=9";
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
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
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
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
      chatPageUrl(servers.gateway.url, model),
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
