import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { composeDemoAnswer, DEMO_LABEL } from "./demo-answer.js";
import { fillJsonSchema } from "./fill-json-schema.js";

function answer(content: string) {
  return composeDemoAnswer({ messages: [{ role: "user", content }] });
}

describe("composeDemoAnswer", () => {
  it("writes a labelled Markdown answer about the prompt: heading, paragraphs, list, code", () => {
    const text = answer("Please explain how consistent hashing balances cache shards");
    const lines = text.split("\n");
    assert.equal(lines[0], DEMO_LABEL);
    assert.match(text, /^## Consistent hashing balances cache shards$/m);
    assert.match(text, /“consistent hashing balances cache shards”/);
    assert.match(text, /^- \*\*consistent\*\*: /m);
    assert.match(text, /^- \*\*hashing\*\*: /m);
    assert.equal(lines.filter((line) => line.startsWith("```")).length, 2);
    assert.ok(text.includes('"Please explain how consistent hashing balances cache shards"'));
  });

  it("answers the last user message, the same way every time", () => {
    const request = {
      messages: [
        { role: "user" as const, content: "first question about kittens" },
        { role: "assistant" as const, content: "..." },
        { role: "user" as const, content: [{ type: "text", text: "now about puppies" }] },
      ],
    };
    const text = composeDemoAnswer(request);
    assert.match(text, /puppies/);
    assert.doesNotMatch(text, /kittens/);
    assert.equal(composeDemoAnswer(request), text);
    assert.notEqual(answer("now about ferrets"), text);
  });

  it("keeps hostile prompts from breaking the Markdown or the code block", () => {
    const text = answer("```\n# Injected heading\n<script>alert(1)</script> $& \uFFFD");
    const lines = text.split("\n");
    assert.equal(lines.filter((line) => line.startsWith("```")).length, 2);
    assert.equal(lines.filter((line) => line.startsWith("#")).length, 1);
    const prose = text.replace(/```js[\s\S]*```/, "");
    assert.doesNotMatch(prose, /<script>/);
    assert.doesNotMatch(text, /\uFFFD/);
  });

  it("still answers an empty prompt", () => {
    assert.match(answer(""), /^## Your prompt$/m);
  });

  it("answers json_object requests with JSON that says it is a demo", () => {
    const text = composeDemoAnswer({
      messages: [{ role: "user", content: "Weather in Oslo" }],
      response_format: { type: "json_object" },
    });
    const value = JSON.parse(text);
    assert.equal(value.demo, true);
    assert.equal(value.topic, "Weather in Oslo");
    assert.ok(value.keywords.includes("oslo"));
  });
});

describe("fillJsonSchema", () => {
  it("fills every property by its type, within the schema's bounds", () => {
    const schema = {
      type: "object",
      properties: {
        name: { type: "string", maxLength: 5 },
        age: { type: "integer", minimum: 50, maximum: 60 },
        ratio: { type: "number", maximum: 1 },
        active: { type: "boolean" },
        tags: { type: "array", items: { type: "string" }, minItems: 2 },
        unit: { enum: ["celsius", "fahrenheit"] },
        kind: { const: "report" },
        nested: { type: "object", properties: { note: { type: ["string", "null"] } } },
        either: { anyOf: [{ type: "integer" }, { type: "string" }] },
        nothing: { type: "null" },
      },
    };
    assert.deepEqual(
      fillJsonSchema(schema, (property) => `about ${property}`),
      {
        name: "about",
        age: 50,
        ratio: 1,
        active: true,
        tags: ["about tags", "about tags"],
        unit: "celsius",
        kind: "report",
        nested: { note: "about note" },
        either: 42,
        nothing: null,
      },
    );
  });
});
