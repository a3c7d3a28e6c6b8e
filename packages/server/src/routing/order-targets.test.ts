import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { orderTargets } from "./order-targets.js";

const targets = ["a/1", "b/1", "c/1"];
const idle = targets.map(() => ({ busy: 0, benchedForMs: 0 }));

describe("orderTargets", () => {
  it("keeps the configured order for fallback, whatever the turn", () => {
    assert.deepEqual(orderTargets(targets, "fallback", idle, 7), targets);
  });

  it("starts round-robin at the turn's target and goes round", () => {
    const firsts = [0, 1, 2, 3].map((turn) => orderTargets(targets, "round-robin", idle, turn)[0]);
    assert.deepEqual(firsts, ["a/1", "b/1", "c/1", "a/1"]);
    assert.deepEqual(orderTargets(targets, "round-robin", idle, 1), ["b/1", "c/1", "a/1"]);
  });

  it("puts the least busy first, ties in round-robin order", () => {
    const health = [
      { busy: 2, benchedForMs: 0 },
      { busy: 1, benchedForMs: 0 },
      { busy: 1, benchedForMs: 0 },
    ];
    assert.deepEqual(orderTargets(targets, "least-busy", health, 0), ["b/1", "c/1", "a/1"]);
    assert.deepEqual(orderTargets(targets, "least-busy", health, 2), ["c/1", "b/1", "a/1"]);
  });

  it("leaves benched targets out", () => {
    const health = [
      { busy: 0, benchedForMs: 0 },
      { busy: 0, benchedForMs: 900 },
      { busy: 0, benchedForMs: 0 },
    ];
    assert.deepEqual(orderTargets(targets, "fallback", health, 0), ["a/1", "c/1"]);
  });
});
