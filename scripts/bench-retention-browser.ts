/**
 * Benchmark of the Retention page (/food/retention) in a real browser, for one or more built sites: a benchmark, not
 * a test (numbers are printed, never asserted).
 *
 *   npx tsx scripts/bench-retention-browser.ts [--dist DIR …] [--updates N] [--timeout S] [--profile] [--json FILE]
 *
 * For each built site (default dist/): serve it with the browser tests' nginx (tests/browser/harness.ts), open
 * /food/retention in Chromium and report
 *   - the number of food customers (rows of the built food customers.arrow, and what the page says),
 *   - the bytes of food customers.arrow transferred (Resource Timing: over the wire, and decoded), and of the whole page,
 *   - the time from navigation until the page is rendered (KPIs, matrix, targeting list and the Plot charts exist),
 *   - memory after load and a forced GC (CDP Runtime.getHeapUsage: the V8 heap, ArrayBuffer backing stores, the DOM
 *     heap) and the largest sum of the three seen while loading,
 *   - slider updates: the LTV, coupon and acceptance range inputs are set and an "input" event dispatched (what a
 *     user's drag does), 2 warm-up + N measured times each (default 20). Per update: input → #kpi-optimum/#matrix
 *     changed (MutationObserver); input → the last change anywhere in <main> (the charts redraw later, from a
 *     ResizeObserver); input → the next animation frame after the KPI/matrix change; the frame in which the runtime
 *     recomputed (its start to the next frame's start: did the update fit in one frame?); and the page's own
 *     "Slider update: X ms" (the profit arithmetic only), as median and p95,
 *   - console errors and other problems watchPage reports,
 *   - the 1-minute load average when each site's measurement starts (it includes this script's own earlier work; a
 *     higher figure than that means something else shared the 2 cores and the timings are inflated).
 * --profile adds a second page load, traced and CPU-profiled, and prints where the renderer's main thread spent its
 * time during the load and during 5 LTV updates (profiling slows the page: use it for shares, not for timings).
 * --json writes every measurement to FILE. A page that fails to load (timeout, crash) is reported with the error.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { tableFromIPC } from "apache-arrow";
import type { Browser, CDPSession } from "playwright-core";
import { DEFAULT_ECONOMICS } from "../src/lib/profit.js";
import { launchBrowser, startSite, watchPage, type Site } from "../tests/browser/harness.js";

const { values: args } = parseArgs({
  options: {
    dist: { type: "string", multiple: true },
    updates: { type: "string", default: "20" },
    timeout: { type: "string", default: "300" },
    profile: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const DISTS = args.dist?.length ? args.dist : ["dist"];
const UPDATES = Number(args.updates);
const WARMUP = 2;
const TIMEOUT_MS = 1000 * Number(args.timeout);
if (!Number.isInteger(UPDATES) || UPDATES < 1) throw new Error(`invalid --updates ${args.updates}`);
if (!(TIMEOUT_MS > 0)) throw new Error(`invalid --timeout ${args.timeout}`);

/** The sliders moved, by their label: the value of update k = 1, 2, … (each differs from the one before), the default. */
const SLIDERS = [
  { name: "LTV", label: "Customer LTV (₹)", value: (k: number) => 400 + 10 * k, initial: DEFAULT_ECONOMICS.ltv },
  {
    name: "coupon",
    label: "Coupon / offer cost (₹)",
    value: (k: number) => 30 + k,
    initial: DEFAULT_ECONOMICS.couponCost,
  },
  {
    name: "acceptance",
    label: "Acceptance probability",
    value: (k: number) => +(0.15 + 0.01 * k).toFixed(2),
    initial: DEFAULT_ECONOMICS.acceptance,
  },
];
/** Plot figures on the page: the profit curve, the model comparison, the directions. */
const CHARTS = 3;

