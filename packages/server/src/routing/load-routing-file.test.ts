import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadRoutingFile } from "./load-routing-file.js";

const folder = mkdtempSync(join(tmpdir(), "sluice-routing-"));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

function write(text: string, extension = "yaml"): string {
  const path = join(folder, `config-${files++}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const environment = { OPENAI_EU_KEY: "sk-eu" };
const builtIn = ["demo", "openai", "anthropic"];

function refusal(text: string, pattern: RegExp, env: NodeJS.ProcessEnv = environment): void {
  const path = write(text);
  assert.throws(
    () => loadRoutingFile(path, env, builtIn),
    (error: Error) => {
      assert.ok(error.message.startsWith(`SLUICE_CONFIG ${path}:`), error.message);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe("loadRoutingFile", () => {
  it("reads provider instances and aliases, with the defaults filled in", () => {
    const path = write(`
providers:
  openai-eu: {type: openai, base_url: "https://eu.example.com/v1", api_key_env: OPENAI_EU_KEY}
models:
  smart:
    targets: [openai-eu/gpt-4o, anthropic/claude-sonnet-4-5]
    continue_on_failure: true
  cheap: {targets: [openai/gpt-4o-mini, smart], strategy: round-robin, failure_threshold: 2, cooldown_ms: 500}
`);
    const settings = loadRoutingFile(path, environment, builtIn);
    assert.deepEqual(settings.providers, [
      { name: "openai-eu", type: "openai", apiKey: "sk-eu", baseURL: "https://eu.example.com/v1" },
    ]);
    assert.deepEqual(settings.aliases, [
      {
        name: "smart",
        targets: ["openai-eu/gpt-4o", "anthropic/claude-sonnet-4-5"],
        strategy: "fallback",
        continueOnFailure: true,
        failureThreshold: 3,
        cooldownMs: 30_000,
      },
      {
        name: "cheap",
        targets: ["openai/gpt-4o-mini", "openai-eu/gpt-4o", "anthropic/claude-sonnet-4-5"],
        strategy: "round-robin",
        continueOnFailure: false,
        failureThreshold: 2,
        cooldownMs: 500,
      },
    ]);
  });

  it("reads the README's example file", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const example = /```yaml\n(# sluice\.yaml[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, "the README's routing section has its example file");
    const settings = loadRoutingFile(
      write(example),
      { OPENAI_EU_KEY: "k", OLLAMA_KEY: "k" },
      builtIn,
    );
    assert.deepEqual(
      settings.providers.map((provider) => provider.name),
      ["openai-eu", "ollama"],
    );
    assert.deepEqual(
      settings.aliases.map((alias) => [alias.name, alias.strategy, alias.targets.length]),
      [
        ["smart", "fallback", 2],
        ["fast", "round-robin", 2],
        ["everything", "fallback", 3],
      ],
    );
  });

  it("reads JSON, which is YAML", () => {
    const path = write('{"models": {"fast": {"targets": ["demo/default"]}}}', "json");
    assert.deepEqual(
      loadRoutingFile(path, {}, builtIn).aliases.map((alias) => alias.targets),
      [["demo/default"]],
    );
  });

  it("says the file, line and column of a syntax error", () => {
    refusal("models:\n  smart: {targets: [openai/a\n", /:3:1: /);
  });

  it("names the key and its line when the schema refuses a value", () => {
    refusal(
      "models:\n  smart:\n    targets: [openai/a]\n    strategy: random\n",
      /:4:5: models\.smart\.strategy: /,
    );
  });

  it("names an unknown key", () => {
    refusal(
      "models:\n  smart:\n    targets: [openai/a]\n    retries: 3\n",
      /:4:5: models\.smart\.retries: unknown key/,
    );
  });

  it("refuses a target that names no configured provider", () => {
    refusal(
      "models:\n  smart:\n    targets: [openai/a, azure/gpt-4o]\n",
      /:3:25: models\.smart\.targets\.1: "azure\/gpt-4o" names no configured provider/,
    );
    refusal("models:\n  smart:\n    targets: [gpt-4o]\n", /"gpt-4o" names no alias/);
  });

  it("refuses a cycle of aliases", () => {
    refusal(
      "models:\n  a: {targets: [b]}\n  b: {targets: [openai/x, a]}\n",
      /the aliases form a cycle: a → b → a/,
    );
  });

  it("refuses a provider whose key variable is unset, naming the variable", () => {
    refusal(
      "providers:\n  openai-eu: {type: openai, api_key_env: OPENAI_EU_KEY}\n",
      /:2:29: providers\.openai-eu\.api_key_env: the environment variable OPENAI_EU_KEY is not set/,
      {},
    );
  });

  it("says when the file cannot be read", () => {
    assert.throws(
      () => loadRoutingFile(join(folder, "missing.yaml"), {}, builtIn),
      /SLUICE_CONFIG .*missing\.yaml cannot be read/,
    );
  });
});
