/**
 * Benchmark of the customer page (/telco/customer) in Chromium against a built site: a benchmark, not a test
 * (numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-customer-browser.ts [--dist DIR] [--runs N] [--edits N]
 *
 * Cold loads (a new browser context each, N runs, default 3, medians) of the page with a customer in the URL: the
 * time from navigation to the first view (the finder table, the customer's decision, nudge and waterfall all drawn)
 * and the bytes transferred by then (Resource Timing: compressed, as NGINX sends them), whether ONNX Runtime was
 * fetched by then, and the bytes once the network is idle; the same for the page with no customer (the finder
 * only). Then, at 1440 and 375 px, `--edits` what-if edits (default 40, after 4 warm-ups) of the tenure field: per
 * edit (dispatched at the start of a frame), input → the what-if result replaced, and input → the next animation frame
 * after it (what the user sees), as median and p95, and how many edits were painted in the very next frame (an
 * update that takes longer than the frame delays it: 33 ms).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { launchBrowser, startSite, watchPage } from "../tests/browser/harness.js";

const { values: args } = parseArgs({
  options: {
    dist: { type: "string", default: "dist" },
    runs: { type: "string", default: "3" },
    edits: { type: "string", default: "40" },
  },
});
const RUNS = Number(args.runs);
const EDITS = Number(args.edits);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error(`--runs ${args.runs}: expected a whole number ≥ 1`);
if (!(Number.isInteger(EDITS) && EDITS >= 1)) throw new Error(`--edits ${args.edits}: expected a whole number ≥ 1`);

const CUSTOMER = "7590-VHVEG";
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const mb = (x: number) => `${(x / 1e6).toFixed(2)} MB`;

/** Runs in the page (as text: tsx would add helpers the page lacks to a function passed as code). */
const BYTES = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {
    at: performance.now(),
    bytes: resources.reduce((s, e) => s + (e.transferSize || 0), nav ? nav.transferSize : 0),
    ort: resources.some((e) => /ort-wasm|onnxruntime/.test(e.name)),
  };
})()`;

/** One what-if edit after another (tenure alternating), timed to the result's replacement and the next frame. */
const EDIT = `async (n) => {
  const input = document.querySelector("#whatif-tenure");
  const result = document.querySelector("#whatif-result");
  const frame = () => new Promise((r) => requestAnimationFrame((at) => r(at)));
  const scored = () => result.querySelector("[data-changed]");
  const out = [];
  for (let i = 0; i < n + 4; i++) {
    const start = await frame();
    const before = scored();
    const replaced = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const now = scored();
        if (now && now !== before && now.getAttribute("data-changed") !== "") {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(result, { childList: true, subtree: true });
    });
    const t0 = performance.now();
    input.value = String(10 + (i % 2) * 20 + (i % 7));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const updated = (await replaced) - t0;
    const next = await frame();
    // Frames from the one the input came in to the first after the result: 1 = the very next frame.
    if (i >= 4) out.push({ updated, painted: next - t0, frames: Math.round((next - start) / (1000 / 60)) });
  }
  return out;
}`;

interface Load {
  first: number;
  bytes: number;
  ort: boolean;
  idle: number;
}

const site = await startSite({ dist: args.dist });
const browser = await launchBrowser();
const problems: string[] = [];
try {
  process.stdout.write(`customer page (${args.dist}), 1-minute load average ${loadavg()[0]!.toFixed(2)}\n`);
  const views = {
    "with a customer (?id=)": { path: `telco/customer?id=${CUSTOMER}`, ready: "#why .rl-waterfall svg" },
    "no customer (the finder)": { path: "telco/customer", ready: ".rl-customer-table tbody tr" },
  };
  for (const [name, view] of Object.entries(views)) {
    const loads: Load[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const watch = await watchPage(page);
      await page.goto(new URL(view.path, site.url).href, { waitUntil: "commit" });
      await page.locator(view.ready).first().waitFor({ timeout: 60_000 });
      if (view.ready.startsWith("#why")) {
        await page.locator("#customer-nudge blockquote, #customer-nudge .rl-message").first().waitFor();
        await page.locator(".rl-customer-table tbody tr").first().waitFor();
      }
      const first = (await page.evaluate(BYTES)) as { at: number; bytes: number; ort: boolean };
      await page.waitForLoadState("networkidle");
      const idle = (await page.evaluate(BYTES)) as { bytes: number };
      loads.push({ first: first.at, bytes: first.bytes, ort: first.ort, idle: idle.bytes });
      problems.push(...watch.problems());
      await context.close();
    }
    const med = (key: "first" | "bytes" | "idle") =>
      quantile(
        loads.map((l) => l[key]),
        0.5,
      );
    process.stdout.write(
      `  ${name}: first view ${(med("first") / 1000).toFixed(2)} s after navigation, ${mb(med("bytes"))} by then ` +
        `(ONNX Runtime fetched by then: ${loads.some((l) => l.ort) ? "yes" : "no"}), ${mb(med("idle"))} at idle ` +
        `(${RUNS} cold loads, medians)\n`,
    );
  }
  for (const width of [1440, 375]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const watch = await watchPage(page);
    await page.goto(new URL(`telco/customer?id=${CUSTOMER}`, site.url).href);
    await page.locator("#whatif-result [data-changed]").first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    const samples = (await page.evaluate(`(${EDIT})(${EDITS})`)) as {
      updated: number;
      painted: number;
      frames: number;
    }[];
    for (const key of ["updated", "painted"] as const) {
      const xs = samples.map((s) => s[key]);
      const what = key === "updated" ? "input → what-if result replaced" : "input → next frame";
      process.stdout.write(
        `  at ${width} px, ${what}: median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms ` +
          `(${xs.length} edits)\n`,
      );
    }
    const next = samples.filter((s) => s.frames <= 1).length;
    process.stdout.write(
      `  at ${width} px, painted in the frame after the input's: ${next} of ${samples.length} edits\n`,
    );
    problems.push(...watch.problems());
    await context.close();
  }
  if (problems.length) process.stdout.write(`  problems: ${[...new Set(problems)].join("; ")}\n`);
} finally {
  await browser.close();
  await site.stop();
}
