import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkText } from "./check-text.js";

const tokens = Array.from({ length: 60 }, (_, index) => ` word${index % 7} token${index}`);
const expected = tokens.join("");

function joined(parts: string[]): string {
  return parts.join("");
}

describe("checkText", () => {
  it("passes the exact text", () => {
    assert.deepEqual(checkText(expected, expected, true), {
      ok: true,
      kind: "ok",
      at: null,
      span: null,
    });
  });

  it("catches a planted duplicate token and says where it is", () => {
    const received = joined([...tokens.slice(0, 31), tokens[30] ?? "", ...tokens.slice(31)]);
    const check = checkText(expected, received, true);
    assert.equal(check.ok, false);
    assert.equal(check.kind, "duplicate");
    assert.equal(check.span, tokens[30]?.length);
    // The repeat begins at the token boundary; the texts part where their characters first differ.
    const boundary = joined(tokens.slice(0, 31)).length;
    assert.ok(check.at !== null && check.at >= boundary && check.at < boundary + 14);
  });

  it("catches a planted gap (a lost token) and its size", () => {
    const received = joined([...tokens.slice(0, 20), ...tokens.slice(21)]);
    const check = checkText(expected, received, true);
    assert.equal(check.kind, "missing");
    assert.equal(check.span, tokens[20]?.length);
    const boundary = joined(tokens.slice(0, 20)).length;
    assert.ok(check.at !== null && check.at >= boundary && check.at < boundary + 14);
  });

  it("catches a replayed run of tokens, as after a resume from the wrong position", () => {
    const received = joined([...tokens.slice(0, 40), ...tokens.slice(35)]);
    const check = checkText(expected, received, true);
    assert.equal(check.kind, "duplicate");
    assert.equal(check.span, joined(tokens.slice(35, 40)).length);
  });

  it("reports a finished stream that stopped short as truncated", () => {
    const check = checkText(expected, joined(tokens.slice(0, 50)), true);
    assert.equal(check.kind, "truncated");
    assert.equal(check.span, joined(tokens.slice(50)).length);
  });

  it("accepts a prefix from a stream that did not finish (an abort)", () => {
    assert.equal(checkText(expected, joined(tokens.slice(0, 5)), false).ok, true);
  });

  it("still catches a gap in a stream that did not finish", () => {
    const received = joined([...tokens.slice(0, 3), ...tokens.slice(4, 10)]);
    assert.equal(checkText(expected, received, false).kind, "missing");
  });

  it("catches a duplicated tail after the whole text", () => {
    const received = expected + joined(tokens.slice(58));
    assert.equal(checkText(expected, received, true).kind, "duplicate");
  });

  it("calls foreign text a mismatch", () => {
    const received = `${joined(tokens.slice(0, 10))} something else entirely`;
    assert.equal(checkText(expected, received, true).kind, "mismatch");
  });
});
