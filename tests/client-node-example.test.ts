import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { mockText } from "@sluice/mock";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

const run = promisify(execFile);

describe("the README's Node example (packages/client/examples/stream-in-node.ts)", () => {
  const servers = useMockAndGateway();

  test("prints the exact text of the answer, and its figures on stderr", async () => {
    const model = "openai/mock?tokens=90&seed=8&gap=1&ttft=1";
    const { stdout, stderr } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "packages/client/examples/stream-in-node.ts",
        servers.gateway.url,
        "Hello",
        model,
      ],
      { timeout: 60_000 },
    );
    assert.equal(stdout, mockText({ tokens: 90, seed: 8 }));
    assert.match(stderr, /90 tokens in [\d.]+ s/);
  });
});
