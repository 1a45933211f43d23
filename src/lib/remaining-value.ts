/**
 * The value of keeping a subscriber (Telco): monthly charges × expected remaining tenure, the tenure estimated from
 * the data by a discrete-time hazard per contract type (docs/profit.md, "Value per customer"). Browser-safe, so the
 * build and the pages can both call it.
 *
 * Estimation (Kaplan–Meier in discrete months, one curve per contract): a churner with tenure t left at t, a customer
 * who has not churned is censored at their tenure. The hazard at month t is the churners with tenure t over the
 * customers with tenure ≥ t (at risk). Beyond a contract's longest observed tenure (IBM Telco stops at 72 months) the
 * hazard is held at its pooled value over the last `tailMonths` observed months, rather than assumed to be zero.
 *
 * Assumptions, stated so they can be challenged:
 * - a retained customer at tenure T pays the next month for sure, then leaves at each later tenure s with the hazard
 *   h(s) of their contract, i.e. once kept they behave like the average customer of that contract and tenure;
 * - the contract does not change (a month-to-month customer stays month-to-month);
 * - value is revenue (monthly charges), not margin; scale it with `margin` if the margin is known;
 * - at most `horizonMonths` further months count (default 72, the span of the data), optionally discounted by
 *   `monthlyDiscount` per month (default 0: undiscounted), the m-th future month weighing 1/(1 + r)^m.
 */

/** One customer's history in the pipeline's snake_case fields. */
export interface TenureRow {
  /** months with the company (0–72 in IBM Telco) */
  tenure: number;
  /** Month-to-month, One year or Two year */
  contract: string;
  /** 1 = left at `tenure`, 0 = still a customer (censored at `tenure`) */
  churn: number;
}

/** Hazards per contract: hazard[t] for t up to the longest observed tenure, then `tail`. */
export interface TenureHazards {
  contracts: Map<string, { hazard: Float64Array; tail: number; customers: number }>;
}

export interface RemainingOptions {
  /** the most further months counted */
  horizonMonths?: number;
  /** discount rate per month */
  monthlyDiscount?: number;
}

/** Fit the discrete-time hazard of leaving per contract type (see the module comment). */
export function fitTenureHazards(rows: readonly TenureRow[], { tailMonths = 12 } = {}): TenureHazards {
  if (!(Number.isInteger(tailMonths) && tailMonths >= 1)) throw new Error(`invalid tailMonths: ${tailMonths}`);
  const byContract = new Map<string, TenureRow[]>();
  rows.forEach((r, i) => {
    if (!(Number.isInteger(r.tenure) && r.tenure >= 0)) throw new Error(`invalid tenure at row ${i}: ${r.tenure}`);
    if (r.churn !== 0 && r.churn !== 1) throw new Error(`invalid churn at row ${i}: ${r.churn}`);
    if (typeof r.contract !== "string" || !r.contract) throw new Error(`invalid contract at row ${i}: ${r.contract}`);
    const group = byContract.get(r.contract) ?? [];
    group.push(r);
    byContract.set(r.contract, group);
  });
  const contracts: TenureHazards["contracts"] = new Map();
  for (const [contract, group] of byContract) {
    const longest = Math.max(...group.map((r) => r.tenure));
    const events = new Float64Array(longest + 1);
    const exits = new Float64Array(longest + 1); // customers whose history ends at t (churned or censored)
    for (const r of group) {
      events[r.tenure] += r.churn;
      exits[r.tenure]++;
    }
    const atRisk = new Float64Array(longest + 1);
    for (let t = longest, n = 0; t >= 0; t--) atRisk[t] = n += exits[t];
    const hazard = events.map((d, t) => d / atRisk[t]);
    let tailEvents = 0;
    let tailAtRisk = 0;
    for (let t = Math.max(0, longest - tailMonths + 1); t <= longest; t++) {
      tailEvents += events[t];
      tailAtRisk += atRisk[t];
    }
    contracts.set(contract, { hazard, tail: tailEvents / tailAtRisk, customers: group.length });
  }
  return { contracts };
}

function hazardsOf(model: TenureHazards, contract: string) {
  const c = model.contracts.get(contract);
  if (!c) throw new Error(`invalid contract: ${contract} (fitted: ${[...model.contracts.keys()].join(", ")})`);
  return (t: number) => (t < c.hazard.length ? c.hazard[t] : c.tail);
}

/** Expected further months paid by a customer kept at tenure T (the first is certain; see the assumptions). */
export function expectedRemainingMonths(
  model: TenureHazards,
  contract: string,
  tenure: number,
  { horizonMonths = 72, monthlyDiscount = 0 }: RemainingOptions = {},
): number {
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 0))
    throw new Error(`invalid horizonMonths: ${horizonMonths}`);
  if (!(monthlyDiscount >= 0)) throw new Error(`invalid monthlyDiscount: ${monthlyDiscount}`);
  if (!(Number.isInteger(tenure) && tenure >= 0)) throw new Error(`invalid tenure: ${tenure}`);
  const hazard = hazardsOf(model, contract);
  const v = 1 / (1 + monthlyDiscount);
  let stay = 1; // probability of still paying in month m
  let weight = 1;
  let months = 0;
  for (let m = 1; m <= horizonMonths; m++) {
    if (m > 1) stay *= 1 - hazard(tenure + m - 1);
    weight *= v;
    months += weight * stay;
  }
  return months;
}

/** Share of a contract's customers still there at tenure t, for t = 0 … months (the fitted survival curve). */
export function survivalCurve(model: TenureHazards, contract: string, { months = 72 } = {}): Float64Array {
  const hazard = hazardsOf(model, contract);
  const s = new Float64Array(months + 1);
  s[0] = 1;
  for (let t = 1; t <= months; t++) s[t] = s[t - 1] * (1 - hazard(t - 1));
  return s;
}

/** Each customer's value: monthly charges × margin × expected remaining months (one table per contract and tenure). */
export function remainingValues(
  rows: readonly (Omit<TenureRow, "churn"> & { monthly_charges: number })[],
  model: TenureHazards,
  { margin = 1, ...options }: RemainingOptions & { margin?: number } = {},
): Float64Array {
  const table = new Map<string, number>();
  return Float64Array.from(rows, (r, i) => {
    if (!(r.monthly_charges >= 0)) throw new Error(`invalid monthly_charges at row ${i}: ${r.monthly_charges}`);
    const key = `${r.contract}\u0000${r.tenure}`;
    let months = table.get(key);
    if (months === undefined) {
      months = expectedRemainingMonths(model, r.contract, r.tenure, options);
      table.set(key, months);
    }
    return r.monthly_charges * margin * months;
  });
}
