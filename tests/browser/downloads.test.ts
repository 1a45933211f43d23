/**
 * Downloads on every chart (issue #8; docs/embed.md, "Downloads"). On every page of the built site, every Plot chart
 * in the main content sits in its own .rl-chart wrapper with SVG, PNG and CSV buttons; every chart's CSV is saved
 * through its real button and read back (a header row of readable column names, at least one data row, no
 * "undefined" or "[object Object]" cells); one chart per page is also saved as SVG and PNG; each page's downloads
 * reach the audit log; and no page has a console error, CSP violation or failed request. The chrome-free frame
 * pages (/embed/<id>) are covered by embed.test.ts.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Browser, Download, Locator, Page } from "playwright-core";
import { assertBuilt, DIST, readAuditRecords, watchPage, type Site, withSiteAndBrowser } from "./harness.js";

const CUSTOMER = "7590-VHVEG";

/** The page URLs of dist/ (cleanUrls), without the 404 page and the frame pages. */
async function sitePages(): Promise<string[]> {
  const dist = assertBuilt(process.env.DIST ?? DIST);
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath, e.name).slice(dist.length + 1))
    .filter((file) => file !== "404.html" && !file.startsWith("embed/"))
    .map((file) => (file === "index.html" ? "/" : `/${file.slice(0, -".html".length)}`))
    .sort();
}

const pages = await sitePages();

/** Charts each page is known to show, at least: a page whose charts never render fails instead of passing empty. */
const MIN_CHARTS: Record<string, number> = {
  "/": 7,
  "/models": 7,
  "/embed": 5,
  "/telco/customer": 2,
  "/telco/engagement": 8,
  "/telco/personas": 3,
  "/telco/ab-test": 6,
  "/food/retention": 4,
  "/telco/retention": 4,
};

const RATE = ["customers", "churned", "churn_rate", "ci95_low", "ci95_high"];
const OUTCOME = ["customers", "stayed", "churned", "churn_rate"];
/** The engagement dashboard's linked charts (src/components/linked-chart.ts): the rows behind each, filtered. */
const LINKED = ["customers", "stayed", "churned", "churn_rate", "selected"];
const QINI = ["rule", "customers_targeted", "share_targeted", "churners_prevented"];

