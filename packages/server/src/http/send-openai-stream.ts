import { type ErrorEvent, errorFromEvent, type SluiceError } from "@sluice/protocol";
import type { LogEntry } from "../streams/log-event.js";
import type { StreamLog } from "../streams/stream-log.js";
import { openAIErrorBody } from "./error-body.js";
import {
  OpenAIChunks,
  type OpenAIFinishReason,
  openAIDoneFrame,
  openAIErrorFrame,
} from "./openai-chunks.js";
import type { ResponseWriter } from "./response-writer.js";
import { sseHeaders } from "./sse-headers.js";
import { writeLog } from "./write-log.js";

export interface OpenAIStreamOptions {
  model: string;
  includeUsage: boolean;
  headers: Record<string, string>;
  /** The run's own error, which keeps what the event drops (the upstream's retry-after). */
  failure: () => SluiceError | undefined;
}

/**
 * Waits for the provider's first chunk before any header goes out, so that a failure before
 * the first token can still be a real HTTP status. Returns that failure instead of writing,
 * or streams OpenAI chunks to the end and returns undefined.
 */
export async function sendOpenAIStream(
  writer: ResponseWriter,
  log: StreamLog,
  options: OpenAIStreamOptions,
): Promise<SluiceError | undefined> {
  const failure = (event: ErrorEvent) => options.failure() ?? errorFromEvent(event);
  const pending: LogEntry[] = [];
  for (;;) {
    const entries = await log.readAfter(pending.at(-1)?.seq ?? 0, writer.signal);
    if (entries.length === 0) break;
    pending.push(...entries);
    const first = pending.find(({ event }) => event.type !== "status" && event.type !== "json");
    if (!first) continue;
    if (first.event.type === "error") return failure(first.event);
    break;
  }
  const chunks = new OpenAIChunks(
    `chatcmpl-${log.id}`,
    options.model,
    Math.floor(Date.now() / 1000),
  );
  writer.open(200, { ...sseHeaders, "x-stream-id": log.id, ...options.headers });
  let sawToolCall = false;
  const encode = ({ event }: LogEntry): string => {
    switch (event.type) {
      case "token":
        return chunks.content(event.content);
      case "tool_call":
        sawToolCall = true;
        return chunks.toolCall(event);
      case "done": {
        if (event.finish_reason === "cancelled") {
          return openAIErrorFrame("The stream was cancelled.", "api_error", "cancelled");
        }
        const reason: OpenAIFinishReason =
          sawToolCall && event.finish_reason === "stop" ? "tool_calls" : event.finish_reason;
        const usage = options.includeUsage ? chunks.usage(event.usage) : "";
        return chunks.finish(reason) + usage + openAIDoneFrame;
      }
      case "error": {
        const body = openAIErrorBody(errorFromEvent(event));
        return openAIErrorFrame(body.error.message, body.error.type, body.error.code);
      }
      default:
        return "";
    }
  };
  await writer.write(chunks.role());
  // What was read before the headers, then the rest of the log from there.
  let chunk = "";
  for (const entry of pending) chunk += encode(entry);
  await writer.write(chunk);
  await writeLog(writer, log, pending.at(-1)?.seq ?? 0, encode);
  return undefined;
}
