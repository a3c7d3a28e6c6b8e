import type { ServerResponse } from "node:http";
import { seededRandom } from "./seeded-random.js";

/** The bytes of one response, in the order they go out; the pacer decides when. */
export interface PacedScript {
  /** Tokens to send. */
  readonly count: number;
  /** Sent with the first token (or with `closing` when there are none). */
  opening(): string;
  /** The bytes of token `index`. */
  token(index: number): string;
  /** Sent right after the last token when the response ends properly (ending `end`). */
  closing(): string;
  /** Sent whenever nothing else was sent for `PaceOptions.pingMs`; "" for none. */
  readonly ping: string;
}

/**
 * At most this many characters per write: with a zero gap every token is due at once, and
 * one huge write would hold the whole answer in memory instead of following `drain`.
 */
const maxBatchLength = 64 * 1024;

/** How a paced response ends: properly, with the socket destroyed, or never. */
export type PacedEnding = "end" | "drop" | "stall";

export interface PaceOptions {
  ttftMs: number;
  gapMs: number;
  jitter: number;
  seed: number;
  pingMs: number;
  ending: PacedEnding;
}

/** The gaps between tokens: `gapMs`, spread by `jitter` with numbers drawn from `seed`. */
export function gapSequence(options: Pick<PaceOptions, "gapMs" | "jitter" | "seed">): () => number {
  const random = seededRandom(options.seed ^ 0x9e3779b9);
  const { gapMs, jitter } = options;
  if (jitter === 0) return () => gapMs;
  return () => gapMs * (1 + jitter * (2 * random() - 1));
}

/**
 * Writes `script` to `response` on the clock: the opening and first token after `ttftMs`,
 * then one token every gap. Tokens that fell due while the event loop was busy, or while
 * the socket was full (it waits for `drain`), go out together in one write. Resolves when
 * the connection closes: `completed` when the mock ended it, `aborted` when the client did.
 * The headers set with `writeHead` go out with the first write.
 */
export function pace(
  response: ServerResponse,
  script: PacedScript,
  options: PaceOptions,
): Promise<"completed" | "aborted"> {
  const startedAt = performance.now();
  const nextGap = gapSequence(options);
  const pinging = options.pingMs > 0 && script.ping !== "";
  let sent = 0;
  let dueAt = options.ttftMs;
  let opened = false;
  let lastWriteAt = 0;
  let endedByMock = false;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const finish = (chunk: string) => {
    if (options.ending === "stall") {
      if (chunk !== "") response.write(chunk);
      return;
    }
    endedByMock = true;
    if (options.ending === "end") response.end(chunk);
    else if (chunk === "") response.destroy();
    else response.write(chunk, () => response.destroy());
  };

  const step = () => {
    const now = performance.now() - startedAt;
    let chunk = "";
    if (sent === 0 && now >= dueAt) chunk = script.opening();
    while (sent < script.count && dueAt <= now && chunk.length < maxBatchLength) {
      chunk += script.token(sent);
      sent++;
      dueAt += nextGap();
    }
    if (sent === script.count && (sent > 0 || now >= dueAt)) {
      finish(options.ending === "end" ? chunk + script.closing() : chunk);
      return;
    }
    if (chunk === "" && opened && pinging && now - lastWriteAt >= options.pingMs) {
      chunk = script.ping;
    }
    if (chunk !== "") {
      opened = true;
      lastWriteAt = now;
      if (!response.write(chunk)) {
        response.once("drain", step);
        return;
      }
    }
    const wakeAt = opened && pinging ? Math.min(dueAt, lastWriteAt + options.pingMs) : dueAt;
    if (wakeAt > now) timer = setTimeout(step, wakeAt - now);
    else immediate = setImmediate(step);
  };

  return new Promise((resolve) => {
    response.once("close", () => {
      clearTimeout(timer);
      clearImmediate(immediate);
      response.off("drain", step);
      resolve(endedByMock ? "completed" : "aborted");
    });
    timer = setTimeout(step, options.ttftMs);
  });
}

/** When the last of `count` tokens falls due: what a non-streaming answer waits. */
export function lastTokenDelay(
  options: Omit<PaceOptions, "pingMs" | "ending">,
  count: number,
): number {
  const nextGap = gapSequence(options);
  let delay = options.ttftMs;
  for (let index = 1; index < count; index++) delay += nextGap();
  return delay;
}
