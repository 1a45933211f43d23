/**
 * The three Telco analysis pages (engagement, personas, A/B test) in Chromium against the production build served
 * by nginx: each loads cleanly and shows its key numbers; the dashboard's filter drives its counts; the A/B page's
 * interval for the overall effect covers the simulation's true effect, its adjusted interval is narrower than the
 * simple one, and its planner answers its inputs. Needs $DIST (default dist/) built first.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { watchPage, type PageWatch, type Site, withSiteAndBrowser } from "./harness.js";

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  [site, browser] = [s, b];
});

async function open(path: string, width = 1440): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const watch = await watchPage(page);
  await page.goto(new URL(path, site.url).href, { waitUntil: "networkidle" });
  return { page, watch };
}

const numberAttr = async (page: Page, selector: string, name: string) => {
  const value = await page.locator(selector).first().getAttribute(name, { timeout: 30_000 });
  return Number(value);
};

describe("Telco pages", () => {
  it("the engagement dashboard shows the filtered count and every chart without problems", async () => {
    const { page, watch } = await open("telco/engagement");
    const count = page.getByTestId("filtered-count");
    await count.waitFor({ timeout: 30_000 });
    assert.equal(await numberAttr(page, '[data-testid="filtered-count"]', "data-value"), 7043);
    await page.locator("figure svg, svg[role]").first().waitFor({ timeout: 30_000 });
    assert.ok((await page.locator("main svg").count()) >= 5, "five charts");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("choosing a persona on the dashboard's persona chart changes the displayed count", async () => {
    const { page, watch } = await open("telco/engagement");
    await page.getByTestId("filtered-count").waitFor({ timeout: 30_000 });
    await page
      .locator('.rl-chart[data-chart="engagement-persona"]')
      .getByRole("button", { name: /^Loyal family/ })
      .click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="filtered-count"]')?.getAttribute("data-value") !== "7043",
      undefined,
      { timeout: 30_000 },
    );
    const n = await numberAttr(page, '[data-testid="filtered-count"]', "data-value");
    assert.ok(n > 0 && n < 7043, `persona count ${n}`);
    // Choosing a contract narrows it further.
    await page
      .locator('.rl-chart[data-chart="engagement-contract"]')
      .getByRole("button", { name: /^Two year/ })
      .click();
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="filtered-count"]')?.getAttribute("data-value")) < before,
      n,
      { timeout: 30_000 },
    );
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the personas page shows six personas with sizes summing to the base and a drivers heatmap", async () => {
    const { page, watch } = await open("telco/personas");
    await page.locator("[data-persona]").first().waitFor({ timeout: 30_000 });
    const sizes = await page
      .locator("[data-persona]")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-n"))));
    assert.equal(sizes.length, 6);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      7043,
    );
    await page.getByText("Main churn drivers:").first().waitFor();
    assert.match((await page.getByText("Main churn drivers:").first().textContent()) ?? "", /pp\)/);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the A/B page's 95% interval for the overall effect covers the true effect shown on the page", async () => {
    const { page, watch } = await open("telco/ab-test");
    const card = '[data-testid="overall-effect"]';
    await page.locator(card).waitFor({ timeout: 30_000 });
    const diff = await numberAttr(page, card, "data-diff");
    const lo = await numberAttr(page, card, "data-lo");
    const hi = await numberAttr(page, card, "data-hi");
    const truth = await numberAttr(page, '[data-testid="true-effect"]', "data-value");
    assert.ok(lo < diff && diff < hi, `interval ${lo}..${hi} around ${diff}`);
    assert.ok(lo <= truth && truth <= hi, `true effect ${truth} outside ${lo}..${hi}`);
    assert.ok(diff < 0 && truth < 0, "the offer lowers churn");
    const mde = await numberAttr(page, '[data-testid="mde"]', "data-value");
    assert.ok(mde > 0.02 && mde < 0.04, `MDE ${mde}`);
    await page.locator('[data-testid="qini-uplift"]').waitFor({ timeout: 30_000 });
    assert.ok(Number.isFinite(await numberAttr(page, '[data-testid="qini-uplift"]', "data-area")));
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the A/B page's decision uses the adjusted effect, whose interval is narrower than the simple difference's", async () => {
    const { page, watch } = await open("telco/ab-test");
    const width = async (testid: string) => {
      const selector = `[data-testid="${testid}"]`;
      await page.locator(selector).waitFor({ timeout: 30_000 });
      return (await numberAttr(page, selector, "data-hi")) - (await numberAttr(page, selector, "data-lo"));
    };
    const adjusted = await width("overall-effect");
    const stratified = await width("stratified-effect");
    const simple = await width("simple-effect");
    assert.ok(
      adjusted > 0 && adjusted < stratified && stratified < simple,
      `widths ${adjusted}, ${stratified}, ${simple}`,
    );
    assert.match((await page.getByTestId("overall-effect").textContent()) ?? "", /the decision uses this/);
    // Per-persona effects: a table row per persona with its simultaneous interval.
    assert.equal(await page.locator('[data-testid="persona-effects"] tbody tr').count(), 6);
    // The uplift model's lead over churn risk, with its bootstrap interval around it.
    const lead = '[data-testid="uplift-lead"]';
    await page.locator(lead).waitFor({ timeout: 60_000 });
    const [value, lo, hi] = await Promise.all(
      ["data-value", "data-lo", "data-hi"].map((a) => numberAttr(page, lead, a)),
    );
    assert.ok(lo < value && value < hi, `lead ${value} in ${lo}..${hi}`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the A/B page's planner answers its inputs: more customers, a smaller MDE; no adjustment, a larger one", async () => {
    const { page, watch } = await open("telco/ab-test");
    const mdeCard = '[data-testid="plan-mde"]';
    const sizeCard = '[data-testid="plan-size"]';
    await page.locator(mdeCard).waitFor({ timeout: 30_000 });
    const changed = async (selector: string, from: number) => {
      await page.waitForFunction(
        ([s, v]) => Number(document.querySelector(s as string)?.getAttribute("data-value")) !== v,
        [selector, from] as const,
        { timeout: 30_000 },
      );
      return numberAttr(page, selector, "data-value");
    };
    const mde = await numberAttr(page, mdeCard, "data-value");
    // This experiment's size, adjusted: the same MDE as the headline card.
    assert.ok(Math.abs(mde - (await numberAttr(page, '[data-testid="mde"]', "data-value"))) < 1e-3, `MDE ${mde}`);
    await page.getByLabel("Customers per arm").fill("20000");
    const larger = await changed(mdeCard, mde);
    assert.ok(larger < mde, `MDE ${larger} at 20,000 per arm, ${mde} before`);
    const size = await numberAttr(page, sizeCard, "data-value");
    await page.getByLabel("Effect to detect (pp)").fill("4");
    const fewer = await changed(sizeCard, size);
    assert.ok(fewer < size / 3, `customers per arm ${fewer} for 4 pp, ${size} for 2 pp`);
    await page.getByLabel("Analyse with the adjustment").uncheck();
    assert.ok((await changed(mdeCard, larger)) > larger, "the unadjusted MDE is larger");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the A/B page renders at phone width without problems", async () => {
    const { page, watch } = await open("telco/ab-test", 375);
    await page.locator('[data-testid="overall-effect"]').waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
