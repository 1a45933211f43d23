/**
 * Live scoring with onnxruntime-web (WASM) in the browser: model.onnx takes `features` float32 [N, nfeat] and
 * returns the calibrated `probability` [N, 1]. Browser-only (the Node pipeline must not import it); the bench
 * script uses it from Node too, which works because onnxruntime-web runs its WASM build there as well.
 * One thread (a static host sends no COOP/COEP, so no SharedArrayBuffer) and a self-hosted .wasm: the CSP allows
 * same-origin files only.
 */
import * as ort from "onnxruntime-web/wasm";

export interface OnnxScorer {
  /** Number of encoded features the model takes. */
  nFeatures: number;
  /** Calibrated churn probability of each row of a row-major float32 matrix. */
  score(x: Float32Array): Promise<Float64Array>;
  /** Free the session. */
  release(): Promise<void>;
}

export interface ScorerOptions {
  /** URL of the self-hosted ort-wasm-simd-threaded.wasm. */
  wasmUrl?: string;
  /** The .wasm bytes themselves (Node, where fetching a file: URL does not work). */
  wasmBinary?: Uint8Array;
}

/** Loads the model (URL or bytes) into an onnxruntime-web session. */
export async function createOnnxScorer(
  model: string | Uint8Array,
  nFeatures: number,
  { wasmUrl, wasmBinary }: ScorerOptions = {},
): Promise<OnnxScorer> {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (wasmBinary) ort.env.wasm.wasmBinary = wasmBinary;
  else if (wasmUrl) ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  const bytes = typeof model === "string" ? new Uint8Array(await (await fetch(model)).arrayBuffer()) : model;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  return {
    nFeatures,
    async score(x) {
      if (x.length % nFeatures !== 0)
        throw new Error(`invalid input: ${x.length} values is not a multiple of ${nFeatures}`);
      const n = x.length / nFeatures;
      const input = new ort.Tensor("float32", x, [n, nFeatures]);
      const output = await session.run({ features: input }, ["probability"]);
      const p = output.probability.data as Float32Array;
      input.dispose?.();
      output.probability.dispose?.();
      return Float64Array.from(p);
    },
    release: () => session.release(),
  };
}
