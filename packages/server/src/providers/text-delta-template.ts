/** Where a JSON string lies in a message: the indexes of its opening and closing quotes. */
export interface StringSpan {
  open: number;
  close: number;
}

/**
 * Reads the text of an upstream's text-delta message without `JSON.parse` building its object
 * graph. Every text delta of a stream repeats the same members around a few bytes of text, so
 * one that `JSON.parse` has read is kept as a template: the bytes before the text's string and
 * the bytes after it. A later message that starts and ends with exactly those bytes is the same
 * object with another string, so only that string is decoded (by `JSON.parse` too, as a lone
 * string: escapes, `\u` sequences and surrogates come out exactly as the full parse gives them).
 * Anything else does not match and takes the full parse. Each provider decides which messages
 * are plain text deltas worth learning ({@link OpenAITextDelta}, {@link AnthropicEventReader}).
 */
export class TextDeltaTemplate {
  /** Up to and including the text string's opening quote; empty until learnt. */
  #head = "";
  /** From the text string's closing quote to `end`. */
  #tail = "";

  /**
   * The text of `data` (up to `end`, where a provider allows varying bytes after it) when it is
   * a message of the learnt shape; undefined when it is not. Never wrong: a string is returned
   * only where `JSON.parse` would give the learnt object with that string as its text.
   */
  read(data: string, end = data.length): string | undefined {
    // `slice(…) ===` compares flat strings with memcmp; `startsWith` measured 2–10× slower.
    const head = this.#head;
    if (head === "" || data.slice(0, head.length) !== head) return undefined;
    const close = end - this.#tail.length;
    if (close < head.length || data.slice(close, end) !== this.#tail) return undefined;
    try {
      // From the opening quote to the closing one: one JSON string, or a SyntaxError.
      return JSON.parse(data.slice(head.length - 1, close + 1)) as string;
    } catch {
      return undefined;
    }
  }

  /** Keeps `data` up to `end` as the template, around the text string at `span`. */
  learn(data: string, span: StringSpan, end = data.length): void {
    this.#head = data.slice(0, span.open + 1);
    this.#tail = data.slice(span.close, end);
  }
}

/**
 * Where the string of the member `key` (`"content"`, quoted) lies in `data`, when `data` (whose
 * full parse gave `value` for it) can serve as a template: `key` occurs exactly once, directly
 * followed by `:"`, no escape lies outside the string (so no other member can be spelled with
 * escapes to read as `key`), and the string decodes to `value`. Undefined otherwise.
 */
export function findTextMember(data: string, key: string, value: string): StringSpan | undefined {
  const at = data.indexOf(key);
  if (at < 1 || data.indexOf(key, at + 1) !== -1) return undefined;
  const open = at + key.length + 1;
  if (data.charCodeAt(open - 1) !== 0x3a || data.charCodeAt(open) !== 0x22) return undefined;
  const close = closingQuote(data, open + 1);
  if (close < 0 || data.lastIndexOf("\\", open) !== -1 || data.indexOf("\\", close) !== -1) {
    return undefined;
  }
  if (JSON.parse(data.slice(open, close + 1)) !== value) return undefined;
  return { open, close };
}

/** Index of the first unescaped `"` from `from` on, or −1. */
function closingQuote(data: string, from: number): number {
  for (let index = from; index < data.length; index++) {
    const code = data.charCodeAt(index);
    if (code === 0x5c) index++;
    else if (code === 0x22) return index;
  }
  return -1;
}
