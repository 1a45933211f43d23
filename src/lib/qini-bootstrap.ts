/**
 * How sure is the uplift model's lead? A seeded bootstrap of the Qini gain (ab.ts's qiniCurve) at a targeting
 * fraction and of the Qini area, for several rankings at once and for their differences (docs/experiments.md).
 * Pure functions, no Node or DOM imports; the same seed gives the same intervals everywhere.
 */
import { normalQuantile, qiniCurve, stratumUplift, type QiniPoint, type UpliftRow } from "./ab.js";
import { seededUniform } from "./random.js";

/** Scores for the customers of a bootstrap sample (original row indices, repeats allowed), in the sample's order. */
export type Scorer = (sample: Int32Array) => ArrayLike<number>;

export interface BootstrapSummary {
  /** on the data as observed */
  estimate: number;
  /** mean over the bootstrap samples (far from `estimate` = the statistic is biased or skewed; trust lo/hi less) */
  mean: number;
  /** standard deviation over the bootstrap samples */
  se: number;
  /** percentile interval */
  lo: number;
  hi: number;
  /**
   * normal interval, estimate ± z · se: centred on the estimate, so it does not carry a shift of the bootstrap
   * distribution (a refitted model is worse on samples with repeats); the one to show for the refitted uplift ranking
   */
  normalLo: number;
  normalHi: number;
}

export interface QiniComparison {
  /** a − b */
  a: string;
  b: string;
  gain: BootstrapSummary;
  area: BootstrapSummary;
}

export interface QiniBootstrap {
  fraction: number;
  reps: number;
  seed: number;
  /** churners prevented when the top `fraction` is targeted, per ranking */
  gain: Record<string, BootstrapSummary>;
  /** Qini area (qiniCurve's `area`), per ranking */
  area: Record<string, BootstrapSummary>;
  /** every pair of rankings, in the order given: the lead (or loss) of the first over the second */
  versus: QiniComparison[];
}

/** Gain of a Qini curve at a targeting fraction, interpolated linearly between the curve's points. */
export function gainAt(points: readonly QiniPoint[], fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`invalid targeting fraction: ${fraction}`);
  if (points.length === 0) throw new Error("invalid curve: no points");
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!;
    const b = points[k]!;
    if (fraction <= b.fraction) {
      return b.fraction === a.fraction
        ? b.gain
        : a.gain + ((fraction - a.fraction) / (b.fraction - a.fraction)) * (b.gain - a.gain);
    }
  }
  return points[points.length - 1]!.gain;
}

/**
 * The page's uplift ranking (−crossFitUplift: higher = more churn prevented) as a Scorer that refits the T-learner on
 * each bootstrap sample, so the interval includes the model's own noise. Folds follow the original row (row i →
 * fold i mod folds), so a customer drawn twice never trains the model that scores it.
 */
export function upliftScorer(rows: readonly UpliftRow[], { folds = 2, strength = 20 } = {}): Scorer {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`invalid folds: ${folds}`);
  return (sample) => {
    const out = new Float64Array(sample.length);
    for (let f = 0; f < folds; f++) {
      const train: UpliftRow[] = [];
      for (const i of sample) if (i % folds !== f) train.push(rows[i]!);
      const model = stratumUplift(train, { strength });
      sample.forEach((i, k) => {
        if (i % folds === f) out[k] = -(model.get(rows[i]!.stratum)?.uplift ?? 0);
      });
    }
    return out;
  };
}

/** A fixed score per customer (e.g. churn risk) as a Scorer. */
export function fixedScorer(scores: ArrayLike<number>): Scorer {
  return (sample) => Float64Array.from(sample, (i) => scores[i]!);
}

function summarise(estimate: number, draws: Float64Array, alpha: number): BootstrapSummary {
  const sorted = Float64Array.from(draws).sort();
  const quantile = (q: number) => {
    const h = (sorted.length - 1) * q; // linear interpolation between order statistics (R's type 7)
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
  };
  let mean = 0;
  for (const d of draws) mean += d / draws.length;
  let ss = 0;
  for (const d of draws) ss += (d - mean) ** 2;
  const se = Math.sqrt(ss / (draws.length - 1));
  const z = normalQuantile(1 - alpha / 2);
  const [lo, hi] = [quantile(alpha / 2), quantile(1 - alpha / 2)];
  return { estimate, mean, se, lo, hi, normalLo: estimate - z * se, normalHi: estimate + z * se };
}

