import type { OpenAIChatMessage, UiMessage, UiMessagePart } from "@sluice/protocol";
import { type FilePartFields, filePartText } from "./file-part-text.js";

type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } };
type ToolPart = Extract<UiMessagePart, { toolCallId: string }>;
type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

/**
 * UI messages (`ai` 6) as the providers' messages (OpenAI's shape): text parts become
 * content, image files of user messages become `image_url` parts, their other files text
 * (see {@link filePartText}), and every step of an
 * assistant message (steps are split by `step-start`) becomes an assistant message with its
 * `tool_calls`, followed by one `tool` message per result. Tool call ids pass through
 * unchanged, so results find their calls. Parts with no provider counterpart (reasoning,
 * sources, data, calls that never got a result) are dropped, and so are
 * messages left empty.
 */
export function uiMessagesToProvider(messages: readonly UiMessage[]): OpenAIChatMessage[] {
  const converted: OpenAIChatMessage[] = [];
  for (const message of messages) {
    if (message.role === "assistant") {
      assistantMessages(message.parts, converted);
      continue;
    }
    const content: ContentPart[] = [];
    for (const part of message.parts) {
      if (isText(part)) {
        content.push({ type: "text", text: part.text });
      } else if (message.role === "user" && isFile(part)) {
        content.push(
          String(part.mediaType).startsWith("image/")
            ? { type: "image_url", image_url: { url: part.url } }
            : // Apart from the user's own words, whichever side of them it was attached.
              {
                type: "text",
                text: `${separatorAfter(content.at(-1))}${filePartText(part)}\n\n`,
              },
        );
      }
    }
    if (content.length === 0) continue;
    converted.push({
      role: message.role,
      content: content.every((part) => part.type === "text")
        ? content.map((part) => (part as { text: string }).text).join("")
        : content,
    });
  }
  return converted;
}

// The schema checked these fields; the guards only tell TypeScript, whose view of the
// union cannot narrow by a literal `type` while `data-*` and `tool-*` parts type it `string`.
function isText(part: UiMessagePart): part is UiMessagePart & { text: string } {
  return part.type === "text";
}

function isFile(part: UiMessagePart): part is UiMessagePart & FilePartFields {
  return part.type === "file";
}

function isToolPart(part: UiMessagePart): part is ToolPart {
  return part.type === "dynamic-tool" || part.type.startsWith("tool-");
}

/** Appends one assistant message per step, each followed by its tool results. */
function assistantMessages(parts: readonly UiMessagePart[], into: OpenAIChatMessage[]): void {
  let text = "";
  let calls: ToolCall[] = [];
  let results: OpenAIChatMessage[] = [];
  const flush = () => {
    if (text !== "" || calls.length > 0) {
      into.push({
        role: "assistant",
        content: text === "" ? null : text,
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      });
      into.push(...results);
    }
    text = "";
    calls = [];
    results = [];
  };
  for (const part of parts) {
    if (part.type === "step-start") flush();
    else if (isText(part)) text += part.text;
    else if (isToolPart(part)) {
      const result = toolResult(part);
      // A call without its result would make the provider refuse the whole history.
      if (result === undefined) continue;
      calls.push({
        id: part.toolCallId,
        type: "function",
        function: { name: toolName(part), arguments: JSON.stringify(part.input ?? {}) },
      });
      results.push({ role: "tool", tool_call_id: part.toolCallId, content: result });
    }
  }
  flush();
}

function toolName(part: ToolPart): string {
  return part.type === "dynamic-tool" && "toolName" in part
    ? String(part.toolName)
    : part.type.slice("tool-".length);
}

/** The text a provider gets as the result of a call, or undefined while there is none. */
function toolResult(part: ToolPart): string | undefined {
  switch (part.state) {
    case "output-available":
      return typeof part.output === "string" ? part.output : JSON.stringify(part.output ?? null);
    case "output-error":
      return part.errorText ?? "The tool failed.";
    case "output-denied":
      return `The user denied this tool call${part.approval?.reason ? `: ${part.approval.reason}` : "."}`;
    default:
      return undefined;
  }
}

/** What keeps an attached file apart from the part before it. */
function separatorAfter(previous: ContentPart | undefined): string {
  return previous?.type !== "text" || previous.text.endsWith("\n\n") ? "" : "\n\n";
}
