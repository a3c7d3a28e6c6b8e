import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SluiceError } from "@sluice/protocol";

/** What a stream token lets its holder do with its one stream. */
export type StreamTokenScope = "read" | "cancel";

export interface StreamTokensOptions {
  /** The HMAC key (`SLUICE_TOKEN_SECRET`); random per process when undefined. */
  secret: string | undefined;
  /** How long a token stays valid (ms). */
  ttlMs: number;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
}

const invalid = () =>
  new SluiceError("unauthorized", "The stream token is invalid, expired, or for another stream.", {
    param: "token",
  });

/**
 * Short-lived, stream-scoped capabilities for clients that cannot send a bearer header (a
 * browser's EventSource): `<expiry seconds>.<scope>.<HMAC-SHA256 of stream id, expiry and
 * scope>`, base64url. A token names no key and no owner; it reads one stream, and cancels it
 * only when its scope says so. Every instance sharing `SLUICE_TOKEN_SECRET` accepts the others'.
 */
export class StreamTokens {
  readonly #key: Buffer;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: StreamTokensOptions) {
    this.#key = options.secret ? Buffer.from(options.secret, "utf8") : randomBytes(32);
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** A token for `streamId`: read-only, or read and cancel. */
  issue(streamId: string, scopes: readonly StreamTokenScope[] = ["read"]): string {
    const expires = Math.ceil((this.#now() + this.#ttlMs) / 1000);
    const scope = scopes.includes("cancel") ? "rc" : "r";
    return `${expires}.${scope}.${this.#sign(streamId, expires, scope)}`;
  }

  /**
   * Checks that `token` grants `scope` on `streamId` and has not expired; throws `unauthorized`
   * otherwise, with one message for every failure so that nothing can be learnt by probing.
   */
  verify(token: string, streamId: string, scope: StreamTokenScope): void {
    const [expiresText = "", granted = "", signature = ""] = token.split(".");
    const expires = Number(expiresText);
    if (!/^\d{1,12}$/.test(expiresText) || (granted !== "r" && granted !== "rc")) throw invalid();
    const expected = Buffer.from(this.#sign(streamId, expires, granted));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    if (expires * 1000 <= this.#now()) throw invalid();
    if (scope === "cancel" && granted !== "rc") throw invalid();
  }

  #sign(streamId: string, expires: number, scope: string): string {
    return createHmac("sha256", this.#key)
      .update(`${streamId}\n${expires}\n${scope}`)
      .digest("base64url");
  }
}
