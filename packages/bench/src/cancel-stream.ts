import type { Agent } from "node:http";
import { openConnection } from "./open-connection.js";

export interface CancelStreamOptions {
  /** The stream's URL: `…/api/streams/{id}`. */
  url: URL;
  headers: Record<string, string>;
  agent: Agent;
  /** Give up after this long. */
  timeoutMs: number;
}

/** Cancels a native stream with `DELETE /api/streams/{id}`, so that the upstream stops at once. */
export async function cancelStream(options: CancelStreamOptions): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  await openConnection({
    url: options.url,
    method: "DELETE",
    headers: options.headers,
    body: undefined,
    agent: options.agent,
    readDelayMs: null,
    signal: controller.signal,
    onResponse: () => {},
    onChunk: () => {},
  });
  clearTimeout(timer);
}
