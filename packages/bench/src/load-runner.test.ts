import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type LoadRequest, LoadRunner } from "./load-runner.js";
import { emptyOutcome, type RequestOutcome } from "./request-outcome.js";

function outcomeOf(request: LoadRequest): RequestOutcome {
  return {
    ...emptyOutcome(request.index, 0),
    ttftMs: 1,
    e2eMs: 2,
    tokens: 1,
    bytes: 10,
    terminal: "done",
  };
}

/** A repeatable uniform source for the arrival process. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("LoadRunner", () => {
  it("keeps a closed loop at its concurrency and sends warm-up plus the measured count", async () => {
    let peak = 0;
    const seen: LoadRequest[] = [];
    const runner = new LoadRunner({
      shape: { kind: "closed", concurrency: 4 },
      requests: 20,
      durationMs: null,
      warmup: { requests: 3 },
      execute: async (request) => {
        peak = Math.max(peak, runner.inFlight);
        await tick();
        return outcomeOf(request);
      },
      onOutcome: (_outcome, request) => seen.push(request),
      signal: new AbortController().signal,
    });
    const result = await runner.run();
    assert.equal(peak, 4);
    assert.equal(result.started, 23);
    assert.equal(seen.filter((request) => request.warmup).length, 3);
    assert.deepEqual(
      seen
        .filter((request) => request.warmup)
        .map((request) => request.index)
        .sort(),
      [0, 1, 2],
    );
    assert.ok(result.measuredFrom >= result.startedAt && result.endedAt >= result.measuredFrom);
  });

  it("stops starting requests when the duration is up", async () => {
    const runner = new LoadRunner({
      shape: { kind: "closed", concurrency: 2 },
      requests: null,
      durationMs: 50,
      execute: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return outcomeOf(request);
      },
      onOutcome: () => {},
      signal: new AbortController().signal,
    });
    const result = await runner.run();
    assert.ok(result.started >= 2);
    assert.ok(result.endedAt - result.measuredFrom >= 50);
  });

  it("draws Poisson arrivals at the asked rate from the schedule, not the clock", async () => {
    const dues: number[] = [];
    const runner = new LoadRunner({
      shape: { kind: "open", rate: 4000, maxInFlight: 10_000, random: lcg(7) },
      requests: null,
      durationMs: 250,
      execute: async (request) => {
        dues.push(request.dueAt);
        return outcomeOf(request);
      },
      onOutcome: () => {},
      signal: new AbortController().signal,
    });
    const result = await runner.run();
    // 1,000 arrivals expected; a Poisson count's standard deviation is sqrt(1000) ≈ 32.
    assert.ok(result.started > 850 && result.started < 1150, `${result.started} arrivals`);
    const gaps = dues.slice(1).map((due, index) => due - (dues[index] ?? 0));
    const mean = gaps.reduce((total, gap) => total + gap, 0) / gaps.length;
    assert.ok(mean > 0.2 && mean < 0.3, `mean inter-arrival ${mean} ms`);
    const variance = gaps.reduce((total, gap) => total + (gap - mean) ** 2, 0) / gaps.length;
    // Exponential gaps: the standard deviation equals the mean.
    assert.ok(Math.abs(Math.sqrt(variance) / mean - 1) < 0.15);
  });

  it("drops arrivals beyond maxInFlight as client_saturated instead of queueing them", async () => {
    const release: (() => void)[] = [];
    const errors: (string | null)[] = [];
    const runner = new LoadRunner({
      shape: { kind: "open", rate: 2000, maxInFlight: 5, random: lcg(3) },
      requests: 40,
      durationMs: null,
      execute: (request) =>
        new Promise((resolve) => {
          release.push(() => resolve(outcomeOf(request)));
        }),
      onOutcome: (outcome) => {
        errors.push(outcome.errorType);
        if (errors.filter((error) => error !== null).length === 35) for (const go of release) go();
      },
      signal: new AbortController().signal,
    });
    const result = await runner.run();
    assert.equal(result.dropped, 35);
    assert.equal(errors.filter((error) => error === "client_saturated").length, 35);
    assert.equal(errors.filter((error) => error === null).length, 5);
  });

  it("refuses an unbounded load", () => {
    assert.throws(
      () =>
        new LoadRunner({
          shape: { kind: "closed", concurrency: 1 },
          requests: null,
          durationMs: null,
          execute: async (request) => outcomeOf(request),
          onOutcome: () => {},
          signal: new AbortController().signal,
        }),
      /needs a bound/,
    );
  });

  it("stops at once when its signal aborts", async () => {
    const controller = new AbortController();
    const runner = new LoadRunner({
      shape: { kind: "closed", concurrency: 3 },
      requests: 1_000_000,
      durationMs: null,
      execute: async (request) => {
        if (request.index === 10) controller.abort();
        await tick();
        return outcomeOf(request);
      },
      onOutcome: () => {},
      signal: controller.signal,
    });
    const result = await runner.run();
    assert.ok(result.started <= 13);
  });
});
