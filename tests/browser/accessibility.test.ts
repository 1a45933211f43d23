/**
 * axe-core on every page of the built site (every .html under $DIST, so a new page is covered without editing this
 * file; the embed frame pages /embed/<view> included) at 1440 px, once the page has settled: any serious or critical
 * violation fails, with its rule id and the targets of the offending nodes. Also: the first Tab stop is a skip link
 * to the main content, and the page names its language. Needs $DIST (default dist/) built first.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assertBuilt, watchPage, type Site, withSiteAndBrowser } from "./harness.js";

const dist = assertBuilt(process.env.DIST);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Every page of the built site as a URL path ("" for the home page, "telco/customer", "embed/profit-curve"…). */
function builtPages(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".html") && !relative(dir, e.parentPath).startsWith("_"))
    .map((e) => relative(dir, join(e.parentPath, e.name)).replace(/\.html$/, ""))
    .map((p) => (p === "index" ? "" : p.replace(/\/index$/, "")))
    .sort();
}

const PAGES = builtPages(dist);

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  [site, browser] = [s, b];
});

/** Waits until no Framework placeholder or loading message is left and the DOM has stopped growing. */
async function settle(page: Page, path: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  let stable = 0;
  for (;;) {
    const state = await page.evaluate(() => ({
      loading: document.querySelectorAll("observablehq-loading, .rl-loading").length,
      nodes: document.getElementsByTagName("*").length,
    }));
    stable = state.loading === 0 && state.nodes === last ? stable + 1 : 0;
    if (stable >= 3) return;
    if (Date.now() > deadline) assert.fail(`${path}: did not settle within 60 s (${state.loading} still loading)`);
    last = state.nodes;
    await page.waitForTimeout(250);
  }
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
async function audit(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol: the site's CSP (no inline script) does not apply.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.length} × ${v.targets.slice(0, 8).join(" | ")}`);

describe("accessibility (axe-core, 1440 px)", () => {
  it("finds the site's pages in the build, embed frames included", () => {
    for (const path of ["", "telco/engagement", "food/retention", "embed", "embed/profit-curve"])
      assert.ok(PAGES.includes(path), `${path || "(home)"} not found among ${PAGES.join(", ")}`);
  });

  for (const path of PAGES) {
    it(`/${path}: no serious or critical violation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const watch = await watchPage(page);
      const response = await page.goto(new URL(path, site.url).href, { waitUntil: "networkidle" });
      assert.equal(response?.status(), 200, `/${path}: HTTP status`);
      await settle(page, path);
      const violations = await audit(page);
      assert.deepEqual(describeViolations(violations), [], `/${path}: axe-core violations`);
      assert.deepEqual(watch.problems(), [], `/${path}: page problems`);
      await page.close();
    });
  }

  it("every page with the site's chrome names its language and starts with a skip link to the main content", async () => {
    for (const path of PAGES) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(new URL(path, site.url).href, { waitUntil: "domcontentloaded" });
      assert.equal(await page.locator("html").getAttribute("lang"), "en", `/${path}: <html lang>`);
      if (!path.startsWith("embed/")) {
        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => {
          const a = document.activeElement as HTMLAnchorElement | null;
          return { text: a?.textContent?.trim(), href: a?.getAttribute("href") };
        });
        assert.deepEqual(first, { text: "Skip to main content", href: "#observablehq-main" }, `/${path}: first Tab`);
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => location.hash === "#observablehq-main");
        assert.equal(
          await page.evaluate(() => document.activeElement?.id),
          "observablehq-main",
          `/${path}: the skip link moves focus to the main content`,
        );
      }
      await page.close();
    }
  });
});
