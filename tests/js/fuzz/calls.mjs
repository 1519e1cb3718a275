// The fuzz harness's calls (see ../fuzz.test.mjs): a seeded generator of
// arguments — plausible valid values, extreme but valid numbers, wrong types,
// getters that throw, Proxies, revoked Proxies, detached and BigInt arrays —
// and, for every exported function, constructor, method and getter, how to
// call it. Call `i` of seed `s` is the same call on every run.
import { readFileSync } from 'node:fs';
import { bigints, detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from '../hostile/_values.mjs';

/** The order-export fixtures (tests/data/make_exports.py): the fuzzer reads them as they are, cut and mutated. */
const FIXTURES = ['shop_export_utf8bom.csv', 'shop_export_gbk.csv', 'shop_export_utf16le.txt', 'shop_export.xlsx', 'douyin_export.csv', 'orders_malformed.csv']
  .map((f) => new Uint8Array(readFileSync(new URL(`../../data/${f}`, import.meta.url))));
/** Pieces of export text: cells Chinese shop backends write, delimiters, quotes, line ends, Excel's guards. */
const PIECES = ['买家ID', '下单时间', '实付款', '订单编号', '订单状态', '售后状态', '退款金额', 'buyer', 'date', 'amount', 'order id', '2024-01-05 10:12:33', '2024/1/5', '2024年6月1日', '45292', '1704412800',
  '￥1,299.00', '128.00', '-5', '1e308', 'abc', '3901234567890123457', '\t3901234567890120001', '="0012"', "'2088", '交易关闭', '退款成功', '已取消', '\uD800', '\uFDD0', '', ',', ',', ',', '\t', ';', '"', '""', '\n', '\r\n', '\r', ' ', '合计'];

/** sfc32, seeded from (seed, i) through splitmix32. */
export function rng(seed, i) {
  let s = (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
}

/** Finite numbers at the edges of what is valid. */
const EXTREMES = [0, -0, 5e-324, 1e-310, 1e-300, 1e-200, 1e-9, 1, 1e9, 1e15, 2 ** 53, 2 ** 53 + 2, 1e100, 1e200, 1e300, 1.7976931348623157e308];

/** Values of the wrong type, or whose reading throws (a fresh one per call). */
const HOSTILE = [
  () => undefined, () => null, () => true, () => 'x', () => '1', () => 1n, () => Symbol('s'), () => ({}), () => [],
  () => () => 1, () => new Map([[1, 2]]), () => new Date(0), () => NaN, () => Infinity, () => -Infinity, () => -1,
  () => throwingGetter('x'), () => throwingElement([1, 2, 3]), () => throwingProxy([1, 2, 3]), () => throwingProxy({}),
  () => revoked([1, 2]), () => revoked({}), () => detached(), () => bigints(), () => new BigUint64Array(2), () => endless(),
  () => new Array(30_000_000), () => new Int8Array([1, -1]), () => new DataView(new ArrayBuffer(8)), () => 'x'.repeat(10_000),
];

/** Argument generator over one call's random stream. */
export class Gen {
  constructor(random) {
    this.random = random;
    /** Whether every number this call was given is finite (for the non-finite check). */
    this.finite = true;
  }
  float() { return this.random(); }
  chance(p) { return this.random() < p; }
  int(lo, hi) { return lo + Math.floor(this.random() * (hi - lo + 1)); }
  pick(xs) { return xs[Math.floor(this.random() * xs.length)]; }
  /** Notes a value given to the module (clears `finite` if it holds a non-finite number). */
  seen(v) {
    if (typeof v === 'number' && !Number.isFinite(v)) this.finite = false;
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v)) this.finite = false;
    return v;
  }
  /** A wrong-type or hostile value. */
  hostile() {
    this.finite = false;
    return this.pick(HOSTILE)();
  }
  /** A size for arrays: mostly small, sometimes a few thousand. */
  size() {
    const c = this.float();
    return c < 0.05 ? 0 : c < 0.8 ? this.int(1, 40) : c < 0.97 ? this.int(41, 400) : this.int(401, 3000);
  }
  /** A number for `{ lo, hi, int }`: usually in range, sometimes an edge, sometimes hostile. */
  number(spec = {}) {
    const { lo = 0, hi = 1, int = false } = spec;
    const c = this.float();
    if (c < 0.7) {
      const x = lo + (hi - lo) * this.float();
      return int ? Math.round(x) : x;
    }
    if (c < 0.85) return this.pick([lo, hi, this.pick(EXTREMES)]);
    if (c < 0.92) return -this.pick(EXTREMES);
    return this.hostile();
  }
  /** A valid value of `spec` (no hostile values). */
  valid(spec = {}) {
    const { lo = 0, hi = 1, int = false } = spec;
    const x = this.chance(0.9) ? lo + (hi - lo) * this.float() : this.pick([lo, hi]);
    return int ? Math.round(x) : x;
  }
  /** `undefined` sometimes, else `make()`. */
  opt(make, p = 0.3) { return this.chance(p) ? undefined : make(); }
  /** A column of `n` numbers from `spec` (extremes mixed in), as an array or a typed array, or hostile. */
  column(n, spec = {}) {
    const c = this.float();
    if (c < 0.08) return this.hostile();
    const extreme = this.chance(0.25);
    const xs = Array.from({ length: n }, () => (extreme && this.chance(0.3) ? this.pick(EXTREMES) : this.valid(spec)));
    if (c < 0.12 && n > 0) xs[this.int(0, n - 1)] = this.pick([NaN, Infinity, -1, 'x', null]);
    for (const x of xs) this.seen(x);
    return this.pick([() => xs, () => Float64Array.from(xs.map(Number)), () => xs])();
  }
  /** Integers in `[0, max)`, as an array or a Uint32Array. */
  integers(n, max) {
    if (this.chance(0.05)) return this.hostile();
    const xs = Array.from({ length: n }, () => this.int(0, Math.max(0, max - 1)));
    return this.chance(0.5) ? Uint32Array.from(xs) : xs;
  }
  /** An options object: a random subset of `fields` (name → generator), sometimes an unknown key, sometimes hostile. */
  options(fields) {
    const c = this.float();
    if (c < 0.1) return this.hostile();
    if (c < 0.2) return undefined;
    const o = {};
    for (const [k, make] of Object.entries(fields)) if (this.chance(0.4)) o[k] = make();
    if (this.chance(0.05)) o[this.pick(['extra', 'x'.repeat(200), 'constructor'])] = 1;
    if (this.chance(0.05)) Object.defineProperty(o, this.pick(Object.keys(fields)), { get: () => { throw new Error('boom'); }, enumerable: true });
    return o;
  }
  /** Consistent customers (frequency, recency, T) of `n` rows, sometimes broken. */
  customers(n, big = false) {
    const tMax = big && this.chance(0.3) ? this.pick([1e3, 1e5, 1e7]) : this.pick([10, 52, 365]);
    const x = [], tx = [], t = [];
    for (let k = 0; k < n; k++) {
      const T = tMax * this.float();
      const f = this.chance(0.4) ? 0 : this.int(1, big && this.chance(0.1) ? 1e6 : 30);
      x.push(f);
      t.push(T);
      tx.push(f === 0 ? 0 : T * this.float());
    }
    if (this.chance(0.08) && n > 0) this.pick([x, tx, t])[this.int(0, n - 1)] = this.pick([NaN, -1, 1.5, Infinity, 'x']);
    for (const v of [...x, ...tx, ...t]) this.seen(v);
    const wrap = (xs) => (this.chance(0.1) ? this.hostile() : this.chance(0.5) ? Float64Array.from(xs.map(Number)) : xs);
    return [wrap(x), wrap(tx), wrap(t)];
  }
}

