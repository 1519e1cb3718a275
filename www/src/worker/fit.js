// The 回头客 view's fit of a merchant's orders: the summary, the model, every
// customer's predictions, the outlook, segments and the covariate fit.
import { has, coded } from './parts.js';
import { firstOf } from '../first.js';
import { dayToIso, isoToDay } from './days.js';

export const FITTERS = { bgnbd: 'fitBgNbd', mbgnbd: 'fitModifiedBgNbd', pnbd: 'fitParetoNbd' };
export const COVARIATE_FITTERS = { bgnbd: 'fitBgNbdWithCovariates', mbgnbd: 'fitModifiedBgNbdWithCovariates', pnbd: 'fitParetoNbdWithCovariates' };
/** Levels with fewer customers than this are folded into one "other" level before the covariate fit. */
export const MIN_LEVEL_CUSTOMERS = 20;
/** oneHot names of the folded and the empty level (a file's own "其他" stays its own level). */
const OTHER = '\u0000other', EMPTY = '\u0000empty';

/**
 * The group column as a covariate (the `groupColumn` read with the orders):
 * each summarized customer's level is the value on their first purchase;
 * levels with fewer than MIN_LEVEL_CUSTOMERS customers are folded into one;
 * the reference is the most common level. Fits the model with the levels
 * one-hot coded (`oneHot`, `fit…WithCovariates`) and returns per level its
 * customers, purchase-rate lift, dropout lift (Pareto/NBD: exp(γ) multiplies
 * the dropout rate; (M)BG/NBD: γ scales a and b together, not a retention
 * multiplier, so it is not returned) and its new customer's 30/90-day
 * repurchase chance from `modelFor` — the retention figure for every model.
 */
export function covariateFit(o, cov, model, s, f, r, T, unitDays, column) {
  const nIds = o.ids.length;
  const firstDay = new Float64Array(nIds).fill(Infinity);
  const firstLevel = new Int32Array(nIds).fill(-1);
  for (let i = 0; i < o.customer.length; i++) {
    const c = o.customer[i];
    if (o.day[i] < firstDay[c]) { firstDay[c] = o.day[i]; firstLevel[c] = o.group[i]; }
  }
  const n = f.length;
  const idx = s.customers ?? Uint32Array.from({ length: n }, (_, i) => i);
  const keyOf = (g) => (o.groupLevels[g] === '' ? EMPTY : o.groupLevels[g]);
  const counts = new Map();
  const raw = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keyOf(firstLevel[idx[i]]);
    raw[i] = k;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const small = new Set([...counts].filter(([, c]) => c < MIN_LEVEL_CUSTOMERS).map(([k]) => k));
  const folded = small.size >= 1 ? [...small].map((k) => (k === EMPTY ? '' : k)) : [];
  const col = raw.map((k) => (small.has(k) ? OTHER : k));
  const base = { column, folded, minCustomers: MIN_LEVEL_CUSTOMERS };
  const levelCounts = new Map();
  for (const k of col) levelCounts.set(k, (levelCounts.get(k) ?? 0) + 1);
  if (levelCounts.size < 2) return { ...base, error: 'one' };
  // the reference: the most common level (never the folded one when another is as common)
  const reference = [...levelCounts].sort((a, b) => b[1] - a[1] || (a[0] === OTHER) - (b[0] === OTHER))[0][0];
  const oh = cov.oneHot(col, { reference });
  const fit = cov[COVARIATE_FITTERS[model]](f, r, T, { names: oh.names, values: oh.values });
  try {
    const t30 = 30 / unitDays, t90 = 90 / unitDays;
    const coef = (name, process) => {
      const c = fit.coefficients.find((x) => x.name === name && x.process === process);
      if (!c) return null;
      const state = !c.identified ? 'unidentified' : !(Number.isFinite(c.liftLow) && Number.isFinite(c.liftHigh)) ? 'boundary' : 'ok';
      return { lift: c.lift, low: c.liftLow, high: c.liftHigh, state };
    };
    const levels = oh.levels.map((key, j) => {
      const row = oh.names.map((nm) => (nm === key ? 1 : 0));
      const m = fit.modelFor(row);
      let chance;
      try { chance = m.newCustomerRepurchase([t30, t90]); } finally { m.free(); }
      const isRef = key === oh.reference;
      return {
        label: key === OTHER || key === EMPTY ? null : key,
        kind: key === OTHER ? 'other' : key === EMPTY ? 'empty' : 'level',
        customers: oh.counts[j],
        reference: isRef,
        purchase: isRef ? null : coef(key, 'purchase'),
        dropout: isRef || model !== 'pnbd' ? null : coef(key, 'dropout'),
        new30: chance[0],
        new90: chance[1],
      };
    });
    return {
      ...base,
      model,
      levels,
      boundary: fit.boundary,
      converged: fit.converged,
      message: fit.message,
      logLikelihood: fit.logLikelihood,
      logLikelihoodWithout: fit.logLikelihoodWithout,
    };
  } finally {
    fit.free();
  }
}
const TOP = 100;

