import { Pool } from "undici";

/** Pools already made, one per upstream origin, shared by every provider that talks to it. */
const pools = new Map<string, Pool>();

/**
 * The keep-alive connection pool for an upstream origin (`https://api.openai.com`): one per
 * origin in the process, so that streams reuse warm connections (no TCP or TLS handshake per
 * request) and no per-request dispatcher state is built. No connection limit: every stream
 * holds one connection while it runs. The pool's own timeouts are only a backstop (one hour,
 * like the SDKs'); the run's first-token and idle timeouts are the real ones.
 */
export function upstreamPool(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      headersTimeout: 3_600_000,
      bodyTimeout: 3_600_000,
      keepAliveTimeout: 10_000,
    });
    pools.set(origin, pool);
  }
  return pool;
}
