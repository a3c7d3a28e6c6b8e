export type { ReconnectPolicy } from "./backoff-delay.js";
export type {
  ChatMessage,
  ChatMessageError,
  ChatPersistence,
  ChatSessionOptions,
  ChatSnapshot,
  ChatStats,
} from "./chat-message.js";
export { ChatSession, type SendOverrides } from "./chat-session.js";
export type { ChatStream } from "./chat-stream.js";
export type {
  ClientDoneEvent,
  ClientEvent,
  ClientTerminalEvent,
  FallbackEvent,
  ReconnectingEvent,
  ServerEvent,
} from "./client-event.js";
export { type ClientOptions, defaultStallMs, type ObjectSchema } from "./client-options.js";
export { type IdentifiedEvent, readStreamEvents } from "./read-stream-events.js";
export { createRenderThrottle, type RenderThrottle } from "./render-throttle.js";
export { type ResumeOptions, resumeStream } from "./resume-stream.js";
export {
  SluiceStreamError,
  type SluiceStreamErrorOptions,
  type SluiceStreamErrorType,
} from "./sluice-stream-error.js";
export { streamChat } from "./stream-chat.js";