const MODEL_PARAMS = {
  bgnbd: ['r', 'alpha', 'a', 'b'],
  mbgnbd: ['r', 'alpha', 'a', 'b'],
  paretonbd: ['r', 'alpha', 's', 'beta'],
  gammagamma: ['p', 'q', 'v'],
};

/** Parameters a fit can return or `repurchaseModel` accepts: (0, 1e13], boundary fits included. */
function params(g, kind) {
  const out = {};
  for (const k of MODEL_PARAMS[kind]) {
    const c = g.float();
    out[k] = c < 0.6 ? g.valid({ lo: 0.01, hi: 20 }) : c < 0.85 ? g.pick([1e-9, 1e-6, 1e3, 1e6, 1.6e6, 1.3e7, 1e10, 1e13]) : c < 0.95 ? g.pick([0, -1, 2e13, 5e-324]) : g.hostile();
  }
  return out;
}

/** A repurchase model to call methods on (given parameters, or a small fit). */
function model(m, g, kinds = ['bgnbd', 'mbgnbd', 'paretonbd']) {
  const kind = g.pick(kinds);
  try {
    if (kind !== 'gammagamma' && g.chance(0.15)) {
      const [x, tx, t] = new Gen(g.random).customers(g.int(5, 60));
      const fit = { bgnbd: m.fitBgNbd, mbgnbd: m.fitModifiedBgNbd, paretonbd: m.fitParetoNbd }[kind];
      return fit(x, tx, t, { maxIterations: 50 });
    }
    const p = {};
    for (const k of MODEL_PARAMS[kind]) p[k] = g.chance(0.7) ? g.valid({ lo: 0.05, hi: 15 }) : g.pick([1e-6, 1e3, 1.6e6, 1.3e7, 1e10, 1e13]);
    return m.repurchaseModel(kind, p);
  } catch {
    return m.repurchaseModel(kind, kind === 'gammagamma' ? { p: 6, q: 4, v: 15 } : kind === 'paretonbd' ? { r: 0.5, alpha: 10, s: 0.6, beta: 12 } : { r: 0.24, alpha: 4.4, a: 0.8, b: 2.4 });
  }
}

/** The first 200 CDNOW customers with a channel each: a well-posed fit with covariates to fall back on. */
const CDNOW200 = readFileSync(new URL('../../data/cdnow_customers_summary.csv', import.meta.url), 'utf8').trim().split('\n').slice(1, 201).map((l) => l.split(',').map(Number));
const COV_FALLBACK = {
  x: CDNOW200.map((r) => r[1]),
  tx: CDNOW200.map((r) => r[2]),
  t: CDNOW200.map((r) => r[3]),
  cov: { names: ['直播间', '短视频'], values: Float64Array.from(CDNOW200.flatMap((r, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0])) },
};
const COV_FITS = ['fitBgNbdWithCovariates', 'fitModifiedBgNbdWithCovariates', 'fitParetoNbdWithCovariates'];

/**
 * Hostile values but the 30M-element array (whose creation alone takes ~0.5 s
 * here, and the covariate generators draw several hostile values per call;
 * tests/js/hostile/covariates.mjs has that case for every covariate argument).
 */
const HOSTILE_SMALL = HOSTILE.filter((make) => !/30_000_000/.test(String(make)));
const hostileSmall = (g) => { g.finite = false; return g.pick(HOSTILE_SMALL)(); };
/** `f` with every hostile value of its call drawn from HOSTILE_SMALL. */
const small = (f) => (m, g) => { g.hostile = () => hostileSmall(g); return f(m, g); };

