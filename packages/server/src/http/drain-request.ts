import type { IncomingMessage } from "node:http";

/** How much of a refused body is read and thrown away, and for how long, before answering. */
export interface DrainLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Reads and discards the rest of a request body the server has refused (too large), so that
 * the answer reaches the client: closing a socket with unread bytes in it makes the kernel
 * send a reset, which throws away the 413 the client had not read yet (seen as EPIPE while
 * the client is still sending). Resolves once the body has ended, or after `maxBytes` or
 * `timeoutMs`, whichever comes first; the connection is closed after the answer either way.
 */
export function drainRequest(request: IncomingMessage, limits: DrainLimits): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = () => {
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", finish);
      request.off("error", finish);
      request.off("close", finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.maxBytes) finish();
    };
    const timer = setTimeout(finish, limits.timeoutMs);
    request.on("data", onData);
    request.once("end", finish);
    request.once("error", finish);
    request.once("close", finish);
    request.resume();
  });
}
