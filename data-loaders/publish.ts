/**
 * Publishing the pipeline's artifacts (src/lib/artifacts.ts) into a folder the pages attach directly: `src/data/` for
 * the site, or any `--out DIR`. Everything is staged in memory and checked against its declaration first, then
 * written file by file (atomic rename), only where the bytes changed, and the manifest last: a failed run changes
 * nothing, an unchanged file keeps its bytes and time stamp, and Framework's preview reloads only what changed.
 *
 * Time stamps: Framework records a static file's mtime in the pages that attach it (`lastModified`) and in the hash of
 * a module that attaches it, so a build is reproducible only if equal files have equal mtimes. Each file's mtime is
 * derived from its content hash (a fixed date plus up to 136 years): same bytes → same mtime on every machine, and a
 * changed file still gets a new mtime, which is what Framework's file watcher looks for.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import {
  ARTIFACTS,
  jsonProblems,
  type ArtifactName,
  type ColumnList,
  type JsonArtifact,
  type Manifest,
  type RowOf,
  type TableArtifact,
} from "../src/lib/artifacts.js";
import { rowsToArrowIPC, type ArrowColumns } from "./arrow.js";
import { writeFileAtomic } from "./util/atomic-write.js";

const MANIFEST = ARTIFACTS.manifest.path;
// 2000-01-01T00:00:00Z: content-derived mtimes count from here.
const EPOCH_SECONDS = 946_684_800;

/** The mtime a file with these bytes gets: a fixed date plus 29 bits of its sha256, in seconds. */
export function contentTime(bytes: Uint8Array): Date {
  const digest = createHash("sha256").update(bytes).digest();
  return new Date((EPOCH_SECONDS + (digest.readUInt32BE(0) >>> 3)) * 1000);
}

/** Writes `bytes` to `path` unless it already holds them; either way the mtime is the content-derived one. */
export async function writeStable(path: string, bytes: Uint8Array): Promise<boolean> {
  const time = contentTime(bytes);
  if (existsSync(path)) {
    const current = await readFile(path);
    if (Buffer.compare(current, bytes) === 0) {
      if ((await stat(path)).mtimeMs !== time.getTime()) await utimes(path, time, time);
      return false;
    }
  }
  await writeFileAtomic(path, bytes, time);
  return true;
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`);

/** Explains why `out` may not be published into, or null: only an empty folder or an earlier pipeline output. */
export async function refuseOut(out: string): Promise<string | null> {
  if (!existsSync(out)) return null;
  if (!(await stat(out)).isDirectory()) return `${out} is not a folder`;
  const entries = (await readdir(out)).filter((e) => !e.startsWith("."));
  if (entries.length === 0) return null;
  const manifest = join(out, MANIFEST);
  if (existsSync(manifest)) {
    try {
      if (JSON.parse(await readFile(manifest, "utf8")).generator === "retention-lab pipeline") return null;
    } catch {
      // not ours: refused below
    }
  }
  return `${out} is not empty and holds no pipeline manifest (${MANIFEST}): refusing to write into it; choose an empty or new folder`;
}

/** The artifacts of one pipeline run, staged, checked, then written into `out` by commit(). */
export class Publication {
  private readonly files = new Map<string, Uint8Array>();

  constructor(readonly out: string) {}

  /** A declared table from typed rows; extra per-feature float64 columns where the declaration allows them. */
  table<C extends ColumnList>(
    artifact: TableArtifact<C>,
    rows: readonly RowOf<C>[],
    perFeature: readonly string[] = [],
  ): void {
    if (perFeature.length && !artifact.perFeature) throw new Error(`${artifact.path}: has no per-feature columns`);
    const columns = [...artifact.columns, ...perFeature.map((f) => [f, "float64"] as const)];
    try {
      this.files.set(artifact.path, rowsToArrowIPC(rows, columns as unknown as ArrowColumns<RowOf<C>>));
    } catch (error) {
      throw new Error(`${artifact.path}: ${(error as Error).message}`);
    }
  }

  /** A declared JSON file; its required keys are checked. */
  json<T>(artifact: JsonArtifact<T>, value: T): void {
    const problems = jsonProblems(artifact, value);
    if (problems.length) throw new Error(problems.join("; "));
    this.files.set(artifact.path, json(value));
  }

  /** A declared binary file (the ONNX model, XGBoost's JSON model as saved). */
  binary(artifact: { kind: "binary"; path: string }, bytes: Uint8Array): void {
    this.files.set(artifact.path, bytes);
  }

  /**
   * Writes every staged file into `out` (changed ones only), removes artifacts an earlier run published that this one
   * did not, then writes the manifest with every file's sha256. Refuses a folder that is neither empty nor an
   * earlier pipeline output. Returns the paths written.
   */
  async commit(manifest: Omit<Manifest, "files" | "generator">): Promise<string[]> {
    const refusal = await refuseOut(this.out);
    if (refusal) throw new Error(`--out: ${refusal}`);
    this.checkComplete();
    const previous = await previousFiles(this.out);
    const written: string[] = [];
    const files: Record<string, string> = {};
    for (const [path, bytes] of [...this.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      files[path] = createHash("sha256").update(bytes).digest("hex");
      if (await writeStable(join(this.out, path), bytes)) written.push(path);
    }
    for (const path of previous) if (!this.files.has(path)) await rm(join(this.out, path), { force: true });
    const full: Manifest = { generator: "retention-lab pipeline", ...manifest, files };
    const problems = jsonProblems(ARTIFACTS.manifest, full);
    if (problems.length) throw new Error(problems.join("; "));
    if (await writeStable(join(this.out, MANIFEST), json(full))) written.push(MANIFEST);
    return written;
  }

  /** Every declared artifact but the manifest must have been staged, and nothing undeclared. */
  private checkComplete(): void {
    const declared = new Set(Object.values(ARTIFACTS).map((a) => a.path));
    for (const name of Object.keys(ARTIFACTS) as ArtifactName[]) {
      const { path } = ARTIFACTS[name];
      if (path !== MANIFEST && !this.files.has(path)) throw new Error(`artifact ${name} (${path}) was not produced`);
    }
    for (const path of this.files.keys())
      if (!declared.has(path)) throw new Error(`${path} is not a declared artifact`);
  }
}

async function previousFiles(out: string): Promise<string[]> {
  try {
    return Object.keys((JSON.parse(await readFile(join(out, MANIFEST), "utf8")) as Manifest).files ?? {});
  } catch {
    return [];
  }
}
