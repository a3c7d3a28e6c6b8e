/**
 * One section of the Markdown answer: a heading, a paragraph with inline code, emphasis and
 * a link, a list, a table and a fenced code block, so that a renderer meets each of them
 * whole and, mid-stream, cut anywhere (an open fence, half a table).
 */
function section(number: number): string {
  return [
    `## Part ${number}: streaming without losing a word`,
    "A gateway passes every token along **in order**, keeps a _log_ of the answer, and lets a " +
      "client resume with `Last-Event-ID` after a cut. See [the contract](https://example.com/contract).",
    "- Send a heartbeat when the model is slow\n- Stop the upstream when nobody listens\n- Bound every buffer",
    "| setting | default | meaning |\n| --- | --- | --- |\n| `HEARTBEAT_MS` | 15000 | comment frame interval |\n| `STREAM_GRACE_MS` | 30000 | how long a run outlives its reader |",
    '```ts\nfor await (const event of streamChat({ message: "Hello" })) {\n  if (event.type === "token") write(event.content);\n}\n```',
  ].join("\n\n");
}

/** Tokens of about four characters, with the spaces and line breaks in front of a word kept on it. */
const tokenPattern = /\s*[^\s]{1,4}|\s+$/g;

/**
 * The first `count` tokens of a Markdown answer made of numbered sections (see `section`);
 * each section is 60-odd tokens, so `count` chooses where the answer is cut. `seed` picks the
 * first section's number.
 */
export function mockMarkdownTokens(count: number, seed: number): string[] {
  const tokens: string[] = [];
  for (let number = seed; tokens.length < count; number++) {
    const text = `${tokens.length === 0 ? "" : "\n\n"}${section(number)}`;
    for (const token of text.match(tokenPattern) ?? []) {
      if (tokens.length === count) break;
      tokens.push(token);
    }
  }
  return tokens;
}
