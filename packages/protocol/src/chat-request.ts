import { z } from "zod";

export const ChatMessage = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ResponseFormat = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
      description: z.string().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormat>;

export const Smoothing = z.enum(["none", "word", "line"]);
export type Smoothing = z.infer<typeof Smoothing>;

const chatFields = {
  message: z.string().min(1),
  messages: z.array(ChatMessage).min(1).max(1000),
  system_prompt: z.string(),
  model: z.string().min(1).max(256),
  max_tokens: z.number().int().positive().max(1_000_000),
  temperature: z.number().min(0).max(2),
  smooth: Smoothing,
  response_format: ResponseFormat,
  resume_from: z.number().int().nonnegative(),
};

const exactlyOneOfMessageAndMessages = (request: { message?: string; messages?: unknown[] }) =>
  (request.message === undefined) !== (request.messages === undefined);
const exactlyOneProblem = {
  message: "Give exactly one of `message` and `messages`.",
  path: ["message"],
};

/** The body of the native chat routes; unknown fields are rejected. */
export const ChatRequest = z
  .strictObject({
    message: chatFields.message.optional(),
    messages: chatFields.messages.optional(),
    system_prompt: chatFields.system_prompt.optional(),
    model: chatFields.model.optional(),
    max_tokens: chatFields.max_tokens.optional(),
    temperature: chatFields.temperature.optional(),
    smooth: chatFields.smooth.optional(),
    response_format: chatFields.response_format.optional(),
    resume_from: chatFields.resume_from.optional(),
  })
  .refine(exactlyOneOfMessageAndMessages, exactlyOneProblem);
export type ChatRequest = z.infer<typeof ChatRequest>;

/** The query of `GET /api/chat/stream`, for EventSource, which cannot send a body. */
export const ChatQuery = z.strictObject({
  message: chatFields.message,
  system_prompt: chatFields.system_prompt.optional(),
  model: chatFields.model.optional(),
  max_tokens: z.coerce.number().pipe(chatFields.max_tokens).optional(),
  temperature: z.coerce.number().pipe(chatFields.temperature).optional(),
  smooth: chatFields.smooth.optional(),
  last_event_id: z.string().optional(),
  /** A stream token (`X-Stream-Token`) in place of the bearer header, for resuming only. */
  token: z.string().optional(),
});
export type ChatQuery = z.infer<typeof ChatQuery>;
