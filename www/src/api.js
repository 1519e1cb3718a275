// What the page can ask the worker for: small compositions of package calls,
// so one round trip answers one view. Every function returns plain objects
// and typed arrays (transferred, not copied).
//
// The package comes in two halves, each its own Wasm: `shijing/traffic`
// (allocation, funnel, simulation) is imported here and instantiated by the
// worker at start; `shijing/repurchase` is fetched and compiled the first time
// the repeat-customer view needs it (a page opened on it, or an order file
// picked), so the traffic views never download it. The halves are imported as namespaces, so a
// function missing from a build shows as a clear "not available" state.
// The merchant's own fitted process (用我的店铺数据模拟, `scenario.myShop`) is in
// the whole package only (`shijing`: it joins both halves; the traffic half
// stays within its size budget without it, and rejects those fields): the
// whole package's Wasm is fetched when the merchant clicks it, never before,
// and the traffic views run their requests with the shop's data on it.
import * as pkg from '../../pkg/traffic/shijing.js';
import { startState, scenarioOf } from './state.js';
import { firstOf } from './first.js';

const has = (name, m = pkg) => typeof m[name] === 'function';
const coded = (code, message) => Object.assign(new Error(message), { code });

/**
 * A package part loaded and initialized once by `load` (a literal dynamic
 * import, so the bundler splits it), loaded again after a failed load. Each
 * part's manual-init entry, not the zero-config one: a failed top-level await
 * (the Wasm's fetch failed) would stay failed in this worker's module map,
 * where `init()` can be called again.
 */
function lazyPart(load) {
  let part = null;
  return () => {
    part ??= load()
      .then(async (m) => { await m.default(); return m; })
      .catch((e) => { part = null; throw e; });
    return part;
  };
}
/** The repurchase half. */
const repurchasePart = lazyPart(() => import('../../pkg/repurchase/shijing.js'));
/** The whole package (`shijing`, with the merchant's fitted process). */
const wholePackage = lazyPart(() => import('../../pkg/shijing.js'));

/** The package module a scenario runs on: the whole package with the shop's data, else the traffic half. */
async function moduleFor(sc) {
  return sc.myShop ? wholePackage() : pkg;
}

/**
 * `shijing/covariates` (the repurchase models with the covariate fits and
 * `oneHot`), loaded only when the merchant chooses a column to compare groups by.
 */
const covariatesPart = lazyPart(() => import('../../pkg/covariates/shijing.js'));
/** Starts loading the repurchase half; a failure is reported by the call that needs it. */
function preloadRepurchase(fitNext) {
  repurchasePart().then((rep) => setTimeout(() => warmRepeat(rep, fitNext)), () => {});
}

let prewarmed = false;

/**
 * Which parts of the package this build has, its defaults and presets.
 * `repeat`: the repurchase half ships with every build of the explorer (the
 * bundler fails without it); it is loaded on first use, so it is not asked here.
 * The first call also starts building the market the page opened at `search`
 * will ask for (`prewarm`), right after this answer is sent.
 * @param {string} [search] the page's query string (`location.search`)
 */
export function meta(search) {
  const sim = has('simulate') && has('MarketModel') && has('defaultScenario') && has('presets');
  const out = {
    version: has('version') ? pkg.version() : '?',
    sim,
    repeat: true,
    defaults: sim ? pkg.defaultScenario() : null,
    presets: sim ? pkg.presets() : [],
    // worker.js's start and Wasm-ready times (absolute ms), for the page's marks
    timing: globalThis.shijingWorkerTiming ?? null,
  };
  if (!prewarmed) {
    prewarmed = true;
    // A failure here is reported by the page's first request, which meets it again.
    setTimeout(() => { try { prewarm(search, out); } catch { /* see above */ } });
  }
  return out;
}

/**
 * Run by the worker right after it answers `meta` for a page opened at
 * `search`: builds the market that page's first view will ask for, while
 * the page lays out its views (its request then finds the market built).
 * The repeat-customer view needs no market: its half of the package is
 * loaded instead.
 */
export function prewarm(search, meta) {
  if (typeof search !== 'string' || !meta?.sim) return;
  const s = startState(search, meta);
  if (s.v === 'repeat') preloadRepurchase({ model: s.model, unitDays: Number(s.unit) });
  else marketFor(scenarioOf(s), 'prewarm');
}

// ---------------------------------------------------------------- the merchant's file first

/**
 * From the start of a file's read in the 回头客 view to the end of the fit
 * the page asks for right after it, the traffic views' requests wait: a
 * market build (0.2–0.5 s) would otherwise run in this worker while the read
 * waits for the file's bytes, or between the read and the fit, and hold up
 * the merchant's predictions by as much (a tab visited while a file is read:
 * the 1M-line export's e2e test). They run as soon as the fit is done.
 * `release` ends the hold: at the end of the fit, of a read no fit follows,
 * of a newer read, or after FIT_WAIT_MS if the page's fit never comes.
 */
let repeatHold = null;
const FIT_WAIT_MS = 2000, RELEASE_DELAY_MS = 150;
function holdForRepeat() {
  repeatHold?.release();
  let open;
  const hold = {
    done: new Promise((r) => { open = r; }),
    timer: 0,
    release() {
      clearTimeout(hold.timer);
      if (repeatHold === hold) repeatHold = null;
      // later, in a task of its own: the answer of the call that ends the hold is sent first
      // (in microtasks after this: a waiting market build would run before them), and the page
      // draws the predictions before a market build shares the machine with it (the 1M-line
      // export's e2e test at load 4-6: results drawn in 142-211 ms with the build beside them,
      // 46-52 ms with it RELEASE_DELAY_MS later)
      setTimeout(open, RELEASE_DELAY_MS);
    },
    /** A fit follows: held until it ends, FIT_WAIT_MS at most if it does not come. */
    untilFit() { hold.timer = setTimeout(hold.release, FIT_WAIT_MS); },
  };
  repeatHold = hold;
  return hold;
}
async function afterRepeat() {
  while (repeatHold) await repeatHold.done;
}

