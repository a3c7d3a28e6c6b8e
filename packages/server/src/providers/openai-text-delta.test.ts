import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventSourceMessage } from "@sluice/protocol";
import { OpenAIChunkReader } from "./openai-chunk-reader.js";
import { OpenAITextDelta, type ParsedChunk } from "./openai-text-delta.js";
import type { ProviderEvent } from "./provider.js";
import { notOneJsonString, trickyJsonStrings } from "./tricky-json-strings.js";

const head =
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1796067867,"model":"gpt-x","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":';
const tail = '},"logprobs":null,"finish_reason":null}],"usage":null}';

/** A text-delta chunk as OpenAI sends it, with `raw` as the content's JSON (escapes and all). */
function chunk(raw: string, end = tail): string {
  return `${head}${raw}${end}`;
}

/** A delta that learnt its template from a plain chunk. */
function learnt(template = chunk('"Hello"')): OpenAITextDelta {
  const delta = new OpenAITextDelta();
  delta.learn(template, JSON.parse(template) as ParsedChunk);
  return delta;
}

/** What the full parse says the text is, or undefined when it is not a plain text delta. */
function parsedText(data: string): unknown {
  return (JSON.parse(data) as ParsedChunk).choices[0]?.delta.content;
}

describe("OpenAITextDelta", () => {
  it("reads every tricky content exactly as JSON.parse does", () => {
    const delta = learnt();
    for (const raw of trickyJsonStrings) {
      const data = chunk(raw);
      assert.equal(delta.read(data), parsedText(data), raw);
    }
  });

  it("learns from a tricky chunk too, and reads the next ones exactly", () => {
    for (const template of trickyJsonStrings) {
      const delta = learnt(chunk(template));
      for (const raw of trickyJsonStrings)
        assert.equal(delta.read(chunk(raw)), parsedText(chunk(raw)));
    }
  });

  it("refuses content that is not one JSON string, leaving it to the full parse", () => {
    const delta = learnt();
    for (const raw of notOneJsonString) {
      assert.equal(delta.read(chunk(raw)), undefined, raw);
    }
  });

  it("leaves every chunk that is not a plain text delta to the full parse", () => {
    const delta = learnt();
    const others = [
      // The role-only first chunk.
      `${head.replace('"content":', '"role":"assistant","content":')}""${tail.replace("}", ',"refusal":null}')}`,
      // content null, refusal, tool call, finish, usage, an error.
      head.replace('{"content":', '{"content":null,"refusal":"no"') + tail,
      chunk('"x"', tail.replace('"finish_reason":null', '"finish_reason":"stop"')),
      chunk('"x"', tail.replace('"usage":null', '"usage":{"prompt_tokens":1}')),
      chunk('"x"', tail.replace("}", ',"tool_calls":[{"index":0}]}')),
      chunk('"x"', `${tail.slice(0, -1)},"error":{"message":"boom"}}`),
      // Two choices; another field; another model; whitespace the template did not have.
      chunk('"x"', tail.replace("}]", '},{"index":1,"delta":{"content":"y"}}]')),
      chunk('"x"', `${tail.slice(0, -1)},"extra":1}`),
      chunk('"x"').replace('"gpt-x"', '"gpt-y"'),
      chunk('"x"', tail.replace('"logprobs":null', '"logprobs": null')),
      `${chunk('"x"')}\n`,
    ];
    for (const data of others) assert.equal(delta.read(data), undefined, data);
  });

  it("learns nothing from chunks that are not plain text deltas", () => {
    for (const data of [
      chunk('"x"', tail.replace('"finish_reason":null', '"finish_reason":"stop"')),
      chunk('"x"', tail.replace('"usage":null', '"usage":{"prompt_tokens":1}')),
      chunk('"x"', tail.replace("}]", '},{"index":1,"delta":{"content":"y"}}]')),
      chunk('"x"', tail.replace("}", ',"con\\u0074ent":"x"}')),
      chunk('"x"', tail.replace("}", ',"content":"x"}')),
      head.replace('{"content":', '{"content":null') + tail,
    ]) {
      const delta = new OpenAITextDelta();
      delta.learn(data, JSON.parse(data) as ParsedChunk);
      assert.equal(delta.read(chunk('"other"')), undefined, data);
    }
  });

  it("allows OpenAI's obfuscation padding to vary, and nothing else in its place", () => {
    const padded = (raw: string, padding: string) =>
      chunk(raw, `${tail.slice(0, -1)},"obfuscation":"${padding}"}`);
    const delta = learnt(padded('"Hi"', "a1B2"));
    assert.equal(delta.read(padded('" there"', "zZ9-_")), " there");
    assert.equal(delta.read(padded('"\\"q\\""', "")), '"q"');
    assert.equal(delta.read(padded('"x"', 'a\\"b')), undefined);
    assert.equal(delta.read(padded('"x"', "a b")), undefined);
    assert.equal(delta.read(chunk('"x"')), undefined);
    assert.equal(learnt().read(padded('"x"', "abc")), undefined);
  });
});

describe("OpenAIChunkReader with the text fast path", () => {
  it("emits exactly the events the full parse gives, chunk after chunk", () => {
    const messages = [
      `${head.replace('"content":', '"role":"assistant","content":')}""${tail.replace("}", ',"refusal":null}')}`,
      ...trickyJsonStrings.map((raw) => chunk(raw)),
      chunk('"x"', tail.replace("}", ',"tool_calls":[{"index":0,"id":"call_1"}]}')),
      ...trickyJsonStrings.map((raw) => chunk(raw)),
      chunk('""', tail.replace('"finish_reason":null', '"finish_reason":"stop"')),
      `${head.slice(0, head.indexOf('"choices"'))}"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}`,
      "[DONE]",
    ];
    const events: ProviderEvent[] = [];
    const reader = new OpenAIChunkReader((event) => events.push(event));
    for (const data of messages) reader.message({ data } as EventSourceMessage);
    reader.end();
    const texts = trickyJsonStrings
      .map((raw) => JSON.parse(raw) as string)
      .filter((text) => text !== "")
      .map((text) => ({ type: "text", text }));
    assert.deepEqual(events, [
      ...texts,
      { type: "text", text: "x" },
      { type: "tool_call", index: 0, id: "call_1" },
      ...texts,
      { type: "usage", promptTokens: 3, completionTokens: 4 },
      { type: "finish", reason: "stop" },
    ]);
  });

  it("fails on a malformed chunk after the template as the full parse does", () => {
    const reader = new OpenAIChunkReader(() => {});
    reader.message({ data: chunk('"a"') } as EventSourceMessage);
    assert.throws(
      () => reader.message({ data: chunk('"a"b"') } as EventSourceMessage),
      SyntaxError,
    );
  });
});
