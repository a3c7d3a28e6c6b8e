import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type { OpenAIChatMessage } from "@sluice/protocol";
import { SluiceError } from "@sluice/protocol";
import type { ProviderRequest } from "./provider.js";

/** The `max_tokens` sent when the request names none: Anthropic requires one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** An Anthropic Messages request, without `stream` (the provider adds it). */
export type AnthropicRequest = Omit<MessageCreateParamsBase, "stream">;

/** Fields of OpenAI's body that the request schema does not name but that pass through. */
type PassedThrough = { user?: unknown; parallel_tool_calls?: unknown };

type UserBlock = TextBlockParam | ImageBlockParam | ToolResultBlockParam;

/**
 * Translates an OpenAI-shaped chat request into Anthropic's Messages request:
 * - `system`/`developer` messages become `system`; `tool` messages become `tool_result`
 *   blocks of a user turn; assistant `tool_calls` become `tool_use` blocks; consecutive
 *   turns of one role are merged, as Anthropic expects tool results in one user turn.
 * - `tools` (functions), `tool_choice` (`auto`, `none`, `required`, one function) and
 *   `parallel_tool_calls: false` map to their Anthropic forms; `stop` → `stop_sequences`;
 *   `user` → `metadata.user_id`.
 * - `max_completion_tokens` or `max_tokens`, default {@link ANTHROPIC_DEFAULT_MAX_TOKENS}.
 * - `temperature` and `top_p` are dropped: the Messages API version the SDK speaks
 *   (2026-10-21) has no sampling parameters.
 * - Anthropic has no JSON mode here: `response_format` `json_object` or `json_schema` appends
 *   an instruction to the system prompt to answer with one JSON object (fitting the schema).
 * - Fields without an Anthropic counterpart (`seed`, penalties, `logprobs`, ...) are dropped.
 *
 * Throws `SluiceError` `invalid_request` for what Anthropic cannot take (audio or file parts,
 * non-function tools, the legacy `function` role, tool-call arguments that are not JSON).
 */
export function toAnthropicRequest(request: ProviderRequest): AnthropicRequest {
  const system: string[] = [];
  const messages: MessageParam[] = [];
  for (const message of request.messages) {
    if (message.role === "system" || message.role === "developer") {
      const text = textOf(message.content);
      if (text) system.push(text);
    } else if (message.role === "user") {
      append(messages, "user", userBlocks(message.content));
    } else if (message.role === "assistant") {
      append(messages, "assistant", assistantBlocks(message));
    } else if (message.role === "tool") {
      if (!message.tool_call_id) throw invalid("A `tool` message needs its `tool_call_id`.");
      const result: ToolResultBlockParam = {
        type: "tool_result",
        tool_use_id: message.tool_call_id,
        content: textOf(message.content),
      };
      append(messages, "user", [result]);
    } else {
      throw invalid("Anthropic models do not take `function` messages; use `tool` messages.");
    }
  }
  const formatInstruction = jsonInstruction(request.response_format);
  if (formatInstruction) system.push(formatInstruction);

  const translated: AnthropicRequest = {
    model: request.model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
  };
  if (system.length > 0) translated.system = system.join("\n\n");
  if (request.stop != null) {
    translated.stop_sequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  }
  const { user, parallel_tool_calls: parallelToolCalls } = request as PassedThrough;
  if (typeof user === "string") translated.metadata = { user_id: user };
  if (request.tools && request.tools.length > 0) {
    translated.tools = request.tools.map(toAnthropicTool);
    const choice = toAnthropicToolChoice(request.tool_choice, parallelToolCalls);
    if (choice) translated.tool_choice = choice;
  }
  return translated;
}

/** Adds blocks to the last turn when it has the same role, else starts a turn. */
function append(messages: MessageParam[], role: "user" | "assistant", blocks: ContentBlockParam[]) {
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role && Array.isArray(last.content)) {
    last.content.push(...blocks);
  } else {
    messages.push({ role, content: blocks });
  }
}

