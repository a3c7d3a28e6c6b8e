import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatencyHistogram } from "./latency-histogram.js";

function near(actual: number | null, expected: number, relative = 0.001): void {
  assert.ok(actual !== null, "expected a value");
  assert.ok(
    Math.abs(actual - expected) <= expected * relative,
    `${actual} is not within ${relative * 100}% of ${expected}`,
  );
}

describe("LatencyHistogram", () => {
  it("reports the percentiles of 1..1000 ms within 0.1 %", () => {
    const histogram = new LatencyHistogram();
    for (let value = 1; value <= 1000; value += 1) histogram.record(value);
    const summary = histogram.summary();
    assert.equal(summary.count, 1000);
    assert.equal(summary.min, 1);
    assert.equal(summary.max, 1000);
    assert.equal(summary.mean, 500.5);
    near(summary.p50, 500);
    near(summary.p90, 900);
    near(summary.p95, 950);
    near(summary.p99, 990);
    near(summary.p999, 999);
  });

  it("keeps sub-millisecond resolution and an exact mean", () => {
    const histogram = new LatencyHistogram();
    for (const value of [0.25, 0.5, 0.75, 1.5]) histogram.record(value);
    near(histogram.percentile(50), 0.5);
    assert.equal(histogram.summary().mean, 0.75);
    assert.equal(histogram.summary().max, 1.5);
  });

  it("lets one slow outlier show at p99.9 without moving p50", () => {
    const histogram = new LatencyHistogram();
    for (let index = 0; index < 999; index += 1) histogram.record(10);
    histogram.record(5000);
    near(histogram.percentile(50), 10);
    near(histogram.percentile(99), 10);
    assert.equal(histogram.summary().max, 5000);
    near(histogram.percentile(100), 5000);
  });

  it("reports nothing rather than zero when empty", () => {
    const summary = new LatencyHistogram().summary();
    assert.equal(summary.count, 0);
    assert.equal(summary.p50, null);
    assert.equal(summary.mean, null);
    assert.deepEqual(new LatencyHistogram().quantiles(), []);
  });

  it("counts a clock step backwards as zero, not as a negative latency", () => {
    const histogram = new LatencyHistogram();
    histogram.record(-3);
    assert.equal(histogram.summary().min, 0);
  });

  it("adds another histogram's values", () => {
    const left = new LatencyHistogram();
    const right = new LatencyHistogram();
    for (let value = 1; value <= 500; value += 1) left.record(value);
    for (let value = 501; value <= 1000; value += 1) right.record(value);
    left.add(right);
    assert.equal(left.count, 1000);
    assert.equal(left.summary().max, 1000);
    near(left.percentile(50), 500);
  });

  it("describes the distribution by its value at every whole percentile", () => {
    const histogram = new LatencyHistogram();
    for (let value = 1; value <= 1000; value += 1) histogram.record(value);
    const quantiles = histogram.quantiles();
    assert.equal(quantiles.length, 101);
    assert.equal(quantiles[0], 1);
    assert.equal(quantiles[100], 1000);
    near(quantiles[25] ?? null, 250);
    for (let index = 1; index < quantiles.length; index += 1) {
      assert.ok((quantiles[index] ?? 0) >= (quantiles[index - 1] ?? 0), "quantiles never decrease");
    }
  });
});
