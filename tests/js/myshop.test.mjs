// "My shop" through the package (issue 15 §3): an order export read back
// (readOrders), summarized (summarizeOrders), fitted (fitBgNbd,
// fitGammaGamma) and simulated with scenario.merchant.repurchase /
// customers / orderValue; the levers from the merchant's own starting
// point; the funnel inversion (merchantFromBackend, backendNumbers). The
// package-level twin of tests/native_myshop.rs: the same generating process
// and the same tolerances, stated with each check.
import test from 'node:test';
import assert from 'node:assert/strict';
import { bytes, load, loadPart } from './load.mjs';

const m = load();
const sum = (a) => a.reduce((s, x) => s + x, 0);

// ---------------------------------------------------------------------------
// A shop drawn from known BG/NBD parameters (in days): purchase rates
// λ ~ Gamma(r, α), dropout p ~ Beta(a, b) after each repeat purchase; first
// purchases over a year; the export ends on day CAL_END (inclusive) and the
// simulation's 90 days follow.
const TRUE = { r: 0.6, alpha: 30, a: 0.9, b: 3 };
const CUSTOMERS = 4000;
const CAL_END = 364;
const HORIZON = 90;
/** Day number of 2023-01-01: day 0 of the shop's log. */
const DAY0 = Date.UTC(2023, 0, 1) / 86_400_000;

/** mulberry32: a seeded uniform in [0, 1). */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 boosted). */
function gamma(u, shape) {
  if (shape < 1) return gamma(u, shape + 1) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** The shop's customers and their purchase times (days from DAY0) up to CAL_END + 1 + HORIZON. */
function drawShop(seed) {
  const u = uniform(seed);
  const shop = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const first = u() * (CAL_END + 1);
    const lambda = gamma(u, TRUE.r) / TRUE.alpha;
    const ga = gamma(u, TRUE.a);
    const p = ga / (ga + gamma(u, TRUE.b));
    const purchases = [first];
    let t = first, death = Infinity;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (t >= CAL_END + 1 + HORIZON) break;
      purchases.push(t);
      if (u() < p) { death = t; break; }
    }
    shop.push({ lambda, p, purchases, aliveAtEnd: death >= CAL_END + 1 });
  }
  return shop;
}

