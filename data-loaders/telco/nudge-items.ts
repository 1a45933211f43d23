/**
 * What each Telco nudge is written from: the customer's facts (plan, behaviour, A/B variant), the model's top SHAP
 * drivers and, for customers at or above the operating threshold, the cheapest smallest set of actionable offers
 * that brings them below it — the page's counterfactual search (src/lib/counterfactual.ts) run at build time on the
 * same trees (TypeScript, no ONNX needed), limited to two changes so the whole base takes seconds.
 * Nothing here trains or touches the model cache: changing a nudge never retrains.
 */
import type { ModelArtifacts } from "../../models/pipeline.js";
import { searchCounterfactual, type Counterfactual } from "../../src/lib/counterfactual.js";
import { OPERATING_THRESHOLD } from "../../src/lib/decision.js";
import { TELCO_SPEC, type RawRow } from "../../src/lib/features.js";
import { riskTier } from "../../src/lib/tiers.js";
import { prepareTrees } from "../../src/lib/treeshap.js";
import { modelInputs, treeScorer as scoreWithTrees } from "../../src/lib/whatif.js";
import { actionOf } from "../llm/nudge-facts.js";
import type { Driver, NudgeFacts } from "../llm/types.js";
import type { EnrichedTelcoRecord } from "./enrich.js";

/** The most changes the build-time search combines (the page searches up to four). */
export const BUILD_MAX_CHANGES = 2;

/** Calibrated probabilities of rows from the model's own trees (what model.onnx computes). */
export function treeScorer(model: Pick<ModelArtifacts, "trees">): (rows: readonly RawRow[]) => Float64Array {
  return scoreWithTrees({ ensemble: prepareTrees(model.trees), platt: model.trees.platt, spec: TELCO_SPEC });
}

export interface NudgeItemsResult {
  items: { id: string; facts: NudgeFacts }[];
  /** Per customer: the search's answer (null below the threshold: nothing to find). */
  searches: (Counterfactual | null)[];
}

/** One nudge item per customer, in row order; `drivers(i)` gives row i's top SHAP drivers. */
export async function telcoNudgeItems(
  rows: readonly EnrichedTelcoRecord[],
  model: Pick<ModelArtifacts, "trees" | "probability">,
  drivers: (i: number) => Driver[],
): Promise<NudgeItemsResult> {
  const score = treeScorer(model);
  const searches: (Counterfactual | null)[] = [];
  const items = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const p = model.probability[i];
    const search =
      p >= OPERATING_THRESHOLD
        ? await searchCounterfactual(modelInputs(r), score, {
            threshold: OPERATING_THRESHOLD,
            maxChanges: BUILD_MAX_CHANGES,
          })
        : null;
    searches.push(search);
    const best = search?.status === "found" ? search.options[0] : null;
    items.push({
      id: r.customer_id,
      facts: {
        riskTier: riskTier(p),
        churnProbability: p,
        persona: r.persona,
        tenureMonths: r.tenure,
        contract: r.contract,
        supportCalls: r.support_calls,
        paymentDelayDays: r.payment_delay_days,
        usageFrequency: r.usage_frequency,
        abVariant: r.ab_variant,
        drivers: drivers(i),
        profile: {
          internet_service: r.internet_service,
          payment_method: r.payment_method,
          monthly_charges: r.monthly_charges,
          subscription_type: r.subscription_type,
        },
        ...(best ? { action: actionOf(best.changes) } : {}),
      } satisfies NudgeFacts,
    });
  }
  return { items, searches };
}

/** The search over the base in numbers: customers at or above the threshold, how many an offer brings below it. */
export function searchSummary(searches: readonly (Counterfactual | null)[]): string {
  const above = searches.filter((s) => s !== null && s.status !== "already-below");
  const found = above.filter((s) => s?.status === "found") as Extract<Counterfactual, { status: "found" }>[];
  const sizes = found.map((s) => s.size).sort((x, y) => x - y);
  const median = sizes.length ? sizes[Math.floor((sizes.length - 1) / 2)] : 0;
  const share = above.length ? found.length / above.length : 0;
  return (
    `${above.length} customers at or above the ${OPERATING_THRESHOLD} threshold; an offer of at most ` +
    `${BUILD_MAX_CHANGES} changes brings ${found.length} (${(100 * share).toFixed(1)}%) below it, median ${median} change(s)`
  );
}
