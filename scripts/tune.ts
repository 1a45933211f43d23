/**
 * The recipe search, on development rows only: the pipeline's seeded 80/20 split is made first and only the
 * development rows are handed to the search, so the test rows can neither pick a candidate nor leak into a figure
 * (tests/models/tune.test.ts changes every test row's features and gets the same results).
 *   npx tsx scripts/tune.ts                      both data sets, the full grid (about 2 minutes on 2 cores)
 *   npx tsx scripts/tune.ts --dataset telco      one data set
 *   npx tsx scripts/tune.ts --quick              a smoke test: two tree candidates
 *   npx tsx scripts/tune.ts --out results.json   also write every figure as JSON
 * Same protocol as the pipeline's tune stage (models/pipeline.ts): each candidate is scored by stratified 5-fold CV
 * on the development rows (seed + 1), early stopping and Platt calibration on an inner split of each training part,
 * ranked by out-of-fold log loss. Also compared on the same folds: the logistic baseline on raw columns, with the
 * recipe's log1p columns, and with log1p of every numeric column skewed beyond 1 on the development rows, and the
 * 50/50 blend of the best trees with the recipe's logistic baseline. Seeded and single-threaded: the same seed gives
 * the same figures. Options from the environment as for the pipeline: TELCO_CSV, FOOD_N, SEED.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { foodRows } from "../data-loaders/food/generate.js";
import { optionsFromEnv } from "../data-loaders/options.js";
import { readTelco } from "../data-loaders/telco/ingest.js";
import {
  blendCv,
  crossValidateWith,
  holdoutRecipe,
  logisticRecipe,
  type CvResult,
} from "../models/cross-validation.js";
import { BLEND_WEIGHTS, RECIPES } from "../models/recipes.js";
import { prepare } from "../models/pipeline.js";
import type { Dataset, TreeParams } from "../models/train.js";
import { featureLayout, referenceColumns, specFor, type RawRow } from "../src/lib/features.js";

type Name = "telco" | "food";
type Figures = { rocAuc: number; brier: number; logLoss: number; ece: number };

export interface SearchResult {
  dataset: Name;
  seed: number;
  rows: { dev: number; test: number };
  criterion: string;
  trees: { params: TreeParams; cv: Figures }[];
  /** Index into `trees` of the lowest out-of-fold log loss. */
  best: number;
  logistic: { variant: string; log1p: string[]; cv: Figures }[];
  blend: { weights: number[]; cv: Figures };
}

/** The tree grid: depth × min child weight × column sample around the recipes, class weights as the recipe has them. */
export function treeGrid(name: Name, quick = false): TreeParams[] {
  const base = RECIPES[name].grid[0];
  const depths = quick ? [1, 2] : [1, 2, 3];
  const weights = quick ? [20] : [5, 20];
  const columns = quick ? [0.5] : [0.5, 0.8];
  return depths.flatMap((max_depth) =>
    weights.flatMap((min_child_weight) =>
      columns.map((colsample_bytree) => ({
        ...base,
        max_depth,
        eta: quick ? 0.1 : 0.05,
        min_child_weight,
        colsample_bytree,
      })),
    ),
  );
}

const figures = (cv: { rocAuc: { mean: number }; brier: { mean: number }; logLoss: { mean: number } }) => ({
  rocAuc: cv.rocAuc.mean,
  brier: cv.brier.mean,
  logLoss: cv.logLoss.mean,
});
const plattFigures = (cv: CvResult): Figures => ({
  ...figures(cv.perFold.platt),
  ece: cv.pooled.platt.summary.ece.mean,
});

