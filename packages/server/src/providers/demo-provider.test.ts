import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countTokens, encode } from "gpt-tokenizer";
import { composeDemoAnswer } from "./demo-answer.js";
import { DemoProvider } from "./demo-provider.js";
import type { ProviderEvent, ProviderRequest } from "./provider.js";

const noWait = async () => {};

function ask(content: string, fields: Partial<ProviderRequest> = {}): ProviderRequest {
  return { model: "default", messages: [{ role: "user", content }], ...fields };
}

async function collect(provider: DemoProvider, request: ProviderRequest) {
  const events: ProviderEvent[] = [];
  await provider.stream(request, new AbortController().signal, (event) => events.push(event));
  const pieces = events.flatMap((event) => (event.type === "text" ? [event.text] : []));
  return { events, pieces, text: pieces.join("") };
}

/** True when the text has neither U+FFFD nor half of a surrogate pair. */
function isWholeText(text: string): boolean {
  return !/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
    text,
  );
}

describe("DemoProvider", () => {
  it("streams its labelled answer about the prompt in BPE tokens, then usage, then finish", async () => {
    const request = ask("How do server-sent events survive proxies?");
    const { events, pieces, text } = await collect(new DemoProvider({ sleep: noWait }), request);
    const answer = composeDemoAnswer(request);
    assert.equal(text, answer);
    assert.match(text, /^_This answer comes from Sluice's built-in demo model, not a real LLM/);
    assert.equal(pieces.length, encode(answer).length);
    assert.deepEqual(events.slice(-2), [
      {
        type: "usage",
        promptTokens: countTokens("How do server-sent events survive proxies?"),
        completionTokens: encode(answer).length,
      },
      { type: "finish", reason: "stop" },
    ]);
  });

  it("never splits a character across events, merging the tokens of one character", async () => {
    const request = ask("Écris un haïku sur 𠜎𠜱 et 🚀 — ça marche? 日本語で書いて");
    const { events, pieces, text } = await collect(new DemoProvider({ sleep: noWait }), request);
    assert.equal(text, composeDemoAnswer(request));
    for (const piece of pieces) assert.ok(isWholeText(piece), JSON.stringify(piece));
    const usage = events.find((event) => event.type === "usage");
    assert.ok(usage?.type === "usage" && usage.completionTokens > pieces.length, "tokens merged");
  });

  it("stops after max_tokens with finish length", async () => {
    const request = ask("Explain backpressure", { max_tokens: 12 });
    const { events, text } = await collect(new DemoProvider({ sleep: noWait }), request);
    assert.ok(composeDemoAnswer(request).startsWith(text));
    assert.ok(text.length > 0);
    const usage = events.at(-2);
    assert.ok(
      usage?.type === "usage" && usage.completionTokens <= 12 && usage.completionTokens >= 10,
    );
    assert.deepEqual(events.at(-1), { type: "finish", reason: "length" });
  });

  it("answers JSON response formats with one valid JSON object", async () => {
    const provider = new DemoProvider({ sleep: noWait });
    const object = await collect(
      provider,
      ask("weather in Paris", { response_format: { type: "json_object" } }),
    );
    const parsed = JSON.parse(object.text);
    assert.equal(parsed.demo, true);
    assert.equal(parsed.topic, "weather in Paris");
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, celsius: { type: "number" } },
      required: ["city", "celsius"],
    };
    const fitted = await collect(
      provider,
      ask("weather in Paris", {
        response_format: { type: "json_schema", json_schema: { name: "weather", schema } },
      }),
    );
    const value = JSON.parse(fitted.text);
    assert.equal(typeof value.city, "string");
    assert.equal(typeof value.celsius, "number");
  });

  it("paces itself like a model: about 300 ms to the first token, then about 40 tokens/s", async () => {
    const delays: number[] = [];
    const provider = new DemoProvider({ sleep: async (ms) => void delays.push(ms) });
    const { pieces } = await collect(provider, ask("Tell me about rate limits"));
    assert.equal(delays.length, pieces.length);
    const [first = 0, ...gaps] = delays;
    assert.ok(first >= 150 && first <= 450, `time to first token ${first}`);
    const meanGap = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    assert.ok(meanGap > 20 && meanGap < 30, `mean gap ${meanGap}`);
    assert.ok(new Set(gaps.map(Math.round)).size > 10, "gaps vary");
  });

  it("adds up gaps too short for a timer, so that fast paces keep their average", async () => {
    const delays: number[] = [];
    const provider = new DemoProvider({
      ttftMs: 0,
      tokensPerSecond: 1000,
      jitter: 0,
      sleep: async (ms) => void delays.push(ms),
    });
    const { events } = await collect(provider, ask("Tell me about timers"));
    const usage = events.at(-2);
    assert.ok(usage?.type === "usage");
    assert.ok(delays.length < usage.completionTokens / 3, `${delays.length} waits`);
    const waited = delays.reduce((sum, delay) => sum + delay, 0);
    assert.ok(Math.abs(waited - usage.completionTokens) <= 5, `waited ${waited} ms`);
  });

  it("is deterministic: the same prompt gives the same tokens at the same pace", async () => {
    const run = async (prompt: string) => {
      const delays: number[] = [];
      const provider = new DemoProvider({ sleep: async (ms) => void delays.push(ms) });
      return { ...(await collect(provider, ask(prompt))), delays };
    };
    const first = await run("What is a heartbeat?");
    const second = await run("What is a heartbeat?");
    const other = await run("What is a load balancer?");
    assert.deepEqual(second.pieces, first.pieces);
    assert.deepEqual(second.delays, first.delays);
    assert.notDeepEqual(other.delays.slice(0, 5), first.delays.slice(0, 5));
  });

  it("stops at once on abort, cancelling the wait for the next token", async () => {
    const provider = new DemoProvider({ ttftMs: 3_600_000 });
    const controller = new AbortController();
    const next = provider.stream(ask("Hello"), controller.signal, () => {});
    const reason = new Error("stopped by the client");
    controller.abort(reason);
    await assert.rejects(next, (error) => error === reason);
  });

  it("emits no token after an abort between tokens", async () => {
    const controller = new AbortController();
    const provider = new DemoProvider({ sleep: noWait });
    const texts: string[] = [];
    await assert.rejects(
      provider.stream(ask("Hello"), controller.signal, (event) => {
        if (event.type === "text") texts.push(event.text);
        if (texts.length === 3) controller.abort();
      }),
      /abort/i,
    );
    assert.equal(texts.length, 3);
  });

  it("lists its one model", async () => {
    assert.deepEqual(await new DemoProvider().listModels(new AbortController().signal), [
      "default",
    ]);
  });
});
