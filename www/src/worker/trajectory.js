// The traffic views' figures from the package's results.

const SERIES = ['publicExposure', 'privateExposure', 'followers', 'firstPurchases', 'repurchases', 'gmv'];
// the live room's parts, and the followers' GMV (its share of a day's GMV is the fan purchase rate, 粉丝购买率)
const LIVE_SERIES = ['liveByDay', 'liveExposure', 'liveGmv'];
const SUMS = ['publicExposure', 'privateExposure', 'firstPurchases', 'repurchases', 'existingRepurchases', 'gmv', 'liveGmv', 'privateGmv'];

/** Totals over the first `n` days (null when the run is shorter): sums, the last day's followers, live days. */
function windowTotals(tr, n) {
  const len = tr.publicExposure.length;
  if (len < n) return null;
  const out = { followers: tr.followers[n - 1], liveDays: 0 };
  for (const k of SUMS) {
    let s = 0;
    const a = tr[k];
    if (a) for (let i = 0; i < n; i++) s += a[i];
    out[k] = a ? s : NaN;
  }
  if (tr.liveByDay) for (let i = 0; i < n; i++) out.liveDays += tr.liveByDay[i] > 0 ? 1 : 0;
  out.liveGmvShare = out.gmv > 0 ? out.liveGmv / out.gmv : NaN;
  out.fanRate = out.gmv > 0 ? out.privateGmv / out.gmv : NaN;
  return out;
}

/**
 * The live sessions over the run: fan purchase rate (followers' share of
 * GMV) on live days and on the other days, and each big day's figures.
 * `bigDays`: 0-based days of the scenario's marketing big days.
 */
function liveSummary(tr, bigDays) {
  const n = tr.gmv.length;
  const live = { gmv: 0, fans: 0 }, off = { gmv: 0, fans: 0 };
  for (let i = 0; i < n; i++) {
    const o = tr.liveByDay?.[i] > 0 ? live : off;
    o.gmv += tr.gmv[i];
    o.fans += tr.privateGmv?.[i] ?? NaN;
  }
  const rate = (o) => (o.gmv > 0 ? o.fans / o.gmv : NaN);
  const big = (bigDays ?? []).filter((d) => Number.isInteger(d) && d >= 0 && d < n).map((d) => ({
    day: d + 1,
    gmv: tr.gmv[d],
    liveGmv: tr.liveGmv?.[d] ?? NaN,
    fanRate: tr.gmv[d] > 0 ? (tr.privateGmv?.[d] ?? NaN) / tr.gmv[d] : NaN,
    // the seed article's figure: GMV per 1,000 follow-page exposures of the live room
    gmvPer1000FollowPage: tr.livePrivateExposure?.[d] > 0 ? (1000 * (tr.livePrivateGmv?.[d] ?? NaN)) / tr.livePrivateExposure[d] : NaN,
  }));
  return { fanRateLive: rate(live), fanRateOff: rate(off), big };
}

export function packTrajectory(tr, copy, bigDays) {
  const series = {};
  for (const k of [...SERIES, ...LIVE_SERIES]) if (tr[k]) series[k] = copy ? tr[k].slice() : tr[k];
  const days = tr.publicExposure.length;
  return {
    series,
    d30: windowTotals(tr, 30),
    d90: windowTotals(tr, 90),
    all: windowTotals(tr, days),
    live: liveSummary(tr, bigDays),
    // the cohort rates a shop backend reports (30天复购率), and the model's forward-looking chance for a new customer: two figures, two names
    repurchaseRate30: tr.repurchaseRate30,
    repurchaseRate90: tr.repurchaseRate90,
    repurchaseChance30: tr.repurchaseChance30,
    repurchaseChance90: tr.repurchaseChance90,
    exposurePercentile: tr.exposurePercentile,
    capped: tr.capped,
    cappedDays: tr.cappedDays,
  };
}

/** The platform view's figures from a market's result `r` and the merchant's run `me`. */
export function platformFigures(r, me, { preview, marketMs: builtMs, t0 }) {
  const p = r.population;
  const last = (a) => (a && a.length ? a[a.length - 1] : NaN);
  const mean = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return a.length ? s / a.length : NaN; };
  return {
    days: r.days,
    x: Float64Array.from({ length: p.gini.length }, (_, i) => i + 1),
    gini: p.gini.slice(),
    top10Share: p.top10Share.slice(),
    bottom50Share: p.bottom50Share.slice(),
    longTailPlayShare: p.longTailPlayShare.slice(),
    lorenz: { population: r.lorenz.population.slice(), share: r.lorenz.share.slice() },
    final: { gini: last(p.gini), top10Share: last(p.top10Share), bottom50Share: last(p.bottom50Share), longTailPlayShare: mean(p.longTailPlayShare) },
    exposurePercentile: me.exposurePercentile,
    capped: me.capped,
    cappedDays: me.cappedDays,
    // a preview's market: { merchants, of } (the full market's merchants); null for the full market's figures
    preview,
    marketMs: builtMs,
    ms: performance.now() - t0,
  };
}