/** The CSV header of each chart (by its file name); charts not listed get the generic checks only. */
const HEADERS: [RegExp, string[]][] = [
  [/^engagement-app-sessions$/, ["app_sessions_per_month", ...LINKED]],
  [/^engagement-tenure$/, ["tenure_months", ...LINKED]],
  [/^engagement-days-late$/, ["days_late", ...LINKED]],
  [/^engagement-support-calls$/, ["support_calls_90_days", ...LINKED]],
  [/^engagement-contract$/, ["contract", ...LINKED]],
  [/^engagement-risk-tier$/, ["risk_tier", ...LINKED]],
  [/^engagement-persona$/, ["persona", ...LINKED]],
  [/^engagement-ab-variant$/, ["variant", ...LINKED]],
  [/^churn-by-contract$/, ["contract", ...RATE]],
  [/^churn-by-persona$/, ["persona", ...RATE]],
  [/^food-churn-by-days-since-last-order$/, ["days_since_last_order", ...RATE]],
  [/^food-churn-by-city-tier$/, ["city_tier", ...RATE]],
  [/^tenure-by-outcome$/, ["tenure_months_from", "tenure_months_to", ...OUTCOME]],
  [/^risk-distribution-(telco|food)$/, ["probability_from", "probability_to", "tier", "customers", "share"]],
  [/^roc-curve-(telco|food)$/, ["model", "fpr", "tpr", "threshold"]],
  [/^precision-recall-(telco|food)$/, ["recall", "precision", "threshold"]],
  [/^reliability-(telco|food)$/, ["model", "bin_from", "bin_to", "customers", "mean_predicted", "observed_rate"]],
  [/^shap-beeswarm-(telco|food)$/, ["sample_row", "feature", "value", "shap_pp"]],
  [/^shap-dependence-(telco|food)-[a-z_]+$/, ["sample_row", "feature", "value", "shap_pp"]],
  [/^logistic-coefficients-(telco|food)$/, ["feature", "coefficient_per_sd", "odds_ratio_per_sd", "direction"]],
  [/^(whatif-)?waterfall-\d{4}-[A-Z]{5}$/, ["step", "feature", "label", "value", "contribution_pp", "from", "to"]],
  [/^persona-size$/, ["persona", "customers", "share"]],
  [/^persona-drivers$/, ["persona", "feature", "mean_shap_pp"]],
  [/^ab-sessions-by-variant$/, ["variant", "estimate", "ci95_low", "ci95_high", "customers"]],
  [
    /^ab-adjusted-effect-by-persona$/,
    [
      "persona",
      "estimate_pp",
      "ci95_low_pp",
      "ci95_high_pp",
      "simultaneous_low_pp",
      "simultaneous_high_pp",
      "true_effect_pp",
      "customers",
      "p_value",
      "p_holm",
    ],
  ],
  [/^qini-(estimated|true-gain)$/, QINI],
  [/^uplift-vs-truth-by-stratum$/, ["stratum", "customers", "estimated_effect_pp", "true_effect_pp"]],
  [/^(food|telco)-profit-by-model$/, ["group", "estimate", "ci95_low", "ci95_high"]],
  [
    /^food-profit-curve$/,
    [
      "customers_targeted",
      "share_targeted",
      "expected_profit_by_expected_profit_inr",
      "expected_profit_by_churn_probability_inr",
      "cost_model",
      "value",
      "offer_cost",
      "contact_cost",
      "acceptance",
    ],
  ],
  [
    /^telco-profit-curve$/,
    [
      "customers_targeted",
      "share_targeted",
      "expected_profit_by_expected_profit_usd",
      "expected_profit_by_churn_probability_usd",
      "cost_model",
      "value",
      "offer_cost",
      "contact_cost",
      "acceptance",
    ],
  ],
  [
    /^food-business-matrix$/,
    ["cell", "would_churn", "targeted", "customers", "value_inr", "cost_inr", "net_inr", "basis", "parameters"],
  ],
  [
    /^telco-business-matrix$/,
    ["cell", "would_churn", "targeted", "customers", "value_usd", "cost_usd", "net_usd", "basis", "parameters"],
  ],
  [/^telco-survival-by-contract$/, ["contract", "tenure_months", "share_still_subscribed"]],
  [/^logistic-directions$/, ["feature", "true_coefficient", "logistic_estimate_per_sd", "direction_recovered"]],
];

/** Exact numbers for a few CSVs: the data behind the chart, not just its shape. */
const CHECKS: Record<string, (rows: Record<string, string>[]) => void> = {
  "/ churn-by-contract": (rows) => {
    assert.deepEqual(
      rows.map((r) => r.contract),
      ["Month-to-month", "One year", "Two year"],
    );
    assert.equal(
      rows.reduce((s, r) => s + Number(r.customers), 0),
      7043,
    );
  },
  "/ tenure-by-outcome": (rows) => {
    assert.equal(
      rows.reduce((s, r) => s + Number(r.customers), 0),
      7043,
    );
    assert.ok(rows.every((r) => Number(r.stayed) + Number(r.churned) === Number(r.customers)));
  },
  "/telco/personas persona-size": (rows) => assert.equal(rows.length, 6),
};

// ------------------------------------------------------------------------------------------------ helpers

/**
 * Runs in the page: every chart of the main content (a Plot figure, a bare Plot svg, or one of our d3 figures with
 * class rl-figure; not their parts such as legends and swatches, nothing inside a downloads toolbar) and what is
 * wrong with its wrapper, if anything.
 * No named inner functions: tsx would wrap them in a helper (__name) that does not exist in the page.
 */
