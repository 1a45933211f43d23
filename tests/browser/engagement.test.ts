/**
 * The cross-filtered engagement dashboard (src/telco/engagement.md) in Chromium against the production build: a
 * selection on one chart (by keyboard, by clicking a bar, by brushing a histogram) changes the other charts and the
 * URL, and reloading the URL restores it. Needs $DIST (default dist/) built first.
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

async function open(path: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const watch = await watchPage(page);
  await page.goto(new URL(path, site.url).href, { waitUntil: "networkidle" });
  await page.locator("figure[data-total]").first().waitFor({ timeout: 30_000 });
  return { page, watch };
}

/** Customers each chart counts (its rows passing the other charts' filters), by chart file name. */
const totals = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>(".rl-chart")]
        .filter((w) => w.querySelector("figure[data-total]"))
        .map((w) => [w.dataset.chart!, Number(w.querySelector<HTMLElement>("figure[data-total]")!.dataset.total)]),
    ),
  );
const count = async (page: Page) => Number(await page.getByTestId("filtered-count").getAttribute("data-value"));
const chart = (page: Page, name: string) => page.locator(`.rl-chart[data-chart="${name}"]`);

describe("the cross-filtered engagement dashboard", () => {
  it("a keyboard selection on the contract chart filters the other charts and goes into the URL", async () => {
    const { page, watch } = await open("telco/engagement");
    assert.equal(await count(page), 7043);
    const before = await totals(page);
    assert.equal(Object.keys(before).length, 8, "eight linked charts");
    assert.ok(Object.values(before).every((n) => n === 7043));
    const button = chart(page, "engagement-contract").getByRole("button", { name: /^Month-to-month/ });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /contract=month-to-month/.test(location.search));
    assert.equal(await button.getAttribute("aria-pressed"), "true");
    const after = await totals(page);
    assert.equal(after["engagement-contract"], 7043, "a chart is not filtered by its own selection");
    assert.equal(await count(page), 3875);
    for (const [name, n] of Object.entries(after))
      if (name !== "engagement-contract") assert.equal(n, 3875, `${name} follows the contract filter`);
    assert.match((await page.getByTestId("filter-description").textContent()) ?? "", /Contract: Month-to-month/);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("brushing a histogram selects the bars under the brush; reloading the URL restores the selection", async () => {
    const { page, watch } = await open("telco/engagement");
    const svg = chart(page, "engagement-support-calls").locator("figure svg");
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    // From the left of the plot to about a third of its width: the bars for 0 and 1 calls.
    await page.mouse.move(box.x + 60, box.y + 120);
    await page.mouse.down();
    await page.mouse.move(box.x + 60 + (box.width - 70) / 3, box.y + 130, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /calls=0%2C1|calls=0,1/.test(location.search));
    const filtered = await count(page);
    assert.ok(filtered > 0 && filtered < 7043, `filtered count ${filtered}`);
    // A click on a bar of another chart adds to the filter.
    const persona = chart(page, "engagement-persona").locator("g.rl-bucket").first();
    await persona.click();
    await page.waitForFunction(() => /persona=/.test(location.search));
    const both = await count(page);
    assert.ok(both < filtered, `${both} < ${filtered}`);
    const url = page.url();
    const charts = await totals(page);

    const { page: again, watch: watchAgain } = await open(url.replace(site.url, ""));
    await again.waitForFunction(
      (n) => document.querySelector('[data-testid="filtered-count"]')?.getAttribute("data-value") === String(n),
      both,
    );
    assert.deepEqual(await totals(again), charts);
    assert.equal(
      await chart(again, "engagement-support-calls").getByRole("button", { name: /^1 ·/ }).getAttribute("aria-pressed"),
      "true",
    );
    // Clear all: every chart counts everybody again, and the URL has no filter.
    await again.getByRole("button", { name: "Clear all filters" }).click();
    await again.waitForFunction(() => location.search === "");
    assert.equal(await count(again), 7043);
    assert.deepEqual(watch.problems(), []);
    assert.deepEqual(watchAgain.problems(), []);
    await page.close();
    await again.close();
  });

  it("a URL with an unknown filter value says so and shows every customer", async () => {
    const { page, watch } = await open("telco/engagement?contract=weekly");
    assert.equal(await count(page), 7043);
    assert.match(
      (await page.locator(".rl-filter-status").textContent()) ?? "",
      /URL parameter contract: unknown value "weekly"/,
    );
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
