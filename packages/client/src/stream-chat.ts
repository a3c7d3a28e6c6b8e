import type { ChatRequest } from "@sluice/protocol";
import { type ChatStream, ChatStreamRun } from "./chat-stream.js";
import { type ClientOptions, type ObjectSchema, resolveClientOptions } from "./client-options.js";
import { streamEvents } from "./stream-events.js";

/**
 * Starts one generation (`POST /api/chat/stream`) and streams its answer, resuming by itself
 * after cuts and stalls, falling back to `POST /api/chat` where streaming cannot work. One call
 * starts at most one generation.
 *
 * @param request the contract's chat request: `message` or `messages`, `model`, `smooth`, `response_format`, ...
 */
export function streamChat<T = unknown>(
  request: ChatRequest,
  options?: ClientOptions & { schema?: ObjectSchema<T> },
): ChatStream<T> {
  const resolved = resolveClientOptions(options);
  return new ChatStreamRun<T>(resolved, {}, (context) => streamEvents(context, request));
}
