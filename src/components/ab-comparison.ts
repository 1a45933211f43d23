/**
 * The ab comparison view: the chart with its downloads and the data shaping behind it; the pages and the
 * ab-comparison embed (src/embed/ab-comparison.ts) both draw it.
 */
import { signedPoints as pp } from "../lib/format.js";
import { rateBars, rateRows } from "./rate-bars.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import { twoProportionTest } from "../lib/ab.js";

export interface Arm {
  variant: "A" | "B";
  /** customers in the arm */
  n: number;
  /** of whom churned (observed) */
  k: number;
}

const GROUP = { A: "A (control)", B: "B (offer)" };

/** Control and treatment from arms counted elsewhere (the build's summary), in that order; a missing arm throws. */
export function armPair(arms: readonly { variant: string; n: number; k: number }[]): [Arm, Arm] {
  const arm = (variant: "A" | "B"): Arm => {
    const found = arms.find((a) => a.variant === variant);
    if (!found) throw new Error(`the A/B test has no arm ${variant} (arms: ${arms.map((a) => a.variant).join(", ")})`);
    return { variant, n: found.n, k: found.k };
  };
  return [arm("A"), arm("B")];
}

/** Churn rate by variant (Wilson intervals) with the effect B − A, its 95% CI and the true effect. */
export function abComparisonView(
  [A, B]: readonly [Arm, Arm],
  trueEffect: number | undefined,
  { width, onDownload }: { width: number; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLElement {
  const test = twoProportionTest(A.k, A.n, B.k, B.n);
  const chart = rateBars(
    [A, B].map((a) => ({ group: GROUP[a.variant], n: a.n, k: a.k })),
    { width, title: "Churn rate by variant (95% Wilson interval)", label: "Churn rate in the test" },
  );
  const view = withDownloads(chart, {
    name: "ab-comparison",
    data: () =>
      rateRows(
        [A, B].map((a) => ({ group: a.variant, n: a.n, k: a.k })),
        { groupColumn: "variant" },
      ).map((row) => ({
        ...row,
        effect_b_minus_a: +test.diff.toFixed(6),
        effect_ci95_low: +test.lo.toFixed(6),
        effect_ci95_high: +test.hi.toFixed(6),
        true_effect: trueEffect === undefined ? null : +trueEffect.toFixed(6),
      })),
    onDownload,
  });
  const note = document.createElement("p");
  note.className = "rl-view-note";
  note.textContent =
    `Effect of the offer (B − A): ${pp(test.diff)}, 95% CI ${pp(test.lo)} to ${pp(test.hi)}, z = ${test.z.toFixed(2)}.` +
    (trueEffect === undefined
      ? ""
      : ` True effect in the simulation: ${pp(trueEffect)} (${test.lo <= trueEffect && trueEffect <= test.hi ? "inside" : "outside"} the interval).`);
  view.append(note);
  view.dataset.summary = JSON.stringify({
    nA: A.n,
    kA: A.k,
    nB: B.n,
    kB: B.k,
    diff: test.diff,
    lo: test.lo,
    hi: test.hi,
    truth: trueEffect,
  });
  return view;
}
