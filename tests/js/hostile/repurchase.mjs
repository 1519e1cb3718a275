// Hostile-input cases for the repurchase exports (see ../hostile.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bigints, detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARETO = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
const GG = { p: 6.25, q: 3.74, v: 15.44 };

/** Runs `fn` on a model built from known parameters, freeing it afterwards. */
function withModel(m, name, params, fn) {
  const model = m.repurchaseModel(name, params);
  try {
    return fn(model);
  } finally {
    model.free();
  }
}
const bg = (m, fn) => withModel(m, 'bgnbd', BG, fn);
const gg = (m, fn) => withModel(m, 'gammagamma', GG, fn);

const SO = { calibrationEnd: 10 };

// Fitted models (intervals need a fit's covariance): BG/NBD and Gamma-Gamma on
// CDNOW's first 300 customers (interior optima), one per module instance.
const CDNOW = readFileSync(new URL('../../data/cdnow_customers_summary_with_transactions.csv', import.meta.url), 'utf8').trim().split('\n').slice(1, 301).map((l) => l.split(',').map(Number));
const CX = CDNOW.map((r) => r[1]), CR = CDNOW.map((r) => r[2]), CT = CDNOW.map((r) => r[3]), CM = CDNOW.map((r) => r[4]);
const fitted = new WeakMap();
/** `fn(bg, gg)` with the instance's fitted BG/NBD and Gamma-Gamma models (kept for the run). */
function fits(m, fn) {
  if (!fitted.has(m)) fitted.set(m, { bg: m.fitBgNbd(CX, CR, CT), gg: m.fitGammaGamma(CX, CM) });
  const f = fitted.get(m);
  return fn(f.bg, f.gg);
}
const MSI = 'merchantSummaryIntervals', EPI = 'expectedPurchasesIntervals', CLVI = 'customerLifetimeValueIntervals';
const huge = () => new Array(30_000_000); // sparse: cheap to create, longer than the 20M cap

