import type { OpenAIChatRequest, ToolCallEvent } from "@sluice/protocol";

/**
 * What a provider is asked: OpenAI's Chat Completions body (the lingua franca every
 * provider translates from), with `model` the provider's own name (no `provider/` prefix)
 * and no `stream` fields: providers always stream. Fields the schema does not name (`user`,
 * `parallel_tool_calls`, penalties, ...) are carried at run time but left out of the type,
 * so that `Omit<ProviderRequest, "model">` keeps the named fields.
 */
export type ProviderRequest = {
  [Key in keyof OpenAIChatRequest as string extends Key
    ? never
    : number extends Key
      ? never
      : Exclude<Key, "stream" | "stream_options">]: OpenAIChatRequest[Key];
};

/** Why the provider stopped. `tool_calls` only comes through the OpenAI-compatible route. */
export type ProviderFinishReason = "stop" | "length" | "content_filter" | "tool_calls";

/**
 * One thing a provider reports while it streams. Errors are thrown as `SluiceError`s.
 * A stream that completes ends with at most one `usage` (when the upstream reports it)
 * followed by exactly one `finish`, which is always the last event.
 */
export type ProviderEvent =
  | { type: "text"; text: string }
  | ToolCallEvent
  | {
      type: "finish";
      reason: ProviderFinishReason;
      /** The `provider/model` that finished the answer, when a router chose it. */
      model?: string;
    }
  | {
      type: "usage";
      promptTokens: number;
      completionTokens: number;
      /** True when a part was counted by the gateway (a call cut before it reported usage). */
      estimated?: boolean;
    }
  /** Something to tell the user that adds no text (e.g. a retry wait). */
  | { type: "status"; message: string };

/** Receives a stream's events one by one, synchronously, as they arrive. */
export type ProviderEmit = (event: ProviderEvent) => void;

/**
 * A stream of provider events in push form: calls `emit` for each event, in order, in the same
 * turn as the upstream bytes that carry it (no promise, generator step or timer per event), and
 * settles once after the last. It resolves when the stream completed (its last event is
 * `finish`), rejects with a `SluiceError` when it failed, and rejects with the signal's reason
 * soon after an abort; it never calls `emit` after it settled or after the abort. The pipeline's
 * stages (`withTimeouts`, `withRetries`, `smoothText`) take and return one, composed like
 * functions.
 */
export type ProviderSource = (signal: AbortSignal, emit: ProviderEmit) => Promise<void>;

/**
 * A model provider. `stream` turns a request and an `AbortSignal` into the provider's events;
 * it knows nothing of HTTP routes, SSE or stream logs. Failures are thrown as `SluiceError`s
 * (`rate_limit`, `api_error`, `network_error`, `invalid_request`, ...) with `retryable` and,
 * where the upstream said, `retryAfterMs`; an abort ends the stream by rejecting with
 * the signal's reason.
 */
export interface Provider {
  /** The prefix of this provider's model names: `openai`, `anthropic`, `demo`. */
  readonly name: string;
  /** Where it is reached (`api.openai.com`), for logs and messages; none for in-process models. */
  readonly host?: string;
  /**
   * Whether `model` (without prefix) is one of its models, for providers that know without
   * asking the upstream; the registry answers 404 for the others. Left out, every name is tried.
   */
  hasModel?(model: string): boolean;
  /** The model names (without prefix) to list on `GET /v1/models`. */
  listModels(signal: AbortSignal): Promise<string[]>;
  /** Streams the answer to `request` in push form; see {@link ProviderSource}. */
  stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void>;
}

/** Where providers report what operators may want to know; pino's and Fastify's loggers fit. */
export interface ProviderLogger {
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}
