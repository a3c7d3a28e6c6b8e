import { useSluiceChat } from "@sluice/client/react";
import { useMemo, useRef, useState } from "react";
import { ApiKeyForm } from "./api-key-form.js";
import { Composer } from "./composer.js";
import { ErrorBanner } from "./error-banner.js";
import { MessageView } from "./message-view.js";
import { ModelPicker } from "./model-picker.js";
import { presetSchema, responseFormatOf } from "./structured-output.js";
import { useFollowScroll } from "./use-follow-scroll.js";
import { type ModelChoice, useModels } from "./use-models.js";
import { useStoredState } from "./use-stored-state.js";

/** `?model=provider/model` in the page's address picks the model to start on. */
const requestedModel = new URLSearchParams(location.search).get("model") ?? "";
const chatStorage = { storage: localStorage, key: "sluice-chat" };

/** The chat page: the model menu, the conversation, the message box. */
export function App() {
  const [apiKey, setApiKey] = useStoredState("sluice-api-key", "");
  const [structured, setStructured] = useStoredState("sluice-structured", "off");
  const [schemaText, setSchemaText] = useStoredState("sluice-schema", presetSchema);
  const models = useModels(apiKey);
  const [pickedModel, setPickedModel] = useState(requestedModel);
  const model = pickedModel || models.defaultModel || "";
  const choices = useMemo(() => {
    const list: ModelChoice[] = [...models.models];
    for (const id of [models.defaultModel, requestedModel]) {
      if (id && !list.some((choice) => choice.id === id)) {
        list.unshift({ id, simulated: id.startsWith("demo/") });
      }
    }
    return list;
  }, [models]);

  const structuredOn = structured === "on";
  const format = structuredOn ? responseFormatOf(schemaText) : undefined;
  // Model and format are options rather than per-send overrides, so that Retry and a resumed
  // answer use them too.
  const chat = useSluiceChat({
    persist: chatStorage,
    ...(apiKey ? { apiKey } : {}),
    ...(model ? { model } : {}),
    ...(format?.format ? { responseFormat: format.format } : {}),
  });
  const streaming = chat.status === "streaming" || chat.status === "reconnecting";
  const needsKey = models.state === "unauthorized" || chat.error?.type === "unauthorized";

  const textbox = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const { following, jumpToLatest } = useFollowScroll(scroller, content, chat.messages);

  const send = (text: string) => {
    jumpToLatest();
    chat.send(text);
  };
  const saveKey = (key: string) => {
    setApiKey(key);
    chat.setApiKey(key);
    if (chat.error?.type === "unauthorized") chat.retry();
    textbox.current?.focus();
  };
  const newChat = () => {
    chat.clear();
    textbox.current?.focus();
  };

  const last = chat.messages.at(-1);
  return (
    <div className="app">
      <header className="top">
        <div className="brand-row">
          <h1>Sluice</h1>
          <button type="button" className="new-chat" onClick={newChat}>
            New chat
          </button>
        </div>
        <div className="settings-row">
          {choices.length > 0 && (
            <ModelPicker models={choices} value={model} onChange={setPickedModel} />
          )}
          <label className="toggle">
            <input
              type="checkbox"
              checked={structuredOn}
              onChange={(event) => setStructured(event.target.checked ? "on" : "off")}
            />
            Structured output
          </label>
        </div>
      </header>

      <main
        className="conversation"
        ref={scroller}
        // Focusable so that keyboard users can scroll the conversation.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
        aria-label="Conversation"
      >
        <div
          className="messages"
          ref={content}
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-busy={streaming}
        >
          {chat.messages.length === 0 && (
            <div className="empty">
              <h2>Ask anything</h2>
              <p>
                Answers stream in token by token. Stop them at any time; reload the page mid-answer
                and it carries on where it was.
              </p>
            </div>
          )}
          {chat.messages.map((message) =>
            message === last && streaming ? (
              <MessageView
                key={message.id}
                message={message}
                live={chat.live}
                reconnectAttempt={chat.reconnectAttempt}
              />
            ) : (
              <MessageView key={message.id} message={message} />
            ),
          )}
        </div>
      </main>

      {!following && (
        <button type="button" className="jump" onClick={jumpToLatest}>
          Jump to latest ↓
        </button>
      )}

      <footer className="bottom">
        {needsKey && <ApiKeyForm rejected={apiKey !== ""} onSubmit={saveKey} />}
        {chat.error && chat.error.type !== "unauthorized" && (
          <ErrorBanner error={chat.error} onRetry={chat.retry} />
        )}
        {structuredOn && (
          <details className="schema">
            <summary>JSON schema of the answer</summary>
            <label htmlFor="schema" className="visually-hidden">
              JSON schema
            </label>
            <textarea
              id="schema"
              rows={8}
              spellCheck={false}
              value={schemaText}
              onChange={(event) => setSchemaText(event.target.value)}
            />
            {format?.problem && <p className="problem">{format.problem}</p>}
            <button type="button" onClick={() => setSchemaText(presetSchema)}>
              Reset to preset
            </button>
          </details>
        )}
        <Composer
          streaming={streaming}
          disabled={Boolean(format?.problem)}
          textbox={textbox}
          onSend={send}
          onStop={() => void chat.stop()}
        />
        <p className="visually-hidden" aria-live="polite">
          {announcement(chat.status)}
        </p>
      </footer>
    </div>
  );
}

/** What the status region says: once per change of state, never per token. */
function announcement(status: string): string {
  switch (status) {
    case "streaming":
      return "Answering…";
    case "reconnecting":
      return "Connection lost, reconnecting…";
    case "stopped":
      return "Stopped.";
    default:
      return "";
  }
}
