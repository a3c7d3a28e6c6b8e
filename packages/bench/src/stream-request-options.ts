import type { Agent } from "node:http";
import type { StreamFormat } from "./stream-format.js";

/** How the client leaves a stream it aborts: close the socket, or also `DELETE` the stream. */
export type AbortStyle = "disconnect" | "delete";

export interface StreamRequestOptions {
  index: number;
  url: URL;
  format: StreamFormat;
  model: string;
  prompt: string;
  headers: Record<string, string>;
  agent: Agent;
  /** `performance.now()` when the request was due; its latencies count from here. */
  dueAt: number;
  /** `performance.now()` at the start of the run. */
  runStartedAt: number;
  /** The text the upstream will produce, when known; the received text is checked against it. */
  expectedText: string | null;
  /** Abort after this many tokens (a client that goes away); null never aborts. */
  abortAfterTokens: number | null;
  abortStyle: AbortStyle;
  /** Pause this long after each read (a slow reader); null reads at once. */
  readDelayMs: number | null;
  /** Reconnections allowed to resume a cut stream (native streams only). */
  maxResumes: number;
  timeoutMs: number;
  signal: AbortSignal;
}