// ---------------------------------------------------------------- traffic

function requireSim() {
  if (!has('MarketModel') || !has('simulate')) throw coded('E_NO_SIM', 'the simulation is not in this build of the package');
}

let presetList = null;
function presetScenario(id) {
  if (!id || id === 'default' || !has('presets')) return {};
  presetList ??= pkg.presets();
  return presetList.find((p) => p.id === id)?.scenario ?? {};
}

/** The full scenario: preset (population, events, …) + the page's days, seed, platform and merchant. */
function fullScenario({ preset, days, seed, platform, merchant }) {
  const base = presetScenario(preset);
  return {
    ...base,
    days,
    seed,
    platform: { ...(base.platform ?? {}), ...platform },
    merchant: { ...(base.merchant ?? {}), ...merchant },
  };
}

let market = null;
let marketKey = '';
let marketRest = ''; // marketKey without the Gini limit (sameRun)
let marketMs = 0; // how long the current market took to build
let marketFrom = ''; // who built it: 'prewarm' or the request that needed it
let marketGen = 0; // counts the markets built: the caches below are keyed on it (a same-run market keeps them)
let baselineCache = { key: '', value: null };
let platformCache = { key: '', value: null };

/**
 * One MarketModel per platform/population setting; re-created only when
 * those change. It is built with the preset's own merchant, never the
 * sliders' (the focus merchant is part of the market it runs), so a link
 * gives the same numbers whatever was moved before it was copied.
 */
function marketFor(sc, from = 'request', lib = pkg) {
  const key = marketKeyOf(sc);
  // a Gini limit the run never met: the market is the same run, kept with its caches
  if (key !== marketKey && sameRun(sc, lib)) marketKey = key;
  if (key !== marketKey || !market) {
    market?.free?.();
    market = null;
    const t0 = performance.now();
    market = new lib.MarketModel(marketScenario(sc, lib));
    marketMs = performance.now() - t0;
    marketFrom = from;
    marketKey = key;
    marketRest = marketKeyBesidesGiniMax(sc);
    marketGen++;
  }
  return market;
}

/** What a market depends on: the page's preset, days, seed, platform rules and the shop's data. */
const marketKeyOf = (sc) => JSON.stringify({ p: sc.preset, d: sc.days, s: sc.seed, pl: sc.platform, shop: sc.myShop ? shopData(sc.myShop).id : 0 });
/** The same key without the Gini limit. */
const marketKeyBesidesGiniMax = (sc) => marketKeyOf({ ...sc, platform: { ...sc.platform, giniMax: undefined } });

/**
 * Whether the current market is the run `sc` asks for although its key
 * differs: only the Gini limit changed, and the market's run is the same
 * with the new limit (MarketModel.sameRunWithGiniMax: the limit bound on
 * no day and the new one is above every day's Gini). With the default
 * scenario, whose daily Gini stays within 0.52–0.59, the limit slider
 * anywhere from there up to 0.99 keeps the market.
 */
function sameRun(sc, lib) {
  if (!market || !market.sameRunWithGiniMax) return false;
  if (marketKeyBesidesGiniMax(sc) !== marketRest) return false;
  const g = marketScenario(sc, lib).platform.giniMax ?? defaults().platform.giniMax;
  return market.sameRunWithGiniMax(g);
}

/** The full scenario a market of `sc` runs. */
function marketScenario(sc, lib) {
  const shop = sc.myShop ? shopData(sc.myShop) : null;
  // the shop's data needs the whole package (wholePackage); a market of the traffic half cannot take it
  if (shop && lib === pkg) throw coded('E_NO_SHOP', 'my-shop data needs the whole package');
  // with the merchant's own data, the market's focus merchant is the shop as it started (the sliders when
  // "用我的店铺数据模拟" was pressed, with the fitted process): the core reproduces the fit at those settings
  // and scales it from there as the sliders move
  return fullScenario({ ...sc, merchant: shop ? { ...shop.start, ...shop.merchant } : {} });
}

/**
 * Merchants in the platform view's preview: while a platform slider moves,
 * the view first shows the market of this many merchants, labelled as a
 * preview, then the full market's result. A tenth of the default 10,000
 * builds in about a tenth of the time (≈ 25 ms in Node against 220 ms).
 * The platform's budget is scaled with the merchants, so every merchant's
 * share of it, the cold-start pool's per new merchant included, is the full
 * market's. Its figures are an estimate, which is why the page labels them:
 * over the four presets and seeds 1 and 2, its day-90 Gini was within 0.06
 * of the full market's (default, seed 1: 0.561 against 0.556; the
 * womens-wear preset, 若衣轻奢定制: 0.501 against 0.558, its large focus
 * merchant weighs more among 1,000), and 2,000 or 2,500 merchants came no
 * closer. Under a binding limit both sit at it (giniMax 0.4: 0.400 and 0.400).
 */
export const PREVIEW_MERCHANTS = 1000;

/** The preview's scenario for a full scenario of `merchants` merchants. */
function previewScenario(full, merchants) {
  const budget = full.platform.budget ?? defaults().platform.budget;
  return {
    ...full,
    population: { ...(full.population ?? {}), merchants: PREVIEW_MERCHANTS },
    platform: { ...full.platform, budget: (budget * PREVIEW_MERCHANTS) / merchants },
  };
}

let defaultsCache = null;
const defaults = () => (defaultsCache ??= pkg.defaultScenario());

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

