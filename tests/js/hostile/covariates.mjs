// Hostile-input cases for the fits with covariates, CovariateRepurchaseModel
// and oneHot (see ../hostile.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bigints, detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';

// The first 300 CDNOW customers (an interior BG/NBD and Pareto/NBD fit) and a channel per customer.
const rows = readFileSync(new URL('../../data/cdnow_customers_summary.csv', import.meta.url), 'utf8').trim().split('\n').slice(1, 301).map((l) => l.split(',').map(Number));
const X = rows.map((r) => r[1]);
const TX = rows.map((r) => r[2]);
const T = rows.map((r) => r[3]);
const CH = rows.map((r, i) => ['直播间', '短视频', '商品卡'][i % 3]);
const Z = Float64Array.from(rows.flatMap((r, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0]));
const COV = { names: ['直播间', '短视频'], values: Z };
const huge = () => new Array(30_000_000);

/** Runs `fn` on a BG/NBD fitted with the channel covariates, freeing it afterwards. */
function withFit(m, fn) {
  const model = m.fitBgNbdWithCovariates(X, TX, T, COV);
  try {
    return fn(model);
  } finally {
    model.free();
  }
}
const cm = withFit;

const FITS = ['fitBgNbdWithCovariates', 'fitModifiedBgNbdWithCovariates', 'fitParetoNbdWithCovariates'];

