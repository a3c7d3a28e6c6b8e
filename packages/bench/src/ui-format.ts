import { randomUUID } from "node:crypto";
import type { StreamFormat } from "./stream-format.js";

interface UiMessageChunk {
  type?: string;
  delta?: string;
}

/**
 * The AI SDK's UI message stream: `POST /api/ui/chat` as `DefaultChatTransport` sends it, a
 * new chat per request (a running chat refuses a second POST); `finish` or `abort` ends it,
 * an `error` chunk is a failure.
 */
export const uiFormat: StreamFormat = {
  name: "ui",
  method: "POST",
  defaultModel: "openai/mock",
  resumable: false,
  endIsTerminal: false,
  body: (model, prompt) =>
    JSON.stringify({
      id: randomUUID(),
      messages: [{ id: "user-1", role: "user", parts: [{ type: "text", text: prompt }] }],
      trigger: "submit-message",
      model,
    }),
  message(message, sink) {
    if (message.data === "[DONE]") return;
    let chunk: UiMessageChunk;
    try {
      chunk = JSON.parse(message.data) as UiMessageChunk;
    } catch {
      sink.malformed();
      return;
    }
    switch (chunk.type) {
      case "text-delta":
        if (chunk.delta) sink.token(chunk.delta);
        return;
      case "finish":
      case "abort":
        sink.terminal("done", null);
        return;
      case "error":
        sink.terminal("error", "stream_error");
        return;
      case undefined:
        sink.malformed();
        return;
      default:
        return;
    }
  },
};
