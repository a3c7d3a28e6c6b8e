import OpenAI from "openai";
import type { Pool } from "undici";
import { OpenAIChunkReader } from "./openai-chunk-reader.js";
import type { Provider, ProviderEmit, ProviderLogger, ProviderRequest } from "./provider.js";
import { upstreamErrorNormaliser, upstreamHost } from "./upstream-error-normaliser.js";
import { upstreamPool } from "./upstream-pool.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";
import { streamUpstreamSse, type UpstreamSdkErrors } from "./upstream-sse-request.js";

/** How to reach an OpenAI-compatible Chat Completions API. */
export interface OpenAIProviderOptions {
  apiKey: string;
  /** The prefix of its model names. Default `openai`; a named instance from `SLUICE_CONFIG` has its own. */
  name?: string;
  /** Default: the SDK's, `https://api.openai.com/v1` (or `OPENAI_BASE_URL`). */
  baseURL?: string;
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
  readonly #errors: UpstreamSdkErrors;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? "openai";
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      ...UPSTREAM_SDK_OPTIONS,
    });
    // The SDK resolves the base URL (the option, else OPENAI_BASE_URL), organization and project.
    this.host = upstreamHost(this.#client.baseURL);
    this.#errors = {
      normalise: upstreamErrorNormaliser(this.name, this.host, options),
      connection: (cause) => new OpenAI.APIConnectionError({ cause }),
      status: (status, json, text, headers) =>
        OpenAI.APIError.generate(status, json, text, headers),
    };
    const url = new URL(this.#client.baseURL);
    this.#pool = upstreamPool(url.origin);
    this.#path = `${url.pathname.replace(/\/$/, "")}/chat/completions${url.search}`;
    this.#headers = {
      authorization: `Bearer ${options.apiKey}`,
      "content-type": "application/json",
      accept: "text/event-stream",
      "user-agent": "sluice",
      ...(this.#client.organization ? { "openai-organization": this.#client.organization } : {}),
      ...(this.#client.project ? { "openai-project": this.#client.project } : {}),
    };
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const models: string[] = [];
      for await (const model of this.#client.models.list({ signal })) {
        models.push(model.id);
      }
      return models;
    } catch (error) {
      throw this.#errors.normalise(error, signal);
    }
  }

  stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    // The SDK resolves the configuration and classifies errors; undici sends the request.
    const body = JSON.stringify({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    return streamUpstreamSse(
      { pool: this.#pool, path: this.#path, headers: this.#headers, body },
      signal,
      this.#errors,
      new OpenAIChunkReader(emit, undefined),
    );
  }
}
