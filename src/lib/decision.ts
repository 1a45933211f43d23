/**
 * The Telco retention decision for one customer: which score it rests on, the operating threshold, targeted or not,
 * and the outcome the data recorded. Browser-safe and Node-safe (the page, the counterfactual search and the nudges
 * use it).
 */
import { DEFAULT_CUTOFFS } from "./tiers.js";

/**
 * The operating threshold: contact a customer when their churn probability is at least this. It is the High-risk
 * tier's cut-off (src/lib/tiers.ts): the retention team calls the customers at least as likely to leave as to stay.
 * A capacity rule, not a profit optimum — the Telco base has no cost model yet.
 */
export const OPERATING_THRESHOLD = DEFAULT_CUTOFFS.high;

/** Why the threshold is what it is, in one sentence for the page. */
export const THRESHOLD_REASON =
  "the High-risk tier's cut-off: the retention team contacts customers at least as likely to leave as to stay " +
  "(a capacity rule; the Telco data have no cost model that would give a profit-optimal threshold)";

export interface DecisionInput {
  /** Calibrated out-of-fold probability: scored by a model that never saw the customer. */
  oof_probability: number;
  /** Calibrated probability of the final model (trained on the development rows). */
  probability: number;
  /** "dev" (the final model trained on this row) or "test" (held out). */
  split: string;
  /** The IBM label: 1 = left. */
  churn: number;
}

export interface Decision {
  /** The score the decision uses: the cross-fitted one, for every customer. */
  score: number;
  targeted: boolean;
  threshold: number;
  /** The final model's score, and whether it is in-sample for this customer. */
  finalScore: number;
  finalInSample: boolean;
  /** What happened: true = the customer left. */
  churned: boolean;
  /** targeted & left: the contact was aimed right; … */
  verdict: "targeted, left" | "targeted, stayed" | "not targeted, left" | "not targeted, stayed";
}

/** The decision at the operating threshold, on the cross-fitted score, with the recorded outcome beside it. */
export function decide(c: DecisionInput, threshold = OPERATING_THRESHOLD): Decision {
  const score = Number(c.oof_probability);
  if (!(score >= 0 && score <= 1)) throw new Error(`invalid oof_probability: ${c.oof_probability}`);
  if (!(threshold > 0 && threshold < 1)) throw new Error(`invalid threshold: ${threshold}`);
  const targeted = score >= threshold;
  const churned = Number(c.churn) === 1;
  return {
    score,
    targeted,
    threshold,
    finalScore: Number(c.probability),
    finalInSample: c.split !== "test",
    churned,
    verdict: `${targeted ? "targeted" : "not targeted"}, ${churned ? "left" : "stayed"}`,
  };
}
