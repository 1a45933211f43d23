/**
 * The Retention pages against the production build: one screen for one decision (controls, curve, policy, matrix in
 * view together), every slider moving them and the offers together, the policy set on the curve, budgets, the
 * targeting CSV priced by the formula written in it, the bootstrap comparison, the phone layout and the Telco page.
 *   DIST=<built site> node --import tsx --test tests/browser/retention.test.ts
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  launchBrowser,
  readAuditRecords,
  startSite,
  watchPage,
  type PageWatch,
  type Site,
  withSiteAndBrowser,
} from "./harness.js";

interface PanelSummary {
  customers: number;
  profit: number;
  spend: number;
  optimum: number;
  churnAtChosen: number;
  settings: Record<string, number | string>;
}

/** The panel's numbers, the curve's and the matrix's, as each view publishes them in data-summary. */
async function summaries(page: Page) {
  // a string: a function would be compiled by the test runner, which may wrap it in helpers the page lacks
  const [panel, curve, matrix] = (await page.evaluate(
    `[".rl-campaign", "#profit-curve .rl-chart", "#matrix .rl-chart"].map((s) => JSON.parse(document.querySelector(s)?.dataset.summary ?? "null"))`,
  )) as [
    PanelSummary,
    { chosen: number; optimumProfit: number },
    { saved: number; lostDespiteOffer: number; nets: number[] },
  ];
  return { panel, curve, matrix };
}

