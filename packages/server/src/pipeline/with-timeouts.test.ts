import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import type { ProviderEvent } from "../providers/provider.js";
import { ManualClock } from "./manual-clock.js";
import { fromIterable, iterate, text, untilAborted } from "./testing.js";
import { withRetries } from "./with-retries.js";
import { withTimeouts } from "./with-timeouts.js";

/** A provider that yields `events`, then hangs until its signal aborts; `hanging` tells when. */
function hangsAfter(...events: ProviderEvent[]) {
  let reachedHang: () => void = () => undefined;
  const hanging = new Promise<void>((resolve) => {
    reachedHang = resolve;
  });
  const signals: AbortSignal[] = [];
  const open = async function* (signal: AbortSignal): AsyncGenerator<ProviderEvent> {
    signals.push(signal);
    yield* events;
    reachedHang();
    await untilAborted(signal);
  };
  return { open, hanging, signals };
}

const isTimeout = (message: string) => (error: unknown) =>
  error instanceof SluiceError &&
  error.type === "timeout" &&
  error.retryable &&
  error.message === message;

describe("withTimeouts", () => {
  it("aborts the attempt's request and throws timeout when no first token comes in time", async () => {
    const clock = new ManualClock();
    const provider = hangsAfter();
    const events = iterate(
      withTimeouts(fromIterable(provider.open), { firstTokenMs: 30_000, clock }),
      new AbortController().signal,
    );
    const next = events.next();
    await provider.hanging;
    clock.advance(29_999);
    assert.equal(provider.signals[0]?.aborted, false);
    clock.advance(1);
    await assert.rejects(next, isTimeout("No first token within 30s"));
    assert.equal(provider.signals[0]?.aborted, true);
    assert.ok(provider.signals[0]?.reason instanceof SluiceError);
  });

  it("throws timeout when the provider goes silent after tokens", async () => {
    const clock = new ManualClock();
    const provider = hangsAfter(text("Hel"), text("lo"));
    const limits = { firstTokenMs: 30_000, idleMs: 20_000, clock };
    const events = iterate(
      withTimeouts(fromIterable(provider.open), limits),
      new AbortController().signal,
    );
    assert.deepEqual((await events.next()).value, text("Hel"));
    assert.deepEqual((await events.next()).value, text("lo"));
    const next = events.next();
    await provider.hanging;
    clock.advance(19_999);
    assert.equal(provider.signals[0]?.aborted, false);
    clock.advance(1);
    await assert.rejects(next, isTimeout("No token for 20s"));
    assert.equal(provider.signals[0]?.aborted, true);
    assert.equal(clock.pending, 0);
  });

  it("creates a handful of timers for 1,000 events, not one per event", async () => {
    const clock = new ManualClock();
    const open = async function* (): AsyncGenerator<ProviderEvent> {
      for (let index = 0; index < 1000; index++) {
        clock.advance(1);
        yield text("x");
      }
      yield { type: "finish", reason: "stop" };
    };
    const limits = { firstTokenMs: 5000, idleMs: 200, clock };
    let count = 0;
    for await (const _ of iterate(
      withTimeouts(fromIterable(open), limits),
      new AbortController().signal,
    ))
      count++;
    assert.equal(count, 1001);
    // One at the start, one when the idle limit takes over, one per 200 ms of stream.
    assert.ok(clock.created <= 8, `${clock.created} timers`);
    assert.equal(clock.pending, 0);
  });

  it("creates no timer when no limit is set", async () => {
    const clock = new ManualClock();
    const open = async function* (): AsyncGenerator<ProviderEvent> {
      yield text("x");
    };
    for await (const _ of iterate(
      withTimeouts(fromIterable(open), { clock }),
      new AbortController().signal,
    ));
    assert.equal(clock.created, 0);
  });

  it("is retried by withRetries before the first token, and not after it", async () => {
    const clock = new ManualClock();
    const silent = hangsAfter();
    const talking = hangsAfter(text("late"));
    const waits: number[] = [];
    const policy = { random: () => 0, sleep: async (ms: number) => void waits.push(ms) };
    const limits = { firstTokenMs: 30_000, idleMs: 20_000, clock };
    let attempts = 0;
    const events = iterate(
      withRetries((signal, emit) => {
        attempts++;
        const provider = attempts === 1 ? silent : talking;
        return withTimeouts(fromIterable(provider.open), limits)(signal, emit);
      }, policy),
      new AbortController().signal,
    );
    const status = events.next();
    await silent.hanging;
    clock.advance(30_000);
    assert.deepEqual((await status).value, {
      type: "status",
      message: "No response in time, retrying in 0.1s",
    });
    assert.deepEqual((await events.next()).value, text("late"));
    const next = events.next();
    await talking.hanging;
    clock.advance(20_000);
    await assert.rejects(next, isTimeout("No token for 20s"));
    assert.equal(attempts, 2);
  });

  it("ends with the caller's abort reason and aborts the provider's request", async () => {
    const controller = new AbortController();
    const provider = hangsAfter(text("a"));
    const clock = new ManualClock();
    const events = iterate(
      withTimeouts(fromIterable(provider.open), { idleMs: 1000, clock }),
      controller.signal,
    );
    await events.next();
    const next = events.next();
    const reason = new Error("cancelled");
    controller.abort(reason);
    await assert.rejects(next, (error: unknown) => error === reason);
    assert.equal(provider.signals[0]?.aborted, true);
    assert.equal(clock.pending, 0);
  });

  it("aborts the provider's request and clears its timer when the caller stops early", async () => {
    const provider = hangsAfter(text("a"), text("b"));
    const clock = new ManualClock();
    const limits = { firstTokenMs: 1000, clock };
    for await (const _ of iterate(
      withTimeouts(fromIterable(provider.open), limits),
      new AbortController().signal,
    ))
      break;
    assert.equal(provider.signals[0]?.aborted, true);
    assert.equal(clock.pending, 0);
  });
});
