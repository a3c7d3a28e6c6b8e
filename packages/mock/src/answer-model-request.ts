import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultLedger } from "./fault-ledger.js";
import type { MockDialect, MockExchange, MockPlayback } from "./mock-exchange.js";
import { type MockKnobs, parseMockKnobs } from "./mock-knobs.js";
import type { StatsBoard } from "./mock-stats.js";
import { readJsonBody } from "./read-json-body.js";
import { pace } from "./token-pacer.js";

/** What every model request shares: the knob defaults, the fault counts, the stats. */
export interface MockState {
  defaults: MockKnobs;
  ledger: FaultLedger;
  board: StatsBoard;
  /** Sees each model request's path and body first. */
  onRequest?: (request: { path: string; body: Record<string, unknown> }) => void;
}

const bodyLimitBytes = 10 * 1024 * 1024;
const statusFaults = new Set(["401", "403", "404", "429", "500", "503", "529"]);

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("&") : (value ?? "");
}

/**
 * Answers a model route: reads the body, resolves the knobs (defaults, then the model
 * name's `?` part, then the `x-mock` header), injects a status fault or lets `dialect`
 * answer, and counts what it plays as a stream.
 */
export async function answerModelRequest(
  request: IncomingMessage,
  response: ServerResponse,
  dialect: MockDialect,
  state: MockState,
): Promise<void> {
  const body = await readJsonBody(request, bodyLimitBytes);
  if (!body.ok) return dialect.sendError(response, body.status, body.message);
  state.onRequest?.({
    path: new URL(request.url ?? "/", "http://mock").pathname,
    body: body.value,
  });
  const requested = body.value.model;
  if (typeof requested !== "string") {
    return dialect.sendError(response, 400, "model: a model name is required.");
  }
  const separator = requested.indexOf("?");
  const model = separator < 0 ? requested : requested.slice(0, separator);
  const modelKnobs = separator < 0 ? "" : requested.slice(separator + 1);
  const headerKnobs = headerText(request.headers["x-mock"]);
  let knobs: MockKnobs;
  try {
    knobs = { ...state.defaults, ...parseMockKnobs(modelKnobs), ...parseMockKnobs(headerKnobs) };
  } catch (error) {
    return dialect.sendError(response, 400, (error as Error).message);
  }
  const fault =
    knobs.fault !== "none" && state.ledger.take(`${modelKnobs}\n${headerKnobs}`, knobs.times)
      ? knobs.fault
      : "none";
  if (statusFaults.has(fault)) {
    const retryAfter =
      fault === "429"
        ? {
            "retry-after": String(Math.ceil(knobs.retryAfterSeconds)),
            "retry-after-ms": String(Math.round(knobs.retryAfterSeconds * 1000)),
          }
        : {};
    return dialect.sendError(response, Number(fault), undefined, retryAfter);
  }
  const exchange: MockExchange = {
    request,
    response,
    body: body.value,
    model,
    knobs,
    fault,
    promptTokens: Math.max(
      1,
      Math.ceil(
        JSON.stringify([body.value.system ?? null, body.value.messages ?? null]).length / 4,
      ),
    ),
    play(playback: MockPlayback) {
      state.board.countStart();
      response.writeHead(playback.status ?? 200, playback.headers);
      const timing = {
        ...knobs,
        ttftMs: playback.delayMs ?? knobs.ttftMs,
        ending: playback.ending,
      };
      void pace(response, playback.script, timing).then((outcome) => state.board.countEnd(outcome));
    },
  };
  dialect.answer(exchange);
}
