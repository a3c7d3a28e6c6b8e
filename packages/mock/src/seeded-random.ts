/**
 * A deterministic pseudo-random source (mulberry32): the same seed gives the same numbers
 * on every run, so the mock's text and timing can be reproduced by tests and the bench.
 * Returns a function that yields numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
