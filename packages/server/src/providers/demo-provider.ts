import type { OpenAIChatMessage } from "@sluice/protocol";
import { countTokens, decodeGenerator, encode } from "gpt-tokenizer";
import { sleep } from "../sleep.js";
import { composeDemoAnswer } from "./demo-answer.js";
import type { Provider, ProviderEmit, ProviderRequest } from "./provider.js";
import { seededRandom } from "./seeded-random.js";

/** How the demo model paces itself; tests make it fast. */
export interface DemoOptions {
  /** Time to the first token, in ms. Default 300. */
  ttftMs?: number;
  /** Average pace after the first token. Default 40 tokens per second. */
  tokensPerSecond?: number;
  /** How far each gap may stray from the average, as a fraction of it. Default 0.5. */
  jitter?: number;
  /** Waits `ms`, rejecting with the signal's reason once it fires. Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The shortest wait worth a timer. */
const MIN_SLEEP_MS = 4;

/** Some text and the number of BPE tokens it was cut from. */
interface Piece {
  text: string;
  tokens: number;
}

/**
 * The built-in model used when no provider key is set: a simulation, labelled as such, that
 * streams a deterministic Markdown answer about the prompt ({@link composeDemoAnswer}), cut
 * into tokens by a real BPE tokenizer (o200k), after about 300 ms and at about 40 tokens/s
 * with jitter seeded by the prompt. Honours `max_tokens` (finish `length`) and
 * `response_format`; reports usage counted with the same tokenizer. Its one model is `default`.
 */
export class DemoProvider implements Provider {
  readonly name = "demo";
  readonly #ttftMs: number;
  readonly #gapMs: number;
  readonly #jitter: number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(options: DemoOptions = {}) {
    this.#ttftMs = options.ttftMs ?? 300;
    this.#gapMs = 1000 / (options.tokensPerSecond ?? 40);
    this.#jitter = options.jitter ?? 0.5;
    this.#sleep = options.sleep ?? sleep;
  }

  hasModel(model: string): boolean {
    return model === "default";
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    signal.throwIfAborted();
    return ["default"];
  }

  async stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    signal.throwIfAborted();
    const answer = composeDemoAnswer(request);
    const limit = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
    const random = seededRandom(answer);
    let completionTokens = 0;
    let finish: "stop" | "length" = "stop";
    let owedMs = this.#ttftMs * this.#jittered(random);
    for (const piece of bpePieces(answer)) {
      if (completionTokens + piece.tokens > limit) {
        finish = "length";
        break;
      }
      // Gaps shorter than a timer's resolution add up instead, so fast paces stay accurate.
      if (owedMs >= MIN_SLEEP_MS) {
        await this.#sleep(owedMs, signal);
        owedMs = 0;
      }
      signal.throwIfAborted();
      completionTokens += piece.tokens;
      emit({ type: "text", text: piece.text });
      owedMs += this.#gapMs * piece.tokens * this.#jittered(random);
    }
    emit({ type: "usage", promptTokens: promptTokens(request.messages), completionTokens });
    emit({ type: "finish", reason: finish });
  }

  #jittered(random: () => number): number {
    return Math.max(0, 1 + this.#jitter * (random() * 2 - 1));
  }
}

/**
 * The answer as the model would emit it: one piece per BPE token, except where a character's
 * UTF-8 bytes span tokens; those tokens are merged, so that no piece holds half a character.
 * Done in one synchronous pass because the tokenizer decodes with one shared streaming
 * `TextDecoder`: a pause between tokens would let another stream's bytes mix with ours.
 */
function bpePieces(text: string): Piece[] {
  const tokens = encode(text);
  let pulled = 0;
  const counted = {
    *[Symbol.iterator]() {
      for (const token of tokens) {
        pulled++;
        yield token;
      }
    },
  };
  const pieces: Piece[] = [];
  let emitted = 0;
  // decodeGenerator pulls one token at a time and yields once the characters are whole.
  for (const piece of decodeGenerator(counted)) {
    pieces.push({ text: piece, tokens: pulled - emitted });
    emitted = pulled;
  }
  return pieces;
}

/** Tokens of the messages' text, as the tokenizer counts them (no per-message overhead). */
function promptTokens(messages: OpenAIChatMessage[]): number {
  let total = 0;
  for (const { content } of messages) {
    if (typeof content === "string") total += countTokens(content);
    else for (const part of content ?? []) total += countTokens(String(part.text ?? ""));
  }
  return total;
}