/** A covariate table for `n` customers: names and rows (or one flat column), sometimes broken or hostile. */
function covariateTable(g, n) {
  if (g.chance(0.05)) return hostileSmall(g);
  const k = g.chance(0.9) ? g.int(1, 4) : g.pick([0, 65]);
  const names = Array.from({ length: k }, (_, j) => g.pick(['直播间', '短视频', '商品卡', 'score', `c${j}`, '']) + (g.chance(0.8) ? j : ''));
  const row = () => Array.from({ length: k }, () => (g.chance(0.5) ? g.int(0, 1) : g.number({ lo: -3, hi: 3 })));
  const rows = Array.from({ length: g.chance(0.95) ? n : g.int(0, n + 2) }, row);
  for (const r of rows) for (const v of r) g.seen(v);
  const values = g.chance(0.5) ? rows : g.chance(0.5) ? Float64Array.from(rows.flat().map(Number)) : rows.flat();
  const out = { names: g.chance(0.95) ? names : hostileSmall(g), values: g.chance(0.95) ? values : hostileSmall(g) };
  const select = () => (g.chance(0.5) ? g.chance(0.5) : names.filter(() => g.chance(0.5)).concat(g.chance(0.05) ? ['团购'] : []));
  if (g.chance(0.3)) out.purchase = select();
  if (g.chance(0.3)) out.dropout = select();
  if (g.chance(0.03)) out.extra = 1;
  return out;
}

/** Rows of covariates for `n` customers of a model with `k` columns (as a prediction takes them). */
function covariateRows(g, n, k) {
  if (g.chance(0.05)) return hostileSmall(g);
  const rows = Array.from({ length: g.chance(0.95) ? n : g.int(0, n + 2) }, () => Array.from({ length: g.chance(0.95) ? k : g.int(0, k + 1) }, () => g.seen(g.number({ lo: -3, hi: 3 }))));
  return g.chance(0.5) ? rows : Float64Array.from(rows.flat().map(Number));
}

/** A model with covariates to call methods on (a small random fit, else the fallback's). */
function covariateModel(m, g) {
  const name = g.pick(COV_FITS);
  if (g.chance(0.3)) {
    try {
      const n = g.int(5, 60);
      const h = new Gen(g.random);
      h.hostile = () => hostileSmall(h);
      const [x, tx, t] = h.customers(n);
      return m[name](x, tx, t, covariateTable(h, n), { maxIterations: 30 });
    } catch { /* fall back */ }
  }
  const f = COV_FALLBACK;
  return m[name](f.x, f.tx, f.t, f.cov, { maxIterations: 30 });
}
const onCovariates = (f) => small(on(covariateModel, f));

/** A fitted model for the intervals (they need a fit's covariance); sometimes one built from parameters. */
function fitted(m, g, kinds = ['bgnbd', 'mbgnbd', 'paretonbd']) {
  const kind = g.pick(kinds);
  if (g.chance(0.1)) return model(m, g, [kind]);
  try {
    const n = g.int(5, 60);
    if (kind === 'gammagamma') return m.fitGammaGamma(Array.from({ length: n }, () => g.int(0, 20)), Array.from({ length: n }, () => g.valid({ lo: 0.01, hi: g.pick([100, 1e6]) })));
    const [x, tx, t] = new Gen(g.random).customers(n);
    const fit = { bgnbd: m.fitBgNbd, mbgnbd: m.fitModifiedBgNbd, paretonbd: m.fitParetoNbd }[kind];
    return fit(x, tx, t, { maxIterations: 50 });
  } catch {
    return model(m, g, [kind]);
  }
}
const onFitted = (f, kinds) => on((m, g) => fitted(m, g, kinds), f);
/** The intervals' options (level, draws, seed) and `more`. */
const intervalOptions = (g, more = {}) => g.options({ level: () => g.number({ lo: 0.5, hi: 0.999 }), draws: () => g.number({ lo: 20, hi: 400, int: true }), seed: () => g.number({ lo: 0, hi: 2 ** 32 - 1, int: true }), ...more });

