/**
 * The content-addressed pipeline cache that Framework's loader shims read from.
 *
 * Framework reruns a loader only when the loader file is newer than its cached output, so edits to the
 * pipeline or to the input CSV would go unnoticed. Instead every shim asks for one artifact of the pipeline
 * run whose key hashes everything the run depends on; a changed input gives a new key and a fresh run.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, symlink } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDirFrom } from "./llm/cache.js";
import { readEnv } from "./llm/provider.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const PIPELINE_CACHE = join(ROOT, ".cache", "pipeline");

export interface PipelineOptions {
  /** Telco CSV path (else the ingest's own cache or download). */
  telcoCsv?: string;
  /** size of the synthetic food-delivery base */
  foodN: number;
  /** seed for every random draw of the run */
  seed: number;
  /** repeats of the models' stratified 5-fold CV */
  cvRepeats: number;
}

/** Options from the environment, with the documented defaults. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineOptions {
  const foodN = env.FOOD_N === undefined ? 20_000 : Number(env.FOOD_N);
  if (!Number.isInteger(foodN) || foodN < 1_000 || foodN > 1_000_000) {
    throw new Error(`FOOD_N: ${JSON.stringify(env.FOOD_N)} is not a whole number from 1000 to 1000000`);
  }
  const seed = env.SEED === undefined ? 42 : Number(env.SEED);
  if (!Number.isInteger(seed)) throw new Error(`SEED: ${JSON.stringify(env.SEED)} is not an integer`);
  const cvRepeats = env.CV_REPEATS === undefined ? 3 : Number(env.CV_REPEATS);
  if (!Number.isInteger(cvRepeats) || cvRepeats < 1 || cvRepeats > 10) {
    throw new Error(`CV_REPEATS: ${JSON.stringify(env.CV_REPEATS)} is not a whole number from 1 to 10`);
  }
  return { telcoCsv: env.TELCO_CSV || undefined, foodN, seed, cvRepeats };
}

/**
 * Inputs besides the imported source files, as [name in the hash, file]: the LLM cache folder the run reads and
 * writes (LLM_CACHE_DIR, else the committed llm-cache/; named by its path inside that folder, so the default gives
 * the same key wherever the checkout is) and the dependency versions.
 */
async function extraInputs(llmCacheDir: string): Promise<[string, string][]> {
  const cache = await listFiles(llmCacheDir);
  return [
    ...cache.map((file): [string, string] => [`llm-cache/${relative(llmCacheDir, file)}`, file]),
    ["package-lock.json", join(ROOT, "package-lock.json")],
  ];
}

/** The LLM settings the run will see: process.env over the repository's .env, as data-loaders/llm reads them. */
export function llmEnv(): Record<string, string | undefined> {
  return readEnv();
}

/**
 * Every local source file the pipeline imports, found by esbuild's metafile (packages stay external, their versions
 * are covered by package-lock.json). A page-only edit in src/lib then does not retrain the models.
 */
async function pipelineSources(): Promise<string[]> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(ROOT, "data-loaders", "pipeline.ts")],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs)
    .map((file) => resolve(process.cwd(), file))
    .sort();
}

async function listFiles(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  if (!(await stat(path)).isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(child)));
    else out.push(child);
  }
  return out;
}

/**
 * The cache key: a sha256 over every input file's path and bytes, the Telco CSV's bytes and the options.
 * `llmCacheDir` is the LLM cache folder the run uses (default: the one the environment selects).
 */
export async function pipelineKey(
  options: PipelineOptions,
  llmIdentity = "",
  llmCacheDir = cacheDirFrom(llmEnv()),
): Promise<string> {
  const hash = createHash("sha256");
  const files: [string, string][] = [
    ...(await pipelineSources()).map((file): [string, string] => [relative(ROOT, file), file]),
    ...(await extraInputs(llmCacheDir)),
  ];
  for (const [name, file] of files) {
    hash
      .update(name)
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  }
  if (options.telcoCsv) hash.update("telco\0").update(await readFile(options.telcoCsv));
  hash.update(JSON.stringify({ foodN: options.foodN, seed: options.seed, cv: options.cvRepeats, llm: llmIdentity }));
  return hash.digest("hex").slice(0, 20);
}

async function acquireLock(lock: string): Promise<() => Promise<void>> {
  await mkdir(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than 30 minutes belongs to a run that died.
      if (Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > 30 * 60_000) {
        await rm(lock, { recursive: true, force: true });
      }
      if (waited % 10_000 === 0 && waited > 0) process.stderr.write(`waiting for the pipeline lock ${lock}\n`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The folder holding the complete output of the pipeline for the current inputs, running it if needed.
 * A run writes into a temporary folder renamed into place at the end: a failed run leaves nothing behind.
 */
export async function ensurePipeline(options = optionsFromEnv()): Promise<string> {
  const { runPipeline, llmIdentity } = await import("./pipeline.js");
  const identity = llmIdentity();
  const key = await pipelineKey(options, identity);
  const dir = join(PIPELINE_CACHE, key);
  if (existsSync(join(dir, "manifest.json"))) return dir;
  const release = await acquireLock(`${dir}.lock`);
  try {
    if (existsSync(join(dir, "manifest.json"))) return dir;
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    try {
      await runPipeline({ ...options, out: tmp });
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    // A run that called an LLM added its answers to the LLM cache, one of the key's inputs. File the run under the
    // key of the cache it leaves behind as well: otherwise the next loader computes that key and runs everything
    // again (showing this build's answers as "cache"), and loaders could read messages from different runs.
    const after = await pipelineKey(options, identity);
    if (after !== key) await alias(join(PIPELINE_CACHE, after), key);
    return dir;
  } finally {
    await release();
  }
}

/** `link` → the run folder `target` (a sibling): a relative symlink, unless something is already filed there. */
async function alias(link: string, target: string): Promise<void> {
  try {
    await symlink(target, link, "dir");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Loader-shim body: write one artifact of the current pipeline run to stdout. */
export async function emitArtifact(path: string): Promise<void> {
  try {
    const dir = await ensurePipeline();
    const bytes = await readFile(join(dir, path));
    await new Promise<void>((ok, fail) => process.stdout.write(bytes, (e) => (e ? fail(e) : ok())));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
