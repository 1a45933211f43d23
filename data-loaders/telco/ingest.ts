import { constants, existsSync, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";
import { TelcoValidationError } from "./errors.js";
import { checkTrainable, MIN_ROWS_PER_CLASS, parseTelcoCsv } from "./parse.js";
import type { TelcoRecord } from "./schema.js";

export { TelcoValidationError } from "./errors.js";
export { MAX_MONTHLY_CHARGES, MAX_TOTAL_CHARGES, MIN_ROWS_PER_CLASS } from "./parse.js";
export { TELCO_CATEGORIES, TELCO_COLUMNS, TELCO_HEADER, type TelcoRecord } from "./schema.js";

/** The IBM Telco Customer Churn sample (Apache-2.0), pinned by content. */
export const TELCO_URL =
  "https://raw.githubusercontent.com/IBM/telco-customer-churn-on-icp4d/master/data/Telco-Customer-Churn.csv";
export const TELCO_SHA256 = "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91";
export const TELCO_FILE_NAME = "Telco-Customer-Churn.csv";

/**
 * Largest Telco CSV read (bytes), checked before reading: the IBM file is 0.95 MB (7,043 customers), so 64 MB is
 * about 470,000 customers. A 200 MB file used to take 101 s and 3.9 GB of memory before its error.
 */
export const MAX_TELCO_BYTES = 64 * 1024 * 1024;

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
  /** Largest file read, local or downloaded; default MAX_TELCO_BYTES. */
  maxBytes?: number;
  /** Fewest customers of each Churn class the data must hold (a model is trained on it); default MIN_ROWS_PER_CLASS. */
  minRowsPerClass?: number;
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
  maxBytes = MAX_TELCO_BYTES,
  minRowsPerClass = MIN_ROWS_PER_CLASS,
}: ReadTelcoOptions = {}): Promise<TelcoData> {
  const parse = (bytes: Uint8Array, file: string, source: string, expected?: string, advice = ""): TelcoData => {
    const digest = expected === undefined ? sha256Hex(bytes) : checkSha256(bytes, file, expected, advice);
    const rows = parseTelcoCsv(bytes, file);
    checkTrainable(rows, file, minRowsPerClass);
    return { rows, source, sha256: digest };
  };
  if (path !== undefined) return parse(await readLocal(path, maxBytes), basename(path), path, sha256);
  const cached = join(cacheDir, TELCO_FILE_NAME);
  const expected = sha256 ?? TELCO_SHA256;
  if (existsSync(cached)) {
    const bytes = await readLocal(cached, maxBytes);
    return parse(bytes, basename(cached), cached, expected, "; delete it to download it again");
  }
  const bytes = await download(url, maxBytes);
  checkSha256(bytes, url, expected, "; nothing was cached");
  await writeFileAtomic(cached, bytes);
  return parse(bytes, TELCO_FILE_NAME, url);
}

/**
 * A local file's bytes, refusing before reading anything what is not a regular file (a FIFO would block the build
 * forever, a device never ends) or is over `maxBytes`. Opened non-blocking and checked again on the open handle, so a
 * path swapped after the first check cannot get through either.
 */
async function readLocal(path: string, maxBytes: number): Promise<Uint8Array> {
  checkRegularFile(path, await stat(path), maxBytes);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    checkRegularFile(path, info, maxBytes);
    // One byte more than allowed, to notice a file that grew after the check.
    const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) {
      ({ bytesRead: n } = await handle.read(buffer, length, buffer.length - length, length));
    }
    if (length > maxBytes) throw tooLarge(path, `more than ${maxBytes}`, maxBytes);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function checkRegularFile(path: string, info: Stats, maxBytes: number): void {
  if (!info.isFile()) {
    throw new TelcoValidationError(
      { file: path },
      `is ${fileType(info)}, not a regular file: give the CSV file itself`,
    );
  }
  if (info.size > maxBytes) throw tooLarge(path, String(info.size), maxBytes);
}

function fileType(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

function tooLarge(file: string, size: string, maxBytes: number): TelcoValidationError {
  const mb = (n: number) => (n < 1024 * 1024 ? `${n} bytes` : `${(n / 1024 / 1024).toFixed(1)} MB`);
  const shown = /^\d+$/.test(size) ? mb(Number(size)) : `${size} bytes`;
  return new TelcoValidationError(
    { file },
    `is ${shown}, over the ${mb(maxBytes)} limit for a Telco CSV (the IBM file is 0.9 MB); nothing was parsed`,
  );
}

function checkSha256(bytes: Uint8Array, file: string, expected: string, advice: string): string {
  const actual = sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new TelcoValidationError({ file }, `sha256 ${actual} does not match the expected ${expected}${advice}`);
  }
  return actual;
}

async function download(url: string, maxBytes: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not download ${url} (set TELCO_CSV to a local copy): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) throw new Error(`could not download ${url}: HTTP ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(url, String(declared), maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    length += part.value.byteLength;
    if (length > maxBytes) {
      await reader!.cancel().catch(() => {});
      throw tooLarge(url, `more than ${maxBytes}`, maxBytes);
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}