/** A small scenario (sizes kept small; values from the whole valid range, and beyond). */
function scenario(g) {
  if (g.chance(0.05)) return g.hostile();
  const s = { seed: g.int(0, 2 ** 32 - 1), days: g.int(1, 20), population: { merchants: g.int(2, 80) } };
  const groups = {
    population: { newShare: [0, 1], qualityMean: [0.01, 0.99], qualityConcentration: [0.1, 1000], followersMedian: [0, 1e9], followersSigma: [0, 5], priceMedian: [0.01, 1e6], priceSigma: [0, 5], trustMean: [0.01, 0.99], followRateMean: [0, 1], adSpendMean: [0, 1e9] },
    platform: { budget: [1, 1e13], giniMax: [0, 0.999], blend: [0, 1], coldStartShare: [0, 1], itemFloor: [0, 1e9], adCpm: [1e-9, 1e6], trustWeight: [0, 100] },
    funnel: { ctrMin: [0, 1], ctrMax: [0, 1], itemSaturation: [1e-9, 1e12], orderRate: [0, 1], referencePrice: [1e-9, 1e9], priceElasticity: [0, 5], trustWeight: [0, 1], visitRateMin: [0, 1], visitRateMax: [0, 1], fanOrderRate: [0, 1], repurchaseHazard: [0, 1], rateShape: [0.05, 1000], dropoutMax: [0, 1], dropoutMin: [0, 1], followLift: [0, 1000], buyerFollowMultiplier: [0, 100], valueExponent: [0, 5] },
    merchant: merchantRanges,
  };
  for (const [group, fields] of Object.entries(groups)) {
    if (!g.chance(0.5)) continue;
    s[group] ??= {};
    for (const [k, [lo, hi]] of Object.entries(fields)) if (g.chance(0.3)) s[group][k] = g.seen(g.number({ lo, hi }));
  }
  if (g.chance(0.2)) s.platform = { ...s.platform, giniMode: g.pick(['cap', 'floor', 'blend', 'x']) };
  if (g.chance(0.2)) s.events = { bigDays: [g.int(0, s.days - 1)], bigDayMultiplier: g.number({ lo: 0, hi: 100 }), campaignDays: [0], campaignBoost: g.number({ lo: 0, hi: 100 }) };
  if (g.chance(0.2) && s.merchant !== null && (s.merchant === undefined || typeof s.merchant === 'object')) s.merchant = fittedFields(g, s.merchant ?? {});
  return s;
}
const merchantRanges = { contentQuality: [0, 1], followRate: [0, 1], price: [0.01, 1e6], trust: [0, 1], diligence: [0, 1], followers: [0, 1e10], adSpend: [0, 1e9], ageDays: [0, 1e5] };
/** The focus merchant's own fitted process (issue 15 §3): a model's params (object or array, boundary values included), customers, an order value; sometimes wrong or hostile. */
function fittedFields(g, o) {
  if (g.chance(0.7)) {
    const model = g.chance(0.95) ? g.pick(['bgnbd', 'mbgnbd', 'paretonbd']) : g.pick(['gammagamma', 'x', g.hostile()]);
    const p = params(g, model === 'paretonbd' ? 'paretonbd' : 'bgnbd');
    o.repurchase = g.chance(0.05) ? g.hostile() : { model, params: g.chance(0.3) ? Object.values(p) : p, ...(g.chance(0.5) ? { unitDays: g.seen(g.number({ lo: 1e-3, hi: 3660 })) } : {}) };
  }
  if (g.chance(0.5)) {
    const n = g.size();
    const [frequency, recency, T] = g.customers(n, true);
    o.customers = g.chance(0.05) ? g.hostile() : { frequency, recency, T, ...(g.chance(0.3) ? { monetary: g.column(n, { lo: 0, hi: g.pick([100, 1e6]) }) } : {}) };
  }
  if (g.chance(0.3)) o.orderValue = g.chance(0.5) ? { params: params(g, 'gammagamma') } : g.chance(0.9) ? { average: g.seen(g.number({ lo: 0.01, hi: 1e6 })) } : g.hostile();
  if (g.chance(0.05)) o[g.pick(['repurchase', 'customers', 'orderValue'])] = null;
  return o;
}
function merchant(g) {
  if (g.chance(0.05)) return g.hostile();
  const o = {};
  for (const [k, [lo, hi]] of Object.entries(merchantRanges)) if (g.chance(0.3)) o[k] = g.seen(g.number({ lo, hi }));
  return g.chance(0.3) ? fittedFields(g, o) : o;
}
/** Numbers off a shop backend for merchantFromBackend: plausible, extreme, sometimes wrong or hostile. */
function backendNumbers(g) {
  return g.options({ dailyExposure: () => g.number({ lo: 0, hi: g.pick([1e5, 1e8, 1e13]) }), ctr: () => g.number(), orderRate: () => g.number({ lo: 0, hi: 0.2 }), followers: () => g.number({ lo: 0, hi: 1e10 }), averageOrderValue: () => g.number({ lo: 0.01, hi: 1e6 }) });
}
function axes(g) {
  if (g.chance(0.05)) return g.hostile();
  return { contentQuality: g.column(g.int(1, 4), { lo: 0, hi: 1 }), followRate: g.column(g.int(1, 3), { lo: 0, hi: 1 }) };
}

function capOptions(g) {
  return g.options({ mode: () => g.pick(['cap', 'floor', 'blend', 'none']), blend: () => g.number() });
}
function allocOptions(g) {
  return g.options({
    budget: () => g.number({ lo: 1, hi: 1e7, int: true }), coldStartShare: () => g.number(), floor: () => g.number({ lo: 0, hi: 1e4 }),
    flooredPerCreator: () => g.number({ lo: 0, hi: 10, int: true }), tierQuotas: () => g.column(g.int(1, 6), { lo: 1, hi: 1e6 }),
    sharpen: () => g.number({ lo: 0.1, hi: 10 }), giniMax: () => g.number({ lo: 0, hi: 0.999 }), mode: () => g.pick(['cap', 'floor', 'blend']),
    blend: () => g.number(), coldStartFloor: () => g.number({ lo: 0, hi: 1e5 }), coldStartCeiling: () => g.number({ lo: 0, hi: 1e6 }),
    meritExponent: () => g.number({ lo: 0, hi: 10 }), meritWeights: () => g.column(3, { lo: 0, hi: 1 }), roiPrior: () => g.number({ lo: 0, hi: 10 }),
    roiPriorSpend: () => g.number({ lo: 0, hi: 1e5 }), maxRepairs: () => g.number({ lo: 0, hi: 10, int: true }), overflow: () => g.chance(0.5), seed: () => g.int(0, 1000),
  });
}
function request(g) {
  if (g.chance(0.05)) return g.hostile();
  const n = Math.max(1, g.size()), creators = g.int(1, 20);
  const items = { creator: g.integers(n, creators) };
  if (g.chance(0.6)) items.score = g.column(n, { lo: 0, hi: 1 });
  else { items.alpha = g.column(n, { lo: 0.1, hi: 50 }); items.beta = g.column(n, { lo: 0.1, hi: 500 }); }
  if (g.chance(0.2)) items.value = g.column(n, { lo: 0, hi: 100 });
  const c = g.chance(0.5) ? { count: creators, newMerchant: g.chance(0.5) ? Array.from({ length: creators }, () => g.chance(0.3)) : undefined, spend: g.opt(() => g.column(creators, { lo: 0, hi: 1e6 })), gmv: g.opt(() => g.column(creators, { lo: 0, hi: 1e6 })) } : undefined;
  return { items, creators: c, options: allocOptions(g) };
}
function platform(m, g) {
  return new m.TrafficPlatform({ creators: { count: g.int(1, 8) }, items: { creator: g.integers(g.int(0, 30), 1) }, options: { budget: g.int(100, 1e6), seed: g.int(0, 1000), ...(g.chance(0.3) ? { priorMean: g.valid({ lo: 0.001, hi: 0.5 }) } : {}) } });
}

