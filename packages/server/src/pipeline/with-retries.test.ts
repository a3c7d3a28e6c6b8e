import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import type { ProviderEvent } from "../providers/provider.js";
import { collect, fromIterable, iterate, text, untilAborted } from "./testing.js";
import {
  defaultRetryPolicy,
  type RetryPolicy,
  retryPolicyFrom,
  withRetries,
} from "./with-retries.js";

type Step = ProviderEvent | Error;

/** A provider whose n-th attempt plays the n-th script; the last script repeats. */
function scripted(...scripts: Step[][]) {
  const signals: AbortSignal[] = [];
  const open = (signal: AbortSignal) => {
    signals.push(signal);
    return play(scripts[Math.min(signals.length, scripts.length) - 1] ?? []);
  };
  return { open, signals };
}

async function* play(steps: Step[]): AsyncGenerator<ProviderEvent> {
  for (const step of steps) {
    if (step instanceof Error) throw step;
    yield step;
  }
}

/** A policy that records its waits instead of waiting. */
function recording(overrides: Partial<RetryPolicy> = {}) {
  const waits: number[] = [];
  const policy: Partial<RetryPolicy> = {
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  };
  return { policy, waits };
}

const stop: ProviderEvent = { type: "finish", reason: "stop" };
const rateLimit = (retryAfterMs?: number) =>
  new SluiceError("rate_limit", "429 Too Many Requests", { retryAfterMs });
const serverError = () => new SluiceError("api_error", "500 Internal Server Error");
const statuses = (events: ProviderEvent[]) =>
  events.flatMap((event) => (event.type === "status" ? [event.message] : []));

