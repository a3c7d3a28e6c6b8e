import { type ErrorType, errorTable } from "./error-type.js";

export interface SluiceErrorOptions {
  /** Overrides the table's retryability (e.g. a 4xx from upstream that is final). */
  retryable?: boolean;
  /** Overrides the table's HTTP status (e.g. an upstream's own status on a pass-through). */
  status?: number;
  /** How long the caller should wait before trying again, when known. */
  retryAfterMs?: number;
  /** The offending parameter, for invalid requests. */
  param?: string;
  cause?: unknown;
}

/** The one error class: a typed value whose `type` comes from {@link errorTable}. */
export class SluiceError extends Error {
  readonly type: ErrorType;
  readonly retryable: boolean;
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly param: string | undefined;

  constructor(type: ErrorType, message?: string, options: SluiceErrorOptions = {}) {
    super(message ?? errorTable[type].message, { cause: options.cause });
    this.name = "SluiceError";
    this.type = type;
    this.retryable = options.retryable ?? errorTable[type].retryable;
    this.status = options.status ?? errorTable[type].status;
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
  }
}
