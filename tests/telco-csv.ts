/**
 * Where the tests find the real Telco CSV: exactly as the product does (data-loaders/telco/ingest.ts) — TELCO_CSV,
 * else the verified copy in .cache/telco/, else the sha256-checked download, which fills that cache. When none is
 * possible, one line says how to provide it. CI and development point TELCO_CSV at ../shared (scripts/env.sh).
 */
import { join } from "node:path";
import { readTelco, TELCO_CACHE_DIR, TELCO_FILE_NAME, TELCO_URL } from "../data-loaders/telco/ingest.js";

/** The path of a verified Telco CSV, resolved once per test process. */
async function locate(): Promise<string> {
  try {
    const { source } = await readTelco();
    return /^https?:/.test(source) ? join(TELCO_CACHE_DIR, TELCO_FILE_NAME) : source;
  } catch (error) {
    throw new Error(
      `the Telco CSV is needed: set TELCO_CSV to its path, or put it at ${join(TELCO_CACHE_DIR, TELCO_FILE_NAME)}, ` +
        `or allow the download from ${TELCO_URL} (${(error as Error).message})`,
    );
  }
}

export const TELCO_CSV = await locate();
