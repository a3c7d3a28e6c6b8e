import { z } from "zod";
import { StreamErrorType } from "./error-type.js";
import { Usage } from "./usage.js";

export const FinishReason = z.enum(["stop", "length", "content_filter", "cancelled"]);
export type FinishReason = z.infer<typeof FinishReason>;

export const TokenEvent = z.object({ type: z.literal("token"), content: z.string() });
export const StatusEvent = z.object({ type: z.literal("status"), message: z.string() });
export const JsonEvent = z.object({ type: z.literal("json"), value: z.unknown() });
export const DoneEvent = z.object({
  type: z.literal("done"),
  finish_reason: FinishReason,
  /** The `provider/model` that finished the answer (for an alias: the target that did). */
  model: z.string().optional(),
  token_count: z.number().int().nonnegative(),
  /** Null when no token came (a stream cancelled or filtered before its first token). */
  ttft_ms: z.number().nonnegative().nullable(),
  elapsed_seconds: z.number().nonnegative(),
  tokens_per_second: z.number().nonnegative(),
  usage: Usage,
  /** With structured output: the parsed final object. */
  value: z.unknown().optional(),
});
export const ErrorEvent = z.object({
  type: z.literal("error"),
  error_type: StreamErrorType,
  message: z.string(),
  retryable: z.boolean(),
});

/** One event of the native stream; the `type` names stay as the lesson's clients parse them. */
export const StreamEvent = z.discriminatedUnion("type", [
  TokenEvent,
  StatusEvent,
  JsonEvent,
  DoneEvent,
  ErrorEvent,
]);
export type StreamEvent = z.infer<typeof StreamEvent>;

/**
 * A tool-call fragment. Only runs of the OpenAI-compatible route produce these (the native
 * request has no `tools`) and only its readers see them: the native stream never carries one.
 */
export const ToolCallEvent = z.object({
  type: z.literal("tool_call"),
  /** Position of the call in the message; fragments of one call share it. */
  index: z.number().int().nonnegative(),
  id: z.string().optional(),
  name: z.string().optional(),
  /** A fragment of the JSON arguments, to be concatenated. */
  arguments: z.string().optional(),
});

/** What a run appends to its stream log: the native stream's events, plus tool-call fragments. */
export const LogEvent = z.discriminatedUnion("type", [...StreamEvent.options, ToolCallEvent]);
export type LogEvent = z.infer<typeof LogEvent>;
export type ToolCallEvent = z.infer<typeof ToolCallEvent>;
export type TokenEvent = z.infer<typeof TokenEvent>;
export type DoneEvent = z.infer<typeof DoneEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type TerminalEvent = DoneEvent | ErrorEvent;

/** True for the one event that ends a stream. */
export function isTerminal(event: LogEvent): event is TerminalEvent {
  return event.type === "done" || event.type === "error";
}
