import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import type { ProviderEvent } from "../providers/provider.js";
import { ManualClock } from "./manual-clock.js";
import { type SmoothMode, smoothText } from "./smooth-text.js";
import { collect, fromIterable, iterate, text, untilAborted } from "./testing.js";

/** A provider that yields `pieces` as text events, advancing `clock` by `gaps[i]` before each. */
async function* pieces(
  values: readonly string[],
  clock?: ManualClock,
  gaps: readonly number[] = [],
): AsyncGenerator<ProviderEvent> {
  for (const [index, value] of values.entries()) {
    const gap = gaps[index] ?? 0;
    if (clock && gap > 0) clock.advance(gap);
    yield text(value);
  }
}

const texts = (events: ProviderEvent[]) =>
  events.flatMap((event) => (event.type === "text" ? [event.text] : []));

async function smoothed(values: string[], mode: SmoothMode, clock = new ManualClock()) {
  return texts(
    await collect(iterate(smoothText(fromIterable(pieces(values)), mode, { clock }), neverAborted)),
  );
}

const neverAborted = new AbortController().signal;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Whether two neighbouring events cut a "\r\n" or a surrogate pair in two. */
function cutsPair(before: string, after: string): boolean {
  const last = before.charCodeAt(before.length - 1);
  const first = after.charCodeAt(0);
  return (last === 0x0d && first === 0x0a) || (isHighSurrogate(last) && isLowSurrogate(first));
}

