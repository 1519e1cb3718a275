// Repurchase prediction through the built package (node:test).
// Golden numbers: notes/repurchase.md (lifetimes 0.11.3, BTYD, CLVTools on CDNOW).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cdnow, csvRows, data, load, withModel } from './load.mjs';

const m = load();

function cdnowSpend() {
  // no trailing newline in this file
  const rows = csvRows('cdnow_customers_summary_with_transactions.csv');
  return { x: Float64Array.from(rows, (r) => r[1]), zbar: Float64Array.from(rows, (r) => r[4]) };
}

const rel = (a, b) => Math.abs(a - b) / Math.abs(b);
const close = (got, want, tol, what) => assert.ok(rel(got, want) < tol, `${what}: got ${got}, want ${want}`);

test('fitBgNbd reproduces Fader-Hardie-Lee on CDNOW', () => {
  const d = cdnow();
  withModel(m.fitBgNbd(d.x, d.tx, d.T), (fit) => {
    assert.equal(fit.model, 'bgnbd');
    assert.equal(fit.converged, true);
    assert.equal(fit.boundary, false);
    const p = fit.params;
    close(p.r, 0.2425929, 1e-4, 'r');
    close(p.alpha, 4.4135323, 1e-4, 'alpha');
    close(p.a, 0.792886, 1e-4, 'a');
    close(p.b, 2.4257524, 1e-4, 'b');
    assert.ok(Math.abs(fit.logLikelihood - -9582.4256) < 0.01);
    assert.ok(fit.standardErrors.r > 0 && fit.standardErrors.b > 0);
    assert.equal(fit.customers, 2357);
    // Customer 1 (x=2, t_x=30.43, T=38.86): E[Y(39 weeks)] = 1.2259.
    const e = fit.expectedPurchases(39, [2], [30.43], [38.86]);
    assert.ok(e instanceof Float64Array);
    assert.ok(Math.abs(e[0] - 1.2259) < 1e-4);
    // One-time buyer, 30 days = 30/7 weeks: 2.26 % (PyMC-Marketing 0.19.2 says 1.15 %).
    const p3 = fit.probabilityOfRepurchase(30 / 7, [0], [0], [38.86]);
    assert.ok(Math.abs(p3[0] - 0.022648849) < 1e-6);
    const alive = fit.probabilityAlive(d.x, d.tx, d.T);
    assert.equal(alive.length, 2357);
    assert.ok(alive.every((v) => v >= 0 && v <= 1));
  });
});

test('fitModifiedBgNbd, fitParetoNbd and fitGammaGamma reproduce the references', () => {
  const d = cdnow();
  withModel(m.fitModifiedBgNbd(d.x, d.tx, d.T), (fit) => {
    const p = fit.params;
    close(p.r, 0.5248377, 1e-4, 'r');
    close(p.alpha, 6.1829885, 1e-4, 'alpha');
    close(p.a, 0.8913563, 1e-4, 'a');
    close(p.b, 1.614, 1e-4, 'b');
    assert.ok(Math.abs(fit.logLikelihood - -9582.1327) < 0.01);
  });
  withModel(m.fitParetoNbd(d.x, d.tx, d.T), (fit) => {
    assert.equal(fit.model, 'paretonbd');
    const p = fit.params;
    close(p.r, 0.5532755, 1e-4, 'r');
    close(p.alpha, 10.577612, 1e-4, 'alpha');
    close(p.s, 0.6062135, 1e-4, 's');
    close(p.beta, 11.667908, 1e-4, 'beta');
    assert.ok(Math.abs(fit.logLikelihood - -9594.9739) < 0.01);
  });
  const s = cdnowSpend();
  withModel(m.fitGammaGamma(s.x, s.zbar), (fit) => {
    const p = fit.params;
    close(p.p, 6.2488025, 1e-4, 'p');
    close(p.q, 3.7445885, 1e-4, 'q');
    close(p.v, 15.447748, 1e-4, 'v');
    assert.ok(Math.abs(fit.logLikelihood - -4055.9232) < 0.01);
    assert.equal(fit.customers, 946);
  });
});

