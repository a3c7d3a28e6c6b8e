import { type ChatStream, ChatStreamRun } from "./chat-stream.js";
import { type ClientOptions, type ObjectSchema, resolveClientOptions } from "./client-options.js";
import { seqOf } from "./decode-event.js";
import { streamEvents } from "./stream-events.js";

/** Options of {@link resumeStream}. */
export interface ResumeOptions extends ClientOptions {
  /** Continue after this event id (`<stream id>:<seq>`); without it the stream is read from its first event. */
  lastEventId?: string;
}

/**
 * Attaches to an existing stream (`GET /api/streams/{id}`): what a reloaded page or a second
 * tab uses. From the start, or after `options.lastEventId`; then as {@link streamChat}.
 */
export function resumeStream<T = unknown>(
  streamId: string,
  options?: ResumeOptions & { schema?: ObjectSchema<T> },
): ChatStream<T> {
  const resolved = resolveClientOptions(options);
  const lastEventId = options?.lastEventId;
  return new ChatStreamRun<T>(
    resolved,
    {
      streamId,
      ...(lastEventId ? { lastEventId, lastSeq: seqOf(lastEventId) ?? 0 } : {}),
    },
    (context) => streamEvents(context, undefined),
  );
}
