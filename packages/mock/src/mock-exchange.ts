import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { MockKnobs } from "./mock-knobs.js";
import type { PacedEnding, PacedScript } from "./token-pacer.js";

/** One request to a model route, parsed, with its knobs resolved. */
export interface MockExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The JSON body, an object. */
  readonly body: Record<string, unknown>;
  /** The requested model name, without its knob text. */
  readonly model: string;
  readonly knobs: MockKnobs;
  /** The knobs' fault, when this request gets it (`times` not yet used up); else `none`. */
  readonly fault: MockKnobs["fault"];
  /** Rough input size in tokens, for usage. */
  readonly promptTokens: number;
  /** Answers with a script on the knobs' clock and counts it as a stream. */
  play(playback: MockPlayback): void;
}

/** What `MockExchange.play` sends. */
export interface MockPlayback {
  /** Default 200. */
  status?: number;
  /** Go out with the first byte. */
  headers: OutgoingHttpHeaders;
  script: PacedScript;
  ending: PacedEnding;
  /** Replaces the knobs' `ttft` (a non-streamed answer waits for its last token). */
  delayMs?: number;
}

/** A wire format the mock speaks: OpenAI's Chat Completions or Anthropic's Messages. */
export interface MockDialect {
  /** Answers an error in this API's shape, with its usual message for `status` by default. */
  sendError(
    response: ServerResponse,
    status: number,
    message?: string,
    headers?: OutgoingHttpHeaders,
  ): void;
  /** Answers a model request. */
  answer(exchange: MockExchange): void;
}
