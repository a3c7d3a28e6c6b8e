import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { mockTokens } from "@sluice/mock";
import { AnthropicProvider } from "./anthropic-provider.js";
import { collectProviderEvents } from "./collect-provider-events.js";
import {
  ask,
  isSluiceError,
  providerContractTests,
  weatherTool,
} from "./provider-contract-tests.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";

const apiKey = "sk-ant-test-0123456789abcdef";

describe("AnthropicProvider against the mock upstream", () => {
  const upstream = providerContractTests({
    apiKey,
    baseURL: (mockUrl) => mockUrl,
    create: (baseURL) => new AnthropicProvider({ apiKey, baseURL }),
    baseURLVariable: "ANTHROPIC_BASE_URL",
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

  it("sends the headers the SDK sends (anthropic-version, credentials, its custom headers)", async (t) => {
    // An upstream that keeps each request's headers and path and answers a 400.
    const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
    const recorder = createServer((request, response) => {
      seen.push({ url: request.url, headers: request.headers });
      request.resume();
      response.writeHead(400, { "content-type": "application/json" });
      response.end('{"type":"error","error":{"type":"invalid_request_error","message":"no"}}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    t.after(() => recorder.close());
    const baseURL = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/prefix`;
    process.env.ANTHROPIC_CUSTOM_HEADERS = "x-team: sluice";
    t.after(() => delete process.env.ANTHROPIC_CUSTOM_HEADERS);
    const sdk = new Anthropic({ apiKey, baseURL, ...UPSTREAM_SDK_OPTIONS });
    await sdk.messages
      .create({ model: "m", max_tokens: 5, messages: [], stream: true })
      .catch(() => undefined);
    const provider = new AnthropicProvider({ apiKey, baseURL });
    const { error } = await collectProviderEvents((emit) =>
      provider.stream(ask("m"), AbortSignal.timeout(5000), emit),
    );
    assert.ok(isSluiceError("invalid_request", false)(error), String(error));
    const [bySdk, byProvider] = seen;
    assert.equal(byProvider?.url, "/prefix/v1/messages");
    assert.equal(byProvider?.url, bySdk?.url);
    const sdkHeaders = Object.entries(bySdk?.headers ?? {}).filter(([name]) =>
      /^(anthropic-|x-stainless-|x-api-key$|authorization$|user-agent$|accept$|content-type$|x-team$)/.test(
        name,
      ),
    );
    assert.ok(sdkHeaders.some(([name]) => name === "anthropic-version"));
    assert.ok(sdkHeaders.some(([name]) => name === "x-team"));
    assert.deepEqual(
      sdkHeaders,
      sdkHeaders.map(([name]) => [name, byProvider?.headers[name]]),
    );
  });
});
