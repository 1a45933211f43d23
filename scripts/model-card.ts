/**
 * The model card's figures (docs/model-card.md, between `<!-- card:<block> -->` and `<!-- /card:<block> -->`),
 * written from the pipeline's artifacts in src/data/, so the card cannot quote stale numbers.
 *   npm run docs                       rewrite docs/data.md and docs/model-card.md
 *   npx tsx scripts/model-card.ts      rewrite docs/model-card.md only
 *   (tests/docs/model-card.test.ts fails when the card is not what this would write from src/data/)
 * The card describes the default build (SEED 42, FOOD_N 20000, CV_REPEATS 3); artifacts built otherwise are refused.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC } from "apache-arrow";
import { summarize, type ScoreSummary } from "../models/metrics.js";
import type { PublishedMetrics } from "../src/lib/artifacts.js";
import { labelOf } from "../src/lib/columns.js";
import { describeLead, type Lead, pairedLead, wins, type FoldFigures } from "../src/lib/model-comparison.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MODEL_CARD = join(ROOT, "docs", "model-card.md");
export const DATA_DIR = join(ROOT, "src", "data");
/** The build the card describes. */
export const DEFAULT_BUILD = { seed: 42, foodRows: 20_000, cvRepeats: 3 } as const;

type Name = "telco" | "food";
export interface CardInputs {
  telco: PublishedMetrics;
  food: PublishedMetrics;
  /** The food generator's true probabilities scored like a model: all rows, and the test rows. */
  foodTruth: { all: ScoreSummary; test: ScoreSummary };
}

/** Reads the artifacts the card quotes; a missing file or a non-default build is an error saying what to run. */
export function loadCardInputs(dir = DATA_DIR): CardInputs {
  const read = (path: string) => {
    try {
      return readFileSync(join(dir, path));
    } catch {
      throw new Error(`${join(dir, path)} is missing: run \`npm run pipeline\` first (the card quotes its artifacts)`);
    }
  };
  const metrics = (name: Name): PublishedMetrics => JSON.parse(read(`${name}/metrics.json`).toString("utf8"));
  const telco = metrics("telco");
  const food = metrics("food");
  const build = { seed: telco.seed, foodRows: food.rows, cvRepeats: telco.cv.xgboost.repeats };
  if (
    build.seed !== DEFAULT_BUILD.seed ||
    food.seed !== DEFAULT_BUILD.seed ||
    build.foodRows !== DEFAULT_BUILD.foodRows ||
    build.cvRepeats !== DEFAULT_BUILD.cvRepeats ||
    food.cv.xgboost.repeats !== DEFAULT_BUILD.cvRepeats
  )
    throw new Error(
      `${dir} was built with SEED ${build.seed}, FOOD_N ${build.foodRows}, CV_REPEATS ${build.cvRepeats}; the model ` +
        `card describes the default build (${DEFAULT_BUILD.seed}, ${DEFAULT_BUILD.foodRows}, ${DEFAULT_BUILD.cvRepeats}): ` +
        "run `npm run pipeline` without those variables",
    );
  const table = tableFromIPC(read("food/customers.arrow"));
  const y = Float64Array.from(table.getChild("churned")!.toArray() as ArrayLike<number>);
  const p = Float64Array.from(table.getChild("true_churn_prob")!.toArray() as ArrayLike<number>);
  const split = table.getChild("split")!.toArray() as string[];
  const test = [...split.keys()].filter((i) => split[i] === "test");
  const foodTruth = {
    all: summarize(y, p),
    test: summarize(
      test.map((i) => y[i]),
      test.map((i) => p[i]),
    ),
  };
  return { telco, food, foodTruth };
}

// ------------------------------------------------------------------------------------------------- formatting
const f4 = (x: number) => x.toFixed(4);
const f3 = (x: number) => x.toFixed(3);
const pm = (s: { mean: number; sd: number }) => `${f4(s.mean)} ± ${f4(s.sd)}`;
const int = (n: number) => n.toLocaleString("en-US");
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const table = (header: string[], rows: (string | number)[][]) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const NAMES: Record<Name, string> = { telco: "Telco", food: "Food delivery" };

const plattFolds = (cv: PublishedMetrics["cv"]["xgboost"]): FoldFigures[] =>
  cv.folds.map((f) => ({ repeat: f.repeat, fold: f.fold, metrics: f.metrics.platt }));

