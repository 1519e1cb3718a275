// The package's parts as the worker loads them: the traffic half, imported
// (and instantiated by worker.js at start); the others fetched and
// instantiated the first time a call needs them (see api.js's header).
import * as pkg from '../../../pkg/traffic/shijing.js';

export { pkg };
export const has = (name, m = pkg) => typeof m[name] === 'function';
export const coded = (code, message) => Object.assign(new Error(message), { code });

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
export const repurchasePart = lazyPart(() => import('../../../pkg/repurchase/shijing.js'));
/** The whole package (`shijing`, with the merchant's fitted process). */
export const wholePackage = lazyPart(() => import('../../../pkg/shijing.js'));

/** The package module a scenario runs on: the whole package with the shop's data, else the traffic half. */
export async function moduleFor(sc) {
  return sc.myShop ? wholePackage() : pkg;
}

/**
 * `shijing/covariates` (the repurchase models with the covariate fits and
 * `oneHot`), loaded only when the merchant chooses a column to compare groups by.
 */
export const covariatesPart = lazyPart(() => import('../../../pkg/covariates/shijing.js'));

/** `shijing/orders` (readOrders), loaded the first time a file is opened. */
export const ordersReader = lazyPart(() => import('../../../pkg/orders/shijing.js'));
/** `shijing/xlsx` (sheetText), loaded the first time a workbook is opened, never before. */
export const xlsxReader = lazyPart(() => import('../../../pkg/xlsx/shijing.js'));
/** An .xlsx workbook is a zip file: it starts with `PK\x03\x04`. */
export const isZip = (b) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
