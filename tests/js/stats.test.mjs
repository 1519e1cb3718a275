import test from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const m = load();

test('gini: known answers and input kinds', () => {
  assert.equal(m.gini(new Float64Array(10).fill(3)), 0);
  const oneHot = new Float64Array(10); oneHot[4] = 5;
  assert.ok(Math.abs(m.gini(oneHot) - 0.9) < 1e-15);
  assert.ok(Math.abs(m.gini([1, 2, 3, 4]) - 0.25) < 1e-15);
  assert.ok(Math.abs(m.gini(new Uint32Array([1, 2, 3, 4])) - 0.25) < 1e-15);
});

test('gini matches the O(n^2) definition on random samples', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const v = m.sampleExposure(200, { sigma: 1 + seed / 10, seed });
    let diff = 0, total = 0;
    for (const a of v) { total += a; for (const b of v) diff += Math.abs(a - b); }
    const slow = diff / (2 * v.length * total);
    assert.ok(Math.abs(m.gini(v) - slow) < 1e-12, `seed ${seed}: ${m.gini(v)} vs ${slow}`);
  }
});

test('lorenz: typed arrays from 0 to 1, consistent with the shares', () => {
  const v = m.sampleExposure(1000, { seed: 3 });
  const { population, share } = m.lorenz(v, 11);
  assert.ok(population instanceof Float64Array && share instanceof Float64Array);
  assert.equal(population.length, 11);
  assert.equal(share[0], 0);
  assert.equal(share[10], 1);
  for (let k = 1; k < 11; k++) assert.ok(share[k] >= share[k - 1]);
  assert.ok(Math.abs(share[5] - m.bottomShare(v, 0.5)) < 1e-12);
  assert.ok(Math.abs(1 - share[9] - m.topShare(v, 0.1)) < 1e-12);
  assert.equal(m.lorenz(v).population.length, 101);
});

test('sampleExposure: seeded, heavy-tailed', () => {
  assert.deepEqual(m.sampleExposure(50, { seed: 9 }), m.sampleExposure(50, { seed: 9 }));
  assert.notDeepEqual(m.sampleExposure(50, { seed: 9 }), m.sampleExposure(50, { seed: 10 }));
  assert.ok(m.gini(m.sampleExposure(10_000, { seed: 1, sigma: 2 })) > 0.7);
  assert.equal(m.gini(m.sampleExposure(100, { sigma: 0 })), 0);
});
