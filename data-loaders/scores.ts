/**
 * Per-row outputs of a model stage as the published tables carry them: scores, top drivers, SHAP rows, messages.
 * Everything takes row scores by position, so the same code serves a whole data set (Telco) and one batch of a
 * streamed base (data-loaders/food/stage.ts).
 */
import type { ModelArtifacts } from "../models/pipeline.js";
import type { MessageRow } from "../src/lib/artifacts.js";
import type { RawRow } from "../src/lib/features.js";
import { riskTier } from "../src/lib/tiers.js";
import type { Driver, Message } from "./llm/index.js";

/** The per-row part of a model's outputs: the whole data set, or one batch. */
export type RowScores = Pick<
  ModelArtifacts,
  "ids" | "probability" | "oofProbability" | "oofUncalibrated" | "oofLogistic" | "split"
> & { shap: Pick<ModelArtifacts["shap"], "groups" | "values"> };

const DRIVERS_PER_ROW = 3;

/** Per-row scores appended to a data set's table (src/lib/columns.ts SCORE_COLUMNS). */
export interface Scored {
  probability: number;
  oof_probability: number;
  oof_uncalibrated: number;
  oof_logistic: number;
  risk_tier: string;
  split: string;
  driver_1: string;
  driver_2: string;
  driver_3: string;
}

/** The source features that raise this row's risk most, strongest first ("" when fewer raise it). */
function topDrivers(s: RowScores, i: number, n = DRIVERS_PER_ROW): { index: number; value: number }[] {
  const g = s.shap.groups.length;
  return s.shap.groups
    .map((_, j) => ({ index: j, value: s.shap.values[i * g + j] }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.index - b.index)
    .slice(0, n);
}

function scoredRows(s: RowScores): Scored[] {
  return s.ids.map((_, i) => {
    const raising = topDrivers(s, i, s.shap.groups.length).filter((d) => d.value > 0);
    const name = (k: number) => (raising[k] ? s.shap.groups[raising[k].index] : "");
    return {
      probability: s.probability[i],
      oof_probability: s.oofProbability[i],
      oof_uncalibrated: s.oofUncalibrated[i],
      oof_logistic: s.oofLogistic[i],
      risk_tier: riskTier(s.probability[i]),
      split: s.split[i],
      driver_1: name(0),
      driver_2: name(1),
      driver_3: name(2),
    };
  });
}

/** SHAP in probability terms, one column per source feature, keyed by id (never by row position). */
export function shapRows(s: RowScores): { customer_id: string }[] {
  const g = s.shap.groups.length;
  return s.ids.map((id, i) => {
    const row: Record<string, string | number> = { customer_id: id };
    s.shap.groups.forEach((group, j) => {
      row[group] = s.shap.values[i * g + j];
    });
    return row as { customer_id: string };
  });
}

/** Row i's strongest drivers as the message generator takes them. */
export function driversOf(s: RowScores, i: number, row: RawRow): Driver[] {
  return topDrivers(s, i).map(({ index, value }) => {
    const name = s.shap.groups[index];
    const raw = row[name];
    return {
      name,
      value: typeof raw === "number" ? raw : String(raw ?? ""),
      direction: value > 0 ? "raises" : "lowers",
      impact: value,
    };
  });
}

export function messageRows(ids: string[], messages: Record<string, Message>): MessageRow[] {
  return ids.map((id) => {
    const { text, provenance: p } = messages[id];
    return {
      id,
      text,
      source: p.source,
      provider: p.provider ?? "",
      model: p.model ?? "",
      prompt_hash: p.promptHash ?? "",
      prompt_version: p.promptVersion ?? "",
      generated_at: p.generatedAt ?? "",
      reason: p.reason ?? "",
      template: p.template ?? "",
    };
  });
}

/** Metrics as written: wall-clock figures are logged, not stored (same inputs → same bytes). */
export function publishedMetrics(model: Pick<ModelArtifacts, "metrics" | "dataset">, log: (line: string) => void) {
  const { timings, ...metrics } = model.metrics;
  log(`${model.dataset}: timings ${JSON.stringify(timings)}`);
  return JSON.parse(JSON.stringify(metrics, (key, value) => (key === "seconds" ? undefined : value)));
}

/** Each row with its scores appended. */
export function withScores<T extends object>(s: RowScores, rows: readonly T[]): (T & Scored)[] {
  const scored = scoredRows(s);
  return rows.map((r, i) => ({ ...r, ...scored[i] }));
}
