import { type FormEvent, type KeyboardEvent, type RefObject, useState } from "react";

interface ComposerProps {
  streaming: boolean;
  disabled: boolean;
  textbox: RefObject<HTMLTextAreaElement | null>;
  onSend(text: string): void;
  onStop(): void;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line; one button, "Send", that is
 * "Stop" while an answer streams. Focus goes back to the textbox after either.
 */
export function Composer({ streaming, disabled, textbox, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState("");

  const send = () => {
    if (streaming || disabled || text.trim() === "") return;
    onSend(text);
    setText("");
    textbox.current?.focus();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (streaming) {
      onStop();
      textbox.current?.focus();
    } else send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an IME composes, Enter confirms the composition rather than sending.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor="message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="message"
        ref={textbox}
        rows={2}
        value={text}
        placeholder="Ask something…"
        aria-describedby="message-hint"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id="message-hint" className="visually-hidden">
        Enter sends; Shift+Enter starts a new line.
      </span>
      {streaming ? (
        <button type="submit" className="stop">
          Stop
        </button>
      ) : (
        <button type="submit" className="send" disabled={disabled || text.trim() === ""}>
          Send
        </button>
      )}
    </form>
  );
}
