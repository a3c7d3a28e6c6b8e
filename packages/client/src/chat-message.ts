import type { ResponseFormat, Smoothing } from "@sluice/protocol";
import type { ClientOptions } from "./client-options.js";

/** Figures of one answer: time to first token, tokens, seconds, tokens per second. */
export interface ChatStats {
  ttftMs: number | null;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
}

/** How a message went wrong. */
export interface ChatMessageError {
  type: string;
  message: string;
  retryable: boolean;
}

/** One message of a {@link ChatSession}. */
export interface ChatMessage {
  id: string;
  role: "user" | "assistant" | "system";
  content: string;
  /** Assistant messages: where the answer is. `partial`: restored from storage, its stream no longer known. */
  status?: "streaming" | "reconnecting" | "done" | "stopped" | "error" | "partial";
  /** `status` events' messages (and client notices such as the fallback), shown inline. */
  notices?: string[];
  /** With structured output: the partial, then the final value. */
  object?: unknown;
  /** The server's figures once the answer is done. */
  stats?: ChatStats;
  /** The `provider/model` that answered, when the server says. */
  model?: string;
  error?: ChatMessageError;
}

/** What a UI renders: a new object whenever something changed, the same one otherwise. */
export interface ChatSnapshot {
  messages: ChatMessage[];
  status: "idle" | "streaming" | "reconnecting" | "error" | "stopped";
  /** The reconnect under way (0 when none). */
  reconnectAttempt: number;
  error: ChatMessageError | null;
  /** Figures of the answer being streamed (or the last one), measured by the client; `rateHistory` is tokens/s per render. */
  live: ChatStats & { rateHistory: number[] };
}

/** Where a session keeps its messages and running stream across reloads. */
export interface ChatPersistence {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  key: string;
}

/** Options of a {@link ChatSession} (and of `useSluiceChat`). */
export interface ChatSessionOptions extends ClientOptions {
  /** `provider/model`; default the server's. */
  model?: string;
  /** Sent as `system_prompt`. */
  system?: string;
  smooth?: Smoothing;
  responseFormat?: ResponseFormat;
  /**
   * Keeps the messages and the running stream's id and last event id, so that a reloaded page
   * resumes the answer. Default: `sessionStorage` under `sluice-chat` in a browser, off elsewhere.
   */
  persist?: ChatPersistence | false;
  initialMessages?: ChatMessage[];
  /** Shortest time between two snapshots while streaming; default 50 ms. */
  throttleMs?: number;
}
