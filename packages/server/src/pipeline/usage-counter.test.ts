import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateTokens, UsageCounter } from "./usage-counter.js";

describe("estimateTokens", () => {
  it("counts BPE tokens, not characters or words", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("Hello world"), 2);
    assert.ok(estimateTokens("internationalisation") < "internationalisation".length);
  });

  it("counts special-token spellings in user text as text instead of throwing", () => {
    assert.ok(estimateTokens("say <|endoftext|> and <|im_start|> please") > 5);
  });
});

describe("UsageCounter", () => {
  const request = {
    messages: [
      { role: "system" as const, content: "You are terse." },
      {
        role: "user" as const,
        content: [{ type: "text", text: "Hello there" }, { type: "image_url" }],
      },
      { role: "assistant" as const, content: null },
    ],
  };

  it("estimates from the prompt and the whole answer when the provider gives no usage", () => {
    const counter = new UsageCounter(request);
    for (const chunk of ["Hel", "lo", ", wor", "ld"]) counter.addText(chunk);
    const promptText = estimateTokens("You are terse.") + estimateTokens("Hello there");
    const usage = counter.result();
    // Tokenised as one text: "Hel" + "lo" is one token, not two.
    assert.equal(usage.completion_tokens, estimateTokens("Hello, world"));
    assert.equal(usage.prompt_tokens, promptText + 3 * 3 + 3);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal(usage.estimated, true);
  });

  it("reports the provider's usage as given, without estimated", () => {
    const counter = new UsageCounter(request);
    counter.addText("Hello");
    counter.setProviderUsage(120, 1);
    counter.setProviderUsage(120, 7);
    assert.deepEqual(counter.result(), {
      prompt_tokens: 120,
      completion_tokens: 7,
      total_tokens: 127,
    });
  });

  it("counts an empty answer as no completion tokens", () => {
    const usage = new UsageCounter({ messages: [{ role: "user", content: "Hi" }] }).result();
    assert.equal(usage.completion_tokens, 0);
    assert.equal(usage.prompt_tokens, estimateTokens("Hi") + 3 + 3);
  });

  it("tokenises again only when text was added since the last result", () => {
    const counter = new UsageCounter(request);
    counter.addText("one two");
    const first = counter.result();
    assert.equal(counter.result(), first);
    counter.addText(" three");
    assert.equal(counter.result().completion_tokens, estimateTokens("one two three"));
  });
});
