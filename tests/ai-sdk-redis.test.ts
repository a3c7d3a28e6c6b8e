import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mockText } from "@sluice/mock";
import type { TestGateway } from "./support/gateway.js";
import { useGatewaysOnRedis } from "./support/gateways-on-redis.js";
import { redisSkipReason } from "./support/redis-server.js";
import {
  allChunks,
  finalMessage,
  readUntilDeltas,
  textOfMessage,
  uiChatTransport,
  userMessage,
} from "./support/ui-chat.js";

const apiKey = "alpha-key";
let chats = 0;
const newChatId = () => `redis-chat-${process.pid}-${++chats}`;

describe("AI SDK chats across two gateways sharing Redis", { skip: redisSkipReason() }, () => {
  const servers = useGatewaysOnRedis({ SLUICE_API_KEYS: apiKey });

  const send = (gateway: TestGateway, chatId: string, model: string, signal?: AbortSignal) =>
    uiChatTransport(gateway.url, { apiKey, body: { model } }).sendMessages({
      trigger: "submit-message",
      chatId,
      messageId: undefined,
      messages: [userMessage("Tell me about streaming.")],
      abortSignal: signal,
    });
  const reconnect = (gateway: TestGateway, chatId: string) =>
    uiChatTransport(gateway.url, { apiKey }).reconnectToStream({ chatId });

  test("POST on A, resume on B: the whole answer from one generation, then 204", async () => {
    servers.mock.reset();
    const chatId = newChatId();
    const controller = new AbortController();
    const stream = await send(
      servers.gatewayA,
      chatId,
      "openai/mock?tokens=300&gap=5&ttft=1",
      controller.signal,
    );
    await readUntilDeltas(stream, 10, controller);
    const resumed = await reconnect(servers.gatewayB, chatId);
    assert.ok(resumed, "B finds the chat's stream running on A");
    assert.equal(textOfMessage(await finalMessage(resumed)), mockText({ tokens: 300 }));
    assert.equal(servers.mock.stats().streams_started, 1);
    assert.equal(await reconnect(servers.gatewayB, chatId), null);
  });

  test("a second POST on B while A runs the chat is a 409; DELETE on B stops A's generation", async () => {
    servers.mock.reset();
    const chatId = newChatId();
    const first = await send(servers.gatewayA, chatId, "openai/mock?tokens=5000&gap=5&ttft=1");
    const chunks = allChunks(first);
    await servers.mock.waitFor((stats) => stats.open_streams === 1);
    await assert.rejects(send(servers.gatewayB, chatId, "openai/mock?gap=0&ttft=1"), /conflict/);
    const response = await fetch(`${servers.gatewayB.url}/api/ui/chat/${chatId}/stream`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(response.status, 202);
    await servers.mock.waitFor((stats) => stats.open_streams === 0 && stats.aborted_streams === 1, {
      timeoutMs: 8000, // the answer runs 25 s: only the DELETE ends it before that
    });
    assert.equal((await chunks).at(-1)?.type, "abort");
    assert.equal(servers.mock.stats().streams_started, 1);
  });

  test("two POSTs for one chat at the same moment, one on A and one on B: one starts, the other is a 409", async () => {
    servers.mock.reset();
    const model = "openai/mock?tokens=5000&gap=5&ttft=1";
    const chatIds = Array.from({ length: 10 }, newChatId);
    const outcomes = await Promise.all(
      chatIds.map((chatId) =>
        Promise.allSettled([
          send(servers.gatewayA, chatId, model),
          send(servers.gatewayB, chatId, model),
        ]),
      ),
    );
    const streams = [];
    for (const pair of outcomes) {
      const started = pair.filter((outcome) => outcome.status === "fulfilled");
      const refused = pair.filter((outcome) => outcome.status === "rejected");
      assert.equal(started.length, 1, "exactly one of the two POSTs started the chat");
      assert.match(String((refused[0] as PromiseRejectedResult).reason), /conflict/);
      streams.push(allChunks((started[0] as PromiseFulfilledResult<ReadableStream>).value));
    }
    await servers.mock.waitFor((stats) => stats.open_streams === chatIds.length);
    assert.equal(servers.mock.stats().streams_started, chatIds.length, "one generation per chat");
    for (const chatId of chatIds) {
      const response = await fetch(`${servers.gatewayB.url}/api/ui/chat/${chatId}/stream`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${apiKey}` },
      });
      assert.equal(response.status, 202);
    }
    await Promise.all(streams);
    await servers.mock.waitFor((stats) => stats.open_streams === 0, { timeoutMs: 15_000 });
  });
});
