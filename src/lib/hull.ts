/** The upper convex hull of a curve: the ROC-space hull that profit maximisation and EMP both work on. */

/** Indices of the upper convex hull of points (x, y) whose x never decreases; at equal x only the highest y stays. */
export function upperHull(x: (i: number) => number, y: (i: number) => number, m: number): number[] {
  const hull: number[] = [];
  for (let k = 0; k < m; k++) {
    const top = hull[hull.length - 1];
    if (top !== undefined && x(k) === x(top)) {
      if (y(k) <= y(top)) continue;
      hull.pop();
    }
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // drop b when it lies on or below the segment a→k
      if ((x(b) - x(a)) * (y(k) - y(a)) - (y(b) - y(a)) * (x(k) - x(a)) >= 0) hull.pop();
      else break;
    }
    hull.push(k);
  }
  return hull;
}
