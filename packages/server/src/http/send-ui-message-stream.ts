import { createHash } from "node:crypto";
import type { StreamLog } from "../streams/stream-log.js";
import type { ResponseWriter } from "./response-writer.js";
import { sseHeaders } from "./sse-headers.js";
import { UiMessageChunks } from "./ui-message-chunks.js";
import { writeLog } from "./write-log.js";

/** What `ai`'s `UI_MESSAGE_STREAM_HEADERS` send, beside the SSE headers. */
const uiStreamHeaders = { ...sseHeaders, "x-vercel-ai-ui-message-stream": "v1" } as const;

/**
 * The id of the assistant message a stream writes: the same on every replay, so that a
 * resumed `useChat` replaces the message it had instead of adding a second one; derived from
 * the stream id without revealing it, since apps store message ids with their chats.
 */
function uiMessageId(streamId: string): string {
  return `msg-${createHash("sha256").update(streamId).digest("base64url").slice(0, 22)}`;
}

/**
 * A UI message stream reader (the AI SDK's `useChat`): headers at once, then the whole log
 * from its first event as UI message chunks, every pending event in one write, ending with
 * `data: [DONE]`. A replay is what `DefaultChatTransport` expects of a resume
 * (`resumeStreamIsReplay`).
 */
export async function sendUiMessageStream(
  writer: ResponseWriter,
  log: StreamLog,
  headers: Record<string, string>,
): Promise<void> {
  writer.open(200, { ...uiStreamHeaders, ...headers });
  const chunks = new UiMessageChunks();
  await writer.write(chunks.start(uiMessageId(log.id)));
  await writeLog(writer, log, 0, (entry) => chunks.encode(entry.event));
}
