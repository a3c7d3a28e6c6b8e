import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareRuns, median } from "./compare-runs.js";
import { RunCollector } from "./run-collector.js";
import type { RunSummary } from "./run-summary.js";

function run(label: string, ttft: number, tokensPerSecond: number): RunSummary {
  const collector = new RunCollector(null);
  collector.record(
    {
      index: 0,
      startedAt: 0,
      ttftMs: ttft,
      gapsMs: [5],
      e2eMs: ttft + 5,
      tokens: 2,
      bytes: 20,
      terminal: "done",
      eventsAfterTerminal: 0,
      errorType: null,
      errorDetail: null,
      aborted: false,
      streamId: null,
      resumes: 0,
      check: null,
    },
    false,
  );
  const figures = collector.figures(1);
  return {
    ...figures,
    throughput: { ...figures.throughput, tokensPerSecond },
    target: { label, url: "http://127.0.0.1:1/", format: "native", model: "mock" },
    startedAt: "2026-01-01T00:00:00.000Z",
    cancellation: null,
    server: null,
    client: { cpuSeconds: 0, cpuPercent: 0, peakInFlight: 1 },
  };
}

describe("compareRuns", () => {
  it("takes medians, and the median of paired differences so that drift cancels", () => {
    const direct = [run("direct", 10, 1000), run("direct", 20, 1100), run("direct", 30, 900)];
    const sluice = [run("sluice", 11, 990), run("sluice", 21, 1080), run("sluice", 33, 850)];
    const comparison = compareRuns(direct, sluice);
    assert.deepEqual(comparison.labels, ["direct", "sluice"]);
    const ttft = comparison.rows.find((row) => row.key === "ttft.p50");
    assert.ok(ttft);
    assert.ok(Math.abs(ttft.a - 20) < 0.05);
    assert.ok(Math.abs(ttft.b - 21) < 0.05);
    assert.ok(Math.abs(ttft.delta - 1) < 0.05);
    assert.ok(Math.abs(ttft.deltaMax - 3) < 0.05);
    const tokens = comparison.rows.find((row) => row.key === "tokensPerSecond");
    assert.equal(tokens?.delta, -20);
    assert.equal(tokens?.relative, -20 / 1000);
  });

  it("leaves out figures a run does not have (no --pid, no SLO)", () => {
    const keys = compareRuns([run("a", 1, 1)], [run("b", 1, 1)]).rows.map((row) => row.key);
    assert.ok(!keys.includes("peakRss"));
    assert.ok(!keys.includes("goodput"));
  });

  it("computes a median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
