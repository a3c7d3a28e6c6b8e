import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMockKnobs } from "./mock-knobs.js";

describe("parseMockKnobs", () => {
  it("reads every knob from query-string text", () => {
    const text =
      "ttft=50&gap=2.5&jitter=0.3&tokens=200&seed=9&json=1&tool=1&ping=100&usage=0" +
      "&fault=429&after=7&times=2&retry_after=0.5";
    assert.deepEqual(parseMockKnobs(text), {
      ttftMs: 50,
      gapMs: 2.5,
      jitter: 0.3,
      tokens: 200,
      seed: 9,
      json: true,
      tool: true,
      pingMs: 100,
      usage: false,
      fault: "429",
      after: 7,
      times: 2,
      retryAfterSeconds: 0.5,
    });
  });

  it("sets only the knobs the text names", () => {
    assert.deepEqual(parseMockKnobs(""), {});
    assert.deepEqual(parseMockKnobs("fault=drop&after=3"), { fault: "drop", after: 3 });
    assert.deepEqual(parseMockKnobs("times=Infinity"), { times: Number.POSITIVE_INFINITY });
  });

  it("refuses unknown knobs and bad values, naming them", () => {
    assert.throws(() => parseMockKnobs("speed=3"), /unknown mock knob "speed"/);
    assert.throws(() => parseMockKnobs("tokens=-1"), /tokens=-1/);
    assert.throws(() => parseMockKnobs("tokens=1.5"), /whole number/);
    assert.throws(() => parseMockKnobs("jitter=2"), /jitter=2/);
    assert.throws(() => parseMockKnobs("ttft="), /ttft=/);
    assert.throws(() => parseMockKnobs("fault=boom"), /fault=boom/);
    assert.throws(() => parseMockKnobs("json=yes"), /json=yes/);
  });
});