function inspectCharts(): { charts: number; loading: number; problems: string[] } {
  const main = document.querySelector("#observablehq-main") ?? document.querySelector("main") ?? document.body;
  const charts = [...main.querySelectorAll("figure, svg")].filter(
    (el) =>
      /(^|\s)(plot-[0-9a-f]+(-figure)?|rl-figure)(\s|$)/.test(el.getAttribute("class") ?? "") &&
      !el.closest(".rl-downloads") &&
      !el.closest("[class*='-swatch']") &&
      !el.parentElement?.closest("figure, svg"),
  );
  const problems: string[] = [];
  for (const chart of charts) {
    const title =
      chart.querySelector(":scope > h2")?.textContent?.trim() ||
      chart.getAttribute("aria-label") ||
      chart.closest("[aria-label]")?.getAttribute("aria-label") ||
      "(untitled chart)";
    const wrapper = chart.closest(".rl-chart");
    if (!wrapper) {
      problems.push(`"${title}": not in a .rl-chart wrapper (no download buttons)`);
      continue;
    }
    const formats = [...wrapper.querySelectorAll(":scope > .rl-downloads button[data-download]")]
      .map((b) => (b as HTMLElement).dataset.download)
      .sort();
    if (formats.join(",") !== "csv,html,png,svg") problems.push(`"${title}": buttons ${JSON.stringify(formats)}`);
    if (!(wrapper as HTMLElement).dataset.chart) problems.push(`"${title}": wrapper has no data-chart (file name)`);
    const inside = charts.filter((c) => wrapper.contains(c)).length;
    if (inside !== 1) problems.push(`"${title}": its wrapper holds ${inside} charts`);
  }
  const names = [...main.querySelectorAll(".rl-chart")].map((w) => (w as HTMLElement).dataset.chart);
  for (const name of new Set(names)) {
    if (names.filter((n) => n === name).length > 1) problems.push(`two charts download as "${name}"`);
  }
  // Framework's placeholders while a cell is pending; the Embed gallery's previews while they load.
  const loading = main.querySelectorAll("observablehq-loading, .rl-preview > .rl-loading").length;
  return { charts: charts.length, loading, problems };
}

/** Scrolls down a viewport at a time to the end of the page, letting each position paint. */
async function readThrough(page: Page): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const atEnd = await page.evaluate(
      "(() => { window.scrollBy(0, window.innerHeight * 0.8); return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2; })()",
    );
    await page.waitForTimeout(150);
    if (atEnd) return;
  }
}

/** Waits until nothing is loading and the number of charts has stopped changing (at least `min` of them). */
async function settle(page: Page, path: string, min: number): Promise<ReturnType<typeof inspectCharts>> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  let stable = 0;
  for (;;) {
    const state = await page.evaluate(inspectCharts);
    stable = state.loading === 0 && state.charts === last && state.charts >= min ? stable + 1 : 0;
    if (stable >= 3) return state;
    if (Date.now() > deadline)
      assert.fail(`${path}: charts did not settle (${state.charts} charts, at least ${min} expected)`);
    last = state.charts;
    await page.waitForTimeout(250);
  }
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

// The audit endpoint allows 5 beacons a second (bursts of 30) per address: stay under it.
let lastClick = 0;
async function download(wrapper: Locator, format: "svg" | "png" | "csv"): Promise<Download> {
  await new Promise((r) => setTimeout(r, Math.max(0, lastClick + 250 - Date.now())));
  lastClick = Date.now();
  const page = wrapper.page();
  const [saved] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    wrapper.locator(`.rl-downloads button[data-download="${format}"]`).click(),
  ]);
  const status = (await wrapper.locator(".rl-downloads [role=status]").textContent())?.trim();
  assert.equal(status, "", `${format}: the toolbar reports an error`);
  return saved;
}

/** The audit trail's chart_downloaded events: "page chart format" for each. */
async function downloadBeacons(auditDir: string): Promise<string[]> {
  return (await readAuditRecords(auditDir))
    .filter((r) => r.event === "chart_downloaded")
    .map((r) => {
      const detail = r.detail as Record<string, string>;
      return `${r.page} ${detail.chart} ${detail.format}`;
    });
}

// ------------------------------------------------------------------------------------------------ tests

