import { z } from "zod";
import { FinishReason } from "./stream-event.js";
import { Usage } from "./usage.js";

/** The body of `POST /api/chat`, the non-streaming fallback: the whole answer at once. */
export const ChatAnswer = z.object({
  content: z.string(),
  /** The `provider/model` that answered. */
  model: z.string(),
  finish_reason: FinishReason,
  usage: Usage,
  /** With structured output: the parsed final object. */
  value: z.unknown().optional(),
});
export type ChatAnswer = z.infer<typeof ChatAnswer>;