describe("withRetries", () => {
  it("retries a 429 before the first token, says so, and waits the upstream's retry-after", async () => {
    const provider = scripted([rateLimit(2000)], [text("Hello"), stop]);
    const { policy, waits } = recording();
    const events = await collect(
      iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
    );
    assert.deepEqual(events, [
      { type: "status", message: "Rate limited, retrying in 2s" },
      text("Hello"),
      stop,
    ]);
    assert.deepEqual(waits, [2000]);
  });

  it("backs off exponentially with full jitter, capped at maxDelayMs", async () => {
    const provider = scripted([serverError()], [serverError()], [serverError()], [stop]);
    const { policy, waits } = recording({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 1000 });
    const events = await collect(
      iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
    );
    assert.deepEqual(waits, [250, 500, 500]);
    assert.deepEqual(statuses(events), [
      "Provider error, retrying in 0.3s",
      "Provider error, retrying in 0.5s",
      "Provider error, retrying in 0.5s",
    ]);
  });

  it("honours a retry-after beyond maxDelayMs, up to 60 s", async () => {
    const provider = scripted([rateLimit(30_000)], [rateLimit(600_000)], [stop]);
    const { policy, waits } = recording();
    const events = await collect(
      iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
    );
    assert.deepEqual(waits, [30_000, 60_000]);
    assert.deepEqual(statuses(events), [
      "Rate limited, retrying in 30s",
      "Rate limited, retrying in 60s",
    ]);
  });

  it("names the cause of each wait", async () => {
    const provider = scripted(
      [new SluiceError("network_error", "ECONNRESET")],
      [new SluiceError("timeout", "No first token within 30s")],
      [stop],
    );
    const { policy } = recording({ random: () => 1 });
    const events = await collect(
      iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
    );
    assert.deepEqual(statuses(events), [
      "Connection failed, retrying in 0.5s",
      "No response in time, retrying in 1s",
    ]);
  });

  it("gives up on a provider that always rate-limits with a retryable rate_limit error", async () => {
    const last = rateLimit(1000);
    const provider = scripted([rateLimit(1000)], [rateLimit(1000)], [last]);
    const { policy, waits } = recording();
    const events: ProviderEvent[] = [];
    let error: unknown;
    try {
      for await (const event of iterate(
        withRetries(fromIterable(provider.open), policy),
        new AbortController().signal,
      )) {
        events.push(event);
      }
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof SluiceError);
    assert.equal(error.type, "rate_limit");
    assert.equal(error.retryable, true);
    assert.equal(error.cause, last);
    assert.match(error.message, /3 attempts.*429 Too Many Requests/);
    assert.equal(provider.signals.length, 3);
    assert.equal(waits.length, 2);
    assert.equal(statuses(events).length, 2);
  });

  it("gives up after three 500s with max_retries", async () => {
    const provider = scripted([serverError()]);
    const { policy } = recording();
    await assert.rejects(
      collect(
        iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
      ),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.type === "max_retries" &&
        error.retryable &&
        /3 attempts.*500 Internal Server Error/.test(error.message) &&
        error.cause instanceof SluiceError &&
        error.cause.type === "api_error",
    );
    assert.equal(provider.signals.length, 3);
  });

  it("does not retry a failure after text went out, so no text is repeated", async () => {
    const failure = serverError();
    const provider = scripted([text("Hel"), failure], [text("Hello"), stop]);
    const { policy, waits } = recording();
    const seen: ProviderEvent[] = [];
    await assert.rejects(
      async () => {
        for await (const event of iterate(
          withRetries(fromIterable(provider.open), policy),
          new AbortController().signal,
        )) {
          seen.push(event);
        }
      },
      (error: unknown) => error === failure,
    );
    assert.deepEqual(seen, [text("Hel")]);
    assert.equal(provider.signals.length, 1);
    assert.deepEqual(waits, []);
  });

  it("does not retry a failure after a tool call delta", async () => {
    const failure = new SluiceError("network_error");
    const toolCall: ProviderEvent = { type: "tool_call", index: 0, id: "call_1", name: "f" };
    const provider = scripted([toolCall, failure]);
    const { policy } = recording();
    await assert.rejects(
      collect(
        iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
      ),
      (error: unknown) => error === failure,
    );
    assert.equal(provider.signals.length, 1);
  });

  it("rethrows errors that are not retryable without retrying", async () => {
    for (const failure of [new SluiceError("invalid_request", "bad"), new TypeError("bug")]) {
      const provider = scripted([failure], [stop]);
      const { policy } = recording();
      await assert.rejects(
        collect(
          iterate(withRetries(fromIterable(provider.open), policy), new AbortController().signal),
        ),
        (error: unknown) => error === failure,
      );
      assert.equal(provider.signals.length, 1);
    }
  });

  it("aborts each attempt's request before the next attempt starts", async () => {
    const provider = scripted([serverError()], [stop]);
    let firstAbortedBeforeSecond = false;
    const open = (signal: AbortSignal) => {
      if (provider.signals.length === 1)
        firstAbortedBeforeSecond = provider.signals[0]?.aborted ?? false;
      return provider.open(signal);
    };
    const { policy } = recording();
    await collect(iterate(withRetries(fromIterable(open), policy), new AbortController().signal));
    assert.equal(firstAbortedBeforeSecond, true);
    assert.notEqual(provider.signals[0], provider.signals[1]);
  });

  it("ends at once when aborted during a wait, throwing the abort reason", async () => {
    const provider = scripted([rateLimit(60_000)], [stop]);
    const controller = new AbortController();
    const reason = new Error("client went away");
    const events = iterate(withRetries(fromIterable(provider.open), {}), controller.signal);
    const first = await events.next();
    assert.deepEqual(first.value, { type: "status", message: "Rate limited, retrying in 60s" });
    const waiting = events.next();
    controller.abort(reason);
    await assert.rejects(waiting, (error: unknown) => error === reason);
    assert.equal(provider.signals.length, 1);
  });

  it("aborts the attempt's request when the caller's signal aborts mid-stream", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped");
    let attemptSignal: AbortSignal | undefined;
    const open = async function* (signal: AbortSignal): AsyncGenerator<ProviderEvent> {
      attemptSignal = signal;
      yield text("Hi");
      await untilAborted(signal);
    };
    const events = iterate(withRetries(fromIterable(open), {}), controller.signal);
    assert.deepEqual((await events.next()).value, text("Hi"));
    const next = events.next();
    controller.abort(reason);
    await assert.rejects(next, (error: unknown) => error === reason);
    assert.equal(attemptSignal?.aborted, true);
  });

  it("aborts the attempt's request when the caller stops reading early", async () => {
    const provider = scripted([text("a"), text("b"), stop]);
    for await (const _ of iterate(
      withRetries(fromIterable(provider.open), {}),
      new AbortController().signal,
    ))
      break;
    assert.equal(provider.signals[0]?.aborted, true);
  });

  it("fills a partial policy with the defaults and refuses impossible ones", () => {
    assert.deepEqual(retryPolicyFrom({ maxAttempts: undefined }), defaultRetryPolicy);
    assert.equal(retryPolicyFrom({ maxAttempts: 5 }).maxAttempts, 5);
    assert.throws(() => retryPolicyFrom({ maxAttempts: 0 }), RangeError);
    assert.throws(() => retryPolicyFrom({ baseDelayMs: 9000 }), RangeError);
  });
});
