import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProcessSampler, parseCpuSeconds, parseRssBytes } from "./process-sampler.js";

describe("ProcessSampler", () => {
  it("reads CPU time past a command name with spaces and parentheses", () => {
    const stat = "4242 (node (my) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11";
    assert.equal(parseCpuSeconds(stat), 3.25);
  });

  it("reads VmRSS in bytes", () => {
    assert.equal(parseRssBytes("Name:\tnode\nVmPeak:\t 9 kB\nVmRSS:\t   51200 kB\n"), 51200 * 1024);
  });

  it("samples a live process and reports a gone one as null", () => {
    const sample = new ProcessSampler(process.pid).sample();
    assert.ok(sample && sample.rssBytes > 1024 * 1024 && sample.cpuSeconds > 0);
    assert.equal(new ProcessSampler(2 ** 30).sample(), null);
  });
});