/** A small seeded generator, so that a failing split can be reproduced. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe("smoothText", () => {
  it("cuts text after the last whitespace in word mode", async () => {
    const events = await smoothed(["Hel", "lo, wo", "rld! How", " are you"], "word");
    assert.deepEqual(events, ["Hello, ", "world! ", "How are ", "you"]);
  });

  it("cuts text after the last line feed in line mode, keeping \\r\\n whole", async () => {
    const events = await smoothed(["# Title\r", "\nSome text", " more\n- item"], "line");
    assert.deepEqual(events, ["# Title\r\n", "Some text more\n", "- item"]);
  });

  it("does not cut a \\r\\n split across two events in word mode", async () => {
    const events = await smoothed(["Hello\r", "\nworld", " again"], "word");
    assert.deepEqual(events, ["Hello\r\n", "world ", "again"]);
  });

  it("does not cut a \\r\\n or a surrogate pair when the hold time runs out", async () => {
    const clock = new ManualClock();
    const source = pieces(["Hi\r", "\nthere\uD83D", "\uDE00!"], clock, [0, 100, 100]);
    const events = texts(
      await collect(iterate(smoothText(fromIterable(source), "word", { clock }), neverAborted)),
    );
    assert.equal(events.join(""), "Hi\r\nthere\uD83D\uDE00!");
    assert.deepEqual(events, ["Hi", "\r\n", "there", "\uD83D\uDE00!"]);
  });

  it("flushes a 5 KB token without spaces after maxHoldMs while the provider is silent", async () => {
    const controller = new AbortController();
    const token = "x".repeat(5 * 1024);
    const silentAfterToken = async function* (): AsyncGenerator<ProviderEvent> {
      yield text(token);
      await untilAborted(controller.signal);
    };
    const events = iterate(
      smoothText(fromIterable(silentAfterToken()), "word", { maxHoldMs: 20 }),
      controller.signal,
    );
    assert.deepEqual((await events.next()).value, text(token));
    const next = events.next();
    const reason = new Error("done");
    controller.abort(reason);
    await assert.rejects(next, (error: unknown) => error === reason);
  });

  it("loses, adds and splits nothing, for random chunkings and hold expiries", async () => {
    const sample =
      "Hello, world!\r\nLine two\twith tabs\u00a0and a no-break space.\n\n" +
      "Emoji 😀👩‍👩‍👧 and a flag 🇫🇷, CJK 你好世界, combining e\u0301, astral 𝕏𝕐.\r\n" +
      "Code: `const x = 1;`\r\r\n  indented\u2003em space  end";
    const random = seeded(42);
    for (const mode of ["word", "line"] as const) {
      for (let round = 0; round < 100; round++) {
        const chunks: string[] = [];
        for (let start = 0; start < sample.length; ) {
          const length = 1 + Math.floor(random() * 6);
          chunks.push(sample.slice(start, start + length));
          start += length;
        }
        const gaps = chunks.map(() => (random() < 0.2 ? 100 : 0));
        const clock = new ManualClock();
        const source = pieces(chunks, clock, gaps);
        const events = texts(
          await collect(iterate(smoothText(fromIterable(source), mode, { clock }), neverAborted)),
        );
        assert.equal(events.join(""), sample, `${mode} round ${round}`);
        for (let index = 1; index < events.length; index++) {
          const [before, after] = [events[index - 1] ?? "", events[index] ?? ""];
          assert.ok(!cutsPair(before, after), `${mode} round ${round}: ${before} | ${after}`);
          assert.notEqual(before, "");
        }
      }
    }
  });

  it("ends every event but the last at a boundary when text flows", async () => {
    const sample = "The quick brown fox\r\njumps over the lazy dog.\nAnd again.";
    const chunks = sample.match(/.{1,3}/gs) ?? [];
    const words = await smoothed(chunks, "word");
    assert.equal(words.join(""), sample);
    for (const event of words.slice(0, -1)) assert.match(event, /\s$/);
    const lines = await smoothed(chunks, "line");
    assert.deepEqual(lines, [
      "The quick brown fox\r\n",
      "jumps over the lazy dog.\n",
      "And again.",
    ]);
  });

  it("flushes held text before any other event, and everything at finish", async () => {
    const source = async function* (): AsyncGenerator<ProviderEvent> {
      yield text("Hel");
      yield { type: "status", message: "working" };
      yield text("lo\r");
      yield { type: "usage", promptTokens: 1, completionTokens: 2 };
      yield text("\n");
      yield text("end\r");
      yield { type: "finish", reason: "stop" };
    };
    const events = await collect(
      iterate(
        smoothText(fromIterable(source()), "word", { clock: new ManualClock() }),
        neverAborted,
      ),
    );
    assert.deepEqual(events, [
      text("Hel"),
      { type: "status", message: "working" },
      text("lo"),
      { type: "usage", promptTokens: 1, completionTokens: 2 },
      text("\r\n"),
      text("end\r"),
      { type: "finish", reason: "stop" },
    ]);
  });

  it("sets a timer only while it holds text", async () => {
    const clock = new ManualClock();
    await collect(
      iterate(
        smoothText(fromIterable(pieces(["a ", "b ", "c\n"])), "word", { clock }),
        neverAborted,
      ),
    );
    assert.equal(clock.created, 0);
    await collect(
      iterate(smoothText(fromIterable(pieces(["a", "b ", "c"])), "word", { clock }), neverAborted),
    );
    assert.equal(clock.created, 2);
    assert.equal(clock.pending, 0);
  });

  it("yields held text before rethrowing a provider failure", async () => {
    const failure = new SluiceError("timeout", "No token for 20s");
    const source = async function* (): AsyncGenerator<ProviderEvent> {
      yield text("partial wor");
      throw failure;
    };
    const seen: ProviderEvent[] = [];
    await assert.rejects(
      async () => {
        for await (const event of iterate(
          smoothText(fromIterable(source()), "word", {}),
          neverAborted,
        ))
          seen.push(event);
      },
      (error: unknown) => error === failure,
    );
    assert.deepEqual(texts(seen), ["partial ", "wor"]);
  });

  it("ends with the abort reason, not the held text, when aborted", async () => {
    const controller = new AbortController();
    const source = async function* (): AsyncGenerator<ProviderEvent> {
      yield text("held");
      await untilAborted(controller.signal);
    };
    const clock = new ManualClock();
    const events = iterate(
      smoothText(fromIterable(source()), "word", { clock }),
      controller.signal,
    );
    const next = events.next();
    const reason = new Error("cancelled");
    controller.abort(reason);
    await assert.rejects(next, (error: unknown) => error === reason);
    assert.equal(clock.pending, 0);
  });
});
