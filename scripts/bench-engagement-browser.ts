/**
 * Benchmark of the engagement dashboard (/telco/engagement) in Chromium against a built site: a benchmark, not a test
 * (numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-engagement-browser.ts [--dist DIR] [--updates N]
 *
 * Reports, cold cache (a new browser context): the time from navigation to the first chart and to all eight, and the
 * bytes transferred before the first chart; then N filter changes (default 40, after 4 warm-ups), each a click on a
 * chart's bucket button that toggles it (contract, persona, support calls and tenure in turn). Per change: click →
 * every chart redrawn (synchronous: the filter and the eight charts), click → the headline count changed (Framework's
 * reactive cell), and click → the next animation frame after that (what the user sees), as median and p95.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { launchBrowser, startSite, watchPage } from "../tests/browser/harness.js";
import { ENGAGEMENT_CHARTS } from "./bench/interactions.js";
import { quantile } from "./bench/stats.js";

const { values: args } = parseArgs({
  options: { dist: { type: "string", default: "dist" }, updates: { type: "string", default: "40" } },
});
const updates = Number(args.updates);
if (!Number.isInteger(updates) || updates < 1)
  throw new Error(`--updates ${args.updates}: expected a whole number ≥ 1`);

const ms = (v: number) => `${v.toFixed(2)} ms`;

interface Sample {
  charts: number;
  count: number;
  frame: number;
}

/** Runs in the page (as text: tsx would add helpers the page lacks to a function passed as code). */
const MEASURE = `async (n, names) => {
  const buttons = names.map((name) => document.querySelector('.rl-chart[data-chart="' + name + '"] .rl-linked-buttons button'));
  const count = () => document.querySelector('[data-testid="filtered-count"]')?.getAttribute("data-value");
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const out = [];
  for (let i = 0; i < n + 4; i++) {
    await frame();
    const before = count();
    const t0 = performance.now();
    buttons[i % buttons.length].click();
    const charts = performance.now() - t0;
    while (count() === before && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 0));
    const changed = performance.now() - t0;
    const painted = (await frame()) - t0;
    if (i >= 4) out.push({ charts, count: changed, frame: painted });
  }
  return out;
}`;

const site = await startSite({ dist: args.dist });
const browser = await launchBrowser();
try {
  const load = loadavg()[0]!;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(new URL("telco/engagement", site.url).href, { waitUntil: "commit" });
  await page.locator("figure[data-total]").first().waitFor({ timeout: 60_000 });
  const first = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const bytes = performance
      .getEntriesByType("resource")
      .reduce((s, e) => s + (e as PerformanceResourceTiming).transferSize, nav.transferSize);
    return { at: performance.now(), bytes };
  });
  await page.waitForFunction(() => document.querySelectorAll("figure[data-total]").length === 8, undefined, {
    timeout: 60_000,
  });
  const all = await page.evaluate(() => performance.now());
  await page.waitForLoadState("networkidle");

  const samples = (await page.evaluate(`(${MEASURE})(${updates}, ${JSON.stringify(ENGAGEMENT_CHARTS)})`)) as Sample[];

  process.stdout.write(`engagement dashboard (${args.dist}), 1-minute load average ${load.toFixed(2)}\n`);
  process.stdout.write(
    `  first chart ${ms(first.at)} after navigation (${(first.bytes / 1e6).toFixed(2)} MB transferred by then); all eight ${ms(all)}\n`,
  );
  for (const key of ["charts", "count", "frame"] as const) {
    const xs = samples.map((s) => s[key]);
    const what = {
      charts: "click → eight charts redrawn",
      count: "click → headline count updated",
      frame: "click → next frame",
    }[key];
    process.stdout.write(
      `  ${what}: median ${ms(quantile(xs, 0.5)!)}, p95 ${ms(quantile(xs, 0.95)!)} (${xs.length} changes)\n`,
    );
  }
  const problems = watch.problems();
  if (problems.length) process.stdout.write(`  problems: ${problems.join("; ")}\n`);
  await context.close();
} finally {
  await browser.close();
  await site.stop();
}
