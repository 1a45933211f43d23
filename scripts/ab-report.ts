/**
 * The A/B test analysed as docs/experiments.md describes, on one pipeline run, and checked against the simulation:
 * simple, stratified and covariate-adjusted effects, per-persona effects, the next test's MDE, the uplift ranking's
 * Qini gain with a bootstrap interval, and the coverage of each interval over re-randomisations of the same
 * stratified assignment (the simulation knows both potential outcomes of every customer). A report, not a test.
 *
 *   npx tsx scripts/ab-report.ts [OUT=/tmp/h-ab-out] [RERANDOMISATIONS=1000] [BOOTSTRAP=1000] [BOOTSTRAP_CHECK=0]
 *
 * BOOTSTRAP_CHECK > 0 also bootstraps (200 samples) the first BOOTSTRAP_CHECK re-randomisations, to measure how often
 * the Qini intervals cover the mean over re-randomisations (slow: about 4 s per re-randomisation).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { assignVariants, stratumOf } from "../data-loaders/telco/ab-test.js";
import type { Persona } from "../data-loaders/telco/personas.js";
import { crossFitUplift, cumulativeGain, qiniCurve, twoProportionTest, type UpliftRow } from "../src/lib/ab.js";
import {
  analyseExperiment,
  dummyColumns,
  groupEffects,
  linAdjusted,
  stratifiedDifference,
  type EffectEstimate,
  type ExperimentData,
} from "../src/lib/experiment.js";
import { adjustedMde, sampleSizePerArm } from "../src/lib/power.js";
import { bootstrapQini, fixedScorer, gainAt, upliftScorer } from "../src/lib/qini-bootstrap.js";

const out = process.argv[2] ?? "/tmp/h-ab-out";
const rerandomisations = Number(process.argv[3] ?? 1000);
const bootstrapReps = Number(process.argv[4] ?? 1000);
const bootstrapCheck = Number(process.argv[5] ?? 0);
if (!Number.isInteger(bootstrapCheck) || bootstrapCheck < 0 || bootstrapCheck > rerandomisations) {
  throw new Error(`invalid BOOTSTRAP_CHECK: ${process.argv[5]}`);
}
for (const [name, v] of [
  ["RERANDOMISATIONS", rerandomisations],
  ["BOOTSTRAP", bootstrapReps],
] as const) {
  if (!Number.isInteger(v) || v < 2) throw new Error(`invalid ${name}: ${v}`);
}
const FRACTION = 0.3; // the page's "treating the top 30%"
const SEED = 42; // the simulation's seed (scripts/pipeline.ts default): re-randomisations use other seeds

const table = tableFromIPC(await readFile(join(out, "telco", "customers.arrow")));
const truth = JSON.parse(await readFile(join(out, "telco", "ab-truth.json"), "utf8"));
interface Row {
  customer_id: string;
  contract: string;
  persona: Persona;
  ab_variant: "A" | "B";
  churn_observed: number;
  churn_if_control: number;
  churn_if_treated: number;
  oof_probability: number;
}
// Sorted by id, as the page sorts them, so the cross-fitting folds are the page's.
const rows = (table.toArray() as { toJSON(): Row }[])
  .map((r) => r.toJSON())
  .sort((a, b) => (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
const n = rows.length;
const stratum = rows.map((r) => stratumOf(r.contract, r.persona));
const covariate = rows.map((r) => r.oof_probability);
const persona = rows.map((r) => r.persona);
const trueAte = rows.reduce((s, r) => s + r.churn_if_treated - r.churn_if_control, 0) / n;
if (Math.abs(trueAte - truth.overall.ate) > 1e-12)
  throw new Error(`true ATE ${trueAte} ≠ ab-truth ${truth.overall.ate}`);

const pp = (x: number, d = 2) => `${x < 0 ? "−" : "+"}${Math.abs(100 * x).toFixed(d)}`;
const line = (name: string, e: Pick<EffectEstimate, "estimate" | "se" | "lo" | "hi">) =>
  `${name.padEnd(44)} ${pp(e.estimate)} pp  SE ${(100 * e.se).toFixed(3)} pp  95% CI ${pp(e.lo)} to ${pp(e.hi)} pp`;

/** The experiment under one assignment: observed outcome = the potential outcome of the assigned arm. */
function experiment(variants: readonly ("A" | "B")[]): ExperimentData {
  const treated = variants.map((v) => v === "B");
  const outcome = rows.map((r, i) => (treated[i] ? r.churn_if_treated : r.churn_if_control));
  return { outcome, treated, stratum, covariate };
}

