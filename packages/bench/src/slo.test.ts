import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestOutcome } from "./request-outcome.js";
import { formatSlo, meetsSlo, parseSlo } from "./slo.js";

function outcome(overrides: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    index: 0,
    startedAt: 0,
    ttftMs: 100,
    gapsMs: [10, 30, 20],
    e2eMs: 170,
    tokens: 4,
    bytes: 400,
    terminal: "done",
    eventsAfterTerminal: 0,
    errorType: null,
    errorDetail: null,
    aborted: false,
    streamId: null,
    resumes: 0,
    check: null,
    ...overrides,
  };
}

describe("SLO", () => {
  it("parses the flag's syntax with units", () => {
    assert.deepEqual(parseSlo("ttft:200ms,itl:50ms,e2e:2s"), { ttft: 200, itl: 50, e2e: 2000 });
    assert.equal(formatSlo(parseSlo("itl:50ms,ttft:0.2s")), "ttft:200ms,itl:50ms");
  });

  it("rejects an unknown metric with a message naming the valid ones", () => {
    assert.throws(() => parseSlo("latency:5ms"), /ttft, itl, tpot, e2e, gap/);
    assert.throws(() => parseSlo("ttft:fast"), /not a duration/);
  });

  it("judges ITL as the mean gap after the first token, not the worst one", () => {
    assert.equal(meetsSlo(outcome(), { itl: 20 }), true);
    assert.equal(meetsSlo(outcome(), { itl: 19 }), false);
    assert.equal(meetsSlo(outcome(), { gap: 29 }), false);
    assert.equal(meetsSlo(outcome(), { ttft: 100, tpot: 23.4 }), true);
  });

  it("never counts a failed, aborted or garbled request as good", () => {
    assert.equal(meetsSlo(outcome({ errorType: "http_502" }), {}), false);
    assert.equal(meetsSlo(outcome({ aborted: true }), {}), false);
    const check = { ok: false, kind: "missing" as const, at: 3, span: 2 };
    assert.equal(meetsSlo(outcome({ check }), {}), false);
  });
});
