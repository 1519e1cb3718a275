// Hostile-input cases for the allocation exports (see ../hostile.test.mjs).
const big = () => new Float64Array(20_000_001);
const bigU = () => new Uint32Array(20_000_001);
const items = (extra = {}) => ({ creator: new Uint32Array([0, 1, 1]), score: new Float64Array([1, 2, 3]), ...extra });
const req = (patch = {}) => ({ items: items(), options: { budget: 10_000, seed: 1 }, ...patch });
const platform = (m, options = {}) => new m.TrafficPlatform({
  creators: { count: 2 }, items: { creator: new Uint32Array([0, 1, 1]) }, options: { budget: 10_000, seed: 1, ...options },
});
/** Runs `f` on a fresh platform and frees it even when `f` throws. */
const withPlatform = (m, f) => { const p = platform(m); try { return f(p); } finally { p.free(); } };

export default [
  // capGini
  { name: 'capGini', call: (m) => m.capGini([1, NaN], 0.3), message: /^exposure\[1\] is NaN$/ },
  { name: 'capGini', call: (m) => m.capGini(new Float64Array([1, Infinity]), 0.3), message: /exposure\[1\] is infinite/ },
  { name: 'capGini', call: (m) => m.capGini([1, -1], 0.3), message: /exposure\[1\] is negative/ },
  { name: 'capGini', call: (m) => m.capGini([], 0.3), message: /^exposure is empty$/ },
  { name: 'capGini', call: (m) => m.capGini([0, 0], 0.3), message: /exposure are all zero/ },
  { name: 'capGini', call: (m) => m.capGini('1,2', 0.3), message: /exposure must be a Float64Array or an array of numbers, got string/ },
  { name: 'capGini', call: (m) => m.capGini(null, 0.3), message: /exposure must be .* got null/ },
  { name: 'capGini', call: (m) => m.capGini({ 0: 1, length: 1 }, 0.3), message: /exposure must be .* got object/ },
  { name: 'capGini', call: (m) => m.capGini([1, '2'], 0.3), message: /exposure\[1\] must be a number, got string/ },
  { name: 'capGini', call: (m) => m.capGini(big(), 0.3), message: /exposure has 20000001 elements; at most 20000000/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 1.2), message: /^giniMax must be in \[0, 1\), got 1.2$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], -0.1), message: /giniMax must be in \[0, 1\)/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], NaN), message: /giniMax is NaN/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], Infinity), message: /giniMax is infinite/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], '0.3'), message: /giniMax must be a number, got string/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], null), message: /giniMax must be a number, got null/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2]), message: /giniMax must be a number, got undefined/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { mode: 'squash' }), message: /options.mode must be "cap", "floor" or "blend", got "squash"/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { blend: 2 }), message: /options.blend must be in \[0, 1\], got 2/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { blend: NaN }), message: /options.blend is NaN/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { mode: 3 }), message: /options.mode: invalid type/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { modes: 'cap' }), message: /options.modes is not a known field/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, 'cap'), message: /options must be an object, got string/ },
  // capGiniDetailed
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, NaN], 0.3), message: /^exposure\[1\] is NaN$/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([], 0.3), message: /exposure is empty/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, 2], 1), message: /giniMax must be in \[0, 1\), got 1/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, 2], 0.3, { extra: 1 }), message: /options.extra is not a known field/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed(undefined, 0.3), message: /exposure must be .* got undefined/ },
  // GiniCapper
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([1, NaN]), message: /exposure\[1\] is NaN/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([]), message: /exposure is empty/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([-1]), message: /exposure\[0\] is negative/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper('x'), message: /exposure must be/ },
  { name: 'GiniCapper#solve', call: (m) => { const c = new m.GiniCapper([1, 5]); try { return c.solve(1.5); } finally { c.free(); } }, message: /giniMax must be in \[0, 1\), got 1.5/ },
  { name: 'GiniCapper#solve', call: (m) => { const c = new m.GiniCapper([1, 5]); try { return c.solve('a'); } finally { c.free(); } }, message: /giniMax must be a number, got string/ },
  { name: 'GiniCapper#solve', call: (m) => { const c = new m.GiniCapper([1, 5]); try { return c.solve(0.1, { mode: 'x' }); } finally { c.free(); } }, message: /options.mode must be/ },
  // allocate
  { name: 'allocate', call: (m) => m.allocate(null), message: /^request must be an object, got null$/ },
  { name: 'allocate', call: (m) => m.allocate('req'), message: /request must be an object, got string/ },
  { name: 'allocate', call: (m) => m.allocate([]), message: /request must be an object, got an array/ },
  { name: 'allocate', call: (m) => m.allocate({}), message: /request.items is required/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), extra: 1 }), message: /request.extra is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0], scroe: [1] } })), message: /request.items.scroe is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { score: [1] } })), message: /request.items.creator is required/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, 1] } })), message: /request.items needs a score column or alpha and beta columns/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0], alpha: [1] } })), message: /request.items.beta is required with alpha/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [], score: [] } })), message: /request.items.creator is empty/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, NaN, 3] }) })), message: /^request.items.score\[1\] is NaN$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, -2, 3] }) })), message: /request.items.score\[1\] is negative/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, Infinity, 3] }) })), message: /request.items.score\[1\] is infinite/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, 2] }) })), message: /request.items.score has 2 elements but there are 3 items/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: 'abc' }) })), message: /request.items.score must be a Float64Array/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, 1.5], score: [1, 1] } })), message: /request.items.creator\[1\] must be a non-negative integer, got 1.5/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, -1], score: [1, 1] } })), message: /request.items.creator\[1\] must be a non-negative integer/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 1 } }), message: /^request.items.creator\[1\] is 1 but there are only 1 creators$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 0 } }), message: /request.creators.count must be an integer in \[1, 20000000\], got 0/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 'two' } }), message: /request.creators.count must be a number, got string/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 2, newMerchant: [1, 0, 1] } }), message: /request.creators.newMerchant has 3 elements but there are 2 creators/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { newMerchant: [1, 'yes'] } }), message: /request.creators.newMerchant\[1\] must be a boolean or 0\/1/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { spend: [1, NaN] } }), message: /request.creators.spend\[1\] is NaN/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { gmv: [1, -5] } }), message: /request.creators.gmv\[1\] is negative/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { fans: [1, 2] } }), message: /request.creators.fans is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: 'two' }), message: /request.creators must be an object, got string/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ tier: [0, 9, 0] }) })), message: /request.items.tier\[1\] is 9 but there are only 5 tiers/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ alpha: [1, 1, 1], beta: [1, 0, 1], score: undefined }) })), message: /request.items.beta\[1\] must be > 0, got 0/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ used: [0, NaN, 0] }) })), message: /request.items.used\[1\] is NaN/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ creator: bigU(), score: big() }) })), message: /request.items.creator has 20000001 elements; at most 20000000/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 1.5 } })), message: /request.options.budget must be an integer in \[1, 2\^53\], got 1.5/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 0 } })), message: /request.options.budget must be an integer/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 2 ** 60 } })), message: /request.options.budget must be an integer in \[1, 2\^53\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: NaN } })), message: /request.options.budget is NaN/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: '1000' } })), message: /request.options.budget: invalid type/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { giniMax: 1.2 } })), message: /^request.options.giniMax must be in \[0, 1\), got 1.2$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { mode: 'squash' } })), message: /request.options.mode must be "cap", "floor" or "blend"/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { coldStartShare: 1.5 } })), message: /request.options.coldStartShare must be in \[0, 1\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { floor: -1 } })), message: /request.options.floor is negative/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [] } })), message: /request.options.tierQuotas is empty/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [500, NaN] } })), message: /request.options.tierQuotas\[1\] must be > 0/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [500, 5000], tierWeights: [1] } })), message: /request.options.tierWeights has 1 elements but request.options.tierQuotas has 2/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { meritWeights: [1, 1] } })), message: /request.options.meritWeights must have 3 elements/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { seed: -1 } })), message: /request.options.seed must be an integer in \[0, 4294967295\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { maxRepairs: 1000 } })), message: /request.options.maxRepairs must be an integer in \[0, 100\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { sharpen: 0 } })), message: /request.options.sharpen must be in \[0.1, 10\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { gini: 0.5 } })), message: /request.options.gini is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { priorMean: 0.1 } })), message: /request.options.priorMean is a TrafficPlatform option/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: 5 })), message: /request.options must be an object, got number/ },
  // TrafficPlatform
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform(null), message: /init must be an object, got null/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({}), message: /init.creators is required/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: {} }), message: /init.creators.count is required/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: -1 } }), message: /init.creators.count must be an integer in \[1, 20000000\]/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 1e12 } }), message: /init.creators.count must be an integer/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2, spend: [1] } }), message: /init.creators.spend has 1 elements but there are 2 creators/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2, ageDays: [1, -3] } }), message: /init.creators.ageDays\[1\] must be a non-negative integer/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, items: { creator: [0, 2] } }), message: /init.items.creator\[1\] is 2 but there are only 2 creators/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, items: [0, 1] }), message: /init.items must be an object, got an array/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { priorMean: 0 } }), message: /init.options.priorMean must be in \(0, 1\)/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { priorStrength: -1 } }), message: /init.options.priorStrength must be > 0/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierWindows: [1, 2] } }), message: /init.options.tierWindows has 2 elements but init.options.tierQuotas has 5/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierWindows: [1, 0, 1, 1, 1] } }), message: /init.options.tierWindows\[1\] must be an integer in \[1, 100000\], got 0/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierCapacity: [1, 2, 3, 4, -5] } }), message: /init.options.tierCapacity\[4\] must be a non-negative integer or Infinity/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { promotion: 'vote' } }), message: /init.options.promotion must be "thompson" or "mean"/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { giniMax: NaN } }), message: /init.options.giniMax is NaN/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { nope: 1 } }), message: /init.options.nope is not a known field/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { maxItemAgeDays: 0 } }), message: /init.options.maxItemAgeDays must be an integer in \[1, 100000\]/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => p.observe([0, 0, 0])), message: /there is no round to observe; call runRound\(\) first/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, 0]); }), message: /engaged has 2 elements but there are 3 items/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, NaN, 0]); }), message: /^engaged\[1\] is NaN$/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, -1, 0]); }), message: /engaged\[1\] is negative/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, 0.5, 0]); }), message: /engaged\[1\] must be an integer, got 0.5/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { const r = p.runRound(); p.observe([r.itemExposure[0] + 1, 0, 0]); }), message: /engaged\[0\] is \d+ but item 0 had only \d+ impressions/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe('lots'); }), message: /engaged must be a Float64Array/ },
  { name: 'TrafficPlatform#runRound', call: (m) => withPlatform(m, (p) => { p.runRound(); p.runRound(); }), message: /the previous round has not been observed; call observe\(\) first/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 5])), message: /^creator\[1\] is 5 but there are only 2 creators$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems(null)), message: /creator must be a Uint32Array or an array of non-negative integers, got null/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1, 1] })), message: /posterior.beta is required/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1, NaN], beta: [1, 1] })), message: /posterior.alpha\[1\] is NaN/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1], beta: [1, 1] })), message: /posterior.alpha has 1 elements but creator has 2/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0], { alpha: [1], beta: [1], gamma: [1] })), message: /posterior.gamma is not a known field/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems(bigU())), message: /creator has 20000001 elements; at most 20000000/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => { p.runRound(); p.addItems([0]); }), message: /items cannot be added between a round and its observe\(\)/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ spend: [1, NaN] })), message: /merit.spend\[1\] is NaN/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ gmv: [1] })), message: /merit.gmv has 1 elements but there are 2 creators/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ luck: [1, 2] })), message: /merit.luck is not a known field/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit(7)), message: /merit must be an object, got number/ },
];

const e = new Float64Array([1, 2, 3, 4, 50]);
const smallRequest = {
  items: { creator: new Uint32Array([0, 1, 2, 2]), alpha: new Float64Array([1, 2, 3, 4]), beta: new Float64Array([30, 30, 30, 30]) },
  creators: { count: 3, newMerchant: new Uint8Array([1, 0, 0]) },
  options: { budget: 5_000, seed: 7, giniMax: 0.3 },
};

export const leak = [
  (m) => m.capGini(e, 0.2),
  (m) => m.capGiniDetailed(e, 0.2, { mode: 'blend' }),
  (m) => { const c = new m.GiniCapper(e); c.solve(0.2); c.free(); },
  (m) => m.allocate(smallRequest),
  (m) => {
    const p = platform(m);
    const r = p.runRound();
    p.observe(r.itemExposure.map((x) => Math.floor(x / 20)));
    p.addItems([1]);
    p.setMerit({ diligence: [1, 2] });
    p.tiers(); p.active(); p.posteriorMean(); p.alpha(); p.beta(); p.used(); p.thresholds(); p.capacities(); p.newMerchants();
    p.free();
  },
];
