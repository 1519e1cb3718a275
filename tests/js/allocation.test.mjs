import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';
import { capGiniJs } from '../../benches/cap_gini_baseline.mjs';

const m = load();
const sum = (v) => v.reduce((a, b) => a + b, 0);

/** O(M²) Gini, the reference. */
function giniSlow(v) {
  let diff = 0;
  for (const a of v) for (const b of v) diff += Math.abs(a - b);
  return diff / (2 * v.length * sum(v));
}

test('capGini: total, tight cap, order, uncapped creators gain', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const e = m.sampleExposure(300, { sigma: 2, seed });
    const g0 = m.gini(e);
    for (const g of [0.1, 0.35, 0.6]) {
      for (const mode of ['cap', 'floor', 'blend']) {
        const y = m.capGini(e, g, { mode, blend: 0.3 });
        assert.ok(y instanceof Float64Array && y.length === e.length);
        assert.ok(Math.abs(sum(y) / sum(e) - 1) <= 1e-9, `${seed} ${g} ${mode}: total`);
        const g1 = m.gini(y);
        assert.ok(g1 <= g + 1e-9, `${seed} ${g} ${mode}: ${g1}`);
        if (g0 > g) assert.ok(Math.abs(g1 - g) <= 1e-9, `${seed} ${g} ${mode}: not tight ${g1}`);
        assert.ok(Math.abs(giniSlow(y) - g1) <= 1e-9);
        const order = [...e.keys()].sort((a, b) => e[a] - e[b]);
        for (let k = 1; k < order.length; k++) assert.ok(y[order[k]] >= y[order[k - 1]] - 1e-9);
        if (mode === 'cap') {
          const d = m.capGiniDetailed(e, g);
          assert.equal(d.mode, g0 > g ? 'cap' : 'none');
          for (let i = 0; i < e.length; i++) if (e[i] < d.threshold) assert.ok(y[i] >= e[i]);
        }
      }
    }
  }
});

test('capGini: unchanged bit for bit under the cap; fallback reported', () => {
  const e = new Float64Array([1, 2, 3, 4]);
  const y = m.capGini(e, 0.5);
  assert.deepEqual(Array.from(y), Array.from(e));
  const z = new Float64Array([0, 0, 0, 1, 9]);
  const d = m.capGiniDetailed(z, 0.4);
  assert.equal(d.mode, 'floor');
  assert.equal(d.fellBack, true);
  assert.ok(Math.abs(m.gini(d.exposure) - 0.4) < 1e-12);
  assert.equal(m.capGiniDetailed(z, 0.7).mode, 'cap');
});

test('capGini equals the plain-JS baseline', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const e = m.sampleExposure(5000, { sigma: 1.5, seed });
    for (const g of [0.2, 0.5]) {
      const a = m.capGini(e, g);
      const b = capGiniJs(e, g);
      for (let i = 0; i < e.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(a[i])), `${seed} ${g} ${i}`);
    }
  }
});

test('GiniCapper re-solves from one sort', () => {
  const e = m.sampleExposure(2000, { seed: 4 });
  const c = new m.GiniCapper(e);
  try {
    assert.equal(c.gini, m.gini(e));
    for (const g of [0.2, 0.4, 0.6]) {
      const r = c.solve(g);
      assert.deepEqual(Array.from(r.exposure), Array.from(m.capGini(e, g)));
      assert.ok(Math.abs(r.gini - g) < 1e-9);
    }
  } finally { c.free(); }
});

function request(n, creators, seed, options = {}) {
  const creator = new Uint32Array(n), alpha = new Float64Array(n), beta = new Float64Array(n), tier = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    creator[i] = i < creators ? i : (i * 7919) % creators;
    alpha[i] = 1 + (i % 13);
    beta[i] = 30 + (i % 101) * 5;
    tier[i] = i % 3;
  }
  const newMerchant = new Uint8Array(creators).map((_, c) => (c % 4 === 0 ? 1 : 0));
  const diligence = new Float64Array(creators).map((_, c) => c % 9);
  return { items: { creator, alpha, beta, tier }, creators: { count: creators, newMerchant, diligence }, options: { budget: 1_000_000, seed, ...options } };
}

