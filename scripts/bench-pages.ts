/**
 * Benchmark of every page's first load (a benchmark, not a test: numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-pages.ts [--dist DIR] [--runs N] [--page PATH ...]
 *
 * Serves the built site with the browser tests' NGINX and loads each page N times (default 3), each cold
 * (scripts/bench/page-load.ts: first chart, bytes before it, settled, bytes in all), and prints the medians; whether
 * DuckDB-WASM or ONNX Runtime's WASM was fetched. The load average at the start is printed: above 1 on 2 cores, other
 * work shared them. `--page telco/personas` (repeatable; "/" for the Overview) measures only those pages.
 * scripts/bench-scale.ts does the same for sites at several base sizes.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { launchBrowser, startSite } from "../tests/browser/harness.js";
import { measureLoad, pagesOf, type PageLoad } from "./bench/page-load.js";
import { markdownTable, median, megabytes, seconds } from "./bench/stats.js";

const { values: args } = parseArgs({
  options: {
    dist: { type: "string", default: "dist" },
    runs: { type: "string", default: "3" },
    page: { type: "string", multiple: true },
  },
});
const RUNS = Number(args.runs);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error(`invalid --runs ${args.runs}`);

const pages = (await pagesOf(args.dist!)).filter(
  (p) => !args.page || args.page.some((q) => q.replace(/^\//, "") === p),
);
if (!pages.length) throw new Error(`no page of ${args.dist} matches --page ${args.page?.join(" ")}`);

const site = await startSite({ dist: args.dist });
const browser = await launchBrowser();
process.stdout.write(`load average ${loadavg()[0]!.toFixed(2)}; ${RUNS} cold loads per page, medians\n`);
const rows: string[][] = [];
try {
  for (const path of pages) {
    const loads: PageLoad[] = [];
    for (let run = 0; run < RUNS; run++) loads.push(await measureLoad(browser, new URL(path, site.url).href));
    const charted = loads.filter((l) => l.firstChartMs !== null);
    rows.push([
      `/${path}`,
      charted.length ? seconds(median(charted.map((l) => l.firstChartMs!))) : "no chart before a user action",
      charted.length ? megabytes(median(charted.map((l) => l.bytesBeforeChart!))) : "–",
      seconds(median(loads.map((l) => l.settledMs))),
      megabytes(median(loads.map((l) => l.bytesSettled))),
      [...new Set(loads.flatMap((l) => l.engines))].join(", ") || "none",
    ]);
  }
} finally {
  await browser.close();
  await site.stop();
}
const header = ["page", "first chart", "bytes by first chart", "settled", "bytes in all", "WASM engines fetched"];
process.stdout.write(`${markdownTable(header, rows, [1, 2, 3, 4])}\n`);
