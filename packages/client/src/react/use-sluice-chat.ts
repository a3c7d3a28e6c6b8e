import { useEffect, useState, useSyncExternalStore } from "react";
import type { ChatSessionOptions, ChatSnapshot } from "../chat-message.js";
import { ChatSession, type SendOverrides } from "../chat-session.js";

/** What {@link useSluiceChat} returns: the session's snapshot and its actions. */
export interface SluiceChat extends ChatSnapshot {
  send(text: string, overrides?: SendOverrides): void;
  stop(): Promise<void>;
  retry(): void;
  clear(): void;
  setApiKey(apiKey: string): void;
}

/**
 * A chat in a React component: a thin `useSyncExternalStore` binding of a {@link ChatSession}
 * (renders throttled to `throttleMs`). On mount it resumes an answer that was streaming when
 * the page was reloaded; on unmount it leaves the stream (resumable), it does not stop it.
 * Options are read when a message is sent, so changing them needs no new session.
 */
export function useSluiceChat(options: ChatSessionOptions = {}): SluiceChat {
  const [session] = useState(() => new ChatSession(options));
  useEffect(() => {
    session.updateOptions(options);
  });
  useEffect(() => {
    session.connect();
    return () => session.disconnect();
  }, [session]);
  const snapshot = useSyncExternalStore(
    session.subscribe,
    session.getSnapshot,
    session.getSnapshot,
  );
  const [actions] = useState(() => ({
    send: (text: string, overrides?: SendOverrides) => session.send(text, overrides),
    stop: () => session.stop(),
    retry: () => session.retry(),
    clear: () => session.clear(),
    setApiKey: (apiKey: string) => session.setApiKey(apiKey),
  }));
  return { ...snapshot, ...actions };
}
