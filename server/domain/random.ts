/**
 * Seeded randomness for the simulation models. Two shapes:
 * - `mulberry32(seed)`: a stream, for drawing a handful of values once (a household's profile);
 * - `hashUnit(seed, a, b)`: random access, a pure function of its integer keys, so a model can ask
 *   "was the window open on day 20123, slot 1?" without replaying a stream from the start.
 * Neither is fit for secrets; both are fast and allocation-free once set up.
 */

/** 32-bit avalanche mixer (Chris Wellons' lowbias32): every input bit flips about half the output bits. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform number in [0, 1) determined by a seed and up to two integer keys (taken modulo 2^32). */
export function hashUnit(seed: number, a: number, b = 0): number {
  // Keys are mixed one after the other so that (a, b) and (b, a) differ.
  let h = mix32((seed | 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(a | 0, 0x85ebca6b));
  h = mix32(h ^ Math.imul(b | 0, 0xc2b2ae35));
  return h / 4294967296;
}

/** mulberry32: a 32-bit-state generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a string (FNV-1a), so a radiator serial or a dwelling id can seed its own models. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}
