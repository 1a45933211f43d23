/**
 * One cold load of a built page, as the page benchmarks measure it (scripts/bench-pages.ts, scripts/bench-scale.ts):
 * a fresh browser context (an empty cache), 1440 × 900, navigation to the page, then
 *   - first chart: the first SVG inside a chart wrapper (.rl-chart) in the document, timed by a MutationObserver
 *     installed before any page script, from the navigation's start, plus the frame that paints it (a task queued from
 *     the next animation frame runs after its rendering);
 *   - bytes before the first chart: what the navigation and every resource whose response had ended by then
 *     transferred (Resource Timing's transferSize: headers and body as sent, gzip where NGINX compresses);
 *   - the same for the page's key view when one is named (the Retention pages' profit curve: a first chart may be a
 *     smaller one that needs none of the customers);
 *   - settled: the network idle and the document unchanged for `quietMs`; timed at the later of the last DOM change
 *     and the last response's end, with every byte transferred by then.
 * Numbers only: a page that does not settle within `timeoutMs` is reported as such, never failed.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { watchPage } from "../../tests/browser/harness.js";

export interface PageLoad {
  /** ms from the navigation's start to the frame that painted the first chart; null when no chart appeared */
  firstChartMs: number | null;
  bytesBeforeChart: number | null;
  /** the same for the page's key view (LoadOptions.keyView), when it has one */
  keyViewMs: number | null;
  bytesBeforeKeyView: number | null;
  /** ms from the navigation's start to the last DOM change or response */
  settledMs: number;
  bytesSettled: number;
  requests: number;
  /** DuckDB-WASM or ONNX Runtime WASM files fetched */
  engines: string[];
  /** console errors, failed or external requests (the harness's watch) */
  problems: string[];
  /** why the page did not settle (timed out, crashed): its figures are those at that moment */
  unsettled: string | null;
}

export interface LoadOptions {
  quietMs?: number;
  timeoutMs?: number;
  viewport?: { width: number; height: number };
  /** a selector for the view the page is for (the Retention pages' profit curve), timed like the first chart */
  keyView?: string;
}

/**
 * Installed before any page script (a string: the test runner's compiled functions may use helpers the page lacks):
 * notes the last DOM change and when each selector first matched, after the frame that painted it.
 */
const observe = (marks: Record<string, string>) => `(() => {
  performance.setResourceTimingBufferSize(100000);
  const marks = ${JSON.stringify(marks)};
  const bench = (globalThis.__rlBench = { painted: {}, seen: {}, lastChange: 0 });
  new MutationObserver(() => {
    bench.lastChange = performance.now();
    for (const [name, selector] of Object.entries(marks)) {
      if (bench.seen[name] || !document.querySelector(selector)) continue;
      bench.seen[name] = true;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (bench.painted[name] = performance.now());
        channel.port2.postMessage(null);
      });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

/** The page's state: times from the navigation's start, and bytes transferred by each mark and in all. */
const STATE = `(() => {
  const bench = globalThis.__rlBench;
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const sum = (entries) => entries.reduce((a, r) => a + (r.transferSize || 0), nav ? nav.transferSize : 0);
  const lastResponse = Math.max(nav ? nav.responseEnd : 0, ...resources.map((r) => r.responseEnd));
  const bytesBy = Object.fromEntries(Object.entries(bench.painted).map(([name, at]) => [name, sum(resources.filter((r) => r.responseEnd <= at))]));
  return {
    now: performance.now(),
    painted: bench.painted,
    bytesBy,
    lastChange: bench.lastChange,
    lastResponse,
    bytesSettled: sum(resources),
    requests: resources.length + 1,
    engines: resources.map((r) => r.name).filter((n) => /duckdb|ort-wasm/.test(n)).map((n) => n.split("/").pop().replace(/\\.[0-9a-f]{8}\\./, ".")),
  };
})()`;

interface State {
  now: number;
  painted: Record<string, number>;
  bytesBy: Record<string, number>;
  lastChange: number;
  lastResponse: number;
  bytesSettled: number;
  requests: number;
  engines: string[];
}

/** Loads `url` once in a new context of `browser` and measures it. */
export async function measureLoad(
  browser: Browser,
  url: string,
  { quietMs = 1000, timeoutMs = 120_000, viewport = { width: 1440, height: 900 }, keyView }: LoadOptions = {},
): Promise<PageLoad> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const watch = await watchPage(page);
    await page.addInitScript(observe({ chart: ".rl-chart svg", ...(keyView ? { key: keyView } : {}) }));
    const deadline = Date.now() + timeoutMs;
    let unsettled: string | null = null;
    let state: State | undefined;
    try {
      await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
      await page.waitForLoadState("networkidle", { timeout: Math.max(1, deadline - Date.now()) });
      for (;;) {
        state = (await page.evaluate(STATE)) as State;
        if (state.now - Math.max(state.lastChange, state.lastResponse) >= quietMs) break;
        if (Date.now() > deadline) throw new Error("not settled");
        await page.waitForTimeout(100);
      }
    } catch (error) {
      unsettled = (error as Error).message.split("\n")[0]!;
      // a crashed page (out of memory) cannot say how far it got
      state = (await page.evaluate(STATE).catch(() => state)) as State | undefined;
    }
    const at = (mark: string) => state?.painted[mark] ?? null;
    return {
      firstChartMs: at("chart"),
      bytesBeforeChart: state?.bytesBy.chart ?? null,
      keyViewMs: at("key"),
      bytesBeforeKeyView: state?.bytesBy.key ?? null,
      settledMs: state ? Math.max(state.lastChange, state.lastResponse, ...Object.values(state.painted)) : timeoutMs,
      bytesSettled: state?.bytesSettled ?? 0,
      requests: state?.requests ?? 0,
      engines: [...new Set(state?.engines ?? [])],
      problems: watch.problems(),
      unsettled,
    };
  } finally {
    await context.close();
  }
}

/** Every page of a built site (and its embed frames when asked), as paths relative to its root ("" for the root). */
export async function pagesOf(dist: string, { embeds = false } = {}): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath, e.name).slice(dist.length + 1))
    .filter((f) => f !== "404.html" && (embeds || !f.startsWith("embed/")))
    .map((f) => (f === "index.html" ? "" : f.slice(0, -".html".length)))
    .sort();
}
