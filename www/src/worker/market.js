// The market the traffic views run on: one MarketModel kept per platform and
// population setting, and the platform view's preview market.
import { pkg, has, coded } from './parts.js';
import { shopData } from './shop.js';

export function requireSim() {
  if (!has('MarketModel') || !has('simulate')) throw coded('E_NO_SIM', 'the simulation is not in this build of the package');
}

let presetList = null;
export function presetScenario(id) {
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

/** The current market's build: how long it took, who asked for it, and how many markets were built (caches key on it). */
export const built = () => ({ ms: marketMs, from: marketFrom, gen: marketGen });

/**
 * One MarketModel per platform/population setting; re-created only when
 * those change. It is built with the preset's own merchant, never the
 * sliders' (the focus merchant is part of the market it runs), so a link
 * gives the same numbers whatever was moved before it was copied.
 */
export function marketFor(sc, from = 'request', lib = pkg) {
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
export function sameRun(sc, lib) {
  if (!market || !market.sameRunWithGiniMax) return false;
  if (marketKeyBesidesGiniMax(sc) !== marketRest) return false;
  const g = marketScenario(sc, lib).platform.giniMax ?? defaults().platform.giniMax;
  return market.sameRunWithGiniMax(g);
}

/** The full scenario a market of `sc` runs. */
export function marketScenario(sc, lib) {
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
export function previewScenario(full, merchants) {
  const budget = full.platform.budget ?? defaults().platform.budget;
  return {
    ...full,
    population: { ...(full.population ?? {}), merchants: PREVIEW_MERCHANTS },
    platform: { ...full.platform, budget: (budget * PREVIEW_MERCHANTS) / merchants },
  };
}

let defaultsCache = null;
export const defaults = () => (defaultsCache ??= pkg.defaultScenario());

/** Whether the market `sc` asks for is built (the same key, or the same run: sameRun). */
export function isBuilt(sc, lib) {
  return (marketKeyOf(sc) === marketKey && !!market) || sameRun(sc, lib);
}
