import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  MAX_TELCO_BYTES,
  readTelco,
  TELCO_CATEGORIES,
  TELCO_SHA256,
  TelcoValidationError,
} from "../../data-loaders/telco/ingest.js";
import { sha256Hex } from "../../data-loaders/util/hash.js";
import { mapFields, TELCO_CSV, telcoSample, tempDir, withField, writeTelcoFixture } from "./helpers.js";

const F = "Telco-Customer-Churn.csv";
const col = (name: string) =>
  [
    "customerID",
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
  ].indexOf(name);

describe("readTelco on the real IBM file", () => {
  let data: Awaited<ReturnType<typeof readTelco>>;
  before(async () => {
    data = await readTelco({ path: TELCO_CSV, sha256: TELCO_SHA256 });
  });

  it("reads 7,043 customers, 1,869 of them churned, and reports the pinned sha256", () => {
    assert.equal(data.rows.length, 7043);
    assert.equal(data.rows.filter((r) => r.churn === 1).length, 1869);
    assert.equal(data.sha256, TELCO_SHA256);
    assert.equal(data.source, TELCO_CSV);
  });

  it("turns exactly the 11 blank TotalCharges, all tenure 0, into total_charges 0 with total_charges_blank", () => {
    const blank = data.rows.filter((r) => r.total_charges_blank);
    assert.equal(blank.length, 11);
    for (const r of blank) {
      assert.equal(r.tenure, 0);
      assert.equal(r.total_charges, 0);
    }
    assert.equal(data.rows.filter((r) => r.tenure === 0).length, 11);
  });

  it("uses the contract's snake_case names, Yes/No for senior_citizen and 0/1 for churn", () => {
    const first = data.rows[0];
    assert.deepEqual(Object.keys(first).slice(0, 3), ["customer_id", "gender", "senior_citizen"]);
    assert.deepEqual(new Set(data.rows.map((r) => r.senior_citizen)), new Set(["No", "Yes"]));
    assert.equal(data.rows.filter((r) => r.senior_citizen === "Yes").length, 1142);
    for (const [name, categories] of Object.entries(TELCO_CATEGORIES)) {
      const seen = new Set(data.rows.map((r) => r[name as keyof typeof TELCO_CATEGORIES]));
      assert.deepEqual([...seen].sort(), [...categories].sort(), name);
    }
  });

  it("reads $TELCO_CSV when no path is given", async () => {
    const saved = process.env.TELCO_CSV;
    process.env.TELCO_CSV = TELCO_CSV;
    try {
      const { rows, source } = await readTelco({ cacheDir: "/nonexistent", url: "http://127.0.0.1:9/never" });
      assert.equal(rows.length, 7043);
      assert.equal(source, TELCO_CSV);
    } finally {
      if (saved === undefined) delete process.env.TELCO_CSV;
      else process.env.TELCO_CSV = saved;
    }
  });
});

