import {
  ChatQuery,
  ChatRequest,
  type EventPosition,
  parseEventId,
  SluiceError,
} from "@sluice/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ResponseWriter } from "../http/response-writer.js";
import { sendNativeStream } from "../http/send-native-stream.js";
import type { StreamTokenScope } from "../http/stream-tokens.js";
import type { StreamLog } from "../streams/stream-log.js";
import { nativeStartOptions, requestKey } from "./native-request.js";
import type { RouteContext } from "./route-context.js";

/** How long a resume may wait for a shared store to catch up with its `Last-Event-ID`. */
const catchUpMs = 2000;

/** `Last-Event-ID` from the header, or from `?last_event_id=` for clients that cannot set it. */
function lastEventPosition(request: FastifyRequest, query?: string): EventPosition | undefined {
  const header = request.headers["last-event-id"];
  const value = (Array.isArray(header) ? header[0] : header) ?? query;
  return value === undefined || value === "" ? undefined : parseEventId(value);
}

/** The native SSE routes: start a stream, follow or resume one, cancel one. */
export function registerNativeStreamRoutes(app: FastifyInstance, context: RouteContext): void {
  const { streams, auth, heartbeat, config, tokens, metrics } = context;

  /**
   * Who reads or cancels stream `id`: the bearer key's owner, or, with `?token=`, the holder
   * of a stream token for `id` with that scope (null: the token stands for the stream's owner).
   */
  const accessTo = (
    request: FastifyRequest,
    id: string,
    scope: StreamTokenScope,
    token: string | undefined,
  ): string | null => {
    if (token === undefined) return auth.owner(request.headers.authorization);
    tokens.verify(token, id, scope);
    return null;
  };

  /** The scopes a bearer-authenticated client asked for (`X-Stream-Token-Scope: cancel`). */
  const scopesOf = (request: FastifyRequest): StreamTokenScope[] =>
    String(request.headers["x-stream-token-scope"] ?? "").includes("cancel")
      ? ["read", "cancel"]
      : ["read"];

  /**
   * Attaches this response as a reader of the log until the terminal event or a hang-up. A
   * client that came with its key gets a stream token (`X-Stream-Token`) for `scopes`; one that
   * came with a token has one already.
   */
  const follow = async (
    reply: FastifyReply,
    log: StreamLog,
    after: number,
    scopes: StreamTokenScope[] | null,
    skipChars = 0,
    created = false,
  ) => {
    if (after > log.lastSeq() && log.state() === "running") {
      // A shared store's copy may trail the instance that generates: give it a moment.
      const catchUp = AbortSignal.any([abortOnClose(reply), AbortSignal.timeout(catchUpMs)]);
      await log.readAfter(after - 1, catchUp).catch(() => undefined);
    }
    if (after > log.lastSeq()) {
      throw new SluiceError("invalid_request", "Last-Event-ID is ahead of the stream.", {
        param: "Last-Event-ID",
      });
    }
    if (after > 0 && after === log.lastSeq() && log.state() !== "running") {
      // Nothing more will come: 204 tells a browser EventSource to stop reconnecting.
      return reply.code(204).header("x-stream-id", log.id).send();
    }
    const writer = new ResponseWriter(reply.raw, heartbeat);
    const detach = log.attachReader();
    metrics.readerAttaches.inc({
      kind: after > 0 || skipChars > 0 ? "resume" : created ? "new" : "reconnect",
    });
    reply.hijack();
    // What the gateway spent before the headers: all of it, and the store's part for a new stream.
    const timing = [
      ...(created ? [`store;dur=${streams.storeMs(log.id).toFixed(1)}`] : []),
      `gateway;dur=${reply.elapsedTime.toFixed(1)}`,
    ].join(", ");
    try {
      await sendNativeStream(writer, log, {
        after,
        skipChars,
        headers: {
          ...headersOf(reply),
          "server-timing": timing,
          ...(scopes ? { "x-stream-token": tokens.issue(log.id, scopes) } : {}),
        },
      });
    } finally {
      detach();
    }
  };

  const start = async (
    reply: FastifyReply,
    owner: string,
    body: ChatRequest,
    scopes: StreamTokenScope[],
  ) => {
    const key = requestKey(owner, body);
    if (body.resume_from) {
      const existing = await streams.findByRequestKey(key, owner, abortOnClose(reply));
      if (existing) return follow(reply, existing, 0, scopes, body.resume_from);
    }
    const run = await streams.start({
      ...nativeStartOptions(owner, body, config.STREAM_GRACE_MS),
      requestKey: key,
      ...(body.resume_from
        ? { notice: "Could not resume: the earlier stream is gone, so a new generation started." }
        : {}),
    });
    return follow(reply, run.log, 0, scopes, 0, true);
  };

  app.post("/api/chat/stream", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const position = lastEventPosition(request);
    const scopes = scopesOf(request);
    if (position) {
      const log = await streams.open(position.streamId, owner, abortOnClose(reply));
      return follow(reply, log, position.seq, scopes);
    }
    // No signal for a new stream: nothing it awaits before the response takes over needs one,
    // and an AbortSignal costs about 0.8 KB for the whole life of the stream.
    return start(reply, owner, ChatRequest.parse(request.body), scopes);
  });

  app.get("/api/chat/stream", async (request, reply) => {
    const { last_event_id: lastEventIdQuery, token, ...query } = ChatQuery.parse(request.query);
    // A browser EventSource reconnecting by itself sends Last-Event-ID: resume, never restart.
    const position = lastEventPosition(request, lastEventIdQuery);
    if (position) {
      const owner = accessTo(request, position.streamId, "read", token);
      const log = await streams.open(position.streamId, owner, abortOnClose(reply));
      return follow(reply, log, position.seq, owner === null ? null : scopesOf(request));
    }
    if (token !== undefined) {
      throw new SluiceError("unauthorized", "A stream token reads a stream; it cannot start one.", {
        param: "token",
      });
    }
    const owner = auth.owner(request.headers.authorization);
    return start(reply, owner, ChatRequest.parse(query), scopesOf(request));
  });

  app.get<{ Params: { id: string }; Querystring: { last_event_id?: string; token?: string } }>(
    "/api/streams/:id",
    async (request, reply) => {
      const owner = accessTo(request, request.params.id, "read", request.query.token);
      const position = lastEventPosition(request, request.query.last_event_id);
      if (position && position.streamId !== request.params.id) {
        throw new SluiceError("invalid_request", "Last-Event-ID names another stream.", {
          param: "Last-Event-ID",
        });
      }
      const log = await streams.open(request.params.id, owner, abortOnClose(reply));
      return follow(reply, log, position?.seq ?? 0, owner === null ? null : scopesOf(request));
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { token?: string } }>(
    "/api/streams/:id",
    async (request, reply) => {
      const owner = accessTo(request, request.params.id, "cancel", request.query.token);
      const log = await streams.cancel(request.params.id, owner, abortOnClose(reply));
      return reply.code(202).send({ id: log.id, cancelled: log.state() === "running" });
    },
  );
}

/** The headers Fastify's hooks (CORS) set on the reply, for a response written by hand. */
export function headersOf(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** A signal that aborts when the client hangs up while the route is still working. */
export function abortOnClose(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => controller.abort(new Error("The client closed the connection.")));
  return controller.signal;
}
