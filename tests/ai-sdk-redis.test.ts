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
});
