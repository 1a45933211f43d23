/**
 * The model stage's cache: training (tuning, cross-validation, the final model, SHAP) is the only slow part of the
 * pipeline, so its outputs are kept under `.cache/models/<data set>-<key>/` and reused while the key holds.
 *
 * The key covers what the models depend on and nothing else:
 *  - the encoded training data (feature matrix, labels, customer IDs) and the encoded layout (column names and the
 *    source feature of each): this covers the input bytes, the column table and the encoder, without hashing their
 *    display text (labels, units, descriptions), so a label edit never retrains;
 *  - the training and explanation code: every local module that models/pipeline.ts imports (found by esbuild's
 *    metafile), except the column table and encoder, whose effect the encoded data already captures;
 *  - the versions of the packages that code imports and of libxgboost, and the options (seed, CV repeats, truth).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC } from "apache-arrow";
import { buildModel, type DatasetName, type ModelArtifacts, type ModelMetrics } from "../models/pipeline.js";
import type { Platt } from "../models/calibrate.js";
import type { FoldModels } from "../models/fold-scorer.js";
import { xgboostVersion } from "../models/xgboost.js";
import { encodeRows, featureLayout, specFor, type RawRow } from "../src/lib/features.js";
import type { TreesJson } from "../src/lib/treeshap.js";
import { rowsToArrowIPC, type ArrowColumns } from "./arrow.js";
import { processAlive, withLock } from "./util/lock.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where trained models are kept: MODEL_CACHE_DIR if set (a benchmark's cold build), else .cache/models. */
export const MODEL_CACHE = process.env.MODEL_CACHE_DIR
  ? resolve(process.env.MODEL_CACHE_DIR)
  : join(ROOT, ".cache", "models");

/** Modules whose effect on the models is captured by the encoded data and layout (their text is display text too). */
const ENCODING_MODULES = new Set(["src/lib/columns.ts", "src/lib/features.ts"]);

export interface ModelStageOptions {
  seed: number;
  cvRepeats: number;
  /** generator coefficients, for the logistic direction check (food) */
  truth?: Record<string, number>;
  log: (line: string) => void;
  /** default: .cache/models */
  cacheDir?: string;
  /** keep the first CV repeat's fold models (a model-selection sample of a larger base: data-loaders/food/stage.ts) */
  keepFoldModels?: boolean;
}

/** The model stage's local modules (relative paths, sorted) and the packages they import. */
export async function modelSources(): Promise<{ files: string[]; packages: string[] }> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(ROOT, "models", "pipeline.ts")],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  const files = Object.keys(result.metafile.inputs)
    .map((file) => relative(ROOT, resolve(ROOT, file)))
    .filter((file) => !ENCODING_MODULES.has(file))
    .sort();
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith("node:")) packages.add(packageName(imported.path));
    }
  }
  return { files, packages: [...packages].sort() };
}

let codeHashPromise: Promise<string> | undefined;

/** sha256 over the model code (path and bytes of each module) and the versions of what it imports. */
export function modelCodeHash(): Promise<string> {
  codeHashPromise ??= (async () => {
    const { files, packages } = await modelSources();
    const hash = createHash("sha256");
    for (const file of files)
      hash
        .update(file)
        .update("\0")
        .update(await readFile(join(ROOT, file)))
        .update("\0");
    for (const name of packages) {
      const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"));
      hash.update(`${name}@${manifest.version}\0`);
    }
    hash.update(`libxgboost@${xgboostVersion().join(".")}\0`);
    return hash.digest("hex");
  })();
  return codeHashPromise;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The cache key of one data set's model stage. */
export async function modelKey(name: DatasetName, rows: readonly object[], o: ModelStageOptions): Promise<string> {
  const spec = specFor(name);
  const encoded = encodeRows(spec, rows);
  const layout = featureLayout(spec);
  const hash = createHash("sha256");
  hash.update(await modelCodeHash());
  hash.update(JSON.stringify({ names: layout.names, group: layout.group, id: spec.id, target: spec.target }));
  hash.update(JSON.stringify({ seed: o.seed, cvRepeats: o.cvRepeats, truth: o.truth ?? null }));
  if (o.keepFoldModels) hash.update("keepFoldModels\0");
  hash.update(new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength));
  for (const row of rows as readonly RawRow[]) hash.update(`${row[spec.id]}\0${row[spec.target]}\n`);
  return hash.digest("hex").slice(0, 24);
}

/** Per-row outputs, as stored: one Arrow table. */
interface StoredRow {
  id: string;
  split: string;
  probability: number;
  oof_probability: number;
  oof_uncalibrated: number;
  oof_logistic: number;
  [shap: `shap_${number}`]: number;
}

interface StoredExtra {
  dataset: DatasetName;
  shapGroups: string[];
  shapBase: number;
  logistic: ModelArtifacts["logistic"];
}