function packTrajectory(tr, copy, bigDays) {
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

/** 我的流量: the merchant's trajectory (and the pinned baseline's) under the current platform. */
export async function traffic({ scenario, baseline }) {
  requireSim();
  await afterRepeat();
  const lib = await moduleFor(scenario); // before the clock starts and before anything reads the market
  const t0 = performance.now();
  const m = marketFor(scenario, 'request', lib);
  const tr = m.runMerchant(withShop(scenario.merchant, scenario.myShop));
  const bigDays = presetScenario(scenario.preset).events?.bigDays ?? [];
  const out = packTrajectory(tr, false, bigDays);
  out.marketMs = marketMs;
  out.marketFrom = marketFrom;
  out.days = tr.publicExposure.length;
  out.x = Float64Array.from({ length: out.days }, (_, i) => i + 1);
  out.bigDays = bigDays.filter((d) => d < out.days).map((d) => d + 1);
  out.baseline = null;
  if (baseline) {
    const key = `${marketGen}|${scenario.myShop ?? 0}|${JSON.stringify(baseline)}`;
    if (baselineCache.key !== key) baselineCache = { key, value: m.runMerchant(withShop(baseline, scenario.myShop)) };
    out.baseline = packTrajectory(baselineCache.value, true, bigDays);
  }
  out.ms = performance.now() - t0;
  return out;
}

/**
 * 平台: the platform-wide figures of the current market (Lorenz, Gini,
 * shares per day) and where the merchant, as the sliders set it, stands.
 * The market is the one My traffic uses: no second full run.
 *
 * `preview`: when that market is not built yet, return at once the figures
 * of a market of PREVIEW_MERCHANTS merchants instead, marked by `preview`
 * ({ merchants, of }); the page shows them as a preview and asks again
 * without `preview` for the full market's.
 * @param {{ scenario: any, preview?: boolean }} request
 */
export async function platform({ scenario, preview = false }) {
  requireSim();
  await afterRepeat();
  const lib = await moduleFor(scenario); // before the clock starts and before anything reads the market
  const t0 = performance.now();
  const key = marketKeyOf(scenario);
  if (preview && (key !== marketKey || !market) && !sameRun(scenario, lib)) {
    const full = marketScenario(scenario, lib);
    const merchants = full.population?.merchants ?? defaults().population.merchants;
    // a market this small is quick to build in full: no preview
    if (merchants >= 4 * PREVIEW_MERCHANTS) {
      const m = new lib.MarketModel(previewScenario(full, merchants));
      try {
        return platformFigures(m.result(), m.runMerchant(withShop(scenario.merchant, scenario.myShop)), {
          preview: { merchants: PREVIEW_MERCHANTS, of: merchants },
          marketMs: performance.now() - t0,
          t0,
        });
      } finally {
        m.free();
      }
    }
  }
  const before = marketGen;
  const m = marketFor(scenario, 'request', lib);
  const built = marketGen !== before;
  if (platformCache.key !== marketGen) platformCache = { key: marketGen, value: m.result() };
  const me = m.runMerchant(withShop(scenario.merchant, scenario.myShop));
  // the market build this call waited for (0 when it was already built)
  return platformFigures(platformCache.value, me, { preview: null, marketMs: built ? marketMs : 0, t0 });
}

/** The platform view's figures from a market's result `r` and the merchant's run `me`. */
function platformFigures(r, me, { preview, marketMs: builtMs, t0 }) {
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

/** 敏感度: 90-day totals over a content-quality × follow-rate grid (rows = quality). */
export const FOLLOW_RATE_MAX = 0.3; // follow rates beyond 30% of clickers are not seen in practice

export async function sweep({ scenario, grid }) {
  requireSim();
  await afterRepeat();
  const lib = await moduleFor(scenario); // before the clock starts and before anything reads the market
  const t0 = performance.now();
  const m = marketFor(scenario, 'request', lib);
  const axis = (max) => Array.from({ length: grid }, (_, i) => Number(((i / (grid - 1)) * max).toPrecision(6)));
  const r = m.sweep({ contentQuality: axis(1), followRate: axis(FOLLOW_RATE_MAX) }, withShop(scenario.merchant, scenario.myShop));
  return {
    shape: Array.from(r.shape),
    contentQuality: Float64Array.from(r.contentQuality),
    followRate: Float64Array.from(r.followRate),
    publicExposure: r.publicExposure,
    privateExposure: r.privateExposure,
    followers: r.followers,
    gmv: r.gmv,
    ms: performance.now() - t0,
  };
}

// ---------------------------------------------------------------- repeat customers

const DAY_MS = 86_400_000;
/** Day number (days since 1970-01-01) → `yyyy-mm-dd`. */
const dayToIso = (d) => (Number.isFinite(d) ? new Date(d * DAY_MS).toISOString().slice(0, 10) : '');
/** `yyyy-mm-dd` → day number (NaN if not a date). */
function isoToDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return NaN;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return new Date(t).getUTCDate() === +m[3] ? t / DAY_MS : NaN;
}

/** `shijing/orders` (readOrders), loaded the first time a file is opened. */
const ordersReader = lazyPart(() => import('../../pkg/orders/shijing.js'));
/** `shijing/xlsx` (sheetText), loaded the first time a workbook is opened, never before. */
const xlsxReader = lazyPart(() => import('../../pkg/xlsx/shijing.js'));
/** An .xlsx workbook is a zip file: it starts with `PK\x03\x04`. */
const isZip = (b) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * A call's stages for the page's timeline: `mark(name)` notes when a stage
 * ended, as an absolute time (ms since the epoch: the worker's timeline has
 * another origin than the page's), in `at`.
 */
function stageClock() {
  const at = {};
  return { at, mark: (name) => { at[name] = performance.timeOrigin + performance.now(); } };
}

let orders = null;
let lastFit = null;

/** How much of a file's head the first big file's warm-up reads, and from what file size it is worth it. */
const WARM_BYTES = 1 << 20, WARM_FROM_BYTES = 8 << 20;
let warmed = false;

/**
 * V8 runs a Wasm function in its baseline code (Liftoff) until the function
 * has run a while, and optimizes it (TurboFan) for its *later* calls: one
 * long call — readOrders on a 137 MB export — runs unoptimized to its end.
 * Measured in Chromium 156 on the 1M-line export, the worker's first file
 * against its second: readOrders 1,444 → 340 ms, cohortRepurchase 194 → 54,
 * summarizeOrders 282 → 89, the predictions 146 → 84. So the first big
 * file's head (`head`: its first bytes, the last row likely cut) goes
 * through readOrders with the same options while the browser reads the
 * whole file, and, unless the page opened on the 回头客 view and did it
 * already (warmRepeat), the cohort rates and fitRepeat's work with the
 * page's model and unit; the results are dropped (any error too: the real
 * read reports its own).
 */
function warmUp(reader, rep, head, readOptions, fitNext) {
  try {
    const o = reader.readOrders(head, readOptions);
    const r = o.report;
    if (r.purchases > 0) warmRepeat(rep, fitNext, { customer: o.customerIndex, day: o.days, amount: o.amounts, ids: o.ids, firstDay: r.firstDay, lastDay: r.lastDay });
  } catch { /* see above */ }
}

/**
 * The repurchase half's part of the warm-up (see warmUp), once: cohortRepurchase,
 * summarizeOrders and fitRepeat's work on `sample` (orders as readOrderFile keeps
 * them), by default a made-up shop's — run when the page opens on the 回头客 view,
 * while the merchant picks a file.
 */
let repeatWarmed = false;
function warmRepeat(rep, { model = 'bgnbd', unitDays = 7 } = {}, sample = null) {
  if (repeatWarmed || !has(FITTERS[model], rep) || !has('cohortRepurchase', rep)) return;
  repeatWarmed = true;
  try {
    const o = sample ?? madeUpOrders();
    // a few times over: these two are quick on a sample, and V8 optimizes by time spent
    // (summarizeOrders on the 1M-line export: 109–126 ms after one warm-up call, 92–95 after eight)
    for (let k = 0; k < 4; k++) rep.cohortRepurchase(o.customer, o.day);
    for (let k = 0; k < 8; k++) rep.summarizeOrders(o.customer, o.day, o.amount ?? undefined, { calibrationEnd: o.lastDay, periodDays: 1, unitDays });
    fitOrders(rep, o, { model, unitDays }, stageClock());
  } catch { /* only a warm-up */ }
}

/** A made-up shop for warmRepeat: 3,000 customers buying over 540 days (a fixed xorshift). */
function madeUpOrders() {
  let x = 2463534242;
  const rnd = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
  const customer = [], day = [], amount = [];
  const first = 19_000, span = 540;
  for (let c = 0; c < 3000; c++) {
    const gap = 5 + 120 * rnd();
    let d = first + Math.floor(span * rnd());
    do {
      customer.push(c); day.push(d); amount.push(10 + Math.round(300 * rnd()));
      d += 1 + Math.floor(-Math.log(1 - rnd()) * gap);
    } while (d < first + span && rnd() > 0.25);
  }
  let last = first;
  for (const d of day) if (d > last) last = d;
  return { customer: Uint32Array.from(customer), day: Float64Array.from(day), amount: Float64Array.from(amount), ids: Array.from({ length: 3000 }, (_, i) => String(i)), firstDay: first, lastDay: last };
}

let shopSeq = 0;
/** The merchant's own data carried into the traffic views ("用我的店铺数据模拟"): merchant fields of the scenario. */
let myShop = null;

/**
 * Reads an order export (CSV/TSV in UTF-8, GBK/GB18030 or UTF-16, or an
 * .xlsx workbook) with the package's `readOrders`, keeps the purchases here
 * in the worker, and returns the reader's report with the observed cohort
 * repurchase rates (`cohortRepurchase`: 30天复购率 / 90天复购率 and the
 * table by month of first order). A workbook goes through `sheetText` of
 * `shijing/xlsx`, loaded only then.
 * @param {File} file
 * @param {object} [options] `readOrders` options (columns, rules, date order…) and `sheet`
 * @param {import('./rpc.js').Job} [job] stage reports; stops early when superseded
 * @param {{ model?: string, unitDays?: number } | null} [fitNext] the fit the page asks for right after
 *   the read (views/repeat.js): the first big file's warm-up runs it, and the traffic views wait for it
 *   (holdForRepeat); without it, neither
 */
export async function readOrderFile(file, options = {}, job, fitNext = null) {
  const hold = holdForRepeat();
  try {
    const out = await readFile(file, options, job, fitNext ?? {});
    const r = out.report;
    // the page fits next (views/repeat.js): it said so, purchases were read, and the dates do not wait for the merchant
    if (fitNext && r.purchases > 0 && !(r.dateOrderAmbiguous && !options?.dateOrder)) hold.untilFit();
    else hold.release();
    return out;
  } catch (e) {
    hold.release();
    throw e;
  }
}

async function readFile(file, options, job, { model = 'bgnbd', unitDays = 7 }) {
  orders = null;
  lastFit = null;
  const t0 = performance.now();
  const clock = stageClock();
  clock.mark('start');
  // both modules download at once: the reader now, the repurchase half for the cohort rates
  const [reader, rep] = await Promise.all([ordersReader(), repurchasePart()]);
  clock.mark('modules');
  job?.progress({ stage: 'load', loaded: 0, total: file.size });
  const { sheet, ...readOptions } = options ?? {};
  const whole = file.arrayBuffer();
  if (!warmed && file.size >= WARM_FROM_BYTES) {
    // the file's head goes through what the whole file will (see warmUp) while the
    // browser reads the file (this thread takes the file's chunks too: ~30–100 ms of the
    // read's 140–270 overlap with the warm-up's 100–150)
    warmed = true;
    const head = new Uint8Array(await file.slice(0, WARM_BYTES).arrayBuffer());
    if (!isZip(head)) warmUp(reader, rep, head, readOptions, { model, unitDays });
    clock.mark('warmUp');
  }
  const bytes = new Uint8Array(await whole);
  clock.mark('bytes');
  const stop = () => { if (job?.cancelled()) throw coded('E_CANCELLED', 'cancelled'); };
  stop();
  let input = bytes;
  let book = null;
  if (isZip(bytes)) {
    job?.progress({ stage: 'xlsx', loaded: file.size, total: file.size });
    const x = await xlsxReader();
    stop();
    const st = x.sheetText(bytes, sheet == null ? undefined : { sheet });
    input = st.text;
    book = { sheet: st.sheet, sheets: st.sheets };
  }
  job?.progress({ stage: 'read', loaded: file.size, total: file.size });
  const tRead = performance.now();
  const o = reader.readOrders(input, readOptions);
  const readMs = performance.now() - tRead;
  clock.mark('readOrders');
  const r = o.report;
  if (book) Object.assign(r, { format: 'xlsx', sheet: book.sheet, sheets: book.sheets });
  let cohort = null;
  if (r.purchases > 0) {
    const c = rep.cohortRepurchase(o.customerIndex, o.days);
    cohort = { end: dayToIso(c.end), customers: c.customers, windows: c.windows, rate: c.rate, eligible: c.eligible, repeated: c.repeated, cohorts: c.cohorts };
  }
  clock.mark('cohort');
  orders = { customer: o.customerIndex, day: o.days, amount: o.amounts, ids: o.ids, firstDay: r.firstDay, lastDay: r.lastDay, group: o.groupIndex, groupLevels: o.groupLevels };
  const averageAmount = o.amounts ? meanOf(o.amounts) : null;
  clock.mark('end');
  return {
    name: file.name,
    size: file.size,
    report: r,
    purchases: r.purchases,
    customers: r.customers,
    firstDate: dayToIso(r.firstDay),
    lastDate: dayToIso(r.lastDay),
    hasAmount: !!o.amounts,
    averageAmount,
    cohort,
    readMs,
    stages: clock.at,
    ms: performance.now() - t0,
  };
}

const FITTERS = { bgnbd: 'fitBgNbd', mbgnbd: 'fitModifiedBgNbd', pnbd: 'fitParetoNbd' };
const COVARIATE_FITTERS = { bgnbd: 'fitBgNbdWithCovariates', mbgnbd: 'fitModifiedBgNbdWithCovariates', pnbd: 'fitParetoNbdWithCovariates' };
/** Levels with fewer customers than this are folded into one "other" level before the covariate fit. */
export const MIN_LEVEL_CUSTOMERS = 20;
/** oneHot names of the folded and the empty level (a file's own "其他" stays its own level). */
const OTHER = '\u0000other', EMPTY = '\u0000empty';

/**
 * The group column as a covariate (the `groupColumn` read with the orders):
 * each summarized customer's level is the value on their first purchase;
 * levels with fewer than MIN_LEVEL_CUSTOMERS customers are folded into one;
 * the reference is the most common level. Fits the model with the levels
 * one-hot coded (`oneHot`, `fit…WithCovariates`) and returns per level its
 * customers, purchase-rate lift, dropout lift (Pareto/NBD: exp(γ) multiplies
 * the dropout rate; (M)BG/NBD: γ scales a and b together, not a retention
 * multiplier, so it is not returned) and its new customer's 30/90-day
 * repurchase chance from `modelFor` — the retention figure for every model.
 */
function covariateFit(cov, model, s, f, r, T, unitDays, column) {
  const o = orders;
  const nIds = o.ids.length;
  const firstDay = new Float64Array(nIds).fill(Infinity);
  const firstLevel = new Int32Array(nIds).fill(-1);
  for (let i = 0; i < o.customer.length; i++) {
    const c = o.customer[i];
    if (o.day[i] < firstDay[c]) { firstDay[c] = o.day[i]; firstLevel[c] = o.group[i]; }
  }
  const n = f.length;
  const idx = s.customers ?? Uint32Array.from({ length: n }, (_, i) => i);
  const keyOf = (g) => (o.groupLevels[g] === '' ? EMPTY : o.groupLevels[g]);
  const counts = new Map();
  const raw = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keyOf(firstLevel[idx[i]]);
    raw[i] = k;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const small = new Set([...counts].filter(([, c]) => c < MIN_LEVEL_CUSTOMERS).map(([k]) => k));
  const folded = small.size >= 1 ? [...small].map((k) => (k === EMPTY ? '' : k)) : [];
  const col = raw.map((k) => (small.has(k) ? OTHER : k));
  const base = { column, folded, minCustomers: MIN_LEVEL_CUSTOMERS };
  const levelCounts = new Map();
  for (const k of col) levelCounts.set(k, (levelCounts.get(k) ?? 0) + 1);
  if (levelCounts.size < 2) return { ...base, error: 'one' };
  // the reference: the most common level (never the folded one when another is as common)
  const reference = [...levelCounts].sort((a, b) => b[1] - a[1] || (a[0] === OTHER) - (b[0] === OTHER))[0][0];
  const oh = cov.oneHot(col, { reference });
  const fit = cov[COVARIATE_FITTERS[model]](f, r, T, { names: oh.names, values: oh.values });
  try {
    const t30 = 30 / unitDays, t90 = 90 / unitDays;
    const coef = (name, process) => {
      const c = fit.coefficients.find((x) => x.name === name && x.process === process);
      if (!c) return null;
      const state = !c.identified ? 'unidentified' : !(Number.isFinite(c.liftLow) && Number.isFinite(c.liftHigh)) ? 'boundary' : 'ok';
      return { lift: c.lift, low: c.liftLow, high: c.liftHigh, state };
    };
    const levels = oh.levels.map((key, j) => {
      const row = oh.names.map((nm) => (nm === key ? 1 : 0));
      const m = fit.modelFor(row);
      let chance;
      try { chance = m.newCustomerRepurchase([t30, t90]); } finally { m.free(); }
      const isRef = key === oh.reference;
      return {
        label: key === OTHER || key === EMPTY ? null : key,
        kind: key === OTHER ? 'other' : key === EMPTY ? 'empty' : 'level',
        customers: oh.counts[j],
        reference: isRef,
        purchase: isRef ? null : coef(key, 'purchase'),
        dropout: isRef || model !== 'pnbd' ? null : coef(key, 'dropout'),
        new30: chance[0],
        new90: chance[1],
      };
    });
    return {
      ...base,
      model,
      levels,
      boundary: fit.boundary,
      converged: fit.converged,
      message: fit.message,
      logLikelihood: fit.logLikelihood,
      logLikelihoodWithout: fit.logLikelihoodWithout,
    };
  } finally {
    fit.free();
  }
}
const TOP = 100;

const sumOf = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };
const meanOf = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return a.length ? s / a.length : NaN; };

