/**
 * Benchmark of every page's first load (a benchmark, not a test: numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-pages.ts [--dist DIR] [--runs N]
 *
 * Serves the built site with the browser tests' NGINX and opens each page in a fresh browser context (a cold cache)
 * at 1440 × 900, N times (default 3). Per page, as the median over the runs: the time from navigation to the first
 * chart on screen (the first SVG inside a chart wrapper, .rl-chart), the bytes transferred by then (Resource
 * Timing, compressed as sent), and the bytes transferred once the network is idle; and whether DuckDB-WASM or ONNX
 * Runtime's WASM was fetched. The load average at the start is printed: above 1 on 2 cores, other work shared them.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { launchBrowser, startSite } from "../tests/browser/harness.js";

const { values: args } = parseArgs({
  options: { dist: { type: "string", default: "dist" }, runs: { type: "string", default: "3" } },
});
const RUNS = Number(args.runs);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error(`invalid --runs ${args.runs}`);

const entries = await readdir(args.dist!, { recursive: true, withFileTypes: true });
const pages = entries
  .filter((e) => e.isFile() && e.name.endsWith(".html"))
  .map((e) => join(e.parentPath, e.name).slice(args.dist!.length + 1))
  .filter((f) => f !== "404.html" && !f.startsWith("embed/"))
  .map((f) => (f === "index.html" ? "" : f.slice(0, -".html".length)))
  .sort();

/** Runs in the page (a string: functions compiled by the test runner may use helpers the page lacks). */
const BYTES = `performance.getEntriesByType("resource").reduce((a, r) => a + (r.transferSize || 0), 0)`;
const ENGINES = `performance.getEntriesByType("resource").map((r) => r.name).filter((n) => /duckdb|ort-wasm/.test(n)).map((n) => n.split("/").pop().replace(/\\.[0-9a-f]{8}\\./, "."))`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const site = await startSite({ dist: args.dist });
const browser = await launchBrowser();
process.stdout.write(`load average ${loadavg()[0].toFixed(2)}; ${RUNS} cold loads per page, medians\n`);
process.stdout.write(
  "| page | first chart | bytes by first chart | bytes at idle | WASM engines fetched |\n| --- | --- | --- | --- | --- |\n",
);
try {
  for (const path of pages) {
    const first: number[] = [];
    const early: number[] = [];
    const idle: number[] = [];
    let engines: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(new URL(path, site.url).href);
      // a page may have no chart until the user acts (the customer page before a customer is chosen)
      const drawn = await page
        .locator(".rl-chart svg")
        .first()
        .waitFor({ timeout: 30_000 })
        .then(() => true)
        .catch(() => false);
      if (drawn) {
        first.push(Date.now() - started);
        early.push((await page.evaluate(BYTES)) as number);
      }
      await page.waitForLoadState("networkidle");
      idle.push((await page.evaluate(BYTES)) as number);
      engines = (await page.evaluate(ENGINES)) as string[];
      await context.close();
    }
    const mb = (x: number) => `${(x / 1e6).toFixed(2)} MB`;
    process.stdout.write(
      `| /${path} | ${first.length ? `${(median(first) / 1000).toFixed(2)} s` : "no chart before a user action"} | ${early.length ? mb(median(early)) : "–"} | ${mb(median(idle))} | ${[...new Set(engines)].join(", ") || "none"} |\n`,
    );
  }
} finally {
  await browser.close();
  await site.stop();
}
