import type { EventSourceMessage } from "@sluice/protocol";
import { nativeFormat } from "./native-format.js";
import { openaiFormat } from "./openai-format.js";
import { plainFormat } from "./plain-format.js";
import { uiFormat } from "./ui-format.js";

/** What a format reports while it interprets a stream's messages. */
export interface StreamSink {
  /** Text to append to the answer. */
  token(content: string): void;
  /** The event that ends the stream; `errorType` (and its message) are set for an error event. */
  terminal(kind: "done" | "error", errorType: string | null, message?: string): void;
  /** The id of the last event, for resuming after a cut. */
  position(eventId: string): void;
  /** A message the format cannot read. */
  malformed(): void;
}

export type StreamFormatName = "native" | "openai" | "plain" | "ui";

/** How to start a stream of one wire format and how to read its messages. */
export interface StreamFormat {
  readonly name: StreamFormatName;
  readonly method: "GET" | "POST";
  /** The model named when the options name none. */
  readonly defaultModel: string;
  /** Whether a cut stream can be resumed at `GET /api/streams/{id}` with `Last-Event-ID`. */
  readonly resumable: boolean;
  /** Whether the end of the body is the stream's end (no terminal event exists). */
  readonly endIsTerminal: boolean;
  body(model: string, prompt: string): string | undefined;
  message(message: EventSourceMessage, sink: StreamSink): void;
}

const formats: Record<StreamFormatName, StreamFormat> = {
  native: nativeFormat,
  openai: openaiFormat,
  plain: plainFormat,
  ui: uiFormat,
};

/** The format of a name. */
export function streamFormat(name: StreamFormatName): StreamFormat {
  return formats[name];
}

/**
 * The format a URL's path implies: Sluice's native route, its AI SDK route, a Chat
 * Completions route, or plain.
 */
export function inferFormat(url: URL): StreamFormatName {
  if (url.pathname.endsWith("/api/chat/stream")) return "native";
  if (url.pathname.endsWith("/api/ui/chat")) return "ui";
  if (url.pathname.endsWith("/chat/completions")) return "openai";
  return "plain";
}
