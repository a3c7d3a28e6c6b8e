import type { ToolCallEvent, Usage } from "@sluice/protocol";

export type OpenAIFinishReason = "stop" | "length" | "content_filter" | "tool_calls";

/**
 * Encodes OpenAI `chat.completion.chunk` frames. The part before the delta is the same for
 * every chunk of a completion, so it is built once; a token costs one JSON string escape.
 */
export class OpenAIChunks {
  readonly #head: string;

  constructor(id: string, model: string, created: number) {
    this.#head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":[`;
  }

  #choice(delta: string, finishReason: OpenAIFinishReason | null): string {
    const finish = finishReason === null ? "null" : `"${finishReason}"`;
    return `${this.#head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  }

  role(): string {
    return this.#choice(`{"role":"assistant","content":""}`, null);
  }

  content(text: string): string {
    return this.#choice(`{"content":${JSON.stringify(text)}}`, null);
  }

  toolCall(event: ToolCallEvent): string {
    const call = {
      index: event.index,
      ...(event.id ? { id: event.id, type: "function" } : {}),
      function: {
        ...(event.name ? { name: event.name } : {}),
        ...(event.arguments !== undefined ? { arguments: event.arguments } : {}),
      },
    };
    return this.#choice(JSON.stringify({ tool_calls: [call] }), null);
  }

  finish(reason: OpenAIFinishReason): string {
    return this.#choice("{}", reason);
  }

  usage(usage: Usage): string {
    const { prompt_tokens, completion_tokens, total_tokens } = usage;
    return `${this.#head}],"usage":${JSON.stringify({ prompt_tokens, completion_tokens, total_tokens })}}\n\n`;
  }
}

/** The in-band error frame for a failure after the first chunk; the connection then closes. */
export function openAIErrorFrame(message: string, type: string, code: string): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}

export const openAIDoneFrame = "data: [DONE]\n\n";