interface UpdateTiming {
  /** input event → last change of #kpi-optimum / #matrix */
  toDom: number;
  /** input event → last change anywhere in the page's main element before the next frame (charts included) */
  toLastChange: number;
  /** input event → the animation frame after that change */
  toFrame: number;
  /** start of the frame in which the runtime recomputed → start of the next frame */
  updateFrame: number;
  /** the page's own "Slider update: X ms" after this update */
  pageMs: number;
}

interface SettleTiming {
  /** input → the frame after the settled views changed (includes the page's 150 ms wait) */
  toSettled: number;
  /** the longest main-thread task in that time (PerformanceObserver "longtask": 50 ms or more), 0 if none */
  longestTask: number;
}

interface SliderResult {
  slider: string;
  updates: UpdateTiming[];
  /** the views that follow once the sliders stop (model comparison, targeting list, offers), after one more input */
  settle: SettleTiming;
}

interface Result {
  dist: string;
  chromium: string;
  /** the machine's 1-minute load average when the measurement started: other work skews every timing */
  load: number;
  /** rows of the built food/customers.arrow */
  rows: number | null;
  /** customers the page says it scores */
  pageRows: number | null;
  arrow: {
    transferSize: number;
    encodedBodySize: number;
    decodedBodySize: number;
    encoding: string;
    ms: number;
  } | null;
  /** bytes transferred for everything the page loaded (HTML, modules, styles, every data file) */
  pageTransfer: number | null;
  /** navigation start → page rendered, ms */
  renderedMs: number | null;
  /** after load and a forced GC (CDP Runtime.getHeapUsage), bytes */
  memory: Memory | null;
  /** the largest JS heap + array buffers + DOM heap seen while the page loaded (sampled every 500 ms), bytes */
  memoryPeak: number;
  /** median interval between animation frames on the idle page */
  frameInterval: number | null;
  sliders: SliderResult[];
  problems: string[];
  error: string | null;
  profile?: Profile;
}

const results: Result[] = [];
for (const dist of DISTS) {
  process.stderr.write(`\n${dist}: measuring…\n`);
  const result = await measure(dist);
  results.push(result);
  if (args.profile && !result.error) result.profile = await profile(dist);
}
printResults(results);
if (args.json) await writeFile(args.json, JSON.stringify(results, null, 2) + "\n");
// A site that could not be measured (not built, no load, crash) is an error; slow numbers never are.
if (results.some((r) => r.error)) process.exitCode = 1;

