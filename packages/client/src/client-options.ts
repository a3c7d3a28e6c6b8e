import { defaultReconnectPolicy, type ReconnectPolicy } from "./backoff-delay.js";

/** Parses a final structured value; a zod schema is one (`z.object({...})`). */
export interface ObjectSchema<T> {
  parse(value: unknown): T;
}

/** Options of {@link streamChat} and {@link resumeStream}. */
export interface ClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787`. Default: the page's origin in a browser; required in Node. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>` (not by the `eventsource` transport, which cannot send headers). */
  apiKey?: string;
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
