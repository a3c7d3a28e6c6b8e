import { encodeStreamEvent, formatEventId } from "@sluice/protocol";
import type { LogEntry } from "../streams/log-event.js";
import type { StreamLog } from "../streams/stream-log.js";
import type { ResponseWriter } from "./response-writer.js";
import { sseHeaders } from "./sse-headers.js";
import { writeLog } from "./write-log.js";

export interface NativeStreamOptions {
  /** The last seq the client has (from `Last-Event-ID`); 0 replays from the start. */
  after: number;
  /** Characters of the answer the client already has (`resume_from`); skipped, not resent. */
  skipChars?: number;
  headers?: Record<string, string>;
}

/**
 * A native reader: headers at once, then the log's frames as they come, every pending frame
 * in one write. The first message is data-less: it carries `retry` and an `id` naming the
 * stream, so that a browser EventSource cut before the first token still reconnects to this
 * stream rather than starting another.
 */
export async function sendNativeStream(
  writer: ResponseWriter,
  log: StreamLog,
  options: NativeStreamOptions,
): Promise<void> {
  writer.open(200, { ...sseHeaders, "x-stream-id": log.id, ...options.headers });
  await writer.write(`retry: 1000\nid: ${formatEventId(log.id, options.after)}\n\n`);
  const skip = options.skipChars ? new TextSkipper(log.id, options.skipChars) : undefined;
  await writeLog(writer, log, options.after, skip ? (entry) => skip.frame(entry) : frameOf);
}

function frameOf(entry: LogEntry): string {
  return entry.frame;
}

/** Drops the first `count` characters of the answer, and the events that came with them. */
class TextSkipper {
  #remaining: number;
  readonly #streamId: string;

  constructor(streamId: string, count: number) {
    this.#streamId = streamId;
    this.#remaining = count;
  }

  frame(entry: LogEntry): string {
    if (this.#remaining === 0) return entry.frame;
    const { event } = entry;
    if (event.type === "done" || event.type === "error") return entry.frame;
    if (event.type !== "token") return "";
    if (event.content.length <= this.#remaining) {
      this.#remaining -= event.content.length;
      return "";
    }
    const rest = event.content.slice(this.#remaining);
    this.#remaining = 0;
    return encodeStreamEvent(formatEventId(this.#streamId, entry.seq), {
      type: "token",
      content: rest,
    });
  }
}
