// Hostile-input cases for the simulation exports (see ../hostile.test.mjs).
import assert from 'node:assert/strict';
import { detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';

const tiny = { days: 3, seed: 1, population: { merchants: 20 } };
let model;
const mm = (m) => (model ??= new m.MarketModel(tiny));
const SCENARIO_KEYS = 'seed, days, population, platform, funnel, merchant, events';
// The focus merchant's own fitted process (issue 15 §3).
const rep = { model: 'bgnbd', params: { r: 0.5, alpha: 10, a: 1, b: 2 } };
const cust = { frequency: [0, 2, 1, 3], recency: [0, 5, 1, 4], T: [3, 9, 2, 8] };
/** `simulate` of the tiny scenario with merchant fields `fields`. */
const withMerchant = (m, fields) => m.simulate({ ...tiny, merchant: fields });
const M = 'scenario\\.merchant\\.';
const re = (s) => new RegExp(`^${M}${s}`);

export default [
  { name: 'simulate', call: (m) => m.simulate('fast'), throws: 'TypeError', message: /^scenario must be an object, got string$/ },
  { name: 'simulate', call: (m) => m.simulate([1]), throws: 'TypeError', message: /^scenario must be an object, got an array$/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 0 }), throws: 'RangeError', message: /^scenario.days must be an integer in \[1, 730\], got 0$/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 1e9 }), throws: 'RangeError', message: /^scenario.days must be an integer in \[1, 730\], got 1000000000$/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 1e12 }), throws: 'RangeError', message: /^scenario.days must be an integer in \[1, 730\], got 1000000000000$/ },
  { name: 'simulate', call: (m) => m.simulate({ days: -3 }), throws: 'RangeError', message: /^scenario.days must be an integer in \[1, 730\], got -3$/ },
  { name: 'simulate', call: (m) => m.simulate({ seed: 1.5 }), throws: 'RangeError', message: /^scenario.seed must be an integer in \[0, 4294967295\], got 1.5$/ },
  { name: 'simulate', call: (m) => m.simulate({ dayz: 3 }), throws: 'TypeError', message: new RegExp(`^scenario.dayz is not a known field; expected one of: ${SCENARIO_KEYS}$`) },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMax: 1.2 } }), throws: 'RangeError', message: /^scenario.platform.giniMax must be in \[0, 1\), got 1.2$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMax: NaN } }), throws: 'RangeError', message: /^scenario.platform.giniMax is NaN$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMode: 'max' } }), throws: 'RangeError', message: /^scenario.platform.giniMode must be "cap", "floor" or "blend", got "max"$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMode: 'm'.repeat(100_000) } }), throws: 'RangeError', message: /^scenario.platform.giniMode must be "cap", "floor" or "blend", got "m{80}…"$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { budget: Infinity } }), throws: 'RangeError', message: /^scenario.platform.budget is infinite \(Infinity\)$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { coldStartShare: -0.1 } }), throws: 'RangeError', message: /^scenario.platform.coldStartShare must be in \[0, 1\]/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMaxx: 0.3 } }), throws: 'TypeError', message: /^scenario.platform.giniMaxx is not a known field; expected one of: budget, giniMax, giniMode,/ },
  { name: 'simulate', call: (m) => m.simulate({ population: { merchants: 1e7 } }), throws: 'RangeError', message: /^scenario.population.merchants must be an integer in \[2, 1000000\], got 10000000$/ },
  { name: 'simulate', call: (m) => m.simulate({ population: 'many' }), throws: 'TypeError', message: /^scenario.population must be an object, got string$/ },
  { name: 'simulate', call: (m) => m.simulate({ merchant: { price: -5 } }), throws: 'RangeError', message: /^scenario.merchant.price must be in/ },
  { name: 'simulate', call: (m) => m.simulate({ merchant: { contentQuality: '0.5' } }), throws: 'TypeError', message: /^scenario.merchant.contentQuality must be a number, got string$/ },
  { name: 'simulate', call: (m) => m.simulate({ funnel: { ctrMax: 2 } }), throws: 'RangeError', message: /^scenario.funnel.ctrMax must be in \[0, 1\]/ },
  { name: 'simulate', call: (m) => m.simulate({ events: { bigDays: [5, 400] } }), throws: 'RangeError', message: /^scenario.events.bigDays\[1\] is 400/ },
  { name: 'simulate', call: (m) => m.simulate({ events: { bigDays: [5, 1.5] } }), throws: 'RangeError', message: /^scenario.events.bigDays\[1\] must be an integer in \[0, 4294967295\], got 1.5$/ },
  // issue 19: exceptions while reading become errors naming the field
  { name: 'simulate', call: (m) => m.simulate(throwingGetter('population')), throws: 'Error', message: /^scenario.population: reading it threw: boom$/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: throwingGetter('adCpm') }), throws: 'Error', message: /^scenario.platform.adCpm: reading it threw: boom$/ },
  { name: 'simulate', call: (m) => m.simulate(throwingProxy({})), throws: 'Error', message: /^scenario: reading it threw: boom$/ },
  { name: 'simulate', call: (m) => m.simulate(revoked({})), throws: 'Error', message: /^scenario: reading it threw: TypeError: .*revoked/ },
  { name: 'simulate', call: (m) => m.simulate({ events: { campaignDays: endless() } }), throws: 'RangeError', message: /^scenario.events.campaignDays has more than 730 elements; at most 730 are supported$/ },
  { name: 'simulate', call: (m) => m.simulate({ population: new Array(1_000_000).fill(0) }), throws: 'TypeError', message: /^scenario.population must be an object, got an array$/ },
  { name: 'simulate', call: (m) => m.simulate({ events: { bigDays: new Array(1_000_000).fill(0) } }), throws: 'RangeError', message: /^scenario.events.bigDays has 1000000 elements; at most 730 are supported$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [], followRate: [0.1] }), throws: 'RangeError', message: /^axes.contentQuality is empty$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [NaN], followRate: [0.1] }), throws: 'RangeError', message: /^axes.contentQuality\[0\] is NaN$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5], followRate: [1.5] }), throws: 'RangeError', message: /^axes.followRate\[0\] must be in \[0, 1\], got 1.5$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: new Float64Array(101), followRate: [0.1] }), throws: 'RangeError', message: /^axes.contentQuality has 101 elements; at most 100 are supported$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5] }), throws: 'TypeError', message: /^axes.followRate is required$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, null), throws: 'TypeError', message: /^axes must be an object, got null$/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5], followRate: [0.1], extra: 1 }), throws: 'TypeError', message: /^axes.extra is not a known field; expected one of: contentQuality, followRate$/ },
  { name: 'sweep', call: (m) => m.sweep({ days: 0 }, { contentQuality: [0.5], followRate: [0.1] }), throws: 'RangeError', message: /^scenario.days must be an integer in \[1, 730\]/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, throwingGetter('followRate', { contentQuality: [0.5] })), throws: 'Error', message: /^axes.followRate: reading it threw: boom$/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ days: 'ninety' }), throws: 'TypeError', message: /^scenario.days must be a number, got string$/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel(42), throws: 'TypeError', message: /^scenario must be an object, got number$/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ merchant: { followRate: -1 } }), throws: 'RangeError', message: /^scenario.merchant.followRate must be in \[0, 1\]/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ funnel: throwingGetter('ctrMin') }), throws: 'Error', message: /^scenario.funnel.ctrMin: reading it threw: boom$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ contentQuality: 2 }), throws: 'RangeError', message: /^merchant.contentQuality must be in \[0, 1\], got 2$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ trust: NaN }), throws: 'RangeError', message: /^merchant.trust is NaN$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ followers: Infinity }), throws: 'RangeError', message: /^merchant.followers is infinite/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ qualty: 0.5 }), throws: 'TypeError', message: /^merchant.qualty is not a known field; expected one of: contentQuality, followRate, price, trust, diligence, followers, adSpend, ageDays, liveEveryDays, liveStartDay, liveHours, repurchase, customers, orderValue$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant('good'), throws: 'TypeError', message: /^merchant must be an object, got string$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant(throwingGetter('price')), throws: 'Error', message: /^merchant.price: reading it threw: boom$/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep({ contentQuality: [0.1], followRate: [-0.1] }), throws: 'RangeError', message: /^axes.followRate\[0\] must be in \[0, 1\]/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep({ contentQuality: [0.1], followRate: [0.1] }, { price: 0 }), throws: 'RangeError', message: /^merchant.price must be in/ },
  { name: 'MarketModel#sameRunWithGiniMax', call: (m) => mm(m).sameRunWithGiniMax('0.7'), throws: 'TypeError', message: /^giniMax must be a number, got string$/ },
  { name: 'MarketModel#sameRunWithGiniMax', call: (m) => mm(m).sameRunWithGiniMax(1), throws: 'RangeError', message: /^giniMax must be in \[0, 1\), got 1$/ },
  { name: 'MarketModel#sameRunWithGiniMax', call: (m) => mm(m).sameRunWithGiniMax(NaN), throws: 'RangeError', message: /^giniMax is NaN$/ },
  { name: 'MarketModel#sameRunWithGiniMax', call: (m) => mm(m).sameRunWithGiniMax(), throws: 'TypeError', message: /^giniMax must be a number, got undefined$/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep('grid'), throws: 'TypeError', message: /^axes must be an object, got string$/ },
  // scenario.merchant.repurchase / customers / orderValue (issue 15 §3)
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: 'bgnbd' }), throws: 'TypeError', message: re('repurchase must be an object, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: [rep] }), throws: 'TypeError', message: re('repurchase must be an object, got an array$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: {} }), throws: 'TypeError', message: re('repurchase\\.model is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd' } }), throws: 'TypeError', message: re('repurchase\\.params is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, model: 3 } }), throws: 'TypeError', message: re('repurchase\\.model must be a string, got number$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, model: 'gammagamma' } }), throws: 'RangeError', message: re('repurchase\\.model must be one of "bgnbd", "mbgnbd", "paretonbd", got "gammagamma"$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, model: 'b'.repeat(100_000) } }), throws: 'RangeError', message: re('repurchase\\.model must be one of "bgnbd", "mbgnbd", "paretonbd", got "b{80}…"$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, extra: 1 } }), throws: 'TypeError', message: re('repurchase\\.extra is not a known field; expected one of: model, params, unitDays$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: { r: 1, alpha: 1, s: 1, beta: 1 } } }), throws: 'TypeError', message: re('repurchase\\.params\\.s is not a known field; expected one of: r, alpha, a, b$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'paretonbd', params: rep.params } }), throws: 'TypeError', message: re('repurchase\\.params\\.a is not a known field; expected one of: r, alpha, s, beta$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: { r: 1, alpha: 1, a: 1 } } }), throws: 'TypeError', message: re('repurchase\\.params\\.b is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: { ...rep.params, r: '1' } } }), throws: 'TypeError', message: re('repurchase\\.params\\.r must be a number, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: 'r=1' } }), throws: 'TypeError', message: re('repurchase\\.params must be an object of parameters or an array of numbers, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: [1, 2, 3] } }), throws: 'RangeError', message: re('repurchase\\.params needs 4 parameters \\(r, alpha, a, b\\), got 3$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: [1, -1, 1, 1] } }), throws: 'RangeError', message: re('repurchase\\.params\\[1\\] \\(alpha\\) must be > 0, got -1$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: { ...rep.params, b: NaN } } }), throws: 'RangeError', message: re('repurchase\\.params\\[3\\] \\(b\\) is NaN$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: [1, 1, 1, 1e14] } }), throws: 'RangeError', message: re('repurchase\\.params\\[3\\] \\(b\\) must be at most 10000000000000, got 100000000000000$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: new BigInt64Array(4) } }), throws: 'TypeError', message: re('repurchase\\.params must be an object of parameters or an array of numbers, got a BigInt64Array$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: endless() } }), throws: 'TypeError', message: re('repurchase\\.params\\.r is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: new Array(9).fill(1) } }), throws: 'RangeError', message: re('repurchase\\.params has 9 elements; at most 8 are supported$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: throwingGetter('alpha', { r: 1 }) } }), throws: 'Error', message: re('repurchase\\.params\\.alpha: reading it threw: boom$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { model: 'bgnbd', params: revoked({}) } }), throws: 'Error', message: re('repurchase\\.params: reading it threw: TypeError: .*revoked') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, unitDays: 0 } }), throws: 'RangeError', message: re('repurchase\\.unitDays must be > 0, got 0$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, unitDays: 4000 } }), throws: 'RangeError', message: re('repurchase\\.unitDays must be at most 3660, got 4000$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: { ...rep, unitDays: '7' } }), throws: 'TypeError', message: re('repurchase\\.unitDays must be a number, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: throwingGetter('params', { model: 'bgnbd' }) }), throws: 'Error', message: re('repurchase\\.params: reading it threw: boom$') },
  { name: 'simulate', call: (m) => withMerchant(m, { customers: cust }), throws: 'RangeError', message: re('customers needs scenario\\.merchant\\.repurchase \\(the model fitted to the merchant\'s order log\\)$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: 'all' }), throws: 'TypeError', message: re('customers must be an object, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { frequency: [0], recency: [0] } }), throws: 'TypeError', message: re('customers\\.T is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, t: [1] } }), throws: 'TypeError', message: re('customers\\.t is not a known field; expected one of: frequency, recency, T, monetary$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, frequency: [0, 2, 1, NaN] } }), throws: 'RangeError', message: re('customers\\.frequency\\[3\\] is NaN$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, frequency: [0, 2, 1.5, 3] } }), throws: 'RangeError', message: re('customers\\.frequency\\[2\\] must be an integer, got 1.5$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, frequency: [0, 2, 1, '3'] } }), throws: 'TypeError', message: re('customers\\.frequency\\[3\\] must be a number, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, frequency: 'x' } }), throws: 'TypeError', message: re('customers\\.frequency must be a Float64Array or an array of numbers, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, recency: new BigInt64Array(4) } }), throws: 'TypeError', message: re('customers\\.recency must be a Float64Array or an array of numbers, got a BigInt64Array$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, recency: detached() } }), throws: 'RangeError', message: re('customers\\.recency has 0 elements but scenario\\.merchant\\.customers\\.frequency has 4; they must have the same length$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, T: throwingElement([3, 9, 2, 8], 2) } }), throws: 'Error', message: re('customers\\.T\\[2\\]: reading it threw: boom$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, T: [3, 9, 2] } }), throws: 'RangeError', message: re('customers\\.T has 3 elements but scenario\\.merchant\\.customers\\.frequency has 4; they must have the same length$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, recency: [0, 5, 1, 9] } }), throws: 'RangeError', message: re('customers\\.recency\\[3\\] is greater than T\\[3\\] \\(9 > 8\\)$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, recency: [1, 5, 1, 4] } }), throws: 'RangeError', message: re('customers\\.recency\\[0\\] must be 0 when frequency\\[0\\] is 0, got 1$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, T: [3, 9, 2, Infinity] } }), throws: 'RangeError', message: re('customers\\.T\\[3\\] is infinite') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, T: [-1, 9, 2, 8] } }), throws: 'RangeError', message: re('customers\\.T\\[0\\] is negative \\(-1\\)$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { ...cust, monetary: [0, 50, 60, 70] } }), throws: 'RangeError', message: re('customers\\.monetary needs scenario\\.merchant\\.orderValue\\.params') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { params: [6, 3, 15] }, customers: { ...cust, monetary: [0, -2, 60, 70] } }), throws: 'RangeError', message: re('customers\\.monetary\\[1\\] is negative \\(-2\\)$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: { frequency: new Float64Array(5_000_001), recency: [], T: [] } }), throws: 'RangeError', message: re('customers\\.frequency has 5000001 elements; at most 5000000 are supported$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, customers: throwingProxy({}) }), throws: 'Error', message: re('customers: reading it threw: boom$') },
  { name: 'simulate', call: (m) => withMerchant(m, { orderValue: { average: 80 } }), throws: 'RangeError', message: re('orderValue needs scenario\\.merchant\\.repurchase') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: 80 }), throws: 'TypeError', message: re('orderValue must be an object, got number$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: {} }), throws: 'RangeError', message: re('orderValue needs exactly one of params \\(Gamma-Gamma p, q, v\\) and average$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { params: [6, 3, 15], average: 80 } }), throws: 'RangeError', message: re('orderValue needs exactly one of params') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { params: { p: 6, q: 0.9, v: 15 } } }), throws: 'RangeError', message: re('orderValue\\.params\\[1\\] \\(q\\) must be > 1 \\(the mean order value p·v/\\(q−1\\) is infinite otherwise\\), got 0.9$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { params: { p: 6, q: 3 } } }), throws: 'TypeError', message: re('orderValue\\.params\\.v is required$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { params: [6, 3] } }), throws: 'RangeError', message: re('orderValue\\.params needs 3 parameters \\(p, q, v\\), got 2$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { average: 0 } }), throws: 'RangeError', message: re('orderValue\\.average must be in \\[0.01, 1000000\\], got 0$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { average: '80' } }), throws: 'TypeError', message: re('orderValue\\.average must be a number, got string$') },
  { name: 'simulate', call: (m) => withMerchant(m, { repurchase: rep, orderValue: { mean: 80 } }), throws: 'TypeError', message: re('orderValue\\.mean is not a known field; expected one of: params, average$') },
  { name: 'sweep', call: (m) => m.sweep({ ...tiny, merchant: { repurchase: { model: 'bgnbd', params: [1, 1, 1] } } }, { contentQuality: [0.5], followRate: [0.1] }), throws: 'RangeError', message: re('repurchase\\.params needs 4 parameters') },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ ...tiny, merchant: { repurchase: rep, customers: { ...cust, frequency: [0, 2, 1, -3] } } }), throws: 'RangeError', message: re('customers\\.frequency\\[3\\] is negative \\(-3\\)$') },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ repurchase: { model: 'mbgnbd', params: [1, 1, 1] } }), throws: 'RangeError', message: /^merchant\.repurchase\.params needs 4 parameters \(r, alpha, a, b\), got 3$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ repurchase: rep, customers: { ...cust, frequency: Float64Array.of(0, NaN, 1, 3) } }), throws: 'RangeError', message: /^merchant\.customers\.frequency\[1\] is NaN$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ customers: cust }), throws: 'RangeError', message: /^merchant\.customers needs merchant\.repurchase/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ repurchase: true }), throws: 'TypeError', message: /^merchant\.repurchase must be an object, got boolean$/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep({ contentQuality: [0.1], followRate: [0.1] }, { repurchase: rep, orderValue: { average: 2e6 } }), throws: 'RangeError', message: /^merchant\.orderValue\.average must be in \[0.01, 1000000\], got 2000000$/ },
  // merchantFromBackend, MarketModel#merchantFromBackend, MarketModel#backendNumbers
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend('ctr 3%', tiny), throws: 'TypeError', message: /^numbers must be an object, got string$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend(undefined, tiny), throws: 'TypeError', message: /^numbers must be an object, got undefined$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ ctr: 1.5 }, tiny), throws: 'RangeError', message: /^numbers\.ctr must be in \[0, 1\], got 1.5$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ ctr: '0.03' }, tiny), throws: 'TypeError', message: /^numbers\.ctr must be a number, got string$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ dailyExposure: NaN }, tiny), throws: 'RangeError', message: /^numbers\.dailyExposure is NaN$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ dailyExposure: 1e14 }, tiny), throws: 'RangeError', message: /^numbers\.dailyExposure must be in \[0, 10000000000000\], got 100000000000000$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ orderRate: -0.1 }, tiny), throws: 'RangeError', message: /^numbers\.orderRate must be in \[0, 1\], got -0.1$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ followers: Infinity }, tiny), throws: 'RangeError', message: /^numbers\.followers is infinite/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ averageOrderValue: 0 }, tiny), throws: 'RangeError', message: /^numbers\.averageOrderValue must be in \[0.01, 1000000\], got 0$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ clicks: 10 }, tiny), throws: 'TypeError', message: /^numbers\.clicks is not a known field; expected one of: dailyExposure, ctr, orderRate, followers, averageOrderValue$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend(throwingGetter('followers'), tiny), throws: 'Error', message: /^numbers\.followers: reading it threw: boom$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ ctr: 0.05 }, { days: 0 }), throws: 'RangeError', message: /^scenario\.days must be an integer in \[1, 730\], got 0$/ },
  { name: 'merchantFromBackend', call: (m) => m.merchantFromBackend({ ctr: 0.05 }, { ...tiny, merchant: { repurchase: rep, customers: { ...cust, T: [3, 9] } } }), throws: 'RangeError', message: re('customers\\.T has 2 elements') },
  { name: 'MarketModel#merchantFromBackend', call: (m) => mm(m).merchantFromBackend({ averageOrderValue: 2e6 }), throws: 'RangeError', message: /^numbers\.averageOrderValue must be in \[0.01, 1000000\], got 2000000$/ },
  { name: 'MarketModel#merchantFromBackend', call: (m) => mm(m).merchantFromBackend([0.05]), throws: 'TypeError', message: /^numbers must be an object, got an array$/ },
  { name: 'MarketModel#merchantFromBackend', call: (m) => mm(m).merchantFromBackend({ ctr: 0.05 }, { price: -1 }), throws: 'RangeError', message: /^merchant\.price must be in \[0.01, 1000000\], got -1$/ },
  { name: 'MarketModel#merchantFromBackend', call: (m) => mm(m).merchantFromBackend({ ctr: 0.05 }, { repurchase: { model: 'bgnbd', params: [1, 1, 1, 0] } }), throws: 'RangeError', message: /^merchant\.repurchase\.params\[3\] \(b\) must be > 0, got 0$/ },
  { name: 'MarketModel#merchantFromBackend', call: (m) => mm(m).merchantFromBackend(revoked({})), throws: 'Error', message: /^numbers: reading it threw: TypeError: .*revoked/ },
  { name: 'MarketModel#backendNumbers', call: (m) => mm(m).backendNumbers({ trust: 2 }), throws: 'RangeError', message: /^merchant\.trust must be in \[0, 1\], got 2$/ },
  { name: 'MarketModel#backendNumbers', call: (m) => mm(m).backendNumbers('me'), throws: 'TypeError', message: /^merchant must be an object, got string$/ },
  { name: 'MarketModel#backendNumbers', call: (m) => mm(m).backendNumbers({ repurchase: rep, orderValue: {} }), throws: 'RangeError', message: /^merchant\.orderValue needs exactly one of params/ },
  { name: 'MarketModel#backendNumbers', call: (m) => mm(m).backendNumbers(throwingGetter('repurchase')), throws: 'Error', message: /^merchant\.repurchase: reading it threw: boom$/ },
];

