import type { Agent, IncomingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";

/** How one HTTP exchange ended. */
export type ConnectionEnd =
  | { kind: "ended" }
  | { kind: "status"; status: number; body: string }
  | { kind: "cut"; code: string }
  | { kind: "aborted" };

export interface ConnectionOptions {
  url: URL;
  method: "GET" | "POST" | "DELETE";
  headers: Record<string, string>;
  body: string | undefined;
  agent: Agent;
  /** Pause this long after each chunk read: a slow reader, so the server's buffers fill. */
  readDelayMs: number | null;
  /** Called once with the headers of a 2xx response. */
  onResponse(headers: IncomingHttpHeaders): void;
  /** Called with every chunk of a 2xx response's body. */
  onChunk(chunk: Buffer): void;
  signal: AbortSignal;
}

/** Characters of an error response's body kept for the report. */
const errorBodyLength = 500;

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "unknown";
}

/**
 * Runs one HTTP exchange with `node:http` (a keep-alive agent reuses sockets; no per-chunk
 * promise or allocation beyond the chunk itself) and resolves with how it ended; never rejects.
 */
export function openConnection(options: ConnectionOptions): Promise<ConnectionEnd> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (end: ConnectionEnd): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      resolve(end);
    };
    const onAbort = (): void => {
      request.destroy();
      settle({ kind: "aborted" });
    };
    const headers: Record<string, string> = { accept: "text/event-stream", ...options.headers };
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(options.body));
    }
    const request = httpRequest(options.url, {
      method: options.method,
      headers,
      agent: options.agent,
    });
    request.on("error", (error) => settle({ kind: "cut", code: errorCode(error) }));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        // The server's reason, so a failed run says why (kept short: a body could be huge).
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => {
          if (body.length < errorBodyLength) body += text.slice(0, errorBodyLength - body.length);
        });
        response.on("end", () => settle({ kind: "status", status, body }));
        response.on("error", () => settle({ kind: "status", status, body }));
        response.on("close", () => settle({ kind: "status", status, body }));
        return;
      }
      options.onResponse(response.headers);
      const delay = options.readDelayMs;
      response.on("data", (chunk: Buffer) => {
        options.onChunk(chunk);
        if (delay !== null && !settled) {
          response.pause();
          setTimeout(() => response.resume(), delay);
        }
      });
      response.on("end", () => settle({ kind: "ended" }));
      response.on("error", (error) => settle({ kind: "cut", code: errorCode(error) }));
      response.on("close", () => {
        if (!response.complete) settle({ kind: "cut", code: "ECONNRESET" });
      });
    });
    if (options.signal.aborted) {
      onAbort();
      return;
    }
    options.signal.addEventListener("abort", onAbort, { once: true });
    request.end(options.body);
  });
}
