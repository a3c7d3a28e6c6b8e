/**
 * How the received text relates to the expected one:
 * - `ok`: equal (or, for a stream that did not finish, a prefix);
 * - `missing`: a span of the expected text never arrived (a gap);
 * - `duplicate`: a span arrived twice;
 * - `truncated`: a finished stream stopped short of the expected text;
 * - `mismatch`: anything else (wrong or garbled text).
 */
export type TextCheckKind = "ok" | "missing" | "duplicate" | "truncated" | "mismatch";

export interface TextCheck {
  ok: boolean;
  kind: TextCheckKind;
  /** Offset in the received text where it first departs from the expected one; null when ok. */
  at: number | null;
  /** How many characters were lost (`missing`) or repeated (`duplicate`); null otherwise. */
  span: number | null;
}

const passed: TextCheck = { ok: true, kind: "ok", at: null, span: null };

function commonPrefixLength(left: string, right: string): number {
  const limit = Math.min(left.length, right.length);
  let index = 0;
  while (index < limit && left.charCodeAt(index) === right.charCodeAt(index)) index += 1;
  return index;
}

/** The start of the match of `probe` in `text` nearest to `near`, or -1. */
function nearestMatch(text: string, probe: string, near: number): number {
  let best = -1;
  for (let at = text.indexOf(probe); at !== -1; at = text.indexOf(probe, at + 1)) {
    if (at !== near && (best === -1 || Math.abs(at - near) < Math.abs(best - near))) best = at;
  }
  return best;
}

/**
 * Finds where the received text rejoins the expected one after departing from it at `at`: a
 * probe of the received text from `at`, lengthened until it occurs once in the expected text
 * (repetitive text makes short probes ambiguous), located nearest to `at`.
 */
function rejoin(expected: string, received: string, at: number): number {
  let probeLength = 16;
  for (;;) {
    const probe = received.slice(at, at + probeLength);
    const first = expected.indexOf(probe);
    const unique = first === -1 || expected.indexOf(probe, first + 1) === -1;
    if (unique || at + probeLength >= received.length) return nearestMatch(expected, probe, at);
    probeLength *= 2;
  }
}

/**
 * Compares the text a client assembled with the text the upstream is known to have produced.
 * `finished` says the stream ended normally, so the whole text was due; otherwise (aborted, cut
 * for good, errored) a prefix of it passes.
 */
export function checkText(expected: string, received: string, finished: boolean): TextCheck {
  const at = commonPrefixLength(expected, received);
  if (at === received.length) {
    if (at === expected.length || !finished) return passed;
    return { ok: false, kind: "truncated", at, span: expected.length - at };
  }
  const rejoinedAt = rejoin(expected, received, at);
  if (rejoinedAt > at) return { ok: false, kind: "missing", at, span: rejoinedAt - at };
  if (rejoinedAt !== -1) return { ok: false, kind: "duplicate", at, span: at - rejoinedAt };
  return { ok: false, kind: "mismatch", at, span: null };
}