test('allocate: exact integer budget, cap met, typed arrays out', () => {
  for (const mode of ['cap', 'floor', 'blend']) {
    const r = m.allocate(request(2000, 300, 5, { giniMax: 0.4, mode, tierQuotas: [Infinity, Infinity, Infinity, Infinity, Infinity] }));
    assert.ok(r.itemExposure instanceof Float64Array && r.capped instanceof Uint8Array);
    assert.ok(r.itemExposure.every((x) => Number.isInteger(x) && x >= 0));
    assert.equal(sum(r.itemExposure) + r.unallocated, 1_000_000);
    assert.equal(sum(r.creatorExposure), sum(r.itemExposure));
    assert.ok(r.capMet && r.gini <= 0.4, `${mode}: ${r.gini}`);
    assert.ok(Math.abs(r.coldStartTotal - 100_000) < 1e-6);
    assert.ok(r.top10Share > 0 && r.bottom50Share > 0 && r.bottom50Share < 0.5);
    assert.equal(r.seed, 5);
  }
  const withScore = m.allocate({ items: { creator: [0, 1, 1], score: [1, 2, 3] }, options: { budget: 10_001, seed: 1, giniMax: 0.1 } });
  assert.equal(sum(withScore.itemExposure) + withScore.unallocated, 10_001);
});

test('allocate: deterministic under a seed, different across seeds', () => {
  const a = m.allocate(request(1000, 100, 9));
  const b = m.allocate(request(1000, 100, 9));
  const c = m.allocate(request(1000, 100, 10));
  assert.deepEqual(Array.from(a.itemExposure), Array.from(b.itemExposure));
  assert.notDeepEqual(Array.from(a.score), Array.from(c.score));
});

test('TrafficPlatform runs days: posteriors, promotions, retirement', () => {
  const n = 300, creators = 30;
  const p = new m.TrafficPlatform({
    creators: { count: creators, diligence: new Float64Array(creators).map((_, c) => c) },
    items: { creator: new Uint32Array(n).map((_, i) => i % creators) },
    options: { budget: 300_000, seed: 3, newMerchantDays: 2 },
  });
  try {
    assert.equal(p.itemCount, n);
    assert.equal(p.creatorCount, creators);
    const rate = (i) => 0.005 + 0.06 * ((i * 37) % 17) / 17;
    for (let day = 0; day < 6; day++) {
      // New content arrives every day (most items retire after their first test).
      if (day > 0) assert.equal(p.addItems(new Uint32Array(30).map((_, i) => i)), n + 30 * (day - 1));
      const r = p.runRound();
      assert.equal(r.itemExposure.length, p.itemCount);
      assert.equal(sum(r.itemExposure) + r.unallocated, 300_000);
      assert.ok(p.awaitingObservation);
      p.observe(r.itemExposure.map((x, i) => Math.floor(x * rate(i))));
      assert.equal(p.day, day + 1);
    }
    const tiers = p.tiers(), active = p.active(), caps = p.capacities();
    assert.ok(tiers.some((t) => t > 0), 'someone was promoted');
    assert.ok(active.some((a) => a === 0), 'someone retired');
    for (let t = 0; t < caps.length; t++) {
      const count = tiers.filter((x, i) => x === t && active[i] === 1).length;
      assert.ok(count <= caps[t]);
    }
    assert.ok(p.newMerchants().every((x) => x === 0), 'graduated after 2 days');
    const mean = p.posteriorMean();
    assert.ok(mean.every((x) => x > 0 && x < 1));
    assert.equal(p.itemCount, n + 150);
  } finally { p.free(); }
});

test('TrafficPlatform is deterministic under a seed', () => {
  const run = () => {
    const p = new m.TrafficPlatform({ creators: { count: 10 }, items: { creator: new Uint32Array(100).map((_, i) => i % 10) }, options: { seed: 11, budget: 50_000 } });
    const out = [];
    try {
      for (let d = 0; d < 3; d++) {
        const r = p.runRound();
        out.push(...r.itemExposure);
        p.observe(r.itemExposure.map((x) => Math.floor(x / 20)));
      }
    } finally { p.free(); }
    return out;
  };
  assert.deepEqual(run(), run());
});
