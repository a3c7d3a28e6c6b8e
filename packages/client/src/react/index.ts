export type { ChatMessage, ChatSessionOptions, ChatSnapshot } from "../chat-message.js";
export { type SluiceChat, useSluiceChat } from "./use-sluice-chat.js";
