/**
 * ONNX export of the calibrated model for onnxruntime-web:
 *   features [N, nfeat] float → TreeEnsembleRegressor (ai.onnx.ml 3; margin) → Mul(a) → Add(b) → Sigmoid → probability [N, 1]
 * Attributes that each broke parity when wrong (DESIGN.md): BRANCH_LT (XGBoost sends x < t left),
 * missing_value_tracks_true = default_left, base_values = [logit(base_score)], float32 thresholds. No ZipMap.
 */
import onnxProto from "onnx-proto";
import type { Platt } from "./calibrate.js";
import type { ParsedModel } from "./trees.js";

const { onnx } = onnxProto;
const A = onnx.AttributeProto.AttributeType;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const utf8 = (s: string) => new TextEncoder().encode(s);

type Attr = InstanceType<typeof onnx.AttributeProto>;
const ints = (name: string, values: number[]): Attr => onnx.AttributeProto.create({ name, type: A.INTS, ints: values });
const floats = (name: string, values: number[]): Attr =>
  onnx.AttributeProto.create({ name, type: A.FLOATS, floats: values });
const str = (name: string, value: string): Attr => onnx.AttributeProto.create({ name, type: A.STRING, s: utf8(value) });
const strs = (name: string, values: string[]): Attr =>
  onnx.AttributeProto.create({ name, type: A.STRINGS, strings: values.map(utf8) });
const int = (name: string, value: number): Attr => onnx.AttributeProto.create({ name, type: A.INT, i: value });

function tensorInfo(name: string, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function scalar(name: string, value: number) {
  return onnx.TensorProto.create({ name, dataType: FLOAT, dims: [1], floatData: [Math.fround(value)] });
}

/** The TreeEnsembleRegressor node's attributes for the parsed booster. */
function ensembleAttributes(model: ParsedModel): Attr[] {
  const nodeTree: number[] = [];
  const nodeId: number[] = [];
  const feature: number[] = [];
  const mode: string[] = [];
  const value: number[] = [];
  const yes: number[] = [];
  const no: number[] = [];
  const missingTrue: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetWeight: number[] = [];
  model.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.left.length; i++) {
      const leaf = tree.left[i] < 0;
      nodeTree.push(t);
      nodeId.push(i);
      feature.push(leaf ? 0 : tree.feature[i]);
      mode.push(leaf ? "LEAF" : "BRANCH_LT");
      value.push(leaf ? 0 : Math.fround(tree.threshold[i]));
      yes.push(leaf ? 0 : tree.left[i]);
      no.push(leaf ? 0 : tree.right[i]);
      missingTrue.push(leaf ? 0 : tree.defaultLeft[i]);
      if (leaf) {
        targetTree.push(t);
        targetNode.push(i);
        targetWeight.push(Math.fround(tree.value[i]));
      }
    }
  });
  return [
    str("aggregate_function", "SUM"),
    floats("base_values", [model.baseMargin]),
    int("n_targets", 1),
    ints("nodes_falsenodeids", no),
    ints("nodes_featureids", feature),
    ints("nodes_missing_value_tracks_true", missingTrue),
    strs("nodes_modes", mode),
    ints("nodes_nodeids", nodeId),
    ints("nodes_treeids", nodeTree),
    ints("nodes_truenodeids", yes),
    floats("nodes_values", value),
    str("post_transform", "NONE"),
    ints(
      "target_ids",
      targetTree.map(() => 0),
    ),
    ints("target_nodeids", targetNode),
    ints("target_treeids", targetTree),
    floats("target_weights", targetWeight),
  ];
}

export interface OnnxOptions {
  /** Stored as the model's doc string and graph name; keep it free of clocks so bytes stay reproducible. */
  name?: string;
  featureNames?: readonly string[];
}

/** Serialises the booster + Platt calibration as ONNX bytes (deterministic for the same inputs). */
export function exportOnnx(
  model: ParsedModel,
  platt: Platt,
  { name = "retention-lab", featureNames }: OnnxOptions = {},
): Uint8Array {
  const nfeat = model.numFeature;
  const nodes = [
    onnx.NodeProto.create({
      name: "trees",
      opType: "TreeEnsembleRegressor",
      domain: "ai.onnx.ml",
      input: ["features"],
      output: ["margin"],
      attribute: ensembleAttributes(model),
    }),
    onnx.NodeProto.create({ name: "platt_scale", opType: "Mul", input: ["margin", "platt_a"], output: ["scaled"] }),
    onnx.NodeProto.create({ name: "platt_shift", opType: "Add", input: ["scaled", "platt_b"], output: ["logit"] }),
    onnx.NodeProto.create({ name: "sigmoid", opType: "Sigmoid", input: ["logit"], output: ["probability"] }),
  ];
  const graph = onnx.GraphProto.create({
    name,
    node: nodes,
    initializer: [scalar("platt_a", platt.a), scalar("platt_b", platt.b)],
    input: [tensorInfo("features", ["N", nfeat])],
    output: [tensorInfo("probability", ["N", 1]), tensorInfo("margin", ["N", 1])],
  });
  const modelProto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "retention-lab",
    producerVersion: "1",
    docString: `${name}: XGBoost margin → Platt (a=${platt.a}, b=${platt.b}) → probability`,
    opsetImport: [
      { domain: "", version: 17 },
      { domain: "ai.onnx.ml", version: 3 },
    ],
    graph,
    metadataProps: featureNames ? [{ key: "feature_names", value: JSON.stringify(featureNames) }] : [],
  });
  return onnx.ModelProto.encode(modelProto).finish();
}
