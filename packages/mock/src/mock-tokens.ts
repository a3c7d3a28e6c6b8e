import { mockJsonTokens } from "./mock-json-tokens.js";
import { mockMarkdownTokens } from "./mock-markdown-tokens.js";
import { seededRandom } from "./seeded-random.js";

/** What decides the mock's answer text. */
export interface MockTokensOptions {
  /** How many tokens. */
  tokens: number;
  /** Picks where in the prose the answer starts and what the JSON answer holds. Default 1. */
  seed?: number;
  /** Answer with a JSON object instead of prose. Default false. */
  json?: boolean;
  /** Answer with Markdown (headings, lists, tables, code) instead of prose; `json` wins. Default false. */
  markdown?: boolean;
}

const prose =
  "Streaming responses arrive one token at a time, so the reader sees the answer grow while " +
  "the model is still thinking. A gateway must pass every byte along in order, without losing " +
  "a word or repeating one. When the connection drops, the client resumes from the last event " +
  "it saw. Good servers send a heartbeat when the model is slow, and they stop the upstream " +
  "request as soon as nobody is listening. Backpressure matters too: a slow reader must not " +
  "make the server hold the whole answer in memory.";

const proseTokens = prose.match(/ ?[A-Za-z']+|[.,:]/g) ?? [];

/**
 * Text that breaks naive SSE framing, JSON escaping, UTF-8 handling or HTML embedding.
 * The most telling come first, so that short answers still carry them.
 */
const trickyTokens = [
  "\n",
  " café",
  " 🚀",
  "\n\n",
  " 日本語",
  "\r\n",
  "\ndata: ",
  ' "quoted"',
  "\ndata:[DONE]\n",
  " C:\\temp\\new",
  "\nevent: x",
  " 👩‍💻",
  "\n: not a comment\n",
  " 𝔘",
  " </script>",
  "\t",
  "  spaced out  ",
  " it's",
];

/** Every fourth token, from the second on, is a tricky one. */
const trickyEvery = 4;

/**
 * The deterministic tokens the mock streams for these knobs: prose with a tricky token
 * (newlines, `\r\n`, `data: `, emoji, astral characters, quotes, backslashes, `</script>`,
 * a tab, surrounding spaces) at every fourth position; with `json`, pieces of one valid
 * JSON object cut inside escapes and keys. An answer of 72 tokens or more holds every tricky token.
 */
export function mockTokens(options: MockTokensOptions): string[] {
  const seed = options.seed ?? 1;
  if (options.json) return mockJsonTokens(options.tokens, seed);
  if (options.markdown) return mockMarkdownTokens(options.tokens, seed);
  const tokens = new Array<string>(options.tokens);
  let prosePosition = Math.floor(seededRandom(seed)() * proseTokens.length);
  for (let index = 0; index < options.tokens; index++) {
    if (index % trickyEvery === 1) {
      tokens[index] = trickyTokens[((index - 1) / trickyEvery) % trickyTokens.length] ?? "";
    } else {
      tokens[index] = proseTokens[prosePosition % proseTokens.length] ?? "";
      prosePosition++;
    }
  }
  return tokens;
}

/** The whole answer text: `mockTokens(options).join("")`. */
export function mockText(options: MockTokensOptions): string {
  return mockTokens(options).join("");
}

/** Token lists that concurrent requests with the same knobs share; the oldest goes first. */
const sharedLists = new Map<string, readonly string[]>();
const sharedListLimit = 16;

/**
 * `mockTokens(options)`, as one read-only array shared by every request with these knobs,
 * so that many concurrent streams of a long answer hold its tokens once.
 */
export function sharedMockTokens(options: Required<MockTokensOptions>): readonly string[] {
  const key = `${options.tokens}/${options.seed}/${options.json}/${options.markdown}`;
  let tokens = sharedLists.get(key);
  if (!tokens) {
    tokens = mockTokens(options);
    const oldest = sharedLists.keys().next();
    if (sharedLists.size >= sharedListLimit && !oldest.done) sharedLists.delete(oldest.value);
    sharedLists.set(key, tokens);
  }
  return tokens;
}
