// The merchant's own data carried into the traffic views ("用我的店铺数据模拟",
// api.js's useMyShop): kept here in the worker, named by an id the page passes.
import { coded } from './parts.js';

let shopSeq = 0;
/** The merchant fields of the scenario that came from the merchant's data, with their id and the sliders' start. */
let myShop = null;

/** Keeps `start` and `merchant` as the shop's data under a new id; returns it. */
export function keepShop(start, merchant) {
  myShop = { id: ++shopSeq, start, merchant };
  return myShop;
}

/** The merchant's own data with the id useMyShop returned. */
export function shopData(id) {
  if (!myShop || myShop.id !== id) throw coded('E_NO_SHOP', `my-shop data ${id} is not loaded`);
  return myShop;
}

/** The scenario's merchant with the merchant's own data when the page asks for it (`myShop`: the id useMyShop returned). */
export function withShop(merchant, id) {
  return id ? { ...merchant, ...shopData(id).merchant } : merchant;
}
