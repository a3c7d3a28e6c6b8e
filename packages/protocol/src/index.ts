export { ChatAnswer } from "./chat-answer.js";
export {
  ChatMessage,
  ChatQuery,
  ChatRequest,
  ResponseFormat,
  Smoothing,
} from "./chat-request.js";
export type { CompactFrame } from "./compact-frame.js";
export {
  encodeSseComment,
  encodeSseMessage,
  encodeStreamEvent,
  StreamEventEncoder,
} from "./encode-sse.js";
export { errorFromEvent } from "./error-from-event.js";
export { ErrorType, errorTable, StreamErrorType } from "./error-type.js";
export { type EventPosition, formatEventId, parseEventId } from "./event-id.js";
export { OpenAIChatMessage, OpenAIChatRequest } from "./openai-chat-request.js";
export { type EventSourceMessage, type ReadSseOptions, readSse } from "./read-sse.js";
export { SluiceError, type SluiceErrorOptions } from "./sluice-error.js";
export {
  defaultSseBufferSize,
  SseBufferOverflowError,
  SsePushParser,
  type SsePushParserOptions,
} from "./sse-push-parser.js";
export {
  DoneEvent,
  ErrorEvent,
  FinishReason,
  isTerminal,
  JsonEvent,
  LogEvent,
  StatusEvent,
  StreamEvent,
  type TerminalEvent,
  TokenEvent,
  ToolCallEvent,
} from "./stream-event.js";
export {
  UiChatId,
  UiChatRequest,
  UiMessage,
  UiMessagePart,
  UiToolState,
} from "./ui-chat-request.js";
export { Usage } from "./usage.js";
