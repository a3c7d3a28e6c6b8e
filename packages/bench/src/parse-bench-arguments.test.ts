import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type BenchArguments, parseBenchArguments } from "./parse-bench-arguments.js";

function parsed(argv: string[]): BenchArguments {
  const result = parseBenchArguments(argv);
  assert.ok(result !== "help" && result.kind === "run");
  return result;
}

describe("parseBenchArguments", () => {
  it("infers the format and the default model from the target's path", () => {
    const native = parsed(["--target", "http://127.0.0.1:8787/api/chat/stream"]);
    assert.equal(native.targets[0].format.name, "native");
    assert.equal(native.targets[0].model, "openai/mock");
    const openai = parsed(["--target", "http://127.0.0.1:8790/v1/chat/completions"]);
    assert.equal(openai.targets[0].format.name, "openai");
    assert.equal(openai.targets[0].model, "mock");
    assert.equal(parsed(["--target", "http://127.0.0.1:1/x"]).targets[0].format.name, "plain");
  });

  it("reads durations, counts and a second target", () => {
    const result = parsed([
      "--target",
      "http://127.0.0.1:8790/v1/chat/completions",
      "--label",
      "direct",
      "--compare",
      "http://127.0.0.1:8787/api/chat/stream",
      "--compare-label",
      "sluice",
      "--compare-pid",
      "42",
      "--rate",
      "50",
      "--duration",
      "2s",
      "--warmup",
      "500ms",
      "--gap",
      "10ms",
      "--slo",
      "ttft:200ms",
      "--header",
      "Authorization: Bearer k",
    ]);
    assert.equal(result.targets.length, 2);
    assert.equal(result.targets[1]?.pid, 42);
    assert.equal(result.targets[1]?.headers.authorization, "Bearer k");
    assert.equal(result.scenario.rate, 50);
    assert.equal(result.scenario.duration, 2000);
    assert.equal(result.scenario.warmup, "500ms");
    assert.equal(result.scenario.gap, 10);
  });

  it("lets flags override a scenario file", () => {
    const directory = mkdtempSync(join(tmpdir(), "sluice-scenario-"));
    try {
      const file = join(directory, "s.json");
      writeFileSync(
        file,
        JSON.stringify({ name: "from file", concurrency: 5, tokens: 300, gap: "2ms" }),
      );
      const result = parsed([
        "--target",
        "http://127.0.0.1:1/api/chat/stream",
        "--scenario",
        file,
        "--tokens",
        "50",
      ]);
      assert.equal(result.scenario.name, "from file");
      assert.equal(result.scenario.concurrency, 5);
      assert.equal(result.scenario.tokens, 50);
      assert.equal(result.scenario.gap, 2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("rejects what it cannot run, naming the flag", () => {
    const target = ["--target", "http://127.0.0.1:1/api/chat/stream"];
    assert.throws(() => parseBenchArguments([]), /--target URL is required/);
    assert.throws(() => parseBenchArguments(["--target", "nope"]), /--target: "nope" is not a URL/);
    assert.throws(
      () => parseBenchArguments([...target, "--concurrency", "ten"]),
      /--concurrency: "ten" is not a number/,
    );
    assert.throws(() => parseBenchArguments([...target, "--gap", "soon"]), /gap: .*not a duration/);
    assert.throws(
      () => parseBenchArguments([...target, "--rate", "5", "--concurrency", "5"]),
      /either a concurrency/,
    );
    assert.throws(() => parseBenchArguments([...target, "--slo", "speed:1ms"]), /--slo/);
    assert.throws(() => parseBenchArguments([...target, "--abort", "2"]), /abort/);
    assert.throws(() => parseBenchArguments([...target, "--bogus"]), /Unknown option '--bogus'/);
    assert.throws(
      () =>
        parseBenchArguments([
          ...target,
          "--compare",
          "http://127.0.0.1:2/api/chat/stream",
          "--label",
          "x",
          "--compare-label",
          "x",
        ]),
      /different labels/,
    );
  });

  it("reads the suite's options, with the defaults npm run bench relies on", () => {
    assert.deepEqual(
      parseBenchArguments(["--suite", "bench/scenarios", "--only", "a, b", "--rounds", "2"]),
      {
        kind: "suite",
        scenariosDirectory: "bench/scenarios",
        resultsDirectory: "bench/results",
        markdownFile: null,
        cliEntry: "packages/cli/src/main.ts",
        only: ["a", "b"],
        rounds: 2,
        quiet: false,
      },
    );
  });

  it("answers --help", () => {
    assert.equal(parseBenchArguments(["--help"]), "help");
  });
});
