import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { type MockServer, startMock } from "@sluice/mock";
import type { BenchReport } from "./bench-report.js";
import { runBenchCommand } from "./run-bench-command.js";

function capture() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    output: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { isTTY: false, write: (text: string) => (out.stderr += text) },
    },
  };
}

let mock: MockServer;
const directory = mkdtempSync(join(tmpdir(), "sluice-bench-cli-"));

before(async () => {
  mock = await startMock();
});
after(async () => {
  await mock.close();
  rmSync(directory, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

describe("runBenchCommand", () => {
  it("prints its usage for --help", async () => {
    const { out, output } = capture();
    await runBenchCommand(["--help"], output);
    assert.match(out.stdout, /Usage: sluice bench --target URL/);
    assert.equal(process.exitCode, undefined);
  });

  it("exits with 2 and says which argument is wrong", async () => {
    const { out, output } = capture();
    await runBenchCommand(["--target", "http://127.0.0.1:1/", "--requests", "0"], output);
    assert.equal(process.exitCode, 2);
    assert.match(out.stderr, /^sluice bench: Invalid scenario: requests/);
  });

  it("prints the table, with each formula, and writes the HTML report", async () => {
    const { out, output } = capture();
    const html = join(directory, "report.html");
    await runBenchCommand(
      [
        "--target",
        `${mock.url}/v1/chat/completions`,
        "--requests",
        "12",
        "--concurrency",
        "3",
        "--tokens",
        "10",
        "--gap",
        "1ms",
        "--html",
        html,
      ],
      output,
    );
    assert.match(out.stdout, /12 requests in/);
    assert.match(out.stdout, /ITL .*\(last token − first token\) \/ \(tokens − 1\), per request/);
    assert.match(out.stdout, /12\/12 texts intact/);
    assert.ok(existsSync(html));
    assert.match(readFileSync(html, "utf8"), /<svg class="chart"/);
    assert.equal(process.exitCode, undefined);
  });

  it("writes every request's own measurements with --outcomes", async () => {
    const { output } = capture();
    const file = join(directory, "outcomes.ndjson");
    await runBenchCommand(
      [
        "--target",
        `${mock.url}/v1/chat/completions`,
        "--requests",
        "4",
        "--warmup",
        "1",
        "--tokens",
        "6",
        "--gap",
        "1ms",
        "--outcomes",
        file,
        "--quiet",
      ],
      output,
    );
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 5);
    assert.equal(lines.filter((line) => line.warmup).length, 1);
    for (const line of lines) {
      assert.equal(line.tokens, 6);
      assert.equal(line.gapsMs.length, 5);
      assert.equal(line.terminal, "done");
      assert.equal(line.check.ok, true);
    }
  });

  it("prints the whole report as JSON with --json", async () => {
    const { out, output } = capture();
    await runBenchCommand(
      [
        "--target",
        `${mock.url}/v1/chat/completions`,
        "--requests",
        "5",
        "--tokens",
        "5",
        "--gap",
        "1ms",
        "--json",
        "--quiet",
      ],
      output,
    );
    const report = JSON.parse(out.stdout) as BenchReport;
    assert.equal(report.runs[0]?.requests.measured, 5);
    assert.equal(report.scenario.tokens, 5);
    assert.equal(out.stderr, "");
  });

  it("fails a run whose requests fail, and shows the server's reason", async () => {
    const { out, output } = capture();
    const args = ["--target", `${mock.url}/v1/nowhere`, "--requests", "4", "--quiet"];
    await runBenchCommand([...args, "--format", "openai"], output);
    assert.equal(process.exitCode, 1);
    assert.match(out.stdout, /http_404 4/);
    assert.match(out.stdout, /first http_404: .+/);
    assert.match(out.stderr, /100\.0 % of requests failed/);

    process.exitCode = undefined;
    const tolerant = capture();
    await runBenchCommand(
      [...args, "--format", "openai", "--max-error-rate", "100%"],
      tolerant.output,
    );
    assert.equal(process.exitCode, undefined);
  });
});
