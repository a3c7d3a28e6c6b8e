import type { StreamFormat } from "./stream-format.js";

interface ChatCompletionChunk {
  choices?: { delta?: { content?: string | null } }[];
  error?: { type?: string; message?: string };
}

/**
 * An OpenAI-compatible stream: `POST …/chat/completions` with `stream: true`; `[DONE]` ends it, and
 * an `{"error": …}` frame is a failure after the first token.
 */
export const openaiFormat: StreamFormat = {
  name: "openai",
  method: "POST",
  defaultModel: "mock",
  resumable: false,
  endIsTerminal: false,
  body: (model, prompt) =>
    JSON.stringify({ model, messages: [{ role: "user", content: prompt }], stream: true }),
  message(message, sink) {
    if (message.data === "[DONE]") {
      sink.terminal("done", null);
      return;
    }
    let chunk: ChatCompletionChunk;
    try {
      chunk = JSON.parse(message.data) as ChatCompletionChunk;
    } catch {
      sink.malformed();
      return;
    }
    if (chunk.error) {
      sink.terminal("error", `stream_${chunk.error.type ?? "error"}`, chunk.error.message);
      return;
    }
    const content = chunk.choices?.[0]?.delta?.content;
    if (content) sink.token(content);
  },
};