type QiniData = { treated: ArrayLike<boolean>; churned: ArrayLike<number>; stratum?: ArrayLike<string> };
type QiniOptions = { fraction?: number; reps?: number; seed?: number; alpha?: number };

/**
 * Bootstrap of the Qini gain at `fraction` and the Qini area for each ranking, and of the differences between
 * rankings (paired: the same samples). Customers are resampled within each stratum × arm cell, so every sample has
 * the experiment's own design; percentile intervals.
 */
export function bootstrapQini(
  data: QiniData,
  scorers: Record<string, Scorer>,
  options: QiniOptions = {},
): QiniBootstrap {
  const steps = bootstrapQiniSteps(data, scorers, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * bootstrapQini() one resample at a time: yields the number of resamples done after each, returns the same result, so
 * a page can run it in slices between frames (src/lib/slices.ts). The options are checked at the first step.
 */
export function* bootstrapQiniSteps(
  data: QiniData,
  scorers: Record<string, Scorer>,
  { fraction = 0.3, reps = 1000, seed = 1, alpha = 0.05 }: QiniOptions = {},
): Generator<number, QiniBootstrap> {
  const n = data.treated.length;
  if (data.churned.length !== n || (data.stratum && data.stratum.length !== n)) {
    throw new Error(
      `invalid input: ${n} treatment flags, ${data.churned.length} outcomes, ${data.stratum?.length} strata`,
    );
  }
  if (!Number.isInteger(reps) || reps < 2) throw new Error(`invalid number of bootstrap samples: ${reps}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha: ${alpha}`);
  const names = Object.keys(scorers);
  if (names.length === 0) throw new Error("invalid input: no ranking to score");
  gainAt([{ targeted: 0, fraction: 0, gain: 0 }], fraction); // checks the fraction before any work

  const cells = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${data.treated[i] ? "B" : "A"}|${data.stratum ? data.stratum[i] : ""}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(i);
  }
  // Sorted keys: the samples depend on the seed only, not on the order the rows came in.
  const members = [...cells.keys()].sort().map((k) => cells.get(k)!);

  const measure = (sample: Int32Array) => {
    const treated = Array.from(sample, (i) => data.treated[i]!);
    const churned = Array.from(sample, (i) => data.churned[i]!);
    return names.map((name) => {
      const curve = qiniCurve(scorers[name]!(sample), treated, churned);
      return { gain: gainAt(curve.points, fraction), area: curve.area };
    });
  };
  const observed = measure(Int32Array.from({ length: n }, (_, i) => i));
  const random = seededUniform(seed);
  const gains = names.map(() => new Float64Array(reps));
  const areas = names.map(() => new Float64Array(reps));
  const sample = new Int32Array(n);
  for (let r = 0; r < reps; r++) {
    let k = 0;
    for (const cell of members)
      for (let j = 0; j < cell.length; j++) sample[k++] = cell[Math.floor(random() * cell.length)]!;
    measure(sample).forEach((m, s) => {
      gains[s]![r] = m.gain;
      areas[s]![r] = m.area;
    });
    yield r + 1;
  }
  const gain: Record<string, BootstrapSummary> = {};
  const area: Record<string, BootstrapSummary> = {};
  names.forEach((name, s) => {
    gain[name] = summarise(observed[s]!.gain, gains[s]!, alpha);
    area[name] = summarise(observed[s]!.area, areas[s]!, alpha);
  });
  const versus: QiniComparison[] = [];
  names.forEach((a, s) => {
    names.slice(s + 1).forEach((b, t) => {
      const u = s + 1 + t;
      const diff = (x: Float64Array[]) => x[s]!.map((v, r) => v - x[u]![r]!);
      versus.push({
        a,
        b,
        gain: summarise(observed[s]!.gain - observed[u]!.gain, diff(gains), alpha),
        area: summarise(observed[s]!.area - observed[u]!.area, diff(areas), alpha),
      });
    });
  });
  return { fraction, reps, seed, gain, area, versus };
}
