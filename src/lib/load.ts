/**
 * The pipeline's artifacts as the pages and embeds load them (browser only: it uses Framework's FileAttachment).
 * Each is loaded once per page whichever views ask for it, and checked against its declaration in the artifact
 * contract (src/lib/artifacts.ts): a table that lacks a declared column or has another type fails here, naming the
 * file, not later in a chart. Paths are relative to this module, so an exported embed module loads its data from the
 * site it came from, wherever it is imported (the files are served with CORS to allow-listed origins, docs/embed.md).
 */
import { FileAttachment, resize, type FileAttachmentHandle } from "observablehq:stdlib";
import { tableFromIPC, type Table } from "npm:apache-arrow";
import {
  ARTIFACTS,
  jsonProblems,
  schemaProblems,
  shardArtifact,
  type JsonArtifact,
  type TableArtifact,
} from "./artifacts.js";
import { CAMPAIGN_SETUP, campaignData, foodCellData, telcoValueModel, type CampaignDataset } from "./campaign-data.js";
import { DETAIL_SHARD_FILES } from "./customer-detail-files.js";

/** A lazily started load that is shared by every caller and retried after a failure. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    }));
}

/** A table, checked against its declaration. Whole files, then decode: Arrow's streaming reader cancels the download
 * at the end-of-stream marker, which browsers report as a failed request. */
async function readTable(artifact: TableArtifact, file: FileAttachmentHandle): Promise<Table> {
  const table = tableFromIPC(new Uint8Array(await file.arrayBuffer())) as Table;
  const fields = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type).toLowerCase() }));
  const problems = schemaProblems(artifact, fields);
  if (problems.length) throw new Error(`the data do not match the site's contract: ${problems.join("; ")}`);
  return table;
}

/** A JSON artifact, checked against its declaration. */
async function readJson<T>(artifact: JsonArtifact<T>, file: FileAttachmentHandle): Promise<T> {
  const value = await file.json();
  const problems = jsonProblems(artifact, value);
  if (problems.length) throw new Error(`the data do not match the site's contract: ${problems.join("; ")}`);
  return value as T;
}

const A = ARTIFACTS;
export const telcoCustomers = once(() => readTable(A.telcoCustomers, FileAttachment("../data/telco/customers.arrow")));
export const telcoShap = once(() => readTable(A.telcoShap, FileAttachment("../data/telco/shap.arrow")));
/** The narrow Telco tables: only the columns of the engagement dashboard, the A/B test page, the Retention page. */
export const telcoEngagement = once(() =>
  readTable(A.telcoEngagement, FileAttachment("../data/telco/engagement.arrow")),
);
export const telcoExperiment = once(() =>
  readTable(A.telcoExperiment, FileAttachment("../data/telco/experiment.arrow")),
);
export const telcoCampaignCustomers = once(() =>
  readTable(A.telcoCampaign, FileAttachment("../data/telco/campaign.arrow")),
);
export const telcoNudges = once(() => readTable(A.telcoNudges, FileAttachment("../data/telco/nudges.arrow")));
export const telcoCustomerIndex = once(() =>
  readTable(A.telcoCustomerIndex, FileAttachment("../data/telco/customer-index.arrow")),
);
const detailShards = DETAIL_SHARD_FILES.map((file, i) =>
  once(() => readTable(shardArtifact(A.telcoCustomerDetail, i), file())),
);
/** One shard of the Telco customer detail (src/lib/customer-shards.ts says which holds a customer). */
export function telcoCustomerDetail(shard: number): Promise<Table> {
  const load = detailShards[shard];
  if (!load) throw new Error(`no customer detail shard ${shard} (0 to ${detailShards.length - 1})`);
  return load();
}
/**
 * Every food customer, for the targeting list download only (no page reads the row-level food tables: at ten million
 * they pass Framework's 2 GiB limit): the two list parts, concatenated (empty above 2,000,000 customers).
 */