describe("downloads on every chart", () => {
  let site: Site;
  let browser: Browser;
  withSiteAndBrowser((s, b) => {
    [site, browser] = [s, b];
  });

  it("finds the site's pages", () => {
    for (const path of Object.keys(MIN_CHARTS)) assert.ok(pages.includes(path), `${path} is not in dist/`);
  });

  for (const path of pages) {
    it(`${path}: every chart has SVG, PNG and CSV buttons, and its CSV downloads`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const watch = await watchPage(page);
      const query = path === "/telco/customer" ? `?customer=${CUSTOMER}` : "";
      const res = await page.goto(new URL(path.slice(1) + query, site.url).href, { waitUntil: "networkidle" });
      assert.equal(res?.status(), 200);
      // The what-if panel draws its chart once the trees have loaded.
      if (path === "/telco/customer")
        await page.locator("#whatif-result [data-probability][data-changed]").waitFor({ timeout: 60_000 });

      // read the page to its end, as a user would: sections computed when they come into view then draw
      await readThrough(page);
      const state = await settle(page, path, MIN_CHARTS[path] ?? 0);
      assert.deepEqual(state.problems, [], `${path}: ${state.charts} charts`);

      const wrappers = page.locator("#observablehq-main .rl-chart");
      const count = await wrappers.count();
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const wrapper = wrappers.nth(i);
        const name = (await wrapper.getAttribute("data-chart"))!;
        names.push(name);
        const csv = await download(wrapper, "csv");
        assert.equal(csv.suggestedFilename(), `${name}.csv`);
        const [header, ...rows] = parseCsv(await readFile((await csv.path())!, "utf8"));
        const what = `${path} ${name}.csv`;
        assert.ok(header && header.length > 0, `${what}: no header row`);
        for (const column of header) assert.match(column, /^[a-z][a-z0-9_]*$/, `${what}: column "${column}"`);
        assert.equal(new Set(header).size, header.length, `${what}: repeated column in ${header}`);
        const expected = HEADERS.find(([pattern]) => pattern.test(name))?.[1];
        if (expected) assert.deepEqual(header, expected, `${what}: header`);
        assert.ok(rows.length >= 1, `${what}: no data row`);
        for (const [r, row] of rows.entries()) {
          assert.equal(row.length, header.length, `${what}: row ${r + 1} has ${row.length} fields`);
          for (const cell of row) assert.doesNotMatch(cell, /^(undefined|null|NaN|\[object \w+\])$/, `${what}: cell`);
        }
        CHECKS[`${path} ${name}`]?.(rows.map((row) => Object.fromEntries(header.map((h, j) => [h, row[j]!]))));
      }
      assert.ok(count >= (MIN_CHARTS[path] ?? 0), `${path}: ${count} charts with downloads`);

      if (count > 0) {
        // One chart per page as it is shown: a standalone SVG document, and a PNG of it.
        const first = wrappers.first();
        const svg = await readFile((await (await download(first, "svg")).path())!, "utf8");
        assert.match(svg, /^<\?xml[^>]*>\s*<svg[\s>]/, `${path}: ${names[0]}.svg`);
        const png = await readFile((await (await download(first, "png")).path())!);
        assert.equal(png.subarray(1, 4).toString("latin1"), "PNG", `${path}: ${names[0]}.png`);
      }

      // Downloads are audited on the site's pages (the Embed gallery shows the modules, which report nothing).
      if (path !== "/embed" && count > 0) {
        const wanted = names.map((n) => `${path} ${n} csv`);
        const deadline = Date.now() + 5000;
        let missing = wanted;
        while (missing.length && Date.now() < deadline) {
          const seen = new Set(await downloadBeacons(site.auditDir));
          missing = wanted.filter((w) => !seen.has(w));
          if (missing.length) await page.waitForTimeout(100);
        }
        assert.deepEqual(missing, [], `${path}: downloads missing from the audit log`);
      }

      assert.deepEqual(watch.problems(), [], path);
      await page.close();
    });
  }
});
