import { createHash } from "node:crypto";

/**
 * Repeatable uniform numbers in [0, 1) for a seed: the nth number is read from SHA-256 of
 * `seed:n`, so two runs of a scenario (and both sides of a comparison) see the same arrivals.
 */
export function seededUniform(seed: number): () => number {
  let counter = 0;
  return () => {
    const digest = createHash("sha256").update(`${seed}:${counter}`).digest();
    counter += 1;
    return digest.readUInt32BE(0) / 2 ** 32;
  };
}