describe("readTelco validation", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sample: string;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    sample = await telcoSample();
  });
  after(() => cleanup());

  async function rejects(text: string, message: string) {
    const path = await writeTelcoFixture(dir, text);
    await assert.rejects(readTelco({ path }), (error: unknown) => {
      assert.ok(error instanceof TelcoValidationError, `not a TelcoValidationError: ${error}`);
      assert.equal(error.message, message);
      return true;
    });
  }

  it("accepts the sample and maps its blank TotalCharges (tenure 0) and its senior citizen", async () => {
    const { rows } = await readTelco({ path: await writeTelcoFixture(dir, sample), minRowsPerClass: 1 });
    assert.equal(rows.length, 7);
    assert.deepEqual(rows.map((r) => [r.customer_id, r.total_charges, r.total_charges_blank]).slice(4, 6), [
      ["9237-HQITU", 151.65, false],
      ["4472-LVYGI", 0, true],
    ]);
    assert.equal(rows[6].senior_citizen, "Yes");
    assert.deepEqual(
      rows.map((r) => r.churn),
      [0, 0, 1, 0, 1, 0, 1],
    );
  });

  it("rejects a missing column, naming it", async () => {
    const i = col("PaymentMethod");
    await rejects(
      mapFields(sample, (f) => f.filter((_, j) => j !== i)),
      `${F} line 1, column PaymentMethod: missing from the header (header has 20 columns, expected 21)`,
    );
  });

  it("rejects an extra column", async () => {
    await rejects(
      mapFields(sample, (f, line) => [...f, line === 1 ? "Region" : "North"]),
      `${F} line 1, column 22: "Region" is not a Telco column (header has 22 columns, expected 21)`,
    );
  });

  it("rejects columns out of order", async () => {
    await rejects(
      mapFields(sample, ([a, b, c, ...rest]) => [a, c, b, ...rest]),
      `${F} line 1, column 2: "SeniorCitizen" is out of order: column 2 must be "gender"`,
    );
  });

  it("rejects a renamed column", async () => {
    await rejects(
      withField(sample, 1, col("tenure"), "Tenure"),
      `${F} line 1, column tenure: missing from the header (header has 21 columns, expected 21)`,
    );
  });

  it("rejects a non-numeric charge", async () => {
    await rejects(
      withField(sample, 5, col("MonthlyCharges"), "abc"),
      `${F} line 5, column MonthlyCharges: "abc" is not a number`,
    );
    await rejects(
      withField(sample, 3, col("TotalCharges"), "1,889.5"),
      `${F} line 3, column 22: "No" is an extra field (row has 22 fields, expected 21)`,
    );
    await rejects(
      withField(sample, 3, col("TotalCharges"), '"1889.5 USD"'),
      `${F} line 3, column TotalCharges: "1889.5 USD" is not a number`,
    );
  });

  it("rejects a negative charge", async () => {
    await rejects(
      withField(sample, 2, col("MonthlyCharges"), "-29.85"),
      `${F} line 2, column MonthlyCharges: "-29.85" is negative`,
    );
  });

  it("rejects an unknown category, listing the allowed ones", async () => {
    await rejects(
      withField(sample, 3, col("Contract"), "Monthly"),
      `${F} line 3, column Contract: "Monthly" is not one of "Month-to-month", "One year", "Two year"`,
    );
    await rejects(
      withField(sample, 4, col("InternetService"), "fiber optic"),
      `${F} line 4, column InternetService: "fiber optic" is not one of "DSL", "Fiber optic", "No"`,
    );
    await rejects(
      withField(sample, 2, col("SeniorCitizen"), "Yes"),
      `${F} line 2, column SeniorCitizen: "Yes" is not one of "0", "1"`,
    );
    await rejects(withField(sample, 6, col("Churn"), "1"), `${F} line 6, column Churn: "1" is not one of "No", "Yes"`);
  });

  it("rejects a tenure that is not an integer from 0 to 100", async () => {
    await rejects(
      withField(sample, 2, col("tenure"), "1.5"),
      `${F} line 2, column tenure: "1.5" is not an integer from 0 to 100`,
    );
    await rejects(
      withField(sample, 3, col("tenure"), "340"),
      `${F} line 3, column tenure: "340" is not an integer from 0 to 100`,
    );
  });

  it("rejects a blank TotalCharges unless tenure is 0", async () => {
    await rejects(
      withField(sample, 2, col("TotalCharges"), " "),
      `${F} line 2, column TotalCharges: " " is blank, which is allowed only when tenure is 0 (tenure is 1)`,
    );
  });

  it("rejects an empty or duplicate customerID", async () => {
    await rejects(withField(sample, 4, col("customerID"), ""), `${F} line 4, column customerID: "" is empty`);
    await rejects(
      withField(sample, 3, col("customerID"), "7590-VHVEG"),
      `${F} line 3, column customerID: "7590-VHVEG" duplicates the customerID on line 2`,
    );
  });

  it("rejects a truncated file whose last row has too few fields", async () => {
    const lines = sample.trimEnd().split("\n");
    const truncated = [...lines.slice(0, 7), lines[7].split(",").slice(0, 12).join(",")].join("\n"); // cut mid-row
    await rejects(
      truncated,
      `${F} line 8, column TechSupport: missing (row has 12 fields, expected 21; truncated file?)`,
    );
  });

  it("rejects a truncated file that ends inside a quoted field", async () => {
    const truncated = sample.slice(0, sample.lastIndexOf("No phone service")) + '"No phone serv';
    await rejects(truncated, `${F} line 8, column MultipleLines: quote opened here is never closed (truncated file?)`);
  });

  it("rejects a row with an extra field and a blank line inside the data", async () => {
    const lines = sample.split("\n");
    await rejects(
      [...lines.slice(0, 3), lines[3] + ",oops", ...lines.slice(4)].join("\n"),
      `${F} line 4, column 22: "oops" is an extra field (row has 22 fields, expected 21)`,
    );
    await rejects(
      [...lines.slice(0, 3), "", ...lines.slice(3)].join("\n"),
      `${F} line 4: blank line (expected 21 fields)`,
    );
  });

  it("rejects an empty file", async () => {
    await rejects("", `${F}: empty file (expected the header ${sample.split("\n")[0]})`);
  });

  it("accepts CRLF line endings and a byte-order mark", async () => {
    const { rows } = await readTelco({
      path: await writeTelcoFixture(dir, "\uFEFF" + sample.replaceAll("\n", "\r\n")),
      minRowsPerClass: 1,
    });
    assert.equal(rows.length, 7);
    assert.equal(rows[0].customer_id, "7590-VHVEG");
  });

  it("rejects charges above the domain's bounds, naming the cell and not pasting a huge value", async () => {
    await rejects(
      withField(sample, 2, col("MonthlyCharges"), "1000000000000"),
      `${F} line 2, column MonthlyCharges: "1000000000000" is above 1000, the largest monthly charge accepted`,
    );
    await rejects(
      withField(sample, 4, col("MonthlyCharges"), "9".repeat(400)),
      `${F} line 4, column MonthlyCharges: "${"9".repeat(80)}…" (400 characters) is above 1000, the largest monthly charge accepted`,
    );
    await rejects(
      withField(sample, 3, col("TotalCharges"), "100000.01"),
      `${F} line 3, column TotalCharges: "100000.01" is above 100000, the largest total charge accepted`,
    );
    await rejects(
      withField(sample, 3, col("tenure"), "9".repeat(400)),
      `${F} line 3, column tenure: "${"9".repeat(80)}…" (400 characters) is not an integer from 0 to 100`,
    );
  });

  it("rejects customer IDs that are not printable text or that spreadsheets would run", async () => {
    for (const [id, problem] of [
      ["\u0000ABC", '"\\u0000ABC" has the control or invisible character U+0000 at position 1'],
      ["AB\u202ECD", '"AB\\u202ECD" has the control or invisible character U+202E at position 3'],
      ["AB\u200BCD", '"AB\\u200BCD" has the control or invisible character U+200B at position 3'],
      ["AB\tCD", '"AB\\tCD" has the control or invisible character U+0009 at position 3'],
      ["=1+2", '"=1+2" starts with "=", which spreadsheets run as a formula'],
      ["@SUM(A1)", '"@SUM(A1)" starts with "@", which spreadsheets run as a formula'],
      ["+4479", '"+4479" starts with "+", which spreadsheets run as a formula'],
      ["-4479", '"-4479" starts with "-", which spreadsheets run as a formula'],
      ["X".repeat(65), `"${"X".repeat(65)}" is longer than 64 characters`],
    ]) {
      await rejects(withField(sample, 5, col("customerID"), id), `${F} line 5, column customerID: ${problem}`);
    }
  });

  it("refuses data no churn model can be trained on, with a sentence", async () => {
    await rejects(
      sample.split("\n")[0] + "\n",
      `${F}: has no customer rows, only the header (a truncated or empty export?)`,
    );
    const allStayed = mapFields(sample, (f, line) => (line === 1 ? f : [...f.slice(0, -1), "No"]));
    await rejects(
      allStayed,
      `${F}, column Churn: all 7 customers have Churn "No": a churn model needs customers who left and customers who stayed`,
    );
    await rejects(
      sample,
      `${F}, column Churn: only 3 customers with Churn "Yes" and 4 with "No": training needs at least 200 of each`,
    );
  });

  it("refuses a file over the size cap before reading it", async () => {
    const path = await writeTelcoFixture(dir, sample);
    await assert.rejects(readTelco({ path, maxBytes: 1000 }), {
      message: `${path}: is ${Buffer.byteLength(sample)} bytes, over the 1000 bytes limit for a Telco CSV (the IBM file is 0.9 MB); nothing was parsed`,
    });
    // 200 MB (sparse: no disk used) took 101 s and 3.9 GB before its error; now the size alone refuses it.
    const big = join(dir, "big.csv");
    await writeFile(big, "");
    await truncate(big, 200 * 1024 * 1024);
    assert.ok(MAX_TELCO_BYTES < 200 * 1024 * 1024);
    await assert.rejects(readTelco({ path: big }), {
      message: `${big}: is 200.0 MB, over the 64.0 MB limit for a Telco CSV (the IBM file is 0.9 MB); nothing was parsed`,
    });
  });

  it("names a FIFO, a directory or a device given as the CSV instead of reading it", async () => {
    const fifo = join(dir, "pipe.csv");
    execFileSync("mkfifo", [fifo]); // reading it used to block the build forever
    await assert.rejects(readTelco({ path: fifo }), {
      message: `${fifo}: is a FIFO (named pipe), not a regular file: give the CSV file itself`,
    });
    const folder = join(dir, "folder.csv");
    await mkdir(folder);
    await assert.rejects(readTelco({ path: folder }), {
      message: `${folder}: is a directory, not a regular file: give the CSV file itself`,
    });
    await assert.rejects(readTelco({ path: "/dev/zero" }), {
      message: "/dev/zero: is a character device, not a regular file: give the CSV file itself",
    });
  });

  it("checks a local file's sha256 when one is given", async () => {
    const path = await writeTelcoFixture(dir, sample);
    await assert.rejects(
      readTelco({ path, sha256: TELCO_SHA256 }),
      new TelcoValidationError({ file: F }, `sha256 ${sha256Hex(sample)} does not match the expected ${TELCO_SHA256}`),
    );
  });
});

