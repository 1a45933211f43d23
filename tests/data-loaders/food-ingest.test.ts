// Bring your own customers: the user's food-delivery file is read as the generator's rows would be, and every kind
// of bad file is refused with one error naming the file, the line or row, the column and the value.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tableToIPC } from "apache-arrow";
import { arrowTable } from "../../data-loaders/arrow.js";
import { FOOD_ARROW_COLUMNS, foodRows, type FoodRecord } from "../../data-loaders/food/generate.js";
import { fileSource, FoodValidationError } from "../../data-loaders/food/ingest.js";
import { FOOD_COLUMNS } from "../../src/lib/columns.js";

const ROWS = [...foodRows({ n: 1_000, seed: 3 })];
const NAMES = FOOD_COLUMNS.map((c) => c.name);
const csv = (rows: readonly FoodRecord[], names: readonly string[] = NAMES) =>
  `${[names.join(","), ...rows.map((r) => names.map((n) => String(r[n as keyof FoodRecord])).join(","))].join("\n")}\n`;
const GOOD = csv(ROWS);

/** The CSV with one cell replaced (line 1 = header; column by name). */
function withCell(text: string, line: number, column: string, value: string): string {
  const lines = text.split("\n");
  const cells = lines[line - 1].split(",");
  cells[(NAMES as string[]).indexOf(column)] = value;
  lines[line - 1] = cells.join(",");
  return lines.join("\n");
}

async function readAll(path: string): Promise<FoodRecord[]> {
  const out: FoodRecord[] = [];
  for await (const batch of fileSource(path).batches(128)) out.push(...batch);
  return out;
}

describe("food ingest (FOOD_CSV)", () => {
  let dir: string;
  let n = 0;
  const write = async (text: string | Uint8Array, name = `food-${++n}.csv`) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  /** Reading `text` fails with a FoodValidationError whose message matches every pattern. */
  const refuses = async (text: string | Uint8Array, patterns: RegExp[], name?: string) => {
    const path = await write(text, name);
    await assert.rejects(readAll(path), (error: Error) => {
      assert.ok(error instanceof FoodValidationError, `${error.name}: ${error.message}`);
      for (const p of patterns) assert.match(error.message, p);
      return true;
    });
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "retention-lab-food-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads a valid CSV as the generator's rows, in any column order, with or without the truth column", async () => {
    assert.deepEqual(await readAll(await write(GOOD)), ROWS);
    const shuffled = [...NAMES].reverse();
    assert.deepEqual(await readAll(await write(csv(ROWS, shuffled))), ROWS);
    const noTruth = await readAll(
      await write(
        csv(
          ROWS,
          NAMES.filter((c) => c !== "true_churn_prob"),
        ),
      ),
    );
    assert.ok(noTruth.every((r) => Number.isNaN(r.true_churn_prob)));
    assert.deepEqual(
      noTruth.map((r) => ({ ...r, true_churn_prob: 0 })),
      ROWS.map((r) => ({ ...r, true_churn_prob: 0 })),
    );
  });

  it("reads an Arrow IPC file as the same rows", async () => {
    const bytes = tableToIPC(arrowTable(ROWS, FOOD_ARROW_COLUMNS), "file");
    assert.deepEqual(await readAll(await write(bytes, "food.arrow")), ROWS);
  });

  it("refuses a missing, unknown or repeated header column", async () => {
    await refuses(
      csv(
        ROWS,
        NAMES.filter((c) => c !== "recency_days"),
      ),
      [/food-\d+\.csv/, /column recency_days/, /missing/],
    );
    await refuses(csv(ROWS).replace("customer_id,", "customer_id,nps,"), [
      /column 2/,
      /"nps"/,
      /not a food-delivery column/,
    ]);
    const twice = `${["ltv", ...NAMES].join(",")}\n`;
    await refuses(twice, [/column ltv/, /twice/]);
  });

  it("refuses bad values, naming the line, the column and the value", async () => {
    const cases: [string, string, RegExp][] = [
      ["recency_days", "abc", /"abc" is not a number/],
      ["recency_days", "", /is blank/],
      ["recency_days", "12.5", /not a whole number/],
      ["tenure_months", "-3", /outside 0 to 120/],
      ["order_frequency", "1e400", /not a finite number/],
      ["membership", "gold", /"gold" is not one of "None", "Gold", "Platinum"/],
      ["city_tier", "4", /not one of "1", "2", "3"/],
      ["churned", "2", /"2" is not one of "0", "1"/],
      ["churned", "yes", /not one of/],
      ["ltv", "-1", /is negative/],
      ["true_churn_prob", "1.5", /not a probability/],
      ["customer_id", "=HYPERLINK(1)", /formula/],
      ["customer_id", "FD\u202e123", /U\+202E/],
      ["customer_id", " FD1", /leading or trailing spaces/],
    ];
    for (const [column, value, problem] of cases)
      await refuses(withCell(GOOD, 17, column, value), [/line 17/, new RegExp(`column ${column}`), problem]);
  });

  it("refuses duplicate ids, blank lines, short or long rows, an open quote", async () => {
    const lines = GOOD.split("\n");
    const dup = withCell(GOOD, 30, "customer_id", lines[9].split(",")[0]);
    await refuses(dup, [/line 30/, /column customer_id/, /duplicates the customer_id of line 10/]);
    await refuses([...lines.slice(0, 5), "", ...lines.slice(5)].join("\n"), [/line 6/, /blank line/]);
    await refuses([...lines.slice(0, 8), lines[8].split(",").slice(0, 5).join(",")].join("\n"), [
      /line 9/,
      /5 fields/,
      /truncated/,
    ]);
    await refuses(GOOD.replace(lines[3], `${lines[3]},extra`), [/line 4/, /15 fields/]);
    await refuses(GOOD.replace(lines[11], `"${lines[11]}`), [/line 12/, /quote .* never closed|malformed/]);
  });

  it("refuses an empty file, a header alone, one class only, too few of a class", async () => {
    await refuses("", [/empty file/]);
    await refuses(`${NAMES.join(",")}\n`, [/no customer rows/]);
    const stayed = ROWS.map((r) => ({ ...r, churned: 0 as const }));
    await refuses(csv(stayed), [/column churned/, /all 1000 customers have churned 0/]);
    await refuses(csv(ROWS.slice(0, 400)), [/column churned/, /at least 200 of each/]);
  });

  it("refuses an Arrow file with a null or a wrong value, naming the row", async () => {
    const bad = ROWS.map((r, i) => (i === 41 ? { ...r, membership: "Diamond" as never } : r));
    const bytes = tableToIPC(arrowTable(bad, FOOD_ARROW_COLUMNS), "stream");
    await refuses(bytes, [/food\.arrows row 42/, /column membership/, /"Diamond" is not one of/], "food.arrows");
    await refuses(new TextEncoder().encode("not arrow at all"), [/not an Arrow IPC file/], "junk.arrow");
  });

  it("refuses a path that is not a file, and a file that changes between the two passes", async () => {
    await assert.rejects(readAll(join(dir, "missing.csv")), /missing\.csv: does not exist/);
    const path = await write(GOOD);
    const source = fileSource(path);
    for await (const _ of source.batches(500));
    await writeFile(path, withCell(GOOD, 3, "ltv", "1"));
    await assert.rejects(
      (async () => {
        for await (const _ of source.batches(500));
      })(),
      /changed while the pipeline was reading it/,
    );
  });
});
