import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { type MockServer, mockText, mockTokens, startMock } from "@sluice/mock";
import { SluiceError } from "@sluice/protocol";
import { type CollectedProviderEvents, collectProviderEvents } from "./collect-provider-events.js";
import { startNewlineFlood } from "./newline-flood.js";
import type { Provider, ProviderRequest } from "./provider.js";

/** A tool the provider tests offer the model. */
export const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

/** A one-message request for `model`, with `fields` on top. */
export function ask(model: string, fields: Partial<ProviderRequest> = {}): ProviderRequest {
  return { model, messages: [{ role: "user", content: "Hello" }], ...fields };
}

/** Whether a thrown value is a `SluiceError` of `type` that is (not) retryable. */
export function isSluiceError(type: string, retryable: boolean) {
  return (error: unknown) =>
    error instanceof SluiceError && error.type === type && error.retryable === retryable;
}

/** How the shared tests build and fail one upstream provider against the mock. */
export interface ProviderContractOptions {
  /** The key the provider is built with; no error may echo it. */
  apiKey: string;
  /** Where the provider's API is on a mock upstream at `mockUrl`. */
  baseURL(mockUrl: string): string;
  /** The provider under test, calling the API at `baseURL` (undefined: the SDK's default). */
  create(baseURL: string | undefined): Provider;
  /** The environment variable the provider's SDK reads its base URL from (`OPENAI_BASE_URL`). */
  baseURLVariable: string;
  /** The upstream statuses that must come back as retryable `api_error`s. */
  serverErrorStatuses: number[];
  /** What the error the upstream sends in the middle of a stream says. */
  inBandErrorMessage: RegExp;
}

/** The mock and the provider of a suite, readable once the suite has started. */
export interface ProviderContract {
  readonly mock: MockServer;
  readonly provider: Provider;
  /** Streams `request` from the provider to its end (10 s unless `signal` says otherwise). */
  stream(request: ProviderRequest, signal?: AbortSignal): Promise<CollectedProviderEvents>;
}

/**
 * Registers, in the current `describe`, a mock upstream without delays (reset before each
 * test, closed after them) and the tests every upstream provider must pass against it: exact
 * text, finish reasons, HTTP and in-band failures, cancellation and the model list.
 */
