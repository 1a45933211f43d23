/** The overview and model pages against the built site: real numbers from the pipeline, no console error. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, startSite, watchPage, type Site } from "./harness.js";

let site: Site;
let browser: Browser;
before(async () => {
  site = await startSite();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
});

async function open(path: string, width = 1440) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const watch = await watchPage(page);
  await page.goto(new URL(path, site.url).href);
  return { page, watch };
}

describe("overview page", () => {
  it("shows both data sets' sizes and churn rates from the Arrow tables", async () => {
    const { page, watch } = await open("");
    await page.getByText("7,043", { exact: true }).waitFor();
    await page.getByText("20,000", { exact: true }).waitFor();
    await page.getByText("26.5%").first().waitFor();
    // every chart rendered: one SVG per rate chart plus the histogram
    await page.waitForFunction(() => document.querySelectorAll("figure svg, svg.plot-d6a7b5").length >= 5);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("is readable at 375 px: no horizontal overflow of the page body", async () => {
    const { page, watch } = await open("", 375);
    await page.getByText("7,043", { exact: true }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `page overflows by ${overflow}px at 375px`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});

describe("models page", () => {
  it("shows the cross-validated Telco figures that meet the targets, then the food-delivery ones", async () => {
    const { page, watch } = await open("models");
    // Each figure is its own cell: wait until all three hold a number, not just until their boxes exist.
    const figure = (name: string) => page.locator(`[data-metric=${name}]`, { hasText: /\d/ });
    for (const name of ["auc", "brier", "ece"]) await figure(name).waitFor();
    const auc = figure("auc");
    assert.ok(Number(await auc.textContent()) >= 0.85, `Telco CV AUC ${await auc.textContent()}`);
    assert.ok(Number(await figure("brier").textContent()) <= 0.134);
    assert.ok(Number(await figure("ece").textContent()) <= 0.02);
    await page.getByRole("radio", { name: "Food-delivery customers" }).check();
    // the sentence wraps in the page source: match across any whitespace
    await page.getByText(/recovered the\s+direction of/).waitFor();
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});

describe("models page: explanations and the honest comparison", () => {
  it("colours the beeswarm by feature value (low → high) and draws the dependence chart chosen by keyboard", async () => {
    const { page, watch } = await open("models");
    const swarm = page.locator("#shap-beeswarm");
    await swarm.locator("svg circle").first().waitFor();
    for (const word of ["low", "high"]) await swarm.getByText(word, { exact: true }).waitFor();
    // Coloured by value: many shades along the ramp, not two colours for the sign of SHAP.
    const fills = await swarm
      .locator("svg circle")
      .evaluateAll((dots) => new Set(dots.map((d) => d.getAttribute("fill"))).size);
    assert.ok(fills > 20, `${fills} distinct dot colours`);
    const dependence = page.locator("#shap-dependence");
    await dependence.getByRole("heading", { name: "Tenure: effect on churn probability by value" }).waitFor();
    const select = page.getByLabel("Dependence chart for");
    await select.focus();
    await page.keyboard.press("ArrowDown");
    await dependence.getByRole("heading", { name: "Contract: effect on churn probability by value" }).waitFor();
    await dependence.locator("svg").getByText("Month-to-month").first().waitFor();
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("says how far XGBoost leads only as far as the paired folds show, and shows the blend only when it wins", async () => {
    const { page, watch } = await open("models");
    const lead = page.locator("#model-lead");
    await lead.waitFor();
    const telco = await lead.getAttribute("data-verdict");
    const text = await page.locator("main").innerText();
    if (telco !== "xgboost-leads") assert.doesNotMatch(text, /ranks customers a little worse than XGBoost/);
    assert.match(await lead.innerText(), /paired over the same 15 folds/);
    const blendShown = /beats XGBoost out of sample/.test(await page.locator("#model-blend").innerText());
    assert.equal(await page.getByRole("cell", { name: "50/50 blend (comparison)" }).count(), blendShown ? 1 : 0);
    await page.getByRole("radio", { name: "Food-delivery customers" }).check();
    await page.getByRole("cell", { name: /XGBoost, class-weighted/ }).waitFor();
    assert.match(await lead.innerText(), /takes the log of tenure, days since last order/);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("is readable at 375 px: no horizontal overflow of the page body", async () => {
    const { page, watch } = await open("models", 375);
    await page.locator("#shap-dependence svg").first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `page overflows by ${overflow}px at 375px`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});

describe("published model metrics (dist/_file/data/*/metrics.json)", () => {
  it("meet the Telco targets at full precision: CV ROC AUC ≥ 0.850, Brier ≤ 0.134, pooled ECE ≤ 0.02", async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const dir = join(process.env.DIST ?? "dist", "_file", "data", "telco");
    const file = (await readdir(dir)).find((f) => /^metrics\.[0-9a-f]+\.json$/.test(f));
    assert.ok(file, `no metrics JSON in ${dir}`);
    const m = JSON.parse(await readFile(join(dir, file), "utf8"));
    const cv = m.cv.xgboost;
    assert.ok(cv.repeats >= 3, `CV repeats ${cv.repeats}`);
    assert.ok(cv.perFold.platt.rocAuc.mean >= 0.85, `AUC ${cv.perFold.platt.rocAuc.mean}`);
    assert.ok(cv.perFold.platt.brier.mean <= 0.134, `Brier ${cv.perFold.platt.brier.mean}`);
    assert.ok(cv.pooled.platt.summary.ece.mean <= 0.02, `ECE ${cv.pooled.platt.summary.ece.mean}`);
  });
});
