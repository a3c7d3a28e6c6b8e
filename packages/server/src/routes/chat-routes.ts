import { ChatRequest, type CompactFrame, errorFromEvent } from "@sluice/protocol";
import type { FastifyInstance } from "fastify";
import { collectLog } from "../http/collect-log.js";
import { ResponseWriter } from "../http/response-writer.js";
import { sseHeaders } from "../http/sse-headers.js";
import { writeLog } from "../http/write-log.js";
import { nativeStartOptions } from "./native-request.js";
import { abortOnClose, headersOf } from "./native-stream-routes.js";
import type { RouteContext } from "./route-context.js";

const compactDone = frame({ done: true });

function frame(value: CompactFrame): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The non-streaming fallback and the lesson's compact stream. */
export function registerChatRoutes(app: FastifyInstance, context: RouteContext): void {
  const { streams, auth, heartbeat } = context;

  // Neither route's client can resume: nothing is kept once the answer is out.
  const startFrom = (owner: string, body: ChatRequest, graceMs: number) =>
    streams.start({ ...nativeStartOptions(owner, body, graceMs), retain: false });

  app.post("/api/chat", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const body = ChatRequest.parse(request.body);
    // Nobody can resume a non-streaming answer, so a hang-up cancels it at once.
    const run = await startFrom(owner, body, 0);
    const detach = run.log.attachReader();
    try {
      const answer = await collectLog(run.log, abortOnClose(reply));
      const { terminal } = answer;
      if (terminal.type === "error") {
        throw run.failure ?? errorFromEvent(terminal);
      }
      return {
        content: answer.content,
        model: run.modelId,
        finish_reason: terminal.finish_reason,
        usage: terminal.usage,
        ...(terminal.value === undefined ? {} : { value: terminal.value }),
      };
    } finally {
      detach();
    }
  });

  app.post("/api/stream", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const body = ChatRequest.parse(request.body);
    const run = await startFrom(owner, body, 0);
    const writer = new ResponseWriter(reply.raw, heartbeat);
    const detach = run.log.attachReader();
    reply.hijack();
    writer.open(200, { ...sseHeaders, "x-stream-id": run.log.id, ...headersOf(reply) });
    try {
      await writeLog(writer, run.log, 0, ({ event }) => {
        if (event.type === "token") return frame({ t: event.content });
        if (event.type === "done") return compactDone;
        return event.type === "error" ? frame({ error: event.message }) : "";
      });
    } finally {
      detach();
    }
  });
}
