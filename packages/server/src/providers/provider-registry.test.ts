import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type MockServer, startMock } from "@sluice/mock";
import { SluiceError } from "@sluice/protocol";
import { ProviderRegistry } from "./provider-registry.js";

const openai = { apiKey: "sk-test-openai" };
const anthropic = { apiKey: "sk-ant-test" };

function isNotFound(error: unknown): boolean {
  return error instanceof SluiceError && error.type === "not_found" && error.param === "model";
}

describe("ProviderRegistry", () => {
  it("resolves provider/model names, keeping everything after the first slash", () => {
    const registry = new ProviderRegistry({ openai, anthropic });
    const mock = registry.resolve("openai/mock?tokens=5&fault=drop");
    assert.equal(mock.provider.name, "openai");
    assert.equal(mock.model, "mock?tokens=5&fault=drop");
    assert.equal(mock.id, "openai/mock?tokens=5&fault=drop");
    const nested = registry.resolve("anthropic/org/claude-sonnet-4-5");
    assert.equal(nested.provider.name, "anthropic");
    assert.equal(nested.model, "org/claude-sonnet-4-5");
    assert.equal(registry.resolve("demo/default").provider.name, "demo");
  });

  it("defaults to the demo model when no key is set", () => {
    const resolved = new ProviderRegistry().resolve(undefined);
    assert.equal(resolved.id, "demo/default");
    assert.equal(resolved.provider.name, "demo");
  });

  it("defaults to OpenAI, else Anthropic, else the configured DEFAULT_MODEL", () => {
    assert.equal(
      new ProviderRegistry({ openai, anthropic }).resolve(undefined).id,
      "openai/gpt-4o-mini",
    );
    assert.equal(
      new ProviderRegistry({ anthropic }).resolve(undefined).id,
      "anthropic/claude-sonnet-4-5",
    );
    const chosen = new ProviderRegistry({
      openai,
      anthropic,
      defaultModel: "anthropic/claude-haiku-4-5",
    });
    assert.equal(chosen.resolve(undefined).id, "anthropic/claude-haiku-4-5");
    assert.equal(chosen.resolve("").id, "anthropic/claude-haiku-4-5");
  });

  it("reports unknown and unconfigured providers as not_found, naming the configured ones", () => {
    const registry = new ProviderRegistry({ openai });
    for (const model of [
      "anthropic/claude-sonnet-4-5",
      "mistral/large",
      "gpt-4o-mini",
      "openai/",
    ]) {
      assert.throws(() => registry.resolve(model), isNotFound, model);
    }
    assert.throws(() => registry.resolve("anthropic/claude-sonnet-4-5"), /demo\/…, openai\/…/);
  });

  it("answers not_found for a model the demo does not have", () => {
    const registry = new ProviderRegistry();
    assert.throws(() => registry.resolve("demo/nosuch"), isNotFound);
    assert.throws(() => registry.resolve("demo/nosuch"), /demo has no model "nosuch"/);
  });

  describe("listModels", () => {
    let mock: MockServer;
    before(async () => {
      mock = await startMock({ models: ["mock", "mock-large"] });
    });
    after(() => mock.close());

    it("lists the demo's model and each reachable upstream's, as provider/model", async () => {
      const registry = new ProviderRegistry({
        openai: { ...openai, baseURL: `${mock.url}/v1` },
        anthropic: { ...anthropic, baseURL: mock.url },
      });
      const { models, unavailable } = await registry.listModels(AbortSignal.timeout(5000));
      assert.deepEqual(unavailable, []);
      assert.deepEqual(models.sort(), [
        "anthropic/mock",
        "anthropic/mock-large",
        "demo/default",
        "openai/mock",
        "openai/mock-large",
      ]);
    });

    it("names, and logs, an upstream that cannot list its models", async () => {
      const warnings: object[] = [];
      const registry = new ProviderRegistry({
        openai: { ...openai, baseURL: `${mock.url}/nowhere` },
        logger: { warn: (details) => void warnings.push(details), debug: () => {} },
      });
      const { models, unavailable } = await registry.listModels(AbortSignal.timeout(5000));
      assert.deepEqual(models, ["demo/default"]);
      assert.equal(unavailable.length, 1);
      assert.equal(unavailable[0]?.provider, "openai");
      assert.equal(unavailable[0]?.host, new URL(mock.url).host);
      assert.equal(unavailable[0]?.error.type, "invalid_request");
      assert.ok(!JSON.stringify(unavailable).includes(openai.apiKey));
      assert.equal(warnings.length, 1);
      assert.ok(!JSON.stringify(warnings).includes(openai.apiKey));
    });

    it("rethrows the abort when the signal fires", async () => {
      const controller = new AbortController();
      const reason = new Error("gone");
      controller.abort(reason);
      const registry = new ProviderRegistry({ openai: { ...openai, baseURL: `${mock.url}/v1` } });
      await assert.rejects(registry.listModels(controller.signal), (error) => error === reason);
    });
  });
});
