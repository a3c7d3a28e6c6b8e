import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { collect, fromIterable, iterate, text } from "../pipeline/testing.js";
import type {
  Provider,
  ProviderEmit,
  ProviderEvent,
  ProviderRequest,
} from "../providers/provider.js";
import { MemoryRoutingState } from "./memory-routing-state.js";
import { RoutedModel } from "./routed-model.js";
import type { ModelAlias } from "./routing-settings.js";

type Script = (request: ProviderRequest) => AsyncIterable<ProviderEvent>;

/** A provider that plays a script per call and keeps every request it was asked. */
class ScriptedProvider implements Provider {
  readonly requests: ProviderRequest[] = [];
  constructor(
    readonly name: string,
    readonly script: Script,
  ) {}
  async listModels(): Promise<string[]> {
    return [];
  }
  stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    this.requests.push(request);
    return fromIterable(this.script(request))(signal, emit);
  }
}

const finish: ProviderEvent = { type: "finish", reason: "stop" };

/** A provider whose every call fails with `error` before any event. */
function failing(name: string, error: SluiceError): ScriptedProvider {
  return new ScriptedProvider(name, async function* () {
    yield* [];
    throw error;
  });
}

/** A provider whose every call answers `words` and finishes. */
function answering(name: string, ...words: string[]): ScriptedProvider {
  return new ScriptedProvider(name, async function* () {
    yield* words.map(text);
    yield finish;
  });
}

function upstreamFailure(status: number, retryable: boolean): SluiceError {
  const cause = Object.assign(new Error(`HTTP ${status}`), { status });
  return new SluiceError("api_error", `HTTP ${status}`, { retryable, cause });
}

function routed(
  providers: Record<string, ScriptedProvider>,
  alias: Partial<ModelAlias> = {},
  state = new MemoryRoutingState(),
) {
  return new RoutedModel({
    alias: {
      name: "smart",
      targets: Object.keys(providers).map((name) => `${name}/model`),
      strategy: "fallback",
      continueOnFailure: false,
      failureThreshold: 3,
      cooldownMs: 1000,
      ...alias,
    },
    resolve: (target) => {
      const name = target.slice(0, target.indexOf("/"));
      const provider = providers[name];
      if (!provider) throw new Error(`no ${name}`);
      return { provider, model: "model", id: target };
    },
    state,
    limits: { firstTokenMs: 0, idleMs: 0 },
    retryPolicy: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
  });
}

const request: ProviderRequest = { model: "smart", messages: [{ role: "user", content: "Hi" }] };
const signal = new AbortController().signal;

describe("RoutedModel", () => {
  it("falls back after the first target's retries, says why, and names the target that answered", async () => {
    const first = failing("one", upstreamFailure(503, true));
    const second = answering("two", "Hello");
    const events = await collect(
      iterate(
        (attempt, emit) => routed({ one: first, two: second }).stream(request, attempt, emit),
        signal,
      ),
    );
    assert.equal(first.requests.length, 3);
    assert.deepEqual(events.slice(2, 4), [
      { type: "status", message: "Falling back to two/model: one answered 503" },
      text("Hello"),
    ]);
    assert.deepEqual(events.at(-1), { type: "finish", reason: "stop", model: "two/model" });
    assert.equal(second.requests[0]?.model, "model");
  });

  it("skips a target that answers 401 at once, without retrying it", async () => {
    const first = failing("one", upstreamFailure(401, false));
    const second = answering("two", "Hello");
    const events = await collect(
      iterate(
        (attempt, emit) => routed({ one: first, two: second }).stream(request, attempt, emit),
        signal,
      ),
    );
    assert.equal(first.requests.length, 1);
    assert.deepEqual(events[0], {
      type: "status",
      message: "Falling back to two/model: one answered 401",
    });
  });

  it("does not fall back from a request the upstream refused as invalid", async () => {
    const invalid = new SluiceError("invalid_request", "one: bad", {
      retryable: false,
      cause: Object.assign(new Error("bad"), { status: 400 }),
    });
    const first = failing("one", invalid);
    const second = answering("two");
    await assert.rejects(
      collect(
        iterate(
          (attempt, emit) => routed({ one: first, two: second }).stream(request, attempt, emit),
          signal,
        ),
      ),
      invalid,
    );
    assert.equal(second.requests.length, 0);
  });

  it("continues a cut answer on the next target and adds up the usage, flagged estimated", async () => {
    const first = new ScriptedProvider("one", async function* () {
      yield text("The answer ");
      yield text("is");
      throw new SluiceError("network_error", "The connection to one was lost.");
    });
    const second = new ScriptedProvider("two", async function* () {
      yield text(" 42.");
      yield { type: "usage", promptTokens: 20, completionTokens: 3 };
      yield finish;
    });
    const events = await collect(
      iterate(
        (attempt, emit) =>
          routed({ one: first, two: second }, { continueOnFailure: true }).stream(
            request,
            attempt,
            emit,
          ),
        signal,
      ),
    );
    assert.deepEqual(second.requests[0]?.messages.at(-1), {
      role: "assistant",
      content: "The answer is",
    });
    assert.deepEqual(events.slice(0, 4), [
      text("The answer "),
      text("is"),
      { type: "status", message: "Continuing on two/model: one lost the connection" },
      text(" 42."),
    ]);
    const usage = events.find((event) => event.type === "usage");
    assert.ok(usage?.type === "usage");
    assert.equal(usage.estimated, true);
    // The cut call counted by the gateway: its prompt (a few tokens) and its 3 tokens of text.
    assert.ok(usage.promptTokens > 20 && usage.completionTokens === 3 + 3, JSON.stringify(usage));
  });

  it("never continues an answer with a tool call in flight: the failure is thrown, retryable", async () => {
    const first = new ScriptedProvider("one", async function* () {
      yield { type: "tool_call", index: 0, id: "call_1", name: "lookup", arguments: '{"q":' };
      throw new SluiceError("api_error", "one reported an error mid-stream", { retryable: true });
    });
    const second = answering("two");
    const events: ProviderEvent[] = [];
    await assert.rejects(
      (async () => {
        const stream = routed({ one: first, two: second }, { continueOnFailure: true });
        for await (const event of iterate(
          (attempt, emit) => stream.stream(request, attempt, emit),
          signal,
        ))
          events.push(event);
      })(),
      (error: SluiceError) => error.retryable,
    );
    assert.equal(second.requests.length, 0);
    assert.equal(events.length, 1);
  });

  it("benches a target after its failures in a row and refuses when every target is benched", async () => {
    let now = 0;
    const state = new MemoryRoutingState(() => now);
    const first = failing("one", upstreamFailure(500, true));
    const model = routed({ one: first }, { failureThreshold: 2, cooldownMs: 5000 }, state);
    await assert.rejects(
      collect(iterate((attempt, emit) => model.stream(request, attempt, emit), signal)),
    );
    await model.admit();
    await assert.rejects(
      collect(iterate((attempt, emit) => model.stream(request, attempt, emit), signal)),
    );
    now = 1500;
    await assert.rejects(model.admit(), (error: SluiceError) => {
      assert.equal(error.status, 503);
      assert.equal(error.retryAfterMs, 3500);
      return true;
    });
    now = 5000;
    await model.admit();
  });
});
