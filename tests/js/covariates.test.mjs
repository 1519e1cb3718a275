// Static covariates through the built package (issue 16 §3): oneHot, the
// fits with covariates, their coefficients and per-customer predictions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cdnow, load, withModel } from './load.mjs';

const m = load();

const CHANNELS = ['直播间', '短视频', '商品卡'];
const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// A deterministic pseudo-random channel per CDNOW customer (a hash of its id), unrelated to behaviour.
const channelOf = (id) => CHANNELS[((id * 2654435761) >>> 0) % 3];

test('oneHot: indicator columns against a reference level, most frequent first', () => {
  const col = ['直播间', '短视频', '直播间', '商品卡', '直播间', '短视频'];
  const oh = m.oneHot(col, { reference: '商品卡' });
  assert.equal(oh.reference, '商品卡');
  assert.deepEqual(oh.levels, ['直播间', '短视频', '商品卡']);
  assert.deepEqual([...oh.counts], [3, 2, 1]);
  assert.deepEqual(oh.names, ['直播间', '短视频']);
  assert.ok(oh.values instanceof Float64Array);
  assert.deepEqual([...oh.values], [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1]);
  const d = m.oneHot(col);
  assert.equal(d.reference, '直播间');
  assert.deepEqual(d.names, ['短视频', '商品卡']);
});

test('fitBgNbdWithCovariates on CDNOW with a channel unrelated to behaviour', () => {
  const d = cdnow();
  const oh = m.oneHot(d.id.map(channelOf), { reference: '商品卡' });
  withModel(m.fitBgNbd(d.x, d.tx, d.T), (plain) => {
    withModel(m.fitBgNbdWithCovariates(d.x, d.tx, d.T, { names: oh.names, values: oh.values }), (fit) => {
      assert.equal(fit.model, 'bgnbd');
      assert.ok(fit.converged, fit.message);
      // The two levels but the reference, most frequent first.
      assert.equal(oh.reference, '商品卡');
      assert.deepEqual(new Set(oh.names), new Set(['直播间', '短视频']));
      assert.deepEqual(fit.names, oh.names);
      const c = fit.coefficients;
      const [l0, l1] = oh.names;
      assert.deepEqual(c.map((k) => [k.name, k.process]), [[l0, 'purchase'], [l1, 'purchase'], [l0, 'dropout'], [l1, 'dropout']]);
      for (const k of c) {
        assert.ok(k.identified && k.standardError > 0, JSON.stringify(k));
        assert.ok(Math.abs(k.lift - Math.exp(k.estimate)) < 1e-15);
        assert.ok(k.liftLow < k.lift && k.lift < k.liftHigh);
      }
      // More parameters: at least the plain fit's likelihood, which it reports.
      assert.ok(rel(fit.logLikelihoodWithout, plain.logLikelihood) < 1e-12);
      assert.ok(fit.logLikelihood >= fit.logLikelihoodWithout);
      // The channel is a hash of the id: its likelihood-ratio statistic is
      // small (below the χ²(4) 0.1% point, 18.47).
      assert.ok(2 * (fit.logLikelihood - fit.logLikelihoodWithout) < 18.47);
      assert.equal(fit.customers, 2357);
      // Rows and the flat table are the same fit.
      const rows = Array.from({ length: d.x.length }, (_, i) => [oh.values[2 * i], oh.values[2 * i + 1]]);
      withModel(m.fitBgNbdWithCovariates(d.x, d.tx, d.T, { names: oh.names, values: rows }), (again) => {
        assert.equal(again.logLikelihood, fit.logLikelihood);
        assert.deepEqual(again.params, fit.params);
      });
      // Per-customer predictions: each customer under its own covariates,
      // equal to the plain model of its covariate row.
      const n = 40;
      const sub = (a) => a.slice(0, n);
      const z = oh.values.slice(0, 2 * n);
      const alive = fit.probabilityAlive(sub(d.x), sub(d.tx), sub(d.T), z);
      const e30 = fit.expectedPurchases(30 / 7, sub(d.x), sub(d.tx), sub(d.T), z);
      const r30 = fit.probabilityOfRepurchase(30 / 7, sub(d.x), sub(d.tx), sub(d.T), rows.slice(0, n));
      let ll = 0;
      for (let i = 0; i < n; i++) {
        withModel(fit.modelFor([z[2 * i], z[2 * i + 1]]), (own) => {
          const one = (a) => [a[i]];
          assert.equal(alive[i], own.probabilityAlive(one(d.x), one(d.tx), one(d.T))[0]);
          assert.equal(e30[i], own.expectedPurchases(30 / 7, one(d.x), one(d.tx), one(d.T))[0]);
          assert.equal(r30[i], own.probabilityOfRepurchase(30 / 7, one(d.x), one(d.tx), one(d.T))[0]);
          ll += own.logLikelihoodOf(one(d.x), one(d.tx), one(d.T));
        });
      }
      assert.ok(rel(fit.logLikelihoodOf(sub(d.x), sub(d.tx), sub(d.T), z), ll) < 1e-12);
      // The reference level's model is the base parameters; a level's lift
      // on the mean purchase rate r/alpha is exp(γ).
      withModel(fit.modelFor([0, 0]), (ref) => assert.deepEqual(ref.params, fit.params));
      withModel(fit.modelFor([1, 0]), (live) => {
        const lift = c[0].lift;
        assert.ok(rel(live.params.r / live.params.alpha, (fit.params.r / fit.params.alpha) * lift) < 1e-14);
        // BG/NBD dropout: a and b scale together by exp(γ_dropout).
        assert.ok(rel(live.params.a / fit.params.a, c[2].lift) < 1e-14);
        assert.ok(rel(live.params.b / fit.params.b, c[2].lift) < 1e-14);
        // Per-level summaries come from the level's plain model.
        assert.ok(live.newCustomerRepurchase([30 / 7])[0] > 0);
      });
    });
  });
});

