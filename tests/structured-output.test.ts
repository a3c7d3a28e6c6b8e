import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import type { StreamEvent } from "@sluice/protocol";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { postStream, readNativeStream } from "./support/native-stream.js";

/**
 * Structured output through the gateway: `response_format` reaches the provider, `json` events
 * carry the partial object as it grows, and `done` carries the parsed value, or the stream
 * ends with an `invalid_request` error that says what is wrong.
 */

async function structured(url: string, model: string, responseFormat: unknown, extra = {}) {
  const response = await postStream(url, {
    message: "Report as JSON",
    model,
    response_format: responseFormat,
    ...extra,
  });
  assert.equal(response.status, 200);
  const { events, text } = await readNativeStream(response);
  const all = events.map(({ event }) => event);
  const partials = all.flatMap((event) => (event.type === "json" ? [event.value] : []));
  return { events: all, partials, text, terminal: all.at(-1) };
}

/** Whether `next` shows everything `previous` showed, and perhaps more. */
function grows(previous: unknown, next: unknown): boolean {
  if (typeof previous === "string") return typeof next === "string" && next.startsWith(previous);
  if (Array.isArray(previous)) {
    return (
      Array.isArray(next) &&
      next.length >= previous.length &&
      previous.every((item, index) => grows(item, next[index]))
    );
  }
  if (typeof previous === "object" && previous !== null) {
    if (typeof next !== "object" || next === null || Array.isArray(next)) return false;
    const nextObject = next as Record<string, unknown>;
    return Object.entries(previous).every(
      ([key, value]) => Object.hasOwn(nextObject, key) && grows(value, nextObject[key]),
    );
  }
  return Object.is(previous, next);
}

function assertGrowing(partials: unknown[], final: unknown): void {
  for (let index = 1; index < partials.length; index++) {
    assert.ok(
      grows(partials[index - 1], partials[index]),
      `json event ${index + 1} lost what event ${index} showed:\n${JSON.stringify(partials[index - 1])}\n${JSON.stringify(partials[index])}`,
    );
  }
  assert.deepEqual(partials.at(-1), final);
}

const typeOrder = (events: StreamEvent[]) => [...new Set(events.map((event) => event.type))];

describe("structured output through the gateway", () => {
  const servers = useMockAndGateway(
    { DEMO_TTFT_MS: "1", DEMO_TOKENS_PER_SECOND: "2000" },
    { ttftMs: 1, gapMs: 1 },
  );

  test("json_object: json events grow as fields complete, and done carries the parsed object", async () => {
    const { events, partials, text, terminal } = await structured(
      servers.gateway.url,
      "openai/mock?tokens=80&seed=2",
      { type: "json_object" },
    );
    // The mock answers JSON only when the request's response_format asks for it.
    const expected = JSON.parse(mockText({ tokens: 80, seed: 2, json: true }));
    assert.equal(text, mockText({ tokens: 80, seed: 2, json: true }));
    assert.deepEqual(typeOrder(events), ["token", "json", "done"]);
    assert.ok(partials.length >= 10, `${partials.length} json events`);
    assertGrowing(partials, expected);
    assert.ok(terminal?.type === "done");
    assert.equal(terminal.finish_reason, "stop");
    assert.deepEqual(terminal.value, expected);
  });

  test("json_schema: a conforming answer ends with done and its value", async () => {
    const schema = {
      type: "object",
      properties: {
        title: { type: "string" },
        count: { type: "integer" },
        ok: { type: "boolean" },
        items: { type: "array", items: { type: "object", required: ["n"] } },
      },
      required: ["title", "count", "ok", "items"],
    };
    const { partials, terminal } = await structured(
      servers.gateway.url,
      "openai/mock?tokens=40&seed=3",
      {
        type: "json_schema",
        json_schema: { name: "report", schema },
      },
    );
    const expected = JSON.parse(mockText({ tokens: 40, seed: 3, json: true }));
    assertGrowing(partials, expected);
    assert.ok(terminal?.type === "done");
    assert.deepEqual(terminal.value, expected);
  });

  test("json_schema: an answer that does not conform ends with invalid_request: schema mismatch", async () => {
    const schema = {
      type: "object",
      properties: { summary: { type: "string" } },
      required: ["summary"],
    };
    const { text, terminal } = await structured(
      servers.gateway.url,
      "openai/mock?tokens=40&seed=3",
      {
        type: "json_schema",
        json_schema: { name: "summary", schema },
      },
    );
    // The text was streamed as it came; only the end says it is not what was asked for.
    assert.equal(text, mockText({ tokens: 40, seed: 3, json: true }));
    assert.ok(terminal?.type === "error");
    assert.equal(terminal.error_type, "invalid_request");
    assert.equal(terminal.retryable, false);
    assert.match(terminal.message, /^schema mismatch: .*summary/);
  });

  test("an answer that is not JSON ends with invalid_request: invalid_json", async () => {
    // Anthropic has no JSON mode: the request asks in words, and the mock answers prose anyway.
    const { text, partials, terminal } = await structured(
      servers.gateway.url,
      "anthropic/mock?tokens=12&seed=4",
      { type: "json_object" },
    );
    assert.equal(text, mockText({ tokens: 12, seed: 4 }));
    assert.deepEqual(partials, []);
    assert.ok(terminal?.type === "error");
    assert.equal(terminal.error_type, "invalid_request");
    assert.equal(terminal.retryable, false);
    assert.match(terminal.message, /^invalid_json: /);
  });

  test("a JSON answer cut by max_tokens ends with done: length and no value", async () => {
    const { partials, terminal } = await structured(
      servers.gateway.url,
      "openai/mock?tokens=40&seed=5",
      { type: "json_object" },
      { max_tokens: 10 },
    );
    assert.ok(partials.length > 0);
    assert.ok(terminal?.type === "done");
    assert.equal(terminal.finish_reason, "length");
    assert.equal(terminal.value, undefined);
  });

  test("the demo model answers JSON requests with valid JSON, conforming to the schema", async () => {
    const object = await structured(servers.gateway.url, "demo/default", { type: "json_object" });
    assert.ok(object.terminal?.type === "done");
    assert.equal(typeof object.terminal.value, "object");
    assert.deepEqual(object.terminal.value, JSON.parse(object.text));
    assertGrowing(object.partials, object.terminal.value);

    const schema = {
      type: "object",
      properties: { city: { type: "string" }, population: { type: "integer" } },
      required: ["city", "population"],
    };
    const filled = await structured(servers.gateway.url, "demo/default", {
      type: "json_schema",
      json_schema: { name: "city", schema },
    });
    assert.ok(filled.terminal?.type === "done", JSON.stringify(filled.terminal));
    const value = filled.terminal.value as { city: unknown; population: unknown };
    assert.equal(typeof value.city, "string");
    assert.ok(Number.isInteger(value.population));
  });

  test("a json_schema that is not a valid JSON Schema is refused with 400 before a stream starts", async () => {
    const response = await postStream(servers.gateway.url, {
      message: "Report",
      model: "openai/mock?tokens=5",
      response_format: {
        type: "json_schema",
        json_schema: { name: "broken", schema: { type: "no-such-type" } },
      },
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "invalid_request");
    assert.match(body.error.message, /schema/);
  });
});
