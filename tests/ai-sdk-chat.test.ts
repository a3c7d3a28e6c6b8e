import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import { DefaultChatTransport, type UIMessage } from "ai";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import {
  allChunks,
  finalMessage,
  readUntilDeltas,
  textOfMessage,
  uiChatTransport,
  userMessage,
} from "./support/ui-chat.js";

const alphaKey = "alpha-key";
const betaKey = "beta-key";
let chats = 0;
const newChatId = () => `chat-${process.pid}-${++chats}`;

describe("the AI SDK's DefaultChatTransport against /api/ui/chat", () => {
  const context = useMockAndGateway({
    SLUICE_API_KEYS: `${alphaKey},${betaKey}`,
    STREAM_GRACE_MS: "10000",
    HEARTBEAT_MS: "100",
    RETRY_BASE_DELAY_MS: "10",
  });
  const transport = (body: object = {}) =>
    uiChatTransport(context.gateway.url, { apiKey: alphaKey, body });

  const send = (
    chatId: string,
    model: string,
    options: { signal?: AbortSignal; body?: object } = {},
  ) =>
    transport({ model, ...options.body }).sendMessages({
      trigger: "submit-message",
      chatId,
      messageId: undefined,
      messages: [userMessage("Tell me about streaming.")],
      abortSignal: options.signal,
    });

  test("readUIMessageStream assembles the mock's exact text, usage in the metadata", async () => {
    context.mock.reset();
    const chunks = await allChunks(await send(newChatId(), "openai/mock?tokens=120&gap=0&ttft=1"));
    assert.deepEqual(
      chunks.slice(0, 3).map((chunk) => chunk.type),
      ["start", "start-step", "text-start"],
    );
    assert.deepEqual(
      chunks.slice(-3).map((chunk) => chunk.type),
      ["text-end", "finish-step", "finish"],
    );
    const message = await finalMessage(arrayStream(chunks));
    assert.equal(message.role, "assistant");
    assert.equal(textOfMessage(message), mockText({ tokens: 120 }));
    const finish = chunks.at(-1);
    assert.ok(finish?.type === "finish");
    assert.equal(finish.finishReason, "stop");
    const metadata = message.metadata as { model?: string; usage: { outputTokens: number } };
    assert.equal(metadata.usage.outputTokens, 120);
    assert.equal(metadata.model, "openai/mock?tokens=120&gap=0&ttft=1");
    assert.equal(context.mock.stats().streams_started, 1);
  });

  for (const provider of ["openai", "anthropic"]) {
    test(`a tool call of the mock (${provider}) arrives as a tool part with the exact arguments`, async () => {
      const stream = await transport({
        model: `${provider}/mock?tool=1&gap=0&ttft=1`,
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              parameters: { type: "object", properties: { city: { type: "string" } } },
            },
          },
        ],
      }).sendMessages({
        trigger: "submit-message",
        chatId: newChatId(),
        messageId: undefined,
        messages: [userMessage("Weather in Paris?")],
        abortSignal: undefined,
      });
      const chunks = await allChunks(stream);
      const message = await finalMessage(arrayStream(chunks));
      const part = message.parts.find((each) => each.type === "tool-get_weather");
      assert.ok(part && "toolCallId" in part, JSON.stringify(message.parts));
      assert.equal(part.state, "input-available");
      assert.match(part.toolCallId, provider === "openai" ? /^call_/ : /^toolu_/);
      assert.deepEqual(part.input, JSON.parse(mockText({ tokens: 40, json: true })));
      const finish = chunks.at(-1);
      assert.ok(finish?.type === "finish");
      assert.equal(finish.finishReason, "tool-calls");
    });
  }

  test("the pipeline applies: a retry's status is a transient data part, pings are skipped, word smoothing keeps the text", async () => {
    context.mock.reset();
    let raw: Promise<string> = Promise.resolve("");
    const recording = new DefaultChatTransport<UIMessage>({
      api: `${context.gateway.url}/api/ui/chat`,
      headers: { authorization: `Bearer ${alphaKey}` },
      // A slow first token after one 429: pings go out while the retry waits.
      body: { model: "openai/mock?fault=429&times=1&retry_after=0&ttft=350&gap=0", smooth: "word" },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const [forTransport, forTest] = (response.body as ReadableStream<Uint8Array>).tee();
        raw = new Response(forTest).text();
        return new Response(forTransport, response);
      },
    });
    const chunks = await allChunks(
      await recording.sendMessages({
        trigger: "submit-message",
        chatId: newChatId(),
        messageId: undefined,
        messages: [userMessage("Retry me.")],
        abortSignal: undefined,
      }),
    );
    const status = chunks.find((chunk) => chunk.type === "data-sluice-status");
    assert.ok(status && "data" in status, JSON.stringify(chunks.slice(0, 4)));
    assert.match((status.data as { message: string }).message, /retrying/i);
    assert.ok((await raw).includes("\n: ping\n\n"), "a heartbeat went out before the first token");
    const message = await finalMessage(arrayStream(chunks));
    assert.equal(textOfMessage(message), mockText({ tokens: 40 }));
    assert.ok(
      message.parts.every((part) => part.type !== "data-sluice-status"),
      "transient: not part of the message",
    );
    assert.equal(context.mock.stats().streams_started, 1, "the 429 was no stream");
  });

  test("an upstream failure after tokens ends the stream with an error chunk", async () => {
    const chunks = await allChunks(
      await send(newChatId(), "openai/mock?fault=error&after=5&gap=0&ttft=1"),
    );
    assert.deepEqual(
      chunks.slice(-2).map((chunk) => chunk.type),
      ["text-end", "error"],
    );
    const error = chunks.at(-1);
    assert.ok(error?.type === "error" && error.errorText.length > 0);
    const text = chunks.map((chunk) => (chunk.type === "text-delta" ? chunk.delta : "")).join("");
    assert.ok(mockText({ tokens: 40 }).startsWith(text) && text.length > 0, text);
    await assert.rejects(
      finalMessage(arrayStream(chunks)),
      (thrown: Error) => thrown.message === error.errorText,
    );
  });

  test("a tool result in the history goes back to the provider under its call id", async () => {
    context.mock.reset();
    const history: UIMessage[] = [
      userMessage("Weather in Paris?"),
      {
        id: "answer-1",
        role: "assistant",
        parts: [
          { type: "step-start" },
          { type: "reasoning", text: "The user wants weather.", state: "done" },
          {
            type: "tool-get_weather",
            toolCallId: "call_abc123",
            state: "output-available",
            input: { city: "Paris" },
            output: { celsius: 21 },
          },
          { type: "step-start" },
          { type: "text", text: "It is 21 °C.", state: "done" },
          { type: "source-url", sourceId: "s1", url: "https://example.com/weather" },
          { type: "data-weather", data: { celsius: 21 } },
        ],
      },
      userMessage("And tomorrow?", "user-2"),
    ];
    const stream = await transport({ model: "openai/mock?gap=0&ttft=1" }).sendMessages({
      trigger: "submit-message",
      chatId: newChatId(),
      messageId: undefined,
      messages: history,
      abortSignal: undefined,
    });
    const message = await finalMessage(stream);
    assert.equal(textOfMessage(message), mockText({ tokens: 40 }));
    assert.equal(context.mock.stats().streams_started, 1);
  });

  test("reconnectToStream after an aborted POST returns the whole answer from one generation", async () => {
    context.mock.reset();
    const chatId = newChatId();
    const controller = new AbortController();
    const stream = await send(chatId, "openai/mock?tokens=300&gap=5&ttft=1", {
      signal: controller.signal,
    });
    const before = await readUntilDeltas(stream, 10, controller);
    assert.ok(before.some((chunk) => chunk.type === "text-delta"));
    const resumed = await transport().reconnectToStream({ chatId });
    assert.ok(resumed, "a running chat resumes");
    const message = await finalMessage(resumed);
    assert.equal(textOfMessage(message), mockText({ tokens: 300 }));
    assert.equal(context.mock.stats().streams_started, 1);
    assert.equal(context.mock.stats().aborted_streams, 0);
    assert.equal(await transport().reconnectToStream({ chatId }), null, "204 after the end");
  });

  test("a chat with no stream resumes to null (204)", async () => {
    assert.equal(await transport().reconnectToStream({ chatId: newChatId() }), null);
  });

  test("DELETE stops the generation: the mock's stream closes within 1 s", async () => {
    context.mock.reset();
    const chatId = newChatId();
    const stream = await send(chatId, "openai/mock?tokens=5000&gap=5&ttft=1");
    const reader = stream.getReader();
    for (let deltas = 0; deltas < 5; ) {
      const next = await reader.read();
      assert.ok(!next.done);
      if (next.value.type === "text-delta") deltas += 1;
    }
    const response = await fetch(`${context.gateway.url}/api/ui/chat/${chatId}/stream`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${alphaKey}` },
    });
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { id: chatId, cancelled: true });
    // Below the 10 s grace period and the 25 s answer: only the stop explains it.
    await context.mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1, {
      timeoutMs: 8000,
    });
    const rest: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      rest.push(next.value.type);
    }
    assert.equal(rest.at(-1), "abort");
    assert.equal(await transport().reconnectToStream({ chatId }), null);
  });

  test("a hang-up with on_disconnect cancel stops the generation at once", async () => {
    context.mock.reset();
    const controller = new AbortController();
    const stream = await send(newChatId(), "openai/mock?tokens=5000&gap=5&ttft=1", {
      signal: controller.signal,
      body: { on_disconnect: "cancel" },
    });
    await readUntilDeltas(stream, 3, controller);
    // Below the 10 s grace period and the 25 s answer: only the stop explains it.
    await context.mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1, {
      timeoutMs: 8000,
    });
  });

  test("a second POST while the chat's stream runs is a 409; regenerate stops the old one", async () => {
    context.mock.reset();
    const chatId = newChatId();
    const first = await send(chatId, "openai/mock?tokens=5000&gap=5&ttft=1");
    const firstChunks = allChunks(first);
    await assert.rejects(send(chatId, "openai/mock?gap=0&ttft=1"), (error: Error) => {
      const body = JSON.parse(error.message);
      assert.equal(body.error.type, "conflict");
      return true;
    });
    const regenerated = await transport({
      model: "openai/mock?tokens=20&gap=0&ttft=1",
    }).sendMessages({
      trigger: "regenerate-message",
      chatId,
      messageId: "answer-1",
      messages: [userMessage("Tell me about streaming.")],
      abortSignal: undefined,
    });
    assert.equal((await firstChunks).at(-1)?.type, "abort");
    assert.equal(textOfMessage(await finalMessage(regenerated)), mockText({ tokens: 20 }));
    const stats = context.mock.stats();
    assert.equal(stats.streams_started, 2);
    assert.equal(stats.aborted_streams, 1);
  });

  test("another API key's chat: resume and DELETE are 404", async () => {
    const chatId = newChatId();
    const controller = new AbortController();
    const stream = await send(chatId, "openai/mock?tokens=2000&gap=5&ttft=1", {
      signal: controller.signal,
    });
    await readUntilDeltas(stream, 2, controller);
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(`${context.gateway.url}/api/ui/chat/${chatId}/stream`, {
        method,
        headers: { authorization: `Bearer ${betaKey}` },
      });
      assert.equal(response.status, 404, method);
      assert.equal((await response.json()).error.type, "not_found");
    }
    const stop = await fetch(`${context.gateway.url}/api/ui/chat/${chatId}/stream`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${alphaKey}` },
    });
    assert.equal(stop.status, 202);
  });

  test("without a valid key the routes answer 401", async () => {
    const response = await fetch(`${context.gateway.url}/api/ui/chat/${newChatId()}/stream`);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.type, "unauthorized");
  });
});

