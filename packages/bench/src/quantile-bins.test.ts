import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatencyHistogram } from "./latency-histogram.js";
import { quantileBins } from "./quantile-bins.js";

function quantilesOf(values: number[]): number[] {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  return histogram.quantiles();
}

describe("quantileBins", () => {
  it("puts a uniform distribution's mass evenly into the bins, summing to one", () => {
    const values = Array.from({ length: 1000 }, (_, index) => index / 10);
    const bins = quantileBins(quantilesOf(values), 0, 100, 10);
    assert.equal(bins.length, 10);
    const total = bins.reduce((sum, bin) => sum + bin.share, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
    for (const bin of bins) assert.ok(Math.abs(bin.share - 0.1) < 0.02, `bin share ${bin.share}`);
  });

  it("keeps two clusters apart and in proportion", () => {
    const values = [
      ...Array.from({ length: 750 }, () => 10),
      ...Array.from({ length: 250 }, () => 20),
    ];
    const bins = quantileBins(quantilesOf(values), 0, 30, 30);
    const near10 = bins.slice(9, 11).reduce((sum, bin) => sum + bin.share, 0);
    const near20 = bins.slice(19, 21).reduce((sum, bin) => sum + bin.share, 0);
    assert.ok(Math.abs(near10 - 0.75) < 0.02, `${near10}`);
    assert.ok(Math.abs(near20 - 0.25) < 0.02, `${near20}`);
  });

  it("counts values beyond the range in the last bin", () => {
    const bins = quantileBins(quantilesOf([1, 2, 3, 500]), 0, 10, 5);
    assert.ok(Math.abs((bins[4]?.share ?? 0) - 0.25) < 0.02);
  });

  it("draws nothing for an empty distribution", () => {
    assert.deepEqual(quantileBins([], 0, 10, 5), []);
  });
});
