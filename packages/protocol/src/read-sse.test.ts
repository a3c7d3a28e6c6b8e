import assert from "node:assert/strict";
import { test } from "node:test";
import { readSse } from "./read-sse.js";
import { SseBufferOverflowError } from "./sse-push-parser.js";

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

test("a peer that never sends a newline is refused once the bound is passed", async () => {
  let pulled = 0;
  // An endless line: the reader must stop pulling soon after the bound, not buffer it all.
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1;
      controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
    },
  });
  const messages: string[] = [];
  await assert.rejects(
    async () => {
      for await (const message of readSse(endless, { maxBufferSize: 64 * 1024 })) {
        messages.push(message.data);
      }
    },
    (error: unknown) => error instanceof SseBufferOverflowError && error.maxBufferSize === 65536,
  );
  assert.deepEqual(messages, []);
  assert.ok(pulled < 80, `read ${pulled} KiB for a 64 KiB bound`);
});

test("messages before the overflow are delivered; messages within the bound pass", async () => {
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const message of readSse(bodyOf(["data: one\n\n", "data: ", "y".repeat(300)]), {
      maxBufferSize: 200,
    })) {
      seen.push(message.data);
    }
  }, SseBufferOverflowError);
  assert.deepEqual(seen, ["one"]);
  const whole: string[] = [];
  for await (const message of readSse(bodyOf(["data: ", "z".repeat(150), "\n\n"]), {
    maxBufferSize: 200,
  })) {
    whole.push(message.data);
  }
  assert.deepEqual(whole, ["z".repeat(150)]);
});
