import { SluiceError, SsePushParser } from "@sluice/protocol";
import OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { OpenAIChunkReader } from "./openai-chunk-reader.js";
import type { Provider, ProviderEmit, ProviderLogger, ProviderRequest } from "./provider.js";
import { upstreamErrorNormaliser, upstreamHost } from "./upstream-error-normaliser.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";

/** How to reach an OpenAI-compatible Chat Completions API. */
export interface OpenAIProviderOptions {
  apiKey: string;
  /** The prefix of its model names. Default `openai`; a named instance from `SLUICE_CONFIG` has its own. */
  name?: string;
  /** Default: the SDK's, `https://api.openai.com/v1` (or `OPENAI_BASE_URL`). */
  baseURL?: string;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: typeof fetch;
  logger?: ProviderLogger;
}

/**
 * The provider for any server that speaks OpenAI's Chat Completions API (OpenAI, Ollama,
 * vLLM, llama.cpp, ...). Every field of the request passes through; the SDK never retries,
 * since Sluice retries and times out by itself.
 */
export class OpenAIProvider implements Provider {
  readonly name: string;
  readonly #client: OpenAI;
  readonly host: string;
  readonly #normalise: (error: unknown, signal: AbortSignal) => SluiceError;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? "openai";
    this.host = upstreamHost(options.baseURL ?? "https://api.openai.com/v1");
    this.#normalise = upstreamErrorNormaliser(this.name, this.host, options);
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      fetch: options.fetch,
      ...UPSTREAM_SDK_OPTIONS,
    });
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const models: string[] = [];
      for await (const model of this.#client.models.list({ signal })) {
        models.push(model.id);
      }
      return models;
    } catch (error) {
      throw this.#normalise(error, signal);
    }
  }

  async stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    const body = {
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    } as ChatCompletionCreateParamsStreaming;
    try {
      // The SDK builds and sends the request and turns HTTP errors into its error classes; the
      // body is parsed here, pushed through one parser, because its own SSE iterator costs
      // several times more per token.
      const response = await this.#client.chat.completions.create(body, { signal }).asResponse();
      if (!response.body) throw new SluiceError("network_error", "The openai stream has no body.");
      const reader = new OpenAIChunkReader(emit, response.headers);
      const parser = new SsePushParser({ onMessage: (message) => reader.message(message) });
      const bytes = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await bytes.read();
          // Chunks already buffered keep coming after an abort; none may reach the caller.
          if (signal.aborted || reader.done) break;
          if (done) {
            parser.end();
            break;
          }
          parser.feed(value);
        }
      } finally {
        bytes.cancel().catch(() => undefined);
      }
      // The SDK ends quietly when the signal fires mid-stream.
      signal.throwIfAborted();
      reader.end();
    } catch (error) {
      throw this.#normalise(error, signal);
    }
  }
}
