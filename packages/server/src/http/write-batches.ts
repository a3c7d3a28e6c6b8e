import type { LogEntry } from "../streams/log-event.js";
import type { ResponseWriter } from "./response-writer.js";

/**
 * Writes each batch of log entries as one chunk (what `encode` makes of its entries), waiting
 * for `drain` only when the socket is full, then ends the response. A failure cuts the
 * connection instead of ending it: a client that sees no terminal event knows to resume.
 */
export async function writeBatches(
  writer: ResponseWriter,
  batches: AsyncIterable<readonly LogEntry[]>,
  encode: (entry: LogEntry) => string,
): Promise<void> {
  try {
    for await (const entries of batches) {
      let chunk = "";
      for (const entry of entries) chunk += encode(entry);
      if (chunk !== "") await writer.write(chunk);
    }
    writer.end();
  } catch (error) {
    writer.destroy();
    if (!writer.signal.aborted) throw error;
  }
}