/** Calls that make an object for a method, run `f` on it and free it. */
function on(make, f) {
  return (m, g) => {
    const o = make(m, g);
    try { return f(o, g, m); } finally { o.free(); }
  };
}
const onModel = (f, kinds) => on((m, g) => model(m, g, kinds), f);
const onCapper = (f) => on((m, g) => new m.GiniCapper(Array.from({ length: g.int(1, 50) }, () => g.valid({ lo: 0, hi: 100 }))), f);
const onPlatform = (f) => on(platform, f);
const onMarket = (f) => on((m, g) => new m.MarketModel({ seed: g.int(0, 1000), days: g.int(1, 10), population: { merchants: g.int(2, 40) } }), f);
const t = (g) => (g.chance(0.9) ? g.seen(g.number({ lo: 0, hi: g.pick([10, 100, 1000]) })) : g.pick([1e5, 1e7, g.hostile()]));
const horizons = (g) => g.column(g.int(1, 8), { lo: 0, hi: g.pick([10, 100, 1000]) });

/** `bytes` with a few bytes changed, cut, or repeated (a fresh copy). */
function mutate(g, bytes) {
  let b = bytes.slice(0, g.chance(0.3) ? g.int(0, bytes.length) : bytes.length);
  for (let k = g.int(0, 8); k > 0 && b.length; k--) b[g.int(0, b.length - 1)] = g.int(0, 255);
  if (g.chance(0.1) && b.length) { const r = new Uint8Array(b.length * 3); r.set(b); r.set(b, b.length); r.set(b, 2 * b.length); b = r; }
  return b;
}

/** An order export for readOrders: a fixture (mutated or not), text made of export pieces (as a string or UTF-8), random bytes, or a hostile value. */
function exportData(g) {
  const c = g.float();
  if (c < 0.25) return g.pick(FIXTURES);
  if (c < 0.45) return mutate(g, g.pick(FIXTURES));
  if (c < 0.8) {
    const rows = [];
    for (let r = g.int(0, g.chance(0.1) ? 3000 : 40); r > 0; r--) rows.push(Array.from({ length: g.int(1, 8) }, () => g.pick(PIECES)).join(g.pick([',', ',', '\t'])));
    const text = (g.chance(0.3) ? '买家ID,下单时间,实付款,订单编号\n' : '') + rows.join(g.pick(['\n', '\r\n']));
    return g.chance(0.5) ? text : new TextEncoder().encode(text);
  }
  if (c < 0.9) return Uint8Array.from({ length: g.size() }, () => g.int(0, 255));
  return g.hostile();
}

/** Options for readOrders: plausible values, sometimes wrong or hostile. */
function readOptions(g) {
  const column = () => (g.chance(0.4) ? g.int(-1, 12) : g.chance(0.5) ? g.pick(PIECES) : null);
  return g.options({
    encoding: () => g.pick(['utf-8', 'gbk', 'gb18030', 'utf-16le', 'utf-16be', 'latin1']), delimiter: () => g.pick([',', '\t', ';', '|', ' ', '::']),
    sheet: () => g.int(-1, 2), headerLine: () => g.number({ lo: 0, hi: 12, int: true }), customerColumn: column, timeColumn: column, amountColumn: column,
    orderColumn: column, statusColumn: column, refundStatusColumn: column, refundAmountColumn: column, amountScope: () => g.pick(['line', 'order', 'x']),
    dateOrder: () => g.pick(['ymd', 'dmy', 'mdy', 'x']), closedStatuses: () => (g.chance(0.8) ? Array.from({ length: g.int(0, 5) }, () => g.pick(PIECES)) : g.hostile()),
    refundedStatuses: () => [g.pick(PIECES)], excludeClosed: () => g.chance(0.5), excludeRefunded: () => g.chance(0.5), subtractRefunds: () => g.chance(0.5),
    epochOffsetMinutes: () => g.number({ lo: -1440, hi: 1440, int: true }), maxListed: () => g.number({ lo: 0, hi: 10_000, int: true }), groupColumn: column,
  });
}

