/**
 * The A/B page's data shaping (src/telco/ab-test.md calls these): the overall effect three ways (the decision uses
 * the covariate-adjusted one), adjusted effects per persona against the simulation's truth, the planner for the next
 * test, and targeting by estimated uplift against targeting by churn risk, on the observed outcomes (Qini, with a
 * bootstrap interval) and on the simulation's ledger of churners really prevented (docs/experiments.md).
 */
import * as d3 from "npm:d3";
import type { IntervalRow } from "../components/ab-intervals.js";
import { crossFitUplift, cumulativeGain, qiniCurve, stratumUplift, type QiniPoint } from "../lib/ab.js";
import { groupEffects, type EffectEstimate, type ExperimentAnalysis } from "../lib/experiment.js";
import { experimentData } from "../lib/telco-tables.js";
import { adjustedMde, sampleSizePerArm } from "../lib/power.js";
import { bootstrapQiniSteps, fixedScorer, upliftScorer, type BootstrapSummary } from "../lib/qini-bootstrap.js";
import { runInSlices } from "../lib/slices.js";

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
}

/** An effect estimate as a row of intervalDots (value, 95% interval, customers, p-value). */
function intervalRow(group: string, e: EffectEstimate, truth?: number): IntervalRow {
  return { group, value: e.estimate, lo: e.lo, hi: e.hi, truth, n: e.n, p: e.p };
}

/** The overall effect three ways (simple, stratified, adjusted: the decision's), each beside the true effect. */
export function estimatorRows(analysis: ExperimentAnalysis, truth: number): IntervalRow[] {
  return [
    intervalRow("Simple difference", analysis.unstratified, truth),
    intervalRow("Stratified difference", analysis.stratified, truth),
    intervalRow("Adjusted (decision)", analysis.adjusted, truth),
  ];
}

/** A persona's adjusted effect with its simultaneous interval and Holm p-value, and the simulation's true effect. */
export interface PersonaEffectRow extends IntervalRow {
  simultaneousLo: number;
  simultaneousHi: number;
  pHolm: number;
  truth: number;
}

/**
 * The adjusted effect within each persona (groupEffects: Lin with risk and the strata inside the persona, HC2), its
 * own and its Bonferroni-simultaneous 95% interval and Holm p, the truth beside it, ordered by the true effect.
 */
export function personaEffects(
  rows: readonly ExperimentRow[],
  truthByPersona: Record<string, { ate: number }>,
): PersonaEffectRow[] {
  const effects = groupEffects(
    experimentData(rows),
    rows.map((d) => d.persona),
    { hc: "HC2" },
  );
  const truth = (persona: string) => truthByPersona[persona]?.ate ?? Number.NaN;
  return d3
    .sort(effects, (e) => truth(e.group))
    .map((e) => ({
      ...intervalRow(e.group, e),
      truth: truth(e.group),
      simultaneousLo: e.simultaneousLo,
      simultaneousHi: e.simultaneousHi,
      pHolm: e.pHolm,
    }));
}

/** What the planner is asked: a size (for its MDE) and an effect (for the size that detects it). */
export interface PlanInputs {
  /** baseline churn rate (fraction) */
  baseline: number;
  /** customers per arm, for the MDE */
  perArm: number;
  /** the absolute effect to detect (fraction), for the customers needed */
  effect: number;
  alpha: number;
  power: number;
  /** analyse with the covariate adjustment (R² = this experiment's planningR2) or with the simple difference */
  adjust: boolean;
}

/**
 * The next test's MDE at the given size and the customers per arm for the given effect, under the chosen analysis
 * and under the other one, so the page can say what the adjustment saves; `r2` is this experiment's planningR2.
 */
export function planNextTest(inputs: PlanInputs, r2: number) {
  const { baseline, perArm, effect, alpha, power } = inputs;
  const at = (useR2: number) => ({
    mde: adjustedMde(baseline, perArm, perArm, { alpha, power, r2: useR2 }),
    perArm: sampleSizePerArm(baseline, effect, { alpha, power, r2: useR2 }),
  });
  const adjusted = at(r2);
  const simple = at(0);
  return { r2: inputs.adjust ? r2 : 0, chosen: inputs.adjust ? adjusted : simple, adjusted, simple };
}

/** A bootstrap summary as a row of intervalDots: the normal interval (estimate ± 1.96 SE), see docs/experiments.md. */
function bootstrapRow(group: string, s: BootstrapSummary): IntervalRow {
  return { group, value: s.estimate, lo: s.normalLo, hi: s.normalHi };
}

/**
 * How sure the uplift ranking's Qini gain at the top `fraction` is, and its lead over ranking by churn risk: a
 * paired, design-preserving bootstrap with the T-learner refitted on every sample (qini-bootstrap.ts).
 */
export async function upliftBootstrap(
  rows: readonly ExperimentRow[],
  { reps = 200, seed = 1, fraction = 0.3, strength = 20 } = {},
) {
  const data = experimentData(rows);
  // A few seconds of work: run in slices of a few milliseconds, so the page stays responsive meanwhile.
  const boot = await runInSlices(
    bootstrapQiniSteps(
      { treated: data.treated, churned: data.outcome, stratum: data.stratum },
      { uplift: upliftScorer(rows, { folds: 2, strength }), risk: fixedScorer(data.covariate) },
      { fraction, reps, seed },
    ),
  );
  const lead = boot.versus[0]!.gain;
  return {
    boot,
    uplift: boot.gain.uplift!,
    risk: boot.gain.risk!,
    lead,
    rows: [
      bootstrapRow("By estimated uplift", boot.gain.uplift!),
      bootstrapRow("By churn risk", boot.gain.risk!),
      bootstrapRow("Uplift − risk (lead)", lead),
    ],
  };
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

/**
 * The T-learner's uplift per persona × contract stratum (fitted on all rows, shrunk by `strength`) against the true
 * effect, and its customer-weighted mean absolute error with and without the shrinkage.
 */
export function strataAgainstTruth(rows: readonly ExperimentRow[], strength = 20) {
  const model = stratumUplift(rows, { strength });
  const strata = d3
    .rollups(
      rows,
      (v) => ({ n: v.length, truth: d3.mean(v, (d) => d.true_effect)! }),
      (d) => d.stratum,
    )
    .map(([stratum, t]) => {
      const s = model.get(stratum)!;
      return { stratum, ...t, estimate: s.uplift, raw: s.kB / s.nB - s.kA / s.nA };
    });
  const weighted = (f: (d: (typeof strata)[number]) => number) => d3.sum(strata, (d) => d.n * f(d)) / rows.length;
  return {
    strata,
    mae: weighted((d) => Math.abs(d.estimate - d.truth)),
    maeRaw: weighted((d) => Math.abs(d.raw - d.truth)),
    meanUplift: weighted((d) => d.estimate),
  };
}