export default [
  // fit*WithCovariates(frequency, recency, T, covariates, options)
  ...FITS.flatMap((name) => [
    { name, call: (m) => m[name]([1, NaN], [1, 1], [2, 2], { names: ['a'], values: [0, 1] }), throws: 'RangeError', message: /frequency\[1\] is NaN/ },
    { name, call: (m) => m[name]([1], [3], [2], { names: ['a'], values: [0] }), throws: 'RangeError', message: /recency\[0\] is greater than T\[0\]/ },
    { name, call: (m) => m[name]('1', [1], [2], COV), throws: 'TypeError', message: /^frequency must be a Float64Array or an array of numbers, got string/ },
    { name, call: (m) => m[name](X, TX, T), throws: 'TypeError', message: /^covariates must be an object, got undefined$/ },
    { name, call: (m) => m[name](X, TX, T, null), throws: 'TypeError', message: /^covariates must be an object, got null$/ },
    { name, call: (m) => m[name](X, TX, T, [1, 2]), throws: 'TypeError', message: /^covariates must be an object/ },
    { name, call: (m) => m[name](X, TX, T, { values: Z }), throws: 'TypeError', message: /^covariates.names is required$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'] }), throws: 'TypeError', message: /^covariates.values is required$/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, extra: 1 }), throws: 'TypeError', message: /^covariates.extra is not a known field; expected one of: names, values, purchase, dropout$/ },
    { name, call: (m) => m[name](X, TX, T, { names: 'a', values: Z }), throws: 'TypeError', message: /^covariates.names must be an array of strings, got string$/ },
    { name, call: (m) => m[name](X, TX, T, { names: [1, 2], values: Z }), throws: 'TypeError', message: /^covariates.names\[0\] must be a string, got number$/ },
    { name, call: (m) => m[name](X, TX, T, { names: new Float64Array(2), values: Z }), throws: 'TypeError', message: /^covariates.names must be an array of strings, got a Float64Array$/ },
    { name, call: (m) => m[name](X, TX, T, { names: [], values: [] }), throws: 'RangeError', message: /^covariates.names is empty/ },
    { name, call: (m) => m[name](X, TX, T, { names: Array.from({ length: 65 }, (_, i) => `c${i}`), values: Z }), throws: 'RangeError', message: /^covariates.names has 65 elements; at most 64/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'a'], values: Z }), throws: 'RangeError', message: /^covariates.names\[1\] repeats the name "a"$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', ''], values: Z }), throws: 'RangeError', message: /^covariates.names\[1\] must be a non-empty name/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: Z.slice(1) }), throws: 'RangeError', message: /^covariates.values must have one row of 2 values .* for each of the 300 customers, got 599 values$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: [[1, 0], [0]] }), throws: 'RangeError', message: /^covariates.values\[1\] has 1 values; each row needs 2/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: [[1, 0], 'x'] }), throws: 'TypeError', message: /^covariates.values\[1\] must be a Float64Array or an array of numbers, got string$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: 'x' }), throws: 'TypeError', message: /^covariates.values must be a Float64Array or an array of numbers, got string$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: Z.map((v, i) => (i === 5 ? NaN : v)) }), throws: 'RangeError', message: /^covariates.values\[2\]\[1\] must be a finite number/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: Z.map((v, i) => (i === 0 ? 1e7 : v)) }), throws: 'RangeError', message: /^covariates.values\[0\]\[0\] must be a finite number in .*standardize/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: huge() }), throws: 'RangeError', message: /^covariates.values has 30000000 elements; at most/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, purchase: 'all' }), throws: 'TypeError', message: /^covariates.purchase must be a boolean or an array of names, got string$/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, dropout: 1 }), throws: 'TypeError', message: /^covariates.dropout must be a boolean or an array of names, got number$/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, purchase: ['团购'] }), throws: 'RangeError', message: /^covariates.purchase\[0\] is "团购", not one of covariates.names$/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, dropout: ['直播间', '直播间'] }), throws: 'RangeError', message: /^covariates.dropout lists column "直播间" twice$/ },
    { name, call: (m) => m[name](X, TX, T, { ...COV, purchase: [3] }), throws: 'TypeError', message: /^covariates.purchase\[0\] must be a string, got number$/ },
    { name, call: (m) => m[name](X, TX, T, COV, { maxIterations: 0 }), throws: 'RangeError', message: /options\.maxIterations must be an integer in \[1, 10000\]/ },
    { name, call: (m) => m[name](X, TX, T, COV, { weights: [1] }), throws: 'RangeError', message: /weights has 1 elements but frequency has 300/ },
    { name, call: (m) => m[name](X, TX, T, COV, { covariates: COV }), throws: 'TypeError', message: /^options.covariates is not a known field/ },
    { name, call: (m) => m[name](X, TX, T, throwingGetter('names')), throws: 'Error', message: /^covariates.names: reading it threw: boom$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: throwingElement([[1, 0], [0, 1]], 1) }), throws: 'Error', message: /^covariates.values\[1\]: reading it threw: boom$/ },
    { name, call: (m) => m[name](X, TX, T, { names: throwingProxy(['a']), values: Z }), throws: 'Error', message: /^covariates.names: reading it threw: boom$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: bigints() }), throws: 'TypeError', message: /^covariates.values must be .* got a BigInt64Array$/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: detached() }), throws: 'RangeError', message: /^covariates.values must have one row of 2 values/ },
    { name, call: (m) => m[name](X, TX, T, { names: ['a', 'b'], values: revoked([1]) }), throws: 'Error', message: /^covariates.values: reading it threw: TypeError/ },
    { name, call: (m) => m[name](X, TX, T, { names: endless(), values: Z }), throws: 'TypeError', message: /^covariates.names must be an array of strings/ },
    // All one-time buyers: the fit without covariates is on the boundary, where covariate effects are not identified.
    { name, call: (m) => m[name]([0, 0, 0], [0, 0, 0], [5, 6, 7], { names: ['a'], values: [0, 1, 0] }), throws: 'Error', message: /without covariates has its maximum on the boundary/ },
  ]),

  // CovariateRepurchaseModel methods
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [1], [2])), throws: 'TypeError', message: /^covariates must be a Float64Array or an array of numbers, got undefined$/ },
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [1], [2], [1])), throws: 'RangeError', message: /^covariates must have one row of 2 values .* for each of the 1 customers, got 1 values$/ },
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [1], [2], [[1, 0, 0]])), throws: 'RangeError', message: /^covariates\[0\] has 3 values; each row needs 2/ },
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [1], [2], [NaN, 0])), throws: 'RangeError', message: /^covariates\[0\]\[0\] must be a finite number/ },
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [-1], [2], [0, 0])), throws: 'RangeError', message: /recency\[0\] is negative/ },
  { name: 'CovariateRepurchaseModel#probabilityAlive', call: (m) => cm(m, (f) => f.probabilityAlive([1], [1], [2], throwingElement([0, 0]))), throws: 'Error', message: /^covariates\[0\]: reading it threw: boom$/ },
  { name: 'CovariateRepurchaseModel#expectedPurchases', call: (m) => cm(m, (f) => f.expectedPurchases(NaN, [1], [1], [2], [0, 0])), throws: 'RangeError', message: /^t is NaN/ },
  { name: 'CovariateRepurchaseModel#expectedPurchases', call: (m) => cm(m, (f) => f.expectedPurchases('soon', [1], [1], [2], [0, 0])), throws: 'TypeError', message: /^t must be a number, got string$/ },
  { name: 'CovariateRepurchaseModel#expectedPurchases', call: (m) => cm(m, (f) => f.expectedPurchases(1e12, [1], [1], [2], [0, 0])), throws: 'RangeError', message: /^t is 1000000000000; at most/ },
  { name: 'CovariateRepurchaseModel#expectedPurchases', call: (m) => cm(m, (f) => f.expectedPurchases(1, [1], [1], [2], 'z')), throws: 'TypeError', message: /^covariates must be a Float64Array/ },
  { name: 'CovariateRepurchaseModel#probabilityOfRepurchase', call: (m) => cm(m, (f) => f.probabilityOfRepurchase(-1, [1], [1], [2], [0, 0])), throws: 'RangeError', message: /^t is negative/ },
  { name: 'CovariateRepurchaseModel#probabilityOfRepurchase', call: (m) => cm(m, (f) => f.probabilityOfRepurchase(1, [1, 2], [1, 1], [2, 2], [[0, 0]])), throws: 'RangeError', message: /for each of the 2 customers, got 2 values/ },
  { name: 'CovariateRepurchaseModel#probabilityOfRepurchase', call: (m) => cm(m, (f) => f.probabilityOfRepurchase(1, [1], [1], [2], bigints())), throws: 'TypeError', message: /^covariates must be .* got a BigInt64Array$/ },
  { name: 'CovariateRepurchaseModel#logLikelihoodOf', call: (m) => cm(m, (f) => f.logLikelihoodOf([1], [1], [NaN], [0, 0])), throws: 'RangeError', message: /T\[0\] is NaN/ },
  { name: 'CovariateRepurchaseModel#logLikelihoodOf', call: (m) => cm(m, (f) => f.logLikelihoodOf([1], [1], [2], [1e300, 0])), throws: 'RangeError', message: /^covariates\[0\]\[0\] must be a finite number/ },
  { name: 'CovariateRepurchaseModel#modelFor', call: (m) => cm(m, (f) => f.modelFor([1])), throws: 'RangeError', message: /^row has 1 values; it needs 2/ },
  { name: 'CovariateRepurchaseModel#modelFor', call: (m) => cm(m, (f) => f.modelFor([1, Infinity])), throws: 'RangeError', message: /^row\[1\] is infinite/ },
  { name: 'CovariateRepurchaseModel#modelFor', call: (m) => cm(m, (f) => f.modelFor('live')), throws: 'TypeError', message: /^row must be a Float64Array or an array of numbers, got string$/ },
  { name: 'CovariateRepurchaseModel#modelFor', call: (m) => cm(m, (f) => f.modelFor(huge())), throws: 'RangeError', message: /^row has 30000000 elements; at most/ },

  // oneHot(column, options)
  { name: 'oneHot', call: (m) => m.oneHot('直播间'), throws: 'TypeError', message: /^column must be an array of strings, got string$/ },
  { name: 'oneHot', call: (m) => m.oneHot(['a', 1]), throws: 'TypeError', message: /^column\[1\] must be a string, got number$/ },
  { name: 'oneHot', call: (m) => m.oneHot(new Uint32Array(2)), throws: 'TypeError', message: /^column must be an array of strings, got an? Uint32Array$/ },
  { name: 'oneHot', call: (m) => m.oneHot([]), throws: 'RangeError', message: /^column is empty/ },
  { name: 'oneHot', call: (m) => m.oneHot(['a', 'a']), throws: 'RangeError', message: /^column has a single level/ },
  { name: 'oneHot', call: (m) => m.oneHot(Array.from({ length: 70 }, (_, i) => `l${i}`)), throws: 'RangeError', message: /^column has more than 65 distinct levels/ },
  { name: 'oneHot', call: (m) => m.oneHot(['a', 'x'.repeat(300)]), throws: 'RangeError', message: /^column\[1\] is longer than 200 characters$/ },
  { name: 'oneHot', call: (m) => m.oneHot(huge()), throws: 'RangeError', message: /^column has 30000000 elements; at most/ },
  { name: 'oneHot', call: (m) => m.oneHot(CH, { reference: '团购' }), throws: 'RangeError', message: /^reference "团购" is not a level of the column$/ },
  { name: 'oneHot', call: (m) => m.oneHot(CH, { reference: 3 }), throws: 'TypeError', message: /^options.reference must be a string, got number$/ },
  { name: 'oneHot', call: (m) => m.oneHot(CH, { ref: '商品卡' }), throws: 'TypeError', message: /^options.ref is not a known field; expected one of: reference$/ },
  { name: 'oneHot', call: (m) => m.oneHot(CH, 7), throws: 'TypeError', message: /^options must be an object, got number$/ },
  { name: 'oneHot', call: (m) => m.oneHot(throwingElement(['a', 'b'], 1)), throws: 'Error', message: /^column\[1\]: reading it threw: boom$/ },
  { name: 'oneHot', call: (m) => m.oneHot(CH, throwingGetter('reference')), throws: 'Error', message: /^options.reference: reading it threw: boom$/ },
];

