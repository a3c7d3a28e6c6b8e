import type { ResolvedClientOptions } from "./client-options.js";

/** What a transport shares with the {@link ChatStream} it feeds: where it is, and how to leave or stop. */
export interface StreamContext {
  readonly options: ResolvedClientOptions;
  /** Aborts when the caller leaves: every request and wait of the transport listens to it. */
  readonly leaveSignal: AbortSignal;
  /** Aborts when the caller stops an answer that has no stream to DELETE (the fallback). */
  readonly stopSignal: AbortSignal;
  /** Known once a response's `X-Stream-Id` (or the first event id) arrives. */
  streamId: string | undefined;
  /** The latest `X-Stream-Token` the gateway answered (or the caller's own token). */
  streamToken: string | undefined;
  /** The last `id:` seen, sent as `Last-Event-ID` on a resume. */
  lastEventId: string | undefined;
  /** The seq of {@link lastEventId}; an event at or below it has been delivered already. */
  lastSeq: number;
  /** True once the answer comes through `POST /api/chat`. */
  fallingBack: boolean;
  /** Announces the stream id (resolves `ChatStream.id`). */
  setStreamId(id: string): void;
}
