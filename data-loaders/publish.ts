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
import { createReadStream, existsSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  ARTIFACTS,
  artifactPaths,
  jsonProblems,
  shardArtifact,
  type ArtifactName,
  type ColumnList,
  type JsonArtifact,
  type Manifest,
  type RowOf,
  type ShardedTableArtifact,
  type TableArtifact,
} from "../src/lib/artifacts.js";
import { shardOf } from "../src/lib/customer-shards.js";
import { ArrowStreamEncoder, rowsToArrowIPC, type ArrowColumns } from "./arrow.js";
import { writeFileAtomic } from "./util/atomic-write.js";

const MANIFEST = ARTIFACTS.manifest.path;
// 2000-01-01T00:00:00Z: content-derived mtimes count from here.
const EPOCH_SECONDS = 946_684_800;

/** The mtime a file with these bytes gets: a fixed date plus 29 bits of its sha256, in seconds. */
export function contentTime(bytes: Uint8Array): Date {
  return timeOfDigest(createHash("sha256").update(bytes).digest());
}

function timeOfDigest(digest: Buffer): Date {
  return new Date((EPOCH_SECONDS + (digest.readUInt32BE(0) >>> 3)) * 1000);
}

/** sha256 of a file, read in chunks (hex), or null when there is no such file. */
async function fileSha256(path: string): Promise<string | null> {
  if (!existsSync(path)) return null;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Rows appended to a declared table that is written to a staging file as it grows (TableStream from tableStream()). */
export interface TableStream<Row> {
  write(rows: readonly Row[]): Promise<void>;
  /** Finishes the file (after the last write). */
  close(): Promise<void>;
}

interface StagedFile {
  /** the staging file */
  temp: string;
  sha256: string;
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
  /** Tables written batch by batch: staged on disk (in a hidden folder of `out`) rather than in memory. */
  private readonly onDisk = new Map<string, StagedFile>();
  private readonly staging: string;

  private readonly outExisted: boolean;

  constructor(readonly out: string) {
    this.staging = join(out, `.staging-${process.pid}`);
    this.outExisted = existsSync(out);
  }

  /**
   * A declared table written as its rows come (memory holds one Arrow record batch); the bytes equal those of
   * table() with all the rows at once. Nothing reaches `out` before commit(); discard() removes the staging files.
   */
  async tableStream<C extends ColumnList>(
    artifact: TableArtifact<C>,
    perFeature: readonly string[] = [],
  ): Promise<TableStream<RowOf<C>>> {
    if (perFeature.length && !artifact.perFeature) throw new Error(`${artifact.path}: has no per-feature columns`);
    if (this.files.has(artifact.path) || this.onDisk.has(artifact.path))
      throw new Error(`${artifact.path}: staged twice`);
    const columns = [...artifact.columns, ...perFeature.map((f) => [f, "float64"] as const)];
    const encoder = new ArrowStreamEncoder(columns as unknown as ArrowColumns<RowOf<C>>);
    const temp = join(this.staging, artifact.path);
    await mkdir(dirname(temp), { recursive: true });
    const file = await open(temp, "w");
    const hash = createHash("sha256");
    const put = async (chunks: Uint8Array[]) => {
      for (const chunk of chunks) {
        hash.update(chunk);
        await file.write(chunk);
      }
    };
    const named = <T>(f: () => T): T => {
      try {
        return f();
      } catch (error) {
        throw new Error(`${artifact.path}: ${(error as Error).message}`);
      }
    };
    let closed = false;
    return {
      write: async (rows) => {
        if (closed) throw new Error(`${artifact.path}: written after close`);
        await put(named(() => encoder.push(rows)));
      },
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await put(named(() => encoder.finish()));
        } finally {
          await file.close();
        }
        this.onDisk.set(artifact.path, { temp, sha256: hash.digest("hex") });
      },
    };
  }

  /** The sha256 of every file staged so far (path → hex), in path order: what commit() would publish. */
  staged(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const path of [...this.files.keys(), ...this.onDisk.keys()].sort()) {
      const bytes = this.files.get(path);
      out[path] = bytes ? createHash("sha256").update(bytes).digest("hex") : this.onDisk.get(path)!.sha256;
    }
    return out;
  }

  /** A staged file's bytes (before commit). */
  async read(path: string): Promise<Uint8Array> {
    const bytes = this.files.get(path);
    if (bytes) return bytes;
    const disk = this.onDisk.get(path);
    if (!disk) throw new Error(`${path} is not staged`);
    return readFile(disk.temp);
  }

  /** Removes the staging files (a failed run): `out` is left as it was. */
  async discard(): Promise<void> {
    this.onDisk.clear();
    await rm(this.staging, { recursive: true, force: true });
    if (!this.outExisted && existsSync(this.out) && (await readdir(this.out)).length === 0) await rmdir(this.out);
  }

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

  /**
   * A declared sharded table: each row goes to the shard of its `customer_id` (src/lib/customer-shards.ts), in the
   * order given; every shard is written, an empty one as a table with no rows.
   */
  shards<C extends ColumnList>(
    artifact: ShardedTableArtifact<C>,
    rows: readonly (RowOf<C> & { customer_id: string })[],
    perFeature: readonly string[] = [],
  ): void {
    const parts: RowOf<C>[][] = Array.from({ length: artifact.shards }, () => []);
    for (const row of rows) parts[shardOf(row.customer_id, artifact.shards)].push(row);
    parts.forEach((part, i) => {
      this.table(shardArtifact(artifact, i), part, perFeature);
    });
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
    const paths = [...this.files.keys(), ...this.onDisk.keys()].sort();
    for (const path of paths) {
      const bytes = this.files.get(path);
      if (bytes) {
        files[path] = createHash("sha256").update(bytes).digest("hex");
        if (await writeStable(join(this.out, path), bytes)) written.push(path);
      } else {
        const { temp, sha256 } = this.onDisk.get(path)!;
        files[path] = sha256;
        if (await moveStable(temp, join(this.out, path), sha256)) written.push(path);
      }
    }
    await rm(this.staging, { recursive: true, force: true });
    for (const path of previous) if (!files[path]) await rm(join(this.out, path), { force: true });
    const full: Manifest = { generator: "retention-lab pipeline", ...manifest, files };
    const problems = jsonProblems(ARTIFACTS.manifest, full);
    if (problems.length) throw new Error(problems.join("; "));
    if (await writeStable(join(this.out, MANIFEST), json(full))) written.push(MANIFEST);
    return written;
  }

  /** Every declared artifact but the manifest must have been staged, and nothing undeclared. */
  private checkComplete(): void {
    const declared = new Set(Object.values(ARTIFACTS).flatMap(artifactPaths));
    const has = (path: string) => this.files.has(path) || this.onDisk.has(path);
    for (const name of Object.keys(ARTIFACTS) as ArtifactName[]) {
      for (const path of artifactPaths(ARTIFACTS[name]))
        if (path !== MANIFEST && !has(path)) throw new Error(`artifact ${name} (${path}) was not produced`);
    }
    for (const path of [...this.files.keys(), ...this.onDisk.keys()])
      if (!declared.has(path)) throw new Error(`${path} is not a declared artifact`);
  }
}

/** Moves a staged file into place unless `path` already holds the same bytes (writeStable for files on disk). */
async function moveStable(temp: string, path: string, sha256: string): Promise<boolean> {
  const time = timeOfDigest(Buffer.from(sha256, "hex"));
  const same = (await fileSha256(path)) === sha256;
  if (same) {
    await rm(temp, { force: true });
    if ((await stat(path)).mtimeMs !== time.getTime()) await utimes(path, time, time);
    return false;
  }
  await mkdir(dirname(path), { recursive: true });
  await utimes(temp, time, time);
  await rename(temp, path);
  return true;
}

async function previousFiles(out: string): Promise<string[]> {
  try {
    return Object.keys((JSON.parse(await readFile(join(out, MANIFEST), "utf8")) as Manifest).files ?? {});
  } catch {
    return [];
  }
}