export default [
  // summarizeOrders(customerIds, times, amounts, options)
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders('abc', [1], null, SO), throws: 'TypeError', message: /customerIds must be an array of strings or a Uint32Array, got string/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(null, [1], null, SO), throws: 'TypeError', message: /customerIds must be .* got null/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a', 2], [1, 2], null, SO), throws: 'TypeError', message: /customerIds\[1\] must be a string, got number/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders([], [], null, SO), throws: 'RangeError', message: /customerIds is empty/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(huge(), [1], null, SO), throws: 'RangeError', message: /customerIds has 30000000 elements; at most/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a', 'b'], [1], null, SO), throws: 'RangeError', message: /times has 1 elements but customerIds has 2/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [NaN], null, SO), throws: 'RangeError', message: /times\[0\] is NaN/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [Infinity], null, SO), throws: 'RangeError', message: /times\[0\] is infinite/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], ['x'], null, SO), throws: 'TypeError', message: /^times\[0\] must be a number, got string$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1.7e12], null, SO), throws: 'RangeError', message: /times\[0\] is .*86400000/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], [-5], SO), throws: 'RangeError', message: /amounts\[0\] is negative/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], [1, 2], SO), throws: 'RangeError', message: /amounts has 2 elements but customerIds has 1/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, undefined), throws: 'TypeError', message: /options must be an object, got undefined/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, {}), throws: 'TypeError', message: /^options.calibrationEnd is required$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: NaN }), throws: 'RangeError', message: /options\.calibrationEnd is NaN/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, periodDays: 0 }), throws: 'RangeError', message: /options\.periodDays must be > 0/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, periodDays: 1e12 }), throws: 'RangeError', message: /options\.periodDays must be in/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, unitDays: -7 }), throws: 'RangeError', message: /options\.unitDays must be > 0/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, observationEnd: 5 }), throws: 'RangeError', message: /options\.observationEnd \(5\) is before options\.calibrationEnd/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, bogus: 1 }), throws: 'TypeError', message: /^options.bogus is not a known field; expected one of: calibrationEnd, observationEnd, periodDays, unitDays$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [20], null, SO), throws: 'RangeError', message: /no customer has an order on or before options\.calibrationEnd/ },

  // fitBgNbd / fitModifiedBgNbd / fitParetoNbd(frequency, recency, T, options)
  ...['fitBgNbd', 'fitModifiedBgNbd', 'fitParetoNbd'].flatMap((name) => [
    { name, call: (m) => m[name]([1, NaN], [1, 1], [2, 2]), throws: 'RangeError', message: /frequency\[1\] is NaN/ },
    { name, call: (m) => m[name]([1], [1], [Infinity]), throws: 'RangeError', message: /T\[0\] is infinite/ },
    { name, call: (m) => m[name]([-1], [0], [2]), throws: 'RangeError', message: /frequency\[0\] is negative/ },
    { name, call: (m) => m[name]([1.5], [1], [2]), throws: 'RangeError', message: /frequency\[0\] must be an integer/ },
    { name, call: (m) => m[name]([1], [3], [2]), throws: 'RangeError', message: /recency\[0\] is greater than T\[0\]/ },
    { name, call: (m) => m[name]([0], [1], [2]), throws: 'RangeError', message: /recency\[0\] must be 0 when frequency\[0\] is 0/ },
    { name, call: (m) => m[name]([], [], []), throws: 'RangeError', message: /frequency is empty/ },
    { name, call: (m) => m[name]([1, 1], [1], [2, 2]), throws: 'RangeError', message: /recency has 1 elements but frequency has 2/ },
    { name, call: (m) => m[name]([1], [1], [2, 2]), throws: 'RangeError', message: /T has 2 elements but frequency has 1/ },
    { name, call: (m) => m[name]('1', [1], [2]), throws: 'TypeError', message: /frequency must be a Float64Array or an array of numbers, got string/ },
    { name, call: (m) => m[name]([1], null, [2]), throws: 'TypeError', message: /recency must be a Float64Array or an array of numbers, got null/ },
    { name, call: (m) => m[name](huge(), [1], [2]), throws: 'RangeError', message: /frequency has 30000000 elements; at most/ },
    { name, call: (m) => m[name]([1e12], [1], [2]), throws: 'RangeError', message: /frequency\[0\] is 1000000000000; at most/ },
    { name, call: (m) => m[name]([1], [1], [1e12]), throws: 'RangeError', message: /T\[0\] is 1000000000000; at most/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [NaN] }), throws: 'RangeError', message: /weights\[0\] is NaN/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [1, 2] }), throws: 'RangeError', message: /weights has 2 elements but frequency has 1/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [0] }), throws: 'RangeError', message: /weights are all zero/ },
    { name, call: (m) => m[name]([1], [1], [2], { maxIterations: 0 }), throws: 'RangeError', message: /options\.maxIterations must be an integer in \[1, 10000\]/ },
    { name, call: (m) => m[name]([1], [1], [2], { maxIterations: 1e12 }), throws: 'RangeError', message: /options\.maxIterations must be an integer/ },
    { name, call: (m) => m[name]([1], [1], [2], { tolerance: 1e-6 }), throws: 'TypeError', message: /^options\.tolerance is not a known field; expected one of: weights, maxIterations$/ },
    { name, call: (m) => m[name]([1], [1], [2], 'fast'), throws: 'TypeError', message: /options must be an object, got string/ },
  ]),

  // fitGammaGamma(frequency, monetary, options)
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1, 2], [10, NaN]), throws: 'RangeError', message: /monetary\[1\] is NaN/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [-3]), throws: 'RangeError', message: /monetary\[0\] is negative/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [0]), throws: 'RangeError', message: /monetary\[0\] must be > 0 when frequency\[0\] > 0/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([0, 0], [0, 0]), throws: 'RangeError', message: /frequency has no customer with a repeat purchase/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1, 2], [10]), throws: 'RangeError', message: /monetary has 1 elements but frequency has 2/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([], []), throws: 'RangeError', message: /frequency is empty/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma({}, [1]), throws: 'TypeError', message: /frequency must be a Float64Array or an array of numbers/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [10], { weights: [-1] }), throws: 'RangeError', message: /weights\[0\] is negative/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [10], { extra: true }), throws: 'TypeError', message: /^options\.extra is not a known field; expected one of: weights, maxIterations$/ },

  // repurchaseModel(model, params)
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnb', BG), throws: 'RangeError', message: /model must be one of/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel(5, BG), throws: 'TypeError', message: /^model must be a string, got number$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', null), throws: 'TypeError', message: /params must be an object, got null/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', [1, 2, 3, 4]), throws: 'TypeError', message: /params must be an object, got an array/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, r: NaN }), throws: 'RangeError', message: /params\.r is NaN/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, a: -1 }), throws: 'RangeError', message: /params\.a must be > 0, got -1/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, alpha: Infinity }), throws: 'RangeError', message: /params\.alpha is infinite/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, alpha: 1e20 }), throws: 'RangeError', message: /^params\.alpha must be in \[1e-13, 10000000000000\] \(the numerically supported range\), got 100000000000000000000$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { r: 1, alpha: 1, a: 1 }), throws: 'TypeError', message: /^params\.b is required$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, s: 1 }), throws: 'TypeError', message: /^params\.s is not a known field; expected one of: r, alpha, a, b$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('paretonbd', { ...PARETO, r: 'x' }), throws: 'TypeError', message: /^params\.r must be a number, got string$/ },

  // RepurchaseModel methods
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1, NaN], [1, 1], [2, 2])), throws: 'RangeError', message: /frequency\[1\] is NaN/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1], [1], [])), throws: 'RangeError', message: /T has 0 elements but frequency has 1/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([], [], [])), throws: 'RangeError', message: /frequency is empty/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1], [-1], [2])), throws: 'RangeError', message: /recency\[0\] is negative/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => gg(m, (g) => g.probabilityAlive([1], [1], [2])), throws: 'TypeError', message: /probabilityAlive needs a transaction model/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(NaN, [1], [1], [2])), throws: 'RangeError', message: /^t is NaN/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases('soon', [1], [1], [2])), throws: 'TypeError', message: /^t must be a number, got string$/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(null, [1], [1], [2])), throws: 'TypeError', message: /^t must be a number, got null$/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(-1, [1], [1], [2])), throws: 'RangeError', message: /^t is negative/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(1e12, [1], [1], [2])), throws: 'RangeError', message: /^t is 1000000000000; at most/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(1, [1], [3], [2])), throws: 'RangeError', message: /recency\[0\] is greater than T\[0\]/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(Infinity, [1], [1], [2])), throws: 'RangeError', message: /^t is infinite/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(1, [1.2], [1], [2])), throws: 'RangeError', message: /frequency\[0\] must be an integer/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(1, [1], [1], 'T')), throws: 'TypeError', message: /^T must be a Float64Array or an array of numbers/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([1, NaN])), throws: 'RangeError', message: /t\[1\] is NaN/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([])), throws: 'RangeError', message: /^t is empty/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([1e12])), throws: 'RangeError', message: /t\[0\] is 1000000000000; at most/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase(30)), throws: 'TypeError', message: /^t must be a Float64Array or an array of numbers, got number/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => bg(m, (g) => g.newCustomerExpectedPurchases([-2])), throws: 'RangeError', message: /t\[0\] is negative/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => bg(m, (g) => g.newCustomerExpectedPurchases(huge())), throws: 'RangeError', message: /^t has 30000000 elements; at most/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => gg(m, (g) => g.newCustomerExpectedPurchases([1])), throws: 'TypeError', message: /needs a transaction model/ },
  { name: 'RepurchaseModel#logLikelihoodOf', call: (m) => bg(m, (g) => g.logLikelihoodOf([1], [1], [NaN])), throws: 'RangeError', message: /T\[0\] is NaN/ },
  { name: 'RepurchaseModel#logLikelihoodOf', call: (m) => bg(m, (g) => g.logLikelihoodOf(null, [1], [2])), throws: 'TypeError', message: /frequency must be a Float64Array/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { unitDays: 0 })), throws: 'RangeError', message: /options\.unitDays must be > 0/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { unitDays: 1e9 })), throws: 'RangeError', message: /options\.unitDays must be at most 3660/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { aliveThreshold: 2 })), throws: 'RangeError', message: /options\.aliveThreshold must be in \[0, 1\], got 2/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { periodDays: 7 })), throws: 'TypeError', message: /^options.periodDays is not a known field; expected one of: unitDays, aliveThreshold$/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], 7)), throws: 'TypeError', message: /options must be an object, got number/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([NaN], [1], [2])), throws: 'RangeError', message: /frequency\[0\] is NaN/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1, 2], [1, 1], [2, 2], [0], 39)), throws: 'RangeError', message: /holdoutFrequency has 1 elements but frequency has 2/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1, 2], [1, 1], [2, 2], [1.7e308, 1.7e308], 39)), throws: 'RangeError', message: /^holdoutFrequency sums to more than 1\.7976931348623157e\+?308/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [-1], 39)), throws: 'RangeError', message: /holdoutFrequency\[0\] is negative/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], NaN)), throws: 'RangeError', message: /^duration is NaN/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 1e12)), throws: 'RangeError', message: /^duration is 1000000000000; at most/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { maxFrequency: 0.5 })), throws: 'RangeError', message: /options\.maxFrequency must be an integer in \[1, 1000\]/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { maxFrequency: 1e12 })), throws: 'RangeError', message: /options\.maxFrequency must be an integer/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { bins: 3 })), throws: 'TypeError', message: /^options.bins is not a known field; expected one of: maxFrequency$/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([1], [NaN])), throws: 'RangeError', message: /monetary\[0\] is NaN/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([1, 2], [1])), throws: 'RangeError', message: /monetary has 1 elements but frequency has 2/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([], [])), throws: 'RangeError', message: /frequency is empty/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => bg(m, (g) => g.expectedSpend([1], [10])), throws: 'TypeError', message: /expectedSpend needs a gammagamma model/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [NaN]))), throws: 'RangeError', message: /monetary\[0\] is NaN/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { months: 1e12 }))), throws: 'RangeError', message: /options\.months must be an integer in \[1, 120\], got 1000000000000$/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { monthlyDiscountRate: -0.1 }))), throws: 'RangeError', message: /options\.monthlyDiscountRate must be in \[0, 10\]/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { unitsPerMonth: 0 }))), throws: 'RangeError', message: /options\.unitsPerMonth must be > 0/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { discount: 1 }))), throws: 'TypeError', message: /^options.discount is not a known field; expected one of: months, monthlyDiscountRate, unitsPerMonth$/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => g.customerLifetimeValue(g, [1], [1], [2], [10])), throws: 'TypeError', message: /customerLifetimeValue \(transactions\) needs a transaction model/ },
  // issue 19: exceptions while reading, BigInt and detached arrays, coercions
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, throwingGetter('calibrationEnd')), throws: 'Error', message: /^options.calibrationEnd: reading it threw: boom$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(throwingElement(['a', 'b'], 1), [1, 2], null, SO), throws: 'Error', message: /^customerIds\[1\]: reading it threw: boom$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], bigints(), null, SO), throws: 'TypeError', message: /^times must be .* got a BigInt64Array$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(new Int32Array([1]), [1], null, SO), throws: 'TypeError', message: /^customerIds must be an array of strings or a Uint32Array, got an Int32Array$/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], detached(), SO), throws: 'RangeError', message: /^amounts has 0 elements but customerIds has 1/ },
  { name: 'fitBgNbd', call: (m) => m.fitBgNbd(throwingProxy(), [1], [2]), throws: 'Error', message: /^frequency: reading it threw: boom$/ },
  { name: 'fitBgNbd', call: (m) => m.fitBgNbd([1], [1], [2], throwingGetter('weights')), throws: 'Error', message: /^options.weights: reading it threw: boom$/ },
  { name: 'fitParetoNbd', call: (m) => m.fitParetoNbd([1], revoked(), [2]), throws: 'Error', message: /^recency: reading it threw: TypeError/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], new BigUint64Array(1)), throws: 'TypeError', message: /^monetary must be .* got a BigUint64Array$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', throwingGetter('r', BG)), throws: 'Error', message: /^params.r: reading it threw: boom$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', endless()), throws: 'TypeError', message: /^params.r is required$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', new Map(Object.entries(BG))), throws: 'TypeError', message: /^params.r is required$/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('b'.repeat(100_000), BG), throws: 'RangeError', message: /^model must be one of "bgnbd", "mbgnbd", "paretonbd", "gammagamma", got "b{80}…"$/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], '39')), throws: 'TypeError', message: /^duration must be a number, got string$/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], throwingGetter('unitDays'))), throws: 'Error', message: /^options.unitDays: reading it threw: boom$/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], throwingElement([10])))), throws: 'Error', message: /^monetary\[0\]: reading it threw: boom$/ },
  // wasm-bindgen's own class check: its message names the expected class, not the argument.
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => g.customerLifetimeValue(null, [1], [1], [2], [10])), throws: 'Error', message: /RepurchaseModel/ },
  // issue 16 §2: intervals (options level, draws, seed; the summary's and the CLV's options alongside)
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { level: 0.2 })), throws: 'RangeError', message: /^options\.level must be in \[0\.5, 0\.999\], got 0\.2$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { level: 1 })), throws: 'RangeError', message: /^options\.level must be in \[0\.5, 0\.999\], got 1$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { level: NaN })), throws: 'RangeError', message: /^options\.level is NaN/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { level: '0.9' })), throws: 'TypeError', message: /^options\.level must be a number, got string$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { draws: 19 })), throws: 'RangeError', message: /^options\.draws must be an integer in \[20, 10000\], got 19$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { draws: 1e9 })), throws: 'RangeError', message: /^options\.draws must be an integer in \[20, 10000\], got 1000000000$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { draws: 100.5 })), throws: 'RangeError', message: /^options\.draws must be an integer/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { seed: -1 })), throws: 'RangeError', message: /^options\.seed must be an integer in \[0, 4294967295\], got -1$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { seed: 2 ** 32 })), throws: 'RangeError', message: /^options\.seed must be an integer in \[0, 4294967295\]/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { seed: 1n })), throws: 'TypeError', message: /^options\.seed must be a number, got bigint$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { unitDays: 0 })), throws: 'RangeError', message: /^options\.unitDays must be > 0/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], { months: 12 })), throws: 'TypeError', message: /^options\.months is not a known field; expected one of: unitDays, aliveThreshold, level, draws, seed$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], 0.9)), throws: 'TypeError', message: /^options must be an object, got number$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [1], [2], throwingGetter('level'))), throws: 'Error', message: /^options\.level: reading it threw: boom$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals(throwingProxy(), [1], [2])), throws: 'Error', message: /^frequency: reading it threw: boom$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (b) => b.merchantSummaryIntervals([1], [2], [1])), throws: 'RangeError', message: /recency\[0\]/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => bg(m, (g) => g.merchantSummaryIntervals([1], [1], [2])), throws: 'RangeError', message: /^merchantSummaryIntervals needs a model fitted by fitBgNbd, .* a repurchaseModel\(…\) has none$/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => { const b = m.fitBgNbd([0, 0, 0], [0, 0, 0], [5, 6, 7]); try { return b.merchantSummaryIntervals([0], [0], [5]); } finally { b.free(); } }, throws: 'RangeError', message: /^merchantSummaryIntervals needs the parameters' uncertainty, and this model has none: a boundary fit has no standard errors/ },
  { name: `RepurchaseModel#${MSI}`, call: (m) => fits(m, (_, g) => g.merchantSummaryIntervals([1], [1], [2])), throws: 'TypeError', message: /^merchantSummaryIntervals needs a transaction model/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(NaN, [1], [1], [2])), throws: 'RangeError', message: /^t is NaN/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals('4', [1], [1], [2])), throws: 'TypeError', message: /^t must be a number, got string$/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1, 2], [1], [2])), throws: 'RangeError', message: /recency has 1 elements but frequency has 2/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1], [1], [2], { level: 0.9999 })), throws: 'RangeError', message: /^options\.level must be in \[0\.5, 0\.999\]/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1], [1], [2], { draws: 0 })), throws: 'RangeError', message: /^options\.draws must be an integer in \[20, 10000\], got 0$/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1], [1], [2], { seed: 0.5 })), throws: 'RangeError', message: /^options\.seed must be an integer/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1], [1], [2], { unitDays: 7 })), throws: 'TypeError', message: /^options\.unitDays is not a known field; expected one of: level, draws, seed$/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => fits(m, (b) => b.expectedPurchasesIntervals(4, [1], [1], [2], throwingGetter('draws'))), throws: 'Error', message: /^options\.draws: reading it threw: boom$/ },
  { name: `RepurchaseModel#${EPI}`, call: (m) => bg(m, (g) => g.expectedPurchasesIntervals(4, [1], [1], [2])), throws: 'RangeError', message: /^expectedPurchasesIntervals needs a model fitted by/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], { level: 2 })), throws: 'RangeError', message: /^options\.level must be in \[0\.5, 0\.999\], got 2$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], { draws: 10001 })), throws: 'RangeError', message: /^options\.draws must be an integer in \[20, 10000\], got 10001$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], { seed: null, draws: 'many' })), throws: 'TypeError', message: /^options\.draws must be a number, got string$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], { months: 0 })), throws: 'RangeError', message: /^options\.months must be an integer in \[1, 120\]/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], { unitDays: 7 })), throws: 'TypeError', message: /^options\.unitDays is not a known field; expected one of: months, monthlyDiscountRate, unitsPerMonth, level, draws, seed$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [NaN])), throws: 'RangeError', message: /monetary\[0\] is NaN/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], throwingElement([10]))), throws: 'Error', message: /^monetary\[0\]: reading it threw: boom$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, [1], [1], [2], [10], throwingGetter('seed'))), throws: 'Error', message: /^options\.seed: reading it threw: boom$/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b) => b.customerLifetimeValueIntervals(b, [1], [1], [2], [10])), throws: 'TypeError', message: /^customerLifetimeValueIntervals needs a gammagamma model/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b, g) => bg(m, (given) => g.customerLifetimeValueIntervals(given, [1], [1], [2], [10]))), throws: 'RangeError', message: /^customerLifetimeValueIntervals needs transactions fitted by/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (b) => gg(m, (given) => given.customerLifetimeValueIntervals(b, [1], [1], [2], [10]))), throws: 'RangeError', message: /^customerLifetimeValueIntervals needs a spend model fitted by/ },
  { name: `RepurchaseModel#${CLVI}`, call: (m) => fits(m, (_, g) => g.customerLifetimeValueIntervals(null, [1], [1], [2], [10])), throws: 'Error', message: /RepurchaseModel/ },
];

