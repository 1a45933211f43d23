/**
 * The customer insights page in Chromium against the production build served by nginx: lookup by URL and by the
 * table, the waterfall's exact additivity, live what-if scoring (ONNX Runtime agreeing with the TS TreeSHAP),
 * the TXT report, and a clean page (no console error, no failed or external request). Needs $DIST built.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assertBuilt, DIST, launchBrowser, startSite, watchPage, type PageWatch, type Site } from "./harness.js";

const dist = assertBuilt(DIST);
let site: Site;
let browser: Browser;

before(async () => {
  site = await startSite({ dist });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
});

const BLANK_TOTAL = "2923-ARZLG"; // tenure 0, TotalCharges blank in the source CSV, One year contract
const MONTHLY = "7590-VHVEG"; // month-to-month, high risk

async function open(path: string, width = 1440): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  const watch = await watchPage(page);
  await page.goto(new URL(path, site.url).href);
  return { page, watch };
}

interface WaterfallNumbers {
  base: number;
  probability: number;
  values: number[];
}

async function waterfall(page: Page, selector: string): Promise<WaterfallNumbers> {
  const el = page.locator(`${selector} .rl-waterfall`);
  await el.waitFor();
  const [base, probability, values] = await Promise.all([
    el.getAttribute("data-base"),
    el.getAttribute("data-probability"),
    el.getAttribute("data-values"),
  ]);
  return { base: Number(base), probability: Number(probability), values: JSON.parse(values!) };
}

const sum = (w: WaterfallNumbers) => w.base + w.values.reduce((s, v) => s + v, 0);

/** The what-if panel once scored: ONNX and TreeSHAP probabilities. */
async function whatIfScores(page: Page, changed: string) {
  const panel = page.locator(`#whatif-result [data-onnx-probability][data-changed="${changed}"]`);
  await panel.waitFor({ timeout: 20_000 });
  return {
    onnx: Number(await panel.getAttribute("data-onnx-probability")),
    treeshap: Number(await panel.getAttribute("data-treeshap-probability")),
  };
}

describe("customer insights page", () => {
  it("?customer=ID opens that customer, the waterfall sums exactly to the displayed probability", async () => {
    const { page, watch } = await open(`telco/customer?customer=${MONTHLY}`);
    await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
    const score = page.locator("#customer-score .rl-score");
    const shown = Number(await score.getAttribute("data-probability"));
    const w = await waterfall(page, "#why");
    assert.equal(w.probability, shown);
    assert.ok(Math.abs(sum(w) - shown) < 1e-12, `base + contributions = ${sum(w)}, shown ${shown}`);
    assert.equal(await score.textContent(), `${(100 * shown).toFixed(1)}%`);
    assert.equal(w.values.length, 9, "eight drivers and 'all other features'");
    // The unedited row re-scored in the browser agrees with the pipeline's score.
    const s = await whatIfScores(page, "");
    assert.ok(Math.abs(s.onnx - shown) < 1e-5, `ONNX ${s.onnx} vs pipeline ${shown}`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("a customer with a blank TotalCharges opens and scores", async () => {
    const { page, watch } = await open(`telco/customer?customer=${BLANK_TOTAL}`);
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    await page.getByText("not billed yet (blank in source)").waitFor();
    const shown = Number(await page.locator("#customer-score .rl-score").getAttribute("data-probability"));
    assert.ok(shown > 0 && shown < 1);
    const w = await waterfall(page, "#why");
    assert.ok(Math.abs(sum(w) - shown) < 1e-12);
    const s = await whatIfScores(page, "");
    assert.ok(Math.abs(s.onnx - shown) < 1e-5 && Math.abs(s.onnx - s.treeshap) < 1e-5);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("changing a month-to-month contract to 'Two year' lowers the score and the waterfall follows", async () => {
    const { page, watch } = await open(`telco/customer?customer=${MONTHLY}`);
    const before = await whatIfScores(page, "");
    await page.getByLabel("Contract", { exact: true }).last().selectOption("Two year");
    const after = await whatIfScores(page, "contract");
    assert.ok(after.onnx < before.onnx - 0.05, `score ${before.onnx} → ${after.onnx}`);
    assert.ok(Math.abs(after.onnx - after.treeshap) < 1e-5, `ONNX ${after.onnx} vs TreeSHAP ${after.treeshap}`);
    const w = await waterfall(page, "#whatif-result");
    assert.ok(Math.abs(w.probability - after.treeshap) < 1e-15);
    assert.ok(Math.abs(sum(w) - w.probability) < 1e-12);
    const change = page.locator("#whatif-result .rl-change");
    assert.equal(Number(await change.getAttribute("data-after")), after.onnx);
    // Out-of-range input: a message, no score, no NaN anywhere; reset restores the customer.
    await page.getByLabel("Tenure (months)").fill("100");
    await page.getByText("tenure = 100 is outside 0–72 months").first().waitFor();
    assert.ok(!(await page.locator("#whatif-result").textContent())!.includes("NaN"));
    await page.getByRole("button", { name: "Reset to the customer's values" }).click();
    const reset = await whatIfScores(page, "");
    assert.ok(Math.abs(reset.onnx - before.onnx) < 1e-12);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the report download holds subscription, behaviour, score, drivers, nudge, model and data", async () => {
    const { page, watch } = await open(`telco/customer?customer=${BLANK_TOTAL}`);
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download report (TXT)" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `customer-${BLANK_TOTAL}-report.txt`);
    const text = await readFile((await download.path())!, "utf8");
    const shown = Number(await page.locator("#customer-score .rl-score").getAttribute("data-probability"));
    for (const pattern of [
      new RegExp(`Customer: ${BLANK_TOTAL}`),
      /SUBSCRIPTION DETAILS[\s\S]*Contract: +One year[\s\S]*Total charges: +not billed yet/,
      /BEHAVIOUR METRICS[\s\S]*Persona: /,
      new RegExp(`Churn probability \\(calibrated\\): ${(100 * shown).toFixed(1)}%`),
      /Risk tier: +(Low|Medium|High) risk/,
      /TOP DRIVERS[\s\S]*1\. .+ pp (towards|away from) churn/,
      /RETENTION NUDGE\n-+\n.+\nSource: (llm|cache|fallback)/,
      /Model: +XGBoost \d+\.\d+\.\d+/,
      /Trees sha256: +[0-9a-f]{64}/,
      /Telco CSV sha256: +[0-9a-f]{64}/,
    ])
      assert.match(text, pattern);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the URL round-trips the selection; an unknown ID gets a clear message", async () => {
    const { page, watch } = await open(`telco/customer?customer=${MONTHLY}`, 375);
    await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
    // Open another customer from the search box, then from the table.
    await page.getByLabel("Customer ID").fill(BLANK_TOTAL);
    await page.getByRole("button", { name: "Open" }).click();
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("customer"), BLANK_TOTAL);
    const firstRow = page.locator("form table tbody tr").first();
    const id = (await firstRow.locator("td").nth(1).textContent())!.trim();
    await firstRow.locator("input").check();
    await page.locator("#customer-heading", { hasText: id }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("customer"), id);
    // A fresh page on that URL shows the same customer. (Navigate only once ONNX Runtime has loaded: leaving
    // mid-download aborts the .wasm request, which the watcher rightly counts as a failed request.)
    await whatIfScores(page, "");
    await page.goto(page.url());
    await page.locator("#customer-heading", { hasText: id }).waitFor();
    await whatIfScores(page, "");
    await page.goto(new URL("telco/customer?customer=0000-NOPE", site.url).href);
    await page.getByText("No customer with ID “0000-NOPE”").waitFor();
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
