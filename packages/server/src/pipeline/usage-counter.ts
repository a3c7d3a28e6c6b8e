import type { Usage } from "@sluice/protocol";
import { countTokens } from "gpt-tokenizer";
import type { ProviderRequest } from "../providers/provider.js";

// Text is whatever users and models wrote: special-token spellings such as "<|endoftext|>" are
// counted as plain text instead of making the tokenizer throw.
const asPlainText = { disallowedSpecial: new Set<string>() };

// The chat format adds a few tokens around each message and to prime the reply; OpenAI's
// cookbook counts 3 per message and 3 for the reply.
const tokensPerMessage = 3;
const tokensForReply = 3;

/** The number of tokens in `text` under the o200k_base encoding (GPT-4o's), as an estimate. */
export function estimateTokens(text: string): number {
  return text === "" ? 0 : countTokens(text, asPlainText);
}

/**
 * The usage of one generation: the provider's own figures when it reports them, else counted
 * from the request's messages and the answer's text, with `estimated: true`. The text is
 * tokenised once, when the result is asked for, not per token.
 */
export class UsageCounter {
  readonly #messages: ProviderRequest["messages"];
  #text = "";
  #promptTokens: number | undefined;
  #provided: { promptTokens: number; completionTokens: number; estimated: boolean } | undefined;
  #result: Usage | undefined;

  constructor(request: Pick<ProviderRequest, "messages">) {
    this.#messages = request.messages;
  }

  /** Adds answer text (tool-call arguments included, they are completion tokens too). */
  addText(text: string): void {
    if (text === "") return;
    this.#text += text;
    this.#result = undefined;
  }

  /**
   * Records the provider's figures; the last report wins. `estimated`: they are partly the
   * gateway's count (a router adding up a call that was cut). Default false.
   */
  setProviderUsage(promptTokens: number, completionTokens: number, estimated = false): void {
    this.#provided = { promptTokens, completionTokens, estimated };
    this.#result = undefined;
  }

  /** The usage so far; cheap to ask again while nothing changed. */
  result(): Usage {
    this.#result ??= this.#count();
    return this.#result;
  }

  #count(): Usage {
    if (this.#provided) {
      const { promptTokens, completionTokens, estimated } = this.#provided;
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        ...(estimated ? { estimated } : {}),
      };
    }
    this.#promptTokens ??= countPromptTokens(this.#messages);
    const completionTokens = estimateTokens(this.#text);
    return {
      prompt_tokens: this.#promptTokens,
      completion_tokens: completionTokens,
      total_tokens: this.#promptTokens + completionTokens,
      estimated: true,
    };
  }
}

function countPromptTokens(messages: ProviderRequest["messages"]): number {
  let tokens = tokensForReply;
  for (const message of messages) {
    tokens += tokensPerMessage;
    const content = message.content;
    if (typeof content === "string") tokens += estimateTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (typeof part.text === "string") tokens += estimateTokens(part.text);
      }
    }
  }
  return tokens;
}
