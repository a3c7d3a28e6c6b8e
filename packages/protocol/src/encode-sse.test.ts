import assert from "node:assert/strict";
import { test } from "node:test";
import {
  encodeSseComment,
  encodeSseMessage,
  encodeStreamEvent,
  StreamEventEncoder,
} from "./encode-sse.js";
import { readSse } from "./read-sse.js";
import type { StreamEvent } from "./stream-event.js";

async function parse(text: string, chunkSize: number) {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let index = 0; index < bytes.length; index += chunkSize) {
        controller.enqueue(bytes.subarray(index, index + chunkSize));
      }
      controller.close();
    },
  });
  const messages = [];
  for await (const message of readSse(body)) messages.push(message);
  return messages;
}

const tricky: StreamEvent[] = [
  { type: "token", content: "line\nbreak\r\nand\rcarriage" },
  { type: "token", content: "data: fake\n\nid: forged:9\n\n" },
  { type: "token", content: "日本語 🚀 👩‍💻 𝔘 \u2028 \u0000" },
  { type: "status", message: "Rate limited, retrying in 2s" },
  { type: "error", error_type: "timeout", message: "x", retryable: true },
];

test("encoded events parse back to the same events, whatever the chunk boundaries", async () => {
  const text = tricky.map((event, index) => encodeStreamEvent(`s:${index + 1}`, event)).join("");
  for (const size of [1, 2, 3, 7, 64, text.length]) {
    const messages = await parse(text, size);
    assert.deepEqual(
      messages.map((message) => JSON.parse(message.data)),
      tricky,
    );
    assert.deepEqual(
      messages.map((message) => message.id),
      tricky.map((_event, index) => `s:${index + 1}`),
    );
  }
});

test("a token is encoded exactly as JSON.stringify would", () => {
  const event: StreamEvent = { type: "token", content: 'quote " backslash \\ \n' };
  assert.equal(encodeStreamEvent("a:1", event), `id: a:1\ndata: ${JSON.stringify(event)}\n\n`);
});

test("a stream's encoder gives every event exactly what encodeStreamEvent gives, from its JSON too", () => {
  const encoder = new StreamEventEncoder("s_1");
  for (const [index, event] of tricky.entries()) {
    assert.equal(encoder.json(event), JSON.stringify(event));
    for (const seq of [1, 9, 10, 99, 100, 12_345, index + 1]) {
      const frame = encoder.encode(seq, event);
      assert.equal(frame, encodeStreamEvent(`s_1:${seq}`, event));
      assert.equal(encoder.frame(seq, encoder.json(event)), frame);
    }
  }
});

test("a stream id with a line break is refused by its encoder", () => {
  assert.throws(() => new StreamEventEncoder("s\ndata: evil"), TypeError);
});

test("an id or comment with a line break is refused, so data cannot forge a frame", () => {
  assert.throws(() => encodeSseMessage("a:1\ndata: evil", "{}"));
  assert.throws(() => encodeSseMessage("a:1\r", "{}"));
  assert.throws(() => encodeSseComment("ping\n\ndata: evil"));
});

test("data with raw line breaks is split into several data lines and reassembled", async () => {
  const [message] = await parse(encodeSseMessage("a:1", "one\ntwo\r\nthree"), 1);
  assert.equal(message?.data, "one\ntwo\nthree");
});

test("retry comes first in the message that carries it", () => {
  assert.match(encodeSseMessage("a:1", "{}", 1000), /^retry: 1000\nid: a:1\ndata: \{\}\n\n$/);
});