async function save(dir: string, m: ModelArtifacts): Promise<void> {
  const g = m.shap.groups.length;
  const rows: StoredRow[] = m.ids.map((id, i) => {
    const row: StoredRow = {
      id,
      split: m.split[i],
      probability: m.probability[i],
      oof_probability: m.oofProbability[i],
      oof_uncalibrated: m.oofUncalibrated[i],
      oof_logistic: m.oofLogistic[i],
    };
    for (let j = 0; j < g; j++) row[`shap_${j}`] = m.shap.values[i * g + j];
    return row;
  });
  const columns = [
    ["id", "utf8"],
    ["split", "utf8"],
    ["probability", "float64"],
    ["oof_probability", "float64"],
    ["oof_uncalibrated", "float64"],
    ["oof_logistic", "float64"],
    ...m.shap.groups.map((_, j) => [`shap_${j}`, "float64"] as const),
  ] as const satisfies ArrowColumns<StoredRow>;
  const extra: StoredExtra = {
    dataset: m.dataset,
    shapGroups: m.shap.groups,
    shapBase: m.shap.base,
    logistic: m.logistic,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "model.json"), m.modelJson);
  await writeFile(join(dir, "model.onnx"), m.onnx);
  await writeFile(join(dir, "trees.json"), JSON.stringify(m.trees));
  await writeFile(join(dir, "metrics.json"), JSON.stringify(m.metrics));
  await writeFile(join(dir, "extra.json"), JSON.stringify(extra));
  if (m.folds) {
    await mkdir(join(dir, "folds"));
    for (const [f, { json }] of m.folds.xgboost.entries())
      await writeFile(join(dir, "folds", `xgboost-${f}.json`), json);
    const platts = m.folds.xgboost.map((x) => x.platt);
    await writeFile(join(dir, "folds", "folds.json"), JSON.stringify({ platts, logistic: m.folds.logistic }));
  }
  await writeFile(join(dir, "rows.arrow"), rowsToArrowIPC(rows, columns));
}

async function loadFolds(dir: string): Promise<FoldModels | undefined> {
  const index = join(dir, "folds", "folds.json");
  if (!existsSync(index)) return undefined;
  const { platts, logistic }: { platts: Platt[]; logistic: FoldModels["logistic"] } = JSON.parse(
    await readFile(index, "utf8"),
  );
  const xgboost = await Promise.all(
    platts.map(async (platt, f) => ({
      json: new Uint8Array(await readFile(join(dir, "folds", `xgboost-${f}.json`))),
      platt,
    })),
  );
  return { xgboost, logistic };
}

async function load(dir: string): Promise<ModelArtifacts> {
  const extra: StoredExtra = JSON.parse(await readFile(join(dir, "extra.json"), "utf8"));
  const table = tableFromIPC(await readFile(join(dir, "rows.arrow")));
  const column = (name: string) => Float64Array.from(table.getChild(name)!.toArray() as ArrayLike<number>);
  const n = table.numRows;
  const g = extra.shapGroups.length;
  const folds = await loadFolds(dir);
  const values = new Float64Array(n * g);
  for (let j = 0; j < g; j++) {
    const v = column(`shap_${j}`);
    for (let i = 0; i < n; i++) values[i * g + j] = v[i];
  }
  return {
    dataset: extra.dataset,
    modelJson: new Uint8Array(await readFile(join(dir, "model.json"))),
    onnx: new Uint8Array(await readFile(join(dir, "model.onnx"))),
    trees: JSON.parse(await readFile(join(dir, "trees.json"), "utf8")) as TreesJson,
    metrics: JSON.parse(await readFile(join(dir, "metrics.json"), "utf8")) as ModelMetrics,
    ids: Array.from(table.getChild("id")!.toArray() as ArrayLike<string>),
    probability: column("probability"),
    oofProbability: column("oof_probability"),
    oofUncalibrated: column("oof_uncalibrated"),
    oofLogistic: column("oof_logistic"),
    split: Array.from(table.getChild("split")!.toArray() as ArrayLike<"dev" | "test">),
    shap: { groups: extra.shapGroups, values, base: extra.shapBase },
    logistic: extra.logistic,
    ...(folds ? { folds } : {}),
  };
}

/** Temporary folders of runs of this key that were killed (their process is gone). */
async function removeLeftovers(dir: string): Promise<void> {
  const prefix = `${basename(dir)}.tmp-`;
  for (const entry of await readdir(dirname(dir))) {
    const pid = Number(entry.slice(prefix.length));
    if (entry.startsWith(prefix) && (pid === process.pid || !processAlive(pid))) {
      await rm(join(dirname(dir), entry), { recursive: true, force: true });
    }
  }
}

/**
 * The model artifacts of one data set: from the cache when its key holds (logged as reused), else trained and
 * stored. A run writes into a temporary folder renamed into place at the end, under a lock that knows its owner
 * (data-loaders/util/lock.ts), so a killed run leaves nothing half-written and never blocks the next one.
 */
export async function cachedModel(
  name: DatasetName,
  rows: readonly object[],
  o: ModelStageOptions,
): Promise<{ model: ModelArtifacts; reused: boolean; key: string }> {
  const cacheDir = o.cacheDir ?? MODEL_CACHE;
  const key = await modelKey(name, rows, o);
  const dir = join(cacheDir, `${name}-${key}`);
  const complete = () => existsSync(join(dir, "rows.arrow"));
  if (complete()) {
    o.log(`${name}: model stage reused (${relative(ROOT, dir)})`);
    return { model: await load(dir), reused: true, key };
  }
  return withLock(`${dir}.lock`, async () => {
    if (complete()) return { model: await load(dir), reused: true, key };
    o.log(`${name}: training (model key ${key})`);
    const model = await buildModel(name, rows, {
      seed: o.seed,
      cvRepeats: o.cvRepeats,
      truth: o.truth,
      log: o.log,
      keepFoldModels: o.keepFoldModels,
    });
    const tmp = `${dir}.tmp-${process.pid}`;
    await removeLeftovers(dir);
    try {
      await save(tmp, model);
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    return { model, reused: false, key };
  });
}
