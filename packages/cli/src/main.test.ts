import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("./bin.mjs", import.meta.url));

test("an unknown command is named as unknown, with the usage, and exits 2", () => {
  const result = spawnSync(process.execPath, [bin, "frobnicate"], { encoding: "utf8" });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^sluice: unknown command "frobnicate"/);
  assert.match(result.stderr, /Usage: sluice <command>/);
});

test("no command prints the usage and exits 0", () => {
  const result = spawnSync(process.execPath, [bin], { encoding: "utf8" });
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^Usage: sluice <command>/);
});
