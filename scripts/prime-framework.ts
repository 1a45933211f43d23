/**
 * Prime Observable Framework's npm cache from node_modules so that `observable build` and `preview`
 * never reach a CDN or the npm registry.
 *
 * Why: Framework resolves its implicit libraries (Plot, d3, Inputs, DuckDB, Arrow, Arquero…) as `npm:`
 * imports and downloads them from jsDelivr, with no fallback to node_modules. It downloads only what is
 * missing from `src/.observablehq/cache/_npm/<name>@<version>/`, so we write each package's ESM bundle
 * there first (esbuild, from the pinned node_modules copy). Packages shared by several bundles (Arrow, d3,
 * htl) stay external and point at one primed copy, so `instanceof` checks across libraries hold.
 * Lazily loaded stdlib packages the site never uses get an empty version folder: Framework then resolves
 * their version locally and a page that really used one would fail the build loudly (no file to serve).
 */
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeStable } from "../data-loaders/publish.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "src", ".observablehq", "cache", "_npm");

interface Primed {
  /** npm package name */
  name: string;
  /** entry file inside the package (ESM, browser build) */
  entry: string;
  /** packages imported from their own primed folder instead of being bundled in */
  external?: string[];
  /** extra files copied verbatim (paths inside the package) */
  files?: string[];
}

const SHARED = ["apache-arrow", "d3", "htl", "isoformat"];

export const PRIMED: Primed[] = [
  { name: "apache-arrow", entry: "Arrow.dom.mjs" },
  { name: "d3", entry: "dist/d3.mjs" },
  { name: "htl", entry: "src/index.js" },
  { name: "isoformat", entry: "src/index.js" },
  { name: "@observablehq/plot", entry: "src/index.js", external: ["d3", "isoformat"] },
  { name: "@observablehq/inputs", entry: "src/index.js", external: ["htl", "isoformat"] },
  { name: "arquero", entry: "src/index.js" },
  {
    name: "@duckdb/duckdb-wasm",
    entry: "dist/duckdb-browser.mjs",
    external: ["apache-arrow"],
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-browser-eh.worker.js",
    ],
  },
];

/** Packages Framework's stdlib can load lazily; we never use them, so they only get a version folder. */
export const PLACEHOLDERS: Record<string, string> = {
  "@observablehq/dot": "0.0.0",
  "@observablehq/mermaid": "0.0.0",
  "@observablehq/sample-datasets": "0.0.0",
  "@observablehq/tex": "0.0.0",
  "@observablehq/sqlite": "0.0.0",
  "@uwdata/vgplot": "0.0.0",
  "@viz-js/viz": "0.0.0",
  "d3-dsv": "0.0.0",
  echarts: "0.0.0",
  exceljs: "0.0.0",
  jszip: "0.0.0",
  katex: "0.0.0",
  leaflet: "0.0.0",
  lodash: "0.0.0",
  "mapbox-gl": "0.0.0",
  mermaid: "0.0.0",
  "parquet-wasm": "0.0.0",
  react: "0.0.0",
  "react-dom": "0.0.0",
  "sql.js": "0.0.0",
  "topojson-client": "0.0.0",
  vega: "0.0.0",
  "vega-lite": "0.0.0",
  "vega-lite-api": "0.0.0",
};

/** The hoisted copy in node_modules (package.json is not always exported, so no require.resolve). */
function packageDir(name: string): string {
  return join(root, "node_modules", name);
}

async function versionOf(name: string): Promise<string> {
  return JSON.parse(await readFile(join(packageDir(name), "package.json"), "utf8")).version;
}

async function primeOne(pkg: Primed, versions: Map<string, string>): Promise<void> {
  const dir = join(cache, `${pkg.name}@${versions.get(pkg.name)}`);
  const outfile = join(dir, "_esm.js");
  const externals = pkg.external ?? [];
  await build({
    entryPoints: [join(packageDir(pkg.name), pkg.entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "error",
    plugins: [
      {
        name: "shared-externals",
        setup(b) {
          // Rewrite a shared dependency to the primed copy's relative path, as Framework itself does.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const dep = externals.find((e) => args.path === e || args.path.startsWith(`${e}/`));
            if (!dep) return undefined;
            const target = join(cache, `${dep}@${versions.get(dep)}`, "_esm.js");
            return { path: relative(dir, target).replace(/^(?!\.)/, "./"), external: true };
          });
        },
      },
    ],
  });
  for (const file of pkg.files ?? []) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(packageDir(pkg.name), file), join(dir, file));
  }
}

/**
 * Static assets the pages attach straight from node_modules, copied into src/assets/ (not committed) with
 * content-derived time stamps so that builds stay reproducible: onnxruntime-web's WASM binary, self-hosted because
 * the CSP allows same-origin files only.
 */
const ASSETS: [from: string, to: string][] = [
  ["onnxruntime-web/dist/ort-wasm-simd-threaded.wasm", "src/assets/ort-wasm-simd-threaded.wasm"],
];

/** Copies the static assets into src/assets/ (unchanged files are left alone). */
export async function copyAssets(): Promise<void> {
  for (const [from, to] of ASSETS) await writeStable(join(root, to), await readFile(join(root, "node_modules", from)));
}

/** Write every primed bundle and placeholder; returns the list of `name@version` written. */
export async function primeFramework(): Promise<string[]> {
  await rm(cache, { recursive: true, force: true });
  const versions = new Map<string, string>();
  for (const pkg of PRIMED) versions.set(pkg.name, await versionOf(pkg.name));
  for (const name of SHARED) if (!versions.has(name)) throw new Error(`shared package not primed: ${name}`);
  for (const pkg of PRIMED) await primeOne(pkg, versions);
  for (const [name, version] of Object.entries(PLACEHOLDERS)) {
    await mkdir(join(cache, `${name}@${version}`), { recursive: true });
  }
  return [...versions].map(([n, v]) => `${n}@${v}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await primeFramework();
  await copyAssets();
  process.stderr.write(`primed Framework npm cache: ${written.join(", ")}; assets in src/assets/\n`);
}
