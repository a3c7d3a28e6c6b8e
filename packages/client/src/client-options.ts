import { defaultReconnectPolicy, type ReconnectPolicy } from "./backoff-delay.js";

/** Parses a final structured value; a zod schema is one (`z.object({...})`). */
export interface ObjectSchema<T> {
  parse(value: unknown): T;
}

/** Options of {@link streamChat} and {@link resumeStream}. */
export interface ClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787`. Default: the page's origin in a browser; required in Node. */
  baseUrl?: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`. With the `eventsource` transport (which cannot
   * send headers) a stream is started with one `fetch` POST carrying the key, then followed by
   * an EventSource with the stream token the gateway answered (`X-Stream-Token`).
   */
  apiKey?: string;
  /**
   * A stream token (`X-Stream-Token`, see {@link ChatStream.streamToken}) to use in place of an
   * API key: sent as `?token=` to read (`resumeStream`) and to stop the stream it names. A token
   * cannot start a stream.
   */
  streamToken?: string;
  /**
   * What the stream token the gateway issues for a new stream may do: `"read"` (default), or
   * `"cancel"` too (sent as `X-Stream-Token-Scope: cancel`), for handing a reader the right to stop it.
   */
  streamTokenScope?: "read" | "cancel";
  /** Most characters of one SSE line or unfinished message before the stream is refused; default 1 MiB. */
  maxBufferSize?: number;
  /** Aborting it means {@link ChatStream.leave}: the connection drops, the generation runs on for the grace period. */
  signal?: AbortSignal;
  /** Reconnect policy when a connection ends without a terminal event, or `false` to end with a `network_error` instead. */
  reconnect?: Partial<ReconnectPolicy> | false;
  /**
   * No byte for this long (heartbeats included) means the connection is dead: drop it and
   * resume. Default 35 000 ms, a little over twice the server's 15 s heartbeat. `0` turns it off.
   */
  stallMs?: number;
  /** Whether `streamChat` may fall back to `POST /api/chat` where streaming cannot work. Default `true`. */
  fallback?: boolean;
  /** `"fetch"` (default: fetch and a ReadableStream) or `"eventsource"` (the browser's EventSource and its own reconnects). */
  transport?: "fetch" | "eventsource";
  /** The `fetch` to use; default the global one. */
  fetch?: typeof fetch;
  /** Validates (and types) the final structured value that `object` resolves to. */
  schema?: ObjectSchema<unknown>;
}

/** {@link ClientOptions} with every default filled in. */
export interface ResolvedClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  streamToken: string | undefined;
  streamTokenScope: "read" | "cancel";
  maxBufferSize: number | undefined;
  signal: AbortSignal | undefined;
  reconnect: ReconnectPolicy | false;
  stallMs: number;
  fallback: boolean;
  transport: "fetch" | "eventsource";
  fetch: typeof fetch;
  schema: ObjectSchema<unknown> | undefined;
}

/** Default of {@link ClientOptions.stallMs}. */
export const defaultStallMs = 35_000;

/** Fills in the defaults; throws a `TypeError` where no base URL can be known (Node without `baseUrl`). */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const baseUrl = (options.baseUrl ?? origin)?.replace(/\/+$/, "");
  if (!baseUrl) {
    throw new TypeError(
      "options.baseUrl is required outside a browser page, e.g. http://127.0.0.1:8787",
    );
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  return {
    baseUrl,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    streamToken: options.streamToken,
    streamTokenScope: options.streamTokenScope ?? "read",
    maxBufferSize: options.maxBufferSize,
    signal: options.signal,
    reconnect:
      options.reconnect === false ? false : { ...defaultReconnectPolicy, ...options.reconnect },
    stallMs: options.stallMs ?? defaultStallMs,
    fallback: options.fallback ?? true,
    transport: options.transport ?? "fetch",
    // Bound to globalThis: a browser's fetch called as a method of another object throws.
    fetch: options.fetch ? fetchFunction : fetchFunction.bind(globalThis),
    schema: options.schema,
  };
}

/**
 * The URL of `/api/streams/{id}` with a stream token (`query.token`, else the caller's own,
 * when there is one) and any other query parameters: for resuming, following and stopping.
 */
export function streamUrl(
  options: ResolvedClientOptions,
  streamId: string,
  query: Record<string, string | undefined> = {},
): string {
  const search = new URLSearchParams();
  const token = query.token ?? options.streamToken;
  if (token) search.set("token", token);
  for (const [name, value] of Object.entries(query))
    if (value && name !== "token") search.set(name, value);
  const suffix = search.size > 0 ? `?${search}` : "";
  return `${options.baseUrl}/api/streams/${encodeURIComponent(streamId)}${suffix}`;
}
