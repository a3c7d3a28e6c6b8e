import type { ChatMessage, ChatSnapshot } from "@sluice/client";
import { lazy, memo, Suspense } from "react";
import { LiveRate } from "./live-rate.js";
import { ObjectView } from "./object-view.js";
import { StatsLine } from "./stats-line.js";

// Streamdown and Shiki are most of the page's code: they load beside the page rather than in
// front of it, starting at once, so they are there long before a first answer; an answer that
// comes sooner (restored from storage) shows as plain text for that moment.
const markdownModule = import("./markdown.js");
const Markdown = lazy(() => markdownModule.then(({ Markdown }) => ({ default: Markdown })));

interface MessageViewProps {
  message: ChatMessage;
  /** Only for the answer being streamed: its live figures. */
  live?: ChatSnapshot["live"] | undefined;
  /** Only for the answer being streamed: the reconnect under way (0: none). */
  reconnectAttempt?: number | undefined;
}

/**
 * One message. Memoised: the client hands a new object only for the message that changed,
 * so the history does not re-render for each token of the answer being streamed.
 */
export const MessageView = memo(function MessageView({
  message,
  live,
  reconnectAttempt = 0,
}: MessageViewProps) {
  if (message.role !== "assistant") {
    return (
      <article className={`message ${message.role}`} aria-label="You said">
        <p className="user-text">{message.content}</p>
      </article>
    );
  }
  const streaming = message.status === "streaming" || message.status === "reconnecting";
  const structured = message.object !== undefined;
  return (
    <article
      className="message assistant"
      aria-label="Answer"
      aria-busy={streaming}
      data-status={message.status}
    >
      {message.notices?.map((notice, index) => (
        // Notices only ever get appended, so their position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <p className="notice" key={index} role="note">
          {notice}
        </p>
      ))}
      {structured ? (
        <ObjectView value={message.object} final={message.status === "done"} />
      ) : (
        <div className="answer" data-testid="answer">
          <Suspense fallback={<p className="plain-text">{message.content}</p>}>
            <Markdown text={message.content} streaming={streaming} />
          </Suspense>
        </div>
      )}
      {message.status === "reconnecting" && (
        <p className="state reconnecting">Reconnecting… (attempt {reconnectAttempt})</p>
      )}
      {message.status === "stopped" && <p className="state stopped">Stopped</p>}
      {lostConnection(message) && (
        <p className="state partial">Partial answer: the connection was lost</p>
      )}
      {streaming && live && <LiveRate live={live} />}
      {message.stats && <StatsLine stats={message.stats} model={message.model} />}
    </article>
  );
});

/**
 * Whether an answer stopped short because its stream was lost: restored from storage with no
 * stream to resume, cut for good, or gone from the server when the page came back to it.
 */
function lostConnection(message: ChatMessage): boolean {
  if (message.status === "partial") return true;
  const type = message.error?.type;
  return (
    message.status === "error" &&
    message.content !== "" &&
    (type === "network_error" || type === "not_found")
  );
}
