/**
 * The pages at several food-delivery base sizes (numbers, never pass/fail; docs/scale.md has the method and results):
 *
 *   npx tsx scripts/bench-scale.ts [--sizes 20000,1000000,10000000] [--runs 3] [--updates 20] [--embeds]
 *                                  [--reuse] [--work test-results/bench-scale] [--port 8720] [--timeout 180]
 *
 * Sizes also come from BENCH_SCALE_SIZES. For each size it makes a site — 20,000 (the default base): the production
 * build (scripts/build.sh with OUTPUT_DIR); any other size: scripts/bench-scale-site.ts (the current pipeline output's
 * food base repeated to that size by the pipeline's own writer, then Framework's build) — unless --reuse finds one
 * already built in the work folder. It serves the site with the production NGINX configuration on loopback
 * (tests/browser/harness.ts; nginx on --port, its audit service on the next port) and measures, in Chromium:
 *   - every page (and every embed frame with --embeds; the customer page also with a customer open), --runs cold
 *     loads each (scripts/bench/page-load.ts), medians: time to the first chart (and the Retention pages' profit
 *     curve) and to settled, bytes before it and at settled (as sent: gzip);
 *   - input → frame (scripts/bench/interactions.ts), --updates updates each: the Retention page's sliders and curve,
 *     the engagement dashboard's filter, the customer page's what-if.
 * Writes the tables to WORK/bench-scale.md and every figure to WORK/bench-scale.json after each size, and prints them.
 * A size whose site cannot be built (ten million: Framework refuses a file over 2 GiB) is reported and skipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { StageRecord } from "../data-loaders/util/stages.js";
import { launchBrowser, startSite } from "../tests/browser/harness.js";
import {
  engagementFilter,
  idleFrame,
  measureInteraction,
  retentionInteractions,
  summarise,
  whatIfEdit,
  type InteractionResult,
} from "./bench/interactions.js";
import { measureLoad, pagesOf, type PageLoad } from "./bench/page-load.js";
import { count, markdownTable, median, megabytes, millis, seconds } from "./bench/stats.js";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: process.env.BENCH_SCALE_SIZES ?? "20000,1000000,10000000" },
    runs: { type: "string", default: "3" },
    updates: { type: "string", default: "20" },
    embeds: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    work: { type: "string", default: "test-results/bench-scale" },
    port: { type: "string", default: "8720" },
    timeout: { type: "string", default: "180" },
  },
});
const whole = (name: string, value: string | undefined, min: number) => {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min)) throw new Error(`--${name}: ${value} is not a whole number ≥ ${min}`);
  return n;
};
const sizes = args.sizes.split(",").map((s) => whole("sizes", s.trim(), 1));
const runs = whole("runs", args.runs, 1);
const updates = whole("updates", args.updates, 1);
const port = whole("port", args.port, 1);
const timeoutMs = 1000 * whole("timeout", args.timeout, 1);
const work = resolve(args.work);
const DEFAULT_SIZE = 20_000;
/** The view each page is for, where its first chart may be another (timed like the first chart). */
const KEY_VIEWS: Record<string, string> = {
  "food/retention": "#profit-curve svg",
  "telco/retention": "#profit-curve svg",
};

interface SiteBuild {
  how: string;
  seconds: number | null;
  /** the replication's time and peak memory (bench-scale-site.ts), when it ran */
  stages: StageRecord[];
}

