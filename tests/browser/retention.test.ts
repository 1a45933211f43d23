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

  // textContent, not innerText: cards below the first screen are content-visibility: auto, and Chromium gives no
  // innerText for a card it has not rendered yet. Tables' cells are read one by one (an Inputs.table holds a <style>).
  const text = (selector: string) =>
    page.locator(selector).evaluate((el) => (el.textContent ?? "").replace(/\s+/g, " ").trim());
  const cells = (selector: string) =>
    page.locator(selector).evaluate((el) => [...el.querySelectorAll("td")].map((td) => td.textContent).join(" | "));

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

  /** The settled views (model table, targeting list, offer cards) have caught up with the sliders. */
  async function settled() {
    await page.waitForFunction(
      () =>
        document.querySelectorAll(".rl-settling").length === 4 &&
        document.querySelectorAll(".rl-settling[aria-busy]").length === 0 &&
        document.querySelector<HTMLElement>("#download-csv")?.dataset.rows ===
          document.querySelector("#chosen-targeted")?.textContent?.replace(/,/g, ""),
    );
  }

  it("the threshold slider moves the matrix and the snap button returns to the optimum", async () => {
    const optimum = await text("#kpi-optimum");
    const targetedAtOptimum = await text("#chosen-targeted");
    assert.match(await text("#threshold-card"), /following the optimum/);
    await setNumber("Targeting threshold", 0.9);
    await page.waitForFunction((t) => document.querySelector("#chosen-targeted")?.textContent !== t, targetedAtOptimum);
    assert.match(await text("#matrix"), /Wasted budget/);
    assert.match(await text("#threshold-card"), /At 0\.900 \(your choice\)/);
    await page.getByRole("button", { name: /Snap to the empirical optimum/ }).click();
    await page.waitForFunction((t) => document.querySelector("#chosen-targeted")?.textContent === t, targetedAtOptimum);
    assert.equal(await text("#kpi-optimum"), optimum);
    assert.match(await text("#threshold-card"), /following the optimum/);
  });

  it("a threshold you chose stays when the economics change; the optimum moves and the matrix is repriced", async () => {
    await setNumber("Targeting threshold", 0.5);
    await page.waitForFunction(() =>
      /At 0\.500 \(your choice\)/.test(document.querySelector("#threshold-card")?.textContent ?? ""),
    );
    const targeted = await text("#chosen-targeted");
    const profit = await text("#chosen-profit");
    const optimumBefore = await text("#kpi-optimum");
    await setNumber("Customer LTV (₹)", 900);
    await page.waitForFunction((o) => document.querySelector("#kpi-optimum")?.textContent !== o, optimumBefore);
    await page.waitForFunction((p) => document.querySelector("#chosen-profit")?.textContent !== p, profit);
    assert.equal(await text("#chosen-targeted"), targeted, "the same customers at the same threshold");
    assert.match(await text("#threshold-card"), /At 0\.500 \(your choice\)/);
    // The settled views follow: the list is the chosen threshold's, and nothing stays marked as updating.
    await settled();
    await page.getByRole("button", { name: /Snap to the empirical optimum/ }).click();
    await page.waitForFunction(
      (o) =>
        document.querySelector("#chosen-targeted")?.textContent ===
          document.querySelector("#kpi-optimum-targeted")?.textContent &&
        document.querySelector("#kpi-optimum")?.textContent === o,
      await text("#kpi-optimum"),
    );
    await setNumber("Customer LTV (₹)", 500);
    await page.waitForFunction(
      () =>
        document.querySelector("#chosen-targeted")?.textContent ===
          document.querySelector("#kpi-optimum-targeted")?.textContent &&
        document.querySelector("#kpi-theory")?.textContent === "0.173",
    );
  });

  it("the model comparison follows the economics once the sliders stop", async () => {
    await settled();
    const table = await cells("#model-table");
    await setNumber("Coupon / offer cost (₹)", 120);
    await page.waitForFunction(
      (t) => [...document.querySelectorAll("#model-table td")].map((td) => td.textContent).join(" | ") !== t,
      table,
    );
    await settled();
    await setNumber("Coupon / offer cost (₹)", 50);
    await page.waitForFunction(
      (t) => [...document.querySelectorAll("#model-table td")].map((td) => td.textContent).join(" | ") === t,
      table,
    );
    await settled();
  });

  it("downloads the targeting list as CSV, header first, sorted by expected profit", async () => {
    await settled();
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
    // The table shows the first 1,000 of the list (the CSV has them all), in the same order.
    if (expected > 1000)
      assert.match(await text("#target-list"), /shows the 1,000 highest of [\d,]+ targeted customers/);
    const firstRow = page.locator("#target-list table tbody tr").first();
    const first = await firstRow.evaluate((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
    assert.deepEqual(first.filter(Boolean).slice(0, 2), ["1", lines[1].split(",")[1]]);
  });

  it("renders offers as text with their provenance", async () => {
    const cards = page.locator(".rl-offer-card");
    assert.equal(await cards.count(), 5);
    const quote = cards.first().locator(".rl-offer-text");
    assert.ok(((await quote.textContent()) ?? "").length > 0);
    assert.equal(await quote.locator("*").count(), 0); // no element parsed out of the offer text
    assert.match((await cards.first().textContent()) ?? "", /LLM|cache|Fallback/);
  });

  it("the profit curve has a tooltip, by pointer and by keyboard", async () => {
    const svg = page.locator("#profit-curve svg.rl-profit-curve");
    const tip = page.locator('#profit-curve g[aria-label="tip"]');
    const summary = JSON.parse((await page.locator("#profit-curve .rl-chart").getAttribute("data-summary")) ?? "{}");
    // Keyboard: focus shows the optimum's sample; arrows move one sample (1/400) at a time.
    await svg.focus();
    assert.equal(await tip.getAttribute("display"), null);
    const at = async () => Number(/threshold\s+([\d.]+)/.exec((await tip.textContent()) ?? "")?.[1]);
    const start = await at();
    assert.ok(Math.abs(start - summary.optimum) <= 0.0025, `tip at ${start}, optimum ${summary.optimum}`);
    await page.keyboard.press("ArrowRight");
    // The tip shows three decimals of a 1/400 grid: allow the rounding.
    assert.ok(Math.abs((await at()) - start - 0.0025) <= 0.001);
    await page.keyboard.press("Shift+ArrowLeft");
    assert.ok(Math.abs((await at()) - start + 0.0225) <= 0.001);
    assert.match(
      (await tip.textContent()) ?? "",
      /expected profit\s+−?₹[\d,]+customers targeted\s+[\d,]+share targeted\s+[\d.]+%/,
    );
    await page.keyboard.press("Escape");
    assert.equal(await tip.getAttribute("display"), "none");
    // Pointer: hovering the plot area at x shows the sample there.
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    assert.equal(await tip.getAttribute("display"), null);
    assert.ok((await at()) > 0.3 && (await at()) < 0.7);
    await page.mouse.move(0, 0);
    assert.equal(await tip.getAttribute("display"), "none");
  });

  it("compares the models and shows the logistic directions", async () => {
    assert.match(await text("#model-table"), /Calibrated XGBoost/);
    assert.match(await page.locator("body").innerText(), /recovers the direction of \d+ of \d+/);
  });

  it("logged no console error and made no non-local request", () => {
    assert.deepEqual(watch.problems(), []);
  });
});