/** Numeric encoded columns whose skewness on `dev` exceeds `threshold` and whose values are all ≥ 0. */
export function skewedColumns(name: Name, dev: Dataset, threshold = 1): string[] {
  const { names } = featureLayout(specFor(name));
  const numeric = specFor(name)
    .fields.filter((f) => f.kind === "numeric")
    .map((f) => f.name);
  return numeric.filter((column) => {
    const j = names.indexOf(column);
    const xs: number[] = [];
    for (let i = 0; i < dev.nrow; i++)
      if (!Number.isNaN(dev.data[i * dev.ncol + j])) xs.push(dev.data[i * dev.ncol + j]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    const skew = sd > 0 ? xs.reduce((a, x) => a + ((x - mean) / sd) ** 3, 0) / xs.length : 0;
    return skew > threshold && xs.every((x) => x >= 0);
  });
}

/**
 * Searches the grid on the development rows of `rows` (the pipeline's split for `seed`). The test rows are dropped
 * before anything else happens.
 */
export function searchRecipes(
  name: Name,
  records: readonly object[],
  {
    seed = 42,
    grid = treeGrid(name),
    log = (_: string) => {},
  }: { seed?: number; grid?: TreeParams[]; log?: (m: string) => void } = {},
): SearchResult {
  // Any record type whose fields the spec names (TelcoRecord, FoodRecord); the encoder validates the values.
  // The pipeline's own split: only its development rows go further.
  const { spec, split, dev } = prepare(name, records as readonly RawRow[], seed);
  const recipe = RECIPES[name];
  const folds = { k: 5, repeats: 1, seed: seed + 1 };
  const trees = grid.map((params) => {
    const cv = crossValidateWith(dev, holdoutRecipe({ ...recipe.base, params }), folds);
    log(
      `${name}: depth ${params.max_depth}, mcw ${params.min_child_weight}, colsample ${params.colsample_bytree} → log loss ${cv.perFold.platt.logLoss.mean.toFixed(4)}`,
    );
    return { params, result: cv };
  });
  const best = trees.reduce(
    (b, t, i) => (t.result.perFold.platt.logLoss.mean < trees[b].result.perFold.platt.logLoss.mean ? i : b),
    0,
  );
  const { names } = featureLayout(spec);
  const drop = referenceColumns(spec);
  const variants: [string, string[]][] = [
    ["raw columns", []],
    ["log1p as in models/recipes.ts", [...recipe.logisticLog1p]],
    ["log1p of every numeric column with skewness > 1", skewedColumns(name, dev)],
    ["log1p of every numeric column", skewedColumns(name, dev, -Infinity)],
  ];
  const logistic = variants.map(([variant, log1p]) => {
    const log1pColumns = log1p.map((c) => names.indexOf(c));
    const cv = crossValidateWith(
      dev,
      logisticRecipe(recipe.base.innerValid, { dropColumns: drop, seed, log1pColumns }),
      folds,
    );
    log(`${name}: logistic, ${variant} → log loss ${cv.perFold.platt.logLoss.mean.toFixed(4)}`);
    return { variant, log1p, result: cv };
  });
  const blend = blendCv(dev.label, [trees[best].result, logistic[1].result], BLEND_WEIGHTS);
  return {
    dataset: name,
    seed,
    rows: { dev: split.train.length, test: split.test.length },
    criterion: "mean out-of-fold log loss of Platt-calibrated predictions, stratified 5-fold CV on development rows",
    trees: trees.map((t) => ({ params: t.params, cv: plattFigures(t.result) })),
    best,
    logistic: logistic.map((l) => ({ variant: l.variant, log1p: l.log1p, cv: plattFigures(l.result) })),
    blend: { weights: blend.weights, cv: { ...figures(blend.perFold), ece: blend.pooled.summary.ece.mean } },
  };
}

/** The result as a readable Markdown report. */
export function report(r: SearchResult): string {
  const f = (x: number) => x.toFixed(4);
  const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  const chosen = RECIPES[r.dataset].grid;
  const inRecipe = (p: TreeParams) =>
    chosen.some((c) => (Object.keys(c) as (keyof TreeParams)[]).every((k) => c[k] === p[k])) ? "yes" : "";
  return [
    `## ${r.dataset}: ${r.rows.dev} development rows (${r.rows.test} test rows never read), seed ${r.seed}`,
    "",
    `Ranked by ${r.criterion}.`,
    "",
    row([
      "depth",
      "eta",
      "min child weight",
      "column sample",
      "log loss",
      "ROC AUC",
      "Brier",
      "pooled ECE",
      "in recipes.ts",
    ]),
    row(Array(9).fill("---")),
    ...r.trees
      .map((t, i) => ({ ...t, i }))
      .sort((a, b) => a.cv.logLoss - b.cv.logLoss)
      .map((t) =>
        row([
          t.params.max_depth,
          t.params.eta,
          t.params.min_child_weight,
          t.params.colsample_bytree,
          `${f(t.cv.logLoss)}${t.i === r.best ? " (best)" : ""}`,
          f(t.cv.rocAuc),
          f(t.cv.brier),
          f(t.cv.ece),
          inRecipe(t.params),
        ]),
      ),
    "",
    row(["logistic baseline", "log1p columns", "log loss", "ROC AUC", "Brier", "pooled ECE"]),
    row(Array(6).fill("---")),
    ...r.logistic.map((l) =>
      row([l.variant, l.log1p.join(", ") || "none", f(l.cv.logLoss), f(l.cv.rocAuc), f(l.cv.brier), f(l.cv.ece)]),
    ),
    row([
      `blend ${r.blend.weights.join("/")}: best trees + recipe logistic`,
      "",
      f(r.blend.cv.logLoss),
      f(r.blend.cv.rocAuc),
      f(r.blend.cv.brier),
      f(r.blend.cv.ece),
    ]),
    "",
  ].join("\n");
}

async function rowsOf(name: Name, options: ReturnType<typeof optionsFromEnv>): Promise<readonly object[]> {
  if (name === "telco") return (await readTelco({ path: options.telcoCsv })).rows;
  return [...foodRows({ n: options.foodN, seed: options.seed })];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { dataset: { type: "string" }, quick: { type: "boolean" }, out: { type: "string" } },
  });
  const datasets: Name[] =
    values.dataset === undefined
      ? ["telco", "food"]
      : values.dataset === "telco" || values.dataset === "food"
        ? [values.dataset]
        : [];
  if (!datasets.length) {
    process.stderr.write(`tune: --dataset must be telco or food, not ${JSON.stringify(values.dataset)}\n`);
    process.exit(2);
  }
  const options = optionsFromEnv();
  const results: SearchResult[] = [];
  for (const name of datasets) {
    const rows = await rowsOf(name, options);
    const result = searchRecipes(name, rows, {
      seed: options.seed,
      grid: treeGrid(name, values.quick),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    results.push(result);
    process.stdout.write(`${report(result)}\n`);
  }
  if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
}
