/**
 * Precompress the large static assets of a built site: a .gz beside each, for nginx's gzip_static.
 *
 * Why: DuckDB-WASM's two WebAssembly builds are ~74 MB and ONNX Runtime's ~14 MB. Compressing them once
 * at build time, at the highest level, costs a few seconds; compressing them per request would cost the
 * server that CPU on every download. Only formats that are read whole are precompressed: the pipeline's JSON
 * (metrics, trees) is fetched whole by the pages (DuckDB's JSON extension is off, observablehq.config.ts), so it is;
 * CSV is not, which DuckDB may read with Range requests (see nginx/http.d/compression.conf).
 *
 * CLI (end of scripts/build.sh, via scripts/postbuild.sh): `npx tsx scripts/precompress.ts dist`
 */
import { readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** Extensions worth precompressing. */
export const PRECOMPRESSED = [".js", ".mjs", ".css", ".wasm", ".arrow", ".onnx", ".svg", ".html", ".json"];
/** Below this size the gzip header and a request for the .gz are not worth it. */
export const MIN_BYTES = 1024;
/** A .gz is kept only when it saves at least this fraction of the bytes. */
export const MIN_SAVING = 0.1;

/** Write file.gz for one file when worthwhile; returns the compressed size, or null when skipped. */
export async function precompressFile(file: string): Promise<number | null> {
  const data = await readFile(file);
  if (data.length < MIN_BYTES) return null;
  const gz = await gzipAsync(data, { level: constants.Z_BEST_COMPRESSION });
  if (gz.length > data.length * (1 - MIN_SAVING)) return null;
  await writeFile(`${file}.gz`, gz);
  // Same mtime as the original: nginx derives Last-Modified and the ETag from the .gz it serves.
  const { atime, mtime } = await stat(file);
  await utimes(`${file}.gz`, atime, mtime);
  return gz.length;
}

/** Precompress every eligible file below dist; returns totals in bytes. */
export async function precompressSite(dist: string): Promise<{ files: number; before: number; after: number }> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && PRECOMPRESSED.some((ext) => e.name.endsWith(ext)))
    .map((e) => join(e.parentPath, e.name));
  let count = 0;
  let before = 0;
  let after = 0;
  // zlib runs on libuv's thread pool: a few files at a time keep every core busy.
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const size = await precompressFile(file);
      if (size === null) continue;
      count += 1;
      before += (await stat(file)).size;
      after += size;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { files: count, before, after };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dist = "dist"] = process.argv.slice(2);
  const { files, before, after } = await precompressSite(dist);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  process.stderr.write(`precompress: ${files} files, ${mb(before)} MB → ${mb(after)} MB gzip\n`);
}