export const sumOf = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };
export const meanOf = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return a.length ? s / a.length : NaN; };

export function plainParams(p) {
  if (!p) return {};
  if (p instanceof Map) return Object.fromEntries(p);
  const out = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'number') out[k] = v;
  return out;
}

/**
 * fitRepeat's work on the orders `o` (the `orders` kept by readOrderFile, or
 * a warm-up's): summary, fit, predictions, outlook, Gamma-Gamma, segments,
 * histogram, holdout check and top customers; `out`: fitRepeat's answer
 * without the covariates, `state`: what `lastFit` keeps, `s`: the summary.
 */
export function fitOrders(rep, o, { model, unitDays, calibrationEnd }, clock) {
  let calEnd = o.lastDay;
  let holdout = false;
  if (calibrationEnd) {
    const d = isoToDay(calibrationEnd);
    if (Number.isNaN(d)) throw coded('E_CAL_DATE', `bad date ${calibrationEnd}`);
    if (d < o.firstDay) throw coded('E_CAL_EARLY', 'calibration end is before the first order');
    if (d < o.lastDay) { calEnd = d; holdout = true; }
  }
  const s = rep.summarizeOrders(o.customer, o.day, o.amount ?? undefined, {
    calibrationEnd: calEnd, periodDays: 1, unitDays, ...(holdout ? { observationEnd: o.lastDay } : {}),
  });
  const { frequency: f, recency: r, T } = s;
  clock.mark('summarize');
  const fit = rep[FITTERS[model]](f, r, T);
  clock.mark('fit');
  try {
    const t30 = 30 / unitDays;
    const t90 = 90 / unitDays;
    const alive = fit.probabilityAlive(f, r, T);
    const p30 = fit.probabilityOfRepurchase(t30, f, r, T);
    const p90 = fit.probabilityOfRepurchase(t90, f, r, T);
    const e30 = fit.expectedPurchases(t30, f, r, T);
    const e90 = fit.expectedPurchases(t90, f, r, T);
    clock.mark('predictions');
    const n = f.length;
    // the customers summarized: indices into our id list (we pass a Uint32Array)
    const idx = s.customers ?? Uint32Array.from({ length: n }, (_, i) => i);
    const idOf = (i) => (typeof idx[i] === 'number' ? o.ids[idx[i]] : String(idx[i]));

    // the merchant's outlook, with each figure's 90% range from the parameters'
    // uncertainty when the fit has one (the package draws them from the asymptotic
    // normal of its log-parameters, seed 1; each `value` is merchantSummary's figure):
    // "18% (16–20%)". A fit without a covariance (a boundary fit) has the plain summary.
    let summary;
    let ranges = null;
    let iv = null;
    // (a boundary fit has no covariance: the package refuses it before any work)
    if (typeof fit.merchantSummaryIntervals === 'function') {
      try { iv = fit.merchantSummaryIntervals(f, r, T, { unitDays, level: 0.9 }); } catch (e) { ranges = { error: String(e?.message ?? e) }; }
    }
    if (iv) {
      const span = (x, k = 1) => [x.low * k, x.high * k];
      summary = { buyingNext30: iv.shareBuyingNext30.value, buyingNext90: iv.shareBuyingNext90.value, expected30: iv.expectedPurchases30.value * n, aliveShare: iv.shareAlive.value };
      ranges = { level: iv.level, buyingNext30: span(iv.shareBuyingNext30), buyingNext90: span(iv.shareBuyingNext90), aliveShare: span(iv.shareAlive), expected30: span(iv.expectedPurchases30, n) };
    } else if (typeof fit.merchantSummary === 'function') {
      const m = fit.merchantSummary(f, r, T, { unitDays });
      summary = { buyingNext30: m.shareBuyingNext30, buyingNext90: m.shareBuyingNext90, expected30: m.expectedPurchases30 * n, aliveShare: m.shareAlive };
    } else {
      let alive05 = 0;
      for (let i = 0; i < n; i++) if (alive[i] > 0.5) alive05++;
      summary = { buyingNext30: meanOf(p30), buyingNext90: meanOf(p90), expected30: meanOf(e30) * n, aliveShare: alive05 / n };
    }

    clock.mark('summary');
    // expected order value (Gamma-Gamma) when the file has amounts
    let spend = null;
    let gg = null;
    if (o.amount && s.monetary && has('fitGammaGamma', rep)) {
      let g = null;
      try {
        g = rep.fitGammaGamma(f, s.monetary);
        spend = g.expectedSpend(f, s.monetary);
        gg = { params: plainParams(g.params), logLikelihood: g.logLikelihood };
      } catch (e) { gg = { error: String(e?.message ?? e) }; } finally { g?.free?.(); }
    }
    const averageAmount = o.amount ? meanOf(o.amount) : null;
    clock.mark('gammaGamma');

    // the fitted model's chance that a brand-new customer buys again within 30 / 90 days
    // (to set beside the observed 30天复购率 / 90天复购率 of the file: does the model fit this shop?)
    const [newChance30, newChance90] = fit.newCustomerRepurchase([t30, t90]);

    // segments named for what the merchant does with them (新客 / 活跃 / 需要唤回 / 可能流失);
    // value per purchase: Gamma-Gamma's expected spend, else the file's average order
    const value = spend ?? (averageAmount ? new Float64Array(n).fill(averageAmount) : null);
    const seg = rep.segmentCustomers(alive, e30, f, r, T, { unitDays, ...(value ? { value } : {}) });
    const segments = seg.summary.map((g) => ({ segment: g.segment, customers: g.customers, expectedPurchases: g.expectedPurchases, value: g.value }));

    // P(alive) histogram, 20 bins
    const bins = 20;
    const hist = new Float64Array(bins);
    for (let i = 0; i < n; i++) hist[Math.min(bins - 1, Math.floor(alive[i] * bins))]++;
    const centers = Float64Array.from({ length: bins }, (_, i) => (i + 0.5) / bins);

    // calibration / holdout check by calibration frequency 0…7+
    let check = null;
    if (holdout && s.holdoutFrequency) {
      const span = s.holdoutDuration ?? (o.lastDay - calEnd) / unitDays;
      if (typeof fit.holdoutCheck === 'function') {
        const h = fit.holdoutCheck(f, r, T, s.holdoutFrequency, span, { maxFrequency: 7 });
        check = { x: h.frequency, actual: h.actual, predicted: h.predicted, count: Float64Array.from(h.customers), totalActual: h.actualTotal, totalPredicted: h.predictedTotal, spanUnits: span };
      } else {
        const pred = fit.expectedPurchases(span, f, r, T);
        const K = 8;
        const actual = new Float64Array(K), predicted = new Float64Array(K), count = new Float64Array(K);
        let totA = 0, totP = 0;
        for (let i = 0; i < n; i++) {
          const k = Math.min(K - 1, f[i]);
          actual[k] += s.holdoutFrequency[i]; predicted[k] += pred[i]; count[k]++;
          totA += s.holdoutFrequency[i]; totP += pred[i];
        }
        for (let k = 0; k < K; k++) if (count[k]) { actual[k] /= count[k]; predicted[k] /= count[k]; } else { actual[k] = NaN; predicted[k] = NaN; }
        check = { x: Float64Array.from({ length: K }, (_, k) => k), actual, predicted, count, totalActual: totA, totalPredicted: totP, spanUnits: span };
      }
    }

    clock.mark('segments');
    // the customers most likely to buy in the next 30 days
    const top = firstOf(n, TOP, (a, b) => p30[b] - p30[a] || e30[b] - e30[a]).map((i) => ({
      id: idOf(i), segment: seg.segment[i], frequency: f[i], recency: r[i], T: T[i], alive: alive[i], p30: p30[i], e30: e30[i], e90: e90[i], spend: spend ? spend[i] : null,
    }));

    const params = plainParams(fit.params);
    const state = { model, params, unitDays, n, idOf, f, r, T, alive, p30, p90, e30, e90, spend, segment: seg.segment, gg: gg?.params ?? null, monetary: s.monetary ?? null, averageAmount, holdout };
    const out = {
      model,
      params,
      logLikelihood: fit.logLikelihood,
      converged: fit.converged,
      boundary: fit.boundary,
      message: typeof fit.message === 'string' ? fit.message : '',
      customers: n,
      unitDays,
      calibrationEnd: dayToIso(calEnd),
      holdout,
      ...summary,
      ranges,
      hist: { x: centers, y: hist },
      check,
      gg,
      newChance30,
      newChance90,
      covariates: null,
      expected90: sumOf(e90),
      segments,
      averageAmount,
      top,
    };
    clock.mark('top');
    return { out, state, s };
  } finally {
    fit.free?.();
  }
}

