/**
 * Benchmark of the Retention page (/food/retention) in Chromium, for one or more built sites: a benchmark, not a test
 * (numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-retention-browser.ts [--dist DIR …] [--updates N] [--timeout S]
 *
 * For each built site (default dist/, e.g. one built with FOOD_N=1000000): serve it with the browser tests' NGINX,
 * open /food/retention at 1440 × 900 and report
 *   - the customers on the page and the bytes transferred until the decision is drawn, and that time;
 *   - per kind of input (the offer cost, the contact cost, the acceptance, an arrow key on the curve), N updates after
 *     2 warm-ups, as median and p95:
 *       script   the input event's handler (the campaign's arithmetic and the in-place redraw of curve, matrix, answer),
 *       frame    the animation frame that shows the update: from the first frame callback after the input to the next
 *                one (style, layout and paint included); at 60 Hz an update that fits in one frame measures 16.7 ms,
 *       total    input → the start of the frame after the one that showed it (what a user waits, at most).
 * The load average when a site's measurement starts is printed: a figure above 1 on 2 cores means other work shared
 * the machine and inflates the timings.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { launchBrowser, startSite, watchPage } from "../tests/browser/harness.js";
import { RETENTION_RANGES } from "./bench/interactions.js";

const { values: args } = parseArgs({
  options: {
    dist: { type: "string", multiple: true },
    updates: { type: "string", default: "20" },
    timeout: { type: "string", default: "600" },
  },
});
const DISTS = args.dist?.length ? args.dist : ["dist"];
const UPDATES = Number(args.updates);
const TIMEOUT_MS = 1000 * Number(args.timeout);
if (!Number.isInteger(UPDATES) || UPDATES < 1) throw new Error(`invalid --updates ${args.updates}`);
if (!(TIMEOUT_MS > 0)) throw new Error(`invalid --timeout ${args.timeout}`);

/**
 * Runs in the page (a string: the test runner's compiled functions may reference helpers the page lacks). Sets the
 * input to each value and times the handler and the frames that follow.
 */
const MEASURE = `async ({ selector, values, key }) => {
  const el = document.querySelector(selector);
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const out = [];
  for (const v of values) {
    await frame();
    const t0 = performance.now();
    if (key) el.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    else {
      el.value = String(v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const t1 = performance.now();
    const f1 = await frame();
    const f2 = await frame();
    out.push({ script: t1 - t0, frame: f2 - f1, total: f2 - t0 });
  }
  return out;
}`;

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1].toFixed(1)} ms, p95 ${s[Math.min(s.length - 1, Math.floor(0.95 * s.length))].toFixed(1)} ms`;
};

for (const dist of DISTS) {
  const site = await startSite({ dist });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(TIMEOUT_MS);
    const watch = await watchPage(page);
    process.stdout.write(`\n${dist}: load average ${loadavg()[0].toFixed(2)}\n`);
    const started = Date.now();
    await page.goto(new URL("food/retention", site.url).href);
    await page.locator("#matrix table").waitFor();
    const loadMs = Date.now() - started;
    const { customers, bytes } = (await page.evaluate(`({
      customers: document.querySelector("#profit-curve svg[role=slider]").getAttribute("aria-valuemax"),
      bytes: performance.getEntriesByType("resource").reduce((a, r) => a + (r.transferSize || 0), 0),
    })`)) as { customers: string; bytes: number };
    process.stdout.write(
      `  ${Number(customers).toLocaleString("en-US")} customers; decision drawn ${(loadMs / 1000).toFixed(1)} s after ` +
        `navigation; ${(bytes / 1e6).toFixed(1)} MB transferred by then\n`,
    );
    const values = (f: (k: number) => number) => Array.from({ length: UPDATES + 2 }, (_, k) => f(k + 1));
    const runs = [
      ...RETENTION_RANGES.map(async (input) => {
        const id = await page.getByLabel(input.label, { exact: true }).getAttribute("id");
        return { name: input.name, args: { selector: `#${id}`, values: values(input.value), key: null } };
      }),
      Promise.resolve({
        name: "curve: arrow key",
        args: { selector: '#profit-curve svg[role="slider"]', values: values((k) => k), key: "ArrowLeft" },
      }),
    ];
    for (const run of runs) {
      const { name, args: a } = await run;
      const timings = (await page.evaluate(`(${MEASURE})(${JSON.stringify(a)})`)) as {
        script: number;
        frame: number;
        total: number;
      }[];
      const measured = timings.slice(2);
      process.stdout.write(
        `  ${name.padEnd(17)} script ${stat(measured.map((t) => t.script))}; frame ${stat(measured.map((t) => t.frame))}; ` +
          `total ${stat(measured.map((t) => t.total))}\n`,
      );
    }
    const problems = watch.problems();
    if (problems.length) process.stdout.write(`  problems: ${JSON.stringify(problems)}\n`);
  } catch (error) {
    process.stdout.write(`  failed: ${(error as Error).message}\n`);
  } finally {
    await browser.close();
    await site.stop();
  }
}
