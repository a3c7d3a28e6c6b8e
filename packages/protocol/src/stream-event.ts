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
export type TokenEvent = z.infer<typeof TokenEvent>;
export type DoneEvent = z.infer<typeof DoneEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type TerminalEvent = DoneEvent | ErrorEvent;

/** True for the one event that ends a stream. */
export function isTerminal(event: StreamEvent): event is TerminalEvent {
  return event.type === "done" || event.type === "error";
}