/** Builds the site for `n` customers (or finds it with --reuse); returns its dist folder and how it was made. */
function makeSite(n: number): { dist: string; build: SiteBuild } {
  const folder = join(work, `site-${n}`);
  const dist = join(folder, "dist");
  const how = n === DEFAULT_SIZE ? "production build" : "pipeline output's base repeated (bench-scale-site)";
  if (args.reuse && existsSync(join(dist, "index.html"))) return { dist, build: { how, seconds: null, stages: [] } };
  rmSync(folder, { recursive: true, force: true });
  const stagesFile = join(work, `stages-${n}.jsonl`);
  rmSync(stagesFile, { force: true });
  const started = performance.now();
  const child =
    n === DEFAULT_SIZE
      ? spawnSync("bash", ["scripts/build.sh", "--no-setup"], {
          stdio: ["ignore", "inherit", "inherit"],
          env: { ...process.env, FOOD_N: String(n), OUTPUT_DIR: dist, NGINX_OUT: join(folder, "nginx") },
        })
      : spawnSync("npx", ["tsx", "scripts/bench-scale-site.ts", "--n", String(n), "--out", folder], {
          stdio: ["ignore", "inherit", "inherit"],
          env: { ...process.env, PIPELINE_STAGES: stagesFile },
        });
  if (child.status !== 0) throw new Error(`building the site of ${count(n)} customers failed (exit ${child.status})`);
  const stages = existsSync(stagesFile)
    ? readFileSync(stagesFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as StageRecord)
    : [];
  return { dist, build: { how, seconds: (performance.now() - started) / 1000, stages } };
}

interface PageFigures {
  page: string;
  runs: PageLoad[];
}

interface SizeResult {
  customers: number;
  loadAverage: number;
  build: SiteBuild;
  pages: PageFigures[];
  interactions: InteractionResult[];
  /** interactions that could not be measured, with why */
  failed: { name: string; error: string }[];
}

