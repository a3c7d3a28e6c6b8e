import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mockText, mockTokens } from "./mock-tokens.js";

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("mockTokens", () => {
  it("gives the same tokens for the same knobs and other text for another seed", () => {
    assert.deepEqual(mockTokens({ tokens: 50, seed: 7 }), mockTokens({ tokens: 50, seed: 7 }));
    assert.notEqual(mockText({ tokens: 50, seed: 7 }), mockText({ tokens: 50, seed: 8 }));
    assert.equal(mockTokens({ tokens: 123 }).length, 123);
    assert.deepEqual(mockTokens({ tokens: 0 }), []);
  });

  it("carries every tricky token within 72 tokens, at regular positions", () => {
    const tokens = mockTokens({ tokens: 72, seed: 3 });
    const text = tokens.join("");
    const tricky = [
      "\n",
      "\n\n",
      "\r\n",
      "data: ",
      "data:[DONE]",
      "event: x",
      ": not a comment",
      "🚀",
      "👩‍💻",
      "é",
      "日本語",
      "𝔘",
      '"',
      "\\",
      "</script>",
      "\t",
      "  spaced out  ",
    ];
    for (const piece of tricky) assert.ok(text.includes(piece), `missing ${JSON.stringify(piece)}`);
    assert.ok(
      tokens.filter((_, index) => index % 4 === 1).every((token) => !/^ ?[a-z]+$/i.test(token)),
    );
  });

  it("reads like prose between the tricky tokens", () => {
    const words = mockTokens({ tokens: 40 }).filter((_, index) => index % 4 !== 1);
    assert.ok(words.every((word) => /^( ?[A-Za-z']+|[.,:])$/.test(word)));
  });

  it("never splits a surrogate pair, so every token is valid UTF-16 on its own", () => {
    for (const json of [false, true]) {
      for (const token of mockTokens({ tokens: 500, seed: 5, json })) {
        assert.doesNotMatch(token, loneSurrogate);
      }
    }
  });
});

describe("mockTokens with json", () => {
  it("concatenates to one valid JSON object for any token count", () => {
    for (const count of [1, 2, 3, 7, 40, 200, 5000]) {
      const tokens = mockTokens({ tokens: count, seed: count, json: true });
      assert.equal(tokens.length, count);
      assert.ok(tokens.every((token) => token !== ""));
      const value = JSON.parse(tokens.join(""));
      assert.equal(typeof value, "object");
    }
  });

  it("holds every kind of JSON value and escape", () => {
    const text = mockText({ tokens: 100, json: true });
    const value = JSON.parse(text);
    assert.equal(value.title, 'Stream "report"');
    assert.equal(value.path, "C:\\temp\\new");
    assert.ok(value.lines.includes("\n"));
    assert.ok(value.unicode.includes("𝔘"));
    assert.ok(text.includes("\\u0007"));
    assert.equal(value.ok, true);
    assert.equal(value.missing, null);
    assert.equal(value.ratio, -0.125);
    assert.deepEqual(value.nested.list, [1, "two", false, null, { deep: [[]] }]);
  });

  it("cuts inside escapes and inside keys", () => {
    const tokens = mockTokens({ tokens: 100, json: true });
    assert.ok(tokens.some((token) => token.endsWith("\\") && !token.endsWith("\\\\")));
    assert.ok(tokens.some((token) => /^[a-z]+":/.test(token)));
  });
});

describe("mockTokens with markdown", () => {
  it("streams exactly `tokens` tokens of Markdown with a heading, a list, a table and a fenced code block", () => {
    const tokens = mockTokens({ tokens: 180, markdown: true });
    assert.equal(tokens.length, 180);
    const text = tokens.join("");
    assert.match(text, /^## Part 1: /);
    assert.match(text, /\n- Send a heartbeat/);
    assert.match(text, /\n\| setting \| default \| meaning \|\n\| --- \| --- \| --- \|\n/);
    assert.match(text, /\n```ts\n[\s\S]+\n```/);
  });

  it("is the same text cut shorter for fewer tokens, and starts at the seed's section", () => {
    assert.ok(
      mockText({ tokens: 400, markdown: true }).startsWith(
        mockText({ tokens: 50, markdown: true }),
      ),
    );
    assert.match(mockText({ tokens: 10, markdown: true, seed: 7 }), /^## Part 7: /);
  });
});
