import assert from "node:assert/strict";
import { test } from "node:test";
import type { StreamSink } from "./stream-format.js";
import { uiFormat } from "./ui-format.js";

function recorder() {
  const seen: string[] = [];
  const sink: StreamSink = {
    token: (content) => seen.push(`token:${content}`),
    terminal: (kind, errorType) => seen.push(`${kind}:${errorType}`),
    position: (id) => seen.push(`position:${id}`),
    malformed: () => seen.push("malformed"),
  };
  return { seen, sink };
}

test("reads text deltas and ends at finish, abort or error", () => {
  const { seen, sink } = recorder();
  const data = [
    '{"type":"start","messageId":"m"}',
    '{"type":"text-start","id":"text-0"}',
    '{"type":"text-delta","id":"text-0","delta":"Hi"}',
    '{"type":"finish","finishReason":"stop"}',
    "[DONE]",
    '{"type":"abort"}',
    '{"type":"error","errorText":"x"}',
    "not json",
  ];
  for (const each of data) uiFormat.message({ data: each, event: undefined, id: undefined }, sink);
  assert.deepEqual(seen, ["token:Hi", "done:null", "done:null", "error:stream_error", "malformed"]);
});

test("a request body is a new chat each time", () => {
  const first = JSON.parse(uiFormat.body("openai/mock", "Hi") ?? "");
  const second = JSON.parse(uiFormat.body("openai/mock", "Hi") ?? "");
  assert.notEqual(first.id, second.id);
  assert.deepEqual(first.messages[0].parts, [{ type: "text", text: "Hi" }]);
  assert.equal(first.model, "openai/mock");
});