/** The tree parameters as the card prints them: `max_depth 1, eta 0.05, …`. */
function params(m: PublishedMetrics): string {
  const p = m.model.params;
  const parts = [
    `max_depth ${p.max_depth}`,
    `eta ${p.eta}`,
    `min_child_weight ${p.min_child_weight}`,
    `subsample ${p.subsample}`,
    `colsample_bytree ${p.colsample_bytree}`,
    `lambda ${p.lambda}`,
    ...(p.scale_pos_weight !== 1 ? [`scale_pos_weight ${p.scale_pos_weight}`] : []),
  ];
  return `\`${parts.join(", ")}\``;
}

const log1pText = (m: PublishedMetrics, dataset: Name) =>
  m.logistic.log1p.map((c) => labelOf(dataset, c).toLowerCase()).join(", ");

// ------------------------------------------------------------------------------------------------- the blocks
function dataBlock({ telco, food }: CardInputs): string {
  const rate = (m: PublishedMetrics) => pct(m.positives / m.rows);
  return table(
    ["", "Telco", "Food delivery"],
    [
      [
        "source",
        "IBM Telco Customer Churn sample (Apache-2.0)",
        "synthetic, seeded generator with a known logistic truth (`food/truth.json`)",
      ],
      [
        "outcome",
        `\`churn\`: ${int(telco.positives)} of ${int(telco.rows)} (${rate(telco)}), the observed IBM label`,
        `\`churned\`: ${int(food.positives)} of ${int(food.rows)} (${rate(food)})`,
      ],
      [
        "features",
        "the real IBM columns only; never the simulated ones (persona, A/B arm, …)",
        "every generator input except LTV and the true probability",
      ],
      [
        "rows",
        `${int(telco.rows)}: ${int(telco.split.dev)} development, ${int(telco.split.test)} test; 11 blank \`TotalCharges\` (tenure 0) are 0 = _not billed yet_`,
        `${int(food.rows)} (pipeline default): ${int(food.split.dev)} development, ${int(food.split.test)} test`,
      ],
    ],
  );
}

function tuningBlock(inputs: CardInputs): string {
  return (["telco", "food"] as const)
    .map((name) => {
      const m = inputs[name];
      const rows = m.tuning.candidates.map((c, i) => [
        c.params.max_depth,
        c.params.eta,
        c.params.min_child_weight,
        c.params.colsample_bytree,
        c.params.scale_pos_weight,
        i === m.tuning.chosen ? `**${f4(c.cv.logLoss.mean)}** (chosen)` : f4(c.cv.logLoss.mean),
        f4(c.cv.rocAuc.mean),
        f4(c.cv.brier.mean),
      ]);
      const header = [
        "depth",
        "eta",
        "min child weight",
        "column sample",
        "class weight",
        "log loss",
        "ROC AUC",
        "Brier",
      ];
      const chosen =
        `${NAMES[name]}: chosen ${params(m)}, refit for ${m.model.rounds} rounds ` +
        `(the mean of the inner folds' best rounds: ${m.model.innerRounds.join(", ")}).`;
      return `${NAMES[name]}, the pipeline's grid on development rows:\n\n${table(header, rows)}\n\n${chosen}`;
    })
    .join("\n\n");
}

/** The CV and test table of one data set: XGBoost (three calibrations), both logistic baselines and the blend. */
function metricsTable(m: PublishedMetrics): string {
  const { xgboost, logistic, logisticRaw, blend } = m.cv;
  const cvRow = (
    model: string,
    s: PublishedMetrics["cv"]["blend"]["perFold"],
    pooled: PublishedMetrics["cv"]["blend"]["pooled"]["summary"],
  ) => [model, pm(s.rocAuc), pm(s.prAuc), pm(s.logLoss), pm(s.brier), pm(s.ece), pm(pooled.ece)];
  const testRow = (model: string, s: ScoreSummary) => [
    model,
    f4(s.rocAuc),
    f4(s.prAuc),
    f4(s.logLoss),
    f4(s.brier),
    f4(s.ece),
    "",
  ];
  const fair = `logistic + Platt, ${m.logistic.log1p.length} columns as log1p`;
  return table(
    ["", "ROC AUC", "PR AUC", "log loss", "Brier", "ECE per fold", "ECE pooled out-of-fold"],
    [
      cvRow("**XGBoost + Platt (published)**", xgboost.perFold.platt, xgboost.pooled.platt.summary),
      cvRow("XGBoost, not recalibrated", xgboost.perFold.uncalibrated, xgboost.pooled.uncalibrated.summary),
      cvRow("XGBoost + isotonic", xgboost.perFold.isotonic, xgboost.pooled.isotonic.summary),
      cvRow(`${fair} (fair baseline)`, logistic.perFold.platt, logistic.pooled.platt.summary),
      cvRow(
        "logistic, raw columns + Platt (old baseline)",
        logisticRaw.perFold.platt,
        logisticRaw.pooled.platt.summary,
      ),
      cvRow("50/50 blend of XGBoost and the fair baseline", blend.perFold, blend.pooled.summary),
      testRow(`**test split**, XGBoost + Platt`, m.test.calibrated),
      testRow("test split, fair logistic baseline", m.test.logistic),
      testRow("test split, old logistic baseline", m.test.logisticRaw),
      testRow("test split, 50/50 blend", m.test.blend),
    ],
  );
}

