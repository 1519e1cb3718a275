// Plain-JavaScript version of `capGini` in its default "cap" mode, the
// baseline the Node benchmark compares the Wasm export with (outputs are
// checked equal first). Same algorithm as src/allocation/gini_cap.rs
// (notes/allocation.md §5.2 step 4): one ascending sort, compensated prefix
// sums S and R, a binary search over the segment boundaries, then the linear
// equation for the cap level τ. Falls back to the uniform mix ("floor") when
// capping cannot reach giniMax (zeros/M ≥ giniMax), like the Wasm version.

/**
 * @param {Float64Array | number[]} exposure non-negative, finite, not all zero
 * @param {number} giniMax in [0, 1)
 * @returns {Float64Array} new exposures, same order and total
 */
export function capGiniJs(exposure, giniMax) {
  const e = Float64Array.from(exposure);
  const m = e.length;
  if (m === 0) throw new Error('exposure is empty');
  for (let i = 0; i < m; i++) {
    const x = e[i];
    if (Number.isNaN(x)) throw new Error(`exposure[${i}] is NaN`);
    if (!Number.isFinite(x)) throw new Error(`exposure[${i}] is infinite (${x})`);
    if (x < 0) throw new Error(`exposure[${i}] is negative (${x})`);
  }
  if (!(giniMax >= 0 && giniMax < 1)) throw new Error(`giniMax must be in [0, 1), got ${giniMax}`);

  const asc = Float64Array.from(e, (x) => x + 0).sort();
  // prefix[j] = Σ_{i<j} asc[i]; rank[j] = Σ_{i<j} (M−i)·asc[i]  (Kahan)
  const prefix = new Float64Array(m + 1);
  const rank = new Float64Array(m + 1);
  let s = 0, sc = 0, w = 0, wc = 0;
  for (let i = 0; i < m; i++) {
    const x = asc[i];
    let y = x - sc; let t = s + y; sc = (t - s) - y; s = t;
    y = (m - i) * x - wc; t = w + y; wc = (t - w) - y; w = t;
    prefix[i + 1] = s;
    rank[i + 1] = w;
  }
  const total = s;
  if (!(total > 0)) throw new Error('exposure are all zero; shares and the Gini coefficient are undefined');
  let acc = 0, ac = 0;
  for (let k = 0; k < m; k++) {
    const y = (total - prefix[k]) - ac; const t = acc + y; ac = (t - acc) - y; acc = t;
  }
  const g0 = Math.min(Math.max(2 * acc / (m * total) - (m + 1) / m, 0), (m - 1) / m);
  if (g0 <= giniMax) return e;

  let zeros = 0;
  while (zeros < m && asc[zeros] <= 0) zeros++;
  const mean = total / m;
  if (!(giniMax > zeros / m)) {
    const theta = 1 - giniMax / g0;
    return e.map((x) => (1 - theta) * x + theta * mean);
  }
  const p = Math.max(m - zeros, 2);
  const d = (r) => asc[m - r]; // r-th largest, 1-based
  const S = (k) => prefix[m - k];
  const R = (k) => rank[m - k];
  const giniCapped = (k, tau) => {
    const q = R(k) / S(k);
    return (m + 1) / m - 2 * (tau * k * (k + 1) / 2 + (total - k * tau) * q) / (m * total);
  };
  const boundary = (k) => {
    if (k === 0) return d(1);
    const next = d(k + 1);
    return total * next / (S(k) + k * next);
  };
  let lo = 1, hi = p - 1;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (giniCapped(mid, boundary(mid)) <= giniMax) hi = mid; else lo = mid + 1;
  }
  const k = lo;
  const q = R(k) / S(k);
  const num = ((m + 1) - giniMax * m) * total / 2 - total * q;
  const den = k * (k + 1) / 2 - k * q;
  const tLo = boundary(k), tHi = boundary(k - 1);
  let tau = num / den;
  if (!Number.isFinite(tau)) tau = tLo;
  tau = Math.min(Math.max(tau, Math.min(tLo, tHi)), Math.max(tLo, tHi));
  const lambda = Math.max((total - k * tau) / S(k), 1);
  const threshold = d(k);
  return e.map((x) => (x >= threshold ? tau : Math.min(lambda * x, tau)));
}
