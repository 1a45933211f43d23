/**
 * Shared by the profit views (profit curve, business matrix): economics from validated embed options, and the
 * profit scenario of one set of ranked scores — the numbers the Retention page shows for its main model.
 */
import {
  checkEconomics,
  optimalPolicy,
  sampleProfitCurve,
  targetEverybody,
  targetNobody,
  theoreticalThreshold,
  type CurveSample,
  type Economics,
  type PolicyOutcome,
  type RankedScores,
} from "../lib/profit.js";
import type { EmbedOptions } from "../lib/embed-views.js";

export function economicsOf(o: EmbedOptions): Economics {
  return checkEconomics({
    ltv: Number(o.ltv),
    couponCost: Number(o.couponCost),
    contactCost: Number(o.contactCost),
    acceptance: Number(o.acceptance),
  });
}

export interface ProfitScenario {
  economics: Economics;
  /** (coupon + contact) / (acceptance · LTV) */
  theory: number;
  /** the empirical optimum (threshold 1 when targeting nobody is best) */
  best: PolicyOutcome;
  nobody: PolicyOutcome;
  everybody: PolicyOutcome;
  samples: CurveSample[];
}

/** Everything the profit curve shows, for one model's ranked scores. */
export function profitScenario(ranked: RankedScores, economics: Economics): ProfitScenario {
  const best = optimalPolicy(ranked, economics);
  return {
    economics,
    theory: theoreticalThreshold(economics),
    best: Number.isFinite(best.threshold) ? best : { ...best, threshold: 1 },
    nobody: targetNobody(ranked, economics),
    everybody: targetEverybody(ranked, economics),
    samples: sampleProfitCurve(ranked, economics, { points: 400 }),
  };
}
