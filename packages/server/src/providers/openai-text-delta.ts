import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { findTextMember, TextDeltaTemplate } from "./text-delta-template.js";

const contentKey = '"content"';
const obfuscationMember = ',"obfuscation":"';

/** What {@link OpenAITextDelta.learn} is shown: a chunk that `JSON.parse` has already read. */
export type ParsedChunk = ChatCompletionChunk & { error?: object; obfuscation?: unknown };

/**
 * Reads the text of an OpenAI text-delta chunk without `JSON.parse` building its object graph:
 * every chunk of a completion repeats the same id, model, timestamps and shape around a few
 * bytes of text, so the first plain text delta is kept as a {@link TextDeltaTemplate}. Anything
 * else (a role, refusal, tool call, finish, usage, error, another field) does not match and
 * takes the full parse.
 *
 * OpenAI's own `obfuscation` member (random padding at the end of each chunk) is allowed to
 * vary when the template had one, as long as it holds only letters, digits, `-` and `_`.
 */
export class OpenAITextDelta {
  readonly #template = new TextDeltaTemplate();
  #obfuscated = false;

  /**
   * The text of `data` when it is a chunk of the learnt shape; undefined when it is not (and
   * the caller parses it whole). Never wrong: a string is returned only where `JSON.parse`
   * would give the same object with that string as `choices[0].delta.content`.
   */
  read(data: string): string | undefined {
    if (!this.#obfuscated) return this.#template.read(data);
    const end = obfuscationStart(data, 0);
    return end < 0 ? undefined : this.#template.read(data, end);
  }

  /**
   * Keeps `data` as the template when `chunk` (its full parse) is a plain text delta: one
   * `content` string in the first choice, and no error, usage, refusal, tool call or finish
   * reason. Otherwise keeps the template it had.
   */
  learn(data: string, chunk: ParsedChunk): void {
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    if (
      chunk.error ||
      chunk.usage ||
      !delta ||
      typeof delta.content !== "string" ||
      delta.refusal ||
      delta.tool_calls ||
      choice.finish_reason
    ) {
      return;
    }
    // Exactly one "content" anywhere: no other choice, field or duplicate key that JSON.parse
    // could read instead.
    const span = findTextMember(data, contentKey, delta.content);
    if (span === undefined) return;
    let end = data.length;
    let obfuscated = false;
    if (typeof chunk.obfuscation === "string") {
      end = obfuscationStart(data, span.close + 1);
      if (end < 0 || data.slice(end + obfuscationMember.length, -2) !== chunk.obfuscation) return;
      obfuscated = true;
    }
    this.#template.learn(data, span, end);
    this.#obfuscated = obfuscated;
  }
}

/**
 * Where `,"obfuscation":"<plain>"}` starts when it ends `data` (at or after `from`), or −1.
 * Its value holds only `[A-Za-z0-9_-]`, so it cannot hide a quote or an escape.
 */
function obfuscationStart(data: string, from: number): number {
  const end = data.length;
  if (data.charCodeAt(end - 1) !== 0x7d || data.charCodeAt(end - 2) !== 0x22) return -1;
  const start = data.lastIndexOf(obfuscationMember, end - 2);
  if (start < from) return -1;
  for (let index = start + obfuscationMember.length; index < end - 2; index++) {
    if (!isPlain(data.charCodeAt(index))) return -1;
  }
  return start;
}

function isPlain(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2d ||
    code === 0x5f
  );
}