test('all-zero covariates reproduce the plain fits', () => {
  const d = cdnow();
  const zeros = new Float64Array(2 * d.x.length);
  for (const [plainFit, covFit] of [['fitBgNbd', 'fitBgNbdWithCovariates'], ['fitModifiedBgNbd', 'fitModifiedBgNbdWithCovariates'], ['fitParetoNbd', 'fitParetoNbdWithCovariates']]) {
    withModel(m[plainFit](d.x, d.tx, d.T), (plain) => {
      withModel(m[covFit](d.x, d.tx, d.T, { names: ['a', 'b'], values: zeros }), (fit) => {
        for (const [k, v] of Object.entries(plain.params)) assert.ok(rel(fit.params[k], v) < 1e-10, `${covFit} ${k}: ${fit.params[k]} vs ${v}`);
        assert.ok(rel(fit.logLikelihood, plain.logLikelihood) < 1e-10, `${covFit} LL`);
        assert.ok(fit.coefficients.every((c) => c.estimate === 0 && !c.identified && Number.isNaN(c.standardError) && Number.isNaN(c.liftLow)));
        assert.match(fit.message, /not identified/);
      });
    });
  }
});

test('covariates select columns per process; switched off, the process has none', () => {
  const d = cdnow();
  const score = Float64Array.from(d.id, (id) => (((id * 40503) % 1000) / 1000) - 0.5);
  const oh = m.oneHot(d.id.map(channelOf));
  const values = Array.from({ length: d.x.length }, (_, i) => [oh.values[2 * i], oh.values[2 * i + 1], score[i]]);
  const names = [...oh.names, 'score'];
  withModel(m.fitParetoNbdWithCovariates(d.x, d.tx, d.T, { names, values, purchase: ['score'], dropout: false }), (fit) => {
    assert.equal(fit.model, 'paretonbd');
    assert.deepEqual(fit.coefficients.map((c) => [c.name, c.process]), [['score', 'purchase']]);
    assert.ok(fit.converged, fit.message);
    assert.deepEqual(Object.keys(fit.params), ['r', 'alpha', 's', 'beta']);
    assert.ok(Object.values(fit.standardErrors).every((s) => s > 0));
    // Predictions take the whole table's rows (all names), whichever columns act.
    assert.equal(fit.probabilityAlive([1], [1], [2], [[1, 0, 0.3]]).length, 1);
  });
  withModel(m.fitBgNbdWithCovariates(d.x, d.tx, d.T, { names, values, purchase: false, dropout: false }), (fit) => {
    assert.deepEqual(fit.coefficients, []);
    assert.ok(Math.abs(fit.logLikelihood - fit.logLikelihoodWithout) < 1e-9);
  });
});

test('the typings declare CovariateTable, CovariateCoefficient and OneHot', () => {
  const dts = readFileSync(new URL('../../pkg/shijing.d.ts', import.meta.url), 'utf8');
  assert.match(dts, /export interface CovariateTable \{/);
  assert.match(dts, /\n\s+names: string\[\];/);
  assert.match(dts, /\n\s+values: Numbers \| Numbers\[\];/);
  assert.match(dts, /\n\s+purchase\?: boolean \| string\[\];/);
  assert.match(dts, /export interface CovariateCoefficient \{/);
  assert.match(dts, /fitBgNbdWithCovariates\(frequency: Numbers, recency: Numbers, T: Numbers, covariates: CovariateTable, options\?: FitOptions\): CovariateRepurchaseModel/);
  assert.match(dts, /oneHot\(column: string\[\], options\?: OneHotOptions\): OneHot/);
});
