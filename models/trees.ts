/**
 * Reads XGBoost's JSON model (1.7 schema) into compact trees: the trees.json artifact for the browser's
 * TreeSHAP and the ONNX exporter. Only binary:logistic gbtree models are accepted.
 */
import { logit, type Platt } from "./calibrate.js";
import type { CompactTree, TreesJson } from "../src/lib/treeshap.js";

interface XgbJsonTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: (number | boolean)[];
  sum_hessian: number[];
  tree_param: { num_feature: string };
}

export interface ParsedModel {
  baseScore: number;
  baseMargin: number;
  numFeature: number;
  trees: CompactTree[];
}

/** Parses the booster's JSON bytes (as saveJson() returns them). */
export function parseXgboostJson(bytes: Uint8Array | string): ParsedModel {
  const model = JSON.parse(typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes));
  const learner = model?.learner;
  const objective = learner?.objective?.name;
  if (objective !== "binary:logistic")
    throw new Error(`unsupported objective: ${objective} (expected binary:logistic)`);
  const booster = learner.gradient_booster;
  if (booster?.name !== "gbtree") throw new Error(`unsupported booster: ${booster?.name} (expected gbtree)`);
  const baseScore = Number(learner.learner_model_param.base_score);
  if (!(baseScore > 0 && baseScore < 1))
    throw new Error(`invalid base_score: ${learner.learner_model_param.base_score}`);
  const numFeature = Number(learner.learner_model_param.num_feature);
  const trees = (booster.model.trees as XgbJsonTree[]).map((t, k): CompactTree => {
    const n = t.left_children.length;
    const isLeaf = (i: number) => t.left_children[i] === -1;
    const tree: CompactTree = {
      left: [...t.left_children],
      right: [...t.right_children],
      feature: t.split_indices.map((f, i) => (isLeaf(i) ? 0 : f)),
      // XGBoost stores and compares float32; rounding here keeps every consumer on the same values.
      threshold: t.split_conditions.map((c, i) => (isLeaf(i) ? 0 : Math.fround(c))),
      defaultLeft: t.default_left.map((d, i) => (isLeaf(i) ? 0 : Number(d))),
      value: t.split_conditions.map((c, i) => (isLeaf(i) ? Math.fround(c) : 0)),
      cover: [...t.sum_hessian],
    };
    for (const key of Object.keys(tree) as (keyof CompactTree)[])
      if (tree[key].length !== n) throw new Error(`tree ${k}: ${key} has ${tree[key].length} entries, expected ${n}`);
    return tree;
  });
  return { baseScore, baseMargin: logit(baseScore), numFeature, trees };
}

/** Builds the trees.json artifact. */
export function treesJson(
  dataset: string,
  model: ParsedModel,
  platt: Platt,
  featureNames: readonly string[],
  featureGroups: readonly string[],
): TreesJson {
  if (featureNames.length !== model.numFeature)
    throw new Error(
      `feature names (${featureNames.length}) do not match the model's num_feature (${model.numFeature})`,
    );
  return {
    format: "retention-lab-trees",
    version: 1,
    dataset,
    baseMargin: model.baseMargin,
    platt: { a: platt.a, b: platt.b },
    featureNames: [...featureNames],
    featureGroups: [...featureGroups],
    trees: model.trees,
  };
}
