import type { StreamLog } from "./stream-log.js";
import type { StreamStore } from "./stream-store.js";

/**
 * The store key under which a chat's latest stream is found: a request key of its own
 * namespace (native request keys are base64url hashes, which hold no `:`), so the memory and
 * Redis stores keep the mapping, and let it expire with the stream, as they do for
 * `resume_from`. It names no owner: the stream it finds carries its owner, so that a chat of
 * another API key is told apart from a chat with no stream.
 */
export function chatStreamKey(chatId: string): string {
  return `chat:${chatId}`;
}

/** The chat's latest stream, live or retained, whoever owns it; undefined when it has none. */
export async function findChatStream(
  store: StreamStore,
  chatId: string,
  signal: AbortSignal,
): Promise<StreamLog | undefined> {
  const id = await store.findByRequestKey(chatStreamKey(chatId), signal);
  return id === undefined ? undefined : store.open(id, signal);
}
