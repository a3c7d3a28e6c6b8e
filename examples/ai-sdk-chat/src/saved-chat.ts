import type { UIMessage } from "ai";

/**
 * The chat id lives in the URL's hash, so that a reload finds the same chat and
 * `useChat({ resume: true })` can ask Sluice for its running stream.
 */
export function chatIdFromUrl(): string {
  const match = /^#chat=([A-Za-z0-9_-]{1,256})$/.exec(window.location.hash);
  if (match?.[1]) return match[1];
  const id = crypto.randomUUID();
  window.history.replaceState(null, "", `#chat=${id}`);
  return id;
}

const key = (chatId: string) => `ai-sdk-chat:${chatId}`;

/** The messages saved for this chat in this tab, or none. */
export function loadMessages(chatId: string): UIMessage[] {
  const saved = sessionStorage.getItem(key(chatId));
  return saved ? (JSON.parse(saved) as UIMessage[]) : [];
}

/**
 * Saves the messages, the answer being streamed included: after a reload, Sluice replays
 * that answer from its start under the same message id, so it replaces the saved copy.
 */
export function saveMessages(chatId: string, messages: readonly UIMessage[]): void {
  sessionStorage.setItem(key(chatId), JSON.stringify(messages));
}
