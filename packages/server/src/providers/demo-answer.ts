import type { OpenAIChatMessage } from "@sluice/protocol";
import { fillJsonSchema } from "./fill-json-schema.js";
import type { ProviderRequest } from "./provider.js";
import { seededRandom } from "./seeded-random.js";

/** The line every demo answer starts with, so nobody mistakes it for a real model's. */
export const DEMO_LABEL =
  "_This answer comes from Sluice's built-in demo model, not a real LLM: it is assembled " +
  "from templates and the words of your prompt._";

const NOTE = "Sluice's built-in demo model, not a real LLM";
const FILLER = new Set(
  (
    "please can could would will you tell me explain describe write give show what whats " +
    "is are how why when where who which do does about i want to know the a an some"
  ).split(" "),
);
const STOPWORDS = new Set(
  (
    "that this with from your have them they their there then than into what when where " +
    "which while would could should about please explain tell does make more most also " +
    "just like some very been being were will shall"
  ).split(" "),
);
const FALLBACK_KEYWORDS = ["streaming", "latency", "tokens", "backpressure"];
/** How much of a long prompt is read; the answer only needs its first words. */
const PROMPT_WINDOW = 2000;
const MAX_WORD_LENGTH = 40;

const OPENINGS = [
  "You asked about {topic}. A real model would draw on what it learned in training; this demo can only rearrange your own words, so read what follows as the shape an answer takes rather than the answer itself.",
  "Here is a short, structured take on {topic}. Every sentence below is a template filled with words from your prompt, which makes the answer repeatable: the same prompt streams the same tokens, at the same pace, every time.",
  "{Topic} is a good question to stream, because the answer has several parts. The demo model cannot reason about it, but it can show how a long answer arrives: a heading, a few paragraphs, a list and some code, token by token.",
];
const MIDDLES = [
  "The words that stand out in your prompt are {keywords}. A thoughtful answer would define each of them, relate them to one another, and end with something you can try.",
  "A few ideas carry most of the weight here: {keywords}. Start with {first}, since the others lean on it, then look at how {second} changes the picture.",
];
const POINTS = [
  "what it means in the context of {topic}, and where the term is often misused.",
  "how it interacts with {other}, and which of the two to settle first.",
  "the trade-offs worth measuring before you decide.",
  "a common mistake, and a simple check that catches it.",
  "one example small enough to try today.",
];

interface Subject {
  prompt: string;
  /** The prompt's first words, for headings and JSON. */
  topic: string;
  /** The topic as prose refers to it: quoted, since it need not be a noun phrase. */
  phrase: string;
  /** The phrase to start a sentence with. */
  capitalPhrase: string;
  keywords: string[];
  random: () => number;
}

/**
 * The demo model's answer to a request: deterministic text about the last user message,
 * starting with {@link DEMO_LABEL}. Markdown (a heading, paragraphs, a list, a code block)
 * by default; with `response_format` `json_object`, a JSON object about the prompt; with
 * `json_schema`, a JSON object that fills the schema's properties by type.
 */
export function composeDemoAnswer(
  request: Pick<ProviderRequest, "messages" | "response_format">,
): string {
  const subject = subjectOf(lastUserText(request.messages));
  const format = request.response_format;
  if (format?.type === "json_schema") {
    const schema = (format.json_schema as { schema?: unknown } | undefined)?.schema;
    const textFor = (property: string) =>
      /summary|description|answer|text|content/i.test(property)
        ? fill(pick(OPENINGS, subject.random), subject)
        : `${subject.topic} (${property}, demo)`;
    return JSON.stringify(fillJsonSchema(schema, textFor), null, 2);
  }
  if (format?.type === "json_object") {
    const value = {
      demo: true,
      note: NOTE,
      topic: subject.topic,
      keywords: subject.keywords,
      summary: fill(pick(OPENINGS, subject.random), subject),
    };
    return JSON.stringify(value, null, 2);
  }
  return markdownAnswer(subject);
}

function markdownAnswer(subject: Subject): string {
  const { keywords, random } = subject;
  const offset = Math.floor(random() * POINTS.length);
  const points = keywords.map((keyword, index) => {
    const other = keywords[(index + 1) % keywords.length] ?? keyword;
    const point = POINTS[(offset + index) % POINTS.length] ?? "";
    return `- **${keyword}**: ${fill(point, subject).replace("{other}", other)}`;
  });
  const quoted = JSON.stringify(shorten(subject.prompt, 80));
  return [
    DEMO_LABEL,
    `## ${capitalise(subject.topic)}`,
    fill(pick(OPENINGS, random), subject),
    fill(pick(MIDDLES, random), subject),
    `Points worth covering:\n\n${points.join("\n")}`,
    [
      "```js",
      "// Ask Sluice the same question and watch the tokens arrive.",
      'const response = await fetch("/api/chat/stream", {',
      '  method: "POST",',
      '  headers: { "content-type": "application/json" },',
      `  body: JSON.stringify({ message: ${quoted} }),`,
      "});",
      "```",
    ].join("\n"),
    `That is the end of the demo answer about ${subject.phrase}. Set \`OPENAI_API_KEY\` or ` +
      "`ANTHROPIC_API_KEY` to have a real model answer instead.",
  ].join("\n\n");
}

function subjectOf(prompt: string): Subject {
  const window = prompt.slice(0, PROMPT_WINDOW).replace(/\uFFFD/g, "");
  const words = (window.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? []).map((word) =>
    Array.from(word).slice(0, MAX_WORD_LENGTH).join(""),
  );
  let start = 0;
  while (start < words.length - 1 && FILLER.has(words[start]?.toLowerCase() ?? "")) start++;
  const topic = words.slice(start, start + 8).join(" ");
  const keywords: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    if (keywords.length === 4) break;
    if (Array.from(lower).length >= 4 && !STOPWORDS.has(lower) && !keywords.includes(lower)) {
      keywords.push(lower);
    }
  }
  for (const keyword of FALLBACK_KEYWORDS) {
    if (keywords.length >= 3) break;
    if (!keywords.includes(keyword)) keywords.push(keyword);
  }
  return {
    prompt: window.trim(),
    topic: topic || "Your prompt",
    phrase: topic ? `“${topic}”` : "your prompt",
    capitalPhrase: topic ? `“${capitalise(topic)}”` : "Your prompt",
    keywords,
    random: seededRandom(prompt),
  };
}

function lastUserText(messages: OpenAIChatMessage[]): string {
  const message = messages.findLast((candidate) => candidate.role === "user");
  const content = message?.content;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .map((part) => (typeof part.text === "string" ? part.text : ""))
    .join(" ")
    .trim();
}

function fill(template: string, subject: Subject): string {
  const keywords = subject.keywords;
  const listed = `${keywords.slice(0, -1).join(", ")} and ${keywords.at(-1) ?? ""}`;
  return template
    .replace("{topic}", subject.phrase)
    .replace("{Topic}", subject.capitalPhrase)
    .replace("{keywords}", listed)
    .replace("{first}", keywords[0] ?? "")
    .replace("{second}", keywords[1] ?? "");
}

function pick(options: string[], random: () => number): string {
  return options[Math.floor(random() * options.length)] ?? "";
}

function capitalise(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + text.slice(head.length);
}

function shorten(text: string, length: number): string {
  const collapsed = text.replace(/\s+/g, " ");
  const characters = Array.from(collapsed);
  return characters.length <= length ? collapsed : `${characters.slice(0, length).join("")}…`;
}
