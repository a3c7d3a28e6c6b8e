import { SluiceError } from "./sluice-error.js";
import type { ErrorEvent } from "./stream-event.js";

/** The error a stream's terminal `error` event stands for, as a value to throw or map. */
export function errorFromEvent(event: ErrorEvent): SluiceError {
  return new SluiceError(event.error_type, event.message, { retryable: event.retryable });
}
