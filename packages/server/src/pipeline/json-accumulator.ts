import { type ResponseFormat, SluiceError } from "@sluice/protocol";
import { Allow, parse } from "partial-json";
import { type SchemaValidator, schemaValidator } from "./schema-validator.js";

/** A response format that asks for JSON. */
export type JsonResponseFormat = Exclude<ResponseFormat, { type: "text" }>;

/** The final value, or why the text is not the JSON that was asked for. */
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: SluiceError };

// Partial strings, arrays and objects show as they grow; a number or literal shows only once
// complete, so that `12` never flashes before `123`.
const partialAllowed = Allow.STR | Allow.ARR | Allow.OBJ;

/**
 * Collects the text of a structured-output answer and parses it as it grows.
 *
 * To avoid re-parsing on every token, each pushed chunk is scanned (a few flags, no
 * allocation) for a character that can change what a user sees, and the text is re-parsed
 * only then: a character of a string value, the quote that opens a string value, `{` and `[`
 * (a new container), and `,` `}` `]` (which complete a number or literal). Whitespace, `:`,
 * characters of keys (a key shows only with its value) and of numbers and literals not yet
 * complete never cause a parse.
 */
export class JsonAccumulator {
  readonly #format: JsonResponseFormat;
  readonly #validate: SchemaValidator | undefined;
  #text = "";
  #shown: unknown;
  // The scanner's state between chunks.
  #inString = false;
  #escaped = false;
  #stringIsKey = false;
  #expectingKey = false;
  readonly #inObject: boolean[] = [];

  /**
   * Throws an `invalid_request` `SluiceError` when the `json_schema` is not a valid JSON
   * Schema, so that a caller can refuse the request before a stream starts.
   */
  constructor(format: JsonResponseFormat) {
    this.#format = format;
    const schema = format.type === "json_schema" ? format.json_schema.schema : undefined;
    this.#validate = schema === undefined ? undefined : schemaValidator(schema);
  }

  /** Adds text; returns the new partial value if a user would notice a change, else undefined. */
  push(text: string): unknown {
    this.#text += text;
    if (!this.#scan(text)) return undefined;
    let value: unknown;
    try {
      value = parse(this.#text, partialAllowed);
    } catch {
      // Not JSON (yet, or at all): finish() reports it.
      return undefined;
    }
    if (sameJson(value, this.#shown)) return undefined;
    this.#shown = value;
    return value;
  }

  /** Parses all the text strictly and, for `json_schema`, validates it. */
  finish(): JsonResult {
    let value: unknown;
    try {
      value = JSON.parse(this.#text);
    } catch (error) {
      return failure(`invalid_json: ${(error as Error).message}`);
    }
    if (this.#format.type === "json_object" && !isObject(value)) {
      return failure("invalid_json: expected a JSON object");
    }
    const mismatch = this.#validate?.(value);
    if (mismatch !== undefined) return failure(`schema mismatch: ${mismatch}`);
    return { ok: true, value };
  }

  /** Whether the chunk may change the partial value; updates the scanner's state. */
  #scan(text: string): boolean {
    let visible = false;
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === "\\") {
          this.#escaped = true;
          continue;
        } else if (char === '"') {
          this.#inString = false;
          continue;
        }
        if (!this.#stringIsKey) visible = true;
        continue;
      }
      switch (char) {
        case '"':
          this.#inString = true;
          this.#stringIsKey = this.#expectingKey;
          if (!this.#stringIsKey) visible = true;
          break;
        case "{":
        case "[":
          this.#inObject.push(char === "{");
          this.#expectingKey = char === "{";
          visible = true;
          break;
        case "}":
        case "]":
          this.#inObject.pop();
          this.#expectingKey = false;
          visible = true;
          break;
        case ",":
          this.#expectingKey = this.#inObject.at(-1) === true;
          visible = true;
          break;
        case ":":
          this.#expectingKey = false;
          break;
      }
    }
    return visible;
  }
}

function failure(message: string): JsonResult {
  return { ok: false, error: new SluiceError("invalid_request", message) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep equality of two parsed JSON values, without allocating. */
function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) {
      if (!sameJson(left[index], right[index])) return false;
    }
    return true;
  }
  if (Array.isArray(right)) return false;
  const leftObject = left as Record<string, unknown>;
  const rightObject = right as Record<string, unknown>;
  let count = 0;
  for (const key in leftObject) {
    if (!Object.hasOwn(rightObject, key) || !sameJson(leftObject[key], rightObject[key])) {
      return false;
    }
    count++;
  }
  for (const _ in rightObject) count--;
  return count === 0;
}
