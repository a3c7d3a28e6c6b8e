import { connect, createServer, type Socket } from "node:net";

export interface CuttingProxy {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** How a connection's budget ends: `cut` closes it, `stall` stops forwarding and keeps it open. */
export type CuttingMode = "cut" | "stall";

/** Options of {@link startCuttingProxy}. */
export interface CuttingProxyOptions {
  /**
   * Cut only the responses to requests whose first bytes (the request line) match: the n-th
   * matching request is cut after `cutAfterBytes[n]` bytes of what follows it, whichever
   * connection carries it. Others (a page and its assets) pass untouched. Default: every
   * connection counts, from its first byte.
   */
  cutRequests?: RegExp;
}

/**
 * A loopback TCP proxy whose first connections (or first matching requests, see
 * {@link CuttingProxyOptions.cutRequests}) are cut after a planned number of response bytes
 * (`cutAfterBytes[n]` for the n-th); later ones pass untouched. With `mode: "stall"` such a
 * connection is not closed but goes silent, as a dead NAT path does.
 */
export async function startCuttingProxy(
  target: string,
  cutAfterBytes: number[],
  mode: CuttingMode = "cut",
  options: CuttingProxyOptions = {},
): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let accepted = 0;
  let armed = 0;
  const server = createServer((client) => {
    let budget = options.cutRequests ? undefined : cutAfterBytes[accepted];
    accepted += 1;
    const upstream = connect({ host: hostname, port: Number(port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    const pattern = options.cutRequests;
    if (pattern) {
      client.on("data", (chunk: Buffer) => {
        if (budget === undefined && pattern.test(chunk.toString("latin1", 0, 200))) {
          budget = cutAfterBytes[armed];
          armed += 1;
        }
      });
    } else if (budget === undefined) {
      upstream.pipe(client);
      return;
    }
    let left: number | undefined;
    upstream.on("data", (chunk: Buffer) => {
      if (budget === undefined) {
        client.write(chunk);
        return;
      }
      left ??= budget;
      if (chunk.length < left) {
        left -= chunk.length;
        client.write(chunk);
        return;
      }
      client.write(chunk.subarray(0, left));
      left = 0;
      if (mode === "stall") {
        // Nothing more reaches the client, and nobody closes: only its own timer can tell.
        upstream.removeAllListeners("data");
        upstream.removeAllListeners("end");
        upstream.on("data", () => {});
        return;
      }
      client.destroy();
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