function userBlocks(content: OpenAIChatMessage["content"]): UserBlock[] {
  if (content == null) return [];
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content.map((part): UserBlock => {
    if (part.type === "text") return { type: "text", text: String(part.text ?? "") };
    if (part.type === "image_url") return imageBlock(part.image_url);
    throw invalid(`Anthropic models do not take content parts of type \`${part.type}\`.`);
  });
}

function imageBlock(imageUrl: unknown): ImageBlockParam {
  const url = typeof imageUrl === "string" ? imageUrl : (imageUrl as { url?: unknown })?.url;
  if (typeof url !== "string") throw invalid("An `image_url` part needs a `url`.");
  const data = /^data:(image\/(?:jpeg|png|gif|webp));base64,(.*)$/s.exec(url);
  if (data?.[1] && data[2] !== undefined) {
    const mediaType = data[1] as "image/jpeg" | "image/png" | "image/gif" | "image/webp";
    return { type: "image", source: { type: "base64", media_type: mediaType, data: data[2] } };
  }
  if (url.startsWith("data:")) throw invalid("Anthropic takes JPEG, PNG, GIF and WebP images.");
  return { type: "image", source: { type: "url", url } };
}

function assistantBlocks(message: OpenAIChatMessage): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  const text = textOf(message.content);
  if (text) blocks.push({ type: "text", text });
  for (const call of message.tool_calls ?? []) {
    const fn = call.function as { name?: unknown; arguments?: unknown } | undefined;
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: String(fn?.name ?? ""),
      input: parseArguments(fn?.arguments),
    });
  }
  return blocks;
}

function parseArguments(value: unknown): unknown {
  if (typeof value !== "string" || value.trim() === "") return {};
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new SluiceError("invalid_request", "Tool-call arguments must be JSON.", {
      param: "messages",
      cause: error,
    });
  }
}

/** The text of a message: a string, or its `text` (and `refusal`) parts joined. */
function textOf(content: OpenAIChatMessage["content"]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const part of content) {
    const text = part.text ?? part.refusal;
    if (typeof text === "string" && text !== "") texts.push(text);
  }
  return texts.join("\n");
}

function toAnthropicTool(tool: { type: string; [key: string]: unknown }): Tool {
  const fn = tool.function as
    | { name?: unknown; description?: unknown; parameters?: unknown }
    | undefined;
  if (tool.type !== "function" || typeof fn?.name !== "string") {
    throw new SluiceError("invalid_request", "Anthropic models take only `function` tools.", {
      param: "tools",
    });
  }
  const schema = (fn.parameters ?? { type: "object", properties: {} }) as Tool.InputSchema;
  const translated: Tool = { name: fn.name, input_schema: schema };
  if (typeof fn.description === "string") translated.description = fn.description;
  return translated;
}

function toAnthropicToolChoice(
  choice: ProviderRequest["tool_choice"],
  parallelToolCalls: unknown,
): ToolChoice | undefined {
  const disable = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice == null || choice === "auto") {
    return parallelToolCalls === false ? { type: "auto", ...disable } : undefined;
  }
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...disable };
  if (typeof choice === "object" && choice.type === "function") {
    const name = (choice.function as { name?: unknown } | undefined)?.name;
    if (typeof name === "string") return { type: "tool", name, ...disable };
  }
  throw new SluiceError("invalid_request", "Unsupported `tool_choice`.", { param: "tool_choice" });
}

function jsonInstruction(format: ProviderRequest["response_format"]): string | undefined {
  if (format?.type === "json_object") {
    return "Answer with a single JSON object only: no prose before or after it, no code fences.";
  }
  if (format?.type === "json_schema") {
    const schema = (format.json_schema as { schema?: unknown } | undefined)?.schema;
    return (
      "Answer with a single JSON object only: no prose before or after it, no code fences. " +
      `It must conform to this JSON Schema: ${JSON.stringify(schema ?? { type: "object" })}`
    );
  }
  return undefined;
}

function invalid(message: string): SluiceError {
  return new SluiceError("invalid_request", message, { param: "messages" });
}
