// Shared set-up for the data-loader tests: where the real Telco file is, fixtures, temporary directories.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export { TELCO_CSV } from "../telco-csv.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The checked-in sample: the real header and 7 real rows (line 7 has the blank TotalCharges, line 8 a senior). */
export async function telcoSample(): Promise<string> {
  return readFile(join(FIXTURES, "telco/sample.csv"), "utf8");
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "retention-lab-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `text` as dir/Telco-Customer-Churn.csv (the name the error messages show) and returns the path. */
export async function writeTelcoFixture(dir: string, text: string): Promise<string> {
  const path = join(dir, "Telco-Customer-Churn.csv");
  await writeFile(path, text);
  return path;
}

/** The CSV text with one field replaced: `line` is 1-based (1 = header), `column` a source header name or index. */
export function withField(text: string, line: number, column: number, value: string): string {
  const lines = text.split("\n");
  const fields = lines[line - 1].split(",");
  fields[column] = value;
  lines[line - 1] = fields.join(",");
  return lines.join("\n");
}

/** The CSV text with a function applied to every line's fields (header included); empty trailing line kept. */
export function mapFields(text: string, f: (fields: string[], line: number) => string[]): string {
  return text
    .split("\n")
    .map((l, i) => (l === "" ? l : f(l.split(","), i + 1).join(",")))
    .join("\n");
}
