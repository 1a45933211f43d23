/**
 * The retention-economics page against the production build: sliders drive the optimum and the matrix, the CSV
 * export is the ranked targeting list, offers are text, and the page stays clean and local.
 *   DIST=<built site> node --import tsx --test tests/browser/retention.test.ts
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, startSite, watchPage, type PageWatch, type Site } from "./harness.js";

describe("food/retention", () => {
  let site: Site;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  before(async () => {
    site = await startSite({ dist: process.env.DIST });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    watch = await watchPage(page);
    await page.goto(new URL("food/retention", site.url).href);
    await page.locator("#matrix table").waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  const text = (selector: string) => page.locator(selector).innerText();

  /** Set a range input's number box (what a keyboard user types) and wait for the page to react. */
  async function setNumber(label: string, value: number) {
    const box = page.getByRole("spinbutton", { name: label });
    await box.fill(String(value));
    await box.press("Enter");
    await box.dispatchEvent("input");
  }

  it("shows the empirical and theoretical optima at the default economics", async () => {
    assert.match(await text("#kpi-theory"), /^0\.347$/); // (50 + 2) / (0.3 × 500)
    const optimum = Number(await text("#kpi-optimum"));
    assert.ok(optimum > 0.2 && optimum < 0.5, `optimum ${optimum}`);
    assert.match(await text("#kpi-emp"), /₹/);
    // The threshold slider starts at the optimum: the matrix is the optimum's policy.
    assert.equal(await text("#chosen-targeted"), await text("#kpi-optimum-targeted"));
  });

  it("moving an economics slider changes the optimum and the matrix", async () => {
    const optimumBefore = await text("#kpi-optimum");
    const matrixBefore = await text("#matrix");
    await setNumber("Acceptance probability", 0.6);
    await page.waitForFunction(
      (before) => document.querySelector("#kpi-optimum")?.textContent !== before,
      optimumBefore,
    );
    assert.match(await text("#kpi-theory"), /^0\.173$/); // 52 / (0.6 × 500)
    assert.ok(Number(await text("#kpi-optimum")) < Number(optimumBefore));
    assert.notEqual(await text("#matrix"), matrixBefore);
  });

  it("the threshold slider moves the matrix and the snap button returns to the optimum", async () => {
    const optimum = await text("#kpi-optimum");
    const targetedAtOptimum = await text("#chosen-targeted");
    await setNumber("Targeting threshold", 0.9);
    await page.waitForFunction((t) => document.querySelector("#chosen-targeted")?.textContent !== t, targetedAtOptimum);
    assert.match(await text("#matrix"), /Wasted budget/);
    await page.getByRole("button", { name: /Snap to the empirical optimum/ }).click();
    await page.waitForFunction((t) => document.querySelector("#chosen-targeted")?.textContent === t, targetedAtOptimum);
    assert.equal(await text("#kpi-optimum"), optimum);
  });

  it("downloads the targeting list as CSV, header first, sorted by expected profit", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-csv").click()]);
    const stream = await download.createReadStream();
    let csv = "";
    for await (const chunk of stream) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0], "rank,customer_id,churn_probability,expected_profit_inr,drivers,offer_text,offer_source");
    const expected = Number((await text("#chosen-targeted")).replace(/,/g, ""));
    assert.equal(lines.length - 1, expected);
    assert.ok(expected > 10);
    // expected_profit_inr is the 4th field; the drivers and offer fields after it may be quoted.
    const profits = lines.slice(1).map((line) => Number(line.split(",")[3]));
    for (let i = 1; i < profits.length; i++) assert.ok(profits[i] <= profits[i - 1], `row ${i + 1} out of order`);
    assert.match(lines[1], /^1,FD\d+,/);
  });

  it("renders offers as text with their provenance", async () => {
    const cards = page.locator(".rl-offer-card");
    assert.equal(await cards.count(), 5);
    const quote = cards.first().locator(".rl-offer-text");
    assert.ok((await quote.innerText()).length > 0);
    assert.equal(await quote.locator("*").count(), 0); // no element parsed out of the offer text
    assert.match(await cards.first().innerText(), /LLM|cache|Fallback/);
  });

  it("compares the models and shows the logistic directions", async () => {
    assert.match(await text("#model-table"), /Calibrated XGBoost/);
    assert.match(await page.locator("body").innerText(), /recovers the direction of \d+ of \d+/);
  });

  it("logged no console error and made no non-local request", () => {
    assert.deepEqual(watch.problems(), []);
  });
});
