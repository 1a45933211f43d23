/**
 * Embeds against the production build (issue #8): a plain HTML report served from another loopback port imports the
 * exported modules and frames the views; both show the same numbers as the site's own pages, with no console
 * error. A page on an origin that is not on the allow-list is refused (no frame, no module). The downloads under a
 * chart are real files: SVG with its size and marks, PNG at twice that size, CSV with its header row.
 *   DIST=<built site> node --import tsx --test tests/browser/embed.test.ts
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Download, Page } from "playwright-core";
import { freePort, launchBrowser, startSite, watchPage, TEMPLATE_DEFAULTS, type Site } from "./harness.js";

const CUSTOMER = "3668-QPYBK"; // a month-to-month customer who churned (IBM file, row 3)

/** The six views as a host page would use them, each in its own element, plus three iframes. */
function reportHtml(site: string): string {
  const calls: [string, string, string][] = [
    ["risk-distribution", "RiskDistribution", "{dataset: 'telco'}"],
    ["global-shap", "GlobalShap", "{dataset: 'telco', top: 12}"],
    ["customer-waterfall", "CustomerWaterfall", `{customer: '${CUSTOMER}'}`],
    ["profit-curve", "ProfitCurve", "{}"],
    ["ab-comparison", "AbComparison", "{}"],
    ["business-matrix", "BusinessMatrix", "{width: 640}"],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quarterly churn report</title>
<link rel="icon" href="data:,"></head>
<body style="font-family: serif; max-width: 900px; margin: 2rem auto">
<h1>Quarterly churn report</h1>
${calls.map(([id]) => `<section><h2>${id}</h2><div id="${id}"></div></section>`).join("\n")}
<iframe id="frame-profit" src="${site}embed/profit-curve" title="Profit curve" width="860" height="420"></iframe>
<iframe id="frame-waterfall" src="${site}embed/customer-waterfall?customer=${CUSTOMER}" title="Waterfall" width="860" height="420"></iframe>
<iframe id="frame-bad" src="${site}embed/profit-curve?ltv=abc" title="Bad option" width="860" height="200"></iframe>
<script type="module">
${calls.map(([id, name]) => `import {${name}} from "${site}embed/${id}.js";`).join("\n")}
window.rendered = Promise.allSettled([
${calls.map(([id, name, args]) => `  ${name}(${args}).then((node) => document.getElementById("${id}").append(node)),`).join("\n")}
]).then((results) => results.map((r) => r.status === "fulfilled" ? "ok" : String(r.reason)));
</script>
</body></html>`;
}

/** A plain static server for one HTML page: the "report" outside the site. */
async function startHost(port: number, html: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === "/report.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html());
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, server };
}

const summary = async (page: Page, selector: string) =>
  JSON.parse((await page.locator(`${selector} .rl-chart[data-summary]`).first().getAttribute("data-summary"))!);

describe("embeds", () => {
  let site: Site;
  let browser: Browser;
  let host: { url: string; server: Server };
  let stranger: { url: string; server: Server };
  let siteUrl: string;

  before(async () => {
    const [hostPort, strangerPort] = [await freePort(), await freePort()];
    site = await startSite({
      dist: process.env.DIST,
      env: { ...TEMPLATE_DEFAULTS, EMBED_ORIGINS: `https://wiki.example.com http://127.0.0.1:${hostPort}` },
    });
    siteUrl = site.url;
    host = await startHost(hostPort, () => reportHtml(siteUrl));
    stranger = await startHost(strangerPort, () => reportHtml(siteUrl));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    host?.server.close();
    stranger?.server.close();
  });

  /** Every view's data-summary on the site's own pages. */
  async function siteSummaries(): Promise<Record<string, Record<string, unknown>>> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    const out: Record<string, Record<string, unknown>> = {};
    const visit = async (path: string, views: [string, string][]) => {
      await page.goto(new URL(path, siteUrl).href, { waitUntil: "networkidle" });
      for (const [view, selector] of views) {
        await page.locator(`${selector} .rl-chart[data-summary]`).first().waitFor({ timeout: 60_000 });
        out[view] = await summary(page, selector);
      }
      // Leave the customer page only once the what-if is scored (its trees loaded): leaving mid-download aborts
      // the request, which the watcher rightly counts as a failed request.
      if (path.startsWith("telco/customer"))
        await page.locator("#whatif-result [data-probability][data-changed]").waitFor({ timeout: 60_000 });
    };
    await visit("./", [["risk-distribution", "#risk-telco"]]);
    await visit("models", [["global-shap", "#global-shap"]]);
    await visit(`telco/customer?customer=${CUSTOMER}`, [["customer-waterfall", "#why"]]);
    await visit("food/retention", [
      ["profit-curve", "#profit-curve"],
      ["business-matrix", "#matrix"],
    ]);
    await visit("telco/ab-test", [["ab-comparison", "#ab-comparison"]]);
    assert.deepEqual(watch.problems(), []);
    await page.close();
    return out;
  }

  it("a report on an allow-listed origin shows every module and frame, with the site's numbers", async () => {
    const expected = await siteSummaries();
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, acceptDownloads: true });
    const watch = await watchPage(page);
    await page.addInitScript(() => {
      const sizes: unknown[] = [];
      (window as unknown as { sizes: unknown[] }).sizes = sizes;
      addEventListener("message", (e) => e.data?.type === "retention-lab:embed-size" && sizes.push(e.data));
    });
    // The frame with a bad option reports it as text (an expected, visible error, not a console error).
    await page.goto(`${host.url}report.html`);
    const results = await page.evaluate(() => (window as unknown as { rendered: Promise<string[]> }).rendered);
    assert.deepEqual(results, ["ok", "ok", "ok", "ok", "ok", "ok"]);

    const got: Record<string, Record<string, unknown>> = {};
    for (const view of Object.keys(expected)) got[view] = await summary(page, `#${view}`);
    assert.deepEqual(got["risk-distribution"], expected["risk-distribution"]);
    assert.deepEqual(got["customer-waterfall"], expected["customer-waterfall"]);
    assert.deepEqual(got["ab-comparison"], expected["ab-comparison"]);
    assert.deepEqual(got["business-matrix"], expected["business-matrix"]);
    // The page opens at the optimum, the embed's default policy: the same curve, optimum and churn-ranked optimum.
    const pageCurve = expected["profit-curve"];
    assert.deepEqual(got["profit-curve"], pageCurve);
    // The Models page lists every feature; the embed asked for the top 12 (in the same order, same values).
    const siteFeatures = expected["global-shap"].features as [string, number][];
    assert.deepEqual(got["global-shap"].features, siteFeatures.slice(0, 12));

    // The matrix reads the same, cell by cell, as on the Retention page.
    const cells = await page.locator("#business-matrix td[data-cell]").allInnerTexts();
    assert.equal(cells.length, 5);
    assert.match(cells[0], /^Saved: accept and stay\s+[\d,]+ customers/);

    // The frames render the same views (the iframe is the site's own page, configured by its URL).
    // (Chromium does not render frames scrolled out of view: bring each into view first.)
    await page.locator("#frame-profit").scrollIntoViewIfNeeded();
    const profitFrame = page.frameLocator("#frame-profit");
    await profitFrame.locator(".rl-chart[data-summary]").waitFor({ timeout: 60_000 });
    assert.deepEqual(JSON.parse((await profitFrame.locator(".rl-chart").getAttribute("data-summary"))!), pageCurve);
    await page.locator("#frame-waterfall").scrollIntoViewIfNeeded();
    const waterfallFrame = page.frameLocator("#frame-waterfall");
    await waterfallFrame.locator(".rl-chart[data-summary]").waitFor({ timeout: 60_000 });
    assert.deepEqual(
      JSON.parse((await waterfallFrame.locator(".rl-chart").getAttribute("data-summary"))!),
      expected["customer-waterfall"],
    );
    assert.equal(
      await profitFrame.locator("#observablehq-sidebar, #observablehq-header, #observablehq-footer").count(),
      0,
    );
    await page.locator("#frame-bad").scrollIntoViewIfNeeded();
    const error = page.frameLocator("#frame-bad").locator(".rl-embed-error");
    assert.match(await error.innerText(), /option "ltv" is "abc": expected a number from 50 to 10000/);

    // The frames report their content height to the host page (collected from the start, see addInitScript).
    await page.waitForFunction(() => (window as unknown as { sizes: unknown[] }).sizes.length >= 2);
    const sizes = await page.evaluate(() => (window as unknown as { sizes: { view: string; height: number }[] }).sizes);
    const profitHeight = sizes.filter((m) => m.view === "profit-curve").map((m) => m.height);
    assert.ok(
      profitHeight.some((h) => h > 300 && h < 1200),
      `reported heights ${JSON.stringify(sizes)}`,
    );

    // A download from an embedded module works on the host page too.
    const download = await downloadOf(page, "#profit-curve", "csv");
    assert.equal(download.suggestedFilename(), "profit-curve.csv");
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("a page on an origin that is not on the allow-list can neither frame a view nor import a module", async () => {
    const page = await browser.newPage();
    const watch = await watchPage(page);
    await page.goto(`${stranger.url}report.html`);
    const results = await page.evaluate(() =>
      Promise.race([
        (window as unknown as { rendered?: Promise<string[]> }).rendered ?? Promise.resolve("module never ran"),
        new Promise((resolve) => setTimeout(() => resolve("module never ran"), 5000)),
      ]),
    );
    // The import itself fails (no Access-Control-Allow-Origin), so the module script never runs.
    assert.equal(results, "module never ran");
    assert.equal(await page.locator(".rl-chart").count(), 0);
    // The frame is blocked by frame-ancestors: its document never loads the view.
    const frame = page.frames().find((f) => f.name() === "" && f !== page.mainFrame() && /profit-curve$/.test(f.url()));
    const framed = frame
      ? await frame
          .locator(".rl-chart")
          .count()
          .catch(() => 0)
      : 0;
    assert.equal(framed, 0);
    const refusals = [...watch.cspViolations, ...watch.consoleErrors, ...watch.failedRequests].join("\n");
    assert.match(refusals, /frame-ancestors|Refused to frame/i, refusals);
    assert.match(refusals, /CORS|Access-Control-Allow-Origin|ERR_FAILED/i, refusals);
    await page.close();
  });

  it("the server answers CORS and frame-ancestors by the allow-list", async () => {
    const ask = (path: string, origin?: string) =>
      fetch(new URL(path, siteUrl), { headers: origin ? { origin } : {} }).then((r) => r.headers);
    const allowed = host.url.replace(/\/$/, "");
    const other = stranger.url.replace(/\/$/, "");
    assert.equal((await ask("embed/profit-curve.js", allowed)).get("access-control-allow-origin"), allowed);
    assert.equal(
      (await ask("embed/profit-curve.js", "https://wiki.example.com")).get("access-control-allow-origin"),
      "https://wiki.example.com",
    );
    assert.equal((await ask("embed/profit-curve.js", other)).get("access-control-allow-origin"), null);
    assert.equal(
      (await ask("embed/profit-curve.js", `${allowed}.evil.example`)).get("access-control-allow-origin"),
      null,
    );
    assert.equal((await ask("embed/profit-curve.js")).get("access-control-allow-origin"), null);
    assert.match((await ask("embed/profit-curve.js", allowed)).get("vary") ?? "", /Origin/);
    const frameAncestors = async (path: string) =>
      (await ask(path))
        .get("content-security-policy")!
        .match(/frame-ancestors ([^;]*)/)![1]
        .trim()
        .split(/\s+/);
    assert.deepEqual(await frameAncestors("embed/profit-curve"), ["'self'", "https://wiki.example.com", allowed]);
    assert.deepEqual(await frameAncestors("food/retention"), ["'self'"]);
    assert.deepEqual(await frameAncestors("embed"), ["'self'"]);
  });

  it("downloads: SVG and PNG of the chart as shown, CSV of the data behind it", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const watch = await watchPage(page);
    await page.goto(new URL("food/retention", siteUrl).href);
    await page.locator("#profit-curve .rl-chart").waitFor({ timeout: 60_000 });

    const svgText = await readDownload(await downloadOf(page, "#profit-curve", "svg"));
    const [, w, h] = svgText.match(/<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
    assert.ok(w >= 320 && h >= 200, `svg ${w}×${h}`);
    assert.match(svgText, /Expected campaign profit by customers targeted/);
    assert.match(svgText, /<path/);
    assert.ok(!svgText.includes("var(--"), "CSS variables are resolved to colours");
    assert.match(svgText, /chosen = optimum: [\d,]+, ₹[\d.]+ lakh/);
    assert.match(svgText, /Economics: coupon paid only when redeemed/); // the file states what it was made with

    const png = await readDownloadBytes(await downloadOf(page, "#profit-curve", "png"));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2 * w, 2 * h], "PNG at twice the SVG size");
    assert.ok(png.length > 10_000, `PNG has content (${png.length} bytes)`);

    const csv = (await readDownload(await downloadOf(page, "#profit-curve", "csv"))).split("\r\n");
    assert.equal(
      csv[0],
      "customers_targeted,share_targeted,expected_profit_by_expected_profit_inr,expected_profit_by_churn_probability_inr," +
        "cost_model,value,offer_cost,contact_cost,acceptance",
    );
    assert.equal(csv.filter(Boolean).length, 1 + 401);
    const curve = JSON.parse((await page.locator("#profit-curve .rl-chart").getAttribute("data-summary"))!);
    const best = Math.max(
      ...csv
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split(",")[2])),
    );
    assert.ok(
      best <= curve.optimumProfit + 1e-6 && best > 0.97 * curve.optimumProfit,
      `${best} vs ${curve.optimumProfit}`,
    );

    // The matrix is a table on screen; its SVG draws the same cells, its CSV has one row per cell.
    const matrixSvg = await readDownload(await downloadOf(page, "#matrix", "svg"));
    for (const cell of await page.locator("#matrix td .rl-matrix-label").allInnerTexts())
      assert.ok(matrixSvg.includes(cell), cell);
    const matrixCsv = (await readDownload(await downloadOf(page, "#matrix", "csv"))).trim().split("\r\n");
    assert.equal(matrixCsv[0], "cell,would_churn,targeted,customers,value_inr,cost_inr,net_inr,basis,parameters");
    assert.deepEqual(
      matrixCsv.slice(1).map((l) => l.split(",")[0]),
      ["saved", "lost_despite_offer", "missed_churners", "wasted_offers", "correctly_ignored", "profit"],
    );
    // the nets add up to the profit row, and every row states the economics and the policy
    const nets = matrixCsv.slice(1, -1).map((l) => Number(l.split(",")[6]));
    const profit = Number(matrixCsv.at(-1)!.split(",")[6]);
    assert.ok(Math.abs(nets.reduce((a, b) => a + b, 0) - profit) < 0.05, `${nets} vs ${profit}`);
    assert.match(matrixCsv[1], /Economics: coupon paid only when redeemed.*Policy: the top [\d,]+ of 20,000/);
    // the PNG is as wide as the SVG drawn for it (nothing clipped on the right)
    const [, mw] = matrixSvg.match(/<svg[^>]* width="(\d+)"/)!.map(Number);
    const matrixPng = await readDownloadBytes(await downloadOf(page, "#matrix", "png"));
    assert.equal(matrixPng.readUInt32BE(16), 2 * mw);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});

async function downloadOf(page: Page, selector: string, format: "svg" | "png" | "csv"): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    page.locator(`${selector} .rl-downloads button[data-download="${format}"]`).first().click(),
  ]);
  return download;
}

async function readDownload(download: Download): Promise<string> {
  return readFile(await download.path(), "utf8");
}

async function readDownloadBytes(download: Download): Promise<Buffer> {
  return readFile(await download.path());
}
