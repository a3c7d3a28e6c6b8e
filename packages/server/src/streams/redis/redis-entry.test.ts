import assert from "node:assert/strict";
import { test } from "node:test";
import { SluiceError } from "@sluice/protocol";
import { type RedisEntry, toLogEntries } from "./redis-entry.js";

const token: RedisEntry = ["1-0", ["d", '{"type":"token","content":"a"}']];
const toolCall: RedisEntry = ["2-0", ["d", '{"type":"tool_call","index":0,"name":"f"}']];

test("builds each native frame from the stored JSON, and none for a tool-call fragment", () => {
  const entries = toLogEntries("s", 0, [token, toolCall]);
  assert.deepEqual(entries, [
    {
      seq: 1,
      event: { type: "token", content: "a" },
      frame: 'id: s:1\ndata: {"type":"token","content":"a"}\n\n',
    },
    { seq: 2, event: { type: "tool_call", index: 0, name: "f" }, frame: "" },
  ]);
});

test("cuts the reader with a retryable error on an entry that is not an event", () => {
  for (const stored of ["{not json", '{"type":"token"}', '{"type":"launch","content":"a"}']) {
    assert.throws(
      () => toLogEntries("s", 0, [["1-0", ["d", stored]]]),
      (error: unknown) =>
        error instanceof SluiceError && error.type === "network_error" && error.retryable,
      stored,
    );
  }
});

test("cuts the reader on a gap in the stored seqs", () => {
  assert.throws(() => toLogEntries("s", 0, [toolCall]), /lost events/);
});
