/**
 * The A/B page's data shaping (src/telco/ab-test.md calls these): effects per persona against the simulation's
 * truth, and targeting by estimated uplift against targeting by churn risk, on the observed outcomes (Qini) and on
 * the simulation's ledger of churners really prevented.
 */
import * as d3 from "npm:d3";
import { crossFitUplift, cumulativeGain, qiniCurve, twoProportionTest, type QiniPoint } from "../lib/ab.js";

/** One customer of the experiment (from telco/customers.arrow). */
export interface ExperimentRow {
  persona: string;
  contract: string;
  treated: boolean;
  churned: number;
  outcome: number;
  risk: number;
  stratum: string;
  true_effect: number;
  expected_benefit: number;
}

/** B − A per persona with its 95% interval, the truth beside it, ordered by the true effect. */
export function personaEffects(rows: ExperimentRow[], truthByPersona: Record<string, { ate: number }>) {
  const effects = d3.rollups(
    rows,
    (v) => {
      const a = v.filter((d) => !d.treated);
      const b = v.filter((d) => d.treated);
      return {
        test: twoProportionTest(
          d3.sum(a, (d) => d.churned),
          a.length,
          d3.sum(b, (d) => d.churned),
          b.length,
        ),
        n: v.length,
      };
    },
    (d) => d.persona,
  );
  return d3
    .sort(effects, ([p]) => truthByPersona[p]?.ate ?? 0)
    .map(([persona, { test, n }]) => ({
      group: persona,
      value: test.diff,
      lo: test.lo,
      hi: test.hi,
      p: test.p,
      truth: truthByPersona[persona]?.ate,
      n,
    }));
}

/** Area between a true-gain curve and random targeting (churners prevented × share of the base). */
function areaOverRandom(points: QiniPoint[], total: number): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    area += ((a.gain - total * a.fraction + b.gain - total * b.fraction) / 2) * (b.fraction - a.fraction);
  }
  return area;
}

/**
 * Targeting by cross-fitted uplift (higher = more churn prevented) against targeting by churn risk: Qini curves on
 * the observed outcomes, and the true gain from the simulation's ledger (−true_effect is 1 for each churner the
 * offer really keeps).
 */
export function upliftComparison(rows: ExperimentRow[], { strength = 20 } = {}) {
  const cf = crossFitUplift(rows, { folds: 2, strength });
  const treated = rows.map((d) => d.treated);
  const churned = rows.map((d) => d.churned);
  const upliftScore = Array.from(cf, (u) => -u);
  const riskScore = rows.map((d) => d.risk);
  const prevented = rows.map((d) => -d.true_effect);
  const total = d3.sum(prevented);
  const tUplift = cumulativeGain(upliftScore, prevented);
  const tRisk = cumulativeGain(riskScore, prevented);
  const upTo = (points: QiniPoint[], fraction: number) =>
    Math.max(0, ...points.filter((p) => p.fraction <= fraction).map((p) => p.gain));
  return {
    qUplift: qiniCurve(upliftScore, treated, churned),
    qRisk: qiniCurve(riskScore, treated, churned),
    tUplift,
    tRisk,
    total,
    trueAreaUplift: areaOverRandom(tUplift, total),
    trueAreaRisk: areaOverRandom(tRisk, total),
    /** churners really prevented by treating the top 30% */
    at30: { uplift: upTo(tUplift, 0.3), risk: upTo(tRisk, 0.3) },
    /** random targeting: a straight line from nobody to everybody reaching `gain` */
    randomLine: (gain: number) => [
      { targeted: 0, fraction: 0, gain: 0 },
      { targeted: rows.length, fraction: 1, gain },
    ],
  };
}