function plainParams(p) {
  if (!p) return {};
  if (p instanceof Map) return Object.fromEntries(p);
  const out = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'number') out[k] = v;
  return out;
}

/**
 * 回头客: summarize the parsed orders, fit the chosen model, and predict for
 * every customer — one call. Purchases are distinct order days; times are in
 * `unitDays` (7: weeks, as the CDNOW reference numbers). `calibrationEnd`
 * (ISO date, optional) holds out the later orders for the calibration/holdout check.
 * Ends the read's hold on the traffic views (holdForRepeat).
 * @param {{ model: 'bgnbd' | 'mbgnbd' | 'pnbd', unitDays: number, calibrationEnd?: string, group?: string | null }} request
 */
export async function fitRepeat(request) {
  const hold = repeatHold; // the read's, when this is the fit it said would follow
  try {
    return await fitNow(request);
  } finally {
    hold?.release();
  }
}

async function fitNow({ model, unitDays, calibrationEnd, group = null }) {
  if (!orders) throw coded('E_NO_ORDERS', 'no parsed orders');
  const rep = await repurchasePart();
  if (!has('summarizeOrders', rep) || !has(FITTERS[model], rep)) throw coded('E_NO_MODEL', FITTERS[model]);
  if (!orders.day.length) throw coded('E_EMPTY', 'no valid orders');
  const t0 = performance.now();
  const clock = stageClock();
  clock.mark('start');
  const o = orders;
  const { out, state, s } = fitOrders(rep, o, { model, unitDays, calibrationEnd }, clock);
  lastFit = state;
  // a categorical column as a covariate: how much each level lifts purchase rate and retention
  if (o.group) {
    try {
      const cov = await covariatesPart();
      if (!has(COVARIATE_FITTERS[model], cov) || !has('oneHot', cov)) throw coded('E_NO_MODEL', COVARIATE_FITTERS[model]);
      out.covariates = covariateFit(cov, model, s, s.frequency, s.recency, s.T, unitDays, group);
    } catch (e) { out.covariates = { column: group, error: 'fit', message: String(e?.message ?? e) }; }
  }
  clock.mark('covariates');
  out.ms = performance.now() - t0;
  clock.mark('end');
  out.stages = clock.at;
  return out;
}