async function measure(dist: string): Promise<Result> {
  const result: Result = {
    dist,
    chromium: "",
    load: loadavg()[0],
    rows: await arrowRows(dist).catch(() => null),
    pageRows: null,
    arrow: null,
    pageTransfer: null,
    renderedMs: null,
    memory: null,
    memoryPeak: 0,
    frameInterval: null,
    sliders: [],
    problems: [],
    error: null,
  };
  const started = Date.now();
  let sampler: ReturnType<typeof setInterval> | undefined;
  let site: Site | undefined;
  let browser: Browser | undefined;
  try {
    site = await startSite({ dist });
    browser = await launchBrowser();
    result.chromium = browser.version();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    let crashed = false;
    page.on("crash", () => (crashed = true));
    let encoding = "identity";
    page.on("response", (response) => {
      if (isFoodCustomers(response.url())) encoding = response.headers()["content-encoding"] ?? "identity";
    });
    // The default Resource Timing buffer holds 250 entries; keep every request for the page total.
    await page.addInitScript(() => performance.setResourceTimingBufferSize(10_000));
    const cdp = await page.context().newCDPSession(page);
    sampler = setInterval(() => {
      memory(cdp).then(
        (m) => (result.memoryPeak = Math.max(result.memoryPeak, m.total)),
        () => {},
      );
    }, 500);
    try {
      await page.goto(new URL("food/retention", site.url).href, { waitUntil: "commit", timeout: TIMEOUT_MS });
      const handle = await page.waitForFunction(rendered, CHARTS, { polling: "raf", timeout: TIMEOUT_MS });
      result.renderedMs = (await handle.jsonValue()) as number;
    } finally {
      clearInterval(sampler);
      result.problems = watch.problems();
      if (crashed) result.problems.push("the page crashed (renderer process gone)");
    }
    result.pageRows = await page.evaluate(() => {
      const match = /× ([\d,]+) customers/.exec(document.querySelector("main")?.textContent ?? "");
      return match ? Number(match[1].replaceAll(",", "")) : null;
    });
    const entry = await page.evaluate(() => {
      const e = performance
        .getEntriesByType("resource")
        .find((r) => /\/_file\/data\/food\/customers\.[^/]*\.arrow(\?|$)/.test(r.name)) as
        | PerformanceResourceTiming
        | undefined;
      return e
        ? {
            transferSize: e.transferSize,
            encodedBodySize: e.encodedBodySize,
            decodedBodySize: e.decodedBodySize,
            ms: e.responseEnd - e.startTime,
          }
        : null;
    });
    result.arrow = entry && { ...entry, encoding };
    result.pageTransfer = await page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
        .map((e) => (e as PerformanceResourceTiming).transferSize)
        .reduce((a, b) => a + b, 0),
    );
    await cdp.send("HeapProfiler.collectGarbage");
    result.memory = await memory(cdp);
    result.memoryPeak = Math.max(result.memoryPeak, result.memory.total);
    result.frameInterval = await page.evaluate(idleFrameInterval);
    for (const slider of SLIDERS) {
      const updates: UpdateTiming[] = [];
      for (let k = -WARMUP; k < UPDATES; k++) {
        const timing = await page.evaluate(sliderUpdate, {
          label: slider.label,
          value: slider.value(k + WARMUP + 1),
          timeout: TIMEOUT_MS,
        });
        if (k >= 0) updates.push(timing);
      }
      const settle = await page.evaluate(settleUpdate, {
        label: slider.label,
        value: slider.value(UPDATES + WARMUP + 1),
        timeout: TIMEOUT_MS,
      });
      result.sliders.push({ slider: slider.name, updates, settle });
      // Restore the default so the next slider starts from the page's initial economics.
      await page.evaluate(sliderUpdate, { label: slider.label, value: slider.initial, timeout: TIMEOUT_MS });
    }
    result.problems = watch.problems();
  } catch (error) {
    result.error = `${error instanceof Error ? error.message.split("\n")[0] : String(error)} (after ${((Date.now() - started) / 1000).toFixed(0)} s)`;
  } finally {
    clearInterval(sampler);
    await browser?.close().catch(() => {});
    await site?.stop();
  }
  return result;
}

/**
 * A second page load, traced (Chromium's devtools.timeline categories) and CPU-profiled: where the renderer's main
 * thread spends its time (self time by trace event: script, style, layout, paint, GC…) and the JS functions with the
 * most self time, during the load and during 5 LTV updates.
 */
async function profile(dist: string): Promise<Profile> {
  const site = await startSite({ dist });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    const categories = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute"];
    await browser.startTracing(page, { categories });
    await cdp.send("Profiler.start");
    await page.goto(new URL("food/retention", site.url).href, { waitUntil: "commit", timeout: TIMEOUT_MS });
    await page.waitForFunction(rendered, CHARTS, { polling: "raf", timeout: TIMEOUT_MS });
    const loadCpu = (await cdp.send("Profiler.stop")).profile;
    const loadTrace = await browser.stopTracing();
    await browser.startTracing(page, { categories });
    await cdp.send("Profiler.start");
    for (let k = 1; k <= 5; k++) {
      await page.evaluate(sliderUpdate, { label: SLIDERS[0].label, value: SLIDERS[0].value(k), timeout: TIMEOUT_MS });
    }
    const updatesCpu = (await cdp.send("Profiler.stop")).profile;
    const updatesTrace = await browser.stopTracing();
    return {
      load: { events: topTraceEvents(loadTrace), functions: topFunctions(loadCpu) },
      updates: { events: topTraceEvents(updatesTrace), functions: topFunctions(updatesCpu) },
    };
  } finally {
    await browser.close().catch(() => {});
    await site.stop();
  }
}

