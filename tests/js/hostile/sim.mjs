// Hostile-input cases for the simulation exports (see ../hostile.test.mjs).
const tiny = { days: 3, seed: 1, population: { merchants: 20 } };
let model;
const mm = (m) => (model ??= new m.MarketModel(tiny));

export default [
  { name: 'simulate', call: (m) => m.simulate('fast'), message: /^scenario must be an object, got string$/ },
  { name: 'simulate', call: (m) => m.simulate([1]), message: /scenario must be an object, got an array/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 0 }), message: /scenario.days must be in \[1, 730\], got 0/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 1e9 }), message: /scenario.days must be in \[1, 730\], got 1000000000/ },
  { name: 'simulate', call: (m) => m.simulate({ days: 1e12 }), message: /scenario.days: / },
  { name: 'simulate', call: (m) => m.simulate({ days: -3 }), message: /scenario.days: / },
  { name: 'simulate', call: (m) => m.simulate({ seed: 1.5 }), message: /scenario.seed: / },
  { name: 'simulate', call: (m) => m.simulate({ dayz: 3 }), message: /scenario: unknown field `dayz`/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMax: 1.2 } }), message: /scenario.platform.giniMax must be in \[0, 1\), got 1.2/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMax: NaN } }), message: /scenario.platform.giniMax is NaN/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMode: 'max' } }), message: /scenario.platform.giniMode/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { budget: Infinity } }), message: /scenario.platform.budget is infinite/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { coldStartShare: -0.1 } }), message: /scenario.platform.coldStartShare must be in \[0, 1\]/ },
  { name: 'simulate', call: (m) => m.simulate({ platform: { giniMaxx: 0.3 } }), message: /scenario.platform: unknown field `giniMaxx`/ },
  { name: 'simulate', call: (m) => m.simulate({ population: { merchants: 1e7 } }), message: /scenario.population.merchants must be in \[2, 1000000\]/ },
  { name: 'simulate', call: (m) => m.simulate({ population: 'many' }), message: /scenario.population: invalid type: string "many"/ },
  { name: 'simulate', call: (m) => m.simulate({ merchant: { price: -5 } }), message: /scenario.merchant.price must be in/ },
  { name: 'simulate', call: (m) => m.simulate({ merchant: { contentQuality: '0.5' } }), message: /scenario.merchant.contentQuality: / },
  { name: 'simulate', call: (m) => m.simulate({ funnel: { ctrMax: 2 } }), message: /scenario.funnel.ctrMax must be in \[0, 1\]/ },
  { name: 'simulate', call: (m) => m.simulate({ events: { bigDays: [5, 400] } }), message: /scenario.events.bigDays\[1\] is 400/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [], followRate: [0.1] }), message: /axes.contentQuality is empty/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [NaN], followRate: [0.1] }), message: /axes.contentQuality\[0\] is NaN/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5], followRate: [1.5] }), message: /axes.followRate\[0\] must be in \[0, 1\], got 1.5/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: new Float64Array(101), followRate: [0.1] }), message: /axes.contentQuality has 101 elements; at most 100/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5] }), message: /axes.followRate must be .* got undefined/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, null), message: /axes must be an object, got null/ },
  { name: 'sweep', call: (m) => m.sweep(tiny, { contentQuality: [0.5], followRate: [0.1], extra: 1 }), message: /axes: unknown field `extra`/ },
  { name: 'sweep', call: (m) => m.sweep({ days: 0 }, { contentQuality: [0.5], followRate: [0.1] }), message: /scenario.days must be in/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ days: 'ninety' }), message: /scenario.days: / },
  { name: 'new MarketModel', call: (m) => new m.MarketModel(42), message: /scenario must be an object, got number/ },
  { name: 'new MarketModel', call: (m) => new m.MarketModel({ merchant: { followRate: -1 } }), message: /scenario.merchant.followRate must be in \[0, 1\]/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ contentQuality: 2 }), message: /^merchant.contentQuality must be in \[0, 1\], got 2$/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ trust: NaN }), message: /merchant.trust is NaN/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ followers: Infinity }), message: /merchant.followers is infinite/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant({ qualty: 0.5 }), message: /merchant: unknown field `qualty`/ },
  { name: 'MarketModel#runMerchant', call: (m) => mm(m).runMerchant('good'), message: /merchant must be an object, got string/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep({ contentQuality: [0.1], followRate: [-0.1] }), message: /axes.followRate\[0\] must be in \[0, 1\]/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep({ contentQuality: [0.1], followRate: [0.1] }, { price: 0 }), message: /merchant.price must be in/ },
  { name: 'MarketModel#sweep', call: (m) => mm(m).sweep('grid'), message: /axes must be an object, got string/ },
];

export const leak = [
  (m) => m.defaultScenario(),
  (m) => m.presets(),
  (m) => m.simulate({ days: 2, seed: 1, population: { merchants: 10 } }),
  (m) => m.sweep({ days: 2, seed: 1, population: { merchants: 10 } }, { contentQuality: [0.2, 0.8], followRate: [0.05] }),
  (m) => { const x = new m.MarketModel({ days: 2, seed: 1, population: { merchants: 10 } }); x.runMerchant({ contentQuality: 0.7 }); x.sweep({ contentQuality: [0.5], followRate: [0.1] }); x.result(); x.scenario(); x.free(); },
];
