/**
 * Risk tiers from calibrated churn probabilities: one definition for the pipeline (customers.arrow, nudges)
 * and the pages. Cut-offs are probabilities, not ranks, which is only meaningful because the scores are
 * calibrated: "high" means at least a coin flip of leaving, "medium" at least one in five.
 */

export type RiskTier = "low" | "medium" | "high";

export interface TierCutoffs {
  /** p ≥ medium (and < high) is "medium". */
  medium: number;
  /** p ≥ high is "high". */
  high: number;
}

export const DEFAULT_CUTOFFS: TierCutoffs = { medium: 0.2, high: 0.5 };

export const TIERS: readonly { tier: RiskTier; label: string; description: string }[] = [
  { tier: "low", label: "Low risk", description: "under 20% chance of churning" },
  { tier: "medium", label: "Medium risk", description: "20–50% chance of churning" },
  { tier: "high", label: "High risk", description: "50% or more chance of churning" },
];

function checkCutoffs({ medium, high }: TierCutoffs): void {
  if (!(medium > 0 && medium < high && high < 1))
    throw new Error(`invalid tier cut-offs: medium ${medium}, high ${high}`);
}

/** The tier of one calibrated probability. */
export function riskTier(probability: number, cutoffs: TierCutoffs = DEFAULT_CUTOFFS): RiskTier {
  if (!(probability >= 0 && probability <= 1)) throw new Error(`invalid probability: ${probability}`);
  checkCutoffs(cutoffs);
  return probability >= cutoffs.high ? "high" : probability >= cutoffs.medium ? "medium" : "low";
}

/** Customers per tier. */
export function tierCounts(
  probabilities: Iterable<number>,
  cutoffs: TierCutoffs = DEFAULT_CUTOFFS,
): Record<RiskTier, number> {
  const counts: Record<RiskTier, number> = { low: 0, medium: 0, high: 0 };
  for (const p of probabilities) counts[riskTier(p, cutoffs)]++;
  return counts;
}
