import { errorFromEvent, OpenAIChatRequest } from "@sluice/protocol";
import type { FastifyInstance } from "fastify";
import { collectLog } from "../http/collect-log.js";
import { openAIErrorBody, retryHeaders } from "../http/error-body.js";
import { ResponseWriter } from "../http/response-writer.js";
import { sendOpenAIStream } from "../http/send-openai-stream.js";
import { abortOnClose, headersOf } from "./native-stream-routes.js";
import type { RouteContext } from "./route-context.js";

/** `POST /v1/chat/completions` and `GET /v1/models`, as OpenAI's SDKs expect them. */
export function registerOpenAIRoutes(app: FastifyInstance, context: RouteContext): void {
  const { streams, auth, heartbeat, providers } = context;

  app.post("/v1/chat/completions", async (request, reply) => {
    const owner = auth.owner(request.headers.authorization);
    const body = OpenAIChatRequest.parse(request.body);
    const { model, stream, stream_options, ...rest } = body;
    // OpenAI clients never resume, so a hang-up cancels the upstream request at once.
    // OpenAI's clients cannot resume: no grace, and nothing kept once the answer is out.
    const run = await streams.start({ owner, model, request: rest, graceMs: 0, retain: false });
    const detach = run.log.attachReader();
    try {
      if (!stream) {
        const answer = await collectLog(run.log, abortOnClose(reply));
        if (answer.terminal.type === "error") {
          throw run.failure ?? errorFromEvent(answer.terminal);
        }
        return reply.send(chatCompletion(run.log.id, model, answer));
      }
      const writer = new ResponseWriter(reply.raw, heartbeat);
      reply.hijack();
      const failure = await sendOpenAIStream(writer, run.log, {
        model,
        includeUsage: stream_options?.include_usage === true,
        headers: headersOf(reply),
        failure: () => run.failure,
      });
      if (failure) {
        reply.raw.writeHead(failure.status, {
          ...headersOf(reply),
          "content-type": "application/json",
          ...retryHeaders(failure),
        });
        reply.raw.end(JSON.stringify(openAIErrorBody(failure)));
      }
      return reply;
    } finally {
      detach();
    }
  });

  app.get("/v1/models", async (request) => {
    auth.owner(request.headers.authorization);
    const { models, unavailable } = await providers.listModels(AbortSignal.timeout(5000));
    // Fields beyond OpenAI's list: for the chat page, the model used when a request names
    // none, and which models are simulated (the demo) so that the page can say so; for
    // operators, the providers that could not be listed, instead of silently missing.
    return {
      object: "list",
      data: models.map((id) => {
        const owner = id.split("/")[0];
        // An alias (SLUICE_CONFIG's models, never with a "/") belongs to the gateway.
        const ownedBy = id.includes("/") ? owner : "sluice";
        return { id, object: "model", created: 0, owned_by: ownedBy, simulated: owner === "demo" };
      }),
      default_model: providers.defaultModel,
      ...(unavailable.length > 0 ? { unavailable } : {}),
    };
  });
}

function chatCompletion(
  streamId: string,
  model: string,
  answer: Awaited<ReturnType<typeof collectLog>>,
) {
  const done = answer.terminal.type === "done" ? answer.terminal : undefined;
  const toolCalls = answer.toolCalls.filter(Boolean);
  const finishReason =
    toolCalls.length > 0 && done?.finish_reason === "stop" ? "tool_calls" : done?.finish_reason;
  const usage = done?.usage;
  return {
    id: `chatcmpl-${streamId}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: toolCalls.length > 0 && answer.content === "" ? null : answer.content,
          refusal: null,
          ...(toolCalls.length > 0
            ? {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishReason === "cancelled" ? "stop" : (finishReason ?? "stop"),
      },
    ],
    usage: usage
      ? {
          prompt_tokens: usage.prompt_tokens,
          completion_tokens: usage.completion_tokens,
          total_tokens: usage.total_tokens,
        }
      : undefined,
  };
}
