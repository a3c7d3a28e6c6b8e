import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BenchScenario } from "./bench-scenario.js";

describe("BenchScenario", () => {
  it("parses every committed scenario", () => {
    const directory = join(import.meta.dirname, "../../../bench/scenarios");
    const files = readdirSync(directory).filter((file) => file.endsWith(".json"));
    assert.ok(files.length > 0);
    for (const file of files) {
      const parsed = BenchScenario.safeParse(
        JSON.parse(readFileSync(join(directory, file), "utf8")),
      );
      assert.ok(parsed.success, `${file}: ${parsed.error?.message}`);
    }
  });

  it("reaches the mock through openai/mock unless suite.upstream says anthropic", () => {
    assert.equal(BenchScenario.parse({}).suite.upstream, "openai");
    assert.equal(
      BenchScenario.parse({ suite: { upstream: "anthropic" } }).suite.upstream,
      "anthropic",
    );
    assert.equal(BenchScenario.safeParse({ suite: { upstream: "gemini" } }).success, false);
  });
});
