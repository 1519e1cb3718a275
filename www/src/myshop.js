// The merchant's own data in the traffic views ("用我的店铺数据模拟"): the
// repeat-customer view fits a model to the order file and asks the worker to
// keep it as the focus merchant's repurchase process, customer base and order
// value (api.js `useMyShop`); the worker answers with an id and a description
// of what came from the data. The traffic views pass the id with their
// scenarios (`scenario.myShop`) and say what came from the data. Not in the
// URL: a customer base does not fit in a link, and a link must not depend on a
// file that was never uploaded.

/** @type {null | { id: number, model: string, params: Record<string, number>, unitDays: number, customers: number, orderValue: null | 'gammaGamma' | 'average', ggParams: any, averageAmount: number | null, orderValueAverage: number | null, file: string, price: number | null }} */
let current = null;
const listeners = new Set();

/** What the traffic views run with, or null (the preset's typical merchant). */
export function myShop() { return current; }
/** The id to send with a scenario (0: none). */
export function myShopId() { return current?.id ?? 0; }
/** Sets (or with null, clears) the merchant's own data and tells the views. */
export function setMyShop(info) {
  current = info;
  for (const fn of listeners) fn(current);
}
/** Calls `fn(info)` whenever it changes; returns the unsubscribe function. */
export function onMyShop(fn) { listeners.add(fn); return () => listeners.delete(fn); }