/** Calls with a known outcome: regressions for bindings-side defects. */
export const regressions = [
  {
    name: 'issue 19: a method interrupted by a throwing getter leaves its object usable and freeable',
    run: (m) => {
      const x = new m.MarketModel(tiny);
      for (let i = 0; i < 3; i++) assert.throws(() => x.runMerchant(throwingGetter('trust')), { name: 'Error', message: /reading it threw: boom/ });
      assert.equal(x.runMerchant({ contentQuality: 0.5 }).gmv.length, 3);
      x.free();
    },
  },
  {
    name: 'issue 19: undefined and null options fields take the defaults; a scenario round-trips',
    run: (m) => {
      const d = m.defaultScenario();
      assert.deepEqual(d.platform, { ...d.platform, budget: 1e8 });
      const s = new m.MarketModel({ ...tiny, platform: { budget: undefined, giniMax: null } });
      assert.equal(s.scenario().platform.giniMax, d.platform.giniMax);
      s.free();
    },
  },
];

export const leak = [
  (m) => m.defaultScenario(),
  (m) => m.presets(),
  (m) => m.simulate({ days: 2, seed: 1, population: { merchants: 10 } }),
  (m) => m.sweep({ days: 2, seed: 1, population: { merchants: 10 } }, { contentQuality: [0.2, 0.8], followRate: [0.05] }),
  (m) => { const x = new m.MarketModel({ days: 2, seed: 1, population: { merchants: 10 } }); x.runMerchant({ contentQuality: 0.7 }); x.sweep({ contentQuality: [0.5], followRate: [0.1] }); x.result(); x.scenario(); x.free(); },
  (m) => { const x = new m.MarketModel({ days: 2, seed: 1, population: { merchants: 10 }, merchant: { repurchase: rep, customers: { ...cust, monetary: [0, 50, 60, 70] }, orderValue: { params: { p: 6, q: 3, v: 15 } } } }); x.runMerchant({ trust: 0.8 }); x.runMerchant({ repurchase: null, customers: null, orderValue: null }); x.backendNumbers(); x.merchantFromBackend({ ctr: 0.05, orderRate: 0.03, followers: 100, averageOrderValue: 80 }); x.scenario(); x.free(); },
  (m) => m.merchantFromBackend({ ctr: 0.05, dailyExposure: 1e5 }, { days: 2, seed: 1, population: { merchants: 10 } }),
];