test('weights: compressed rows fit like expanded rows', () => {
  const d = cdnow();
  const key = (i) => `${d.x[i]},${d.tx[i]},${d.T[i]}`;
  const counts = new Map();
  for (let i = 0; i < d.x.length; i++) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  const rows = [...counts.entries()].map(([k, c]) => [...k.split(',').map(Number), c]);
  const a = m.fitBgNbd(d.x, d.tx, d.T);
  const b = m.fitBgNbd(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), { weights: rows.map((r) => r[3]) });
  try {
    for (const k of ['r', 'alpha', 'a', 'b']) close(b.params[k], a.params[k], 1e-9, k);
    assert.ok(Math.abs(a.logLikelihood - b.logLikelihood) < 1e-6);
  } finally {
    a.free();
    b.free();
  }
});

test('repurchaseModel with published parameters (BTYD walkthrough, customer 1516)', () => {
  withModel(m.repurchaseModel('paretonbd', { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }), (p) => {
    assert.equal(p.logLikelihood, undefined);
    assert.equal(p.standardErrors, undefined);
    assert.ok(Math.abs(p.probabilityAlive([26], [30.86], [31])[0] - 0.9979) < 1e-4);
    assert.ok(Math.abs(p.expectedPurchases(52, [26], [30.86], [31])[0] - 25.46) < 0.01);
  });
  withModel(m.repurchaseModel('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }), (bg) => {
    const curve = bg.newCustomerRepurchase(Float64Array.from([1, 2, 4, 13, 39]));
    for (let i = 1; i < curve.length; i++) assert.ok(curve[i] > curve[i - 1]);
    const e = bg.newCustomerExpectedPurchases([78]);
    assert.ok(Math.abs(e[0] - 1.858) < 0.005);
    assert.ok(Number.isFinite(bg.logLikelihoodOf([2, 0], [30.43, 0], [38.86, 38.86])));
  });
});

test('Gamma-Gamma spend and CLV (lifetimes customer_lifetime_value, weeks)', () => {
  const gg = m.repurchaseModel('gammagamma', { p: 6.248802496075312, q: 3.744588460923114, v: 15.44774806492914 });
  const bg = m.repurchaseModel('bgnbd', {
    r: 0.24259292827982182, alpha: 4.413532265271819, a: 0.7928859664406882, b: 2.42575238262586,
  });
  try {
    const spend = gg.expectedSpend([2, 0], [22.35, 0]);
    assert.ok(Math.abs(spend[0] - 24.658616) < 1e-5);
    assert.ok(Math.abs(spend[1] - 35.171002) < 1e-5);
    const clv = gg.customerLifetimeValue(bg, [2], [30.43], [38.86], [22.35], { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 });
    assert.ok(Math.abs(clv[0] - 36.278496) < 1e-4);
    assert.throws(() => bg.expectedSpend([1], [10]), { name: 'TypeError', message: /needs a gammagamma model/ });
    assert.throws(() => gg.probabilityAlive([1], [1], [2]), { name: 'TypeError', message: /needs a transaction model/ });
  } finally {
    gg.free();
    bg.free();
  }
});

function cdnowOrders() {
  const ids = [];
  const days = [];
  const amounts = [];
  for (const line of data('CDNOW_sample.txt').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const ymd = f[2];
    ids.push(String(Number(f[1])));
    days.push(Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8)) / 86400000);
    amounts.push(Number(f[4]));
  }
  return { ids, days: Float64Array.from(days), amounts: Float64Array.from(amounts) };
}

