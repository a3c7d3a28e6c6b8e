import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { mockText } from "./mock-tokens.js";

const entry = new URL("./index.ts", import.meta.url).href;

/** Runs `runMockCommand(args)` in a child process, as `sluice mock` does. */
function runCli(args: string[]) {
  const script = `import { runMockCommand } from ${JSON.stringify(entry)};
await runMockCommand(${JSON.stringify(args)});`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    child.stdout.emit("text");
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    async url(): Promise<string> {
      while (!/listening on (\S+)\n/.test(stdout)) {
        const [event] = await Promise.race([once(child.stdout, "text"), once(child, "exit")]);
        if (typeof event === "number" || event === null) throw new Error(`exited: ${stderr}`);
      }
      return /listening on (\S+)\n/.exec(stdout)?.[1] ?? "";
    },
  };
}

describe("runMockCommand", () => {
  it("serves with the knobs given as flags and stops cleanly on SIGTERM", async (t) => {
    const cli = runCli([
      "--port",
      "0",
      "--tokens",
      "5",
      "--seed",
      "2",
      "--ttft",
      "1",
      "--gap",
      "0",
    ]);
    t.after(() => cli.child.kill("SIGKILL"));
    const url = await cli.url();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "mock", messages: [{ role: "user", content: "hi" }] }),
    });
    const completion = await response.json();
    assert.equal(completion.choices[0].message.content, mockText({ tokens: 5, seed: 2 }));
    cli.child.kill("SIGTERM");
    const [code] = await once(cli.child, "exit");
    assert.equal(code, 0);
  });

  it("prints its options on --help", async () => {
    const cli = runCli(["--help"]);
    const [code] = await once(cli.child, "exit");
    assert.equal(code, 0);
    assert.match(cli.output().stdout, /--fault F/);
  });

  it("refuses an unknown flag or a bad knob with exit code 2", async () => {
    for (const args of [
      ["--speed", "3"],
      ["--fault", "boom"],
    ]) {
      const cli = runCli(args);
      const [code] = await once(cli.child, "exit");
      assert.equal(code, 2);
      assert.match(cli.output().stderr, /^sluice mock: /);
    }
  });
});
