import type { ProviderEvent } from "../providers/provider.js";
import { type Clock, systemClock } from "./clock.js";

/** Where smoothed text may be cut: after whitespace, or after a line feed. */
export type SmoothMode = "word" | "line";

export interface SmoothTextOptions {
  /** Longest time text is held waiting for a boundary (default 100 ms). */
  maxHoldMs?: number | undefined;
  /** Default: {@link systemClock}. */
  clock?: Clock | undefined;
}

const holdExpired = Symbol("hold expired");

/**
 * Coalesces `text` events so that each ends at a word boundary (through the last whitespace)
 * or a line boundary (through the last `\n`). Lossless: the concatenated text is unchanged,
 * and a `\r\n` or a surrogate pair is never cut between two events. Text without a boundary
 * is not held longer than `maxHoldMs` (a long token without spaces must not stall the
 * display). Any other event first flushes what is held; the end flushes everything.
 * On a source error, held text is yielded before the error is rethrown. An abort of `signal`
 * ends the generator by throwing its reason.
 */
export async function* smoothText(
  source: AsyncIterable<ProviderEvent>,
  mode: SmoothMode,
  options: SmoothTextOptions,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  const { maxHoldMs = 100, clock = systemClock } = options;
  const iterator = source[Symbol.asyncIterator]();
  let held = "";
  // The source's next event, kept across a hold expiry so that no event is lost.
  let pending: Promise<IteratorResult<ProviderEvent>> | undefined;
  let holdTimer: unknown;
  let holdExpiry: Promise<typeof holdExpired> | undefined;
  const startHold = () => {
    holdExpiry = new Promise((resolve) => {
      holdTimer = clock.setTimeout(() => resolve(holdExpired), maxHoldMs);
    });
  };
  const endHold = () => {
    if (holdTimer !== undefined) clock.clearTimeout(holdTimer);
    holdTimer = undefined;
    holdExpiry = undefined;
  };
  const take = (end: number): ProviderEvent => {
    const text = held.slice(0, end);
    held = held.slice(end);
    return { type: "text", text };
  };

  let sourceEnded = false;
  try {
    while (true) {
      signal.throwIfAborted();
      pending ??= iterator.next();
      let outcome: IteratorResult<ProviderEvent> | typeof holdExpired;
      try {
        outcome = holdExpiry ? await Promise.race([pending, holdExpiry]) : await pending;
      } catch (error) {
        pending = undefined;
        sourceEnded = true;
        if (signal.aborted) throw signal.reason;
        if (held !== "") yield take(held.length);
        throw error;
      }
      if (outcome === holdExpired) {
        endHold();
        const end = safeEnd(held);
        if (end > 0) yield take(end);
        continue;
      }
      pending = undefined;
      if (outcome.done) break;
      const event = outcome.value;
      if (event.type !== "text") {
        endHold();
        const end = event.type === "finish" ? held.length : safeEnd(held);
        if (end > 0) yield take(end);
        yield event;
        continue;
      }
      // What was held has no boundary, except perhaps a final "\r" that now may have one.
      const searchFrom = Math.max(0, held.length - 1);
      held += event.text;
      const end = boundaryEnd(held, searchFrom, mode);
      const flushed = end > 0 ? take(end) : undefined;
      if (held === "") endHold();
      else if (!holdExpiry) startHold();
      if (flushed) yield flushed;
    }
    sourceEnded = true;
    endHold();
    if (held !== "") yield take(held.length);
  } finally {
    endHold();
    if (!sourceEnded) {
      if (pending) {
        // A read is in flight: do not wait for it, and do not let its failure go unhandled.
        pending.catch(() => undefined);
        iterator.return?.()?.catch(() => undefined);
      } else {
        await iterator.return?.();
      }
    }
  }
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
