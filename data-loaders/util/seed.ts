import { randomLcg } from "d3";

/**
 * A 31-bit integer seed for one named random stream, derived from the run's seed (FNV-1a over `seed:name`).
 * Each simulated column draws from its own stream, so adding or reordering a column never changes the others.
 */
export function streamSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${name}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 1 || 1; // randomLcg reads a seed ≥ 1 as an integer state
}

/** A seeded uniform [0, 1) source for the named stream (d3's linear congruential generator). */
export function seededRandom(seed: number, name: string): () => number {
  return randomLcg(streamSeed(seed, name));
}
