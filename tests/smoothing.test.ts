import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

/**
 * Server-side smoothing (`smooth: "word" | "line"`) through the gateway: lossless, fewer
 * `token` events, each ending at a boundary, and text never held back for long when no
 * boundary comes.
 */

async function tokenContents(url: string, model: string, smooth?: "word" | "line") {
  const response = await postStream(url, {
    message: "Hello",
    model,
    ...(smooth ? { smooth } : {}),
  });
  assert.equal(response.status, 200);
  const { events, text } = await readNativeStream(response);
  const terminal = events.at(-1)?.event;
  assert.ok(terminal?.type === "done" && terminal.finish_reason === "stop");
  const contents = events.flatMap(({ event }) => (event.type === "token" ? [event.content] : []));
  return { contents, text, done: terminal };
}

/** The cuts a client must never see: inside a "\r\n" or inside a surrogate pair. */
function assertCleanCuts(contents: string[]): void {
  for (let index = 1; index < contents.length; index++) {
    const before = contents[index - 1] ?? "";
    const after = contents[index] ?? "";
    assert.ok(!(before.endsWith("\r") && after.startsWith("\n")), `"\\r\\n" cut at ${index}`);
    const last = before.charCodeAt(before.length - 1);
    assert.ok(!(last >= 0xd800 && last <= 0xdbff), `surrogate pair cut at ${index}`);
  }
}

describe("smoothing through the gateway", () => {
  const servers = useMockAndGateway();
  // The mock's prose: words, punctuation, "\r\n", emoji, astral characters, "data: " lines.
  const model = "openai/mock?tokens=300&seed=7&ttft=1&gap=1";
  const expected = mockText({ tokens: 300, seed: 7 });

  test("word smoothing keeps the text and cuts it only after whitespace, in fewer events", async () => {
    const raw = await tokenContents(servers.gateway.url, model);
    const smoothed = await tokenContents(servers.gateway.url, model, "word");
    assert.equal(raw.text, expected);
    assert.equal(smoothed.text, expected);
    assert.ok(
      smoothed.contents.length < raw.contents.length,
      `${smoothed.contents.length} smoothed events, ${raw.contents.length} raw`,
    );
    const notAtBoundary = smoothed.contents.slice(0, -1).filter((content) => !/\s$/u.test(content));
    // Only text held past the bound (100 ms) may end inside a word; on a busy machine, a few.
    assert.ok(notAtBoundary.length <= 3, `cut inside a word: ${JSON.stringify(notAtBoundary)}`);
    assertCleanCuts(smoothed.contents);
    assert.equal(smoothed.done.token_count, raw.done.token_count);
  });

  test("line smoothing keeps the text and sends whole lines", async () => {
    const raw = await tokenContents(servers.gateway.url, model);
    const smoothed = await tokenContents(servers.gateway.url, model, "line");
    assert.equal(smoothed.text, expected);
    assert.ok(
      smoothed.contents.length < raw.contents.length / 2,
      `${smoothed.contents.length} smoothed events, ${raw.contents.length} raw`,
    );
    const notAtBoundary = smoothed.contents
      .slice(0, -1)
      .filter((content) => !content.endsWith("\n"));
    assert.ok(notAtBoundary.length <= 3, `cut inside a line: ${JSON.stringify(notAtBoundary)}`);
    assertCleanCuts(smoothed.contents);
  });

  test("text with no boundary is held no longer than the bound, not until the end", async () => {
    // JSON text has no raw line feed; tokens come every 150 ms, past the 100 ms hold.
    const slow = "openai/mock?tokens=8&json=1&ttft=1&gap=150";
    const { contents, text } = await tokenContents(servers.gateway.url, slow, "line");
    assert.equal(text, mockText({ tokens: 8, json: true }));
    assert.ok(!text.includes("\n"));
    assert.ok(contents.length >= 4, `${contents.length} events: text was held for a line end`);
    assertCleanCuts(contents);
  });
});
