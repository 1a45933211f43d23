/**
 * Input → frame on the pages whose targets name it (issue #17: a dashboard filter and a what-if input within one
 * 16.7 ms frame; the Retention page's slider within one frame at any base size), measured in the page the same way for
 * all of them (scripts/bench-scale.ts; scripts/bench-retention-browser.ts and scripts/bench-engagement-browser.ts share
 * its inputs).
 *
 * The page is left to settle first (no DOM change for a second). Each update starts right after a frame has been
 * painted (a task queued from an animation frame runs after its rendering), as a user's input lands between frames.
 * Per update:
 *   script  the input's handler, synchronous (dispatch → return);
 *   ready   input → the page's answer in the document (the first DOM change it causes, or the figure it names);
 *   frame   input → the end of the rendering of the first frame whose animation callbacks see the answer (what the
 *           user waits to see it);
 *   frames  how many animation frames ran until then (a frame that overruns its 16.7 ms still counts one).
 * An input answered within one frame measures at most one frame interval (16.7 ms at 60 Hz): the baseline, an input
 * that changes nothing (idleFrame), shows that floor on each page.
 * An update the page does not answer within 5 s is counted apart (`unanswered`), not timed.
 */
import type { Page } from "playwright-core";
import { quantile } from "./stats.js";

export interface UpdateTiming {
  script: number;
  ready: number;
  frame: number;
  frames: number;
}

export interface Interaction {
  /** what the tables call it */
  name: string;
  /** the page, relative to the site's root */
  path: string;
  /**
   * Waits until the page is ready for input; returns the in-page state as a JavaScript expression and the update
   * as two in-page functions: `act(state, i)` makes update i, `done(state)` says whether the page has answered it.
   */
  prepare(page: Page): Promise<{ state: string; act: string; done: string }>;
}

/** Runs in the page (a string: the test runner's compiled functions may reference helpers the page lacks). */
const RUN = `async (n, warmup, state, act, done) => {
  const afterRendering = (resolve, value) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve({ ...value, at: performance.now() });
    channel.port2.postMessage(null);
  };
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => afterRendering(resolve, {})));
  const nextTask = () => new Promise((resolve) => afterRendering(resolve, {}));
  const timings = [];
  let unanswered = 0;
  for (let i = 0; i < n + warmup; i++) {
    await afterPaint();
    const t0 = performance.now();
    act(state, i);
    const t1 = performance.now();
    // The first frame whose animation callbacks see the answer renders it; a task queued there runs after that.
    const shown = new Promise((resolve) => {
      let frames = 0;
      const tick = () => {
        frames++;
        if (done(state)) afterRendering(resolve, { frames });
        else if (performance.now() - t0 > 5000) resolve(null);
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await null; // lets the DOM changes of a synchronous handler be observed
    while (!done(state) && performance.now() - t0 < 5000) await nextTask();
    const t2 = performance.now();
    const frame = await shown;
    if (i < warmup) continue;
    if (frame) timings.push({ script: t1 - t0, ready: t2 - t0, frame: frame.at - t0, frames: frame.frames });
    else unanswered++;
  }
  state.observer?.disconnect();
  return { timings, unanswered };
}`;

/** Resolves once the document has not changed for a second (or after 30 s). */
const QUIET = `new Promise((resolve) => {
  const stop = setTimeout(finish, 30000);
  let timer = setTimeout(finish, 1000);
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(finish, 1000);
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  function finish() {
    clearTimeout(stop);
    clearTimeout(timer);
    observer.disconnect();
    resolve(null);
  }
})`;

/** An in-page state that notes any DOM change under `root` in `state.changed` (reset by each act). */
const watching = (root: string, fields: string) => `(() => {
  const state = { ${fields}, changed: false };
  state.observer = new MutationObserver(() => (state.changed = true));
  state.observer.observe(document.querySelector(${JSON.stringify(root)}) ?? document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  return state;
})()`;

export interface InteractionResult {
  name: string;
  timings: UpdateTiming[];
  unanswered: number;
}

/** Makes `updates` updates after `warmup` untimed ones on a page already at `interaction.path`. */
export async function measureInteraction(
  page: Page,
  interaction: Interaction,
  { updates = 20, warmup = 2 }: { updates?: number; warmup?: number } = {},
): Promise<InteractionResult> {
  const { state, act, done } = await interaction.prepare(page);
  // Work a page does after it is drawn (the Retention page's bootstrap) would land in the first updates' frames.
  await page.evaluate(QUIET);
  const result = (await page.evaluate(`(${RUN})(${updates}, ${warmup}, ${state}, ${act}, ${done})`)) as Omit<
    InteractionResult,
    "name"
  >;
  return { name: interaction.name, ...result };
}

