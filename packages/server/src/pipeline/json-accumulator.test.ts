import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { JsonAccumulator, type JsonResponseFormat, type JsonResult } from "./json-accumulator.js";

const jsonObject: JsonResponseFormat = { type: "json_object" };

function schemaFormat(schema: Record<string, unknown>): JsonResponseFormat {
  return { type: "json_schema", json_schema: { name: "answer", schema } };
}

/** Pushes every chunk; returns the partial values the accumulator reported. */
function feed(accumulator: JsonAccumulator, chunks: readonly string[]): unknown[] {
  const shown: unknown[] = [];
  for (const chunk of chunks) {
    const value = accumulator.push(chunk);
    if (value !== undefined) shown.push(structuredClone(value));
  }
  return shown;
}

/** Whether `partial` could be what the final value looked like earlier (never a wrong value). */
function growsInto(partial: unknown, final: unknown): boolean {
  if (typeof partial === "string") return typeof final === "string" && final.startsWith(partial);
  if (Array.isArray(partial)) {
    return (
      Array.isArray(final) &&
      partial.length <= final.length &&
      partial.every((item, index) => growsInto(item, final[index]))
    );
  }
  if (typeof partial === "object" && partial !== null) {
    if (typeof final !== "object" || final === null || Array.isArray(final)) return false;
    const finalObject = final as Record<string, unknown>;
    return Object.entries(partial).every(
      ([key, value]) => Object.hasOwn(finalObject, key) && growsInto(value, finalObject[key]),
    );
  }
  return partial === final;
}

function assertShownSafely(shown: unknown[], final: unknown): void {
  for (const [index, value] of shown.entries()) {
    assert.ok(growsInto(value, final), `shown value ${JSON.stringify(value)} is not a prefix`);
    if (index > 0) assert.notDeepEqual(value, shown[index - 1], "reported without a change");
  }
  assert.deepEqual(shown.at(-1), final);
}

function failureOf(result: JsonResult): SluiceError {
  if (result.ok) assert.fail(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const chunksOf = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, index) =>
    text.slice(index * size, (index + 1) * size),
  );