interface Profile {
  load: { events: string[]; functions: string[] };
  updates: { events: string[]; functions: string[] };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Self time of the complete ("X") trace events on the renderer main thread(s), by event name, largest first. */
function topTraceEvents(trace: Buffer, count = 10): string[] {
  const events: TraceEvent[] = JSON.parse(trace.toString("utf8")).traceEvents;
  const main = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== "X" || !main.has(thread) || !(e.dur! > 0)) continue;
    byThread.set(thread, [...(byThread.get(thread) ?? []), e]);
  }
  const self = new Map<string, number>();
  let total = 0;
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: TraceEvent[] = [];
    for (const e of list) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
      else total += e.dur!;
      self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
      stack.push(e);
    }
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}% ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The 10 functions with the most self time, as "12.3% 456 ms name (file:line)". */
function topFunctions(cpu: CpuProfile, count = 10): string[] {
  const byId = new Map(cpu.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  const samples = cpu.samples ?? [];
  const deltas = cpu.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byId.get(samples[i])!;
    // "apache-arrow@17.0.0/8c645515.js", "_import/lib/profit.50f5e920.js", "food/retention" (the page's own cells)
    const file = frame.url.replace(/^.*\/_npm\//, "").replace(/^https?:\/\/[^/]+\//, "");
    const key = `${frame.functionName || "(anonymous)"}${file ? ` (${file}:${frame.lineNumber + 1})` : ""}`;
    const us = deltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}% ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

// ---- In the page (these functions are serialised by Playwright: no imports, no helpers from this module) ----

/** performance.now() once the page is rendered, else false. */
function rendered(charts: number): number | false {
  const optimum = document.querySelector("#kpi-optimum")?.textContent ?? "";
  const done =
    /^\d/.test(optimum.trim()) &&
    document.querySelector("#matrix table") !== null &&
    document.querySelector("#target-list table") !== null &&
    /Slider update: [\d.]+ ms/.test(document.querySelector("main")?.textContent ?? "") &&
    [...document.querySelectorAll(".rl-chart")].filter((c) => c.querySelector("svg")).length >= charts;
  return done ? performance.now() : false;
}

/** The median interval between 30 animation frames on the idle page. */
async function idleFrameInterval(): Promise<number> {
  const stamps: number[] = [];
  for (let i = 0; i <= 30; i++) stamps.push(await new Promise<number>((r) => requestAnimationFrame(r)));
  const gaps = stamps
    .slice(1)
    .map((s, i) => s - stamps[i])
    .sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}

/**
 * Set a range input to a value and dispatch "input" as a drag does; resolve with the timings once the animation frame
 * after #kpi-optimum / #matrix changed has started, and the page's own slider-update time.
 */
function sliderUpdate({ label, value, timeout }: { label: string; value: number; timeout: number }): Promise<{
  toDom: number;
  toLastChange: number;
  toFrame: number;
  updateFrame: number;
  pageMs: number;
}> {
  return new Promise((resolveTiming, reject) => {
    const form = Array.from(document.querySelectorAll("form")).find(
      (f) => f.querySelector("label")?.textContent?.trim() === label,
    );
    const range = form?.querySelector<HTMLInputElement>("input[type=range]");
    if (!range) return reject(new Error(`no range input labelled ${label}`));
    const targets = ["#kpi-optimum", "#matrix"].map((s) => document.querySelector(s)!);
    let computeFrame = 0;
    let lastChange = 0;
    let lastChangeAnywhere = 0;
    let waiting = false;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${label} = ${value}: no change of #kpi-optimum/#matrix within ${timeout} ms`));
    }, timeout);
    const observer = new MutationObserver((records) => {
      lastChangeAnywhere = performance.now();
      if (!records.some((r) => targets.some((t) => t.contains(r.target)))) return;
      lastChange = lastChangeAnywhere;
      if (waiting) return;
      waiting = true;
      requestAnimationFrame(() => {
        const frame = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        // Let the frame paint and the runtime settle before the next update starts.
        setTimeout(() => {
          const match = /Slider update: ([\d.]+) ms/.exec(document.querySelector("main")?.textContent ?? "");
          resolveTiming({
            toDom: lastChange - start,
            toLastChange: lastChangeAnywhere - start,
            toFrame: frame - start,
            updateFrame: frame - computeFrame,
            pageMs: match ? Number(match[1]) : NaN,
          });
        }, 50);
      });
    });
    observer.observe(document.querySelector("main") ?? document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    range.valueAsNumber = value;
    const start = performance.now();
    range.dispatchEvent(new Event("input", { bubbles: true }));
    // Registered before the runtime's own requestAnimationFrame: runs at the start of the frame that recomputes.
    requestAnimationFrame(() => (computeFrame = performance.now()));
  });
}

/**
 * One more slider input, then wait for the views that follow once the sliders stop: resolve with the time from the
 * input to the animation frame after the targeting list's CSV button has changed, and the longest task meanwhile.
 */
function settleUpdate({ label, value, timeout }: { label: string; value: number; timeout: number }): Promise<{
  toSettled: number;
  longestTask: number;
}> {
  return new Promise((resolveTiming, reject) => {
    const form = Array.from(document.querySelectorAll("form")).find(
      (f) => f.querySelector("label")?.textContent?.trim() === label,
    );
    const range = form?.querySelector<HTMLInputElement>("input[type=range]");
    const list = document.querySelector("#target-list");
    if (!range || !list) return reject(new Error(`no range input labelled ${label}, or no #target-list`));
    let longestTask = 0;
    const tasks = new PerformanceObserver((entries) => {
      for (const e of entries.getEntries()) longestTask = Math.max(longestTask, e.duration);
    });
    tasks.observe({ type: "longtask" });
    const timer = setTimeout(() => {
      observer.disconnect();
      tasks.disconnect();
      reject(new Error(`${label} = ${value}: the settled views did not change within ${timeout} ms`));
    }, timeout);
    const observer = new MutationObserver(() => {
      if (list.querySelector("[aria-busy]") || list.getAttribute("aria-busy")) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        const frame = performance.now();
        clearTimeout(timer);
        setTimeout(() => {
          tasks.disconnect();
          resolveTiming({ toSettled: frame - start, longestTask });
        }, 50);
      });
    });
    observer.observe(list, { childList: true, subtree: true, characterData: true });
    range.valueAsNumber = value;
    const start = performance.now();
    range.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

// ---- In Node ----

function isFoodCustomers(url: string): boolean {
  return /\/_file\/data\/food\/customers\.[^/]*\.arrow(\?|$)/.test(url);
}

async function arrowRows(dist: string): Promise<number> {
  const dir = resolve(dist, "_file/data/food");
  const name = (await readdir(dir)).find((f) => /^customers\.[^.]+\.arrow$/.test(f));
  if (!name) throw new Error(`no customers.*.arrow in ${dir}`);
  return tableFromIPC(await readFile(join(dir, name))).numRows;
}

interface Memory {
  /** used V8 heap (JS objects, strings, arrays) */
  jsHeap: number;
  /** backing stores of ArrayBuffers (Arrow columns, typed arrays) and external strings, outside the V8 heap */
  buffers: number;
  /** Blink's garbage-collected heap (DOM) */
  dom: number;
  total: number;
}

async function memory(cdp: CDPSession): Promise<Memory> {
  const usage = await cdp.send("Runtime.getHeapUsage");
  const m = { jsHeap: usage.usedSize, buffers: usage.backingStorageSize ?? 0, dom: usage.embedderHeapUsedSize ?? 0 };
  return { ...m, total: m.jsHeap + m.buffers + m.dom };
}

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function printResults(all: Result[]): void {
  const mb = (bytes: number | null | undefined) =>
    bytes == null || !Number.isFinite(bytes) ? "–" : `${(bytes / 1e6).toFixed(1)} MB`;
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
  const count = (x: number | null) => (x == null ? "–" : x.toLocaleString("en-US"));
  const load = all.map((r) => ({
    build: r.dist,
    "load avg": r.load.toFixed(2),
    customers:
      r.pageRows != null && r.pageRows !== r.rows ? `${count(r.rows)} (page: ${count(r.pageRows)})` : count(r.rows),
    "arrow transferred": r.arrow ? `${mb(r.arrow.transferSize)} ${r.arrow.encoding}` : "–",
    "arrow decoded": r.arrow ? mb(r.arrow.decodedBodySize) : "–",
    "page transferred": mb(r.pageTransfer),
    "rendered (s)": r.renderedMs == null ? "–" : (r.renderedMs / 1000).toFixed(2),
    "JS heap": mb(r.memory?.jsHeap),
    "array buffers": mb(r.memory?.buffers),
    "DOM heap": mb(r.memory?.dom),
    "peak while loading": mb(r.memoryPeak || null),
    "frame (ms)": r.frameInterval == null ? "–" : ms(r.frameInterval),
    "console errors": String(r.problems.filter((p) => p.startsWith("console error")).length),
  }));
  const machine = `${availableParallelism()} cores, Chromium ${all.find((r) => r.chromium)?.chromium ?? "?"} headless`;
  process.stdout.write(`\nPage load (${new Date().toISOString()}, ${machine})\n${table(load)}\n`);
  const rows = all.flatMap((r) =>
    r.sliders.map((s) => {
      const pick = (key: keyof UpdateTiming) => s.updates.map((u) => u[key]);
      const fit = s.updates.filter((u) => u.updateFrame <= (r.frameInterval ?? 16.7) * 1.25).length;
      return {
        build: r.dist,
        slider: s.slider,
        "input→frame median": ms(quantile(pick("toFrame"), 0.5)),
        "input→frame p95": ms(quantile(pick("toFrame"), 0.95)),
        "input→DOM median": ms(quantile(pick("toDom"), 0.5)),
        "input→DOM p95": ms(quantile(pick("toDom"), 0.95)),
        "input→last change median": ms(quantile(pick("toLastChange"), 0.5)),
        "update frame median": ms(quantile(pick("updateFrame"), 0.5)),
        "update frame p95": ms(quantile(pick("updateFrame"), 0.95)),
        "page's Slider update median": ms(quantile(pick("pageMs"), 0.5)),
        "fit one frame": `${fit}/${s.updates.length}`,
        "input→settled views": ms(s.settle.toSettled),
        "longest task then": ms(s.settle.longestTask),
      };
    }),
  );
  if (rows.length) {
    process.stdout.write(
      `\nSlider updates (${UPDATES} per slider after ${WARMUP} warm-up, ms; "update frame" = start of the frame that ` +
        `recomputed → start of the next; "fit one frame" = update frame ≤ 1.25 × the idle frame interval; "input→settled views" = one more input → the frame after the model comparison, targeting list and offers caught up, with the longest task in that time)\n${table(rows)}\n`,
    );
  }
  for (const r of all) {
    if (r.error) process.stdout.write(`\n${r.dist}: FAILED: ${r.error}\n`);
    for (const p of r.problems) process.stdout.write(`${r.dist}: ${p}\n`);
    if (r.profile) {
      for (const [phase, p] of [
        ["the load", r.profile.load],
        ["5 LTV updates", r.profile.updates],
      ] as const) {
        process.stdout.write(
          `\n${r.dist}, ${phase}: main-thread self time by trace event\n  ${p.events.join("\n  ")}\n`,
        );
        process.stdout.write(
          `${r.dist}, ${phase}: JS functions with the most self time\n  ${p.functions.join("\n  ")}\n`,
        );
      }
    }
  }
}

/** A Markdown table. */
function table(rows: Record<string, string>[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(keys), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(keys.map((k) => r[k])))].join(
    "\n",
  );
}
