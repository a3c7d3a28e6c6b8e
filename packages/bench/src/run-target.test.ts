import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type MockServer, startMock } from "@sluice/mock";
import { BenchScenario, type BenchScenarioInput } from "./bench-scenario.js";
import { runBench } from "./run-bench.js";
import { type BenchTarget, runTarget } from "./run-target.js";
import { streamFormat } from "./stream-format.js";

let mock: MockServer;

before(async () => {
  mock = await startMock();
});
after(async () => {
  await mock.close();
});

function direct(label = "direct"): BenchTarget {
  return {
    label,
    url: new URL("/v1/chat/completions", mock.url),
    format: streamFormat("openai"),
    model: "mock",
    headers: {},
    pid: process.pid,
  };
}

function scenario(input: BenchScenarioInput): BenchScenario {
  return BenchScenario.parse({ ttft: 2, gap: 1, tokens: 20, ...input });
}

const signal = new AbortController().signal;

describe("runTarget against the mock", () => {
  it("measures a closed loop, leaves warm-up out and finds every text whole", async () => {
    const summary = await runTarget({
      target: direct(),
      scenario: scenario({ concurrency: 4, requests: 24, warmup: 4 }),
      mockUrl: null,
      signal,
    });
    assert.equal(summary.requests.measured, 24);
    assert.equal(summary.requests.warmup, 4);
    assert.equal(summary.requests.failed, 0);
    assert.equal(summary.correctness.checked, 24);
    assert.equal(summary.correctness.passed, 24);
    assert.equal(summary.throughput.tokens, 24 * 20);
    assert.equal(summary.latency.ttft.count, 24);
    assert.equal(summary.latency.gap.count, 24 * 19);
    assert.ok(summary.latency.ttft.p50 !== null && summary.latency.ttft.p50 >= 2);
    assert.ok(summary.server && summary.server.peakRssBytes > 0);
    assert.ok(summary.series.points.length > 0);
    assert.equal(summary.quantiles.ttft.length, 101);
  });

  it("reads the server's RSS once more after settling, only when asked", async () => {
    const plain = await runTarget({
      target: direct(),
      scenario: scenario({ concurrency: 2, requests: 4 }),
      mockUrl: null,
      signal,
    });
    assert.equal(plain.server?.settledRssBytes, null);
    const settled = await runTarget({
      target: direct(),
      scenario: scenario({ concurrency: 2, requests: 4, settle: "50ms" }),
      mockUrl: null,
      signal,
    });
    assert.ok((settled.server?.settledRssBytes ?? 0) > 0);
  });

  it("sees client aborts reach the mock as aborted streams", async () => {
    const summary = await runTarget({
      target: direct(),
      scenario: scenario({
        concurrency: 4,
        requests: 8,
        tokens: 400,
        gap: 5,
        abort: 0.5,
        abortAfter: 3,
      }),
      mockUrl: new URL(mock.url),
      signal,
    });
    assert.equal(summary.requests.aborted, 4);
    assert.equal(summary.requests.failed, 0);
    assert.deepEqual(summary.cancellation && { ...summary.cancellation, waitedMs: 0 }, {
      aborted: 4,
      reachedUpstream: 4,
      waitedMs: 0,
    });
  });

  it("reports streams cut by the fault proxy that the format cannot resume", async () => {
    const summary = await runTarget({
      target: direct(),
      scenario: scenario({ concurrency: 2, requests: 9, tokens: 60, cutEvery: 3, cutAfter: 1500 }),
      mockUrl: null,
      signal,
    });
    assert.equal(summary.correctness.cutConnections, 3);
    assert.equal(summary.errors.no_terminal, 3);
    assert.equal(summary.correctness.terminalMissing, 3);
    assert.equal(
      summary.correctness.passed,
      summary.correctness.checked,
      "a cut prefix is not a text error",
    );
  });

  it("names an upstream failure by its HTTP status", async () => {
    const summary = await runTarget({
      target: direct(),
      scenario: scenario({ concurrency: 2, requests: 4, knobs: "fault=503" }),
      mockUrl: null,
      signal,
    });
    assert.deepEqual(summary.errors, { http_503: 4 });
    assert.equal(summary.errorRate, 1);
  });
});

describe("runBench", () => {
  it("alternates two targets in ABBA order and compares them round by round", async () => {
    const report = await runBench({
      scenario: scenario({ concurrency: 2, requests: 6, rounds: 3 }),
      targets: [direct("first"), direct("second")],
      mockUrl: new URL(mock.url),
      signal,
    });
    assert.deepEqual(
      report.runs.map((run) => run.target.label),
      ["first", "second", "second", "first", "first", "second"],
    );
    assert.equal(report.comparison?.rounds, 3);
    assert.deepEqual(report.comparison?.labels, ["first", "second"]);
    assert.ok(report.comparison?.rows.some((row) => row.key === "ttft.p50"));
  });
});
