/**
 * Exports for report writers, in Chromium against the production build: a chart's SVG and self-contained HTML state
 * their data, model, parameters and build (the same words on every download: no clock); the Embed page tells whether
 * a report's origin may embed the views under the server's actual policy, and what to ask for when it may not.
 * Needs $DIST (default dist/) built first.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, startSite, TEMPLATE_DEFAULTS, watchPage, type Site } from "./harness.js";

let site: Site;
let allowing: Site;
let browser: Browser;

before(async () => {
  site = await startSite({ dist: process.env.DIST });
  allowing = await startSite({
    dist: process.env.DIST,
    env: { ...TEMPLATE_DEFAULTS, EMBED_ORIGINS: "https://reports.example.com http://127.0.0.1:8000" },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await allowing?.stop();
});

async function save(wrapper: Locator, format: "svg" | "html"): Promise<string> {
  const [saved] = await Promise.all([
    wrapper.page().waitForEvent("download", { timeout: 30_000 }),
    wrapper.locator(`.rl-downloads button[data-download="${format}"]`).click(),
  ]);
  assert.equal((await wrapper.locator(".rl-downloads [role=status]").textContent())?.trim(), "");
  return readFile((await saved.path())!, "utf8");
}

const jsonIn = (text: string, pattern: RegExp) => JSON.parse(pattern.exec(text)![1]!.replaceAll("&quot;", '"'));

describe("exports state what they were made from", () => {
  it("a dashboard chart's SVG and HTML name the filter it was drawn under, the data, the model and the build", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    await page.goto(new URL("telco/engagement", site.url).href, { waitUntil: "networkidle" });
    const contract = page.locator('.rl-chart[data-chart="engagement-contract"]');
    await contract.getByRole("button", { name: /^Month-to-month/ }).click();
    await page.waitForFunction(() => /contract=month-to-month/.test(location.search));
    const persona = page.locator('.rl-chart[data-chart="engagement-persona"]');

    const svg = await save(persona, "svg");
    const meta = jsonIn(svg, /<metadata id="retention-lab-meta">([\s\S]*?)<\/metadata>/);
    assert.equal(meta.parameters.filter, "Contract: Month-to-month");
    assert.match(meta.data, /IBM Telco customer churn \(7,043 customers\)/);
    assert.match(meta.build, /^seed \d+; Telco CSV sha256:[0-9a-f]{12}; telco\/customers\.arrow sha256:[0-9a-f]{12}/);
    assert.match(svg, /Parameters: filter = Contract: Month-to-month/, "the parameters are printed under the chart");
    assert.equal(
      (await save(persona, "svg")).replace(/address = [^;<]*/, ""),
      svg.replace(/address = [^;<]*/, ""),
      "no clock",
    );

    const html = await save(persona, "html");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<dt>Parameters<\/dt><dd>filter = Contract: Month-to-month/);
    assert.match(html, /<svg[^>]*>[\s\S]*<\/svg>/, "the chart inline");
    assert.doesNotMatch(html, /\s(src|href)=/, "nothing loaded from anywhere");
    const data = JSON.parse(
      /<script type="application\/json" id="retention-lab-data">([\s\S]*?)<\/script>/.exec(html)![1]!,
    );
    assert.equal(data.rows.length, 6, "one row per persona");
    assert.equal(
      data.rows.reduce((s: number, r: { customers: number }) => s + r.customers, 0),
      3875,
      "the persona counts under the contract filter",
    );
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});

describe("the Embed page's origin check", () => {
  async function check(on: Site, origin: string): Promise<{ page: Page; text: string; allowed: string }> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(new URL("embed", on.url).href, { waitUntil: "networkidle" });
    await page.getByLabel("Your report's address").fill(origin);
    await page.getByRole("button", { name: "Check" }).click();
    const answer = page.getByTestId("origin-answer");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="origin-answer"]')?.getAttribute("data-allowed"),
    );
    return { page, text: (await answer.textContent()) ?? "", allowed: (await answer.getAttribute("data-allowed"))! };
  }

  it("under the default (empty) allow-list, says no and what to ask the operator for", async () => {
    const { page, text, allowed } = await check(site, "https://reports.example.com/q3/report.html");
    assert.equal(allowed, "false");
    assert.match(text, /only itself/);
    assert.match(text, /EMBED_ORIGINS="https:\/\/reports\.example\.com"/);
    await page.close();
  });

  it("under an allow-list holding the origin, says yes (and names the list)", async () => {
    const { page, text, allowed } = await check(allowing, "https://reports.example.com");
    assert.equal(allowed, "true");
    assert.match(text, /https:\/\/reports\.example\.com, http:\/\/127\.0\.0\.1:8000 and itself/);
    const other = await check(allowing, "https://elsewhere.example.com");
    assert.equal(other.allowed, "false");
    assert.match(
      other.text,
      /EMBED_ORIGINS="https:\/\/reports\.example\.com http:\/\/127\.0\.0\.1:8000 https:\/\/elsewhere\.example\.com"/,
    );
    await page.close();
    await other.page.close();
  });
});