/** Calls with a known outcome. */
export const regressions = [
  {
    name: 'covariates: a fit with covariates still works after rejected predictions, and levels are plain models',
    run: (m) => {
      const f = m.fitBgNbdWithCovariates(X, TX, T, COV);
      for (let i = 0; i < 3; i++) assert.throws(() => f.probabilityAlive([1], [1], [2], throwingElement([0, 0])), { name: 'Error' });
      assert.equal(f.probabilityAlive([1], [1], [2], [0, 0]).length, 1);
      const level = f.modelFor([1, 0]);
      assert.equal(level.model, 'bgnbd');
      level.free();
      f.free();
    },
  },
];

// One fitted model for the leak check's method calls (created once, in the warm-up).
let shared;
const sm = (m, fn) => fn((shared ??= m.fitBgNbdWithCovariates(X, TX, T, COV)));

/** One typical call per export, freeing every model it creates (10,000-call leak check). */
export const leak = [
  (m) => m.oneHot(CH.slice(0, 30), { reference: '商品卡' }),
  (m) => sm(m, (f) => [f.params, f.standardErrors, f.names, f.coefficients, f.logLikelihood, f.logLikelihoodWithout, f.model, f.iterations, f.converged, f.boundary, f.message, f.customers]),
  (m) => sm(m, (f) => f.probabilityAlive(X.slice(0, 5), TX.slice(0, 5), T.slice(0, 5), Z.slice(0, 10))),
  (m) => sm(m, (f) => f.expectedPurchases(30 / 7, X.slice(0, 5), TX.slice(0, 5), T.slice(0, 5), [[1, 0], [0, 1], [0, 0], [1, 0], [0, 1]])),
  (m) => sm(m, (f) => f.probabilityOfRepurchase(30 / 7, X.slice(0, 5), TX.slice(0, 5), T.slice(0, 5), Z.slice(0, 10))),
  (m) => sm(m, (f) => f.logLikelihoodOf(X.slice(0, 5), TX.slice(0, 5), T.slice(0, 5), Z.slice(0, 10))),
  (m) => sm(m, (f) => f.modelFor([1, 0]).free()),
  (m) => m.fitModifiedBgNbdWithCovariates(X.slice(0, 50), TX.slice(0, 50), T.slice(0, 50), { names: COV.names, values: Z.slice(0, 100), dropout: false }).free(),
];