function telcoMetricsBlock({ telco: m }: CardInputs): string {
  const cv = m.cv.xgboost.perFold.platt;
  const ece = m.cv.xgboost.pooled.platt.summary.ece.mean;
  const tick = (ok: boolean) => (ok ? "✔" : "✘ missed");
  const c = m.test.confusion;
  return [
    `Telco, repeated stratified 5-fold CV (${m.cv.xgboost.repeats} × ${m.cv.xgboost.k} folds, seed ${m.cv.xgboost.seed}; mean ± sd across folds; pooled ECE: mean ± sd over repeats) and the test split (${int(m.split.test)} customers):`,
    "",
    metricsTable(m),
    "",
    `The fair baseline takes log1p of ${log1pText(m, "telco")}.`,
    "",
    `Targets (CV of the final recipe): ROC AUC ≥ 0.850 ${tick(cv.rocAuc.mean >= 0.85)} (${f4(cv.rocAuc.mean)}), ` +
      `Brier ≤ 0.134 ${tick(cv.brier.mean <= 0.134)} (${f4(cv.brier.mean)}), ` +
      `pooled ECE ≤ 0.02 ${tick(ece <= 0.02)} (${f4(ece)}).`,
    "",
    `Confusion matrix on the test split at threshold ${f3(m.test.threshold.value)} (the F1-maximising threshold on ` +
      `development rows' out-of-fold calibrated predictions, not on test rows): TP ${c.tp}, FP ${c.fp}, TN ${c.tn}, ` +
      `FN ${c.fn} (precision ${c.precision.toFixed(2)}, recall ${c.recall.toFixed(2)}).`,
  ].join("\n");
}

function foodMetricsBlock({ food: m, foodTruth }: CardInputs): string {
  return [
    `Food delivery (${int(m.rows)} rows; CV ${m.cv.xgboost.repeats} × ${m.cv.xgboost.k}, test ${int(m.split.test)} rows):`,
    "",
    metricsTable(m),
    "",
    `The fair baseline takes log1p of ${log1pText(m, "food")}.`,
    "",
    `The generator's true probabilities score ROC AUC ${f4(foodTruth.all.rocAuc)} and Brier ${f4(foodTruth.all.brier)} ` +
      `on all rows (test rows: ${f4(foodTruth.test.rocAuc)} and ${f4(foodTruth.test.brier)}): the ceiling any model ` +
      "can reach on this data.",
  ].join("\n");
}

/** Which of two models ranks better on the same folds, or that they tie within two standard errors. */
function verdict(a: string, b: string, lead: Lead): string {
  if (Math.abs(lead.mean) < 2 * lead.se) return `${a} and ${b} rank equally well within the noise`;
  return lead.mean > 0 ? `${a} ranks better than ${b}` : `${b} ranks better than ${a}`;
}