/** Calls with a known outcome: regressions for bindings-side defects. */
export const regressions = [
  {
    name: 'issue 19: customer ids that are lone UTF-16 surrogates stay distinct (they were merged into one "\\uFFFD" customer)',
    run: (m) => {
      const s = m.summarizeOrders(['\uD800', '\uDC00', '\uFFFD', '\uD800', 'a\uDBFFb'], [1, 2, 3, 4, 5], null, { calibrationEnd: 10 });
      assert.deepEqual([...s.customers], ['\uD800', '\uDC00', '\uFFFD', 'a\uDBFFb']);
      assert.deepEqual([...s.frequency], [1, 0, 0, 0]);
    },
  },
  {
    name: 'issue 19: a model whose method was interrupted by a throwing getter still works and frees',
    run: (m) => {
      const g = m.repurchaseModel('bgnbd', BG);
      for (let i = 0; i < 3; i++) assert.throws(() => g.merchantSummary([1], [1], [2], throwingGetter('unitDays')), { name: 'Error' });
      assert.equal(g.merchantSummary([1], [1], [2]).customers, 1);
      g.free();
    },
  },
];

const F = [0, 2, 5];
const R = [0, 30.43, 24.29];
const T = [38.86, 38.86, 27];

/** One typical call per export, freeing every model it creates (10,000-call leak check). */
export const leak = [
  (m) => m.summarizeOrders(['a', 'b', 'a', 'c'], [1, 2, 5, 9], [10, 20, 30, 40], { calibrationEnd: 7, observationEnd: 14, unitDays: 7 }),
  (m) => m.fitBgNbd(F, R, T).free(),
  (m) => m.fitModifiedBgNbd(F, R, T).free(),
  (m) => m.fitParetoNbd(F, R, T).free(),
  (m) => m.fitGammaGamma([1, 2, 5], [10, 22.35, 44.9], { weights: [1, 2, 1] }).free(),
  (m) => m.repurchaseModel('paretonbd', PARETO).free(),
  (m) => bg(m, (g) => [g.params, g.standardErrors, g.logLikelihood, g.model, g.iterations, g.converged, g.boundary, g.message, g.customers]),
  (m) => bg(m, (g) => g.probabilityAlive(F, R, T)),
  (m) => bg(m, (g) => g.expectedPurchases(30 / 7, F, R, T)),
  (m) => bg(m, (g) => g.probabilityOfRepurchase(30 / 7, F, R, T)),
  (m) => bg(m, (g) => g.newCustomerRepurchase([30 / 7, 90 / 7])),
  (m) => bg(m, (g) => g.newCustomerExpectedPurchases([30 / 7, 90 / 7])),
  (m) => bg(m, (g) => g.logLikelihoodOf(F, R, T)),
  (m) => bg(m, (g) => g.merchantSummary(F, R, T, { unitDays: 7 })),
  (m) => bg(m, (g) => g.holdoutCheck(F, R, T, [0, 1, 3], 39)),
  (m) => gg(m, (g) => g.expectedSpend([0, 2], [0, 22.35])),
  (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, F, R, T, [0, 22.35, 44.93], { unitsPerMonth: 4.345 }))),
  (m) => fits(m, (b) => b.merchantSummaryIntervals(F, R, T, { unitDays: 7, draws: 20 })),
  (m) => fits(m, (b) => b.expectedPurchasesIntervals(30 / 7, F, R, T, { draws: 20, seed: 3 })),
  (m) => fits(m, (b, g) => g.customerLifetimeValueIntervals(b, F, R, T, [0, 22.35, 44.93], { unitsPerMonth: 4.345, draws: 20 })),
];