describe("JsonAccumulator", () => {
  it("reports the object as fields appear and grow, one character at a time", () => {
    const text = '{"name": "Ada Lovelace", "age": 36, "tags": ["math", "poetry"], "ok": true}';
    const accumulator = new JsonAccumulator(jsonObject);
    const shown = feed(accumulator, [...text]);
    const final = JSON.parse(text);
    assertShownSafely(shown, final);
    assert.ok(shown.length < text.length / 2, `${shown.length} reports for ${text.length} chunks`);
    assert.deepEqual(accumulator.finish(), { ok: true, value: final });
  });

  it("shows no stray backslash or half escape when a string is split inside an escape", () => {
    const text = '{"quote": "say \\"hi\\" \\\\ now", "word": "caf\\u00e9 \\ud83d\\ude00"}';
    const final = JSON.parse(text);
    const cuts = [text.indexOf("\\") + 1, text.indexOf("\\u00") + 4, text.indexOf("\\ud83d") + 3];
    const chunks = [0, ...cuts, text.length].slice(1).map((end, index, ends) => {
      const start = index === 0 ? 0 : (ends[index - 1] ?? 0);
      return text.slice(start, end);
    });
    assert.equal(chunks.join(""), text);
    const accumulator = new JsonAccumulator(jsonObject);
    assertShownSafely(feed(accumulator, chunks), final);
    for (const size of [1, 2, 3, 5]) {
      assertShownSafely(feed(new JsonAccumulator(jsonObject), chunksOf(text, size)), final);
    }
    assert.deepEqual(accumulator.finish(), { ok: true, value: final });
  });

  it("shows a field only once its key is complete and its value has begun", () => {
    const chunks = ["{", '"firs', 'tName"', ": ", '"A', 'da"', ', "la', 'st": "L"', "}"];
    const shown = feed(new JsonAccumulator(jsonObject), chunks);
    assert.deepEqual(shown, [
      {},
      { firstName: "A" },
      { firstName: "Ada" },
      { firstName: "Ada", last: "L" },
    ]);
  });

  it("shows a number only when it is complete, never a prefix of it", () => {
    const shown = feed(new JsonAccumulator(jsonObject), [
      '{"n": 12',
      "3",
      ".5",
      "e1",
      ', "m": -',
      "7}",
    ]);
    assert.deepEqual(shown, [{}, { n: 1235 }, { n: 1235, m: -7 }]);
  });

  it("follows nested arrays and objects split anywhere", () => {
    const text = '{"matrix": [[10, 200], [3, [4000, 5]]], "rows": [{"id": 1, "cells": [""]}]}';
    const final = JSON.parse(text);
    for (const size of [1, 2, 3, 7]) {
      assertShownSafely(feed(new JsonAccumulator(jsonObject), chunksOf(text, size)), final);
    }
  });

  it("reports nothing for chunks of whitespace, colons or keys", () => {
    const accumulator = new JsonAccumulator(jsonObject);
    assert.deepEqual(accumulator.push("{"), {});
    for (const chunk of ["\n  ", '"ke', 'y"', " :", " \t"]) {
      assert.equal(accumulator.push(chunk), undefined);
    }
    assert.deepEqual(accumulator.push('"v'), { key: "v" });
  });

  it("fails with invalid_json when the text is not complete JSON", () => {
    for (const text of ['{"a": 1', "", "Sure! Here is the JSON: {}", '{"a": 1}}']) {
      const accumulator = new JsonAccumulator(jsonObject);
      feed(accumulator, [text]);
      const error = failureOf(accumulator.finish());
      assert.equal(error.type, "invalid_request");
      assert.match(error.message, /^invalid_json: /, text);
    }
  });

  it("fails json_object mode when the JSON is not an object", () => {
    const accumulator = new JsonAccumulator(jsonObject);
    accumulator.push("[1, 2]");
    assert.equal(failureOf(accumulator.finish()).message, "invalid_json: expected a JSON object");
  });

  it("validates against the json_schema and names what does not match", () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
      required: ["name", "age"],
      additionalProperties: false,
    };
    const good = new JsonAccumulator(schemaFormat(schema));
    good.push('{"name": "Ada", "age": 36}');
    assert.deepEqual(good.finish(), { ok: true, value: { name: "Ada", age: 36 } });

    const bad = new JsonAccumulator(schemaFormat(schema));
    bad.push('{"name": "Ada", "age": "old"}');
    const error = failureOf(bad.finish());
    assert.equal(error.type, "invalid_request");
    assert.equal(error.message, "schema mismatch: data/age must be integer");
  });

  it("accepts draft-07 and 2020-12 schemas with $defs and $ref", () => {
    const schemas = [
      {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: { point: { $ref: "#/definitions/point" } },
        definitions: { point: { type: "array", items: { type: "number" } } },
      },
      {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: { point: { $ref: "#/$defs/point" } },
        $defs: { point: { type: "array", items: { type: "number" } } },
      },
    ];
    for (const schema of schemas) {
      const accumulator = new JsonAccumulator(schemaFormat(schema));
      accumulator.push('{"point": [1, "2"]}');
      assert.match(accumulator.finish().ok ? "" : "mismatch", /mismatch/, String(schema.$schema));
    }
  });

  it("keeps schemas of different requests apart, even with the same $id", () => {
    const first = schemaFormat({ $id: "https://example.com/answer", type: "string" });
    const second = schemaFormat({ $id: "https://example.com/answer", type: "number" });
    const text = new JsonAccumulator(first);
    text.push('"hello"');
    assert.equal(text.finish().ok, true);
    const number = new JsonAccumulator(second);
    number.push("42");
    assert.equal(number.finish().ok, true);
  });

  it("refuses an invalid schema with invalid_request when constructed", () => {
    assert.throws(
      () => new JsonAccumulator(schemaFormat({ type: "objectx" })),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.type === "invalid_request" &&
        /^invalid schema: /.test(error.message),
    );
  });
});
