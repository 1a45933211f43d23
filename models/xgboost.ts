/**
 * A small typed binding over XGBoost's C API (1.7.x, libxgboost.so.0) through koffi.
 * Every return code is checked; failures throw XGBoostError carrying XGBGetLastError()'s text.
 * Handles are freed by dispose() or, as a fallback, by a FinalizationRegistry.
 */
import koffi from "koffi";

// OpenMP busy-waiting made training on shared 2-core machines vary from 0.7 s to 44 s (DESIGN.md).
// It must be set before the library (and so its OpenMP runtime) loads.
process.env.OMP_WAIT_POLICY ??= "PASSIVE";

/** An error raised by libxgboost; `message` includes XGBGetLastError()'s text. */
export class XGBoostError extends Error {
  constructor(
    readonly call: string,
    readonly xgbMessage: string,
  ) {
    super(`${call} failed: ${xgbMessage}`);
    this.name = "XGBoostError";
  }
}

const INSTALL_HINT = [
  "libxgboost (XGBoost's C library, version 1.7.x) could not be loaded.",
  "Install it:",
  "  Debian/Ubuntu: apt-get install libxgboost0",
  "  macOS:         brew install xgboost",
  "or point XGBOOST_LIBRARY at the shared library (e.g. XGBOOST_LIBRARY=/opt/homebrew/lib/libxgboost.dylib).",
].join("\n");

function candidatePaths(): string[] {
  if (process.env.XGBOOST_LIBRARY) return [process.env.XGBOOST_LIBRARY];
  if (process.platform === "darwin")
    return ["libxgboost.dylib", "/opt/homebrew/lib/libxgboost.dylib", "/usr/local/lib/libxgboost.dylib"];
  if (process.platform === "win32") return ["xgboost.dll"];
  return ["libxgboost.so.0", "libxgboost.so"];
}

// biome-ignore lint/suspicious/noExplicitAny: koffi's bound C functions are typed by their C declarations, not by TS
type Fn = (...args: any[]) => any;
interface Api {
  version: Fn;
  lastError: Fn;
  dmatrixFromMat: Fn;
  dmatrixSetFloatInfo: Fn;
  dmatrixNumRow: Fn;
  dmatrixNumCol: Fn;
  dmatrixFree: Fn;
  boosterCreate: Fn;
  boosterFree: Fn;
  boosterSetParam: Fn;
  boosterUpdateOneIter: Fn;
  boosterEvalOneIter: Fn;
  boosterPredict: Fn;
  boosterSaveToBuffer: Fn;
  boosterLoadFromBuffer: Fn;
  boosterSaveJsonConfig: Fn;
  boosterBoostedRounds: Fn;
  boosterSlice: Fn;
}

let api: Api | undefined;

