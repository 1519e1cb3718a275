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
//
// This file is the worker's API, one function a call (worker.js exposes every
// function exported here; the page's views reach them through rpc.js, typed
// as this module). What they share lives in ./worker/: the package's parts
// (parts.js), the market and its preview (market.js), the figures drawn from
// a run (trajectory.js), the order file and its warm-ups (orders.js), the fit
// and predictions (fit.js), the merchant's own data (shop.js), the hold on
// the traffic views during a file's read (hold.js), and days (days.js).
import { startState, scenarioOf } from './state.js';
import { pkg, has, coded, repurchasePart, wholePackage, moduleFor, covariatesPart } from './worker/parts.js';
import { holdForRepeat, afterRepeat, currentHold } from './worker/hold.js';
import { requireSim, presetScenario, marketFor, marketScenario, previewScenario, isBuilt, built, defaults, PREVIEW_MERCHANTS } from './worker/market.js';
import { packTrajectory, platformFigures } from './worker/trajectory.js';
import { repeat, readFile, warmRepeat } from './worker/orders.js';
import { FITTERS, COVARIATE_FITTERS, covariateFit, fitOrders } from './worker/fit.js';
import { stageClock } from './worker/days.js';
import { keepShop, withShop } from './worker/shop.js';

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

// ---------------------------------------------------------------- traffic

/** The pinned baseline's run and the market's result, each kept for the market it came from (built().gen). */
let baselineCache = { key: '', value: null };
let platformCache = { key: '', value: null };

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
  const b = built();
  out.marketMs = b.ms;
  out.marketFrom = b.from;
  out.days = tr.publicExposure.length;
  out.x = Float64Array.from({ length: out.days }, (_, i) => i + 1);
  out.bigDays = bigDays.filter((d) => d < out.days).map((d) => d + 1);
  out.baseline = null;
  if (baseline) {
    const key = `${b.gen}|${scenario.myShop ?? 0}|${JSON.stringify(baseline)}`;
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
  if (preview && !isBuilt(scenario, lib)) {
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
  const before = built().gen;
  const m = marketFor(scenario, 'request', lib);
  const b = built();
  if (platformCache.key !== b.gen) platformCache = { key: b.gen, value: m.result() };
  const me = m.runMerchant(withShop(scenario.merchant, scenario.myShop));
  // the market build this call waited for (0 when it was already built)
  return platformFigures(platformCache.value, me, { preview: null, marketMs: b.gen !== before ? b.ms : 0, t0 });
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
// ---------------------------------------------------------------- repeat customers

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

/**
 * 回头客: summarize the parsed orders, fit the chosen model, and predict for
 * every customer — one call. Purchases are distinct order days; times are in
 * `unitDays` (7: weeks, as the CDNOW reference numbers). `calibrationEnd`
 * (ISO date, optional) holds out the later orders for the calibration/holdout check.
 * Ends the read's hold on the traffic views (holdForRepeat).
 * @param {{ model: 'bgnbd' | 'mbgnbd' | 'pnbd', unitDays: number, calibrationEnd?: string, group?: string | null }} request
 */
export async function fitRepeat(request) {
  const hold = currentHold(); // the read's, when this is the fit it said would follow
  try {
    return await fitNow(request);
  } finally {
    hold?.release();
  }
}

async function fitNow({ model, unitDays, calibrationEnd, group = null }) {
  const o = repeat.orders;
  if (!o) throw coded('E_NO_ORDERS', 'no parsed orders');
  const rep = await repurchasePart();
  if (!has('summarizeOrders', rep) || !has(FITTERS[model], rep)) throw coded('E_NO_MODEL', FITTERS[model]);
  if (!o.day.length) throw coded('E_EMPTY', 'no valid orders');
  const t0 = performance.now();
  const clock = stageClock();
  clock.mark('start');
  const { out, state, s } = fitOrders(rep, o, { model, unitDays, calibrationEnd }, clock);
  repeat.lastFit = state;
  // a categorical column as a covariate: how much each level lifts purchase rate and retention
  if (o.group) {
    try {
      const cov = await covariatesPart();
      if (!has(COVARIATE_FITTERS[model], cov) || !has('oneHot', cov)) throw coded('E_NO_MODEL', COVARIATE_FITTERS[model]);
      out.covariates = covariateFit(o, cov, model, s, s.frequency, s.recency, s.T, unitDays, group);
    } catch (e) { out.covariates = { column: group, error: 'fit', message: String(e?.message ?? e) }; }
  }
  clock.mark('covariates');
  out.ms = performance.now() - t0;
  clock.mark('end');
  out.stages = clock.at;
  return out;
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
  const { lastFit: L, orders } = repeat;
  if (!L || !orders) throw coded('E_NO_FIT', 'no fitted model');
  const rep = await repurchasePart();
  await wholePackage(); // the traffic views' requests with this shop run on it
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
  const shop = keepShop({ ...(start ?? {}) }, { repurchase: { model: name, params, unitDays: L.unitDays }, customers, ...(orderValue ? { orderValue } : {}) });
  baselineCache = { key: '', value: null };
  return {
    id: shop.id,
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

const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Every customer's predictions as CSV (UTF-8 with BOM, so Excel shows Chinese headers). */
/** `headers`: the columns' names; `segmentNames`: each segment's name in the page's language. */
export function exportPredictions({ headers, segmentNames = {} }) {
  const L = repeat.lastFit;
  if (!L) throw coded('E_NO_FIT', 'no fitted model');
  const lines = [headers.map(csvCell).join(',')];
  const n6 = (x) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : '');
  for (let i = 0; i < L.n; i++) {
    lines.push([csvCell(L.idOf(i)), csvCell(segmentNames[L.segment[i]] ?? L.segment[i]), L.f[i], n6(L.r[i]), n6(L.T[i]), n6(L.alive[i]), n6(L.p30[i]), n6(L.p90[i]), n6(L.e30[i]), n6(L.e90[i]), L.spend ? n6(L.spend[i]) : ''].join(','));
  }
  return new Blob(['\ufeff' + lines.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' });
}
