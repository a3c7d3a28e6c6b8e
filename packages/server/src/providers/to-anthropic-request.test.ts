import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SluiceError } from "@sluice/protocol";
import type { ProviderRequest } from "./provider.js";
import { ANTHROPIC_DEFAULT_MAX_TOKENS, toAnthropicRequest } from "./to-anthropic-request.js";

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

function request(fields: Partial<ProviderRequest> & Record<string, unknown>): ProviderRequest {
  return { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], ...fields };
}

describe("toAnthropicRequest", () => {
  it("moves system and developer messages into `system` and keeps the turns in order", () => {
    const translated = toAnthropicRequest(
      request({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Bonjour" },
          { role: "user", content: [{ type: "text", text: "How are you?" }] },
        ],
      }),
    );
    assert.equal(translated.system, "Be brief.\n\nAnswer in French.");
    assert.deepEqual(translated.messages, [
      { role: "user", content: [{ type: "text", text: "Hello" }] },
      { role: "assistant", content: [{ type: "text", text: "Bonjour" }] },
      { role: "user", content: [{ type: "text", text: "How are you?" }] },
    ]);
    assert.equal(translated.model, "claude-sonnet-4-5");
  });

  it("turns assistant tool calls into tool_use blocks and tool messages into one user turn of tool_result blocks", () => {
    const translated = toAnthropicRequest(
      request({
        messages: [
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
              {
                id: "call_2",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Rome"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "18°C, sunny" },
          { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "24°C" }] },
          { role: "user", content: "Thanks! Which is warmer?" },
        ],
      }),
    );
    assert.deepEqual(translated.messages, [
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18°C, sunny" },
          { type: "tool_result", tool_use_id: "call_2", content: "24°C" },
          { type: "text", text: "Thanks! Which is warmer?" },
        ],
      },
    ]);
  });

  it("translates function tools and every tool_choice form", () => {
    const choices = [
      ["auto", undefined],
      ["none", { type: "none" }],
      ["required", { type: "any" }],
      [
        { type: "function", function: { name: "get_weather" } },
        { type: "tool", name: "get_weather" },
      ],
    ] as const;
    for (const [choice, expected] of choices) {
      const translated = toAnthropicRequest(request({ tools: [weatherTool], tool_choice: choice }));
      assert.deepEqual(translated.tools, [
        {
          name: "get_weather",
          description: "The weather in a city",
          input_schema: weatherTool.function.parameters,
        },
      ]);
      assert.deepEqual(translated.tool_choice, expected, JSON.stringify(choice));
    }
    const serial = toAnthropicRequest(
      request({ tools: [weatherTool], parallel_tool_calls: false }),
    );
    assert.deepEqual(serial.tool_choice, { type: "auto", disable_parallel_tool_use: true });
  });

  it("maps stop, max tokens and user, and drops what Anthropic has no field for", () => {
    const translated = toAnthropicRequest(
      request({ stop: "END", max_tokens: 100, seed: 7, temperature: 0.2, top_p: 0.9, user: "u-1" }),
    );
    assert.deepEqual(translated.stop_sequences, ["END"]);
    assert.equal(translated.max_tokens, 100);
    assert.deepEqual(translated.metadata, { user_id: "u-1" });
    assert.deepEqual(Object.keys(translated).sort(), [
      "max_tokens",
      "messages",
      "metadata",
      "model",
      "stop_sequences",
    ]);
    assert.deepEqual(toAnthropicRequest(request({ stop: ["a", "b"] })).stop_sequences, ["a", "b"]);
    assert.equal(
      toAnthropicRequest(request({ max_tokens: 100, max_completion_tokens: 50 })).max_tokens,
      50,
    );
    assert.equal(toAnthropicRequest(request({})).max_tokens, ANTHROPIC_DEFAULT_MAX_TOKENS);
    assert.equal(ANTHROPIC_DEFAULT_MAX_TOKENS, 4096);
  });

  it("asks for JSON only in the system prompt when a JSON response format is requested", () => {
    const plain = toAnthropicRequest(
      request({
        messages: [
          { role: "system", content: "You are a weather bot." },
          { role: "user", content: "Paris?" },
        ],
        response_format: { type: "json_object" },
      }),
    );
    assert.match(String(plain.system), /^You are a weather bot\.\n\n.*single JSON object only/s);
    const schema = { type: "object", properties: { celsius: { type: "number" } } };
    const withSchema = toAnthropicRequest(
      request({ response_format: { type: "json_schema", json_schema: { name: "w", schema } } }),
    );
    assert.ok(String(withSchema.system).includes(JSON.stringify(schema)));
    assert.equal(
      toAnthropicRequest(request({ response_format: { type: "text" } })).system,
      undefined,
    );
  });

  it("turns image parts into base64 or URL image blocks", () => {
    const translated = toAnthropicRequest(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(translated.messages[0]?.content, [
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });

  it("rejects what Anthropic cannot take as invalid requests", () => {
    const invalid = [
      request({
        messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }],
      }),
      request({ tools: [{ type: "web_search" }] }),
      request({ messages: [{ role: "function", name: "f", content: "x" }] }),
      request({ messages: [{ role: "tool", content: "no id" }] }),
      request({
        messages: [
          {
            role: "assistant",
            tool_calls: [
              { id: "c", type: "function", function: { name: "f", arguments: "{oops" } },
            ],
          },
        ],
      }),
    ];
    for (const body of invalid) {
      assert.throws(
        () => toAnthropicRequest(body),
        (error) => error instanceof SluiceError && error.type === "invalid_request",
        JSON.stringify(body),
      );
    }
  });
});