// ---------------------------------------------------------------------------------------------- as observed
const observed = experiment(rows.map((r) => r.ab_variant));
rows.forEach((r, i) => {
  if (observed.outcome[i] !== r.churn_observed)
    throw new Error(`${r.customer_id}: ${observed.outcome[i]} ≠ churn_observed`);
});
const a = analyseExperiment(observed);
const kA = rows.filter((r) => r.ab_variant === "A");
const kB = rows.filter((r) => r.ab_variant === "B");
const sum = (xs: Row[]) => xs.reduce((s, r) => s + r.churn_observed, 0);
const wald = twoProportionTest(sum(kA), kA.length, sum(kB), kB.length);
const riskOnly = linAdjusted(observed.outcome, observed.treated, [covariate]);
const hc3 = linAdjusted(observed.outcome, observed.treated, [covariate, ...dummyColumns(stratum)], { hc: "HC3" });

console.log(`Telco A/B test: ${n} customers (${kA.length} A, ${kB.length} B), ${new Set(stratum).size} strata`);
console.log(`true ATE (simulation) ${pp(trueAte)} pp\n`);
console.log(line("simple difference, Wald SE (the page today)", { estimate: wald.diff, ...wald }));
console.log(line("simple difference, Neyman SE (HC2)", a.unstratified));
console.log(line("stratified difference, stratified SE", a.stratified));
console.log(line("Lin: risk only (HC2)", riskOnly));
console.log(line("Lin: risk + strata (HC2) ← decision", a.adjusted));
console.log(line("Lin: risk + strata (HC3)", hc3));
console.log(`variance removed by the adjustment beyond the strata: ${(100 * a.varianceReduction).toFixed(1)}%`);
const rUnadjusted = a.planningR2;
console.log(`variance removed against the simple Neyman SE: ${(100 * rUnadjusted).toFixed(1)}%\n`);

console.log("Per persona (Lin: risk + contract strata, HC2); Bonferroni ×6 simultaneous interval; Holm p:");
for (const g of groupEffects(observed, persona)) {
  const t = truth.by_persona[g.group].ate as number;
  console.log(
    `  ${g.group.padEnd(26)} n ${String(g.n).padStart(4)}  ${pp(g.estimate)} pp  SE ${(100 * g.se).toFixed(2)}` +
      `  95% ${pp(g.lo)} to ${pp(g.hi)}  simult. ${pp(g.simultaneousLo)} to ${pp(g.simultaneousHi)}` +
      `  p ${g.p.toFixed(4)} Holm ${g.pHolm.toFixed(4)}  truth ${pp(t)}`,
  );
}

const baseline = sum(kA) / kA.length;
console.log(`\nNext test (baseline churn ${(100 * baseline).toFixed(1)}%, α 0.05, power 0.8):`);
for (const [name, r2] of [
  ["unadjusted", 0],
  ["adjusted (R² vs simple)", rUnadjusted],
] as const) {
  console.log(
    `  ${name.padEnd(24)} MDE at ${kA.length}/${kB.length}: ${(100 * adjustedMde(baseline, kA.length, kB.length, { r2 })).toFixed(2)} pp;` +
      ` per arm for 2 pp: ${sampleSizePerArm(baseline, 0.02, { r2 })}, for 3 pp: ${sampleSizePerArm(baseline, 0.03, { r2 })}`,
  );
}

// ------------------------------------------------------------------------------------------------- uplift
const upliftRows = (o: ExperimentData): UpliftRow[] =>
  rows.map((r, i) => ({ stratum: `${r.persona} | ${r.contract}`, treated: o.treated[i]!, outcome: o.outcome[i]! }));