/** median and p95 of one measure over the timed updates */
export function summarise(timings: readonly UpdateTiming[], key: keyof UpdateTiming) {
  const xs = timings.map((t) => t[key]);
  return { median: quantile(xs, 0.5), p95: quantile(xs, 0.95) };
}

/** The Retention page's range inputs: label and the value of update k. */
export const RETENTION_RANGES = [
  { name: "offer cost", label: "Offer cost (₹)", value: (k: number) => 40 + (k % 30) },
  { name: "contact cost", label: "Contact cost (₹)", value: (k: number) => 1 + 0.5 * (k % 10) },
  {
    name: "acceptance",
    label: "Acceptance: churners who take the offer and stay",
    value: (k: number) => 0.2 + 0.01 * (k % 40),
  },
];

const retentionReady = (page: Page) => page.locator("#matrix table").waitFor();

/** The food Retention page (/food/retention): each slider, and an arrow key on the profit curve. */
export function retentionInteractions(path = "food/retention", updates = 40): Interaction[] {
  const values = (f: (k: number) => number) => Array.from({ length: updates }, (_, k) => f(k + 1));
  return [
    ...RETENTION_RANGES.map((range) => ({
      name: `Retention: ${range.name} slider`,
      path,
      async prepare(page: Page) {
        await retentionReady(page);
        const id = await page.getByLabel(range.label, { exact: true }).getAttribute("id");
        return {
          state: watching(
            "#observablehq-main",
            `el: document.getElementById(${JSON.stringify(id)}), values: ${JSON.stringify(values(range.value))}`,
          ),
          act: `(s, i) => { s.changed = false; s.el.value = String(s.values[i % s.values.length]); s.el.dispatchEvent(new Event("input", { bubbles: true })); }`,
          done: "(s) => s.changed",
        };
      },
    })),
    {
      name: "Retention: arrow key on the profit curve",
      path,
      async prepare(page: Page) {
        await retentionReady(page);
        return {
          state: watching("#observablehq-main", `el: document.querySelector('#profit-curve svg[role="slider"]')`),
          act: `(s) => { s.changed = false; s.el.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true, cancelable: true })); }`,
          done: "(s) => s.changed",
        };
      },
    },
  ];
}

/** The charts whose bucket buttons the engagement benchmark toggles, in turn. */
export const ENGAGEMENT_CHARTS = [
  "engagement-contract",
  "engagement-persona",
  "engagement-support-calls",
  "engagement-tenure",
];

/** The engagement dashboard (/telco/engagement): a click on a chart's bucket button → every chart and the count. */
export const engagementFilter: Interaction = {
  name: "Engagement: dashboard filter",
  path: "telco/engagement",
  async prepare(page) {
    await page.waitForFunction(() => document.querySelectorAll("figure[data-total]").length === 8, undefined, {
      timeout: 60_000,
    });
    const buttons = ENGAGEMENT_CHARTS.map(
      (name) => `document.querySelector('.rl-chart[data-chart="${name}"] .rl-linked-buttons button')`,
    );
    return {
      state: `({ buttons: [${buttons.join(", ")}], count: () => document.querySelector('[data-testid="filtered-count"]')?.getAttribute("data-value"), before: null })`,
      act: "(s, i) => { s.before = s.count(); s.buttons[i % s.buttons.length].click(); }",
      done: "(s) => s.count() !== s.before",
    };
  },
};

/** The customer page's what-if (/telco/customer?id=…): the contract select, to its next option each time. */
export function whatIfEdit(customerId = "7590-VHVEG"): Interaction {
  return {
    name: "Customer: what-if input",
    path: `telco/customer?id=${encodeURIComponent(customerId)}`,
    async prepare(page) {
      await page.locator("#whatif-form select").first().waitFor({ timeout: 60_000 });
      await page.locator("#whatif-result svg").first().waitFor({ timeout: 60_000 });
      return {
        state: watching(
          "#whatif-result",
          `el: document.querySelector("#whatif-contract") ?? document.querySelector("#whatif-form select")`,
        ),
        act: `(s) => { s.changed = false; const o = s.el.options; s.el.value = o[(s.el.selectedIndex + 1) % o.length].value; s.el.dispatchEvent(new Event("input", { bubbles: true })); }`,
        done: "(s) => s.changed",
      };
    },
  };
}

/** The floor of the measure: an "input" that changes nothing, answered at once, on the page at `path`. */
export function idleFrame(path: string): Interaction {
  return {
    name: `Baseline: an input that changes nothing, /${path.split("?")[0]}`,
    path,
    async prepare(page) {
      await page.waitForLoadState("networkidle");
      return { state: "({ answered: false })", act: "(s) => { s.answered = true; }", done: "(s) => s.answered" };
    },
  };
}
