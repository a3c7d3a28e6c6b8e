import { seededRandom } from "./seeded-random.js";

/** The JSON answer's text is at least this many characters per token, so cuts have room. */
const charactersPerToken = 4;

const words = ["alpha", "bravo", "café", "delta", "日本", "foxtrot", "🚀", "hotel", "𝔘", "juliet"];

/** A JSON object with every kind of value and every escape, grown by `items` to fill `length`. */
function jsonText(length: number, seed: number): string {
  const random = seededRandom(seed);
  const items: unknown[] = [];
  const answer = {
    title: 'Stream "report"',
    path: "C:\\temp\\new",
    lines: "first\nsecond\r\nthird\tcolumn",
    unicode: "é 日本語 🚀 👩‍💻 𝔘 </script>",
    control: "bell\u0007unit\u001f",
    count: 42,
    ratio: -0.125,
    big: 1.5e21,
    ok: true,
    failed: false,
    missing: null,
    nested: { empty: {}, list: [1, "two", false, null, { deep: [[]] }] },
    items,
  };
  let size = JSON.stringify(answer).length;
  for (let index = 0; size < length; index++) {
    const item = {
      n: index,
      word: words[Math.floor(random() * words.length)],
      'key "x"': index % 3 === 0,
    };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return JSON.stringify(answer);
}

/**
 * Places where a cut hurts a parser most: between a backslash and what it escapes, in the
 * middle of a key, and in the middle of a number or a literal.
 */
function awkwardPositions(text: string): number[] {
  const positions: number[] = [];
  let stringStart = -1;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (stringStart >= 0) {
      if (character === "\\") {
        positions.push(index + 1);
        index++;
      } else if (character === '"') {
        if (text[index + 1] === ":") positions.push(Math.ceil((stringStart + index) / 2));
        stringStart = -1;
      }
    } else if (character === '"') {
      stringStart = index;
    } else if (/[0-9tfn]/.test(character ?? "") && /[0-9a-z]/.test(text[index + 1] ?? "")) {
      positions.push(index + 1);
    }
  }
  return positions;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * `count` pieces of one valid JSON object. Cuts are spread evenly, each moved to an awkward
 * position nearby when there is one, and never split a surrogate pair.
 */
export function mockJsonTokens(count: number, seed: number): string[] {
  if (count <= 0) return [];
  const text = jsonText(count * charactersPerToken, seed);
  const awkward = awkwardPositions(text);
  const spacing = text.length / count;
  const reach = Math.floor(spacing / 2);
  const tokens: string[] = [];
  let previous = 0;
  let next = 0;
  for (let index = 1; index < count; index++) {
    const nominal = Math.round(index * spacing);
    while (
      next < awkward.length &&
      (awkward[next] ?? 0) < Math.max(nominal - reach, previous + 1)
    ) {
      next++;
    }
    const candidate = awkward[next];
    let cut = candidate !== undefined && candidate <= nominal + reach ? candidate : nominal;
    cut = Math.max(cut, previous + 1);
    if (isLowSurrogate(text.charCodeAt(cut))) cut++;
    tokens.push(text.slice(previous, cut));
    previous = cut;
  }
  tokens.push(text.slice(previous));
  return tokens;
}
