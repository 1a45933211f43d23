// Loader shim: onnxruntime-web's WASM binary, self-hosted (the CSP allows same-origin files only, no CDN).
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";

const wasm = fileURLToPath(
  new URL("../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm", import.meta.url),
);
createReadStream(wasm).pipe(process.stdout);