const observedUplift = upliftRows(observed);
const observedUpliftScore = Array.from(crossFitUplift(observedUplift), (u) => -u);
const started = Date.now();
// "uplift" refits the T-learner on every sample (the model's noise included); "uplift, fixed" keeps the scores of the
// model fitted on the data as observed (the evaluation's noise only, as for a model scored on a test set).
const boot = bootstrapQini(
  { treated: observed.treated, churned: observed.outcome, stratum },
  {
    uplift: upliftScorer(observedUplift),
    "uplift, fixed": fixedScorer(observedUpliftScore),
    risk: fixedScorer(covariate),
  },
  { fraction: FRACTION, reps: bootstrapReps, seed: 1 },
);
console.log(
  `\nQini, top ${100 * FRACTION}% targeted (bootstrap ${bootstrapReps}, seed 1, ${Date.now() - started} ms):`,
);
for (const name of Object.keys(boot.gain)) {
  const g = boot.gain[name]!;
  const ar = boot.area[name]!;
  console.log(
    `  ${name.padEnd(13)} gain ${g.estimate.toFixed(1)} churners (95% ${g.lo.toFixed(1)} to ${g.hi.toFixed(1)}, normal ${g.normalLo.toFixed(1)} to ${g.normalHi.toFixed(1)}, SE ${g.se.toFixed(1)}, bootstrap mean ${g.mean.toFixed(1)});` +
      ` area ${ar.estimate.toFixed(1)} (95% ${ar.lo.toFixed(1)} to ${ar.hi.toFixed(1)})`,
  );
}
for (const v of boot.versus) {
  console.log(
    `  ${v.a} − ${v.b}: gain ${v.gain.estimate.toFixed(1)} (95% ${v.gain.lo.toFixed(1)} to ${v.gain.hi.toFixed(1)}, normal ${v.gain.normalLo.toFixed(1)} to ${v.gain.normalHi.toFixed(1)}, SE ${v.gain.se.toFixed(1)}, bootstrap mean ${v.gain.mean.toFixed(1)});` +
      ` area ${v.area.estimate.toFixed(1)} (95% ${v.area.lo.toFixed(1)} to ${v.area.hi.toFixed(1)})`,
  );
}

// The simulation's ledger (as the page's right-hand chart): churners really prevented in the top 30% by each ranking.
const prevented = rows.map((r) => r.churn_if_control - r.churn_if_treated);
console.log(
  `  truly prevented in the top ${100 * FRACTION}%: uplift ${gainAt(cumulativeGain(observedUpliftScore, prevented), FRACTION).toFixed(1)},` +
    ` risk ${gainAt(cumulativeGain(covariate, prevented), FRACTION).toFixed(1)} (simulation ground truth)`,
);

