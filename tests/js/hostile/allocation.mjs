// Hostile-input cases for the allocation exports (see ../hostile.test.mjs).
import assert from 'node:assert/strict';
import { bigints, detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';

const big = () => new Float64Array(20_000_001);
const bigU = () => new Uint32Array(20_000_001);
const items = (extra = {}) => ({ creator: new Uint32Array([0, 1, 1]), score: new Float64Array([1, 2, 3]), ...extra });
const req = (patch = {}) => ({ items: items(), options: { budget: 10_000, seed: 1 }, ...patch });
const platform = (m, options = {}) => new m.TrafficPlatform({
  creators: { count: 2 }, items: { creator: new Uint32Array([0, 1, 1]) }, options: { budget: 10_000, seed: 1, ...options },
});
/** Runs `f` on a fresh platform and frees it even when `f` throws. */
const withPlatform = (m, f) => { const p = platform(m); try { return f(p); } finally { p.free(); } };
const withCapper = (m, f) => { const c = new m.GiniCapper([1, 5]); try { return f(c); } finally { c.free(); } };
const ITEM_KEYS = 'creator, score, alpha, beta, value, tier, used';

export default [
  // capGini
  { name: 'capGini', call: (m) => m.capGini([1, NaN], 0.3), throws: 'RangeError', message: /^exposure\[1\] is NaN$/ },
  { name: 'capGini', call: (m) => m.capGini(new Float64Array([1, Infinity]), 0.3), throws: 'RangeError', message: /^exposure\[1\] is infinite/ },
  { name: 'capGini', call: (m) => m.capGini([1, -1], 0.3), throws: 'RangeError', message: /^exposure\[1\] is negative/ },
  { name: 'capGini', call: (m) => m.capGini([], 0.3), throws: 'RangeError', message: /^exposure is empty$/ },
  { name: 'capGini', call: (m) => m.capGini([0, 0], 0.3), throws: 'RangeError', message: /exposure are all zero/ },
  { name: 'capGini', call: (m) => m.capGini('1,2', 0.3), throws: 'TypeError', message: /^exposure must be a Float64Array or an array of numbers, got string$/ },
  { name: 'capGini', call: (m) => m.capGini(null, 0.3), throws: 'TypeError', message: /^exposure must be .* got null$/ },
  { name: 'capGini', call: (m) => m.capGini({ 0: 1, length: 1 }, 0.3), throws: 'TypeError', message: /^exposure must be .* got object$/ },
  { name: 'capGini', call: (m) => m.capGini([1, '2'], 0.3), throws: 'TypeError', message: /^exposure\[1\] must be a number, got string$/ },
  { name: 'capGini', call: (m) => m.capGini(big(), 0.3), throws: 'RangeError', message: /^exposure has 20000001 elements; at most 20000000 are supported$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 1.2), throws: 'RangeError', message: /^giniMax must be in \[0, 1\), got 1.2$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], -0.1), throws: 'RangeError', message: /^giniMax must be in \[0, 1\)/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], NaN), throws: 'RangeError', message: /^giniMax is NaN$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], Infinity), throws: 'RangeError', message: /^giniMax is infinite/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], '0.3'), throws: 'TypeError', message: /^giniMax must be a number, got string$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], null), throws: 'TypeError', message: /^giniMax must be a number, got null$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2]), throws: 'TypeError', message: /^giniMax must be a number, got undefined$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { mode: 'squash' }), throws: 'RangeError', message: /^options.mode must be "cap", "floor" or "blend", got "squash"$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { blend: 2 }), throws: 'RangeError', message: /^options.blend must be in \[0, 1\], got 2$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { blend: NaN }), throws: 'RangeError', message: /^options.blend is NaN$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { mode: 3 }), throws: 'TypeError', message: /^options.mode must be a string, got number$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { modes: 'cap' }), throws: 'TypeError', message: /^options.modes is not a known field; expected one of: mode, blend$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, 'cap'), throws: 'TypeError', message: /^options must be an object, got string$/ },
  // issue 19
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, throwingGetter('mode')), throws: 'Error', message: /^options.mode: reading it threw: boom$/ },
  { name: 'capGini', call: (m) => m.capGini(throwingProxy(), 0.3), throws: 'Error', message: /^exposure: reading it threw: boom$/ },
  { name: 'capGini', call: (m) => m.capGini(throwingElement(), 0.3), throws: 'Error', message: /^exposure\[0\]: reading it threw: boom$/ },
  { name: 'capGini', call: (m) => m.capGini(bigints(), 0.3), throws: 'TypeError', message: /^exposure must be .* got a BigInt64Array$/ },
  { name: 'capGini', call: (m) => m.capGini(detached(), 0.3), throws: 'RangeError', message: /^exposure is empty$/ },
  { name: 'capGini', call: (m) => m.capGini([1, 2], 0.3, { mode: 'x'.repeat(100_000) }), throws: 'RangeError', message: /^options.mode must be "cap", "floor" or "blend", got "x{80}…"$/ },
  // capGiniDetailed
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, NaN], 0.3), throws: 'RangeError', message: /^exposure\[1\] is NaN$/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([], 0.3), throws: 'RangeError', message: /^exposure is empty$/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, 2], 1), throws: 'RangeError', message: /^giniMax must be in \[0, 1\), got 1$/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed([1, 2], 0.3, { extra: 1 }), throws: 'TypeError', message: /^options.extra is not a known field/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed(undefined, 0.3), throws: 'TypeError', message: /^exposure must be .* got undefined$/ },
  { name: 'capGiniDetailed', call: (m) => m.capGiniDetailed(revoked(), 0.3), throws: 'Error', message: /^exposure: reading it threw: TypeError/ },
  // GiniCapper
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([1, NaN]), throws: 'RangeError', message: /^exposure\[1\] is NaN$/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([]), throws: 'RangeError', message: /^exposure is empty$/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper([-1]), throws: 'RangeError', message: /^exposure\[0\] is negative/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper('x'), throws: 'TypeError', message: /^exposure must be/ },
  { name: 'new GiniCapper', call: (m) => new m.GiniCapper(new BigUint64Array(2)), throws: 'TypeError', message: /got a BigUint64Array$/ },
  { name: 'GiniCapper#solve', call: (m) => withCapper(m, (c) => c.solve(1.5)), throws: 'RangeError', message: /^giniMax must be in \[0, 1\), got 1.5$/ },
  { name: 'GiniCapper#solve', call: (m) => withCapper(m, (c) => c.solve('a')), throws: 'TypeError', message: /^giniMax must be a number, got string$/ },
  { name: 'GiniCapper#solve', call: (m) => withCapper(m, (c) => c.solve(0.1, { mode: 'x' })), throws: 'RangeError', message: /^options.mode must be/ },
  { name: 'GiniCapper#solve', call: (m) => withCapper(m, (c) => c.solve(0.1, throwingGetter('blend'))), throws: 'Error', message: /^options.blend: reading it threw: boom$/ },
  // allocate
  { name: 'allocate', call: (m) => m.allocate(null), throws: 'TypeError', message: /^request must be an object, got null$/ },
  { name: 'allocate', call: (m) => m.allocate('req'), throws: 'TypeError', message: /^request must be an object, got string$/ },
  { name: 'allocate', call: (m) => m.allocate([]), throws: 'TypeError', message: /^request must be an object, got an array$/ },
  { name: 'allocate', call: (m) => m.allocate({}), throws: 'TypeError', message: /^request.items is required$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), extra: 1 }), throws: 'TypeError', message: /^request.extra is not a known field; expected one of: items, creators, options$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0], scroe: [1] } })), throws: 'TypeError', message: new RegExp(`^request.items.scroe is not a known field; expected one of: ${ITEM_KEYS}$`) },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { score: [1] } })), throws: 'TypeError', message: /^request.items.creator is required$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, 1] } })), throws: 'TypeError', message: /^request.items needs a score column or alpha and beta columns$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0], alpha: [1] } })), throws: 'TypeError', message: /^request.items.beta is required with alpha$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [], score: [] } })), throws: 'RangeError', message: /^request.items.creator is empty$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, NaN, 3] }) })), throws: 'RangeError', message: /^request.items.score\[1\] is NaN$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, -2, 3] }) })), throws: 'RangeError', message: /^request.items.score\[1\] is negative/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, Infinity, 3] }) })), throws: 'RangeError', message: /^request.items.score\[1\] is infinite/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: [1, 2] }) })), throws: 'RangeError', message: /^request.items.score has 2 elements but there are 3 items/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: 'abc' }) })), throws: 'TypeError', message: /^request.items.score must be a Float64Array or an array of numbers, got string$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, 1.5], score: [1, 1] } })), throws: 'RangeError', message: /^request.items.creator\[1\] must be an integer in \[0, 4294967295\], got 1.5$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: { creator: [0, -1], score: [1, 1] } })), throws: 'RangeError', message: /^request.items.creator\[1\] must be an integer in \[0, 4294967295\], got -1$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 1 } }), throws: 'RangeError', message: /^request.items.creator\[1\] is 1 but there are only 1 creators$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 0 } }), throws: 'RangeError', message: /^request.creators.count must be an integer in \[1, 20000000\], got 0$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 'two' } }), throws: 'TypeError', message: /^request.creators.count must be a number, got string$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { count: 2, newMerchant: [1, 0, 1] } }), throws: 'RangeError', message: /^request.creators.newMerchant has 3 elements but there are 2 creators/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { newMerchant: [1, 'yes'] } }), throws: 'TypeError', message: /^request.creators.newMerchant\[1\] must be a boolean or 0\/1, got string$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { spend: [1, NaN] } }), throws: 'RangeError', message: /^request.creators.spend\[1\] is NaN$/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { gmv: [1, -5] } }), throws: 'RangeError', message: /^request.creators.gmv\[1\] is negative/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: { fans: [1, 2] } }), throws: 'TypeError', message: /^request.creators.fans is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate({ ...req(), creators: 'two' }), throws: 'TypeError', message: /^request.creators must be an object, got string$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ tier: [0, 9, 0] }) })), throws: 'RangeError', message: /^request.items.tier\[1\] is 9 but there are only 5 tiers/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ alpha: [1, 1, 1], beta: [1, 0, 1], score: undefined }) })), throws: 'RangeError', message: /^request.items.beta\[1\] must be > 0, got 0$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ used: [0, NaN, 0] }) })), throws: 'RangeError', message: /^request.items.used\[1\] is NaN$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ creator: bigU(), score: big() }) })), throws: 'RangeError', message: /^request.items.creator has 20000001 elements; at most 20000000 are supported$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 1.5 } })), throws: 'RangeError', message: /^request.options.budget must be an integer in \[1, 2\^53\], got 1.5$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 0 } })), throws: 'RangeError', message: /^request.options.budget must be an integer/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: 2 ** 60 } })), throws: 'RangeError', message: /^request.options.budget must be an integer in \[1, 2\^53\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: NaN } })), throws: 'RangeError', message: /^request.options.budget is NaN$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { budget: '1000' } })), throws: 'TypeError', message: /^request.options.budget must be a number, got string$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { giniMax: 1.2 } })), throws: 'RangeError', message: /^request.options.giniMax must be in \[0, 1\), got 1.2$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { mode: 'squash' } })), throws: 'RangeError', message: /^request.options.mode must be "cap", "floor" or "blend"/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { coldStartShare: 1.5 } })), throws: 'RangeError', message: /^request.options.coldStartShare must be in \[0, 1\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { floor: -1 } })), throws: 'RangeError', message: /^request.options.floor is negative/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [] } })), throws: 'RangeError', message: /^request.options.tierQuotas is empty$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [500, NaN] } })), throws: 'RangeError', message: /^request.options.tierQuotas\[1\] must be > 0/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: [500, 5000], tierWeights: [1] } })), throws: 'RangeError', message: /^request.options.tierWeights has 1 elements but request.options.tierQuotas has 2/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { meritWeights: [1, 1] } })), throws: 'RangeError', message: /^request.options.meritWeights has 2 elements but must have 3$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { seed: -1 } })), throws: 'RangeError', message: /^request.options.seed must be an integer in \[0, 4294967295\], got -1$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { maxRepairs: 1000 } })), throws: 'RangeError', message: /^request.options.maxRepairs must be an integer in \[0, 100\], got 1000$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { sharpen: 0 } })), throws: 'RangeError', message: /^request.options.sharpen must be in \[0.1, 10\]/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { gini: 0.5 } })), throws: 'TypeError', message: /^request.options.gini is not a known field; expected one of: budget, coldStartShare,/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { priorMean: 0.1 } })), throws: 'TypeError', message: /^request.options.priorMean is not a known field/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: 5 })), throws: 'TypeError', message: /^request.options must be an object, got number$/ },
  // issue 19: a throwing getter is an error (it was silently ignored); endless and huge sequences fail fast
  { name: 'allocate', call: (m) => m.allocate(req({ options: throwingGetter('budget') })), throws: 'Error', message: /^request.options.budget: reading it threw: boom$/ },
  { name: 'allocate', call: (m) => m.allocate(throwingGetter('creators', req())), throws: 'Error', message: /^request.creators: reading it threw: boom$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ score: throwingElement([1, 2, 3]) }) })), throws: 'Error', message: /^request.items.score\[0\]: reading it threw: boom$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: endless() } })), throws: 'RangeError', message: /^request.options.tierQuotas has more than 64 elements; at most 64 are supported$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { tierQuotas: new Array(1_000_000).fill(1) } })), throws: 'RangeError', message: /^request.options.tierQuotas has 1000000 elements; at most 64 are supported$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ options: { meritWeights: new Array(1_000_000).fill(1) } })), throws: 'RangeError', message: /^request.options.meritWeights has 1000000 elements; at most 3 are supported$/ },
  { name: 'allocate', call: (m) => m.allocate(req({ items: items({ value: bigints() }) })), throws: 'TypeError', message: /^request.items.value must be .* got a BigInt64Array$/ },
  // TrafficPlatform
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform(null), throws: 'TypeError', message: /^init must be an object, got null$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({}), throws: 'TypeError', message: /^init.creators is required$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: {} }), throws: 'TypeError', message: /^init.creators.count is required$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: -1 } }), throws: 'RangeError', message: /^init.creators.count must be an integer in \[1, 20000000\], got -1$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 1e12 } }), throws: 'RangeError', message: /^init.creators.count must be an integer/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2, spend: [1] } }), throws: 'RangeError', message: /^init.creators.spend has 1 elements but there are 2 creators/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2, ageDays: [1, -3] } }), throws: 'RangeError', message: /^init.creators.ageDays\[1\] must be an integer in \[0, 4294967295\], got -3$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, items: { creator: [0, 2] } }), throws: 'RangeError', message: /^init.items.creator\[1\] is 2 but there are only 2 creators$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, items: [0, 1] }), throws: 'TypeError', message: /^init.items must be an object, got an array$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { priorMean: 0 } }), throws: 'RangeError', message: /^init.options.priorMean must be in \(0, 1\)/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { priorStrength: -1 } }), throws: 'RangeError', message: /^init.options.priorStrength must be > 0/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierWindows: [1, 2] } }), throws: 'RangeError', message: /^init.options.tierWindows has 2 elements but init.options.tierQuotas has 5/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierWindows: [1, 0, 1, 1, 1] } }), throws: 'RangeError', message: /^init.options.tierWindows\[1\] must be an integer in \[1, 100000\], got 0$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierCapacity: [1, 2, 3, 4, -5] } }), throws: 'RangeError', message: /^init.options.tierCapacity\[4\] must be a non-negative integer or Infinity/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { promotion: 'vote' } }), throws: 'RangeError', message: /^init.options.promotion must be "thompson" or "mean", got "vote"$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { giniMax: NaN } }), throws: 'RangeError', message: /^init.options.giniMax is NaN$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { nope: 1 } }), throws: 'TypeError', message: /^init.options.nope is not a known field; expected one of: budget, .*, priorMean, .*, maxItemAgeDays$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { maxItemAgeDays: 0 } }), throws: 'RangeError', message: /^init.options.maxItemAgeDays must be an integer in \[1, 100000\], got 0$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: throwingGetter('priorMean') }), throws: 'Error', message: /^init.options.priorMean: reading it threw: boom$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: throwingGetter('count') }), throws: 'Error', message: /^init.creators.count: reading it threw: boom$/ },
  { name: 'new TrafficPlatform', call: (m) => new m.TrafficPlatform({ creators: { count: 2 }, options: { tierWindows: endless() } }), throws: 'RangeError', message: /^init.options.tierWindows has more than 64 elements/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => p.observe([0, 0, 0])), throws: 'Error', message: /^there is no round to observe; call runRound\(\) first$/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, 0]); }), throws: 'RangeError', message: /^engaged has 2 elements but there are 3 items/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, NaN, 0]); }), throws: 'RangeError', message: /^engaged\[1\] is NaN$/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, -1, 0]); }), throws: 'RangeError', message: /^engaged\[1\] is negative/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe([0, 0.5, 0]); }), throws: 'RangeError', message: /^engaged\[1\] must be an integer, got 0.5$/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { const r = p.runRound(); p.observe([r.itemExposure[0] + 1, 0, 0]); }), throws: 'RangeError', message: /^engaged\[0\] is \d+ but item 0 had only \d+ impressions/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe('lots'); }), throws: 'TypeError', message: /^engaged must be a Float64Array or an array of numbers, got string$/ },
  { name: 'TrafficPlatform#observe', call: (m) => withPlatform(m, (p) => { p.runRound(); p.observe(throwingElement([0, 0, 0])); }), throws: 'Error', message: /^engaged\[0\]: reading it threw: boom$/ },
  { name: 'TrafficPlatform#runRound', call: (m) => withPlatform(m, (p) => { p.runRound(); p.runRound(); }), throws: 'Error', message: /^the previous round has not been observed; call observe\(\) first$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 5])), throws: 'RangeError', message: /^creator\[1\] is 5 but there are only 2 creators$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems(null)), throws: 'TypeError', message: /^creator must be a Uint32Array or an array of non-negative integers, got null$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1, 1] })), throws: 'TypeError', message: /^posterior.beta is required$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1, NaN], beta: [1, 1] })), throws: 'RangeError', message: /^posterior.alpha\[1\] is NaN$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0, 1], { alpha: [1], beta: [1, 1] })), throws: 'RangeError', message: /^posterior.alpha has 1 elements but creator has 2/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0], { alpha: [1], beta: [1], gamma: [1] })), throws: 'TypeError', message: /^posterior.gamma is not a known field; expected one of: alpha, beta$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems(bigU())), throws: 'RangeError', message: /^creator has 20000001 elements; at most 20000000 are supported$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => { p.runRound(); p.addItems([0]); }), throws: 'Error', message: /^items cannot be added between a round and its observe\(\); call observe\(\) first$/ },
  { name: 'TrafficPlatform#addItems', call: (m) => withPlatform(m, (p) => p.addItems([0], throwingGetter('alpha'))), throws: 'Error', message: /^posterior.alpha: reading it threw: boom$/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ spend: [1, NaN] })), throws: 'RangeError', message: /^merit.spend\[1\] is NaN$/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ gmv: [1] })), throws: 'RangeError', message: /^merit.gmv has 1 elements but there are 2 creators/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit({ luck: [1, 2] })), throws: 'TypeError', message: /^merit.luck is not a known field; expected one of: diligence, fanOperation, spend, gmv$/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit(7)), throws: 'TypeError', message: /^merit must be an object, got number$/ },
  { name: 'TrafficPlatform#setMerit', call: (m) => withPlatform(m, (p) => p.setMerit(throwingGetter('spend'))), throws: 'Error', message: /^merit.spend: reading it threw: boom$/ },
];

