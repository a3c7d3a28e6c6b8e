import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running {@link startNewlineFlood} upstream. */
export interface NewlineFlood {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Bytes written to responses so far. */
  readonly bytesSent: number;
  close(): Promise<void>;
}

/**
 * A hostile upstream for tests (the mock speaks only well-formed SSE): answers every request
 * with a 200 event stream that opens one line (`opening`, default `data: `) and never ends it,
 * writing up to `limitBytes` (default 200 MiB) as fast as the reader takes them.
 */
export async function startNewlineFlood(
  options: { opening?: string; limitBytes?: number } = {},
): Promise<NewlineFlood> {
  const limit = options.limitBytes ?? 200 * 1024 * 1024;
  const block = "x".repeat(64 * 1024);
  let bytesSent = 0;
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(options.opening ?? "data: ");
    const pump = () => {
      while (bytesSent < limit && !response.destroyed) {
        bytesSent += block.length;
        if (!response.write(block)) return void response.once("drain", pump);
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get bytesSent() {
      return bytesSent;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
