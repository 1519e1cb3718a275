// Hostile inputs for every repurchase export: each call must throw a JS Error
// whose message names the offending argument (and never trap the instance).
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
const huge = () => new Array(30_000_000); // sparse: cheap to create, longer than the 20M cap

export default [
  // summarizeOrders(customerIds, times, amounts, options)
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders('abc', [1], null, SO), message: /customerIds must be an array of strings or a Uint32Array, got string/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(null, [1], null, SO), message: /customerIds must be .* got null/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a', 2], [1, 2], null, SO), message: /customerIds\[1\] must be a string, got number/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders([], [], null, SO), message: /customerIds is empty/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(huge(), [1], null, SO), message: /customerIds has 30000000 elements; at most/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a', 'b'], [1], null, SO), message: /times has 1 elements but customerIds has 2/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [NaN], null, SO), message: /times\[0\] is NaN/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [Infinity], null, SO), message: /times\[0\] is infinite/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], ['x'], null, SO), message: /times\[0\] must be a number, got string/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1.7e12], null, SO), message: /times\[0\] is .*86400000/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], [-5], SO), message: /amounts\[0\] is negative/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], [1, 2], SO), message: /amounts has 2 elements but customerIds has 1/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, undefined), message: /options must be an object, got undefined/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, {}), message: /options.*calibrationEnd/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: NaN }), message: /options\.calibrationEnd is NaN/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, periodDays: 0 }), message: /options\.periodDays must be > 0/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, periodDays: 1e12 }), message: /options\.periodDays must be in/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, unitDays: -7 }), message: /options\.unitDays must be > 0/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, observationEnd: 5 }), message: /options\.observationEnd \(5\) is before options\.calibrationEnd/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [1], null, { calibrationEnd: 10, bogus: 1 }), message: /options.*unknown field `bogus`/ },
  { name: 'summarizeOrders', call: (m) => m.summarizeOrders(['a'], [20], null, SO), message: /no customer has an order on or before options\.calibrationEnd/ },

  // fitBgNbd / fitModifiedBgNbd / fitParetoNbd(frequency, recency, T, options)
  ...['fitBgNbd', 'fitModifiedBgNbd', 'fitParetoNbd'].flatMap((name) => [
    { name, call: (m) => m[name]([1, NaN], [1, 1], [2, 2]), message: /frequency\[1\] is NaN/ },
    { name, call: (m) => m[name]([1], [1], [Infinity]), message: /T\[0\] is infinite/ },
    { name, call: (m) => m[name]([-1], [0], [2]), message: /frequency\[0\] is negative/ },
    { name, call: (m) => m[name]([1.5], [1], [2]), message: /frequency\[0\] must be an integer/ },
    { name, call: (m) => m[name]([1], [3], [2]), message: /recency\[0\] is greater than T\[0\]/ },
    { name, call: (m) => m[name]([0], [1], [2]), message: /recency\[0\] must be 0 when frequency\[0\] is 0/ },
    { name, call: (m) => m[name]([], [], []), message: /frequency is empty/ },
    { name, call: (m) => m[name]([1, 1], [1], [2, 2]), message: /recency has 1 elements but frequency has 2/ },
    { name, call: (m) => m[name]([1], [1], [2, 2]), message: /T has 2 elements but frequency has 1/ },
    { name, call: (m) => m[name]('1', [1], [2]), message: /frequency must be a Float64Array or an array of numbers, got string/ },
    { name, call: (m) => m[name]([1], null, [2]), message: /recency must be a Float64Array or an array of numbers, got null/ },
    { name, call: (m) => m[name](huge(), [1], [2]), message: /frequency has 30000000 elements; at most/ },
    { name, call: (m) => m[name]([1e12], [1], [2]), message: /frequency\[0\] is 1000000000000; at most/ },
    { name, call: (m) => m[name]([1], [1], [1e12]), message: /T\[0\] is 1000000000000; at most/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [NaN] }), message: /weights\[0\] is NaN/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [1, 2] }), message: /weights has 2 elements but frequency has 1/ },
    { name, call: (m) => m[name]([1], [1], [2], { weights: [0] }), message: /weights are all zero/ },
    { name, call: (m) => m[name]([1], [1], [2], { maxIterations: 0 }), message: /options\.maxIterations must be an integer in \[1, 10000\]/ },
    { name, call: (m) => m[name]([1], [1], [2], { maxIterations: 1e12 }), message: /options\.maxIterations must be an integer/ },
    { name, call: (m) => m[name]([1], [1], [2], { tolerance: 1e-6 }), message: /options\.tolerance: unknown field/ },
    { name, call: (m) => m[name]([1], [1], [2], 'fast'), message: /options must be an object, got string/ },
  ]),

  // fitGammaGamma(frequency, monetary, options)
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1, 2], [10, NaN]), message: /monetary\[1\] is NaN/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [-3]), message: /monetary\[0\] is negative/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [0]), message: /monetary\[0\] must be > 0 when frequency\[0\] > 0/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([0, 0], [0, 0]), message: /frequency has no customer with a repeat purchase/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1, 2], [10]), message: /monetary has 1 elements but frequency has 2/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([], []), message: /frequency is empty/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma({}, [1]), message: /frequency must be a Float64Array or an array of numbers/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [10], { weights: [-1] }), message: /weights\[0\] is negative/ },
  { name: 'fitGammaGamma', call: (m) => m.fitGammaGamma([1], [10], { extra: true }), message: /options\.extra: unknown field/ },

  // repurchaseModel(model, params)
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnb', BG), message: /model must be one of/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel(5, BG), message: /model must be a string/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', null), message: /params must be an object, got null/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', [1, 2, 3, 4]), message: /params must be an object, got an array/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, r: NaN }), message: /params\.r is NaN/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, a: -1 }), message: /params\.a must be > 0, got -1/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, alpha: Infinity }), message: /params\.alpha is infinite/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, alpha: 1e20 }), message: /params\.alpha must be at most/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { r: 1, alpha: 1, a: 1 }), message: /params\.b is missing/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('bgnbd', { ...BG, s: 1 }), message: /params\.s is not a parameter of bgnbd/ },
  { name: 'repurchaseModel', call: (m) => m.repurchaseModel('paretonbd', { ...PARETO, r: 'x' }), message: /params\.r/ },

  // RepurchaseModel methods
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1, NaN], [1, 1], [2, 2])), message: /frequency\[1\] is NaN/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1], [1], [])), message: /T has 0 elements but frequency has 1/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([], [], [])), message: /frequency is empty/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => bg(m, (g) => g.probabilityAlive([1], [-1], [2])), message: /recency\[0\] is negative/ },
  { name: 'RepurchaseModel#probabilityAlive', call: (m) => gg(m, (g) => g.probabilityAlive([1], [1], [2])), message: /probabilityAlive needs a transaction model/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(NaN, [1], [1], [2])), message: /^t is NaN/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases('soon', [1], [1], [2])), message: /^t is NaN/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(-1, [1], [1], [2])), message: /^t is negative/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(1e12, [1], [1], [2])), message: /^t is 1000000000000; at most/ },
  { name: 'RepurchaseModel#expectedPurchases', call: (m) => bg(m, (g) => g.expectedPurchases(1, [1], [3], [2])), message: /recency\[0\] is greater than T\[0\]/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(Infinity, [1], [1], [2])), message: /^t is infinite/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(1, [1.2], [1], [2])), message: /frequency\[0\] must be an integer/ },
  { name: 'RepurchaseModel#probabilityOfRepurchase', call: (m) => bg(m, (g) => g.probabilityOfRepurchase(1, [1], [1], 'T')), message: /^T must be a Float64Array or an array of numbers/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([1, NaN])), message: /t\[1\] is NaN/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([])), message: /^t is empty/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase([1e12])), message: /t\[0\] is 1000000000000; at most/ },
  { name: 'RepurchaseModel#newCustomerRepurchase', call: (m) => bg(m, (g) => g.newCustomerRepurchase(30)), message: /^t must be a Float64Array or an array of numbers, got number/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => bg(m, (g) => g.newCustomerExpectedPurchases([-2])), message: /t\[0\] is negative/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => bg(m, (g) => g.newCustomerExpectedPurchases(huge())), message: /^t has 30000000 elements; at most/ },
  { name: 'RepurchaseModel#newCustomerExpectedPurchases', call: (m) => gg(m, (g) => g.newCustomerExpectedPurchases([1])), message: /needs a transaction model/ },
  { name: 'RepurchaseModel#logLikelihoodOf', call: (m) => bg(m, (g) => g.logLikelihoodOf([1], [1], [NaN])), message: /T\[0\] is NaN/ },
  { name: 'RepurchaseModel#logLikelihoodOf', call: (m) => bg(m, (g) => g.logLikelihoodOf(null, [1], [2])), message: /frequency must be a Float64Array/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { unitDays: 0 })), message: /options\.unitDays must be > 0/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { unitDays: 1e9 })), message: /options\.unitDays must be at most 3660/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { aliveThreshold: 2 })), message: /options\.aliveThreshold must be in \[0, 1\], got 2/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], { periodDays: 7 })), message: /options.*unknown field `periodDays`/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([1], [1], [2], 7)), message: /options must be an object, got number/ },
  { name: 'RepurchaseModel#merchantSummary', call: (m) => bg(m, (g) => g.merchantSummary([NaN], [1], [2])), message: /frequency\[0\] is NaN/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1, 2], [1, 1], [2, 2], [0], 39)), message: /holdoutFrequency has 1 elements but frequency has 2/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [-1], 39)), message: /holdoutFrequency\[0\] is negative/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], NaN)), message: /^duration is NaN/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 1e12)), message: /^duration is 1000000000000; at most/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { maxFrequency: 0.5 })), message: /options\.maxFrequency must be an integer in \[1, 1000\]/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { maxFrequency: 1e12 })), message: /options\.maxFrequency must be an integer/ },
  { name: 'RepurchaseModel#holdoutCheck', call: (m) => bg(m, (g) => g.holdoutCheck([1], [1], [2], [1], 39, { bins: 3 })), message: /options.*unknown field `bins`/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([1], [NaN])), message: /monetary\[0\] is NaN/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([1, 2], [1])), message: /monetary has 1 elements but frequency has 2/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => gg(m, (g) => g.expectedSpend([], [])), message: /frequency is empty/ },
  { name: 'RepurchaseModel#expectedSpend', call: (m) => bg(m, (g) => g.expectedSpend([1], [10])), message: /expectedSpend needs a gammagamma model/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [NaN]))), message: /monetary\[0\] is NaN/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { months: 1e12 }))), message: /options\.months must be an integer in \[1, 1200\]/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { monthlyDiscountRate: -0.1 }))), message: /options\.monthlyDiscountRate must be in \[0, 10\]/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { unitsPerMonth: 0 }))), message: /options\.unitsPerMonth must be > 0/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => bg(m, (b) => g.customerLifetimeValue(b, [1], [1], [2], [10], { discount: 1 }))), message: /options.*unknown field `discount`/ },
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => g.customerLifetimeValue(g, [1], [1], [2], [10])), message: /customerLifetimeValue \(transactions\) needs a transaction model/ },
  // wasm-bindgen's own class check: its message names the expected class, not the argument.
  { name: 'RepurchaseModel#customerLifetimeValue', call: (m) => gg(m, (g) => g.customerLifetimeValue(null, [1], [1], [2], [10])), message: /RepurchaseModel/ },
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
];
