import type { DoneEvent, ErrorEvent, StreamEvent } from "@sluice/protocol";

/** The stream's last event when it ends well; `model` is the `provider/model` that answered, when the server says. */
export type ClientDoneEvent = DoneEvent & { model?: string };

/** A client-side notice: the connection was lost; the client waits `delay_ms`, then makes its `attempt`-th reconnect. */
export interface ReconnectingEvent {
  type: "reconnecting";
  attempt: number;
  delay_ms: number;
}

/** A client-side notice: streaming cannot work here, so the whole answer comes from `POST /api/chat`. */
export interface FallbackEvent {
  type: "fallback";
}

/** A native stream event as the server sent it, validated by the protocol's schema. */
export type ServerEvent = Exclude<StreamEvent, DoneEvent> | ClientDoneEvent;

/** A native stream event as the server sent it, or a client-side notice. */
export type ClientEvent = ServerEvent | ReconnectingEvent | FallbackEvent;

/** The events that end a stream. */
export type ClientTerminalEvent = ClientDoneEvent | ErrorEvent;
