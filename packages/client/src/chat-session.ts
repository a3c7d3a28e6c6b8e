import type { ChatRequest } from "@sluice/protocol";
import type {
  ChatMessage,
  ChatMessageError,
  ChatPersistence,
  ChatSessionOptions,
  ChatSnapshot,
  ChatStats,
} from "./chat-message.js";
import type { ChatStream } from "./chat-stream.js";
import type { ClientEvent } from "./client-event.js";
import { createRenderThrottle, type RenderThrottle } from "./render-throttle.js";
import { resumeStream } from "./resume-stream.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import { streamChat } from "./stream-chat.js";

/** What a session keeps in storage. */
interface PersistedChat {
  messages: ChatMessage[];
  /** The answer being streamed when the page went away. */
  running?: { streamId: string; lastEventId: string | undefined; messageId: string };
}

/** Per-request choices `send` may override. */
export interface SendOverrides {
  model?: string;
  responseFormat?: ChatSessionOptions["responseFormat"];
}

/** Shortest time between two writes to storage while an answer streams. */
const persistEveryMs = 1000;

/** How many render-time rate samples `live.rateHistory` keeps. */
const rateHistoryLength = 60;

let idCounter = 0;
function createMessageId(): string {
  idCounter += 1;
  return `${Date.now().toString(36)}-${idCounter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function defaultPersistence(): ChatPersistence | false {
  const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage;
  return storage ? { storage, key: "sluice-chat" } : false;
}

/**
 * A chat's state machine, with no UI in it: messages, the answer being streamed, status,
 * live figures, and `send`, `stop`, `retry`, `clear`. Subscribers are told at most once per
 * `throttleMs` while tokens arrive, and at once when an answer ends. `useSluiceChat` binds it
 * to React; any other UI can call {@link subscribe} and {@link getSnapshot}.
 */
export class ChatSession {
  #options: ChatSessionOptions;
  readonly #persistence: ChatPersistence | false;
  readonly #listeners = new Set<() => void>();
  readonly #throttle: RenderThrottle;
  #messages: ChatMessage[];
  #status: ChatSnapshot["status"] = "idle";
  #reconnectAttempt = 0;
  #error: ChatMessageError | null = null;
  #snapshot: ChatSnapshot;
  #stream: ChatStream | undefined;
  /** The assistant message being streamed, mutable until the next render copies it. */
  #draft: ChatMessage | undefined;
  #running: PersistedChat["running"];
  /** What the last `send` overrode, so that `retry` asks the same model for the same format. */
  #lastOverrides: SendOverrides = {};
  #startedAt = 0;
  #endedAt = 0;
  #firstTokenAt: number | undefined;
  #tokens = 0;
  #rateHistory: number[] = [];
  #lastSample = { at: 0, tokens: 0 };
  #persistedAt = Number.NEGATIVE_INFINITY;
  /** A page going away (reload, navigation) saves where the answer is, to resume it. */
  readonly #onPageHide = () => {
    if (this.#stream) {
      this.#replaceDraft();
      this.#persist();
    }
  };

  constructor(options: ChatSessionOptions = {}) {
    this.#options = options;
    this.#persistence = options.persist === undefined ? defaultPersistence() : options.persist;
    this.#throttle = createRenderThrottle(() => this.#render(), options.throttleMs ?? 50);
    const restored = this.#restore();
    this.#messages = restored?.messages ?? options.initialMessages ?? [];
    this.#running = restored?.running;
    this.#snapshot = this.#buildSnapshot();
  }

  /** Registers a listener told after each new snapshot; returns its removal. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current snapshot: the same object until something changes. */
  getSnapshot = (): ChatSnapshot => this.#snapshot;

  /** Replaces the options used by the next `send` (model, system prompt, API key, ...). */
  updateOptions(options: ChatSessionOptions): void {
    this.#options = options;
  }

  /** Sets the API key for the next requests. */
  setApiKey(apiKey: string): void {
    this.#options = { ...this.#options, apiKey };
  }

  /** Sends one user turn with the history before it and streams the answer. Ignored while an answer streams. */
  send(text: string, overrides: SendOverrides = {}): void {
    if (this.#stream || text.trim() === "") return;
    this.#messages = [...this.#messages, { id: createMessageId(), role: "user", content: text }];
    this.#lastOverrides = overrides;
    this.#start(overrides);
  }

  /** Stops the answer being streamed (`DELETE`): the provider stops; the message ends `stopped`. */
  async stop(): Promise<void> {
    try {
      await this.#stream?.stop();
    } catch (error) {
      // The answer goes on: say so on it rather than reject into a click handler.
      const draft = this.#draft;
      if (!draft) return;
      draft.notices = [...(draft.notices ?? []), `Stop failed: ${(error as Error).message}`];
      this.#throttle.flush();
    }
  }

  /**
   * Sends the last user turn again, replacing the answer after it (failed, stopped or not), with
   * the overrides (model, response format) its `send` had.
   */
  retry(): void {
    if (this.#stream) return;
    const lastUser = this.#messages.findLastIndex((message) => message.role === "user");
    if (lastUser < 0) return;
    this.#messages = this.#messages.slice(0, lastUser + 1);
    this.#start(this.#lastOverrides);
  }

  /** Forgets every message; an answer being streamed is stopped. */
  clear(): void {
    const stream = this.#stream;
    this.#detach();
    void stream?.stop().catch(() => undefined); // best effort: the grace period ends it anyway
    this.#messages = [];
    this.#status = "idle";
    this.#error = null;
    this.#running = undefined;
    this.#resetLive();
    this.#persist();
    this.#throttle.flush();
  }

  /**
   * Resumes the answer that was streaming when the page went away (or when {@link disconnect}
   * was called), from the last event this session had rendered. The React hook calls it on mount.
   */
  connect(): void {
    globalThis.addEventListener?.("pagehide", this.#onPageHide);
    const running = this.#running;
    if (this.#stream || !running) return;
    const message = this.#messages.find((candidate) => candidate.id === running.messageId);
    if (!message) {
      this.#running = undefined;
      return;
    }
    this.#draft = { ...message, status: "streaming" };
    this.#replaceDraft();
    this.#begin(
      resumeStream(running.streamId, {
        ...this.#options,
        ...(running.lastEventId ? { lastEventId: running.lastEventId } : {}),
      }),
    );
  }

  /** Leaves the answer being streamed (it runs on, resumable by {@link connect}) and stops rendering. */
  disconnect(): void {
    globalThis.removeEventListener?.("pagehide", this.#onPageHide);
    if (this.#stream) {
      this.#replaceDraft();
      this.#persist();
    }
    this.#detach();
    this.#throttle.cancel();
  }

  #start(overrides: SendOverrides): void {
    const options = this.#options;
    const responseFormat = overrides.responseFormat ?? options.responseFormat;
    const model = overrides.model ?? options.model;
    const request: ChatRequest = {
      messages: this.#messages
        .filter((message) => message.content !== "")
        .map(({ role, content }) => ({ role, content })),
      ...(model ? { model } : {}),
      ...(options.system ? { system_prompt: options.system } : {}),
      ...(options.smooth ? { smooth: options.smooth } : {}),
      ...(responseFormat ? { response_format: responseFormat } : {}),
    };
    this.#draft = { id: createMessageId(), role: "assistant", content: "", status: "streaming" };
    this.#messages = [...this.#messages, this.#draft];
    this.#resetLive();
    this.#error = null;
    this.#begin(streamChat(request, options));
  }

  #begin(stream: ChatStream): void {
    const draft = this.#draft as ChatMessage;
    this.#stream = stream;
    this.#status = "streaming";
    this.#startedAt = performance.now();
    this.#lastSample = { at: this.#startedAt, tokens: 0 };
    stream.id.then(
      (streamId) => {
        if (this.#stream !== stream) return;
        this.#running = { streamId, lastEventId: stream.lastEventId, messageId: draft.id };
        this.#persist();
      },
      () => undefined, // no id (fallback, refusal): the events loop reports the failure
    );
    this.#throttle.flush();
    void this.#consume(stream);
  }

  async #consume(stream: ChatStream): Promise<void> {
    try {
      for await (const event of stream) {
        if (this.#stream !== stream) return;
        const status = this.#status;
        const attempt = this.#reconnectAttempt;
        this.#apply(event);
        if (this.#running) this.#running.lastEventId = stream.lastEventId;
        if (event.type === "done" || event.type === "error") this.#finish();
        // A change of status is shown at once: a reconnect may last less than the throttle.
        else if (status !== this.#status || attempt !== this.#reconnectAttempt)
          this.#throttle.flush();
        else this.#throttle.schedule();
      }
    } catch (error) {
      if (this.#stream !== stream) return;
      const failure =
        error instanceof SluiceStreamError
          ? error
          : new SluiceStreamError("unknown", String(error), { cause: error });
      this.#fail({ type: failure.type, message: failure.message, retryable: failure.retryable });
      this.#finish();
    }
  }

  #apply(event: ClientEvent): void {
    const draft = this.#draft as ChatMessage;
    switch (event.type) {
      case "token":
        draft.content += event.content;
        this.#tokens += 1;
        this.#firstTokenAt ??= performance.now();
        if (this.#status === "reconnecting") this.#backToStreaming(draft);
        break;
      case "status":
        draft.notices = [...(draft.notices ?? []), event.message];
        break;
      case "json":
        draft.object = event.value;
        break;
      case "reconnecting":
        this.#status = "reconnecting";
        this.#reconnectAttempt = event.attempt;
        draft.status = "reconnecting";
        break;
      case "fallback":
        draft.notices = [
          ...(draft.notices ?? []),
          "Streaming is not available here; the answer arrives in one piece.",
        ];
        break;
      case "done":
        draft.status = event.finish_reason === "cancelled" ? "stopped" : "done";
        this.#status = event.finish_reason === "cancelled" ? "stopped" : "idle";
        this.#reconnectAttempt = 0;
        draft.stats = {
          ttftMs: event.ttft_ms,
          tokens: event.token_count,
          seconds: event.elapsed_seconds,
          tokensPerSecond: event.tokens_per_second,
        };
        if (event.model) draft.model = event.model;
        if (event.value !== undefined) draft.object = event.value;
        break;
      case "error":
        this.#fail({ type: event.error_type, message: event.message, retryable: event.retryable });
        break;
    }
  }

  #backToStreaming(draft: ChatMessage): void {
    this.#status = "streaming";
    this.#reconnectAttempt = 0;
    draft.status = "streaming";
  }

  #fail(error: ChatMessageError): void {
    const draft = this.#draft as ChatMessage;
    draft.status = "error";
    draft.error = error;
    this.#status = "error";
    this.#reconnectAttempt = 0;
    this.#error = error;
  }

  #finish(): void {
    this.#endedAt = performance.now();
    this.#replaceDraft();
    this.#stream = undefined;
    this.#draft = undefined;
    this.#running = undefined;
    this.#persist();
    this.#throttle.flush();
  }

  #detach(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.leave();
    if (this.#draft) this.#replaceDraft();
    this.#draft = undefined;
  }

  /** Puts a copy of the draft in the messages: a new object, so a memoised row re-renders. */
  #replaceDraft(): void {
    const draft = this.#draft;
    if (!draft) return;
    const copy = { ...draft };
    this.#messages = this.#messages.map((message) => (message.id === draft.id ? copy : message));
  }

  #resetLive(): void {
    this.#firstTokenAt = undefined;
    this.#tokens = 0;
    this.#rateHistory = [];
    this.#reconnectAttempt = 0;
  }

  #render(): void {
    this.#replaceDraft();
    // While tokens arrive, storage is written at most once a second: the messages and the last
    // event id go in one write, so a reload resumes exactly after what was saved.
    if (this.#stream && performance.now() - this.#persistedAt >= persistEveryMs) this.#persist();
    this.#snapshot = this.#buildSnapshot();
    for (const listener of this.#listeners) listener();
  }

  #buildSnapshot(): ChatSnapshot {
    const now = performance.now();
    if (this.#stream) {
      const seconds = (now - this.#lastSample.at) / 1000;
      if (seconds > 0 && this.#tokens > 0) {
        this.#rateHistory = [
          ...this.#rateHistory.slice(1 - rateHistoryLength),
          (this.#tokens - this.#lastSample.tokens) / seconds,
        ];
      }
      this.#lastSample = { at: now, tokens: this.#tokens };
    }
    const live = this.#liveStats(now);
    return {
      messages: this.#messages,
      status: this.#status,
      reconnectAttempt: this.#reconnectAttempt,
      error: this.#error,
      live: { ...live, rateHistory: this.#rateHistory },
    };
  }

  #liveStats(now: number): ChatStats {
    if (this.#startedAt === 0) return { ttftMs: null, tokens: 0, seconds: 0, tokensPerSecond: 0 };
    const until = this.#stream ? now : this.#endedAt;
    const sinceFirstToken =
      this.#firstTokenAt === undefined ? 0 : (until - this.#firstTokenAt) / 1000;
    return {
      ttftMs:
        this.#firstTokenAt === undefined ? null : Math.round(this.#firstTokenAt - this.#startedAt),
      tokens: this.#tokens,
      seconds: Math.max(0, until - this.#startedAt) / 1000,
      tokensPerSecond: sinceFirstToken > 0 ? this.#tokens / sinceFirstToken : 0,
    };
  }

  #restore(): PersistedChat | undefined {
    if (!this.#persistence) return undefined;
    try {
      const value = this.#persistence.storage.getItem(this.#persistence.key);
      if (!value) return undefined;
      const parsed = JSON.parse(value) as PersistedChat;
      if (!Array.isArray(parsed.messages)) return undefined;
      // An answer that was streaming with no stream left to resume keeps what it had.
      const messages = parsed.messages.map((message) =>
        (message.status === "streaming" || message.status === "reconnecting") &&
        message.id !== parsed.running?.messageId
          ? { ...message, status: "partial" as const }
          : message,
      );
      return { messages, ...(parsed.running ? { running: parsed.running } : {}) };
    } catch {
      return undefined; // unreadable storage is an empty chat, not a broken page
    }
  }

  #persist(): void {
    if (!this.#persistence) return;
    this.#persistedAt = performance.now();
    const value: PersistedChat = {
      messages: this.#messages,
      ...(this.#running ? { running: this.#running } : {}),
    };
    try {
      this.#persistence.storage.setItem(this.#persistence.key, JSON.stringify(value));
    } catch {
      // A full or blocked storage costs the resume after a reload, not the answer on screen.
    }
  }
}