/**
 * fitRepeat's work on the orders `o` (the `orders` kept by readOrderFile, or
 * a warm-up's): summary, fit, predictions, outlook, Gamma-Gamma, segments,
 * histogram, holdout check and top customers; `out`: fitRepeat's answer
 * without the covariates, `state`: what `lastFit` keeps, `s`: the summary.
 */
function fitOrders(rep, o, { model, unitDays, calibrationEnd }, clock) {
  let calEnd = o.lastDay;
  let holdout = false;
  if (calibrationEnd) {
    const d = isoToDay(calibrationEnd);
    if (Number.isNaN(d)) throw coded('E_CAL_DATE', `bad date ${calibrationEnd}`);
    if (d < o.firstDay) throw coded('E_CAL_EARLY', 'calibration end is before the first order');
    if (d < o.lastDay) { calEnd = d; holdout = true; }
  }
  const s = rep.summarizeOrders(o.customer, o.day, o.amount ?? undefined, {
    calibrationEnd: calEnd, periodDays: 1, unitDays, ...(holdout ? { observationEnd: o.lastDay } : {}),
  });
  const { frequency: f, recency: r, T } = s;
  clock.mark('summarize');
  const fit = rep[FITTERS[model]](f, r, T);
  clock.mark('fit');
  try {
    const t30 = 30 / unitDays;
    const t90 = 90 / unitDays;
    const alive = fit.probabilityAlive(f, r, T);
    const p30 = fit.probabilityOfRepurchase(t30, f, r, T);
    const p90 = fit.probabilityOfRepurchase(t90, f, r, T);
    const e30 = fit.expectedPurchases(t30, f, r, T);
    const e90 = fit.expectedPurchases(t90, f, r, T);
    clock.mark('predictions');
    const n = f.length;
    // the customers summarized: indices into our id list (we pass a Uint32Array)
    const idx = s.customers ?? Uint32Array.from({ length: n }, (_, i) => i);
    const idOf = (i) => (typeof idx[i] === 'number' ? o.ids[idx[i]] : String(idx[i]));

    // the merchant's outlook, with each figure's 90% range from the parameters'
    // uncertainty when the fit has one (the package draws them from the asymptotic
    // normal of its log-parameters, seed 1; each `value` is merchantSummary's figure):
    // "18% (16–20%)". A fit without a covariance (a boundary fit) has the plain summary.
    let summary;
    let ranges = null;
    let iv = null;
    // (a boundary fit has no covariance: the package refuses it before any work)
    if (typeof fit.merchantSummaryIntervals === 'function') {
      try { iv = fit.merchantSummaryIntervals(f, r, T, { unitDays, level: 0.9 }); } catch (e) { ranges = { error: String(e?.message ?? e) }; }
    }
    if (iv) {
      const span = (x, k = 1) => [x.low * k, x.high * k];
      summary = { buyingNext30: iv.shareBuyingNext30.value, buyingNext90: iv.shareBuyingNext90.value, expected30: iv.expectedPurchases30.value * n, aliveShare: iv.shareAlive.value };
      ranges = { level: iv.level, buyingNext30: span(iv.shareBuyingNext30), buyingNext90: span(iv.shareBuyingNext90), aliveShare: span(iv.shareAlive), expected30: span(iv.expectedPurchases30, n) };
    } else if (typeof fit.merchantSummary === 'function') {
      const m = fit.merchantSummary(f, r, T, { unitDays });
      summary = { buyingNext30: m.shareBuyingNext30, buyingNext90: m.shareBuyingNext90, expected30: m.expectedPurchases30 * n, aliveShare: m.shareAlive };
    } else {
      let alive05 = 0;
      for (let i = 0; i < n; i++) if (alive[i] > 0.5) alive05++;
      summary = { buyingNext30: meanOf(p30), buyingNext90: meanOf(p90), expected30: meanOf(e30) * n, aliveShare: alive05 / n };
    }

    clock.mark('summary');
    // expected order value (Gamma-Gamma) when the file has amounts
    let spend = null;
    let gg = null;
    if (o.amount && s.monetary && has('fitGammaGamma', rep)) {
      let g = null;
      try {
        g = rep.fitGammaGamma(f, s.monetary);
        spend = g.expectedSpend(f, s.monetary);
        gg = { params: plainParams(g.params), logLikelihood: g.logLikelihood };
      } catch (e) { gg = { error: String(e?.message ?? e) }; } finally { g?.free?.(); }
    }
    const averageAmount = o.amount ? meanOf(o.amount) : null;
    clock.mark('gammaGamma');

    // the fitted model's chance that a brand-new customer buys again within 30 / 90 days
    // (to set beside the observed 30天复购率 / 90天复购率 of the file: does the model fit this shop?)
    const [newChance30, newChance90] = fit.newCustomerRepurchase([t30, t90]);

    // segments named for what the merchant does with them (新客 / 活跃 / 需要唤回 / 可能流失);
    // value per purchase: Gamma-Gamma's expected spend, else the file's average order
    const value = spend ?? (averageAmount ? new Float64Array(n).fill(averageAmount) : null);
    const seg = rep.segmentCustomers(alive, e30, f, r, T, { unitDays, ...(value ? { value } : {}) });
    const segments = seg.summary.map((g) => ({ segment: g.segment, customers: g.customers, expectedPurchases: g.expectedPurchases, value: g.value }));

    // P(alive) histogram, 20 bins
    const bins = 20;
    const hist = new Float64Array(bins);
    for (let i = 0; i < n; i++) hist[Math.min(bins - 1, Math.floor(alive[i] * bins))]++;
    const centers = Float64Array.from({ length: bins }, (_, i) => (i + 0.5) / bins);

    // calibration / holdout check by calibration frequency 0…7+
    let check = null;
    if (holdout && s.holdoutFrequency) {
      const span = s.holdoutDuration ?? (o.lastDay - calEnd) / unitDays;
      if (typeof fit.holdoutCheck === 'function') {
        const h = fit.holdoutCheck(f, r, T, s.holdoutFrequency, span, { maxFrequency: 7 });
        check = { x: h.frequency, actual: h.actual, predicted: h.predicted, count: Float64Array.from(h.customers), totalActual: h.actualTotal, totalPredicted: h.predictedTotal, spanUnits: span };
      } else {
        const pred = fit.expectedPurchases(span, f, r, T);
        const K = 8;
        const actual = new Float64Array(K), predicted = new Float64Array(K), count = new Float64Array(K);
        let totA = 0, totP = 0;
        for (let i = 0; i < n; i++) {
          const k = Math.min(K - 1, f[i]);
          actual[k] += s.holdoutFrequency[i]; predicted[k] += pred[i]; count[k]++;
          totA += s.holdoutFrequency[i]; totP += pred[i];
        }
        for (let k = 0; k < K; k++) if (count[k]) { actual[k] /= count[k]; predicted[k] /= count[k]; } else { actual[k] = NaN; predicted[k] = NaN; }
        check = { x: Float64Array.from({ length: K }, (_, k) => k), actual, predicted, count, totalActual: totA, totalPredicted: totP, spanUnits: span };
      }
    }

    clock.mark('segments');
    // the customers most likely to buy in the next 30 days
    const top = firstOf(n, TOP, (a, b) => p30[b] - p30[a] || e30[b] - e30[a]).map((i) => ({
      id: idOf(i), segment: seg.segment[i], frequency: f[i], recency: r[i], T: T[i], alive: alive[i], p30: p30[i], e30: e30[i], e90: e90[i], spend: spend ? spend[i] : null,
    }));

    const params = plainParams(fit.params);
    const state = { model, params, unitDays, n, idOf, f, r, T, alive, p30, p90, e30, e90, spend, segment: seg.segment, gg: gg?.params ?? null, monetary: s.monetary ?? null, averageAmount, holdout };
    const out = {
      model,
      params,
      logLikelihood: fit.logLikelihood,
      converged: fit.converged,
      boundary: fit.boundary,
      message: typeof fit.message === 'string' ? fit.message : '',
      customers: n,
      unitDays,
      calibrationEnd: dayToIso(calEnd),
      holdout,
      ...summary,
      ranges,
      hist: { x: centers, y: hist },
      check,
      gg,
      newChance30,
      newChance90,
      covariates: null,
      expected90: sumOf(e90),
      segments,
      averageAmount,
      top,
    };
    clock.mark('top');
    return { out, state, s };
  } finally {
    fit.free?.();
  }
}

