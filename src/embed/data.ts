/**
 * The baked data behind the embeddable views, loaded once per page whichever views ask for it. Paths are relative
 * to this module, so an exported module loads its data from the site it came from, wherever it is imported
 * (the files are served with CORS to allow-listed origins, docs/embed.md).
 */
import { FileAttachment, resize, type FileAttachmentHandle } from "observablehq:stdlib";
import { tableFromIPC, type Table } from "npm:apache-arrow";
import { rankScores } from "../lib/profit.js";

/** A lazily started load that is shared by every caller and retried after a failure. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    }));
}

// Whole files, then decode: Arrow's streaming reader cancels the download at the end-of-stream marker,
// which browsers report as a failed request.
const readArrow = (file: FileAttachmentHandle) =>
  file.arrayBuffer().then((buffer) => tableFromIPC(new Uint8Array(buffer)) as Table);

export const telcoCustomers = once(() => readArrow(FileAttachment("../data/telco/customers.arrow")));
export const telcoShap = once(() => readArrow(FileAttachment("../data/telco/shap.arrow")));
export const foodCustomers = once(() => readArrow(FileAttachment("../data/food/customers.arrow")));
export const abTruth = once(() => FileAttachment("../data/telco/ab-truth.json").json());
const telcoMetrics = once(() => FileAttachment("../data/telco/metrics.json").json());
const foodMetrics = once(() => FileAttachment("../data/food/metrics.json").json());
export const metrics = (dataset: "telco" | "food") => (dataset === "telco" ? telcoMetrics() : foodMetrics());

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
 * The food-delivery base's held-out calibrated scores (oof_probability: each customer scored by a model that never
 * saw them) ranked once for every profit computation, with the labels.
 */
export const foodScores = once(async () => {
  const table = await foodCustomers();
  const scores = numberColumn(table, "oof_probability");
  const labels = numberColumn(table, "churned");
  return { scores, labels, ranked: rankScores(scores, labels) };
});
