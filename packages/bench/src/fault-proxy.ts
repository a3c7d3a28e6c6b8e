import { createServer, connect as netConnect, type Socket } from "node:net";

export interface FaultProxyOptions {
  /** Where connections are forwarded (an `http://127.0.0.1:port` origin). */
  target: URL;
  /** Cut every nth request that passes through (1 cuts all); 0 never cuts. */
  cutEvery: number;
  /** Bytes of a cut request's response forwarded before the connection is cut. */
  cutAfterBytes: number;
}

export interface FaultProxy {
  /** The proxy's origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Requests seen and connections cut so far. */
  counts(): { requests: number; cuts: number };
  close(): Promise<void>;
}

/**
 * A TCP proxy that cuts chosen connections in the middle of a response, to check that clients
 * resume and lose nothing. It knows no HTTP beyond this: on a keep-alive connection, bytes from
 * the client after response bytes begin a new request.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let requests = 0;
  let cuts = 0;
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = netConnect({
      host: options.target.hostname,
      port: Number(options.target.port),
    });
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let responding = true;
    let cutThisRequest = false;
    let forwarded = 0;

    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk) => {
      if (responding) {
        responding = false;
        requests += 1;
        cutThisRequest = options.cutEvery > 0 && requests % options.cutEvery === 0;
        forwarded = 0;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      responding = true;
      if (!cutThisRequest) {
        if (!client.write(chunk)) upstream.pause();
        return;
      }
      const allowed = options.cutAfterBytes - forwarded;
      forwarded += chunk.length;
      if (chunk.length < allowed) {
        client.write(chunk);
        return;
      }
      cuts += 1;
      client.end(chunk.subarray(0, Math.max(allowed, 0)), () => closeBoth());
      upstream.destroy();
    });
    client.on("drain", () => upstream.resume());
    client.on("close", () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.end();
    });
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ requests, cuts }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