// ------------------------------------------------------------------------------------- re-randomisation
const ids = rows.map((r, i) => ({ customer_id: r.customer_id, stratum: stratum[i]! }));
const methods = ["simple (Neyman)", "stratified", "Lin: risk only", "Lin: risk + strata", "Lin: risk + strata HC3"];
const draws = methods.map(() => ({ est: [] as number[], se: [] as number[], covered: 0 }));
const personaTruth = new Map(Object.entries(truth.by_persona).map(([p, s]) => [p, (s as { ate: number }).ate]));
let personaCovered = 0;
let personaAllCovered = 0;
let personaSimultaneousAll = 0;
let personaCount = 0;
const qiniDraws = { uplift: [] as number[], risk: [] as number[], lead: [] as number[] };
type Interval = [number, number];
// Checked: the refitted and the fixed-score uplift bootstraps, risk, and the two leads (uplift − risk).
const CHECKED = ["uplift", "uplift, fixed", "risk", "lead", "lead, fixed"] as const;
type Checked = (typeof CHECKED)[number];
const qiniIntervals: { percentile: Record<Checked, Interval>; normal: Record<Checked, Interval> }[] = [];
const t0 = Date.now();
for (let r = 1; r <= rerandomisations; r++) {
  const o = experiment(assignVariants(ids, SEED + r));
  const strata = dummyColumns(stratum);
  const estimates = [
    linAdjusted(o.outcome, o.treated, []),
    stratifiedDifference(o.outcome, o.treated, stratum),
    linAdjusted(o.outcome, o.treated, [covariate]),
    linAdjusted(o.outcome, o.treated, [covariate, ...strata]),
    linAdjusted(o.outcome, o.treated, [covariate, ...strata], { hc: "HC3" }),
  ];
  estimates.forEach((e, k) => {
    draws[k]!.est.push(e.estimate);
    draws[k]!.se.push(e.se);
    if (e.lo <= trueAte && trueAte <= e.hi) draws[k]!.covered++;
  });
  const groups = groupEffects(o, persona);
  let all = true;
  let allSimultaneous = true;
  for (const g of groups) {
    const t = personaTruth.get(g.group)!;
    const inside = g.lo <= t && t <= g.hi;
    personaCovered += inside ? 1 : 0;
    all &&= inside;
    allSimultaneous &&= g.simultaneousLo <= t && t <= g.simultaneousHi;
    personaCount++;
  }
  personaAllCovered += all ? 1 : 0;
  personaSimultaneousAll += allSimultaneous ? 1 : 0;
  const uplift = Array.from(crossFitUplift(upliftRows(o)), (u) => -u);
  const gu = gainAt(qiniCurve(uplift, o.treated, o.outcome).points, FRACTION);
  const gr = gainAt(qiniCurve(covariate, o.treated, o.outcome).points, FRACTION);
  qiniDraws.uplift.push(gu);
  qiniDraws.risk.push(gr);
  qiniDraws.lead.push(gu - gr);
  if (r <= bootstrapCheck) {
    const b = bootstrapQini(
      { treated: o.treated, churned: o.outcome, stratum },
      { uplift: upliftScorer(upliftRows(o)), "uplift, fixed": fixedScorer(uplift), risk: fixedScorer(covariate) },
      { fraction: FRACTION, reps: 200, seed: r },
    );
    const lead = (a: string) => b.versus.find((v) => v.a === a && v.b === "risk")!.gain;
    const summaries = {
      uplift: b.gain.uplift!,
      "uplift, fixed": b.gain["uplift, fixed"]!,
      risk: b.gain.risk!,
      lead: lead("uplift"),
      "lead, fixed": lead("uplift, fixed"),
    };
    const each = (f: (s: (typeof summaries)["lead"]) => Interval) =>
      Object.fromEntries(CHECKED.map((k) => [k, f(summaries[k])])) as Record<Checked, Interval>;
    qiniIntervals.push({
      percentile: each((s) => [s.lo, s.hi]),
      normal: each((s) => [s.normalLo, s.normalHi]),
    });
  }
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
console.log(
  `\nRe-randomisation check: ${rerandomisations} stratified re-assignments (seeds ${SEED + 1}…), ${Date.now() - t0} ms`,
);
console.log(`  ${"method".padEnd(24)} mean est.  true spread  mean SE   coverage of the true ATE`);
methods.forEach((m, k) => {
  const d = draws[k]!;
  console.log(
    `  ${m.padEnd(24)} ${pp(mean(d.est)).padStart(7)} pp  ${(100 * sd(d.est)).toFixed(3)} pp    ${(100 * mean(d.se)).toFixed(3)} pp  ${((100 * d.covered) / rerandomisations).toFixed(1)}%`,
  );
});
console.log(
  `  per persona: ${((100 * personaCovered) / personaCount).toFixed(1)}% of 95% intervals cover;` +
    ` all 6 cover together ${((100 * personaAllCovered) / rerandomisations).toFixed(1)}% (per-persona 95%),` +
    ` ${((100 * personaSimultaneousAll) / rerandomisations).toFixed(1)}% (Bonferroni)`,
);
console.log(
  `  Qini gain at ${100 * FRACTION}%, spread over re-randomisations: uplift SD ${sd(qiniDraws.uplift).toFixed(1)},` +
    ` risk SD ${sd(qiniDraws.risk).toFixed(1)}, uplift − risk SD ${sd(qiniDraws.lead).toFixed(1)}` +
    ` (mean lead ${mean(qiniDraws.lead).toFixed(1)})`,
);
if (bootstrapCheck > 0) {
  // The target: the expected Qini gain of this population under this design (its mean over re-randomisations).
  const targets: Record<Checked, number> = {
    uplift: mean(qiniDraws.uplift),
    "uplift, fixed": mean(qiniDraws.uplift),
    risk: mean(qiniDraws.risk),
    lead: mean(qiniDraws.lead),
    "lead, fixed": mean(qiniDraws.lead),
  };
  const line = (kind: "percentile" | "normal") =>
    CHECKED.map((k) => {
      const inside = qiniIntervals.filter((q) => q[kind][k][0] <= targets[k] && targets[k] <= q[kind][k][1]).length;
      return `${k} ${((100 * inside) / qiniIntervals.length).toFixed(0)}%`;
    }).join(", ");
  console.log(`  bootstrap intervals (200 samples) over ${bootstrapCheck} re-randomisations cover the mean gain:`);
  console.log(`    percentile: ${line("percentile")}`);
  console.log(`    estimate ± 1.96 bootstrap SE: ${line("normal")}`);
}
