import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchmarksMarkdown } from "./benchmarks-markdown.js";
import { alternationOrder, compareTargets } from "./run-bench.js";
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
      /\| gateway RSS per open stream, 10 streams open \| – \| 390\.6 KiB \| – \| – \| peak 80\.1 MiB; 3 of 380 streams failed \|/,
    );
    assert.match(markdown, /Failed requests, over all rounds: sluice: connection_ECONNRESET 3\./);
  });

  it("gives Sluice's relay cost as a fraction of the lesson's server's, beside each figure", () => {
    const runs = [0, 1, 2].flatMap((round) => {
      const sluice = syntheticRun("sluice", round, 4242);
      const baseline = syntheticRun("baseline", round, 4343);
      const server = baseline.server as NonNullable<typeof baseline.server>;
      return [sluice, { ...baseline, server: { ...server, cpuSecondsPerMillionTokens: 600 } }];
    });
    const report = {
      ...syntheticReport(runs, false, {
        name: "relay",
        suite: { targets: ["sluice", "baseline"], headline: "relay" },
      }),
      ...compareTargets(runs),
    };
    const markdown = benchmarksMarkdown(
      [{ file: "11-relay.json", report, htmlFile: "11-relay.html" }],
      pinning,
      options,
    );
    assert.match(
      markdown,
      /\| CPU seconds per million tokens relayed, 10 streams at saturation, one core \| – \| 150\.00 s \| – \| 600\.00 s \| sluice ÷ baseline \*\*0\.25\*\* \|/,
    );
    assert.match(markdown, /\| server CPU s \/ Mtok \| 150\.00 s \| 600\.00 s \|/);
  });
});

describe("alternationOrder", () => {
  it("reverses the order every other round, so drift falls on every target alike", () => {
    const order = [0, 1, 2, 3].map((round) => alternationOrder(["a", "b", "c"], round).join(""));
    assert.deepEqual(order, ["abc", "cba", "abc", "cba"]);
  });
});