describe("bad input to /api/ui/chat", () => {
  const context = useMockAndGateway();
  const valid = {
    id: "chat-1",
    messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: "Hi" }] }],
    trigger: "submit-message",
    model: "openai/mock?gap=0&ttft=1",
  };
  const post = (body: unknown) =>
    fetch(`${context.gateway.url}/api/ui/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  const cases: [string, unknown, RegExp?][] = [
    [
      "a part type ai 6 does not define",
      withPart({ type: "weird", text: "x" }),
      /"weird" is not a part type of ai 6/,
    ],
    ["a text part without text", withPart({ type: "text" }), /a malformed "text" part/],
    [
      "a tool part with an unknown state",
      withPart({ type: "tool-x", toolCallId: "c", state: "odd" }),
    ],
    ["a message without parts", { ...valid, messages: [{ id: "m1", role: "user" }] }],
    ["a message with a bad role", { ...valid, messages: [{ id: "m1", role: "tool", parts: [] }] }],
    ["no messages", { ...valid, messages: [] }],
    ["a chat id of 257 characters", { ...valid, id: "a".repeat(257) }],
    ["a chat id with a slash", { ...valid, id: "a/b" }],
    ["a chat id with a dot", { ...valid, id: ".." }],
    ["an unknown trigger", { ...valid, trigger: "resume-stream" }],
    ["an unknown on_disconnect", { ...valid, on_disconnect: "maybe" }],
    ["tools not in OpenAI's function format", { ...valid, tools: [{ name: "x" }] }],
    ["only parts without a provider counterpart", withPart({ type: "data-x", data: 1 }, true)],
  ];
  function withPart(part: object, only = false) {
    const parts = only ? [part] : [{ type: "text", text: "Hi" }, part];
    return { ...valid, messages: [{ id: "m1", role: "user", parts }] };
  }

  for (const [name, body, message] of cases) {
    test(`${name}: 400 in the contract's shape, before any upstream request`, async () => {
      context.mock.reset();
      const response = await post(body);
      assert.equal(response.status, 400);
      const error = (await response.json()).error;
      assert.equal(error.type, "invalid_request");
      assert.match(error.message, message ?? /./);
      assert.equal(context.mock.stats().requests, 0);
    });
  }

  test("every part type of ai 6 is accepted in the history, unknown top-level fields ignored", async () => {
    const history = {
      ...valid,
      appField: { anything: true },
      messages: [
        { id: "s", role: "system", parts: [{ type: "text", text: "Be brief." }] },
        {
          id: "m1",
          role: "user",
          parts: [
            { type: "text", text: "Look" },
            { type: "file", mediaType: "image/png", url: "data:image/png;base64,iVBORw0KGgo=" },
            { type: "file", mediaType: "application/pdf", url: "https://example.com/a.pdf" },
          ],
        },
        {
          id: "a1",
          role: "assistant",
          parts: [
            { type: "step-start" },
            { type: "reasoning", text: "Thinking", state: "done" },
            { type: "source-url", sourceId: "1", url: "https://example.com" },
            { type: "source-document", sourceId: "2", mediaType: "text/plain", title: "Doc" },
            { type: "data-progress", data: { percent: 100 } },
            { type: "tool-search", toolCallId: "c1", state: "input-streaming" },
            { type: "tool-search", toolCallId: "c2", state: "input-available", input: {} },
            { type: "tool-search", toolCallId: "c3", state: "output-error", errorText: "Down" },
            {
              type: "dynamic-tool",
              toolName: "lookup",
              toolCallId: "c4",
              state: "output-available",
              input: { q: 1 },
              output: "found",
            },
            {
              type: "tool-search",
              toolCallId: "c5",
              state: "output-denied",
              input: {},
              approval: { id: "p", approved: false, reason: "No" },
            },
            { type: "text", text: "Done.", state: "done" },
          ],
        },
        { id: "m2", role: "user", parts: [{ type: "text", text: "Thanks" }] },
      ],
    };
    const response = await post(history);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("x-vercel-ai-ui-message-stream"), "v1");
    const body = await response.text();
    assert.ok(body.endsWith("data: [DONE]\n\n"));
  });

  test("a resume or stop with a malformed chat id is a 400", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(`${context.gateway.url}/api/ui/chat/a.b/stream`, { method });
      assert.equal(response.status, 400, method);
      assert.equal((await response.json()).error.type, "invalid_request");
    }
  });

  test("a resume takes chat ids of up to 256 characters in its path", async () => {
    const longest = await fetch(`${context.gateway.url}/api/ui/chat/${"a".repeat(256)}/stream`);
    assert.equal(longest.status, 204);
    const tooLong = await fetch(`${context.gateway.url}/api/ui/chat/${"a".repeat(257)}/stream`);
    assert.equal(tooLong.status, 400);
    assert.equal((await tooLong.json()).error.type, "invalid_request");
  });

  test("a stop for a chat without a stream is a 404", async () => {
    const response = await fetch(`${context.gateway.url}/api/ui/chat/nothing-here/stream`, {
      method: "DELETE",
    });
    assert.equal(response.status, 404);
  });
});

/** A stream of chunks already read, for a second pass through `readUIMessageStream`. */
function arrayStream<T>(items: readonly T[]): ReadableStream<T> {
  return new ReadableStream({
    start(controller) {
      for (const item of items) controller.enqueue(item);
      controller.close();
    },
  });
}
