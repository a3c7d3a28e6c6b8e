import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { MemoryStreamStore } from "./memory-stream-store.js";
import type { WritableStreamLog } from "./stream-log.js";

const never = new AbortController().signal;

function finish(log: WritableStreamLog, tokens: number): void {
  for (let index = 0; index < tokens; index++) log.append({ type: "token", content: "word " });
  log.append({
    type: "done",
    finish_reason: "stop",
    token_count: tokens,
    ttft_ms: 1,
    elapsed_seconds: 1,
    tokens_per_second: tokens,
    usage: { prompt_tokens: 1, completion_tokens: tokens, total_tokens: tokens + 1 },
  });
}

test("keeps ended streams within STREAM_RETAIN_BYTES, letting the oldest go first", async (t) => {
  const store = new MemoryStreamStore({ retainBytes: 20_000 });
  t.after(() => store.close());
  const ids: string[] = [];
  for (let stream = 0; stream < 4; stream++) {
    const log = await store.create({ owner: "owner" });
    ids.push(log.id);
    finish(log, 200);
    await turn();
  }
  const { bytes, streams } = store.retained();
  assert.ok(bytes <= 20_000, `${bytes} bytes retained`);
  assert.ok(streams >= 1 && streams < 4, `${streams} streams retained`);
  assert.equal(await store.open(ids[0] as string), undefined);
  const newest = await store.open(ids[3] as string);
  assert.equal((await newest?.readAfter(0, never))?.length, 201);
});

test("keeps nothing of a stream created with retain: false once it ends", async (t) => {
  const store = new MemoryStreamStore();
  t.after(() => store.close());
  const log = await store.create({ owner: "owner", retain: false });
  finish(log, 3);
  await turn();
  assert.equal(await store.open(log.id), undefined);
  assert.deepEqual(store.retained(), { bytes: 0, streams: 0 });
});
