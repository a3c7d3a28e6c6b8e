import { SluiceError, UiChatId, UiChatRequest } from "@sluice/protocol";
import type { FastifyInstance, FastifyReply } from "fastify";
import { ResponseWriter } from "../http/response-writer.js";
import { sendUiMessageStream } from "../http/send-ui-message-stream.js";
import { chatStreamKey, findChatStream } from "../streams/chat-stream.js";
import type { StreamLog } from "../streams/stream-log.js";
import { abortOnClose, headersOf } from "./native-stream-routes.js";
import type { RouteContext } from "./route-context.js";
import { uiChatStartOptions } from "./ui-chat-start-options.js";

/** Longest a chat's start may hold its claim, should the instance holding it die. */
const claimTtlMs = 30_000;

const noSuchChat = () => new SluiceError("not_found", "No such chat.");
const chatBusy = (chatId: string) =>
  new SluiceError(
    "conflict",
    `Chat ${chatId} already has a running stream: resume it (GET /api/ui/chat/${chatId}/stream), stop it (DELETE), or regenerate.`,
  );

/**
 * The AI SDK's routes (`DefaultChatTransport` of `ai` 6 with `api: <sluice>/api/ui/chat`):
 * start a chat's stream, resume it (the transport's `reconnectToStream`), stop it.
 */
export function registerUiChatRoutes(app: FastifyInstance, context: RouteContext): void {
  const { streams, store, auth, heartbeat, config } = context;

  /** Attaches this response as a reader of the log until its end or a hang-up. */
  const follow = async (reply: FastifyReply, log: StreamLog) => {
    const writer = new ResponseWriter(reply.raw, heartbeat);
    const detach = log.attachReader();
    reply.hijack();
    try {
      await sendUiMessageStream(writer, log, headersOf(reply));
    } finally {
      detach();
    }
  };

  app.post("/api/ui/chat", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const body = UiChatRequest.parse(request.body);
    const options = uiChatStartOptions(owner, body, config.STREAM_GRACE_MS);
    const signal = abortOnClose(reply);
    // Held from the check for a running stream to its start, on every instance sharing the
    // store, so that two POSTs arriving together (here or elsewhere) cannot both start one.
    const release = await store.claim(chatStreamKey(body.id), claimTtlMs);
    if (!release) throw chatBusy(body.id);
    let log: StreamLog;
    try {
      const running = await findChatStream(store, body.id, signal);
      if (running?.state() === "running") {
        if (running.owner !== owner || body.trigger !== "regenerate-message") {
          throw chatBusy(body.id);
        }
        await streams.cancel(running.id, owner, signal);
      }
      ({ log } = await streams.start({ ...options, requestKey: chatStreamKey(body.id) }));
    } finally {
      release();
    }
    return follow(reply, log);
  });

  app.get<{ Params: { chatId: string } }>("/api/ui/chat/:chatId/stream", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const chatId = UiChatId.parse(request.params.chatId);
    const log = await findChatStream(store, chatId, abortOnClose(reply));
    if (log && log.owner !== owner) throw noSuchChat();
    // 204 is how `reconnectToStream` learns there is nothing to resume.
    if (log?.state() !== "running") return reply.code(204).send();
    return follow(reply, log);
  });

  app.delete<{ Params: { chatId: string } }>(
    "/api/ui/chat/:chatId/stream",
    async (request, reply) => {
      const owner = auth.owner(request.headers.authorization);
      const chatId = UiChatId.parse(request.params.chatId);
      const signal = abortOnClose(reply);
      const log = await findChatStream(store, chatId, signal);
      if (!log || log.owner !== owner) throw noSuchChat();
      const cancelled = log.state() === "running";
      if (cancelled) await streams.cancel(log.id, owner, signal);
      return reply.code(202).send({ id: chatId, cancelled });
    },
  );
}
