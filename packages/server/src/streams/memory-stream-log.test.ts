import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogEntry } from "./log-event.js";
import { MemoryStreamLog } from "./memory-stream-log.js";

const never = new AbortController().signal;

/** What a reader sees of entries (kept or rebuilt alike). */
function seen(entries: readonly LogEntry[]) {
  return entries.map(({ seq, event, frame }) => ({ seq, event, frame }));
}

test("numbers entries 1, 2, 3 and encodes each once with its id", () => {
  const log = new MemoryStreamLog("stream-aaaaaaaaaaaaaaaa", "owner");
  const first = log.append({ type: "token", content: "a" });
  const second = log.append({ type: "token", content: "b" });
  assert.equal(first.seq, 1);
  assert.equal(second.seq, 2);
  assert.equal(
    second.frame,
    'id: stream-aaaaaaaaaaaaaaaa:2\ndata: {"type":"token","content":"b"}\n\n',
  );
});

test("a waiting reader gets every entry appended in one turn in one batch", async () => {
  const log = new MemoryStreamLog("s", "owner");
  const waiting = log.readAfter(0, never);
  for (const content of ["a", "b", "c"]) log.append({ type: "token", content });
  const batch = await waiting;
  assert.deepEqual(
    batch.map((entry) => entry.seq),
    [1, 2, 3],
  );
});

test("refuses an append after the terminal event, and reads end there", async () => {
  const log = new MemoryStreamLog("s", "owner");
  log.append({ type: "token", content: "a" });
  log.append({ type: "error", error_type: "timeout", message: "slow", retryable: true });
  assert.equal(log.state(), "error");
  assert.throws(() => log.append({ type: "token", content: "late" }));
  assert.deepEqual(await log.readAfter(2, never), []);
});

test("a reader's abort ends its wait without touching other readers", async () => {
  const log = new MemoryStreamLog("s", "owner");
  const controller = new AbortController();
  const aborted = log.readAfter(0, controller.signal);
  const other = log.readAfter(0, never);
  controller.abort(new Error("gone"));
  await assert.rejects(aborted, /gone/);
  log.append({ type: "token", content: "a" });
  assert.equal((await other).length, 1);
});

test("tells the run when the last reader leaves and when one comes back", () => {
  const log = new MemoryStreamLog("s", "owner");
  const counts: number[] = [];
  log.onReadersChanged((count) => counts.push(count));
  const detachOne = log.attachReader();
  const detachTwo = log.attachReader();
  detachOne();
  detachOne();
  detachTwo();
  log.attachReader();
  assert.deepEqual(counts, [1, 2, 1, 0, 1]);
});

test("an ended log compacted to one buffer reads back the same entries, frames and all", async () => {
  const log = new MemoryStreamLog("stream-cccccccccccccccc", "owner");
  for (const content of ["Hé", "llo 🦀", " \r\n", '"q"']) log.append({ type: "token", content });
  log.append({ type: "tool_call", index: 0, name: "f" });
  log.append({
    type: "done",
    finish_reason: "stop",
    token_count: 4,
    ttft_ms: 1,
    elapsed_seconds: 1,
    tokens_per_second: 4,
    usage: { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 },
  });
  const before = seen(await log.readAfter(0, never));
  const bytes = log.compact();
  assert.ok(bytes > 0 && bytes < 400, `${bytes} bytes`);
  assert.deepEqual(seen(await log.readAfter(0, never)), before);
  assert.deepEqual(seen(await log.readAfter(4, never)), before.slice(4));
  assert.equal(log.lastSeq(), 6);
});

test("an ASCII-only log compacts to the same entries too", async () => {
  const log = new MemoryStreamLog("stream-dddddddddddddddd", "owner");
  for (const content of ["plain", " text", "\n"]) log.append({ type: "token", content });
  log.append({ type: "error", error_type: "timeout", message: "slow", retryable: true });
  const before = seen(await log.readAfter(0, never));
  log.compact();
  assert.deepEqual(seen(await log.readAfter(0, never)), before);
  assert.deepEqual(seen(await log.readAfter(2, never)), before.slice(2));
});

/** The seqs a follower is handed, one array per call. */
function following(log: MemoryStreamLog, after: number, keep = () => true) {
  const calls: number[][] = [];
  const stop = log.follow(after, (entries, from) => {
    calls.push(entries.slice(from).map((entry) => entry.seq));
    return keep();
  });
  return { calls, stop };
}

/** One turn of the event loop: the log hands out what was appended in the last one. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("a follower is handed each turn's entries in one call, in the turn they came", async () => {
  const log = new MemoryStreamLog("s", "owner");
  const { calls } = following(log, 0);
  for (const content of ["a", "b", "c"]) log.append({ type: "token", content });
  await nextTurn();
  assert.deepEqual(calls, [[1, 2, 3]]);
  log.append({ type: "token", content: "d" });
  await nextTurn();
  assert.deepEqual(calls, [[1, 2, 3], [4]]);
});

test("following ends with the terminal entry; an ended log cannot be followed", async () => {
  const log = new MemoryStreamLog("s", "owner");
  const { calls } = following(log, 0);
  log.append({ type: "token", content: "a" });
  log.append({ type: "error", error_type: "timeout", message: "slow", retryable: true });
  await nextTurn();
  assert.deepEqual(calls, [[1, 2]]);
  assert.equal(
    log.follow(2, () => true),
    undefined,
  );
});

test("a follower behind the log is handed what it misses first; one that says stop is left", async () => {
  const log = new MemoryStreamLog("s", "owner");
  log.append({ type: "token", content: "a" });
  await nextTurn();
  const behind = following(log, 0);
  const once = following(log, 1, () => false);
  log.append({ type: "token", content: "b" });
  await nextTurn();
  log.append({ type: "token", content: "c" });
  await nextTurn();
  assert.deepEqual(behind.calls, [[1, 2], [3]]);
  assert.deepEqual(once.calls, [[2]]);
});

test("a follower that stops itself is handed nothing more, and others still are", async () => {
  const log = new MemoryStreamLog("s", "owner");
  const first = following(log, 0);
  const second = following(log, 0);
  log.append({ type: "token", content: "a" });
  await nextTurn();
  first.stop?.();
  log.append({ type: "token", content: "b" });
  await nextTurn();
  assert.deepEqual(first.calls, [[1]]);
  assert.deepEqual(second.calls, [[1], [2]]);
});

test("a follower is handed the terminal entry before the log is compacted in a later immediate", async () => {
  const log = new MemoryStreamLog("s", "owner", (ended) => setImmediate(() => ended.compact()));
  const { calls } = following(log, 0);
  log.append({ type: "error", error_type: "timeout", message: "slow", retryable: true });
  await nextTurn();
  await nextTurn();
  assert.deepEqual(calls, [[1]]);
});
