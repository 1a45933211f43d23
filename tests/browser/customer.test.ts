/**
 * The customer insights page in Chromium against the production build served by nginx: lookup by URL and by the
 * table, the waterfall's exact additivity,
 * live what-if scoring by the TS TreeSHAP (ONNX Runtime, loaded on request, agreeing with it), the TXT report, and a
 * clean page (no console error, no failed or external request). Needs $DIST built.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
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
const MONTHLY = "7590-VHVEG"; // month-to-month, high risk, test split, stayed
const DEV_CHURNER = "3668-QPYBK"; // development split, left, cross-fitted score under 50%

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

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations in the page's content as it is now (rule id: the first offending nodes).
 * The content only: the site's frame (sidebar, <html lang>) is shared by every page and checked with them.
 */
async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (c: object, o: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const { violations } = await axe.run({ include: [["#observablehq-main"]] }, { resultTypes: ["violations"] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.join(", ")}`);
}
interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

/** The final model's score of the open customer (what the waterfall explains and the what-if re-scores). */
async function finalScore(page: Page): Promise<number> {
  const el = page.locator("#customer-score [data-final-probability]");
  return Number(await el.getAttribute("data-final-probability"));
}

/** Exactly one status on the page, and it says `text`: nothing left over from an earlier state. */
async function expectOneStatus(page: Page, text: RegExp) {
  const status = page.locator("#customer-status");
  assert.match((await status.textContent())!, text);
  const stale = page.getByText(/No customer selected|No customer with ID/);
  const left = await stale.count();
  const current = (await status.textContent())!.match(/No customer/) ? 1 : 0;
  assert.equal(left, current, "a stale status message is still on the page");
}

/** The customer's heading is in the viewport and has the focus. */
async function expectInView(page: Page, id: string) {
  const heading = page.locator("#customer-heading", { hasText: id });
  await page.waitForFunction(() => document.activeElement?.id === "customer-heading");
  const box = (await heading.boundingBox())!;
  const height = page.viewportSize()!.height;
  assert.ok(box.y >= 0 && box.y + box.height <= height, `heading at y=${box.y}, viewport height ${height}`);
}

const sum = (w: WaterfallNumbers) => w.base + w.values.reduce((s, v) => s + v, 0);

/** The what-if panel once scored (by the TS TreeSHAP): the probability it shows and TreeSHAP's. */
async function whatIfScores(page: Page, changed: string) {
  const panel = page.locator(`#whatif-result [data-probability][data-changed="${changed}"]`);
  await panel.waitFor({ timeout: 20_000 });
  return {
    probability: Number(await panel.getAttribute("data-probability")),
    treeshap: Number(await panel.getAttribute("data-treeshap-probability")),
  };
}

/** The ONNX Runtime check of the what-if panel's current state (loaded on the first request): its probability. */
async function onnxScore(page: Page, changed: string): Promise<number> {
  const button = page.getByRole("button", { name: "Check with ONNX Runtime" });
  if (await button.isVisible()) await button.click();
  const panel = page.locator(`#whatif-result [data-onnx-probability][data-changed="${changed}"]`);
  await panel.waitFor({ timeout: 20_000 });
  return Number(await panel.getAttribute("data-onnx-probability"));
}

describe("customer insights page", () => {
  it("?customer=ID opens that customer, the waterfall sums exactly to the displayed probability", async () => {
    const { page, watch } = await open(`telco/customer?customer=${MONTHLY}`);
    await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
    const shown = await finalScore(page);
    const w = await waterfall(page, "#why");
    assert.equal(w.probability, shown);
    assert.ok(Math.abs(sum(w) - shown) < 1e-12, `base + contributions = ${sum(w)}, shown ${shown}`);
    // The headline is the cross-fitted score; this customer (test split) is targeted at 50% and stayed.
    const score = page.locator("#customer-score .rl-score");
    const oof = Number(await score.getAttribute("data-probability"));
    assert.equal(await score.textContent(), `${(100 * oof).toFixed(1)}%`);
    assert.ok(oof >= 0.5);
    const card = page.locator("#customer-score .rl-decision");
    assert.equal(await card.getAttribute("data-targeted"), "true");
    assert.match((await card.textContent())!, /Targeted at the 50% operating threshold — the High-risk tier's cut-off/);
    assert.match((await card.textContent())!, /Actual outcome: stayed \(IBM label Churn = No\)/);
    assert.match((await card.textContent())!, /held out: the final model never saw this customer/);
    // The value of keeping them (the Retention page's per-customer value), and the expected loss it implies.
    const value = Number(await card.locator(".rl-value").getAttribute("data-value"));
    assert.ok(value > 29.85, `value ${value}`);
    assert.match(
      (await card.textContent())!,
      /Worth keeping: about \$[\d,]+ of revenue if they stay — \$29\.85 a month × /,
    );
    // The nudge says why; this customer is in the control group, and the page says what that means.
    assert.match((await page.locator("#customer-nudge .rl-because").textContent())!, /Control group \(A\)/);
    await page.getByText(/in the A\/B test's control group \(A\): by design they get the standard check-in/).waitFor();
    assert.equal(w.values.length, 9, "eight drivers and 'all other features'");
    // The unedited row re-scored in the browser agrees with the pipeline's score.
    const s = await whatIfScores(page, "");
    assert.ok(Math.abs(s.probability - shown) < 1e-5, `TreeSHAP ${s.probability} vs pipeline ${shown}`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("a development-row customer's final-model score is labelled in-sample; missed churners are named", async () => {
    const { page, watch } = await open(`telco/customer?id=${DEV_CHURNER}`);
    const card = page.locator("#customer-score .rl-decision");
    await card.waitFor();
    assert.equal(await card.getAttribute("data-targeted"), "false");
    const text = (await card.textContent())!;
    assert.match(text, /in-sample: the final model was trained on this customer/);
    assert.match(text, /Actual outcome: left .*a missed churner/);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("a customer with a blank TotalCharges opens and scores", async () => {
    const { page, watch } = await open(`telco/customer?customer=${BLANK_TOTAL}`);
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    await page.getByText("not billed yet (blank in source)").waitFor();
    const shown = await finalScore(page);
    assert.ok(shown > 0 && shown < 1);
    const w = await waterfall(page, "#why");
    assert.ok(Math.abs(sum(w) - shown) < 1e-12);
    const s = await whatIfScores(page, "");
    assert.ok(Math.abs(s.probability - shown) < 1e-5);
    const onnx = await onnxScore(page, "");
    assert.ok(Math.abs(onnx - s.probability) < 1e-5, `ONNX ${onnx} vs TreeSHAP ${s.probability}`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("changing a month-to-month contract to 'Two year' lowers the score and the waterfall follows", async () => {
    const { page, watch } = await open(`telco/customer?customer=${MONTHLY}`);
    const before = await whatIfScores(page, "");
    await page.getByLabel("Contract", { exact: true }).last().selectOption("Two year");
    const after = await whatIfScores(page, "contract");
    assert.ok(after.probability < before.probability - 0.05, `score ${before.probability} → ${after.probability}`);
    // ONNX Runtime, once asked for, checks this and every later edit with the exported model.
    const onnx = await onnxScore(page, "contract");
    assert.ok(Math.abs(onnx - after.treeshap) < 1e-5, `ONNX ${onnx} vs TreeSHAP ${after.treeshap}`);
    const w = await waterfall(page, "#whatif-result");
    assert.ok(Math.abs(w.probability - after.treeshap) < 1e-15);
    assert.ok(Math.abs(sum(w) - w.probability) < 1e-12);
    const change = page.locator("#whatif-result .rl-change");
    assert.equal(Number(await change.getAttribute("data-after")), after.probability);
    await page.getByLabel("Paperless billing", { exact: true }).selectOption("No");
    const both = await whatIfScores(page, "contract,paperless_billing");
    const checked = await onnxScore(page, "contract,paperless_billing");
    assert.ok(Math.abs(checked - both.probability) < 1e-5, `ONNX ${checked} vs TreeSHAP ${both.probability}`);
    // Out-of-range input: a message, no score, no NaN anywhere; reset restores the customer.
    await page.getByLabel("Tenure (months)").fill("100");
    await page.getByText("Tenure must be between 0 and 72 months: 100 months is above").first().waitFor();
    assert.ok(!(await page.locator("#whatif-result").textContent())!.includes("NaN"));
    await page.getByRole("button", { name: "Reset to the customer's values" }).click();
    const reset = await whatIfScores(page, "");
    assert.ok(Math.abs(reset.probability - before.probability) < 1e-12);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("what-if fields follow: total charges with tenure × monthly charges, add-ons with the internet service", async () => {
    const { page, watch } = await open(`telco/customer?id=${MONTHLY}`, 375);
    await whatIfScores(page, "");
    const total = page.getByLabel("Total charges (USD)");
    await page.getByLabel("Tenure (months)").fill("24");
    const scored = await whatIfScores(page, "tenure,total_charges");
    assert.equal(await total.inputValue(), "716.4");
    await page.getByText("Total charges $29.85 → $716.40 (tenure × monthly charges)").waitFor();
    // The compact summary bar says the new score at phone width.
    const bar = page.locator(".rl-whatif-summary");
    assert.ok(await bar.isVisible());
    assert.match((await bar.textContent())!, new RegExp(`→ ${(100 * scored.probability).toFixed(1)}%`));
    // A total typed by the user stays when tenure changes again.
    await total.fill("500");
    await page.getByLabel("Tenure (months)").fill("30");
    await whatIfScores(page, "tenure,total_charges");
    assert.equal(await total.inputValue(), "500");
    // Internet DSL → No → Fiber optic: online backup (Yes) goes to "No internet service", then "No", said each time.
    const internet = page.getByLabel("Internet service", { exact: true });
    await internet.selectOption("No");
    await page.getByText(/Online backup Yes → No internet service \(add-ons need an internet service\)/).waitFor();
    await internet.selectOption("Fiber optic");
    await page.getByText(/Online backup No internet service → No \(add-ons need an internet service\)/).waitFor();
    assert.equal(await page.getByLabel("Online backup", { exact: true }).inputValue(), "No");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("at 1440 px the what-if score stays in view while the form is scrolled", async () => {
    const { page, watch } = await open(`telco/customer?id=${MONTHLY}`);
    await whatIfScores(page, "");
    await page.getByLabel("Gender", { exact: true }).scrollIntoViewIfNeeded();
    await page.getByLabel("Gender", { exact: true }).selectOption("Male");
    await whatIfScores(page, "gender");
    for (const part of [".rl-score", ".rl-waterfall"]) {
      const box = (await page.locator(`#whatif-result ${part}`).boundingBox())!;
      assert.ok(box.y >= 0 && box.y + box.height <= 900, `${part} at y=${box.y}, height ${box.height}`);
    }
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("'What would keep this customer?': the cheapest offer, applied in the what-if, scores as promised and below 50%", async () => {
    const { page, watch } = await open(`telco/customer?id=${MONTHLY}`);
    const option = page
      .locator('#keep[data-status="found"] .rl-keep-options li, #keep .rl-keep[data-status="found"] li')
      .first();
    await option.waitFor({ timeout: 20_000 });
    const promised = Number(await option.getAttribute("data-probability"));
    const changes = JSON.parse((await option.getAttribute("data-changes"))!) as { feature: string; to: string }[];
    assert.ok(promised < 0.5, `promised ${promised}`);
    const allowed = ["contract", "payment_method", "paperless_billing", "online_security", "online_backup"];
    for (const c of changes)
      assert.ok([...allowed, "device_protection", "tech_support"].includes(c.feature), c.feature);
    // Its waterfall, on request, ends at the promised probability (TreeSHAP agreeing with the trees' score).
    await option.locator("summary").click();
    const w = await waterfall(page, "#keep .rl-keep-options li:first-child");
    assert.ok(Math.abs(w.probability - promised) < 1e-5, `waterfall ${w.probability} vs ${promised}`);
    await option.getByRole("button", { name: "Apply in the what-if" }).click();
    const panel = page.locator('#whatif-result [data-probability][data-changed]:not([data-changed=""])');
    await panel.waitFor();
    const changed = (await panel.getAttribute("data-changed"))!.split(",").sort();
    assert.deepEqual(changed, changes.map((c) => c.feature).sort());
    const after = Number(await panel.getAttribute("data-probability"));
    assert.ok(Math.abs(after - promised) < 1e-6, `what-if ${after} vs promised ${promised}`);
    assert.ok(after < 0.5);
    for (const c of changes) assert.equal(await page.locator(`#whatif-${c.feature}`).inputValue(), c.to);
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
    const shown = await finalScore(page);
    for (const pattern of [
      new RegExp(`Customer: ${BLANK_TOTAL}`),
      /SUBSCRIPTION DETAILS[\s\S]*Contract: +One year[\s\S]*Total charges: +not billed yet/,
      /BEHAVIOUR METRICS[\s\S]*Persona: /,
      new RegExp(`Churn probability \\(calibrated\\): +${(100 * shown).toFixed(1)}%`),
      /Risk tier: +(Low|Medium|High) risk/,
      /Churn probability \(cross-fitted\): +\d+\.\d%\nDecision: +not targeted at the 50% operating threshold/,
      /Actual outcome: +stayed \(Churn = No\)/,
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

  it("no customer, then the example button: one status, the customer in view and focused, the URL updated", async () => {
    const { page, watch } = await open("telco/customer");
    const status = page.locator("#customer-status");
    await page.locator('#customer-status[data-state="none"]').waitFor();
    assert.match((await status.textContent())!, /No customer selected/);
    await page.getByRole("button", { name: /Open an example customer/ }).click();
    await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
    await page.locator('#customer-status[data-state="customer"]').waitFor();
    await expectOneStatus(page, new RegExp(`Showing Customer ${MONTHLY}`));
    await expectInView(page, MONTHLY);
    assert.equal(new URL(page.url()).searchParams.get("id"), MONTHLY);
    assert.equal(await page.getByLabel("Customer ID").inputValue(), MONTHLY);
    await whatIfScores(page, "");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("an unknown ID, then a valid one: the error gives way to the customer (one status at a time)", async () => {
    const { page, watch } = await open("telco/customer");
    await page.getByLabel("Customer ID").fill("nope");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.locator('#customer-status[data-state="unknown"]').waitFor();
    await expectOneStatus(page, /No customer with ID “nope”/);
    assert.equal(await page.locator("#customer-heading").isVisible(), false);
    assert.equal(new URL(page.url()).searchParams.get("id"), "nope");
    await page.getByLabel("Customer ID").fill(MONTHLY);
    await page.getByLabel("Customer ID").press("Enter");
    await page.locator('#customer-status[data-state="customer"]').waitFor();
    await expectOneStatus(page, new RegExp(`Showing Customer ${MONTHLY}`));
    await expectInView(page, MONTHLY);
    await whatIfScores(page, "");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  for (const width of [1440, 375]) {
    it(`at ${width} px a click on any cell of a row opens that customer; Enter on its ID too; back and forward work`, async () => {
      const { page, watch } = await open(`telco/customer?id=${MONTHLY}`, width);
      await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
      // A click on a plain cell (the contract), not on the ID button.
      const row = page.locator(".rl-customer-table tbody tr").nth(1);
      const id = (await row.getAttribute("data-id"))!;
      assert.notEqual(id, MONTHLY);
      await row.locator("td").nth(1).click();
      await page.locator("#customer-heading", { hasText: id }).waitFor();
      await expectInView(page, id);
      await expectOneStatus(page, new RegExp(`Showing Customer ${id}`));
      assert.equal(new URL(page.url()).searchParams.get("id"), id);
      assert.equal(await page.getByLabel("Customer ID").inputValue(), id);
      assert.equal(await row.getAttribute("aria-current"), "true");
      // The keyboard: the row's ID is a button.
      const third = page.locator(".rl-customer-table tbody tr").nth(2);
      const id3 = (await third.getAttribute("data-id"))!;
      await third.getByRole("button", { name: id3 }).focus();
      await page.keyboard.press("Enter");
      await page.locator("#customer-heading", { hasText: id3 }).waitFor();
      await expectInView(page, id3);
      // Back twice: the row's customer, then the first one; forward: the row's customer again.
      await page.goBack();
      await page.locator("#customer-heading", { hasText: id }).waitFor();
      assert.equal(await page.getByLabel("Customer ID").inputValue(), id);
      await page.goBack();
      await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
      await expectOneStatus(page, new RegExp(`Showing Customer ${MONTHLY}`));
      await page.goForward();
      await page.locator("#customer-heading", { hasText: id }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("id"), id);
      await whatIfScores(page, "");
      assert.deepEqual(watch.problems(), []);
      await page.close();
    });
  }

  for (const width of [1440, 375]) {
    it(`at ${width} px: no serious or critical axe-core violation, with a customer, an edit and an offer's waterfall open`, async () => {
      const { page, watch } = await open(`telco/customer?id=${MONTHLY}`, width);
      const option = page.locator('#keep .rl-keep[data-status="found"] li').first();
      await option.waitFor({ timeout: 20_000 });
      await option.locator("summary").click();
      await page.getByLabel("Tenure (months)").fill("200");
      await page
        .getByText(/Tenure must be between 0 and 72 months/)
        .first()
        .waitFor();
      assert.deepEqual(await axeProblems(page), []);
      // Nothing wider than the screen: the page never scrolls sideways (the segment table scrolls in its own box).
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width);
      const empty = await open("telco/customer", width);
      await empty.page.locator('#customer-status[data-state="none"]').waitFor();
      assert.deepEqual(await axeProblems(empty.page), []);
      assert.ok((await empty.page.evaluate(() => document.documentElement.scrollWidth)) <= width);
      assert.deepEqual(watch.problems(), []);
      assert.deepEqual(empty.watch.problems(), []);
      await empty.page.close();
      await page.close();
    });
  }

  it("older ?customer= links still open the customer, and a fresh page on the URL shows the same one", async () => {
    const { page, watch } = await open(`telco/customer?customer=${BLANK_TOTAL}`, 375);
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("id"), BLANK_TOTAL);
    await whatIfScores(page, "");
    await page.goto(page.url());
    await page.locator("#customer-heading", { hasText: BLANK_TOTAL }).waitFor();
    await whatIfScores(page, "");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
