import { createHash } from "node:crypto";

/** JSON with object keys sorted at every depth, so equal content always gives equal text (and hash). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Hex sha256 of a string or of a value's stable JSON. */
export function sha256(value: unknown): string {
  const text = typeof value === "string" ? value : stableStringify(value);
  return createHash("sha256").update(text).digest("hex");
}

/** A number in [0, 1) derived from a hash of the given parts: reproducible "randomness" (jitter, picks). */
export function hashUnit(...parts: Array<string | number>): number {
  const hex = sha256(parts.join("\u0000")).slice(0, 13); // 52 bits fit a double exactly
  return parseInt(hex, 16) / 2 ** 52;
}
