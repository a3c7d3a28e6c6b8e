import Anthropic from "@anthropic-ai/sdk";
import { AnthropicEventReader } from "./anthropic-event-reader.js";
import type { Provider, ProviderEmit, ProviderLogger, ProviderRequest } from "./provider.js";
import { toAnthropicRequest } from "./to-anthropic-request.js";
import { upstreamErrorNormaliser, upstreamHost } from "./upstream-error-normaliser.js";
import { upstreamPool } from "./upstream-pool.js";
import { UPSTREAM_SDK_OPTIONS } from "./upstream-sdk-options.js";
import {
  streamUpstreamSse,
  type UpstreamSdkErrors,
  type UpstreamSseRequestOptions,
} from "./upstream-sse-request.js";

/** How to reach Anthropic's Messages API. */
export interface AnthropicProviderOptions {
  apiKey: string;
  /** The prefix of its model names. Default `anthropic`; a named instance from `SLUICE_CONFIG` has its own. */
  name?: string;
  /** Default: the SDK's, `https://api.anthropic.com` (or `ANTHROPIC_BASE_URL`). */
  baseURL?: string;
  logger?: ProviderLogger;
}

/**
 * The provider for Anthropic's Messages API: translates the OpenAI-shaped request with
 * {@link toAnthropicRequest} and Anthropic's stream events back into provider events with
 * {@link AnthropicEventReader}. The SDK resolves the configuration (base URL, key, the headers it
 * sends, `anthropic-version` among them) and classifies errors; undici sends the streamed
 * request ({@link streamUpstreamSse}). Nothing retries here: Sluice's run does.
 */
export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly #client: AnthropicClient;
  readonly host: string;
  readonly #errors: UpstreamSdkErrors;
  /** Where a streamed Messages request goes, with the SDK's headers: built once. */
  #target: Promise<MessagesTarget> | undefined;

  constructor(options: AnthropicProviderOptions) {
    this.name = options.name ?? "anthropic";
    const client = new AnthropicClient({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      ...UPSTREAM_SDK_OPTIONS,
    });
    this.#client = client;
    // The SDK's base URL: the option, else ANTHROPIC_BASE_URL, else Anthropic's.
    this.host = upstreamHost(client.baseURL);
    this.#errors = {
      normalise: upstreamErrorNormaliser(this.name, this.host, options),
      connection: (cause) => new Anthropic.APIConnectionError({ cause }),
      status: (status, json, text, headers) => client.statusError(status, json, text, headers),
    };
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const models: string[] = [];
      for await (const model of this.#client.models.list({}, { signal })) {
        models.push(model.id);
      }
      return models;
    } catch (error) {
      throw this.#errors.normalise(error, signal);
    }
  }

  async stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    let target: MessagesTarget;
    try {
      this.#target ??= this.#client.messagesTarget();
      target = await this.#target;
    } catch (error) {
      throw this.#errors.normalise(error, signal);
    }
    const body = JSON.stringify({ ...toAnthropicRequest(request), stream: true });
    return streamUpstreamSse(
      { ...target, body },
      signal,
      this.#errors,
      new AnthropicEventReader(emit),
    );
  }
}

/** A streamed Messages request without its body. */
type MessagesTarget = Omit<UpstreamSseRequestOptions, "body">;

/** The SDK's client, with the two things the provider takes from it besides `models.list`. */
class AnthropicClient extends Anthropic {
  /** Where a streamed `messages.create` goes, and the headers the SDK sends with it. */
  async messagesTarget(): Promise<MessagesTarget> {
    const { url, req } = await this.buildRequest({
      method: "post",
      path: "/v1/messages",
      body: {},
      stream: true,
    });
    const { origin, pathname, search } = new URL(url);
    return {
      pool: upstreamPool(origin),
      path: `${pathname}${search}`,
      headers: Object.fromEntries(new Headers(req.headers)),
    };
  }

  /** The SDK's error for a response with an error status (its class per status and error code). */
  statusError(
    status: number,
    json: object | undefined,
    text: string | undefined,
    headers: Headers,
  ): Error {
    return this.makeStatusError(status, json as object, text, headers);
  }
}