/** How to call every exported function, constructor, method (`Class#m`) and getter (`Class.g`). */
export const CALLS = {
  version: (m) => m.version(),
  gini: (m, g) => m.gini(g.column(g.size(), { lo: 0, hi: g.pick([1, 1e6]) })),
  lorenz: (m, g) => m.lorenz(g.column(g.size(), { lo: 0, hi: 100 }), g.opt(() => g.number({ lo: 2, hi: 500, int: true }))),
  topShare: (m, g) => m.topShare(g.column(g.size(), { lo: 0, hi: 100 }), g.seen(g.number())),
  bottomShare: (m, g) => m.bottomShare(g.column(g.size(), { lo: 0, hi: 100 }), g.seen(g.number())),
  sampleExposure: (m, g) => m.sampleExposure(g.number({ lo: 1, hi: 2000, int: true }), g.options({ sigma: () => g.number({ lo: 0, hi: 10 }), seed: () => g.int(0, 2 ** 32 - 1) })),
  capGini: (m, g) => m.capGini(g.column(g.size(), { lo: 0, hi: g.pick([1, 1e6]) }), g.seen(g.number({ lo: 0, hi: 0.999 })), capOptions(g)),
  capGiniDetailed: (m, g) => m.capGiniDetailed(g.column(g.size(), { lo: 0, hi: 100 }), g.seen(g.number({ lo: 0, hi: 0.999 })), capOptions(g)),
  'new GiniCapper': (m, g) => new m.GiniCapper(g.column(g.size(), { lo: 0, hi: 100 })),
  'GiniCapper#solve': onCapper((c, g) => c.solve(g.seen(g.number({ lo: 0, hi: 0.999 })), capOptions(g))),
  'GiniCapper.gini': onCapper((c) => c.gini),
  allocate: (m, g) => m.allocate(request(g)),
  'new TrafficPlatform': (m, g) => new m.TrafficPlatform(g.chance(0.8) ? { creators: { count: g.number({ lo: 1, hi: 10, int: true }), spend: g.opt(() => g.column(3, { lo: 0, hi: 100 })) }, items: g.opt(() => ({ creator: g.integers(g.int(0, 10), 3) })), options: allocOptions(g) } : g.hostile()),
  'TrafficPlatform#runRound': onPlatform((p) => p.runRound()),
  'TrafficPlatform#observe': onPlatform((p, g) => { if (g.chance(0.8)) { const r = p.runRound(); return p.observe(g.chance(0.8) ? r.itemExposure.map((x) => Math.floor(x * g.float())) : g.column(r.itemExposure.length, { lo: 0, hi: 10, int: true })); } return p.observe(g.column(3)); }),
  'TrafficPlatform#addItems': onPlatform((p, g) => p.addItems(g.integers(g.int(0, 5), p.creatorCount), g.opt(() => g.options({ alpha: () => g.column(2, { lo: 0.1, hi: 10 }), beta: () => g.column(2, { lo: 0.1, hi: 10 }) })))),
  'TrafficPlatform#setMerit': onPlatform((p, g) => p.setMerit(g.options({ diligence: () => g.column(p.creatorCount, { lo: 0, hi: 10 }), spend: () => g.column(p.creatorCount, { lo: 0, hi: 1e6 }), gmv: () => g.column(p.creatorCount, { lo: 0, hi: 1e6 }) }))),
  'TrafficPlatform#tiers': onPlatform((p) => p.tiers()),
  'TrafficPlatform#active': onPlatform((p) => p.active()),
  'TrafficPlatform#posteriorMean': onPlatform((p) => p.posteriorMean()),
  'TrafficPlatform#alpha': onPlatform((p) => p.alpha()),
  'TrafficPlatform#beta': onPlatform((p) => p.beta()),
  'TrafficPlatform#used': onPlatform((p) => p.used()),
  'TrafficPlatform#thresholds': onPlatform((p) => p.thresholds()),
  'TrafficPlatform#capacities': onPlatform((p) => p.capacities()),
  'TrafficPlatform#newMerchants': onPlatform((p) => p.newMerchants()),
  'TrafficPlatform.day': onPlatform((p) => p.day),
  'TrafficPlatform.seed': onPlatform((p) => p.seed),
  'TrafficPlatform.itemCount': onPlatform((p) => p.itemCount),
  'TrafficPlatform.creatorCount': onPlatform((p) => p.creatorCount),
  'TrafficPlatform.awaitingObservation': onPlatform((p) => p.awaitingObservation),
  defaultScenario: (m) => m.defaultScenario(),
  presets: (m) => m.presets(),
  simulate: (m, g) => m.simulate(scenario(g)),
  sweep: (m, g) => m.sweep(scenario(g), axes(g)),
  'new MarketModel': (m, g) => new m.MarketModel(scenario(g)),
  'MarketModel#result': onMarket((x) => x.result()),
  'MarketModel#scenario': onMarket((x) => x.scenario()),
  'MarketModel#runMerchant': onMarket((x, g) => x.runMerchant(merchant(g))),
  'MarketModel#sweep': onMarket((x, g) => x.sweep(axes(g), g.opt(() => merchant(g)))),
  'MarketModel#sameRunWithGiniMax': onMarket((x, g) => x.sameRunWithGiniMax(g.seen(g.number({ lo: 0, hi: 0.999 })))),
  'MarketModel#merchantFromBackend': onMarket((x, g) => x.merchantFromBackend(backendNumbers(g) ?? {}, g.opt(() => merchant(g)))),
  'MarketModel#backendNumbers': onMarket((x, g) => x.backendNumbers(g.opt(() => merchant(g)))),
  merchantFromBackend: (m, g) => m.merchantFromBackend(backendNumbers(g) ?? {}, scenario(g)),
  summarizeOrders: (m, g) => {
    const n = g.size();
    const ids = g.chance(0.1) ? g.hostile() : g.chance(0.3) ? Uint32Array.from({ length: n }, () => g.int(0, 20)) : Array.from({ length: n }, () => g.pick(['a', 'b', 'c', '\uD800', '\uDC00', '\uFFFD', String(g.int(0, 50))]));
    const times = g.column(n, { lo: 0, hi: g.pick([30, 365, 1e4]) });
    const amounts = g.opt(() => g.column(n, { lo: 0, hi: g.pick([100, 1e6]) }), 0.4);
    const options = g.chance(0.1) ? g.hostile() : { calibrationEnd: g.seen(g.number({ lo: 0, hi: 400 })), ...g.options({ observationEnd: () => g.number({ lo: 0, hi: 800 }), periodDays: () => g.number({ lo: 0.1, hi: 30 }), unitDays: () => g.number({ lo: 0.1, hi: 30 }) }) };
    return m.summarizeOrders(ids, times, amounts, options);
  },
  readOrders: (m, g) => m.readOrders(exportData(g), readOptions(g)),
  sheetText: (m, g) => {
    const c = g.float();
    const book = FIXTURES[3];
    const data = c < 0.6 ? book : c < 0.8 ? mutate(g, book) : c < 0.9 ? g.pick(FIXTURES) : g.hostile();
    return m.sheetText(data, g.options({ sheet: () => (g.chance(0.5) ? g.int(-1, 2) : g.pick(['订单', 'Sheet1', ''])) }));
  },
  cohortRepurchase: (m, g) => {
    const n = g.size();
    const ids = g.chance(0.1) ? g.hostile() : g.chance(0.4) ? Uint32Array.from({ length: n }, () => g.int(0, 30)) : Array.from({ length: n }, () => g.pick(['a', 'b', 'c', '\uD800', String(g.int(0, 50))]));
    const days = g.column(n, { lo: g.pick([0, 19000]), hi: g.pick([19030, 19400, 30000]) });
    return m.cohortRepurchase(ids, days, g.options({ windows: () => g.column(g.int(0, 5), { lo: 1, hi: g.pick([30, 400, 40000]) }), end: () => g.number({ lo: 19000, hi: 20000 }) }));
  },
  segmentCustomers: (m, g) => {
    const n = g.size();
    const [x, tx, t] = g.customers(n, true);
    return m.segmentCustomers(g.column(n, { lo: 0, hi: 1 }), g.column(n, { lo: 0, hi: g.pick([1, 10, 1e6]) }), x, tx, t, g.options({
      value: () => g.column(n, { lo: 0, hi: g.pick([100, 1e300]) }), unitDays: () => g.number({ lo: 0.1, hi: 30 }), newDays: () => g.number({ lo: 0, hi: 90 }),
      activeAlive: () => g.number(), activeExpected: () => g.number({ lo: 0, hi: 1 }), lostAlive: () => g.number({ lo: 0, hi: 0.5 }), lostExpected: () => g.number({ lo: 0, hi: 0.1 }),
    }));
  },
  fitBgNbd: (m, g) => m.fitBgNbd(...g.customers(g.size(), true), g.options({ weights: () => g.column(3), maxIterations: () => g.number({ lo: 1, hi: 300, int: true }) })),
  fitModifiedBgNbd: (m, g) => m.fitModifiedBgNbd(...g.customers(g.size(), true), g.options({ maxIterations: () => g.number({ lo: 1, hi: 300, int: true }) })),
  fitParetoNbd: (m, g) => m.fitParetoNbd(...g.customers(g.int(0, 60), true), g.options({ maxIterations: () => g.number({ lo: 1, hi: 100, int: true }) })),
  fitGammaGamma: (m, g) => { const n = g.size(); return m.fitGammaGamma(g.column(n, { lo: 0, hi: 20, int: true }), g.column(n, { lo: 0.01, hi: g.pick([100, 1e6]) }), g.options({ maxIterations: () => g.number({ lo: 1, hi: 300, int: true }) })); },
  repurchaseModel: (m, g) => { const kind = g.chance(0.95) ? g.pick(Object.keys(MODEL_PARAMS)) : g.hostile(); return m.repurchaseModel(kind, g.chance(0.9) ? params(g, MODEL_PARAMS[kind] ? kind : 'bgnbd') : g.hostile()); },
  'RepurchaseModel#probabilityAlive': onModel((o, g) => o.probabilityAlive(...g.customers(g.size(), true))),
  'RepurchaseModel#expectedPurchases': onModel((o, g) => o.expectedPurchases(t(g), ...g.customers(g.size(), true))),
  'RepurchaseModel#probabilityOfRepurchase': onModel((o, g) => o.probabilityOfRepurchase(t(g), ...g.customers(g.size(), true))),
  'RepurchaseModel#newCustomerRepurchase': onModel((o, g) => o.newCustomerRepurchase(horizons(g))),
  'RepurchaseModel#newCustomerExpectedPurchases': onModel((o, g) => o.newCustomerExpectedPurchases(horizons(g))),
  'RepurchaseModel#logLikelihoodOf': onModel((o, g) => o.logLikelihoodOf(...g.customers(g.size(), true))),
  'RepurchaseModel#merchantSummary': onModel((o, g) => o.merchantSummary(...g.customers(g.size(), true), g.options({ unitDays: () => g.number({ lo: 1e-3, hi: 3660 }), aliveThreshold: () => g.number() }))),
  'RepurchaseModel#holdoutCheck': onModel((o, g) => { const n = g.size(); return o.holdoutCheck(...g.customers(n), g.column(n, { lo: 0, hi: 10, int: true }), g.seen(g.number({ lo: 0, hi: 100 })), g.options({ maxFrequency: () => g.number({ lo: 1, hi: 20, int: true }) })); }),
  'RepurchaseModel#expectedSpend': onModel((o, g) => { const n = g.size(); return o.expectedSpend(g.column(n, { lo: 0, hi: 20, int: true }), g.column(n, { lo: 0, hi: g.pick([100, 1e6]) })); }, ['gammagamma']),
  'RepurchaseModel#customerLifetimeValue': on((m, g) => model(m, g, ['gammagamma']), (o, g, m) => {
    const tx = model(m, g);
    try {
      const n = Math.min(g.size(), 100);
      return o.customerLifetimeValue(tx, ...g.customers(n), g.column(n, { lo: 0, hi: 100 }), g.options({ months: () => g.number({ lo: 1, hi: 24, int: true }), monthlyDiscountRate: () => g.number({ lo: 0, hi: 0.1 }), unitsPerMonth: () => g.number({ lo: 1, hi: 31 }) }));
    } finally { tx.free(); }
  }),
  ...Object.fromEntries(COV_FITS.map((name) => [name, small((m, g) => { const n = g.int(0, 60); return m[name](...g.customers(n, true), covariateTable(g, n), g.options({ weights: () => g.column(n), maxIterations: () => g.number({ lo: 1, hi: 50, int: true }) })); })])),
  oneHot: small((m, g) => {
    const n = g.size();
    const col = g.chance(0.08) ? g.hostile() : Array.from({ length: n }, () => (g.chance(0.002) ? hostileSmall(g) : g.pick(['直播间', '短视频', '商品卡', '', '\uD800', 'x'.repeat(g.pick([1, 250]))])));
    return m.oneHot(col, g.options({ reference: () => (g.chance(0.9) ? g.pick(['直播间', '短视频', '商品卡', '团购']) : hostileSmall(g)) }));
  }),
  'CovariateRepurchaseModel#probabilityAlive': onCovariates((o, g) => { const n = g.size(); return o.probabilityAlive(...g.customers(n, true), covariateRows(g, n, o.names.length)); }),
  'CovariateRepurchaseModel#expectedPurchases': onCovariates((o, g) => { const n = g.size(); return o.expectedPurchases(t(g), ...g.customers(n, true), covariateRows(g, n, o.names.length)); }),
  'CovariateRepurchaseModel#probabilityOfRepurchase': onCovariates((o, g) => { const n = g.size(); return o.probabilityOfRepurchase(t(g), ...g.customers(n, true), covariateRows(g, n, o.names.length)); }),
  'CovariateRepurchaseModel#logLikelihoodOf': onCovariates((o, g) => { const n = g.size(); return o.logLikelihoodOf(...g.customers(n, true), covariateRows(g, n, o.names.length)); }),
  'CovariateRepurchaseModel#modelFor': onCovariates((o, g) => o.modelFor(g.chance(0.9) ? g.column(o.names.length, { lo: -3, hi: 3 }) : g.column(g.int(0, 4)))),
  ...Object.fromEntries(['model', 'params', 'standardErrors', 'names', 'coefficients', 'logLikelihood', 'logLikelihoodWithout', 'iterations', 'converged', 'boundary', 'message', 'customers'].map((k) => [`CovariateRepurchaseModel.${k}`, onCovariates((o) => o[k])])),

  'RepurchaseModel#merchantSummaryIntervals': onFitted((o, g) => o.merchantSummaryIntervals(...g.customers(g.size(), true), intervalOptions(g, { unitDays: () => g.number({ lo: 1e-3, hi: 3660 }), aliveThreshold: () => g.number() }))),
  'RepurchaseModel#expectedPurchasesIntervals': onFitted((o, g) => o.expectedPurchasesIntervals(t(g), ...g.customers(g.size(), true), intervalOptions(g))),
  'RepurchaseModel#customerLifetimeValueIntervals': on((m, g) => fitted(m, g, ['gammagamma']), (o, g, m) => {
    const tx = fitted(m, g);
    try {
      const n = Math.min(g.size(), 100);
      return o.customerLifetimeValueIntervals(tx, ...g.customers(n), g.column(n, { lo: 0, hi: 100 }), intervalOptions(g, { months: () => g.number({ lo: 1, hi: 24, int: true }), monthlyDiscountRate: () => g.number({ lo: 0, hi: 0.1 }), unitsPerMonth: () => g.number({ lo: 1, hi: 31 }) }));
    } finally { tx.free(); }
  }),
  'RepurchaseModel.model': onModel((o) => o.model),
  'RepurchaseModel.params': onModel((o) => o.params),
  'RepurchaseModel.logLikelihood': onModel((o) => o.logLikelihood),
  'RepurchaseModel.standardErrors': onModel((o) => o.standardErrors),
  'RepurchaseModel.iterations': onModel((o) => o.iterations),
  'RepurchaseModel.converged': onModel((o) => o.converged),
  'RepurchaseModel.boundary': onModel((o) => o.boundary),
  'RepurchaseModel.message': onModel((o) => o.message),
  'RepurchaseModel.customers': onModel((o) => o.customers),
};