describe("readTelco download and cache", () => {
  let server: Server;
  let base: string;
  let sample: string;
  let real: Buffer;
  let saved: string | undefined;
  before(async () => {
    saved = process.env.TELCO_CSV;
    delete process.env.TELCO_CSV; // these tests exercise the no-path branch
    sample = await telcoSample();
    real = await readFile(TELCO_CSV);
    server = createServer((request, response) => {
      if (request.url === "/sample.csv") response.end(sample);
      else if (request.url === "/real.csv") response.end(real);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (saved !== undefined) process.env.TELCO_CSV = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it("rejects a download with the wrong checksum and caches nothing", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const url = `${base}/sample.csv`;
      await assert.rejects(readTelco({ url, cacheDir: dir }), (error: unknown) => {
        assert.ok(error instanceof TelcoValidationError);
        assert.equal(
          error.message,
          `${url}: sha256 ${sha256Hex(sample)} does not match the expected ${TELCO_SHA256}; nothing was cached`,
        );
        return true;
      });
      assert.equal(existsSync(join(dir, F)), false);
    } finally {
      await cleanup();
    }
  });

  it("downloads, verifies and caches the file, then reads the cache without the network", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const first = await readTelco({ url: `${base}/real.csv`, cacheDir: dir });
      assert.equal(first.source, `${base}/real.csv`);
      assert.equal(first.rows.length, 7043);
      assert.equal(sha256Hex(await readFile(join(dir, F))), TELCO_SHA256);
      const second = await readTelco({ url: `${base}/gone.csv`, cacheDir: dir });
      assert.equal(second.source, join(dir, F));
      assert.equal(second.sha256, TELCO_SHA256);
    } finally {
      await cleanup();
    }
  });

  it("rejects a corrupted cache, naming the file", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeTelcoFixture(dir, sample);
      await assert.rejects(
        readTelco({ url: `${base}/real.csv`, cacheDir: dir }),
        new TelcoValidationError(
          { file: F },
          `sha256 ${sha256Hex(sample)} does not match the expected ${TELCO_SHA256}; delete it to download it again`,
        ),
      );
    } finally {
      await cleanup();
    }
  });

  it("reports an HTTP error with the URL", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await assert.rejects(readTelco({ url: `${base}/missing.csv`, cacheDir: dir }), {
        message: `could not download ${base}/missing.csv: HTTP 404 Not Found`,
      });
    } finally {
      await cleanup();
    }
  });
});
