/**
 * The profit scenario of one set of ranked scores: every number the profit curve shows (the Retention page's main
 * model, and the profit-curve and business-matrix embeds).
 */
import {
  optimalPolicy,
  sampleProfitCurve,
  targetEverybody,
  targetNobody,
  theoreticalThreshold,
  type CurveSample,
  type Economics,
  type PolicyOutcome,
  type RankedScores,
} from "./profit.js";

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
