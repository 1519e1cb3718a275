// Hostile-input cases for the simulation exports (see ../hostile.test.mjs).
import assert from 'node:assert/strict';
import { endless, revoked, throwingGetter, throwingProxy } from './_values.mjs';

const tiny = { days: 3, seed: 1, population: { merchants: 20 } };
let model;
const mm = (m) => (model ??= new m.MarketModel(tiny));
const SCENARIO_KEYS = 'seed, days, population, platform, funnel, merchant, events';

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
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep('grid'), throws: 'TypeError', message: /^axes must be an object, got string$/ },
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
];
