import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";
import { TelcoValidationError } from "./errors.js";
import { parseTelcoCsv } from "./parse.js";
import type { TelcoRecord } from "./schema.js";

export { TelcoValidationError } from "./errors.js";
export { TELCO_CATEGORIES, TELCO_COLUMNS, TELCO_HEADER, type TelcoRecord } from "./schema.js";

/** The IBM Telco Customer Churn sample (Apache-2.0), pinned by content. */
export const TELCO_URL =
  "https://raw.githubusercontent.com/IBM/telco-customer-churn-on-icp4d/master/data/Telco-Customer-Churn.csv";
export const TELCO_SHA256 = "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91";
export const TELCO_FILE_NAME = "Telco-Customer-Churn.csv";

/** `.cache/telco` at the project root, wherever the process was started from. */
export const TELCO_CACHE_DIR = fileURLToPath(new URL("../../.cache/telco", import.meta.url));

export interface ReadTelcoOptions {
  /** A local CSV; defaults to $TELCO_CSV. When set, no cache and no network are used. */
  path?: string;
  /** Where a download is cached (as Telco-Customer-Churn.csv). */
  cacheDir?: string;
  /** Where to download from when there is neither a path nor a cached copy. */
  url?: string;
  /** The expected sha256: always checked for downloads and the cache; for a local path only when given. */
  sha256?: string;
}

export interface TelcoData {
  rows: TelcoRecord[];
  /** The file path or URL the rows came from. */
  source: string;
  /** The sha256 of the bytes that were parsed. */
  sha256: string;
}

/**
 * Reads the Telco CSV from `path` ($TELCO_CSV), else the cache, else downloads it (checksum verified before the
 * cache is written), then validates every value. Bad input throws one TelcoValidationError.
 */
export async function readTelco({
  path = process.env.TELCO_CSV || undefined,
  cacheDir = TELCO_CACHE_DIR,
  url = TELCO_URL,
  sha256,
}: ReadTelcoOptions = {}): Promise<TelcoData> {
  if (path !== undefined) return fromBytes(await readFile(path), basename(path), path, sha256);
  const cached = join(cacheDir, TELCO_FILE_NAME);
  const expected = sha256 ?? TELCO_SHA256;
  if (existsSync(cached)) {
    return fromBytes(await readFile(cached), basename(cached), cached, expected, "; delete it to download it again");
  }
  const bytes = await download(url);
  checkSha256(bytes, url, expected, "; nothing was cached");
  await writeFileAtomic(cached, bytes);
  return fromBytes(bytes, TELCO_FILE_NAME, url);
}

function fromBytes(bytes: Uint8Array, file: string, source: string, expected?: string, advice = ""): TelcoData {
  const sha256 = expected === undefined ? sha256Hex(bytes) : checkSha256(bytes, file, expected, advice);
  return { rows: parseTelcoCsv(bytes, file), source, sha256 };
}

function checkSha256(bytes: Uint8Array, file: string, expected: string, advice: string): string {
  const actual = sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new TelcoValidationError({ file }, `sha256 ${actual} does not match the expected ${expected}${advice}`);
  }
  return actual;
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not download ${url} (set TELCO_CSV to a local copy): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) throw new Error(`could not download ${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
