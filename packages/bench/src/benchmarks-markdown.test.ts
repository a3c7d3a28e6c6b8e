import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchmarksMarkdown } from "./benchmarks-markdown.js";
import { syntheticReport, syntheticRun } from "./synthetic-run.js";

const pinning = { gateway: 1, mock: 0, bench: "0" };
const options = { resultsLink: "../bench/results", command: "npm run bench" };

describe("benchmarksMarkdown", () => {
  it("leads with what Sluice adds to TTFT, median and range over the rounds", () => {
    const runs = [0, 1, 2].flatMap((round) => [
      syntheticRun("direct", round, null),
      syntheticRun("sluice", round + 2 + round * 0.5, 4242),
    ]);
    const report = syntheticReport(runs, true, { name: "ttft-c10", suite: { headline: "ttft" } });
    const markdown = benchmarksMarkdown(
      [{ file: "01-ttft.json", report, htmlFile: "01-ttft.html" }],
      pinning,
      options,
    );
    assert.match(
      markdown,
      /\| TTFT p50 at 10 streams \| .* \| \*\*\+2\.50 ms\*\* \(\+2\.00 ms … \+3\.0\d ms\) \|/,
    );
    assert.match(markdown, /The gateway ran alone on CPU 1/);
    assert.match(markdown, /\[01-ttft\.html\]\(\.\.\/bench\/results\/01-ttft\.html\)/);
    assert.match(
      markdown,
      /\| itl \| \(last token − first token\) \/ \(tokens − 1\), per request \|/,
    );
  });

  it("reports memory per open stream and says how many streams failed", () => {
    const run = syntheticRun("sluice", 0, 4242);
    const failed = {
      ...run,
      errors: { connection_ECONNRESET: 3 },
      requests: { ...run.requests, failed: 3 },
    };
    const report = syntheticReport([failed], false, {
      name: "memory",
      suite: { targets: ["sluice"], headline: "memory" },
    });
    const markdown = benchmarksMarkdown(
      [{ file: "05-memory.json", report, htmlFile: "05-memory.html" }],
      pinning,
      options,
    );
    assert.match(
      markdown,
      /\| gateway RSS per open stream, 10 streams open \| – \| 390\.6 KiB \| peak 80\.1 MiB; 3 of 380 streams failed \|/,
    );
    assert.match(markdown, /Failed requests, over all rounds: sluice: connection_ECONNRESET 3\./);
  });
});
