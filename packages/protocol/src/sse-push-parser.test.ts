import assert from "node:assert/strict";
import { test } from "node:test";
import { SseBufferOverflowError, SsePushParser } from "./sse-push-parser.js";

function parse(chunks: (string | Uint8Array)[], maxBufferSize?: number): string[] {
  const data: string[] = [];
  const parser = new SsePushParser({
    onMessage: (message) => data.push(message.data),
    maxBufferSize,
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return data;
}

test("calls back for each message a chunk completes, in the same feed", () => {
  const data: string[] = [];
  const parser = new SsePushParser({ onMessage: (message) => data.push(message.data) });
  parser.feed("data: a\n\ndata: b\n\ndata: c");
  assert.deepEqual(data, ["a", "b"]);
  parser.feed("\n\n");
  assert.deepEqual(data, ["a", "b", "c"]);
});

test("joins a \\r\\n and a UTF-8 character split between chunks", () => {
  const bytes = new TextEncoder().encode("data: 🦀é\r\n\r\n");
  const chunks = [bytes.slice(0, 8), bytes.slice(8, 13), bytes.slice(13)];
  assert.deepEqual(parse(chunks), ["🦀é"]);
});

test("fails with a typed error when an upstream never ends a line, holding no more than the bound", () => {
  const parser = new SsePushParser({ onMessage: () => {}, maxBufferSize: 1000 });
  parser.feed("data: ");
  assert.throws(
    () => {
      for (let chunk = 0; chunk < 100; chunk++) parser.feed("x".repeat(100));
    },
    (error: unknown) => error instanceof SseBufferOverflowError && error.maxBufferSize === 1000,
  );
});

test("long streams of complete messages never reach the bound", () => {
  const message = `data: ${"y".repeat(90)}\n\n`;
  assert.equal(
    parse(
      Array.from({ length: 100 }, () => message),
      200,
    ).length,
    100,
  );
});