/** Set a range input the way a drag ends: a new value and an input event. */
async function slide(page: Page, label: string, value: number) {
  await page.getByLabel(label, { exact: true }).evaluate((el, v) => {
    (el as HTMLInputElement).value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

/** The settled views (targeting list, offers) have caught up with the panel. */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      !document.querySelector(".rl-campaign")?.hasAttribute("aria-busy") &&
      document.querySelector<HTMLElement>("#download-csv")?.dataset.rows ===
        String(JSON.parse(document.querySelector<HTMLElement>(".rl-campaign")?.dataset.summary ?? "{}").customers),
  );
}

/** Every box lies inside the viewport (the user sees them without scrolling). */
async function inView(page: Page, selectors: string[]) {
  const height = page.viewportSize()!.height;
  for (const selector of selectors) {
    const box = (await page.locator(selector).first().boundingBox())!;
    assert.ok(box, `${selector} is not rendered`);
    assert.ok(box.y >= 0 && box.y + box.height <= height + 1, `${selector} spans ${box.y}–${box.y + box.height}`);
  }
}

describe("food/retention", () => {
  let site: Site;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  const requested: string[] = [];

  before(async () => {
    site = await startSite({ dist: process.env.DIST });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    watch = await watchPage(page);
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(new URL("food/retention", site.url).href);
    await page.locator("#matrix table").waitFor({ timeout: 30_000 });
    await settled(page);
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it("opens at the optimum by expected profit, with every customer's own value and the coupon model", async () => {
    const { panel, curve, matrix } = await summaries(page);
    assert.equal(panel.settings.valueMode, "customer");
    assert.equal(panel.settings.costModel, "coupon");
    assert.equal(panel.customers, panel.optimum);
    assert.equal(curve.chosen, panel.customers);
    // the value of ranking by expected profit: never less than the churn ranking at the same number of offers
    assert.ok(panel.profit >= panel.churnAtChosen, `${panel.profit} vs ${panel.churnAtChosen}`);
    // the honest matrix adds up to the profit shown
    const sum = matrix.nets.reduce((a: number, b: number) => a + b, 0);
    assert.ok(Math.abs(sum - panel.profit) < 1e-6 * Math.abs(panel.profit), `${sum} vs ${panel.profit}`);
    assert.ok(Math.abs(matrix.saved / 0.3 - (matrix.saved + matrix.lostDespiteOffer)) < 1e-6 * matrix.saved);
    const answer = await page.locator("#campaign-answer").innerText();
    assert.match(answer, /Target [\d,]+ customers \([\d.]+%\) for an expected profit of ₹[\d.,]+ (lakh|crore)?/);
    assert.match(answer, /EMP/);
  });

  it("reads the compact base, never the row-level customers or offers, until the list is downloaded", () => {
    const data = requested.filter((p) => p.includes("/_file/data/food/"));
    assert.ok(
      data.some((p) => /\/campaign-cells\.[0-9a-f]+\.arrow$/.test(p)),
      `the cells are read: ${data.join(", ")}`,
    );
    assert.deepEqual(
      data.filter((p) => /\/(customers|offers|shap)\.[0-9a-f]+\.arrow$/.test(p)),
      [],
      "no row-level table before the download",
    );
    assert.deepEqual(
      data.filter((p) => p.includes("campaign-rows-more")),
      [],
      "the default economics' table needs only the first kept customers",
    );
  });

  it("the site serves no row-level food table but the list's parts (Framework serves no file over 2 GiB)", () => {
    const files = readdirSync(join(process.env.DIST ?? "dist", "_file/data/food"));
    assert.deepEqual(
      files.filter((f) => /^(customers|offers|shap)\./.test(f)),
      [],
    );
    assert.ok(
      files.some((f) => /^list-1\.[0-9a-f]+\.arrow$/.test(f)),
      files.join(", "),
    );
  });

  it("loads the other kept customers when the economics move the table to them (one flat value ranks by p)", async () => {
    await page.getByLabel(/One flat value for everyone/).check();
    await settled(page);
    assert.ok(
      requested.some((p) => p.includes("campaign-rows-more")),
      "the other kept customers are loaded",
    );
    const rows = await page
      .locator("#target-list table tbody tr")
      .evaluateAll((trs) => trs.slice(0, 12).map((tr) => Array.from(tr.children, (td) => td.textContent ?? "")));
    assert.ok(rows.length >= 12, `${rows.length} table rows`);
    // under one flat value the ranking is by churn probability: the table's first rows descend in probability
    // cells: the table's row-header cell, rank, customer, probability, …
    const probability = rows.map((r) => Number.parseFloat(r[3]));
    for (let i = 1; i < probability.length; i++)
      assert.ok(probability[i] <= probability[i - 1], `row ${i + 1}: ${probability[i]} after ${probability[i - 1]}`);
    assert.ok(
      rows.every((r) => /^FD\d+/.test(r[2])),
      `every row names its customer: ${rows.map((r) => r[2]).join(" ")}`,
    );
    await page.getByLabel(/Each customer's own value/).check();
    await settled(page);
  });

  it("keeps the economics, the curve, the chosen policy and the matrix on one screen at 1440 px", async () => {
    await page.locator("#decision").evaluate((el) => el.scrollIntoView({ block: "start" }));
    await inView(page, [
      ".rl-campaign-controls",
      "#campaign-answer",
      "#profit-curve svg[role=slider]",
      "#matrix table",
    ]);
  });

  it("a slider moves the curve, the policy, the matrix and the offers' amounts together, and they stay in view", async () => {
    const before = await summaries(page);
    assert.match(await page.locator("#offer-cards").innerText(), /₹50 off/);
    await slide(page, "Offer cost (₹)", 100);
    const after = await summaries(page);
    assert.equal(after.panel.settings.couponCost, 100);
    assert.notEqual(after.curve.optimumProfit, before.curve.optimumProfit);
    assert.ok(after.panel.customers < before.panel.customers, "a dearer offer targets fewer customers");
    assert.notDeepEqual(after.matrix.nets, before.matrix.nets);
    await inView(page, [".rl-campaign-controls", "#profit-curve svg[role=slider]", "#matrix table"]);
    await settled(page);
    const offers = await page.locator("#offer-cards").innerText();
    assert.match(offers, /₹100 off/);
    assert.doesNotMatch(offers, /₹50 off|\{amount\}/);
    await slide(page, "Offer cost (₹)", 50);
    await settled(page);
  });

  it("a click on the curve sets the policy by hand; the keyboard moves it; Home targets nobody", async () => {
    const svg = page.locator('#profit-curve svg[role="slider"]');
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
    let { panel } = await summaries(page);
    assert.equal(panel.settings.policy, "manual");
    assert.ok(panel.customers > 0.15 * 20_000 && panel.customers < 0.35 * 20_000, `clicked at ${panel.customers}`);
    assert.equal(await page.getByLabel("By hand (or click the curve)").isChecked(), true);
    const clicked = panel.customers;
    await svg.focus();
    await page.keyboard.press("ArrowRight");
    ({ panel } = await summaries(page));
    assert.equal(panel.customers, clicked + 200); // 1% of 20,000
    assert.equal(await svg.getAttribute("aria-valuenow"), String(panel.customers));
    await page.keyboard.press("Home");
    ({ panel } = await summaries(page));
    assert.equal(panel.customers, 0);
    assert.equal(panel.profit, 0);
    await settled(page);
    assert.equal(await page.locator("#download-csv").isDisabled(), true);
    await page.getByLabel("The profit optimum").check();
    ({ panel } = await summaries(page));
    assert.equal(panel.customers, panel.optimum);
  });

  it("a money budget buys what it can afford, and never more than the optimum", async () => {
    await page.getByLabel("Within a money budget").check();
    const box = page.getByLabel("Budget (₹)");
    await box.fill("10000");
    let { panel } = await summaries(page);
    assert.equal(panel.settings.policy, "budget");
    assert.ok(panel.spend <= 10_000 + 1e-6 && panel.spend > 10_000 - 60, `spend ${panel.spend}`);
    await settled(page); // the budget decision settles (and is recorded) before the next one
    await box.fill("100000000");
    ({ panel } = await summaries(page));
    assert.equal(panel.customers, panel.optimum);
    assert.match(await page.locator("#campaign-answer").innerText(), /past the optimum each further offer loses money/);
    await page.getByLabel("The profit optimum").check();
    await settled(page);
  });

  it("downloads the targeting list in expected-profit order, each row priced by the formula with the file's economics", async () => {
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-csv").click()]);
    let csv = "";
    for await (const chunk of await download.createReadStream()) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    const header = lines[0].split(",");
    assert.deepEqual(header.slice(0, 11), [
      "rank",
      "customer_id",
      "churn_probability",
      "value_inr",
      "expected_profit_inr",
      "cost_model",
      "offer_cost_inr",
      "contact_cost_inr",
      "acceptance",
      "value_mode",
      "drivers",
    ]);
    const { panel } = await summaries(page);
    assert.equal(lines.length - 1, panel.customers);
    let previous = Infinity;
    for (const line of lines.slice(1)) {
      const f = line.split(",");
      const [p, v, profit, model, d, c, g] = [
        Number(f[2]),
        Number(f[3]),
        Number(f[4]),
        f[5],
        Number(f[6]),
        Number(f[7]),
        Number(f[8]),
      ];
      assert.equal(model, "coupon");
      const formula = p * g * (v - d) - (1 - p) * d - c;
      assert.ok(Math.abs(formula - profit) <= 0.005 + 1e-9, `${line}: formula ${formula}`);
      assert.ok(profit <= previous + 0.01, `out of order at ${f[0]}`);
      previous = profit;
    }
    assert.match(lines[1], /^1,FD\d+,/);
    assert.match(lines[1], /Policy: the top [\d,]+ of 20,000 customers/);
    assert.doesNotMatch(csv, /\{amount\}/);
  });

  it("renders offers as text with their provenance and the offer cost", async () => {
    const cards = page.locator(".rl-offer-card");
    assert.equal(await cards.count(), 5);
    const quote = cards.first().locator(".rl-offer-text");
    assert.match((await quote.textContent()) ?? "", /₹50/);
    assert.equal(await quote.locator("*").count(), 0); // no element parsed out of the offer text
    assert.match((await cards.first().textContent()) ?? "", /LLM|cache|Fallback/);
  });

  it("compares the models with bootstrap intervals once they are computed", async () => {
    // the comparison's sample loads and its bootstrap runs only once the section is in view
    assert.ok(!requested.some((p) => p.includes("campaign-sample")), "no comparison sample before the section is seen");
    await page.locator("#model-comparison").scrollIntoViewIfNeeded();
    await page.locator("#model-comparison table").waitFor({ timeout: 60_000 });
    const rows = await page.locator("#model-comparison table tbody tr").allInnerTexts();
    assert.equal(rows.length, 4);
    assert.match(rows[0], /Calibrated XGBoost/);
    assert.match(await page.locator("body").innerText(), /recovers the direction of \d+ of \d+/);
  });

  it("recorded each settled decision with its parameters in the audit trail", async () => {
    const wanted = (records: Record<string, unknown>[]) =>
      records.some(
        (r) => r.event === "economics_changed" && (r.detail as Record<string, unknown>).coupon_cost === 100,
      ) &&
      records.some((r) => r.event === "policy_changed" && (r.detail as Record<string, unknown>).policy === "budget") &&
      records.some((r) => r.event === "list_exported" && (r.detail as Record<string, unknown>).cost_model === "coupon");
    let records: Record<string, unknown>[] = [];
    for (let i = 0; i < 100 && !wanted(records); i++) {
      records = await readAuditRecords(site.auditDir);
      if (!wanted(records)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(wanted(records), JSON.stringify(records.map((r) => [r.event, r.detail])));
    const policy = records.find((r) => r.event === "policy_changed")!.detail as Record<string, unknown>;
    assert.equal(policy.dataset, "food");
    assert.equal(typeof policy.customers, "number");
  });

  it("logged no console error and made no non-local request", () => {
    assert.deepEqual(watch.problems(), []);
  });
});

describe("retention pages at phone width and in dollars", () => {
  let site: Site;
  let browser: Browser;

  withSiteAndBrowser((s, b) => {
    [site, browser] = [s, b];
  });

  it("at 375 px a summary bar stays on screen and follows the sliders", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const watch = await watchPage(page);
    await page.goto(new URL("food/retention", site.url).href);
    await page.locator("#matrix table").waitFor({ timeout: 30_000 });
    const bar = page.locator(".rl-campaign-bar");
    const acceptance = page.getByLabel("Acceptance: churners who take the offer and stay");
    await acceptance.scrollIntoViewIfNeeded();
    const before = await bar.innerText();
    await slide(page, "Acceptance: churners who take the offer and stay", 0.6);
    const after = await bar.innerText();
    assert.notEqual(after, before);
    assert.match(after, /^Target [\d,]+ · ₹[\d.,]+ (lakh |crore )?expected$/);
    await inView(page, [".rl-campaign-bar"]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page scrolls sideways: ${width}px`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the Telco page prices subscribers by their remaining revenue, in dollars, and the horizon re-prices them", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    await page.goto(new URL("telco/retention", site.url).href);
    await page.locator("#matrix table").waitFor({ timeout: 30_000 });
    const { panel } = await summaries(page);
    assert.match(await page.locator("#campaign-answer").innerText(), /expected profit of \$[\d.,]+[kM]?/);
    assert.equal(panel.settings.valueMode, "customer");
    await slide(page, "Months counted", 12);
    const shorter = (await summaries(page)).panel;
    assert.ok(shorter.profit < panel.profit, `12 months ${shorter.profit} vs 72 months ${panel.profit}`);
    assert.ok(shorter.customers < panel.customers);
    assert.match(await page.locator("body").innerText(), /Months still to pay at tenure 1/);
    await page.locator("#model-comparison table").waitFor({ timeout: 60_000 });
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
