/**
 * JSON strings, as raw JSON (escapes and all), that a text-delta fast path must decode exactly
 * as `JSON.parse` does (for the tests of {@link TextDeltaTemplate} and the readers using it).
 */
export const trickyJsonStrings: readonly string[] = [
  '" world"',
  '""',
  '"\\n"',
  '"\\r\\n\\t\\b\\f\\/"',
  '"say \\"hi\\""',
  '"back\\\\slash"',
  '"ends in a backslash\\\\"',
  '"\\u00e9t\\u00E9"',
  '"\\ud83d\\ude00 smile"',
  '"\\ud800 lone high surrogate"',
  '"\\udc00 lone low surrogate"',
  '"é raw, 😀 raw, 中文"',
  '"\\u0000 nul"',
  '"\\"content\\":\\"not a key\\""',
  '"\\"text\\":\\"not a key\\""',
  '"},\\"usage\\":{\\"x\\":1}"',
  '"\\"}}"',
  `"${"long ".repeat(200)}"`,
];

/** Raw JSON that is not one JSON string: a fast path must leave it to the full parse. */
export const notOneJsonString: readonly string[] = [
  '"unescaped " quote"',
  '"a","content":"b"',
  '"a","text":"b"',
  '"raw\ncontrol"',
  '"bad \\x escape"',
  '"short \\u12"',
  '"trailing backslash\\"',
  "null",
  "42",
  '"a"," more":"b"',
];