/** The package's name of each model (scenario.merchant.repurchase.model) and its parameters' order. */
const SHOP_MODELS = { bgnbd: ['bgnbd', ['r', 'alpha', 'a', 'b']], mbgnbd: ['mbgnbd', ['r', 'alpha', 'a', 'b']], pnbd: ['paretonbd', ['r', 'alpha', 's', 'beta']] };

/**
 * "用我的店铺数据模拟": the last fit becomes the focus merchant's own
 * repurchase process, its customers (summarized to the file's last day) the
 * existing customer base, and its order value (Gamma-Gamma, else the
 * average order) what a repeat purchase is worth — the scenario's
 * `merchant.repurchase`, `merchant.customers` and `merchant.orderValue`.
 * Kept here in the worker (a customer base is too big for a link); the page
 * passes the returned `id` with its scenarios. `start`: the page's merchant
 * settings at that moment, where the fitted process is the shop's own (the
 * market is built with them; the sliders scale the process from there).
 * Returns what came from the data.
 * @param {{ start?: Record<string, number> }} [options]
 */
export async function useMyShop({ start } = {}) {
  if (!lastFit || !orders) throw coded('E_NO_FIT', 'no fitted model');
  const rep = await repurchasePart();
  await wholePackage(); // the traffic views' requests with this shop run on it
  const L = lastFit;
  const [name, keys] = SHOP_MODELS[L.model];
  const params = keys.map((k) => L.params[k]);
  if (params.some((x) => !Number.isFinite(x))) throw coded('E_NO_FIT', 'the fit has no parameters');
  // the customers as of the file's last day (a calibration end only held orders out for the check)
  const s = L.holdout
    ? rep.summarizeOrders(orders.customer, orders.day, orders.amount ?? undefined, { calibrationEnd: orders.lastDay, periodDays: 1, unitDays: L.unitDays })
    : { frequency: L.f, recency: L.r, T: L.T, monetary: L.monetary };
  const gg = L.gg && ['p', 'q', 'v'].every((k) => Number.isFinite(L.gg[k])) && L.gg.q > 1 ? [L.gg.p, L.gg.q, L.gg.v] : null;
  const monetary = gg ? s.monetary : null;
  const customers = { frequency: Float64Array.from(s.frequency), recency: Float64Array.from(s.recency), T: Float64Array.from(s.T), ...(gg && monetary ? { monetary: Float64Array.from(monetary) } : {}) };
  // without Gamma-Gamma: the average repeat purchase (first orders left out, as the model's value is a repeat's), else the average order
  let repeatValue = 0, repeats = 0;
  if (s.monetary) for (let i = 0; i < s.frequency.length; i++) { repeatValue += s.monetary[i] * s.frequency[i]; repeats += s.frequency[i]; }
  const mean = repeats > 0 ? repeatValue / repeats : L.averageAmount;
  const average = mean && mean > 0 ? Math.min(1e6, Math.max(0.01, mean)) : null;
  const orderValue = gg && monetary ? { params: gg } : average ? { average } : null;
  myShop = {
    id: ++shopSeq,
    start: { ...(start ?? {}) },
    merchant: { repurchase: { model: name, params, unitDays: L.unitDays }, customers, ...(orderValue ? { orderValue } : {}) },
  };
  baselineCache = { key: '', value: null };
  return {
    id: myShop.id,
    model: L.model,
    params: L.params,
    unitDays: L.unitDays,
    customers: customers.frequency.length,
    orderValue: orderValue ? (orderValue.params ? 'gammaGamma' : 'average') : null,
    ggParams: gg ? L.gg : null,
    averageAmount: L.averageAmount,
    orderValueAverage: average,
  };
}

