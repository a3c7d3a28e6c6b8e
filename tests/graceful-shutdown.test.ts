import assert from "node:assert/strict";
import { Agent, type IncomingMessage, request } from "node:http";
import { connect } from "node:net";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { readStreamEvents, type ServerEvent } from "@sluice/client";
import { mockText } from "@sluice/mock";
import { useMockAndGatewayProcess } from "./support/mock-and-gateway.js";

/**
 * SIGTERM: the gateway stops accepting, lets running streams finish for SHUTDOWN_GRACE_MS,
 * ends the rest with a retryable error so that their clients resume elsewhere, and exits 0.
 */

interface TrackedStream {
  /** Settles when the first token has arrived. */
  firstToken: Promise<void>;
  /** Settles when the response has ended, cleanly or not. */
  ended: Promise<{ events: ServerEvent[]; text: string }>;
  isEnded(): boolean;
}

// Like a browser, the client keeps idle connections open: the gateway must not wait for it.
const keepAlive = new Agent({ keepAlive: true });

function post(url: string, body: unknown): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}/api/chat/stream`, {
      method: "POST",
      agent: keepAlive,
      headers: { "content-type": "application/json" },
    });
    outgoing.once("response", resolve).once("error", reject).end(JSON.stringify(body));
  });
}

function track(url: string, model: string): TrackedStream {
  let tokenArrived: () => void = () => {};
  const firstToken = new Promise<void>((resolve) => {
    tokenArrived = resolve;
  });
  let isEnded = false;
  const read = async () => {
    const response = await post(url, { message: "Hello", model });
    assert.equal(response.statusCode, 200);
    const body = Readable.toWeb(response) as ReadableStream<Uint8Array>;
    const events: ServerEvent[] = [];
    let text = "";
    try {
      for await (const { event } of readStreamEvents(body)) {
        events.push(event);
        if (event.type === "token") {
          text += event.content;
          tokenArrived();
        }
      }
    } catch {
      // A cut connection: the missing terminal event shows in the assertions.
    }
    isEnded = true;
    return { events, text };
  };
  const ended = read();
  // A stream that fails before its first token must not leave the test waiting.
  ended.then(tokenArrived, tokenArrived);
  return { firstToken, ended, isEnded: () => isEnded };
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("graceful shutdown on SIGTERM", () => {
  after(() => keepAlive.destroy());
  const servers = useMockAndGatewayProcess({ SHUTDOWN_GRACE_MS: "10000" });

  test("with 20 open streams: short ones finish with done, long ones get a retryable error, exit 0", async () => {
    const { mock, gateway } = servers;
    // Short: 60 tokens over 3 s, well within the grace, yet still open when all 20 have started
    // on a loaded machine. Long: 1000 tokens over 25 s.
    const shortModel = (seed: number) => `openai/mock?tokens=60&gap=50&ttft=1&seed=${seed}`;
    const longModel = (seed: number) => `openai/mock?tokens=1000&gap=25&ttft=1&seed=${seed}`;
    const short = Array.from({ length: 10 }, (_, index) => track(gateway.url, shortModel(index)));
    const long = Array.from({ length: 10 }, (_, index) => track(gateway.url, longModel(index)));
    await Promise.all([...short, ...long].map((stream) => stream.firstToken));
    await mock.waitFor((stats) => stats.open_streams === 20);

    gateway.signal("SIGTERM");
    const refusedAt = performance.now();
    while (!(await refused(gateway.port))) {
      assert.ok(performance.now() - refusedAt < 8000, "still accepting 8 s after SIGTERM");
    }
    // Refused while streams were still being served: the long ones run until the grace ends.
    assert.ok(
      long.every((stream) => !stream.isEnded()),
      "a long stream ended before the gateway stopped accepting",
    );

    const shortResults = await Promise.all(short.map((stream) => stream.ended));
    const longResults = await Promise.all(long.map((stream) => stream.ended));
    shortResults.forEach(({ events, text }, seed) => {
      const terminal = events.at(-1);
      assert.equal(terminal?.type, "done", `short stream ${seed}: ${JSON.stringify(terminal)}`);
      assert.equal(terminal.type === "done" && terminal.finish_reason, "stop");
      assert.equal(text, mockText({ tokens: 60, seed }));
    });
    longResults.forEach(({ events, text }, seed) => {
      const terminal = events.at(-1);
      assert.deepEqual(terminal, {
        type: "error",
        error_type: "network_error",
        message: "The server is shutting down; resume elsewhere.",
        retryable: true,
      });
      assert.ok(text.length > 0 && mockText({ tokens: 1000, seed }).startsWith(text));
    });
    for (const { events } of [...shortResults, ...longResults]) {
      const terminals = events.filter((event) => event.type === "done" || event.type === "error");
      assert.equal(terminals.length, 1);
    }

    // Bounded well below the server's keep-alive timeout (72 s), which idle connections would hold.
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      gateway.exited,
      new Promise((resolve) => {
        timer = setTimeout(resolve, 15_000, "still running 15 s after the streams ended");
      }),
    ]);
    clearTimeout(timer);
    assert.deepEqual(exit, { code: 0, signal: null }, gateway.stderr());
    await mock.waitFor((stats) => stats.open_streams === 0);
    assert.equal(mock.stats().aborted_streams, 10);
  });
});
