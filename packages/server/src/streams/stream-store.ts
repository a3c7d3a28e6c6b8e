import type { StreamLog, WritableStreamLog } from "./stream-log.js";

export interface CreateStreamOptions {
  owner: string;
  /**
   * A fingerprint of the request (owner included) under which the stream can be found again,
   * so that a retry carrying `resume_from` joins it instead of paying for a second generation.
   */
  requestKey?: string;
  /**
   * Whether the ended stream is kept for resuming (default true). False for runs no client
   * can resume (`/v1`, `/api/chat`, `/api/stream`): their log goes when the run ends.
   */
  retain?: boolean;
}

/**
 * Where stream logs live: in this process, or in Redis so that every instance behind a load
 * balancer can read, resume and cancel any stream.
 */
export interface StreamStore {
  /** A new, empty log whose writer is the caller. Its id carries at least 128 random bits. */
  create(options: CreateStreamOptions): Promise<WritableStreamLog>;
  /** The log of a live or retained stream, or undefined when there is none (or it expired). */
  open(id: string, signal: AbortSignal): Promise<StreamLog | undefined>;
  /** The stream last created under this request key, while it is live or retained. */
  findByRequestKey(requestKey: string, signal: AbortSignal): Promise<string | undefined>;
  /**
   * Holds `key` for one caller among every instance sharing the store, until the returned
   * release is called (or `ttlMs` has passed, should the holder die first); undefined when
   * another caller holds it. Makes a check-then-start, such as one running stream per chat,
   * atomic across instances.
   */
  claim(key: string, ttlMs: number): Promise<(() => void) | undefined>;
  /**
   * Asks whichever instance runs the stream to cancel it. The local run registry handles
   * streams of this process; a shared store forwards the request to the others.
   */
  requestCancel(id: string): Promise<void>;
  /** Registers the handler that cancels local runs when asked by {@link requestCancel}. */
  onCancelRequest(handler: (id: string) => void): void;
  /** Bytes held by ended streams kept for resuming in this process, and how many there are. */
  retained?(): { bytes: number; streams: number };
  /** Whether the store can serve (Redis reachable); memory always can. */
  ready(signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}
