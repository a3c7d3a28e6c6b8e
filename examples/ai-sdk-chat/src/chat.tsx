import { useChat } from "@ai-sdk/react";
import { type FormEvent, useEffect, useState } from "react";
import { chatIdFromUrl, loadMessages, saveMessages } from "./saved-chat.js";
import { stopOnServer, transport } from "./sluice.js";

const chatId = chatIdFromUrl();
const savedMessages = loadMessages(chatId);

/** A chat on `useChat`: answers survive a reload, and Stop stops the model. */
export function Chat() {
  const { messages, sendMessage, status, stop, error } = useChat({
    id: chatId,
    messages: savedMessages,
    transport,
    // On load, asks Sluice for this chat's running stream (GET /api/ui/chat/{id}/stream).
    resume: true,
    experimental_throttle: 50,
  });
  const [input, setInput] = useState("");
  const busy = status === "submitted" || status === "streaming";

  useEffect(() => saveMessages(chatId, messages), [messages]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim() === "" || busy) return;
    void sendMessage({ text: input });
    setInput("");
  };

  return (
    <main>
      <h1>AI SDK chat on Sluice</h1>
      <ol aria-label="Messages">
        {messages.map((message) => (
          <li key={message.id} data-role={message.role}>
            <strong>{message.role === "user" ? "You" : "Assistant"}</strong>
            <p>{message.parts.map((part) => (part.type === "text" ? part.text : "")).join("")}</p>
          </li>
        ))}
      </ol>
      {error ? <p role="alert">{error.message}</p> : null}
      <form onSubmit={submit}>
        <input
          aria-label="Message"
          value={input}
          onChange={(event) => setInput(event.target.value)}
          placeholder="Ask something"
        />
        {busy ? (
          <button type="button" onClick={() => void Promise.all([stop(), stopOnServer(chatId)])}>
            Stop
          </button>
        ) : (
          <button type="submit">Send</button>
        )}
      </form>
      <p aria-live="polite" data-status={status}>
        {status}
      </p>
    </main>
  );
}