/** `yyyy-mm-dd hh:mm:ss` of a time in days from DAY0. */
function stamp(t) {
  return new Date((DAY0 + t) * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The export up to CAL_END as a Taobao-style backend writes it: a BOM,
 * CRLF, Chinese headers, one row per order line (an order of two products
 * is two rows sharing its 19-digit order number, guarded by a leading tab),
 * amounts like ￥128.00, and orders that are not purchases (closed unpaid,
 * refunded in full). Returns the text and the number of purchases in it.
 */
function exportText(shop, seed) {
  const u = uniform(seed);
  const rows = ['\uFEFF订单编号,买家ID,下单时间,商品名称,实付款,订单状态'];
  let order = 3901234567890120000n, purchases = 0;
  const products = ['莱润氨基酸洗面奶 120g', '莱润保湿水 200ml', '莱润面霜 50g'];
  shop.forEach((cust, c) => {
    const buyer = `2088${String(102177000000 + c).padStart(12, '0')}`;
    for (const t of cust.purchases.filter((x) => x < CAL_END + 1)) {
      order += BigInt(1 + Math.floor(u() * 7));
      const lines = u() < 0.3 ? 2 : 1;
      for (let l = 0; l < lines; l++) {
        const cents = 5900 + Math.floor(u() * 10000);
        rows.push(`\t${order},${buyer},${stamp(t)},${products[(c + l) % 3]},￥${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},交易成功`);
      }
      purchases++;
      const x = u();
      if (x < 0.08) {
        order += 1n;
        rows.push(`\t${order},${buyer},${stamp(t)},${products[c % 3]},￥99.00,${x < 0.05 ? '交易关闭' : '退款成功'}`);
      }
    }
  });
  return { text: rows.join('\r\n') + '\r\n', purchases };
}

const shop = drawShop(15);
const { text, purchases } = exportText(shop, 16);
const orders = m.readOrders(text);
const summary = m.summarizeOrders(orders.customers, orders.days, orders.amounts, { calibrationEnd: DAY0 + CAL_END, periodDays: 1, unitDays: 1 });
const fit = m.fitBgNbd(summary.frequency, summary.recency, summary.T);
const customers = { frequency: summary.frequency, recency: summary.recency, T: summary.T };
/** The merchant with its own fitted process and customers. */
const myShop = { followers: 3000, repurchase: { model: fit.model, params: fit.params, unitDays: 1 }, customers };
/** A small market for it: 1,000 merchants, 90 days. */
const scenario = (merchant) => ({ seed: 7, days: HORIZON, population: { merchants: 1000 }, merchant });
/** The model's own prediction for the customers: Σ E[Y(h) | x, t_x, T]. */
const predicted = (h) => sum(fit.expectedPurchases(h, summary.frequency, summary.recency, summary.T));

test('the loop: export → readOrders → summarizeOrders → fitBgNbd → simulate, within 15% of the generating process', () => {
  // Every purchase read as one order; the closed and refunded ones excluded.
  assert.equal(orders.report.purchases, purchases);
  assert.equal(orders.report.malformed, 0);
  assert.ok(orders.report.excluded.closed > 0 && orders.report.excluded.refunded > 0);
  assert.equal(summary.frequency.length, CUSTOMERS);
  assert.ok(fit.converged, fit.message);
  // The truth: each alive customer's exact expectation (1 − e^{−λ·p·90})/p
  // given its own λ and p (the noise of one future draw removed).
  const truth = sum(shop.filter((c) => c.aliveAtEnd).map((c) => -Math.expm1(-c.lambda * c.p * HORIZON) / c.p));
  const r = m.simulate(scenario(myShop)).merchant;
  const simulated = sum(r.existingRepurchases);
  const err = Math.abs(simulated - truth) / truth;
  assert.ok(err < 0.15, `simulated ${simulated.toFixed(1)} vs true ${truth.toFixed(1)} (${(100 * err).toFixed(1)}%)`);
  // Unchanged settings reproduce the model's own prediction (within 1%: the
  // curves are interpolated; live days' factors average 1 over a cycle).
  const model = predicted(HORIZON);
  assert.ok(Math.abs(simulated - model) < 0.01 * model, `simulated ${simulated} vs the model's ${model}`);
  // The customers' repurchases are part of all repurchases; new customers from the funnel add theirs.
  assert.ok(r.existingRepurchases.every((x, d) => x > 0 && x <= r.repurchases[d]));
  assert.ok(sum(r.repurchases) > simulated);
});

test('with and without the fitted process: the customers count only with it, the run differs, the default is untouched', () => {
  const plain = m.simulate(scenario({ followers: 3000 })).merchant;
  assert.ok(plain.existingRepurchases.every((x) => x === 0));
  const mine = m.simulate(scenario(myShop)).merchant;
  assert.ok(sum(mine.existingRepurchases) > 0);
  assert.notDeepEqual(mine.repurchases, plain.repurchases);
  // Discovery exposure is the market's and the merchant's content, not its repurchase process: the first days agree.
  assert.equal(mine.publicExposure[0], plain.publicExposure[0]);
  // Without live sessions each day is the model's daily expectation, within 1%.
  const quiet = m.simulate(scenario({ ...myShop, liveEveryDays: 0 })).merchant;
  let prev = 0;
  quiet.existingRepurchases.forEach((got, day) => {
    const now = predicted(day + 1);
    assert.ok(Math.abs(got - (now - prev)) <= 0.01 * (now - prev), `day ${day}: ${got} vs ${now - prev}`);
    prev = now;
  });
  // The same market replayed with the process removed is the platform model's.
  const market = new m.MarketModel(scenario(myShop));
  const removed = market.runMerchant({ repurchase: null, customers: null });
  assert.ok(removed.existingRepurchases.every((x) => x === 0));
  // (A partial merchant keeps the market's fitted process unless it says null.)
  const kept = market.runMerchant({ followers: 3000 });
  const full = sum(market.result().merchant.existingRepurchases);
  assert.ok(Math.abs(sum(kept.existingRepurchases) - full) < 0.01 * full);
  assert.ok(sum(kept.existingRepurchases) > 0 && sum(removed.repurchases) !== sum(kept.repurchases));
  market.free();
});

test('the levers move the customers\' repurchases from the merchant\'s own starting point', () => {
  const market = new m.MarketModel(scenario(myShop));
  const base = sum(market.runMerchant({}).existingRepurchases);
  // The replay of the market's own merchant is the full run's.
  assert.ok(Math.abs(base - sum(market.result().merchant.existingRepurchases)) < 0.01 * base);
  const cases = [
    ['a better follow rate', { followRate: 0.1 }, true],
    ['more trust', { trust: 0.9 }, true],
    ['less trust', { trust: 0.1 }, false],
    ['better content', { contentQuality: 0.9 }, true],
    ['a higher price', { price: 300 }, false],
    ['live every day', { liveEveryDays: 1 }, true],
    ['never live', { liveEveryDays: 0 }, false],
  ];
  for (const [what, lever, up] of cases) {
    const v = sum(market.runMerchant(lever).existingRepurchases);
    assert.ok(up ? v > base * 1.001 : v < base * 0.999, `${what}: ${v} vs baseline ${base}`);
  }
  // A better follow rate raises all repurchases and the GMV over the run.
  const fans = market.runMerchant({ followRate: 0.1 });
  const now = market.runMerchant({});
  assert.ok(sum(fans.repurchases) > sum(now.repurchases) && sum(fans.gmv) > sum(now.gmv));
  // sweep honours the fitted process: its cell is the replay's.
  const g = market.sweep({ contentQuality: [0.5], followRate: [0.1] });
  assert.equal(g.gmv[0], sum(market.runMerchant({ contentQuality: 0.5, followRate: 0.1 }).gmv));
  const free = m.sweep(scenario(myShop), { contentQuality: [0.5], followRate: [0.1] });
  assert.equal(free.gmv[0], g.gmv[0]);
  market.free();
});

test('orderValue: Gamma-Gamma with the customers\' monetary values, or an average; repeat purchases at it, first orders at the price', () => {
  const gg = m.fitGammaGamma(summary.frequency, summary.monetary);
  const merchant = { ...myShop, price: 150, customers: { ...customers, monetary: summary.monetary }, orderValue: { params: gg.params } };
  const r = m.simulate(scenario(merchant)).merchant;
  const per = (sum(r.gmv) - 150 * sum(r.firstPurchases)) / sum(r.repurchases);
  const repeaters = Array.from(summary.monetary).filter((_, i) => summary.frequency[i] > 0);
  const mean = sum(repeaters) / repeaters.length;
  // Each customer at its expected spend given its history: close to the repeat buyers' mean (within 10%).
  assert.ok(Math.abs(per - mean) < 0.1 * mean, `${per} vs ${mean}`);
  const avg = { ...myShop, price: 150, orderValue: { average: 88 } };
  const a = m.simulate(scenario(avg)).merchant;
  assert.ok(Math.abs((sum(a.gmv) - 150 * sum(a.firstPurchases)) / sum(a.repurchases) - 88) < 1e-9 * 88);
  // Doubling the price doubles what a repeat purchase is worth.
  const market = new m.MarketModel(scenario(avg));
  const dear = market.runMerchant({ price: 300 });
  assert.ok(Math.abs((sum(dear.gmv) - 300 * sum(dear.firstPurchases)) / sum(dear.repurchases) - 176) < 1e-9 * 176);
  market.free();
  gg.free();
});

test('the fields round-trip: a fit\'s params object (or an array) in, the object back; customers as Float64Arrays', () => {
  const market = new m.MarketModel({ ...scenario(myShop), days: 5, population: { merchants: 50 } });
  const back = market.scenario().merchant;
  assert.deepEqual(back.repurchase, { model: 'bgnbd', params: fit.params, unitDays: 1 });
  for (const k of ['frequency', 'recency', 'T']) {
    assert.ok(back.customers[k] instanceof Float64Array);
    assert.deepEqual(back.customers[k], summary[k]);
  }
  assert.equal(back.orderValue, undefined);
  const p = fit.params;
  const asArray = m.simulate({ ...scenario(myShop), days: 5, population: { merchants: 50 }, merchant: { ...myShop, repurchase: { model: 'bgnbd', params: [p.r, p.alpha, p.a, p.b] } } });
  assert.deepEqual(asArray.merchant.existingRepurchases, market.result().merchant.existingRepurchases);
  const pareto = m.repurchaseModel('paretonbd', { r: 0.5, alpha: 20, s: 0.6, beta: 40 });
  const ov = { params: [6, 4, 15] };
  const s = new m.MarketModel({ days: 5, population: { merchants: 50 }, merchant: { repurchase: { model: pareto.model, params: pareto.params, unitDays: 7 }, orderValue: ov } });
  assert.deepEqual(s.scenario().merchant.repurchase, { model: 'paretonbd', params: { r: 0.5, alpha: 20, s: 0.6, beta: 40 }, unitDays: 7 });
  assert.deepEqual(s.scenario().merchant.orderValue, { params: { p: 6, q: 4, v: 15 } });
  // The defaults and the presets carry none of the three.
  for (const sc of [m.defaultScenario(), ...m.presets().map((x) => x.scenario)]) {
    assert.ok(!('repurchase' in sc.merchant) && !('customers' in sc.merchant) && !('orderValue' in sc.merchant));
  }
  s.free();
  pareto.free();
  market.free();
});

test('the fixture export (UTF-8 with BOM, order lines, closed and refunded orders) drives a run with a known model', () => {
  const o = m.readOrders(bytes('shop_export_utf8bom.csv'));
  const end = Math.max(...o.days);
  const s = m.summarizeOrders(o.customers, o.days, o.amounts, { calibrationEnd: end, periodDays: 1 });
  assert.equal(s.frequency.length, 5);
  const merchant = { repurchase: { model: 'bgnbd', params: TRUE }, customers: { frequency: s.frequency, recency: s.recency, T: s.T }, orderValue: { average: 120 } };
  const r = m.simulate({ seed: 3, days: 30, population: { merchants: 200 }, merchant }).merchant;
  const expected = sum(m.repurchaseModel('bgnbd', TRUE).expectedPurchases(30, s.frequency, s.recency, s.T));
  assert.ok(expected > 0);
  assert.ok(Math.abs(sum(r.existingRepurchases) - expected) < 0.01 * expected, `${sum(r.existingRepurchases)} vs ${expected}`);
});

test('merchantFromBackend and backendNumbers: the backend\'s numbers set the settings and back', () => {
  const market = new m.MarketModel({ seed: 7, days: 90, population: { merchants: 1000 } });
  const truth = { contentQuality: 0.62, trust: 0.71, price: 130, followers: 8000, adSpend: 350 };
  const numbers = market.backendNumbers(truth);
  assert.deepEqual(Object.keys(numbers), ['dailyExposure', 'ctr', 'orderRate', 'followers', 'averageOrderValue']);
  const f = market.merchantFromBackend(numbers);
  assert.deepEqual(f.unmatched, []);
  // Closed forms within 1e-9; ad spend by bisection on replays within 1e-6 relative.
  assert.ok(Math.abs(f.merchant.contentQuality - 0.62) < 1e-9 && Math.abs(f.merchant.trust - 0.71) < 1e-9);
  assert.ok(Math.abs(f.merchant.adSpend - 350) < 1e-6 * 350);
  assert.deepEqual([f.merchant.followers, f.merchant.price], [8000, 130]);
  assert.deepEqual(f.set.map((k) => `${k.number}→${k.setting}`), ['dailyExposure→adSpend', 'ctr→contentQuality', 'orderRate→trust', 'followers→followers', 'averageOrderValue→price']);
  assert.equal(f.set[1].value, f.merchant.contentQuality);
  assert.ok(Math.abs(f.achieved.dailyExposure - numbers.dailyExposure) < 1e-6 * numbers.dailyExposure);
  // Only the numbers given set anything; the starting merchant's other settings (and its fitted process) stay.
  const some = market.merchantFromBackend({ ctr: 0.03 }, { ...myShop, diligence: 0.8 });
  assert.deepEqual(some.set.map((k) => k.setting), ['contentQuality']);
  assert.equal(some.merchant.diligence, 0.8);
  assert.deepEqual(some.merchant.repurchase, myShop.repurchase);
  // Numbers no setting shows: reported with the closest the model shows, the settings at the ends of their ranges.
  const odd = market.merchantFromBackend({ ctr: 0.5, orderRate: 0.00001, dailyExposure: 1 });
  assert.deepEqual(odd.unmatched.map((u) => [u.number, u.side]), [['dailyExposure', 'below'], ['ctr', 'above'], ['orderRate', 'below']]);
  assert.equal(odd.unmatched[1].closest, 0.12);
  assert.equal(odd.unmatched[1].reason, 'ctr 0.5 is above the model\'s highest click-through, funnel.ctrMax = 0.12 (content quality 1)');
  assert.deepEqual([odd.merchant.contentQuality, odd.merchant.trust, odd.merchant.adSpend], [1, 0, 0]);
  // The free function runs the market for a scenario: the same answer as the model of the same scenario.
  const free = m.merchantFromBackend(numbers, { seed: 7, days: 90, population: { merchants: 1000 } });
  assert.deepEqual(free, f);
  market.free();
});

test('shijing/traffic leaves the fitted process out: it rejects merchant.repurchase, customers and orderValue by name; shijing takes them', async () => {
  const traffic = await loadPart('traffic');
  const small = { days: 5, population: { merchants: 50 } };
  const because = /is not available in shijing\/traffic: the traffic half leaves the merchant's fitted repurchase process out; the full package shijing has it/;
  const fields = {
    repurchase: myShop.repurchase,
    customers: customers,
    orderValue: { average: 40 },
  };
  for (const [k, v] of Object.entries(fields)) {
    const merchant = { [k]: v };
    for (const call of [() => traffic.simulate({ ...small, merchant }), () => new traffic.MarketModel({ ...small, merchant })]) {
      assert.throws(call, (e) => e.constructor === Error && because.test(e.message) && e.message.startsWith(`scenario.merchant.${k} `), k);
    }
  }
  const market = new traffic.MarketModel(small);
  assert.throws(() => market.runMerchant({ repurchase: myShop.repurchase }), (e) => e.constructor === Error && e.message.startsWith('merchant.repurchase ') && because.test(e.message));
  market.free();
  assert.equal(typeof traffic.merchantFromBackend, 'undefined');
  assert.equal(typeof traffic.MarketModel.prototype.merchantFromBackend, 'undefined');
  // the whole package takes the same merchant and counts the customers' repurchases
  const r = m.simulate({ ...small, merchant: { ...fields, orderValue: undefined } });
  assert.ok(r.merchant.existingRepurchases.some((x) => x > 0));
  assert.equal(typeof m.merchantFromBackend, 'function');
});