/** Calls with a known outcome: regressions for bindings-side defects. */
export const regressions = [
  {
    name: 'issue 19: a platform method interrupted by a throwing getter leaves the platform usable and freeable',
    run: (m) => {
      const p = platform(m);
      for (let i = 0; i < 3; i++) {
        assert.throws(() => p.setMerit(throwingGetter('gmv')), { name: 'Error', message: /^merit.gmv: reading it threw: boom$/ });
        assert.throws(() => p.observe(throwingElement([0, 0, 0])), { name: 'Error' });
      }
      const r = p.runRound();
      p.observe(r.itemExposure.map((x) => Math.floor(x / 10)));
      assert.equal(p.day, 1);
      p.free();
    },
  },
  {
    name: 'issue 19: a getter that calls back into the platform while its argument is read',
    run: (m) => {
      const p = platform(m);
      const merit = { get diligence() { p.runRound(); return [1, 2]; } };
      p.setMerit(merit);
      assert.equal(p.awaitingObservation, true);
      p.free();
    },
  },
  {
    name: 'undefined and null fields take their defaults (the allocation readers ignored null, the scenario reader rejected it)',
    run: (m) => {
      const a = m.allocate(req({ options: { budget: 10_000, seed: 1, giniMax: null, mode: undefined } }));
      const b = m.allocate(req());
      assert.deepEqual(a.itemExposure, b.itemExposure);
    },
  },
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