export function providerContractTests(options: ProviderContractOptions): ProviderContract {
  let mock: MockServer | undefined;
  let provider: Provider | undefined;
  const contract: ProviderContract = {
    get mock() {
      if (!mock) throw new Error("The mock starts in the suite's before hook.");
      return mock;
    },
    get provider() {
      if (!provider) throw new Error("The provider is built in the suite's before hook.");
      return provider;
    },
    stream: (request, signal = AbortSignal.timeout(10_000)) =>
      collectProviderEvents((emit) => contract.provider.stream(request, signal, emit)),
  };
  const { stream } = contract;

  before(async () => {
    mock = await startMock({ ttftMs: 0, gapMs: 0 });
    provider = options.create(options.baseURL(mock.url));
  });
  beforeEach(() => contract.mock.reset());
  after(() => mock?.close());

  it("streams the exact text, tricky tokens included, then one usage, then finish", async () => {
    const { events, text, error } = await stream(ask("mock?tokens=80"));
    assert.equal(error, undefined);
    assert.equal(text, mockText({ tokens: 80 }));
    assert.equal(events.filter((event) => event.type === "text").length, 80);
    const [usage, finish] = events.slice(-2);
    assert.ok(usage?.type === "usage" && usage.completionTokens === 80 && usage.promptTokens > 0);
    assert.equal(events.filter((event) => event.type === "usage").length, 1);
    assert.deepEqual(finish, { type: "finish", reason: "stop" });
  });

  it("finishes with length when max_tokens cuts the answer", async () => {
    const { text, events } = await stream(ask("mock?tokens=30", { max_tokens: 5 }));
    assert.equal(text, mockTokens({ tokens: 30 }).slice(0, 5).join(""));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "length" });
  });

  it("finishes with content_filter when the upstream refuses or filters the answer", async () => {
    const { text, events, error } = await stream(
      ask("mock?tokens=30&fault=content_filter&after=4"),
    );
    assert.equal(error, undefined);
    assert.equal(text, mockTokens({ tokens: 30 }).slice(0, 4).join(""));
    assert.deepEqual(events.at(-1), { type: "finish", reason: "content_filter" });
  });

  it("reports a 429 as a retryable rate_limit with the wait the upstream asked for", async () => {
    const { events, error } = await stream(ask("mock?fault=429&retry_after=3"));
    assert.deepEqual(events, []);
    assert.ok(isSluiceError("rate_limit", true)(error), String(error));
    assert.equal((error as SluiceError).retryAfterMs, 3000);
  });

  it(`an upstream ${options.serverErrorStatuses.join(" or ")} is a retryable api_error the provider does not retry itself`, async () => {
    for (const status of options.serverErrorStatuses) {
      contract.mock.reset();
      const { error } = await stream(ask(`mock?fault=${status}`));
      assert.ok(isSluiceError("api_error", true)(error), String(error));
      assert.equal((error as SluiceError).status, status);
      assert.equal(contract.mock.stats().requests, 1);
    }
  });

  it("throws an in-band error as a retryable api_error after the text before it", async () => {
    const { text, events, error } = await stream(ask("mock?tokens=20&fault=error&after=6"));
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 6).join(""));
    assert.ok(events.every((event) => event.type === "text"));
    assert.ok(isSluiceError("api_error", true)(error), String(error));
    assert.match((error as SluiceError).message, options.inBandErrorMessage);
  });

  it("throws a network_error when the connection drops mid-stream", async () => {
    const { text, error } = await stream(ask("mock?tokens=20&fault=drop&after=5"));
    assert.equal(text, mockTokens({ tokens: 20 }).slice(0, 5).join(""));
    assert.ok(isSluiceError("network_error", true)(error), String(error));
  });

  it("reports an upstream 404 as a final invalid_request, without echoing the key", async () => {
    const misdirected = options.create(`${contract.mock.url}/nowhere`);
    const { error } = await collectProviderEvents((emit) =>
      misdirected.stream(ask("mock"), AbortSignal.timeout(5000), emit),
    );
    assert.ok(isSluiceError("invalid_request", false)(error), String(error));
    assert.ok(!(error as SluiceError).message.includes(options.apiKey));
  });

  it("closes the upstream stream at once when the signal fires mid-stream", async () => {
    const controller = new AbortController();
    const reason = new Error("client went away");
    const { events, error } = await collectProviderEvents(
      (emit) => contract.provider.stream(ask("mock?tokens=1000&gap=20"), controller.signal, emit),
      (_event, seen) => {
        if (seen.length === 3) controller.abort(reason);
      },
    );
    assert.equal(error, reason);
    assert.equal(events.length, 3);
    await contract.mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1);
  });

  it("ends with a final api_error at the 1 MiB line bound when the upstream never sends a newline", async (t) => {
    const flood = await startNewlineFlood();
    t.after(() => flood.close());
    const provider = options.create(options.baseURL(flood.url));
    const { events, error } = await collectProviderEvents((emit) =>
      provider.stream(ask("mock"), AbortSignal.timeout(60_000), emit),
    );
    assert.deepEqual(events, []);
    assert.ok(isSluiceError("api_error", false)(error), String(error));
    assert.match((error as SluiceError).message, /longer than 1048576 characters/);
    // It hung up at the bound: the upstream had 200 MiB to give.
    assert.ok(flood.bytesSent < 50 * 1024 * 1024, `the upstream sent ${flood.bytesSent} bytes`);
  });

  it("reads its base URL from the SDK's environment variable, and names that host", async (t) => {
    process.env[options.baseURLVariable] = options.baseURL(contract.mock.url);
    t.after(() => delete process.env[options.baseURLVariable]);
    const fromEnvironment = options.create(undefined);
    assert.equal(fromEnvironment.host, new URL(contract.mock.url).host);
    const { text, error } = await collectProviderEvents((emit) =>
      fromEnvironment.stream(ask("mock?tokens=12"), AbortSignal.timeout(10_000), emit),
    );
    assert.equal(error, undefined);
    assert.equal(text, mockText({ tokens: 12 }));
  });

  it("lists the upstream's models", async () => {
    assert.deepEqual(await contract.provider.listModels(AbortSignal.timeout(5000)), ["mock"]);
  });

  return contract;
}
