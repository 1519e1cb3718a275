// Issue 19: calling a method on an object already freed must not break the
// instance. wasm-bindgen's own check ("null pointer passed to rust") throws from
// inside the Wasm, past its clean-up: 16,384 calls of a getter that returns a
// string ended every later call in "memory access out of bounds". The package's
// glue now checks first (scripts/finish-pkg.mjs): every method, getter and
// setter of every class, and every object passed as an argument.
import test from 'node:test';
import assert from 'node:assert/strict';
import { csvRows, load, memory } from './load.mjs';

const m = load();
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CALLS = 100_000;
// The first 50 CDNOW customers (an interior MBG/NBD fit), for a fit with covariates.
const CD = csvRows('cdnow_customers_summary.csv').slice(0, 50);

/** Every class the package exports, with a way to make one. */
const MAKERS = {
  RepurchaseModel: () => m.repurchaseModel('bgnbd', BG),
  CovariateRepurchaseModel: () => m.fitModifiedBgNbdWithCovariates(CD.map((r) => r[1]), CD.map((r) => r[2]), CD.map((r) => r[3]), { names: ['a'], values: CD.map((r, i) => i % 2) }),
  GiniCapper: () => new m.GiniCapper([1, 2, 5]),
  MarketModel: () => new m.MarketModel({ days: 2, seed: 1, population: { merchants: 10 } }),
  TrafficPlatform: () => new m.TrafficPlatform({ creators: { count: 2 }, items: { creator: [0, 1] }, options: { budget: 1000, seed: 1 } }),
};

test('every exported class is covered', () => {
  const classes = Object.entries(m).filter(([, v]) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v))).map(([k]) => k).sort();
  assert.deepEqual(classes, Object.keys(MAKERS).sort());
});

test(`${CALLS.toLocaleString('en')} calls on a freed object throw an Error naming the class; the instance still works, memory flat`, () => {
  const model = MAKERS.RepurchaseModel();
  model.free();
  const mem = memory();
  const before = mem.buffer.byteLength;
  const calls = [() => model.message, () => model.params, () => model.probabilityAlive([1], [1], [2]), () => model.merchantSummary([1], [1], [2], { unitDays: 7 })];
  for (let i = 0; i < CALLS; i++) {
    assert.throws(calls[i % calls.length], (e) => e.constructor === Error && /^RepurchaseModel\.\w+: this RepurchaseModel was freed/.test(e.message));
  }
  assert.equal(mem.buffer.byteLength, before, 'Wasm memory grew');
  assert.equal(m.gini([1, 2, 3, 4]), 0.25);
  const live = MAKERS.RepurchaseModel();
  assert.equal(live.merchantSummary([1], [1], [2]).customers, 1);
  assert.equal(typeof live.message, 'string');
  live.free();
});

test('every method and getter of every class checks its object; free() twice and dispose after free do nothing', () => {
  for (const [name, make] of Object.entries(MAKERS)) {
    const o = make();
    o.free();
    o.free();
    o[Symbol.dispose]?.();
    const proto = m[name].prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (['constructor', 'free', '__destroy_into_raw'].includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      const call = d.get ? () => d.get.call(o) : typeof d.value === 'function' ? () => d.value.call(o) : null;
      if (!call) continue;
      assert.throws(call, (e) => e.constructor === Error && e.message === `${name}.${key}: this ${name} was freed (free() or the end of a using block) and cannot be used any more`, `${name}.${key}`);
      // Called on something that is not one (a plain object, the prototype itself).
      const other = d.get ? () => d.get.call(proto) : () => d.value.call({});
      assert.throws(other, (e) => e.constructor === Error && e.message === `${name}.${key}: called on something that is not a ${name}`, `${name}.${key} on another object`);
    }
  }
  assert.equal(m.gini([1, 1]), 0);
});

test('a freed object passed as an argument is refused the same way, 100,000 times', () => {
  const gg = m.repurchaseModel('gammagamma', { p: 6, q: 4, v: 15 });
  const tx = MAKERS.RepurchaseModel();
  tx.free();
  const mem = memory();
  const before = mem.buffer.byteLength;
  for (let i = 0; i < CALLS; i++) {
    assert.throws(() => gg.customerLifetimeValue(tx, [1], [1], [2], [10]), (e) => e.constructor === Error && /^this RepurchaseModel was freed/.test(e.message));
  }
  assert.equal(mem.buffer.byteLength, before, 'Wasm memory grew');
  const live = MAKERS.RepurchaseModel();
  assert.equal(gg.customerLifetimeValue(live, [1], [1], [2], [10]).length, 1);
  live.free();
  gg.free();
});
