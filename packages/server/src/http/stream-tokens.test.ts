import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { StreamTokens } from "./stream-tokens.js";

const unauthorized = (error: unknown) =>
  error instanceof SluiceError && error.type === "unauthorized" && error.status === 401;

describe("StreamTokens", () => {
  let now = 1_000_000;
  const tokens = new StreamTokens({ secret: "s".repeat(32), ttlMs: 60_000, now: () => now });

  it("reads the stream it was issued for, and no other", () => {
    const token = tokens.issue("stream-a");
    tokens.verify(token, "stream-a", "read");
    assert.throws(() => tokens.verify(token, "stream-b", "read"), unauthorized);
  });

  it("cancels only when it says so", () => {
    assert.throws(() => tokens.verify(tokens.issue("a"), "a", "cancel"), unauthorized);
    tokens.verify(tokens.issue("a", ["read", "cancel"]), "a", "cancel");
  });

  it("expires", () => {
    const token = tokens.issue("a");
    now += 61_000;
    assert.throws(() => tokens.verify(token, "a", "read"), unauthorized);
  });

  it("refuses forged and altered tokens, and another secret's", () => {
    const token = tokens.issue("a");
    const [expires, , signature] = token.split(".");
    for (const forged of [
      "",
      "garbage",
      `${Number(expires) + 3600}.r.${signature}`,
      `${expires}.rc.${signature}`,
      `${token}x`,
      new StreamTokens({ secret: "t".repeat(32), ttlMs: 60_000, now: () => now }).issue("a"),
    ]) {
      assert.throws(() => tokens.verify(forged, "a", "read"), unauthorized, forged);
    }
  });

  it("is accepted by every instance that shares the secret", () => {
    const other = new StreamTokens({ secret: "s".repeat(32), ttlMs: 60_000, now: () => now });
    other.verify(tokens.issue("a"), "a", "read");
  });
});
