import { StringDecoder } from "node:string_decoder";
import { type EventSourceMessage, type SluiceError, SsePushParser } from "@sluice/protocol";
import type { Dispatcher } from "undici";
import { UpstreamEventStream } from "./upstream-event-stream.js";

/** Turns one upstream stream's SSE messages into provider events, pushed as each is read. */
export interface UpstreamSseReader {
  /** Reads one message; throws the upstream's in-band error. */
  message(message: EventSourceMessage): void;
  /** The upstream said its last word: the rest of the body is not read. */
  readonly done: boolean;
  /** The body ended: emits what comes last, or throws when the stream stopped short. */
  end(): void;
}

/** What a provider's SDK would have thrown, so that `toSluiceError` classifies as before. */
export interface UpstreamSdkErrors {
  /** The SDK's error for a request that got no response. */
  connection(cause: Error): Error;
  /** The SDK's error for an error status, built from the body (its JSON, else its text). */
  status(
    status: number,
    json: object | undefined,
    text: string | undefined,
    headers: Headers,
  ): Error;
  /** Whatever was thrown, normalised; rethrows the signal's reason once it has fired. */
  normalise(error: unknown, signal: AbortSignal): SluiceError;
}

/** Where one streamed request goes and what it carries. */
export interface UpstreamSseRequestOptions {
  /** The keep-alive pool of the upstream's origin ({@link upstreamPool}). */
  pool: Dispatcher;
  /** `/v1/chat/completions`, with the query if any. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs a streaming request on the upstream's keep-alive pool (undici's dispatch, through an
 * {@link UpstreamEventStream}) and feeds the body's bytes straight into an
 * {@link SsePushParser}, whose messages go to `reader` in the same turn:
 * measured 25 % less CPU per token than an SDK's WHATWG fetch stream. Resolves when the body
 * ended and the reader's `end` accepted it; rejects with `errors.normalise` of whatever failed
 * (a status ≥ 300, a lost connection, an in-band error, a line over the parser's 1 MiB bound),
 * or with the signal's reason after an abort, after which no message reaches the reader.
 */
export function streamUpstreamSse(
  request: UpstreamSseRequestOptions,
  signal: AbortSignal,
  errors: UpstreamSdkErrors,
  reader: UpstreamSseReader,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    signal.throwIfAborted();
    const fail = (error: unknown) => {
      try {
        reject(errors.normalise(error, signal));
      } catch (abort) {
        reject(abort);
      }
    };
    // Node 20's TextDecoder costs ~290 ns more per chunk than a StringDecoder: the parser is fed
    // strings, with a UTF-8 character split across chunks kept for the next one.
    const decoder = new StringDecoder("utf8");
    // One read can hold several messages: an abort fired while emitting one of them must keep
    // the rest of that read from reaching the caller too.
    const parser = new SsePushParser({
      onMessage: (message) => {
        if (!signal.aborted) reader.message(message);
      },
    });
    const upstream = new UpstreamEventStream(signal, {
      onBody: (chunk) => {
        // Chunks already read keep coming after an abort; none may reach the caller.
        if (!signal.aborted && !reader.done) parser.feed(decoder.write(chunk));
      },
      onEnd: () => {
        if (!reader.done) {
          parser.feed(decoder.end());
          parser.end();
        }
        signal.throwIfAborted();
        reader.end();
        resolve();
      },
      onStatus: (status, headers, text) => {
        const json = parseJson(text);
        fail(errors.status(status, json, json ? undefined : text, headers));
      },
      onError: (error, responded) =>
        // As the SDKs classify a request that got no response.
        fail(responded || isAbort(error) || signal.aborted ? error : errors.connection(error)),
    });
    request.pool.dispatch(
      { method: "POST", path: request.path, headers: request.headers, body: request.body },
      upstream,
    );
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/** The body as JSON, or undefined, as the SDKs read an error body. */
function parseJson(text: string): object | undefined {
  try {
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}
