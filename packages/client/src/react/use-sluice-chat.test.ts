import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { useSluiceChat } from "./use-sluice-chat.js";

function Chat() {
  const chat = useSluiceChat({
    baseUrl: "http://gateway.test",
    persist: false,
    initialMessages: [
      { id: "1", role: "user", content: "Hi" },
      { id: "2", role: "assistant", content: "Hello there", status: "done" },
    ],
  });
  return createElement(
    "ul",
    { "data-status": chat.status },
    chat.messages.map((message) => createElement("li", { key: message.id }, message.content)),
  );
}

test("useSluiceChat renders the session's snapshot with React 19 on this Node (server render)", () => {
  const html = renderToString(createElement(Chat));
  assert.equal(html, '<ul data-status="idle"><li>Hi</li><li>Hello there</li></ul>');
});
