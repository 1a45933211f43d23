/**
 * The customer page's browser glue (src/telco/customer.md calls these; the state and arithmetic are in customer.ts):
 * the selection in the URL, the what-if panel redrawn in the task of each edit (Framework's reactive cells would wait
 * for the next animation frame), the offers that would keep the customer, the ONNX Runtime check loaded only when
 * asked for, and the TXT report. Browser-only (DOM).
 */
import { saveBlob, type DownloadFormat } from "../components/chart-export.js";
import { counterfactualView } from "../components/customer-counterfactual.js";
import { el, messageBox, scoreCard } from "../components/customer-profile.js";
import { whatIfForm, type WhatIfForm } from "../components/customer-whatif.js";
import { waterfallChart, waterfallView } from "../components/waterfall.js";
import type { Manifest } from "../lib/artifacts.js";
import { audit } from "../lib/audit.js";
import type { Counterfactual } from "../lib/counterfactual.js";
import { metrics, ortWasmUrl, telcoOnnxUrl } from "../lib/load.js";
import type { OnnxScorer } from "../lib/onnx-scorer.js";
import { riskTier } from "../lib/tiers.js";
import {
  encodeInput,
  featureLabel,
  modelInputs,
  waterfallSteps,
  type Explainer,
  type Explanation,
} from "../lib/whatif.js";
import {
  customerReport,
  idFromUrl,
  optionWaterfall,
  scenarioOf,
  scenarioSummary,
  urlWithId,
  type Customer,
  type Nudge,
  type Scenario,
} from "./customer.js";

/**
 * The selection in the URL (?id=ID): `open` pushes a history entry (back and forward move between customers, handled
 * here) and asks for the heading to take the focus once it is drawn; `dispose` stops listening.
 */
export function customerNavigation(select: (id: string | null) => void) {
  const focus = { pending: false };
  const open = (id: string | null, { push = true } = {}) => {
    const next = id ? String(id).trim() || null : null;
    focus.pending = next !== null;
    const url = urlWithId(location.href, next);
    if (push && url !== location.href) history.pushState(null, "", url);
    select(next);
  };
  const onPop = () => open(idFromUrl(location.href), { push: false });
  addEventListener("popstate", onPop);
  return { open, focus, dispose: () => removeEventListener("popstate", onPop) };
}

/** Older ?customer= links become ?id= (replaced, not pushed: it is the same view). */
export function canonicalUrl(id: string | null): void {
  const url = urlWithId(location.href, id);
  if (url !== location.href) history.replaceState(history.state, "", url);
}

/** The customer's heading, focused and scrolled into view when the user has just opened them. */
export function customerHeading(id: string | null, focus: { pending: boolean }): HTMLElement {
  const heading = el("h2", { id: "customer-heading", tabindex: "-1" }, id ? `Customer ${id}` : "");
  heading.hidden = !id;
  if (id && focus.pending) {
    focus.pending = false;
    // Two frames: the heading is in the page and laid out before it takes the focus and the view.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        heading.focus({ preventScroll: true });
        heading.scrollIntoView({ block: "start" });
      }),
    );
  }
  return heading;
}

/** Resolves once the browser has painted the page as it is now (after the next frame). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

type OnnxState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "ready"; scorer: OnnxScorer }
  | { status: "error"; message: string };
/** ONNX Runtime, shared by every panel of the page: loaded once, when the user asks for the check. */
let onnx: OnnxState = { status: "idle" };
const onnxListeners = new Set<() => void>();
function setOnnx(state: OnnxState) {
  onnx = state;
  for (const listener of onnxListeners) listener();
}
async function loadOnnx(nFeatures: number): Promise<void> {
  if (onnx.status !== "idle" && onnx.status !== "error") return;
  setOnnx({ status: "loading" });
  try {
    // Imported here, not at the top: onnxruntime-web stays off the page's first view.
    const { createOnnxScorer } = await import("../lib/onnx-scorer.js");
    setOnnx({ status: "ready", scorer: await createOnnxScorer(telcoOnnxUrl(), nFeatures, { wasmUrl: ortWasmUrl() }) });
  } catch (error) {
    console.warn("ONNX Runtime failed to load", error);
    setOnnx({ status: "error", message: String((error as Error)?.message ?? error) });
  }
}

export interface WhatIfPanel {
  form: WhatIfForm;
  /** The result: score, change and waterfall of the current edit, and the ONNX Runtime check. */
  result: HTMLElement;
  /** The compact bar that follows the reader down the form at phone width. */
  summary: HTMLElement;
  /** The current scenario (for the report). */
  scenario: () => Scenario;
}

/**
 * The what-if: the form, and a result redrawn in the same task as every edit from the TS TreeSHAP (score and
 * waterfall from one pass over the trees, under a millisecond). `onScenario` hears every scored state (the audit).
 */
