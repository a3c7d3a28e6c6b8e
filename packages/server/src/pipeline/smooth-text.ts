import type { ProviderEvent, ProviderSource } from "../providers/provider.js";
import { type Clock, systemClock } from "./clock.js";

/** Where smoothed text may be cut: after whitespace, or after a line feed. */
export type SmoothMode = "word" | "line";

export interface SmoothTextOptions {
  /** Longest time text is held waiting for a boundary (default 100 ms). */
  maxHoldMs?: number | undefined;
  /** Default: {@link systemClock}. */
  clock?: Clock | undefined;
}

/**
 * Coalesces `text` events so that each ends at a word boundary (through the last whitespace)
 * or a line boundary (through the last `\n`). Lossless: the concatenated text is unchanged,
 * and a `\r\n` or a surrogate pair is never cut between two events. Text without a boundary
 * is not held longer than `maxHoldMs` (a long token without spaces must not stall the
 * display): one timer per hold, not per event. Any other event first flushes what is held;
 * the end flushes everything. On a source error, held text is emitted before the error is
 * rethrown. An abort of the signal rejects with its reason and emits nothing more.
 */
export function smoothText(
  source: ProviderSource,
  mode: SmoothMode,
  options: SmoothTextOptions = {},
): ProviderSource {
  const { maxHoldMs = 100, clock = systemClock } = options;
  return async (signal, emit) => {
    let held = "";
    let holdTimer: unknown;
    const endHold = () => {
      if (holdTimer !== undefined) clock.clearTimeout(holdTimer);
      holdTimer = undefined;
    };
    const flush = (end: number): void => {
      const text = held.slice(0, end);
      held = held.slice(end);
      emit({ type: "text", text });
    };
    const holdExpired = () => {
      holdTimer = undefined;
      if (signal.aborted) return;
      const end = safeEnd(held);
      if (end > 0) flush(end);
    };
    const forward = (event: ProviderEvent): void => {
      if (event.type !== "text") {
        endHold();
        const end = event.type === "finish" ? held.length : safeEnd(held);
        if (end > 0) flush(end);
        emit(event);
        return;
      }
      // What was held has no boundary, except perhaps a final "\r" that now may have one.
      const searchFrom = Math.max(0, held.length - 1);
      held += event.text;
      const end = boundaryEnd(held, searchFrom, mode);
      if (end > 0) flush(end);
      if (held === "") endHold();
      else if (holdTimer === undefined) holdTimer = clock.setTimeout(holdExpired, maxHoldMs);
    };
    try {
      await source(signal, forward);
    } catch (error) {
      endHold();
      if (signal.aborted) throw signal.reason;
      if (held !== "") flush(held.length);
      throw error;
    }
    endHold();
    if (held !== "") flush(held.length);
  };
}

/** The end of the text up to its last boundary at or after `from`, or 0 if there is none. */
function boundaryEnd(text: string, from: number, mode: SmoothMode): number {
  const last = text.length - 1;
  for (let index = last; index >= from; index--) {
    const code = text.charCodeAt(index);
    if (mode === "line" ? code !== 0x0a : !isWhitespace(code)) continue;
    // A final "\r" may be the first half of a "\r\n" still to come.
    if (code === 0x0d && index === last) continue;
    return index + 1;
  }
  return 0;
}

/** Where held text may be cut without a boundary: not inside a "\r\n" or a surrogate pair. */
function safeEnd(text: string): number {
  const lastCode = text.charCodeAt(text.length - 1);
  const splittable = lastCode === 0x0d || (lastCode >= 0xd800 && lastCode <= 0xdbff);
  return splittable ? text.length - 1 : text.length;
}

/** Breaking whitespace: ASCII and Unicode spaces, but not the no-break ones. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x1680) return code === 0x85;
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a && code !== 0x2007) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x205f ||
    code === 0x3000
  );
}
