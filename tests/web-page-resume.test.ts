import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { ensureBuiltPage } from "./support/built-page.js";
import { chatPageGateway, chatPageUrl, useChatPages } from "./support/chat-page.js";
import { startCuttingProxy } from "./support/cutting-proxy.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

// The page must be built before any gateway starts: its static routes are the files present then.
await ensureBuiltPage();
// One browser for the file; each test has a context (storage, viewport) of its own.
const onChatPage = useChatPages();

describe("the chat page against the mock, when connections and streams are lost", () => {
  const servers = useMockAndGateway(chatPageGateway);

  test("a cut connection shows Reconnecting, then the exact answer of one generation", async (t) => {
    // Only the answer's stream is cut, after 2,500 bytes; the page and its assets pass.
    const proxy = await startCuttingProxy(servers.gateway.url, [2500], "cut", {
      cutRequests: /^POST \/api\/chat\/stream /,
    });
    try {
      const model = "openai/mock?tokens=300&gap=8&seed=5";
      const url = chatPageUrl(proxy.url, model);
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
    // Long enough (7.5 s) that a loaded machine still reloads before the answer ends.
    const model = "openai/mock?tokens=300&gap=25&seed=6";
    await onChatPage(t, chatPageUrl(servers.gateway.url, model), async (chat) => {
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
    // An answer far longer than the test, so that it is still streaming when the page leaves.
    const model = "openai/mock?tokens=5000&gap=10&seed=7";
    await onChatPage(
      t,
      chatPageUrl(servers.gateway.url, model),
      async (chat) => {
        await chat.send("Hello, then lose the stream");
        await chat.waitForText(/(\S+\s+){10}/);
        // Away from the page (which saves its state as it goes), the stream it will resume is
        // made one the gateway does not know, as after a restart of a gateway without Redis.
        await chat.page.goto(`${servers.gateway.url}/healthz`);
        const saved = await chat.page.evaluate(() => {
          const saved = JSON.parse(localStorage.getItem("sluice-chat") ?? "{}");
          const running = saved.running;
          saved.running = { ...running, streamId: "a-stream-that-is-gone" };
          delete saved.running.lastEventId;
          localStorage.setItem("sluice-chat", JSON.stringify(saved));
          return { running, messages: saved.messages as { id: string; content: string }[] };
        });
        // The page saved, as it went away, the answer it was streaming and what had arrived.
        assert.ok(saved.running?.messageId, `saved: ${JSON.stringify(saved.running)}`);
        const answer = saved.messages.find(({ id }) => id === saved.running.messageId);
        assert.match(answer?.content ?? "", /\S/);
        await chat.page.goto(chatPageUrl(servers.gateway.url, model));
        await chat.answer().getByText("Partial answer: the connection was lost").waitFor();
        assert.match(await chat.shownAnswer(), /\S/, "what had arrived is still shown");
        await chat.page.getByRole("alert").getByRole("button", { name: "Retry" }).waitFor();
      },
      // The browser logs the 404 of the resume.
      { allowedErrors: /status of 404/ },
    );
  });
});