/** Non-finite values the documentation allows, by result field or by call (`*` for the whole result). */
export const NON_FINITE_ALLOWED = {
  tau: (x) => x === Infinity, // nothing capped
  threshold: (x) => x === Infinity, // nothing capped
  lambda: (x) => x === Infinity, // λ above the largest double: the uncapped creators held < 2⁻¹⁰²⁴ of the total (CapGiniResult.lambda)
  capLevel: (x) => x === Infinity, // the cap does not bind
  predicted: Number.isNaN, // an empty frequency group
  actual: Number.isNaN, // an empty frequency group
  'TrafficPlatform#capacities': (x) => x === Infinity, // no limit
  'RepurchaseModel.standardErrors': Number.isNaN, // unavailable, e.g. at a boundary
  'CovariateRepurchaseModel.standardErrors': Number.isNaN, // unavailable (a singular Hessian)
  standardError: Number.isNaN, // a coefficient not identified, or no standard errors
  liftLow: Number.isNaN, // the same
  liftHigh: Number.isNaN, // the same
};

/** Every exported function, constructor, method and getter, named as in `CALLS`. */
export function surface(m) {
  const names = [];
  for (const [name, value] of Object.entries(m)) {
    if (typeof value !== 'function' || ['initSync', 'default'].includes(name)) continue;
    if (!/^class\b/.test(Function.prototype.toString.call(value))) { names.push(name); continue; }
    names.push(`new ${name}`);
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      if (['constructor', 'free', '__destroy_into_raw'].includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(value.prototype, key);
      if (typeof d.value === 'function') names.push(`${name}#${key}`);
      else if (d.get) names.push(`${name}.${key}`);
    }
  }
  return names.filter((n) => !/^new (RepurchaseModel|CovariateRepurchaseModel)$/.test(n));
}