function comparisonBlock(inputs: CardInputs): string {
  const lines = (["telco", "food"] as const).map((name) => {
    const m = inputs[name];
    const xgb = plattFolds(m.cv.xgboost);
    const fair = plattFolds(m.cv.logistic);
    const raw = plattFolds(m.cv.logisticRaw);
    const blend = m.cv.blend.folds;
    const lead = (a: FoldFigures[], b: FoldFigures[]) =>
      `ROC AUC ${describeLead(pairedLead(a, b, "rocAuc"))}, Brier ${describeLead(pairedLead(a, b, "brier"))}`;
    const blendLead = pairedLead(blend, xgb, "rocAuc");
    return (
      `- **${NAMES[name]}** (${xgb.length} paired folds). XGBoost minus the fair baseline: ${lead(xgb, fair)}: ` +
      `${verdict("XGBoost", "the fair baseline", pairedLead(xgb, fair, "rocAuc"))}. ` +
      `XGBoost minus the old raw-column baseline: ${lead(xgb, raw)}. ` +
      `The 50/50 blend minus XGBoost: ${lead(blend, xgb)}; ` +
      (wins(blend, xgb)
        ? `the blend wins out of sample on both scores${Math.abs(blendLead.mean) < 2 * blendLead.se ? ", by less than the noise" : ""}, so the Models page shows it as a comparison.`
        : "the blend does not win out of sample on both scores, so the Models page does not show it.")
    );
  });
  return lines.join("\n");
}

function calibrationBlock(inputs: CardInputs): string {
  return (["telco", "food"] as const)
    .map((name) => {
      const { comparison: c, platt } = inputs[name].calibration;
      return (
        `- ${NAMES[name]}: Platt Brier ${f4(c.platt.brier)}, ECE ${f4(c.platt.ece)}, log loss ${f4(c.platt.logLoss)}; ` +
        `isotonic Brier ${f4(c.isotonic.brier)}, ECE ${f4(c.isotonic.ece)}, log loss ${f4(c.isotonic.logLoss)}; ` +
        `not recalibrated Brier ${f4(c.uncalibrated.brier)}, ECE ${f4(c.uncalibrated.ece)}. ` +
        `Final Platt map: slope ${f3(platt.a)}, intercept ${f3(platt.b)}.`
      );
    })
    .join("\n");
}

function shapBlock(inputs: CardInputs): string {
  return (["telco", "food"] as const)
    .map((name) => {
      const m = inputs[name];
      const top = m.shap.importance
        .slice(0, 5)
        .map((d) => `${labelOf(name, d.feature).toLowerCase()} ${f3(d.meanAbs)}`)
        .join(", ");
      return (
        `- ${NAMES[name]}: additivity max |Σφ − margin| ${m.shap.maxAdditivityError.toExponential(1)} ` +
        `(threshold 1e-4); mean |SHAP| in probability units: ${top}.`
      );
    })
    .join("\n");
}

function directionsBlock({ food: m }: CardInputs): string {
  const rows = m.logistic.truthComparison ?? [];
  const sign = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "0");
  const list = rows.map((d) => `${labelOf("food", d.feature).toLowerCase()} ${sign(d.truth)}`).join(", ");
  const recovered = rows.filter((d) => d.agrees).length;
  return (
    `On the food data, the fair baseline recovers the direction of ${recovered} of the generator's ${rows.length} ` +
    `true coefficients (truth: ${list}). Magnitudes compare only roughly: the truth is per fixed sd of its own ` +
    "transform, the estimate per sd of the column as the baseline sees it."
  );
}

const BLOCKS: Record<string, (inputs: CardInputs) => string> = {
  data: dataBlock,
  tuning: tuningBlock,
  "metrics-telco": telcoMetricsBlock,
  "metrics-food": foodMetricsBlock,
  comparison: comparisonBlock,
  calibration: calibrationBlock,
  shap: shapBlock,
  directions: directionsBlock,
};

/** The card with every generated block replaced, formatted as Prettier formats it; throws on a missing marker. */
export async function renderModelCard(text: string, inputs: CardInputs): Promise<string> {
  let out = text;
  for (const [name, block] of Object.entries(BLOCKS)) {
    const open = `<!-- card:${name} -->`;
    const close = `<!-- /card:${name} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`docs/model-card.md: the markers ${open} … ${close} are missing`);
    out = `${out.slice(0, a + open.length)}\n\n${block(inputs)}\n\n${out.slice(b)}`;
  }
  const prettier = await import("prettier");
  const options = await prettier.resolveConfig(MODEL_CARD);
  return prettier.format(out, { ...options, filepath: MODEL_CARD });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(MODEL_CARD, await renderModelCard(readFileSync(MODEL_CARD, "utf8"), loadCardInputs()));
  process.stderr.write("docs/model-card.md: figures written from src/data/\n");
}
