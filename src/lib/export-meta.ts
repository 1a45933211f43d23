/**
 * What an exported chart states about itself (chart-export.ts writes it into every SVG, PNG and HTML file): the
 * data, the model, the parameters it was drawn with and the build it came from. The build is identified by content
 * (the pipeline manifest's seed and sha256 hashes), never by a clock, so the same build exports the same words.
 * Pure: the browser passes the manifest in.
 */
import type { Manifest } from "./artifacts.js";

export type ExportDataset = "telco" | "food";
export type ExportParameters = Record<string, string | number | boolean>;

/** What a caller (a page, a component) says about its chart. Every field is optional. */
export interface ExportMeta {
  /** which data set the chart is drawn from: fills in `data`, `model` and the build's hashes */
  dataset?: ExportDataset;
  /** the data in words (default from `dataset`) */
  data?: string;
  /** the model in words (default from `dataset`); "none" for charts of raw data */
  model?: string;
  /** the parameters the chart was drawn with, named as the page names them (e.g. {"LTV (₹)": 800}) */
  parameters?: ExportParameters;
}

/** ExportMeta with every field settled, as written into the files. */
export interface ResolvedMeta {
  title: string;
  data: string;
  model: string;
  parameters: ExportParameters;
  build: string;
  site: string;
}

const short = (hash: string | undefined) => (hash ? `sha256:${hash.slice(0, 12)}` : "sha256:unknown");

/** The build's identity from the manifest: seed, the data set's input hash and the artifacts the chart reads. */
export function buildIdentity(manifest: Manifest | null, dataset?: ExportDataset): string {
  if (!manifest) return "unknown (the build manifest could not be read)";
  const files = manifest.files ?? {};
  if (dataset === "telco")
    return `seed ${manifest.seed}; Telco CSV ${short(manifest.telco.sha256)}; telco/customers.arrow ${short(files["telco/customers.arrow"])}; telco/model.json ${short(files["telco/model.json"])}`;
  if (dataset === "food")
    return `seed ${manifest.seed}; food/customers.arrow ${short(files["food/customers.arrow"])}; food/model.json ${short(files["food/model.json"])}`;
  return `seed ${manifest.seed}; Telco CSV ${short(manifest.telco.sha256)}; ${Object.keys(files).length} artifacts`;
}

/** The data in words for a data set. */
function dataText(manifest: Manifest | null, dataset?: ExportDataset): string {
  if (dataset === "telco")
    return `IBM Telco customer churn (${manifest ? manifest.telco.rows.toLocaleString("en-US") : "7,043"} customers), with seeded simulated behaviour`;
  if (dataset === "food")
    return `synthetic food-delivery base (${manifest ? manifest.food.rows.toLocaleString("en-US") : "?"} customers, seeded)`;
  return "Retention Lab build data";
}

/** Every field of the metadata settled: the caller's words first, defaults from the data set and the manifest. */
export function resolveMeta(
  meta: ExportMeta,
  { title, manifest, site }: { title: string; manifest: Manifest | null; site: string },
): ResolvedMeta {
  return {
    title,
    data: meta.data ?? dataText(manifest, meta.dataset),
    model:
      meta.model ??
      (meta.dataset
        ? `XGBoost, calibrated (${meta.dataset}/model.json ${short(manifest?.files?.[`${meta.dataset}/model.json`])})`
        : "none"),
    parameters: meta.parameters ?? {},
    build: buildIdentity(manifest, meta.dataset),
    site,
  };
}

/** "ltv = 800; acceptance = 0.4", or "none". */
export function parametersText(parameters: ExportParameters): string {
  const entries = Object.entries(parameters);
  return entries.length ? entries.map(([k, v]) => `${k} = ${v}`).join("; ") : "none";
}

/** The lines printed under an exported image. */
export function metaLines(meta: ResolvedMeta): string[] {
  return [
    `Data: ${meta.data}`,
    `Model: ${meta.model}`,
    `Parameters: ${parametersText(meta.parameters)}`,
    `Build: ${meta.build} · ${meta.site}`,
  ];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * A self-contained HTML document of a chart, for reports that cannot reach the site: the chart's SVG inline, its
 * metadata, the data as a table and as JSON (in a non-executed <script type="application/json">). No external
 * reference of any kind, so it opens from a file, an e-mail or an intranet without network.
 */
export function exportHtml({
  svg,
  rows,
  columns,
  meta,
}: {
  svg: string;
  rows: readonly Record<string, unknown>[];
  columns: readonly string[];
  meta: ResolvedMeta;
}): string {
  const cell = (v: unknown) => escapeHtml(v == null ? "" : String(v));
  const json = JSON.stringify({ meta, columns, rows }, null, 1).replace(/</g, "\\u003c");
  const parameters = Object.entries(meta.parameters);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(meta.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #1b1e23; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; }
svg { max-width: 100%; height: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.15rem 0.6rem; border-bottom: 1px solid #ddd; text-align: left; }
</style>
</head>
<body>
<h1>${escapeHtml(meta.title)}</h1>
<figure>
${svg}
</figure>
<h2>About this chart</h2>
<dl id="retention-lab-meta">
<dt>Data</dt><dd>${escapeHtml(meta.data)}</dd>
<dt>Model</dt><dd>${escapeHtml(meta.model)}</dd>
<dt>Parameters</dt><dd>${parameters.length ? parameters.map(([k, v]) => `${escapeHtml(k)} = ${cell(v)}`).join("<br>") : "none"}</dd>
<dt>Build</dt><dd>${escapeHtml(meta.build)}</dd>
<dt>Site</dt><dd>${escapeHtml(meta.site)}</dd>
</dl>
<h2>Data behind the chart</h2>
<table>
<thead><tr>${columns.map((c) => `<th scope="col">${cell(c)}</th>`).join("")}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("\n")}
</tbody>
</table>
<script type="application/json" id="retention-lab-data">
${json}
</script>
</body>
</html>
`;
}
