import { z } from "zod";

const ContentPart = z.looseObject({ type: z.string() });

/** One message as OpenAI's Chat Completions API takes it; tool fields pass through. */
export const OpenAIChatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
  tool_call_id: z.string().optional(),
});
export type OpenAIChatMessage = z.infer<typeof OpenAIChatMessage>;

/**
 * The body of `POST /v1/chat/completions`. Fields Sluice does not use itself (`tools`, `seed`,
 * `top_p`, ...) pass through to the provider, as OpenAI-compatible gateways are expected to.
 */
export const OpenAIChatRequest = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(OpenAIChatMessage).min(1).max(1000),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).nullish(),
  response_format: z
    .looseObject({ type: z.enum(["text", "json_object", "json_schema"]) })
    .nullish(),
});
export type OpenAIChatRequest = z.infer<typeof OpenAIChatRequest>;
