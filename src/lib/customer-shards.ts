/**
 * Which shard of the per-customer detail files holds a customer: a stable hash of the customer ID (32-bit FNV-1a over
 * its UTF-16 code units) modulo the number of shards. The pipeline writes with it and the customer page reads with
 * it, so it must never change without republishing (same ID → same shard on every machine and in every browser).
 * Browser-safe and Node-safe.
 */

/** 32-bit FNV-1a of a string's UTF-16 code units (an unsigned integer). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard (0 … shards − 1) of a customer ID. */
export function shardOf(id: string, shards: number): number {
  if (!(Number.isInteger(shards) && shards >= 1)) throw new Error(`invalid number of shards: ${shards}`);
  return fnv1a(id) % shards;
}

/** A shard's file name: two digits at least, so the files sort in shard order ("07.arrow"). */
export function shardFile(shard: number): string {
  return `${String(shard).padStart(2, "0")}.arrow`;
}
