import { z } from "zod";
import { ResponseFormat, Smoothing } from "./chat-request.js";

/**
 * The part types of a UI message in `ai` 6 (its `uiMessagesSchema`), with the fields Sluice
 * reads or that `ai` itself requires. Objects stay loose: fields a later `ai` 6 release adds
 * pass. Every type is accepted in history; those without a provider counterpart are dropped
 * when the history is converted, never refused, or every second turn would fail.
 */
const partTypes =
  "text, reasoning, file, source-url, source-document, step-start, data-*, tool-*, dynamic-tool";

const TextPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const ReasoningPart = z.looseObject({ type: z.literal("reasoning"), text: z.string() });
const FilePart = z.looseObject({
  type: z.literal("file"),
  mediaType: z.string(),
  url: z.string(),
  filename: z.string().optional(),
});
const SourceUrlPart = z.looseObject({
  type: z.literal("source-url"),
  sourceId: z.string(),
  url: z.string(),
});
const SourceDocumentPart = z.looseObject({
  type: z.literal("source-document"),
  sourceId: z.string(),
  mediaType: z.string(),
  title: z.string(),
});
const StepStartPart = z.looseObject({ type: z.literal("step-start") });
const DataPart = z.looseObject({ type: z.string().startsWith("data-"), data: z.unknown() });

/** Where a tool call stands; results exist from `output-*` on. */
export const UiToolState = z.enum([
  "input-streaming",
  "input-available",
  "approval-requested",
  "approval-responded",
  "output-available",
  "output-error",
  "output-denied",
]);
export type UiToolState = z.infer<typeof UiToolState>;

const toolFields = {
  toolCallId: z.string().min(1),
  state: UiToolState,
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  errorText: z.string().optional(),
  approval: z.looseObject({ reason: z.string().optional() }).optional(),
};
/** A call of a tool the app declared: `tool-<name>`. */
const ToolPart = z.looseObject({
  type: z.string().regex(/^tool-./, "a tool part's type is tool-<name>"),
  ...toolFields,
});
const DynamicToolPart = z.looseObject({
  type: z.literal("dynamic-tool"),
  toolName: z.string().min(1),
  ...toolFields,
});

const fixedPartTypes = new Set([
  "text",
  "reasoning",
  "file",
  "source-url",
  "source-document",
  "step-start",
  "dynamic-tool",
]);
const isPartType = (type: string) => fixedPartTypes.has(type) || /^(data|tool)-./.test(type);

/**
 * One part of a UI message, as `useChat` posts it back in the history. A type `ai` 6 does
 * not define and a malformed part of a known type are told apart in the error.
 */
export const UiMessagePart = z
  .looseObject({
    type: z.string().refine(isPartType, {
      error: (issue) => `"${String(issue.input)}" is not a part type of ai 6 (${partTypes})`,
    }),
  })
  .pipe(
    z.union(
      [
        TextPart,
        ReasoningPart,
        FilePart,
        SourceUrlPart,
        SourceDocumentPart,
        StepStartPart,
        DataPart,
        DynamicToolPart,
        ToolPart,
      ],
      {
        error: (issue) =>
          `a malformed "${(issue.input as { type?: unknown }).type}" part (ai 6's UIMessage)`,
      },
    ),
  );
export type UiMessagePart = z.infer<typeof UiMessagePart>;

/** One UI message (`UIMessage` of `ai` 6). */
export const UiMessage = z.looseObject({
  id: z.string(),
  role: z.enum(["system", "user", "assistant"]),
  metadata: z.unknown().optional(),
  parts: z.array(UiMessagePart).max(10_000),
});
export type UiMessage = z.infer<typeof UiMessage>;

/** A chat id: it names a URL path segment and a store key, so it is short and plain. */
export const UiChatId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+$/, "a chat id is 1 to 256 of A-Z, a-z, 0-9, _ and -");

const Tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1).max(64) }),
});

/**
 * The body `DefaultChatTransport` of `ai` 6 posts to `POST /api/ui/chat`: the chat `id`, the
 * UI `messages`, the `trigger` and `messageId`, plus the fields an app adds through the
 * transport's `body`. Top-level fields Sluice does not know are ignored (apps add their own).
 */
export const UiChatRequest = z.object({
  id: UiChatId,
  messages: z.array(UiMessage).min(1).max(1000),
  trigger: z.enum(["submit-message", "regenerate-message"]).default("submit-message"),
  messageId: z.string().optional(),
  model: z.string().min(1).max(256).optional(),
  /** A system prompt put before the history. */
  system: z.string().optional(),
  /** OpenAI's function tools; a model's call arrives as a `tool-<name>` part. */
  tools: z.array(Tool).max(128).optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  response_format: ResponseFormat.optional(),
  smooth: Smoothing.optional(),
  max_tokens: z.number().int().positive().max(1_000_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  /**
   * What a hang-up of the POST does: `continue` (default) keeps generating for the grace
   * period so that the chat can resume; `cancel` stops the generation at once.
   */
  on_disconnect: z.enum(["continue", "cancel"]).default("continue"),
});
export type UiChatRequest = z.infer<typeof UiChatRequest>;
