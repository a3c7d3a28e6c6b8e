import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerModelRequest, type MockState } from "./answer-model-request.js";
import { anthropicDialect } from "./anthropic-dialect.js";
import { FaultLedger } from "./fault-ledger.js";
import type { MockDialect } from "./mock-exchange.js";
import { defaultMockKnobs, type MockKnobs } from "./mock-knobs.js";
import { type MockStats, StatsBoard, type WaitForOptions } from "./mock-stats.js";
import { modelsBody } from "./models-body.js";
import { openAIDialect } from "./openai-dialect.js";

/** Where the mock listens, and the knob values for requests that do not set them. */
export interface MockOptions extends Partial<MockKnobs> {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The models `GET /v1/models` lists. Default `["mock"]`. */
  models?: string[];
  /**
   * Called with each model request's path and parsed body, before it is answered: lets tests
   * see what a client sent (e.g. the messages of a continuation). The wire format is unchanged.
   */
  onRequest?: (request: MockRequestRecord) => void;
}

/** What {@link MockOptions.onRequest} receives. */
export interface MockRequestRecord {
  path: string;
  body: Record<string, unknown>;
}

/** A running mock upstream. */
export interface MockServer {
  /** `http://HOST:PORT`, without a trailing slash. */
  url: string;
  port: number;
  /** A copy of the counters. */
  stats(): MockStats;
  /** Zeroes the counters (but `open_streams`) and forgets the faults already injected. */
  reset(): void;
  /**
   * Resolves as soon as `predicate` holds, checked at once and on every change of the
   * counters; rejects after `timeoutMs` (default 5000) with the counters in the message.
   */
  waitFor(predicate: (stats: MockStats) => boolean, options?: WaitForOptions): Promise<MockStats>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

const dialects: Record<string, MockDialect> = {
  "/v1/chat/completions": openAIDialect,
  "/v1/messages": anthropicDialect,
};

function sendJson(response: ServerResponse, text: string): void {
  response.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Starts the upstream simulator: OpenAI's `POST /v1/chat/completions`, Anthropic's
 * `POST /v1/messages`, `GET /v1/models`, and `GET /__stats` and `POST /__reset` for tests.
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", models = ["mock"], onRequest, ...knobOptions } = options;
  const defaults: MockKnobs = { ...defaultMockKnobs };
  for (const [name, value] of Object.entries(knobOptions)) {
    if (value !== undefined) Object.assign(defaults, { [name]: value });
  }
  const state: MockState = {
    defaults,
    ledger: new FaultLedger(),
    board: new StatsBoard(),
    ...(onRequest ? { onRequest } : {}),
  };
  const reset = () => {
    state.ledger.clear();
    state.board.reset();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://mock").pathname;
    if (path === "/__stats" && request.method === "GET") {
      return sendJson(response, JSON.stringify(state.board.snapshot()));
    }
    if (path === "/__reset" && request.method === "POST") {
      reset();
      return sendJson(response, JSON.stringify(state.board.snapshot()));
    }
    state.board.countRequest(path);
    if (path === "/v1/models" && request.method === "GET") {
      return sendJson(response, modelsBody(models, request.headers));
    }
    const dialect = dialects[path];
    if (!dialect || request.method !== "POST") {
      const message = `Invalid URL (${request.method} ${path})`;
      return (dialect ?? openAIDialect).sendError(response, 404, message);
    }
    await answerModelRequest(request, response, dialect, state);
  };

  const server = createServer((request, response) => {
    // A request whose connection fails while its body is read needs no answer.
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A gateway under load opens thousands of upstream connections at once.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    stats: () => state.board.snapshot(),
    reset,
    waitFor: (predicate, waitOptions) => state.board.waitFor(predicate, waitOptions),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