/** Loads libxgboost once; throws one clear message with install commands when it is missing. */
export function xgb(): Api {
  if (api) return api;
  let lib: ReturnType<typeof koffi.load> | undefined;
  const failures: string[] = [];
  for (const path of candidatePaths()) {
    try {
      lib = koffi.load(path);
      break;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  if (!lib) throw new Error(`${INSTALL_HINT}\nTried:\n  ${failures.join("\n  ")}`);
  // Opaque handle types: koffi passes them as external pointers.
  const DMatrixHandle = koffi.pointer("DMatrixHandle", koffi.opaque());
  const BoosterHandle = koffi.pointer("BoosterHandle", koffi.opaque());
  void DMatrixHandle;
  void BoosterHandle;
  api = {
    version: lib.func("void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)"),
    lastError: lib.func("const char *XGBGetLastError()"),
    dmatrixFromMat: lib.func(
      "int XGDMatrixCreateFromMat(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ DMatrixHandle *out)",
    ),
    dmatrixSetFloatInfo: lib.func(
      "int XGDMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array, uint64_t len)",
    ),
    dmatrixNumRow: lib.func("int XGDMatrixNumRow(DMatrixHandle handle, _Out_ uint64_t *out)"),
    dmatrixNumCol: lib.func("int XGDMatrixNumCol(DMatrixHandle handle, _Out_ uint64_t *out)"),
    dmatrixFree: lib.func("int XGDMatrixFree(DMatrixHandle handle)"),
    boosterCreate: lib.func("int XGBoosterCreate(DMatrixHandle *dmats, uint64_t len, _Out_ BoosterHandle *out)"),
    boosterFree: lib.func("int XGBoosterFree(BoosterHandle handle)"),
    boosterSetParam: lib.func("int XGBoosterSetParam(BoosterHandle handle, const char *name, const char *value)"),
    boosterUpdateOneIter: lib.func("int XGBoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain)"),
    boosterEvalOneIter: lib.func(
      "int XGBoosterEvalOneIter(BoosterHandle handle, int iter, DMatrixHandle *dmats, const char **evnames, uint64_t len, _Out_ const char **out)",
    ),
    boosterPredict: lib.func(
      "int XGBoosterPredict(BoosterHandle handle, DMatrixHandle dmat, int option_mask, unsigned int ntree_limit, int training, _Out_ uint64_t *out_len, _Out_ void **out_result)",
    ),
    boosterSaveToBuffer: lib.func(
      "int XGBoosterSaveModelToBuffer(BoosterHandle handle, const char *config, _Out_ uint64_t *out_len, _Out_ void **out_dptr)",
    ),
    boosterLoadFromBuffer: lib.func(
      "int XGBoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, uint64_t len)",
    ),
    boosterSaveJsonConfig: lib.func(
      "int XGBoosterSaveJsonConfig(BoosterHandle handle, _Out_ uint64_t *out_len, _Out_ const char **out_str)",
    ),
    boosterBoostedRounds: lib.func("int XGBoosterBoostedRounds(BoosterHandle handle, _Out_ int *out)"),
    boosterSlice: lib.func(
      "int XGBoosterSlice(BoosterHandle handle, int begin_layer, int end_layer, int step, _Out_ BoosterHandle *out)",
    ),
  };
  return api;
}

/** Throws XGBoostError with the library's own message when a C call returned non-zero. */
function check(call: string, rc: number): void {
  if (rc !== 0) throw new XGBoostError(call, String(xgb().lastError() ?? "unknown error"));
}

/** XGBoost's version as [major, minor, patch]. */
export function xgboostVersion(): [number, number, number] {
  const major = [0];
  const minor = [0];
  const patch = [0];
  xgb().version(major, minor, patch);
  return [major[0], minor[0], patch[0]];
}

/** Copies `length` values of type float32 (or bytes) out of library-owned memory. */
function copyFloats(ptr: unknown, length: number): Float32Array {
  if (length === 0) return new Float32Array(0);
  return new Float32Array(koffi.view(ptr, length * 4).slice(0));
}

const dmatrixRegistry = new FinalizationRegistry<unknown>((handle) => xgb().dmatrixFree(handle));
const boosterRegistry = new FinalizationRegistry<unknown>((handle) => xgb().boosterFree(handle));

export interface DMatrixOptions {
  label?: ArrayLike<number>;
  weight?: ArrayLike<number>;
}

/** A dense DMatrix built from a row-major Float32Array; NaN marks a missing value. */
export class DMatrix {
  handle: unknown;
  readonly nrow: number;
  readonly ncol: number;

  constructor(data: Float32Array, nrow: number, ncol: number, { label, weight }: DMatrixOptions = {}) {
    if (!Number.isInteger(nrow) || nrow < 0) throw new Error(`invalid nrow: ${nrow}`);
    if (!Number.isInteger(ncol) || ncol <= 0) throw new Error(`invalid ncol: ${ncol}`);
    if (data.length !== nrow * ncol)
      throw new Error(`data length ${data.length} does not equal nrow × ncol = ${nrow} × ${ncol}`);
    const out = [null];
    check("XGDMatrixCreateFromMat", xgb().dmatrixFromMat(data, nrow, ncol, NaN, out));
    this.handle = out[0];
    this.nrow = nrow;
    this.ncol = ncol;
    dmatrixRegistry.register(this, this.handle, this);
    // Length checks are left to XGBoost on purpose: its own error text is what callers see.
    if (label) this.setFloatInfo("label", label);
    if (weight) this.setFloatInfo("weight", weight);
  }

  /** Sets a float field ("label", "weight", "base_margin"); XGBoost validates the length. */
  setFloatInfo(field: string, values: ArrayLike<number>): void {
    const array = values instanceof Float32Array ? values : Float32Array.from(values);
    check(`XGDMatrixSetFloatInfo(${field})`, xgb().dmatrixSetFloatInfo(this.live(), field, array, array.length));
  }

  /** Row count as XGBoost sees it. */
  numRow(): number {
    const out = [0];
    check("XGDMatrixNumRow", xgb().dmatrixNumRow(this.live(), out));
    return Number(out[0]);
  }

  /** Column count as XGBoost sees it. */
  numCol(): number {
    const out = [0];
    check("XGDMatrixNumCol", xgb().dmatrixNumCol(this.live(), out));
    return Number(out[0]);
  }

  live(): unknown {
    if (this.handle === null) throw new Error("DMatrix used after dispose()");
    return this.handle;
  }

  /** Frees the native matrix now (idempotent). */
  dispose(): void {
    if (this.handle === null) return;
    dmatrixRegistry.unregister(this);
    check("XGDMatrixFree", xgb().dmatrixFree(this.handle));
    this.handle = null;
  }
}

/** Prediction kinds as XGBoosterPredict option masks. */
export const PredictMask = { probability: 0, margin: 1, contributions: 4 } as const;
export type PredictMaskValue = (typeof PredictMask)[keyof typeof PredictMask];

/** A booster; parameters are strings in XGBoost, numbers are stringified here. */
export class Booster {
  handle: unknown;

  /** Creates a booster whose cache holds `cache` (pass the training matrix). */
  constructor(cache: DMatrix[] = [], params: Record<string, string | number> = {}) {
    const out = [null];
    const handles = cache.map((d) => d.live());
    check("XGBoosterCreate", xgb().boosterCreate(handles.length ? handles : null, handles.length, out));
    this.handle = out[0];
    boosterRegistry.register(this, this.handle, this);
    for (const [name, value] of Object.entries(params)) this.setParam(name, value);
  }

  /** Loads a booster from bytes written by saveJson() (or any format XGBoost reads). */
  static load(bytes: Uint8Array): Booster {
    const booster = new Booster();
    check("XGBoosterLoadModelFromBuffer", xgb().boosterLoadFromBuffer(booster.live(), bytes, bytes.length));
    return booster;
  }

  setParam(name: string, value: string | number | boolean): void {
    check(`XGBoosterSetParam(${name}=${value})`, xgb().boosterSetParam(this.live(), name, String(value)));
  }

  /** One boosting round on `dtrain`; `iteration` seeds per-round randomness (subsample). */
  updateOneIter(iteration: number, dtrain: DMatrix): void {
    check("XGBoosterUpdateOneIter", xgb().boosterUpdateOneIter(this.live(), iteration, dtrain.live()));
  }

  /** The evaluation line, e.g. "[3]\tvalid-logloss:0.41"; see parseEval. */
  evalOneIter(iteration: number, sets: Record<string, DMatrix>): string {
    const names = Object.keys(sets);
    const out = [null];
    const handles = names.map((n) => sets[n].live());
    check("XGBoosterEvalOneIter", xgb().boosterEvalOneIter(this.live(), iteration, handles, names, names.length, out));
    return String(out[0]);
  }

  /** Predictions (mask 0 probability, 1 margin, 4 contributions with the bias last); ntreeLimit 0 = all. */
  predict(dmat: DMatrix, optionMask: PredictMaskValue = 0, ntreeLimit = 0): Float32Array {
    const length = [0];
    const result = [null];
    check(
      `XGBoosterPredict(option_mask=${optionMask})`,
      xgb().boosterPredict(this.live(), dmat.live(), optionMask, ntreeLimit, 0, length, result),
    );
    return copyFloats(result[0], Number(length[0]));
  }

  /** The model in XGBoost's JSON format, byte for byte as the library writes it. */
  saveJson(): Uint8Array {
    const length = [0];
    const ptr = [null];
    check("XGBoosterSaveModelToBuffer", xgb().boosterSaveToBuffer(this.live(), '{"format":"json"}', length, ptr));
    const n = Number(length[0]);
    return new Uint8Array(n ? koffi.view(ptr[0], n).slice(0) : new ArrayBuffer(0));
  }

  /** The learner configuration (all parameters, as XGBoost resolved them). */
  saveConfig(): string {
    const length = [0];
    const out = [null];
    check("XGBoosterSaveJsonConfig", xgb().boosterSaveJsonConfig(this.live(), length, out));
    return String(out[0]);
  }

  boostedRounds(): number {
    const out = [0];
    check("XGBoosterBoostedRounds", xgb().boosterBoostedRounds(this.live(), out));
    return out[0];
  }

  /** A new booster holding rounds [begin, end) — how early stopping keeps the best iteration. */
  slice(begin: number, end: number): Booster {
    const out = [null];
    check(`XGBoosterSlice(${begin}, ${end})`, xgb().boosterSlice(this.live(), begin, end, 1, out));
    const sliced = Object.create(Booster.prototype) as Booster;
    sliced.handle = out[0];
    boosterRegistry.register(sliced, sliced.handle, sliced);
    return sliced;
  }

  live(): unknown {
    if (this.handle === null) throw new Error("Booster used after dispose()");
    return this.handle;
  }

  /** Frees the native booster now (idempotent). */
  dispose(): void {
    if (this.handle === null) return;
    boosterRegistry.unregister(this);
    check("XGBoosterFree", xgb().boosterFree(this.handle));
    this.handle = null;
  }
}

/** Parses "[3]\ttrain-logloss:0.5\tvalid-auc:0.8" into {"train-logloss": 0.5, "valid-auc": 0.8}. */
export function parseEval(line: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const part of line.split("\t").slice(1)) {
    const i = part.lastIndexOf(":");
    if (i > 0) result[part.slice(0, i)] = Number(part.slice(i + 1));
  }
  return result;
}
