import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatSnapshot } from "./chat-message.js";
import { ChatSession } from "./chat-session.js";
import {
  doneEvent,
  errorResponse,
  frame,
  scriptedFetch,
  sseResponse,
  stoppableStream,
} from "./testing.js";

const id = "sessionAAAAAAAAAAAAAAAAA";
const baseUrl = "http://gateway.test";
const opening = `retry: 1000\nid: ${id}:0\n\n`;

/** A Storage kept in a Map, as sessionStorage would keep it. */
function memoryStorage(): Pick<Storage, "getItem" | "setItem" | "removeItem"> {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => values.set(key, value),
    removeItem: (key) => values.delete(key),
  };
}

/** Resolves with the first snapshot that satisfies `predicate`. */
function until(
  session: ChatSession,
  predicate: (snapshot: ChatSnapshot) => boolean,
): Promise<ChatSnapshot> {
  return new Promise((resolve) => {
    if (predicate(session.getSnapshot())) return resolve(session.getSnapshot());
    const unsubscribe = session.subscribe(() => {
      if (!predicate(session.getSnapshot())) return;
      unsubscribe();
      resolve(session.getSnapshot());
    });
  });
}

describe("ChatSession", () => {
  test("send streams the answer into an assistant message and ends idle with the server's figures", async () => {
    const { fetch, requests } = scriptedFetch([
      () =>
        sseResponse(id, [
          opening,
          frame(id, 1, { type: "status", message: "Rate limited, retrying in 1s" }),
          frame(id, 2, { type: "token", content: "Hello" }),
          frame(id, 3, { type: "token", content: " there" }),
          frame(id, 4, doneEvent({ token_count: 2, model: "demo/default" })),
        ]),
    ]);
    const session = new ChatSession({
      baseUrl,
      fetch,
      persist: false,
      model: "demo/default",
      system: "Be brief.",
    });
    const snapshots: ChatSnapshot[] = [];
    session.subscribe(() => snapshots.push(session.getSnapshot()));
    session.send("Hi");
    assert.equal(session.getSnapshot().status, "streaming");
    const final = await until(session, (snapshot) => snapshot.status === "idle");
    const [user, assistant] = final.messages;
    assert.equal(user?.role, "user");
    assert.equal(user?.content, "Hi");
    assert.equal(assistant?.role, "assistant");
    assert.equal(assistant?.content, "Hello there");
    assert.equal(assistant?.status, "done");
    assert.deepEqual(assistant?.notices, ["Rate limited, retrying in 1s"]);
    assert.equal(assistant?.stats?.tokens, 2);
    assert.equal(assistant?.model, "demo/default");
    assert.equal(final.live.tokens, 2);
    assert.notEqual(final.live.ttftMs, null);
    assert.deepEqual(JSON.parse(requests[0]?.body ?? ""), {
      messages: [{ role: "user", content: "Hi" }],
      model: "demo/default",
      system_prompt: "Be brief.",
    });
    // Snapshots are immutable: an earlier one still shows the message as streaming.
    assert.equal(snapshots[0]?.messages[1]?.status, "streaming");
  });

  test("renders at most once per throttle interval while tokens arrive, and the last one at once", async () => {
    const tokens = Array.from({ length: 200 }, (_, index) =>
      frame(id, index + 1, { type: "token", content: "x" }),
    );
    const { fetch } = scriptedFetch([
      () => sseResponse(id, [opening, ...tokens, frame(id, 201, doneEvent({ token_count: 200 }))]),
    ]);
    const session = new ChatSession({ baseUrl, fetch, persist: false, throttleMs: 10_000 });
    let renders = 0;
    session.subscribe(() => {
      renders += 1;
    });
    session.send("Hi");
    const final = await until(session, (snapshot) => snapshot.status === "idle");
    assert.equal(final.messages[1]?.content.length, 200);
    assert.ok(renders <= 3, `${renders} renders for 200 tokens`);
  });

  test("a reconnect is rendered at once, however short, and streaming again after it", async () => {
    const { fetch } = scriptedFetch([
      () => sseResponse(id, [opening, frame(id, 1, { type: "token", content: "a" })]),
      () =>
        sseResponse(id, [frame(id, 2, { type: "token", content: "b" }), frame(id, 3, doneEvent())]),
    ]);
    const session = new ChatSession({
      baseUrl,
      fetch,
      persist: false,
      throttleMs: 10_000,
      reconnect: { baseDelayMs: 0, maxDelayMs: 0 },
    });
    const seen: string[] = [];
    session.subscribe(() => {
      const { status, reconnectAttempt } = session.getSnapshot();
      seen.push(`${status}:${reconnectAttempt}`);
    });
    session.send("Hi");
    const final = await until(session, (snapshot) => snapshot.status === "idle");
    assert.equal(final.messages[1]?.content, "ab");
    assert.deepEqual(seen, ["streaming:0", "reconnecting:1", "streaming:0", "idle:0"]);
  });

  test("a refused request ends in status error with the server's type; retry sends the turn again, to the same model", async () => {
    const { fetch, requests } = scriptedFetch([
      () => errorResponse(401, "unauthorized", "A valid API key is required."),
      () =>
        sseResponse(id, [
          opening,
          frame(id, 1, { type: "token", content: "ok" }),
          frame(id, 2, doneEvent()),
        ]),
    ]);
    const session = new ChatSession({ baseUrl, fetch, persist: false });
    session.send("Hi", { model: "openai/chosen" });
    const failed = await until(session, (snapshot) => snapshot.status === "error");
    assert.equal(failed.error?.type, "unauthorized");
    assert.equal(failed.messages[1]?.status, "error");
    session.setApiKey("k2");
    session.retry();
    const retried = await until(session, (snapshot) => snapshot.status === "idle");
    assert.deepEqual(
      retried.messages.map((message) => [message.role, message.content]),
      [
        ["user", "Hi"],
        ["assistant", "ok"],
      ],
    );
    assert.equal(requests[1]?.headers.get("authorization"), "Bearer k2");
    assert.equal(JSON.parse(requests[1]?.body ?? "{}").model, "openai/chosen");
  });

  test("stop ends the message stopped; clear empties the chat", async () => {
    const { fetch } = scriptedFetch(stoppableStream(id));
    const session = new ChatSession({ baseUrl, fetch, persist: false });
    session.send("Hi");
    await until(session, (snapshot) => snapshot.messages[1]?.content === "a");
    await session.stop();
    const stopped = await until(session, (snapshot) => snapshot.status === "stopped");
    assert.equal(stopped.messages[1]?.status, "stopped");
    session.clear();
    assert.deepEqual(session.getSnapshot().messages, []);
    assert.equal(session.getSnapshot().status, "idle");
  });

  test("a reloaded page resumes the running answer from storage, with nothing lost or repeated", async () => {
    const storage = memoryStorage();
    const first = scriptedFetch([
      (_request, signal) =>
        sseResponse(id, [opening, frame(id, 1, { type: "token", content: "one " })], {
          hang: true,
          signal,
        }),
    ]);
    const before = new ChatSession({
      baseUrl,
      fetch: first.fetch,
      persist: { storage, key: "chat" },
    });
    before.send("Count");
    await until(before, (snapshot) => snapshot.messages[1]?.content === "one ");
    before.disconnect(); // what a reload does to the page

    const second = scriptedFetch([
      () =>
        sseResponse(id, [
          frame(id, 2, { type: "token", content: "two" }),
          frame(id, 3, doneEvent()),
        ]),
    ]);
    const after = new ChatSession({
      baseUrl,
      fetch: second.fetch,
      persist: { storage, key: "chat" },
    });
    assert.equal(after.getSnapshot().messages[1]?.content, "one ");
    after.connect();
    const final = await until(after, (snapshot) => snapshot.status === "idle");
    assert.equal(final.messages[1]?.content, "one two");
    assert.equal(final.messages[1]?.status, "done");
    assert.equal(second.requests[0]?.url, `${baseUrl}/api/streams/${id}`);
    assert.equal(second.requests[0]?.headers.get("last-event-id"), `${id}:1`);
    const stored = JSON.parse(storage.getItem("chat") ?? "{}");
    assert.equal(stored.running, undefined);
  });
});
