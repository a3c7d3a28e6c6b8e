import type { ErrorType } from "@sluice/protocol";

/**
 * Why a stream failed, as the client sees it: an error type of the protocol (an `error`
 * event's `error_type`, or the server's 4xx `type`), or one of the client's own.
 */
export type SluiceStreamErrorType =
  | ErrorType
  /** The caller left (`leave()` or its `signal` aborted): the answer goes on without it. */
  | "left"
  /** The answer came through `POST /api/chat`, which has no stream id to give. */
  | "no_stream_id"
  /** The final structured value did not pass the caller's schema. */
  | "invalid_object"
  | (string & {});

/** Fields of a {@link SluiceStreamError} besides its type and message. */
export interface SluiceStreamErrorOptions {
  retryable?: boolean;
  status?: number;
  retryAfterSeconds?: number;
  partialText?: string;
  cause?: unknown;
}

/** The one error the client rejects with: a typed value, never a bare `Error`. */
export class SluiceStreamError extends Error {
  /** `error_type` of the stream's `error` event, the server's 4xx `type`, `left`, ... */
  readonly type: SluiceStreamErrorType;
  /** Whether sending the same request again may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, when the server refused the request before a stream started. */
  readonly status: number | undefined;
  /** For a 429: the server's `Retry-After`, in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** The text that had arrived before the failure (empty when none). */
  partialText: string;

  constructor(
    type: SluiceStreamErrorType,
    message: string,
    options: SluiceStreamErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SluiceStreamError";
    this.type = type;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.partialText = options.partialText ?? "";
  }
}
