import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mockTokens } from "@sluice/mock";
import { AnthropicProvider } from "./anthropic-provider.js";
import { ask, providerContractTests, weatherTool } from "./provider-contract-tests.js";

const apiKey = "sk-ant-test-0123456789abcdef";

describe("AnthropicProvider against the mock upstream", () => {
  const upstream = providerContractTests({
    apiKey,
    baseURL: (mockUrl) => mockUrl,
    create: (baseURL) => new AnthropicProvider({ apiKey, baseURL }),
    serverErrorStatuses: [500, 529],
    inBandErrorMessage: /Overloaded/,
  });

  it("turns tool_use blocks into tool-call deltas: id and name first, then argument fragments", async () => {
    const { events } = await upstream.stream(
      ask("mock?tool=1&tokens=12", { tools: [weatherTool] }),
    );
    const calls = events.filter((event) => event.type === "tool_call");
    assert.deepEqual(
      { index: calls[0]?.index, name: calls[0]?.name, arguments: calls[0]?.arguments },
      { index: 0, name: "get_weather", arguments: undefined },
    );
    assert.match(String(calls[0]?.id), /^toolu_/);
    assert.ok(calls.every((call) => call.index === 0));
    const fragments = calls.slice(1).map((call) => call.arguments);
    assert.deepEqual(fragments, mockTokens({ tokens: 12, json: true }));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "tool_calls" });
  });
});