export const foodList = once(async () => {
  const [a, b] = await Promise.all([
    readTable(A.foodList1, FileAttachment("../data/food/list-1.arrow")),
    readTable(A.foodList2, FileAttachment("../data/food/list-2.arrow")),
  ]);
  return a.concat(b);
});
export const foodCampaignLayout = once(() => readJson(A.foodCampaign, FileAttachment("../data/food/campaign.json")));
export const foodCampaignCells = once(() =>
  readTable(A.foodCampaignCells, FileAttachment("../data/food/campaign-cells.arrow")),
);
export const foodCampaignRows = once(() =>
  readTable(A.foodCampaignRows, FileAttachment("../data/food/campaign-rows.arrow")),
);
export const foodCampaignMoreRows = once(() =>
  readTable(A.foodCampaignMoreRows, FileAttachment("../data/food/campaign-rows-more.arrow")),
);
export const foodCampaignSample = once(() =>
  readTable(A.foodCampaignSample, FileAttachment("../data/food/campaign-sample.arrow")),
);
export const abTruth = once(() => readJson(A.telcoAbTruth, FileAttachment("../data/telco/ab-truth.json")));
export const manifest = once(() => readJson(A.manifest, FileAttachment("../data/manifest.json")));
export const telcoSummary = once(() => readJson(A.telcoSummary, FileAttachment("../data/telco/summary.json")));
export const foodSummary = once(() => readJson(A.foodSummary, FileAttachment("../data/food/summary.json")));
export const telcoTrees = once(() => readJson(A.telcoTrees, FileAttachment("../data/telco/trees.json")));
const telcoMetrics = once(() => readJson(A.telcoMetrics, FileAttachment("../data/telco/metrics.json")));
const foodMetrics = once(() => readJson(A.foodMetrics, FileAttachment("../data/food/metrics.json")));
/** A data set's published model metrics. */
export const metrics = (dataset: "telco" | "food") => (dataset === "telco" ? telcoMetrics() : foodMetrics());
/** URLs of the Telco ONNX model and onnxruntime-web's WASM binary (self-hosted). */
export const telcoOnnxUrl = () => FileAttachment("../data/telco/model.onnx").href;
export const ortWasmUrl = () => FileAttachment("../assets/ort-wasm-simd-threaded.wasm").href;

/** A numeric column as a Float64Array (Arrow Int32 and Float64 columns alike). */
export function numberColumn(table: Table, name: string): Float64Array {
  const column = table.getChild(name);
  if (!column) throw new Error(`column ${name} is missing from the data`);
  return Float64Array.from(column.toArray() as ArrayLike<number>);
}

/** A string column as an array. */
export function stringColumn(table: Table, name: string): string[] {
  const column = table.getChild(name);
  if (!column) throw new Error(`column ${name} is missing from the data`);
  return Array.from(column.toArray() as ArrayLike<string>);
}

/** A fixed width when one is given, else re-rendered at the container's width (Framework's resize). */
export function responsive(width: number | string | undefined, render: (width: number) => Node): Node {
  return typeof width === "number" ? render(width) : resize((w) => render(w));
}

export type { Table };

/**
 * A data set's customers as a retention campaign prices them (src/lib/campaign-data.ts): food customers at their
 * lifetime value, Telco subscribers at their expected remaining revenue (72 months, full revenue), with the page's
 * setup. Loaded once per page.
 */
export const campaignDataset = (dataset: CampaignDataset) => (dataset === "telco" ? telcoCampaign() : foodCampaign());
const foodCampaign = once(async () => ({ ...CAMPAIGN_SETUP.food, data: foodCellData(await foodCampaignCells()) }));
const telcoCampaign = once(async () => {
  const customers = await telcoCampaignCustomers();
  return { ...CAMPAIGN_SETUP.telco, data: campaignData(customers, telcoValueModel(customers).values(), "churn") };
});