async function measureSize(n: number): Promise<SizeResult> {
  const { dist, build } = makeSite(n);
  const loadAverage = loadavg()[0]!;
  process.stderr.write(
    `[bench-scale] ${count(n)} customers: measuring ${dist} (load average ${loadAverage.toFixed(2)})\n`,
  );
  const site = await startSite({ dist, port, auditPort: port + 1 });
  const browser = await launchBrowser();
  const result: SizeResult = { customers: n, loadAverage, build, pages: [], interactions: [], failed: [] };
  try {
    const customer = whatIfEdit();
    // the customer page shows no chart until a customer is open: also loaded with one open, as a link opens it
    for (const page of [...(await pagesOf(dist, { embeds: args.embeds })), customer.path]) {
      const figures: PageFigures = { page: `/${page}`, runs: [] };
      for (let run = 0; run < runs; run++)
        figures.runs.push(
          await measureLoad(browser, new URL(page, site.url).href, { timeoutMs, keyView: KEY_VIEWS[page] }),
        );
      process.stderr.write(`[bench-scale]   /${page}: ${JSON.stringify(summary(figures))}\n`);
      result.pages.push(figures);
    }
    const interactions = [
      idleFrame("food/retention"),
      ...retentionInteractions(),
      idleFrame(engagementFilter.path),
      engagementFilter,
      idleFrame(customer.path),
      customer,
    ];
    // a page that could not be made ready once (too large to load in time) is not loaded again for its other inputs
    const unready = new Map<string, string>();
    for (const interaction of interactions) {
      const skipped = unready.get(interaction.path);
      if (skipped) {
        result.failed.push({ name: interaction.name, error: skipped });
        continue;
      }
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        await page.goto(new URL(interaction.path, site.url).href);
        result.interactions.push(await measureInteraction(page, interaction, { updates }));
      } catch (error) {
        const message = (error as Error).message.split("\n")[0]!;
        result.failed.push({ name: interaction.name, error: message });
        if (/timeout|crash|closed/i.test(message))
          unready.set(interaction.path, `not measured: the page did not load in time before (${message})`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await site.stop();
  }
  return result;
}

/** A page's medians over its runs. */
function summary({ runs: loads }: PageFigures) {
  const charted = loads.filter((l) => l.firstChartMs !== null);
  return {
    firstChartMs: charted.length ? median(charted.map((l) => l.firstChartMs!)) : null,
    bytesBeforeChart: charted.length ? median(charted.map((l) => l.bytesBeforeChart!)) : null,
    keyViewMs: median(loads.flatMap((l) => (l.keyViewMs === null ? [] : [l.keyViewMs]))),
    bytesBeforeKeyView: median(loads.flatMap((l) => (l.bytesBeforeKeyView === null ? [] : [l.bytesBeforeKeyView]))),
    settledMs: median(loads.map((l) => l.settledMs))!,
    bytesSettled: median(loads.map((l) => l.bytesSettled))!,
    engines: [...new Set(loads.flatMap((l) => l.engines))],
    unsettled: loads.filter((l) => l.unsettled).length,
    problems: [...new Set(loads.flatMap((l) => l.problems))],
  };
}

function report(results: SizeResult[]): string {
  const builds = markdownTable(
    ["customers", "site", "build (s)", "replication: s, peak RSS MB", "load average"],
    results.map((r) => [
      count(r.customers),
      r.build.how,
      r.build.seconds === null ? "reused" : r.build.seconds.toFixed(0),
      r.build.stages
        .filter((s) => s.stage === "replicate food base")
        .map((s) => `${s.seconds.toFixed(1)} s, ${s.peakRssMb ?? "?"} MB`)
        .join("") || "–",
      r.loadAverage.toFixed(2),
    ]),
    [0, 2],
  );
  const pages = markdownTable(
    [
      "page",
      "customers",
      "first chart",
      "bytes before it",
      "key view",
      "bytes before it",
      "settled",
      "bytes in all",
      "WASM engines",
      "notes",
    ],
    results.flatMap((r) =>
      r.pages.map((p) => {
        const s = summary(p);
        const notes = [
          s.unsettled ? `${s.unsettled} of ${p.runs.length} loads did not settle` : "",
          s.firstChartMs === null ? "no chart before a user action" : "",
          ...s.problems,
        ].filter(Boolean);
        return [
          p.page,
          count(r.customers),
          seconds(s.firstChartMs),
          megabytes(s.bytesBeforeChart),
          seconds(s.keyViewMs),
          megabytes(s.bytesBeforeKeyView),
          seconds(s.settledMs),
          megabytes(s.bytesSettled),
          s.engines.join(", ") || "none",
          notes.join("; ") || "",
        ];
      }),
    ),
    [1, 2, 3, 4, 5, 6, 7],
  );
  const interactions = markdownTable(
    [
      "input",
      "customers",
      "handler (median)",
      "→ answer in DOM (median)",
      "→ frame (median)",
      "→ frame (p95)",
      "updates",
    ],
    results.flatMap((r) => [
      ...r.interactions.map((i) => {
        const frame = summarise(i.timings, "frame");
        return [
          i.name,
          count(r.customers),
          millis(summarise(i.timings, "script").median),
          millis(summarise(i.timings, "ready").median),
          millis(frame.median),
          millis(frame.p95),
          `${i.timings.length}${i.unanswered ? ` (+${i.unanswered} unanswered)` : ""}`,
        ];
      }),
      ...r.failed.map((f) => [f.name, count(r.customers), "–", "–", "–", "–", `failed: ${f.error}`]),
    ]),
    [1, 2, 3, 4, 5, 6],
  );
  return [
    `Cold loads: median of ${runs} per page; interactions: ${updates} updates each after 2 untimed.`,
    "",
    builds,
    "",
    pages,
    "",
    interactions,
    "",
  ].join("\n");
}

await mkdir(work, { recursive: true });
const results: SizeResult[] = [];
const unbuilt: string[] = [];
for (const n of sizes) {
  try {
    results.push(await measureSize(n));
  } catch (error) {
    // a size whose site cannot be built (ten million: Framework refuses a file over 2 GiB) is reported, not fatal
    unbuilt.push(`${count(n)} customers: ${(error as Error).message}`);
  }
  // written after each size, so a long run that stops still leaves what it measured
  const text = [report(results), ...unbuilt.map((line) => `Not measured: ${line}\n`)].join("\n");
  await writeFile(join(work, "bench-scale.md"), text);
  await writeFile(join(work, "bench-scale.json"), `${JSON.stringify(results, null, 1)}\n`);
}
process.stdout.write(await readFile(join(work, "bench-scale.md"), "utf8"));
