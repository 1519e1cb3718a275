// DEVELOPMENT ONLY — never shipped, never used by the e2e tests against www/dist.
// A toy stand-in with the *shapes* of the package functions the explorer calls
// but that the package does not export yet (simulate, MarketModel, presets,
// defaultScenario, summarizeOrders, fitBgNbd…), so the views can be laid out
// and looked at before the real engine lands. Its numbers mean nothing.
// Build with: SHIJING_FAKE_ENGINE=1 npx vite build --outDir /tmp/…/dist-fake --emptyOutDir
export * from '../../pkg/shijing.js';
export { default } from '../../pkg/shijing.js';

const DEFAULT = {
  seed: 42, days: 180, population: { merchants: 2000 },
  platform: { budget: 1e8, giniMax: 0.6, giniMode: 'cap', blend: 0.5, coldStartShare: 0.2 },
  merchant: { contentQuality: 0.5, followRate: 0.05, price: 80, trust: 0.5, diligence: 0.5, followers: 0, adSpend: 0, ageDays: 0 },
  events: {},
};
export function defaultScenario() { return structuredClone(DEFAULT); }
export function presets() {
  return [
    { id: 'default', name: { zh: '普通新商家', en: 'Typical new merchant' }, description: { zh: '默认设置', en: 'The defaults' }, scenario: {} },
    { id: 'womens-wear', name: { zh: '女装新商家', en: "New women's-wear merchant" }, description: { zh: '冷启动，短视频起量', en: 'Cold start, short videos' }, scenario: { merchant: { contentQuality: 0.8, followRate: 0.08, price: 120, diligence: 0.9 } } },
    { id: 'quick-brand', name: { zh: '快品牌', en: 'Quick brand' }, description: { zh: '私域曝光价值高', en: 'High follow-page value' }, scenario: { merchant: { contentQuality: 0.7, followRate: 0.12, price: 700, trust: 0.8, followers: 200000 } } },
    { id: 'trusted-brand', name: { zh: '信任品牌', en: 'Trusted brand' }, description: { zh: '30天复购40%', en: '40% repurchase in 30 days' }, scenario: { merchant: { contentQuality: 0.6, followRate: 0.1, trust: 0.95, followers: 1000000, price: 90 } } },
  ];
}
function run(sc, m) {
  const days = sc.days, p = sc.platform;
  const out = { publicExposure: new Float64Array(days), privateExposure: new Float64Array(days), followers: new Float64Array(days), firstPurchases: new Float64Array(days), repurchases: new Float64Array(days), gmv: new Float64Array(days) };
  const cap = p.budget * (1 - p.giniMax) * 0.0004;
  let fans = m.followers, capped = 0;
  for (let d = 0; d < days; d++) {
    let pub = p.budget * 1e-4 * m.contentQuality ** 2 * (0.5 + m.trust) * (0.5 + m.diligence) * (1 + m.adSpend / 1e4) * (1 + 0.3 * Math.sin(d / 9));
    if (pub > cap) { pub = cap; capped++; }
    const t0 = pub * 0.002 * (0.3 + m.contentQuality) * (m.trust + 0.2) * Math.sqrt(80 / m.price);
    fans += pub * m.followRate * 0.05;
    const priv = fans * 0.3 * (0.3 + m.diligence);
    const rep = priv * 0.004 * m.trust * (0.5 + m.contentQuality);
    Object.assign(out, {});
    out.publicExposure[d] = pub; out.privateExposure[d] = priv; out.followers[d] = fans; out.firstPurchases[d] = t0; out.repurchases[d] = rep; out.gmv[d] = (t0 + rep) * m.price;
  }
  return { ...out, repurchaseRate30: 0.1 + 0.3 * m.trust, repurchaseRate90: 0.2 + 0.5 * m.trust, exposurePercentile: Math.min(0.999, 0.3 + 0.6 * m.contentQuality), capped: capped > 0, cappedDays: capped };
}
const merge = (sc) => ({ ...DEFAULT, ...sc, platform: { ...DEFAULT.platform, ...sc?.platform }, merchant: { ...DEFAULT.merchant, ...sc?.merchant } });
export class MarketModel {
  constructor(sc) { this.sc = merge(sc); }
  runMerchant(m) { return run(this.sc, { ...this.sc.merchant, ...m }); }
  sweep(axes, m) {
    const R = axes.contentQuality.length, C = axes.followRate.length;
    const res = { shape: [R, C], contentQuality: Float64Array.from(axes.contentQuality), followRate: Float64Array.from(axes.followRate), publicExposure: new Float64Array(R * C), privateExposure: new Float64Array(R * C), followers: new Float64Array(R * C), gmv: new Float64Array(R * C) };
    const sc = { ...this.sc, days: 90 };
    for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) {
      const t = run(sc, { ...this.sc.merchant, ...m, contentQuality: axes.contentQuality[i], followRate: axes.followRate[j] });
      const sum = (a) => a.reduce((x, y) => x + y, 0);
      res.publicExposure[i * C + j] = sum(t.publicExposure); res.privateExposure[i * C + j] = sum(t.privateExposure); res.followers[i * C + j] = t.followers[89]; res.gmv[i * C + j] = sum(t.gmv);
    }
    return res;
  }
  free() {}
}
export function simulate(sc) {
  const s = merge(sc);
  const days = s.days;
  const g = 0.3 + 0.5 * s.platform.giniMax;
  const pts = 101;
  const pop = Float64Array.from({ length: pts }, (_, i) => i / (pts - 1));
  const share = pop.map((x) => x ** (1 + 3 * g));
  const series = (f) => Float64Array.from({ length: days }, (_, d) => f(d));
  return {
    seed: s.seed, days, merchant: run(s, s.merchant),
    population: { gini: series((d) => g * (1 - 0.2 * Math.exp(-d / 20))), top10Share: series(() => 0.2 + 0.5 * g), bottom50Share: series(() => 0.25 - 0.2 * g), longTailPlayShare: series(() => 0.9 - 0.3 * g) },
    lorenz: { population: pop, share },
  };
}
// ---- repurchase: a real summary; the "fit" returns fixed CDNOW BG/NBD numbers
export function summarizeOrders(cust, times, amounts, { calibrationEnd, observationEnd, unitDays = 1 }) {
  const periodDays = unitDays;
  let n = 0;
  for (let i = 0; i < cust.length; i++) if (cust[i] >= n) n = cust[i] + 1;
  const first = new Float64Array(n).fill(Infinity), last = new Float64Array(n).fill(-Infinity);
  const days = Array.from({ length: n }, () => new Set());
  const hold = Array.from({ length: n }, () => new Set());
  const spend = new Float64Array(n);
  for (let i = 0; i < cust.length; i++) {
    const c = cust[i], t = times[i];
    if (t <= calibrationEnd) { days[c].add(t); if (t < first[c]) first[c] = t; if (t > last[c]) last[c] = t; if (amounts) spend[c] += amounts[i]; }
    else if (observationEnd !== undefined && t <= observationEnd) hold[c].add(t);
  }
  const ids = [];
  for (let c = 0; c < n; c++) if (first[c] < Infinity) ids.push(c);
  const f = new Float64Array(ids.length), r = new Float64Array(ids.length), T = new Float64Array(ids.length), mon = new Float64Array(ids.length), hf = new Float64Array(ids.length);
  ids.forEach((c, k) => { f[k] = days[c].size - 1; r[k] = (last[c] - first[c]) / periodDays; T[k] = (calibrationEnd - first[c]) / periodDays; mon[k] = spend[c] / days[c].size; hf[k] = hold[c].size; });
  return { customers: Uint32Array.from(ids), frequency: f, recency: r, T, monetary: mon, ...(observationEnd !== undefined ? { holdoutFrequency: hf } : {}) };
}
function hyp2f1(a, b, c, z) { let s = 1, term = 1; for (let k = 0; k < 500; k++) { term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z; s += term; if (Math.abs(term) < 1e-14 * Math.abs(s)) break; } return s; }
function bg(params) {
  const { r, alpha, a, b } = params;
  const each = (n, fn) => Float64Array.from({ length: n }, (_, i) => fn(i));
  const alive = (x, tx, T) => (x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x)));
  return {
    params, logLikelihood: -9582.43, converged: true,
    probabilityAlive: (f, rc, T) => each(f.length, (i) => alive(f[i], rc[i], T[i])),
    expectedPurchases: (t, f, rc, T) => each(f.length, (i) => {
      const x = f[i], z = t / (alpha + T[i] + t);
      const num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T[i]) / (alpha + T[i] + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
      return num / (1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T[i]) / (alpha + rc[i])) ** (r + x) : 0));
    }),
    probabilityOfRepurchase: (t, f, rc, T) => each(f.length, (i) => alive(f[i], rc[i], T[i]) * (1 - ((alpha + T[i]) / (alpha + T[i] + t)) ** (r + f[i]))),
    free() {},
  };
}
export function fitBgNbd() { return bg({ r: 0.2425929, alpha: 4.4135323, a: 0.7928860, b: 2.4257524 }); }
export function fitModifiedBgNbd() { return bg({ r: 0.5248377, alpha: 6.1829885, a: 0.8913563, b: 1.6140000 }); }
export function fitParetoNbd() { throw new Error('fitParetoNbd: fake engine has no Pareto/NBD'); }