test('summarizeOrders reproduces the CDNOW summary, with holdout', () => {
  const o = cdnowOrders();
  const s = m.summarizeOrders(o.ids, o.days, o.amounts, {
    calibrationEnd: Date.UTC(1997, 8, 30) / 86400000,
    observationEnd: Date.UTC(1998, 5, 30) / 86400000,
    periodDays: 1,
    unitDays: 7,
  });
  const d = cdnow();
  assert.equal(s.customers.length, 2357);
  assert.deepEqual(s.customers.slice(0, 3), ['1', '2', '3']);
  const round2 = (v) => Math.round(v * 100) / 100;
  for (let i = 0; i < d.id.length; i++) {
    assert.equal(s.customers[i], String(d.id[i]));
    assert.equal(s.frequency[i], d.x[i]);
    assert.equal(round2(s.recency[i]), d.tx[i]);
    assert.equal(round2(s.T[i]), d.T[i]);
  }
  assert.equal(s.holdoutDuration, 39);
  assert.equal(s.holdoutFrequency.reduce((a, b) => a + b, 0), 1882);
  // Uint32Array ids give Uint32Array customers.
  const u = m.summarizeOrders(Uint32Array.from(o.ids, Number), o.days, null, { calibrationEnd: Date.UTC(1997, 8, 30) / 86400000, unitDays: 7 });
  assert.ok(u.customers instanceof Uint32Array);
  assert.equal(u.holdoutFrequency, undefined);

  // Holdout check and merchant summary on the calibration fit (notes §5.2).
  withModel(m.fitBgNbd(s.frequency, s.recency, s.T), (fit) => {
    const h = fit.holdoutCheck(s.frequency, s.recency, s.T, s.holdoutFrequency, s.holdoutDuration);
    assert.ok(Math.abs(h.predictedTotal - 1653.4) < 0.05);
    assert.equal(h.actualTotal, 1882);
    assert.equal(h.customers.length, 8);
    assert.equal(h.customers[0], 1411);
    const ms = fit.merchantSummary(s.frequency, s.recency, s.T, { unitDays: 7 });
    assert.ok(Math.abs(ms.shareBuyingNext30 - 0.0722) < 5e-5);
    assert.ok(Math.abs(ms.shareBuyingNext90 - 0.1527) < 5e-5);
    assert.ok(ms.shareAlive > 0 && ms.shareAlive <= 1);
  });
});

test('extreme customers give finite predictions', () => {
  withModel(m.repurchaseModel('paretonbd', { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.668 }), (p) => {
    const x = [0, 10000, 10000, 300];
    const tx = [0, 9999, 1, 1];
    const T = [10000, 10000, 10000, 38.86];
    for (const v of [...p.probabilityAlive(x, tx, T), ...p.expectedPurchases(90, x, tx, T), ...p.probabilityOfRepurchase(90, x, tx, T)]) {
      assert.ok(Number.isFinite(v));
    }
    assert.ok(Number.isFinite(p.logLikelihoodOf(x, tx, T)));
  });
});

test('errors name the argument and are thrown as the class that fits', () => {
  const range = (message) => ({ name: 'RangeError', message });
  const type = (message) => ({ name: 'TypeError', message });
  assert.throws(() => m.fitBgNbd([1, NaN], [1, 1], [2, 2]), range(/^frequency\[1\] is NaN$/));
  assert.throws(() => m.fitBgNbd([1, 1], [3, 1], [2, 2]), range(/recency\[0\] is greater than T\[0\]/));
  assert.throws(() => m.fitBgNbd([0.5], [0], [1]), range(/frequency\[0\] must be an integer/));
  assert.throws(() => m.fitBgNbd([1, 1], [1], [2, 2]), range(/recency has 1 elements but frequency has 2/));
  assert.throws(() => m.fitBgNbd([1], [1], [2], { tolerance: 1 }), type(/^options\.tolerance is not a known field; expected one of: weights, maxIterations$/));
  assert.throws(() => m.summarizeOrders(['a', 7], [1, 2], null, { calibrationEnd: 5 }), type(/^customerIds\[1\] must be a string, got number$/));
  assert.throws(() => m.summarizeOrders(['a'], [Date.now()], null, { calibrationEnd: 5 }), range(/times\[0\].*86400000/));
  assert.throws(() => m.repurchaseModel('bgnbd', { r: 1, alpha: 1, a: 1 }), type(/^params\.b is required$/));
});
