/**
 * Ordinary least squares with heteroskedasticity-consistent (sandwich) standard errors, small enough to read:
 * the normal equations solved by Cholesky, and the HC0/HC2/HC3 weights of MacKinnon & White (1985).
 * Pure functions, no Node or DOM imports.
 */

export type HcType = "HC0" | "HC2" | "HC3";

export interface OlsFit {
  /** coefficients, one per column of the design */
  coef: number[];
  /** robust covariance of the coefficients (p × p, row-major) */
  vcov: number[][];
  /** robust standard errors: sqrt of vcov's diagonal */
  se: number[];
  /** residual sum of squares */
  rss: number;
  /** largest leverage h_ii (HC2 and HC3 divide by 1 − h_ii) */
  maxLeverage: number;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix; throws when it is singular. */
function cholesky(a: number[][]): number[][] {
  const p = a.length;
  const l = a.map(() => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    // Relative test: a column that is a combination of the others leaves round-off, not an exact zero.
    if (!(d > 1e-10 * Math.max(1, a[j]![j]!))) {
      throw new Error(`singular design: column ${j} is constant or a combination of the others (pivot ${d})`);
    }
    l[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

/** Inverse of a symmetric positive-definite matrix from its Cholesky factor. */
function inverseSpd(a: number[][]): number[][] {
  const l = cholesky(a);
  const p = a.length;
  // inv(L) by forward substitution, then inv(A) = inv(L)ᵀ inv(L).
  const li = l.map(() => new Array<number>(p).fill(0));
  for (let c = 0; c < p; c++) {
    for (let i = c; i < p; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i]![k]! * li[k]![c]!;
      li[i]![c] = s / l[i]![i]!;
    }
  }
  const inv = a.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += li[k]![i]! * li[k]![j]!;
      inv[i]![j] = s;
      inv[j]![i] = s;
    }
  }
  return inv;
}

/**
 * OLS of y on the given columns (include a column of ones for an intercept) with the robust covariance
 * (XᵀX)⁻¹ Xᵀ diag(w) X (XᵀX)⁻¹, where w_i = e_i² (HC0), e_i² / (1 − h_ii) (HC2) or e_i² / (1 − h_ii)² (HC3).
 */
export function robustOls(columns: readonly ArrayLike<number>[], y: ArrayLike<number>, hc: HcType = "HC2"): OlsFit {
  const p = columns.length;
  const n = y.length;
  if (p === 0) throw new Error("invalid design: no columns");
  if (n <= p) throw new Error(`invalid design: ${n} rows for ${p} columns`);
  columns.forEach((col, j) => {
    if (col.length !== n) throw new Error(`invalid design: column ${j} has ${col.length} rows, y has ${n}`);
  });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) throw new Error(`invalid outcome at row ${i}: ${y[i]}`);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(columns[j]![i]!))
        throw new Error(`invalid value in column ${j}, row ${i}: ${columns[j]![i]}`);
    }
  }
  // Rows are copied once into a flat row-major array: the loops below touch every x_ia p times.
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[i * p + j] = columns[j]![i]!;
  const xtx = new Float64Array(p * p);
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[o + a]!;
      xty[a] += xa * y[i]!;
      for (let b = 0; b <= a; b++) xtx[a * p + b] += xa * X[o + b]!;
    }
  }
  const inv = inverseSpd(columns.map((_, a) => columns.map((_, b) => xtx[Math.max(a, b) * p + Math.min(a, b)]!)));
  const flatInv = Float64Array.from(inv.flat());
  const coef = inv.map((row) => row.reduce((s, v, b) => s + v * xty[b]!, 0));

  const meat = new Float64Array(p * p);
  let rss = 0;
  let maxLeverage = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let fitted = 0;
    for (let a = 0; a < p; a++) fitted += coef[a]! * X[o + a]!;
    const e = y[i]! - fitted;
    rss += e * e;
    let h = 0; // h_ii = x_iᵀ (XᵀX)⁻¹ x_i
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += flatInv[a * p + b]! * X[o + b]!;
      h += X[o + a]! * s;
    }
    maxLeverage = Math.max(maxLeverage, h);
    if (hc !== "HC0" && !(h < 1 - 1e-9)) {
      throw new Error(`${hc} is undefined: row ${i} has leverage ${h} (it alone determines a coefficient)`);
    }
    const w = hc === "HC0" ? e * e : hc === "HC2" ? (e * e) / (1 - h) : (e * e) / (1 - h) ** 2;
    for (let a = 0; a < p; a++) {
      const wa = w * X[o + a]!;
      for (let b = 0; b <= a; b++) meat[a * p + b] += wa * X[o + b]!;
    }
  }
  const meatRows = columns.map((_, a) => columns.map((_, b) => meat[Math.max(a, b) * p + Math.min(a, b)]!));
  const vcov = multiply(multiply(inv, meatRows), inv);
  return { coef, vcov, se: vcov.map((row, j) => Math.sqrt(row[j]!)), rss, maxLeverage };
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}
