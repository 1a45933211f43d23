/**
 * The data dictionary's column tables (docs/data.md, between `<!-- columns:<set> -->` and `<!-- /columns:<set> -->`)
 * written from the column tables in src/lib/columns.ts, so the docs cannot drift from what the pipeline writes.
 *   npx tsx scripts/docs-data.ts           rewrite docs/data.md
 *   (tests/docs/data-dictionary.test.ts fails when the file is not what this would write)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Column, columnsOf, type DatasetName, SCORE_COLUMNS } from "../src/lib/columns.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DATA_DOC = join(ROOT, "docs", "data.md");

function values(c: Column): string {
  const e = c.encoding;
  if (!e) return "";
  if (e.kind === "numeric") return `${e.min}–${e.max}${e.integer ? ", whole" : ""}`;
  if (e.kind === "binary") return `${e.negative} / ${e.positive}`;
  const levels = e.kind === "ordinal" ? e.levels : e.categories;
  return levels.join(" / ");
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The Markdown table of a data set's columns (then the scores the pipeline appends). */
export function columnTable(dataset: DatasetName): string {
  const rows = [...columnsOf(dataset), ...(SCORE_COLUMNS as readonly Column[])].map((c) =>
    [
      `\`${c.name}\``,
      c.label,
      c.type,
      c.role,
      c.unit ?? "",
      values(c),
      c.source ? `${c.description} (source \`${c.source}\`)` : c.description,
    ].map(cell),
  );
  const header = ["column", "label", "type", "role", "unit", "values", "meaning"];
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** docs/data.md with every generated section replaced, formatted as Prettier formats it; throws on a missing marker. */
export async function renderDataDoc(text: string): Promise<string> {
  let out = text;
  for (const dataset of ["telco", "food"] as const) {
    const open = `<!-- columns:${dataset} -->`;
    const close = `<!-- /columns:${dataset} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`docs/data.md: the markers ${open} … ${close} are missing`);
    out = `${out.slice(0, a + open.length)}\n\n${columnTable(dataset)}\n\n${out.slice(b)}`;
  }
  const prettier = await import("prettier");
  const options = await prettier.resolveConfig(DATA_DOC);
  return prettier.format(out, { ...options, filepath: DATA_DOC });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DATA_DOC, await renderDataDoc(readFileSync(DATA_DOC, "utf8")));
  process.stderr.write("docs/data.md: column tables written from src/lib/columns.ts\n");
}
