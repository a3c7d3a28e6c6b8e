import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { orderTargets } from "./order-targets.js";

const targets = ["a/1", "b/1", "c/1"];
const idle = targets.map(() => ({ busy: 0, benchedForMs: 0 }));

/** Health of the three targets: running counts, and cool-downs left (default none). */
function health(busy: number[], benchedForMs: number[] = [0, 0, 0]) {
  return busy.map((count, index) => ({ busy: count, benchedForMs: benchedForMs[index] ?? 0 }));
}

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
    const busy = health([2, 1, 1]);
    assert.deepEqual(orderTargets(targets, "least-busy", busy, 0), ["b/1", "c/1", "a/1"]);
    assert.deepEqual(orderTargets(targets, "least-busy", busy, 2), ["c/1", "b/1", "a/1"]);
  });

  it("leaves benched targets out", () => {
    const benched = health([0, 0, 0], [0, 900, 0]);
    assert.deepEqual(orderTargets(targets, "fallback", benched, 0), ["a/1", "c/1"]);
  });
});
