import assert from "node:assert/strict";
import { test } from "node:test";
import { formatEventId, parseEventId } from "./event-id.js";
import { SluiceError } from "./sluice-error.js";

test("an event id round-trips", () => {
  const id = formatEventId("AbCdEfGhIjKlMnOpQrStUvWx", 42);
  assert.deepEqual(parseEventId(id), { streamId: "AbCdEfGhIjKlMnOpQrStUvWx", seq: 42 });
});

test("a malformed Last-Event-ID is an invalid_request, never a guess", () => {
  for (const value of [
    "",
    "garbage",
    "short:1",
    "AbCdEfGhIjKlMnOpQrStUvWx:",
    "AbCdEfGhIjKlMnOpQrStUvWx:-1",
    "AbCdEfGhIjKlMnOpQrStUvWx:1e3",
    "AbCdEfGhIjKlMnOpQrStUvWx:1:2",
    "Ab/dEfGhIjKlMnOpQrStUvWx:1",
  ]) {
    assert.throws(
      () => parseEventId(value),
      (error: unknown) => error instanceof SluiceError && error.type === "invalid_request",
      value,
    );
  }
});