/** The merchant's own data with the id useMyShop returned. */
function shopData(id) {
  if (!myShop || myShop.id !== id) throw coded('E_NO_SHOP', `my-shop data ${id} is not loaded`);
  return myShop;
}

/** The scenario's merchant with the merchant's own data when the page asks for it (`myShop`: the id useMyShop returned). */
function withShop(merchant, id) {
  return id ? { ...merchant, ...shopData(id).merchant } : merchant;
}

const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Every customer's predictions as CSV (UTF-8 with BOM, so Excel shows Chinese headers). */
/** `headers`: the columns' names; `segmentNames`: each segment's name in the page's language. */
export function exportPredictions({ headers, segmentNames = {} }) {
  if (!lastFit) throw coded('E_NO_FIT', 'no fitted model');
  const L = lastFit;
  const lines = [headers.map(csvCell).join(',')];
  const n6 = (x) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : '');
  for (let i = 0; i < L.n; i++) {
    lines.push([csvCell(L.idOf(i)), csvCell(segmentNames[L.segment[i]] ?? L.segment[i]), L.f[i], n6(L.r[i]), n6(L.T[i]), n6(L.alive[i]), n6(L.p30[i]), n6(L.p90[i]), n6(L.e30[i]), n6(L.e90[i]), L.spend ? n6(L.spend[i]) : ''].join(','));
  }
  return new Blob(['\ufeff' + lines.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' });
}
