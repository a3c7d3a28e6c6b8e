import { createHash } from "node:crypto";
import { SluiceError } from "@sluice/protocol";

/** Streams created without auth belong to this owner; their ids are the only capability. */
export const anonymousOwner = "anonymous";

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 22);
}

/**
 * Bearer-token auth against `SLUICE_API_KEYS`. The owner of a stream is a hash of the key,
 * so keys are never stored beside the streams they created.
 */
export class Authenticator {
  readonly #owners: Set<string>;

  constructor(apiKeys: readonly string[]) {
    this.#owners = new Set(apiKeys.map(hashKey));
  }

  get enabled(): boolean {
    return this.#owners.size > 0;
  }

  /** The owner for a request's `Authorization` header; `unauthorized` when auth is on and it fails. */
  owner(authorization: string | undefined): string {
    if (!this.enabled) return anonymousOwner;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    const owner = match?.[1] ? hashKey(match[1]) : undefined;
    if (!owner || !this.#owners.has(owner)) {
      throw new SluiceError(
        "unauthorized",
        "A valid API key is required: Authorization: Bearer <key>.",
      );
    }
    return owner;
  }
}
