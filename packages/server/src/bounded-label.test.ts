import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BoundedLabel } from "./bounded-label.js";

describe("BoundedLabel", () => {
  it("keeps the first values and calls every later one other", () => {
    const label = new BoundedLabel(2);
    assert.equal(label.of("openai/a"), "openai/a");
    assert.equal(label.of("openai/b"), "openai/b");
    assert.equal(label.of("openai/c"), "other");
    assert.equal(label.of("openai/a"), "openai/a");
  });

  it("drops the options after a ? so that knobs are not models", () => {
    const label = new BoundedLabel(1);
    assert.equal(label.of("openai/mock?tokens=5"), "openai/mock");
    assert.equal(label.of("openai/mock?tokens=6&gap=1"), "openai/mock");
  });
});
