// The lesson's client with no build step: streamChat from /sluice-client.js, a textbox, Send
// and Stop, the answer as it streams with a cursor, and a stats line. `?model=` picks a model.
import { streamChat } from "/sluice-client.js";

const form = document.getElementById("ask");
const input = document.getElementById("message");
const send = document.getElementById("send");
const stop = document.getElementById("stop");
const text = document.getElementById("text");
const cursor = document.getElementById("cursor");
const notice = document.getElementById("notice");
const stats = document.getElementById("stats");
const model = new URLSearchParams(location.search).get("model") ?? undefined;

let stream;

form.addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const message = input.value.trim();
  if (!message || stream) return;
  text.textContent = "";
  notice.textContent = "";
  stats.textContent = "";
  send.disabled = true;
  stop.disabled = false;
  cursor.hidden = false;
  // One text node appended to: no re-render of what is already on screen.
  const answer = document.createTextNode("");
  text.append(answer);
  stream = streamChat({ message, ...(model ? { model } : {}) });
  try {
    for await (const event of stream) {
      if (event.type === "token") {
        answer.appendData(event.content);
        if (notice.dataset.kind === "reconnecting") {
          notice.textContent = "";
          delete notice.dataset.kind;
        }
      } else if (event.type === "status") {
        notice.textContent = event.message;
      } else if (event.type === "reconnecting") {
        notice.dataset.kind = "reconnecting";
        notice.textContent = `Connection lost, reconnecting (attempt ${event.attempt})…`;
      } else if (event.type === "fallback") {
        notice.textContent = "Streaming is not available here; the answer arrives in one piece.";
      } else if (event.type === "done") {
        notice.textContent = event.finish_reason === "cancelled" ? "Stopped." : "";
        stats.textContent = [
          `${event.token_count} tokens`,
          `${event.tokens_per_second} tok/s`,
          `first token ${event.ttft_ms === null ? "–" : `${Math.round(event.ttft_ms)} ms`}`,
          `${event.elapsed_seconds.toFixed(2)} s`,
          event.model ?? model ?? "",
        ]
          .filter(Boolean)
          .join(" · ");
        stats.dataset.finish = event.finish_reason;
      } else if (event.type === "error") {
        notice.textContent = `Error (${event.error_type}): ${event.message}`;
        stats.dataset.finish = "error";
      }
    }
  } catch (error) {
    notice.textContent = `Error (${error.type ?? "unknown"}): ${error.message}`;
    stats.dataset.finish = "error";
  } finally {
    stream = undefined;
    send.disabled = false;
    stop.disabled = true;
    cursor.hidden = true;
  }
});

stop.addEventListener("click", () => {
  stop.disabled = true;
  stream?.stop().catch((error) => {
    notice.textContent = `Stop failed: ${error.message}`;
  });
});
