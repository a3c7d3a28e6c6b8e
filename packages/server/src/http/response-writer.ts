import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Heartbeat } from "./heartbeat.js";

/**
 * One streaming HTTP response. Writes go straight to the socket; when it is full, the next
 * write waits for `drain` (the log keeps everything, so a slow client costs only its own
 * socket buffer). `signal` aborts when the client goes away.
 */
export class ResponseWriter {
  readonly signal: AbortSignal;
  /** performance.now() of the last write, read by the heartbeat. */
  lastWriteAt = 0;
  /** performance.now() since when a write has been waiting for `drain`, if one is. */
  blockedSince: number | undefined;
  readonly #response: ServerResponse;
  readonly #heartbeat: Heartbeat;
  readonly #closed = new AbortController();

  constructor(response: ServerResponse, heartbeat: Heartbeat) {
    this.#response = response;
    this.#heartbeat = heartbeat;
    this.signal = this.#closed.signal;
    response.once("close", () => {
      this.#heartbeat.remove(this);
      this.#closed.abort(new Error("The client closed the connection."));
    });
  }

  /** Bytes written but not yet taken by the client (Node's buffer and the socket's). */
  get bufferedBytes(): number {
    return this.#response.writableLength;
  }

  get headersSent(): boolean {
    return this.#response.headersSent;
  }

  /** Sends the status line and headers at once, and starts heartbeats from that moment. */
  open(status: number, headers: OutgoingHttpHeaders): void {
    this.#response.writeHead(status, headers);
    this.#response.flushHeaders();
    this.lastWriteAt = performance.now();
    this.#heartbeat.add(this);
  }

  /** Writes, and waits for `drain` only when the socket's buffer is full. */
  write(chunk: string): Promise<void> | undefined {
    this.lastWriteAt = performance.now();
    if (this.#response.write(chunk) || this.signal.aborted) return undefined;
    this.blockedSince = this.lastWriteAt;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.blockedSince = undefined;
        this.#response.off("drain", done);
        this.signal.removeEventListener("abort", done);
        resolve();
      };
      this.#response.once("drain", done);
      this.signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Ends the response normally. */
  end(chunk?: string): void {
    this.#heartbeat.remove(this);
    if (!this.#response.writableEnded) this.#response.end(chunk);
  }

  /** Cuts the connection, e.g. for a reader stuck too long; the client may resume. */
  destroy(): void {
    this.#heartbeat.remove(this);
    this.#response.destroy();
  }
}