export function whatIfPanel(
  customer: Customer,
  explainer: Explainer,
  {
    onScenario,
    onDownload,
  }: { onScenario?: (s: Scenario) => void; onDownload?: (format: DownloadFormat, name: string) => void } = {},
): WhatIfPanel {
  const form = whatIfForm(modelInputs(customer));
  const result = el("div", { class: "rl-whatif-result" });
  const summaryText = el("span");
  const summary = el(
    "div",
    { class: "rl-whatif-summary" },
    summaryText,
    " ",
    el("a", { href: "#whatif-result" }, "See why"),
  );
  const check = el("div", { class: "rl-onnx-check" });
  let scenario = scenarioOf(form.value, explainer);
  let current: HTMLElement | null = null;
  let drawnWidth = 0;

  const width = () => Math.max(280, result.clientWidth || Math.min(640, innerWidth - 48));
  function draw() {
    const s = scenario;
    summaryText.textContent = scenarioSummary(customer, s);
    drawnWidth = width();
    if (s.invalid || !s.row || !s.explanation || s.probability === null) {
      current = null;
      result.replaceChildren(
        messageBox(`Not scored: ${Object.values(s.invalid ?? {}).join("; ")}.`, { kind: "warning" }),
        check,
      );
      return;
    }
    const p = s.probability;
    current = el(
      "div",
      { "data-probability": String(p), "data-treeshap-probability": String(p), "data-changed": s.changed.join(",") },
      scoreCard(p, riskTier(Math.min(1, Math.max(0, p))), {
        before: customer.probability,
        beforeTier: customer.risk_tier,
        label: s.changed.length
          ? "Churn probability after the changes (final model)"
          : "Churn probability (final model, no changes yet)",
      }),
      el(
        "p",
        { class: "rl-kpi-label" },
        s.changed.length ? `Changed: ${s.changed.map(featureLabel).join(", ")}` : "Edit a field to see its effect.",
      ),
      waterfallView(waterfallSteps(s.explanation, { top: 6, row: s.row }), {
        width: drawnWidth,
        title: "Why, with the changes?",
        totalLabel: "Edited customer",
        name: `whatif-waterfall-${customer.customer_id}`,
        onDownload,
      }),
    );
    result.replaceChildren(current, check);
    drawCheck();
  }

  /** The ONNX Runtime check of the current scenario: a button, its loading state, then the exported model's score. */
  function drawCheck() {
    const s = scenario;
    const state = onnx;
    if (state.status === "idle") {
      const button = el("button", { type: "button", class: "rl-button" }, "Check with ONNX Runtime");
      button.addEventListener("click", () => loadOnnx(explainer.ensemble.nFeatures));
      check.replaceChildren(
        el(
          "p",
          { class: "rl-kpi-label" },
          "Scored in your browser from the model's trees. ONNX Runtime can re-score it with the exported model " +
            "(model.onnx), a larger download, loaded only if you ask: ",
        ),
        button,
      );
    } else if (state.status === "loading") {
      check.replaceChildren(messageBox("Loading ONNX Runtime and the exported model…", { kind: "loading" }));
    } else if (state.status === "error") {
      check.replaceChildren(messageBox(`ONNX Runtime could not load: ${state.message}`, { kind: "warning" }));
    } else if (s.row && s.probability !== null && current) {
      const node = current;
      const p = s.probability;
      check.replaceChildren(el("p", { class: "rl-kpi-label" }, "ONNX Runtime: checking this score…"));
      state.scorer.score(encodeInput(s.row)).then(([q]) => {
        if (node !== current) return;
        node.dataset.onnxProbability = String(q);
        check.replaceChildren(
          el(
            "p",
            { class: "rl-kpi-label rl-onnx-result" },
            `ONNX Runtime (model.onnx): ${(100 * q).toFixed(1)}%, ${Math.abs(q - p).toExponential(1)} from the ` +
              "score above (float32 arithmetic).",
          ),
        );
      });
    } else {
      check.replaceChildren();
    }
  }

  form.addEventListener("input", () => {
    scenario = scenarioOf(form.value, explainer);
    draw();
    onScenario?.(scenario);
  });
  onnxListeners.add(drawCheck);
  // Redrawn at the width the panel gets once in the page, and when that width changes (not on every edit).
  const observer = new ResizeObserver(() => {
    if (!result.isConnected) {
      if (drawnWidth) {
        observer.disconnect();
        onnxListeners.delete(drawCheck);
      }
      return;
    }
    if (width() !== drawnWidth) draw();
  });
  observer.observe(result);
  draw();
  return { form, result, summary, scenario: () => scenario };
}

/** "What would keep this customer?": the search's answer, each option applicable in the what-if form. */
export function keepView(keep: Counterfactual, explainer: Explainer, whatIf: WhatIfPanel): HTMLElement {
  return counterfactualView(keep, {
    onApply: (option) => {
      whatIf.form.apply(option.row);
      // At phone width the result sits above this list: bring it into view (at desktop it is already beside it).
      const result = document.getElementById("whatif-result");
      const top = result?.getBoundingClientRect().top ?? 0;
      if (result && (top < 0 || top > innerHeight - 120)) result.scrollIntoView({ block: "start" });
    },
    waterfall: (option) =>
      waterfallChart(optionWaterfall(explainer, option.row), {
        width: Math.max(280, (document.getElementById("keep")?.clientWidth ?? 400) - 40),
        title: "Why, with this offer?",
        totalLabel: "With the offer",
      }),
  });
}

/** Builds and saves the customer's TXT report (the metrics are fetched on the first click). */
export async function downloadReport(args: {
  customer: Customer;
  original: Explanation;
  nudge: Nudge | null;
  scenario: Scenario | null;
  manifest: Manifest;
}): Promise<void> {
  const { text, fileName } = customerReport({
    ...args,
    metrics: await metrics("telco"),
    generatedAt: new Date().toISOString(),
  });
  saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), fileName);
  audit("report_downloaded", { customer: args.customer.customer_id });
}
