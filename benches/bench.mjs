// Speed through the npm package in Node, for BENCHMARKS.md. Run after
// `bash scripts/build-pkg.sh`:
//   node benches/bench.mjs [section ...] [--json [FILE]]
// Sections: gini, cap, allocate, fit, pareto, intervals, predict, orders, sim (default: all). Each figure is the
// median of repeated runs after warm-up, with min and max; the machine and versions
// are printed. --json also writes the run as a results file (benches/record.mjs;
// default benches/results/node-<date>-<commit>.json) for benches/compare.mjs.
// capGini is compared with a plain-JS version of the same algorithm
// (benches/cap_gini_baseline.mjs), outputs checked equal first.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../tests/js/load.mjs';
import { capGiniJs } from './cap_gini_baseline.mjs';
import { context, summary, writeIfAsked, plainArgs } from './record.mjs';

const m = load();
const want = new Set(plainArgs());
let section = '';
const on = (s) => { section = s; return want.size === 0 || want.has(s); };
const record = context('node');
const rows = record.rows;

/** Times `fn` `runs` times after `warmup` calls; records the row as `id`. */
function time(id, label, fn, { runs = 15, warmup = 3, target } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  const { median: med, min, max } = summary(t);
  const round = (x) => Number(x.toPrecision(4));
  rows.push({ id, name: label, unit: 'ms', median: round(med), min: round(min), max: round(max), runs, ...(target ? { target } : {}), command: `node benches/bench.mjs ${section}` });
  console.log(`${label.padEnd(52)} median ${med.toFixed(2).padStart(9)} ms  [${min.toFixed(2)}–${max.toFixed(2)}]${target ? `  target ≤ ${target} ms ${med <= target ? 'MET' : 'NOT MET'}` : ''}`);
  return med;
}

/** A deterministic heavy-tailed exposure vector. */
const exposure = (n, seed = 1) => m.sampleExposure(n, { sigma: 1.5, seed });

console.log(`node ${process.version}, ${record.machine.cpu} ×${record.machine.cores}, load ${record.machine.load.join(' ')}, shijing ${m.version()}, commit ${record.commit?.slice(0, 7)}${record.dirty ? ' (uncommitted changes)' : ''}`);

if (on('gini')) {
  const v = exposure(1_000_000);
  time('gini/1e6', 'gini, 1e6 values', () => m.gini(v), { runs: 9 });
}

if (on('cap')) {
  const v = exposure(1_000_000);
  const wasm = m.capGini(v, 0.3);
  const js = capGiniJs(v, 0.3);
  let worst = 0;
  for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(wasm[i] - js[i]) / Math.max(1, Math.abs(js[i])));
  if (!(worst < 1e-9)) throw new Error(`capGini and capGiniJs disagree: ${worst}`);
  console.log(`capGini and capGiniJs agree on 1e6 creators (max relative difference ${worst.toExponential(1)})`);
  const w = time('capGini/1e6', 'capGini, 1e6 creators (Wasm)', () => m.capGini(v, 0.3), { runs: 9, target: 30 });
  const j = time('capGiniJs/1e6', 'capGiniJs, 1e6 creators (plain JS baseline)', () => capGiniJs(v, 0.3), { runs: 5 });
  console.log(`plain JS / Wasm = ${(j / w).toFixed(2)}×`);
  const capper = new m.GiniCapper(v);
  time('GiniCapper.solve/1e6', 'GiniCapper.solve (cached sort), 1e6 creators', () => capper.solve(0.35), { runs: 9 });
  capper.free();
}

/** An allocation request like benches/native.rs's workload: n items, n/10 creators. */
function request(n) {
  const creators = n / 10;
  const creator = new Uint32Array(n), alpha = new Float64Array(n), beta = new Float64Array(n), tier = new Uint32Array(n);
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    creator[i] = Math.floor(u * u * creators) % creators;
    const shown = [0, 300, 500, 3000][i % 4];
    const e = Math.floor(shown * 0.03 * Math.exp(0.5 * (rnd() + rnd() - 1)));
    alpha[i] = 0.9 + e; beta[i] = 29.1 + shown - e;
    tier[i] = i % 50 === 0 ? 2 : Number(i % 7 === 0);
  }
  const newMerchant = new Uint8Array(creators).map((_, c) => Number(c % 5 === 0));
  const diligence = new Float64Array(creators).map((_, c) => c % 13);
  return { items: { creator, alpha, beta, tier }, creators: { count: creators, newMerchant, diligence }, options: { budget: 100 * n, seed: 1 } };
}

if (on('allocate')) {
  for (const [n, target] of [[100_000, 20], [1_000_000, 200]]) {
    const r = request(n);
    const out = m.allocate(r);
    const total = out.itemExposure.reduce((a, b) => a + b, 0) + out.unallocated;
    if (total !== 100 * n) throw new Error(`budget not conserved: ${total}`);
    time(`allocate/${n.toExponential(0)}`, `allocate, ${n.toExponential(0)} items`, () => m.allocate(r), { runs: n > 1e5 ? 5 : 11, target });
  }
}

if (on('fit')) {
  const csv = readFileSync(new URL('../tests/data/cdnow_customers_summary.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const f = Float64Array.from(csv, (r) => r[1]), rec = Float64Array.from(csv, (r) => r[2]), T = Float64Array.from(csv, (r) => r[3]);
  const gg = readFileSync(new URL('../tests/data/cdnow_customers_summary_with_transactions.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number)).filter((r) => r[1] > 0);
  const gx = Float64Array.from(gg, (r) => r[1]), gz = Float64Array.from(gg, (r) => r[4]);
  const fit = (name, call, target) => time(`${name}/cdnow`, `${name}, CDNOW (2,357 customers)`, () => { const model = call(); model.free(); }, { runs: 21, target });
  fit('fitBgNbd', () => m.fitBgNbd(f, rec, T), 1.6);
  fit('fitModifiedBgNbd', () => m.fitModifiedBgNbd(f, rec, T), 1.6);
  fit('fitParetoNbd', () => m.fitParetoNbd(f, rec, T), 6.4);
  time('fitGammaGamma/cdnow', 'fitGammaGamma, CDNOW (946 repeaters)', () => m.fitGammaGamma(gx, gz).free(), { runs: 21, target: 1 });
}

if (on('pareto')) {
  // Issue 16 §1: every Pareto/NBD fit of 5,000 customers ≤ 1 s. The data sets
  // are tests/native_pareto.rs's (the 81-set grid from its seeded simulator,
  // lifetimes' example data summarized in days, heavy buyers with up to ~10,000
  // purchases, rounded and not), written by
  //   SHIJING_GRID_DIR=DIR cargo test --test native_pareto export_grid_data -- --ignored
  // and read here from $SHIJING_GRID_DIR (default target/grid).
  const dir = process.env.SHIJING_GRID_DIR ?? new URL('../target/grid/', import.meta.url).pathname;
  if (!existsSync(dir)) {
    if (want.has('pareto')) throw new Error(`${dir}: no grid data; write it first (see the comment above)`);
    console.log(`pareto: skipped (no grid data in ${dir})`);
  } else {
  const read = (name) => {
    const rows = readFileSync(`${dir.replace(/\/?$/, '/')}${name}.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    return [0, 1, 2].map((c) => Float64Array.from(rows, (r) => r[c]));
  };
  const fitOnce = ([f, rec, T]) => { const model = m.fitParetoNbd(f, rec, T); const out = { ll: model.logLikelihood, converged: model.converged, boundary: model.boundary }; model.free(); return out; };
  // One timed fit per grid set first, to find the slowest; then the slowest
  // set gets a row of its own (repeated runs).
  let slowest = { k: -1, ms: -1 };
  for (let k = 0; k < 81; k++) {
    const data = read(`set_${k}`);
    fitOnce(data);
    const t0 = performance.now();
    const out = fitOnce(data);
    const ms = performance.now() - t0;
    if (!out.converged) throw new Error(`grid set ${k}: not converged`);
    if (ms > slowest.ms) slowest = { k, ms };
  }
  console.log(`slowest of the 81 grid sets in one pass: set ${slowest.k} (${slowest.ms.toFixed(1)} ms)`);
  const rowFor = (id, label, name) => {
    const data = read(name);
    const out = fitOnce(data);
    console.log(`  ${name}: log-likelihood ${out.ll.toFixed(6)}, converged ${out.converged}, boundary ${out.boundary}`);
    time(id, label, () => fitOnce(data), { runs: 7, warmup: 1, target: 1000 });
  };
  rowFor('fitParetoNbd/grid-slowest', `fitParetoNbd, slowest grid set (${slowest.k}; 5,000 customers)`, `set_${slowest.k}`);
  rowFor('fitParetoNbd/example', 'fitParetoNbd, lifetimes example data (5,000 customers)', 'set_example');
  rowFor('fitParetoNbd/heavy', 'fitParetoNbd, heavy buyers (5,000 customers)', 'heavy');
  rowFor('fitParetoNbd/heavy-rounded', 'fitParetoNbd, heavy buyers, rounded (5,000)', 'heavy_rounded');
  }
}

if (on('intervals')) {
  // Issue 16 §2: intervals for CDNOW (2,357 customers, weeks) in ≤ 200 ms,
  // the default 200 parameter draws at level 0.9.
  const rows = readFileSync(new URL('../tests/data/cdnow_customers_summary_with_transactions.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const [f, rec, T, mon] = [1, 2, 3, 4].map((c) => Float64Array.from(rows, (r) => r[c]));
  for (const [name, fit] of [['bgnbd', m.fitBgNbd], ['mbgnbd', m.fitModifiedBgNbd], ['paretonbd', m.fitParetoNbd]]) {
    const model = fit(f, rec, T);
    const s = model.merchantSummaryIntervals(f, rec, T, { unitDays: 7 });
    const pct = (iv) => `${(100 * iv.value).toFixed(1)}% (${(100 * iv.low).toFixed(1)}–${(100 * iv.high).toFixed(1)}%)`;
    console.log(`  ${name} CDNOW: 30-day repurchase ${pct(s.shareBuyingNext30)}, 90-day ${pct(s.shareBuyingNext90)}, likely alive ${pct(s.shareAlive)}`);
    time(`merchantSummaryIntervals/${name}/cdnow`, `merchantSummaryIntervals, ${name}, CDNOW (200 draws)`, () => model.merchantSummaryIntervals(f, rec, T, { unitDays: 7 }), { runs: 11, warmup: 2, target: 200 });
    if (name === 'bgnbd') {
      time('expectedPurchasesIntervals/bgnbd/cdnow', 'expectedPurchasesIntervals, bgnbd, CDNOW (200 draws)', () => model.expectedPurchasesIntervals(39, f, rec, T), { runs: 11, warmup: 2 });
      const gg = m.fitGammaGamma(f, mon);
      time('customerLifetimeValueIntervals/bgnbd/cdnow', 'customerLifetimeValueIntervals, bgnbd + gammagamma, CDNOW, 12 months (200 draws)', () => gg.customerLifetimeValueIntervals(model, f, rec, T, mon, { unitsPerMonth: 4.345 }), { runs: 5, warmup: 1 });
      gg.free();
    }
    model.free();
  }
}

if (on('predict')) {
  // Issue 19: every prediction returns within a bounded time for any parameters a fit
  // can return or repurchaseModel accepts — target ≤ 1 s a call on 10,000 customers.
  // Each method is screened once over every parameter set × customer set × horizon
  // below (the issue's boundary fits, the accepted range's corners, CDNOW's fits),
  // then its slowest case is timed properly; a call that throws (a RangeError naming
  // what is out of the supported range) is timed as well.
  const N = 10_000;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const logU = (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand());
  const customers = (xMax, tMax) => {
    const f = new Float64Array(N), r = new Float64Array(N), T = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      T[i] = tMax > 1e3 ? logU(1, tMax) : tMax * rand();
      f[i] = rand() < 0.4 ? 0 : Math.round(xMax > 1e3 ? logU(1, xMax) : 1 + (xMax - 1) * rand());
      r[i] = f[i] === 0 ? 0 : T[i] * rand();
    }
    return { f, r, T, mon: Float64Array.from(f, (x) => (x > 0 ? logU(1, 1e4) : 0)) };
  };
  const sets = { typical: customers(30, 52), heavy: customers(1e7, 1e7) };
  const corners = (names) => [1e-13, 1e13].flatMap((a) => [1e-13, 1e13].flatMap((b) => [1e-13, 1e13].flatMap((c) => [1e-13, 1e13].map((d) => Object.fromEntries(names.map((k, i) => [k, [a, b, c, d][i]]))))));
  const bg = ['r', 'alpha', 'a', 'b'];
  // Inside the range too: a large r with a < 50 is where no closed form holds
  // and every horizon needs the direct Beta integral.
  const inside = [{ r: 1e3, alpha: 1e3, a: 0.3, b: 0.3 }, { r: 1e13, alpha: 1e13, a: 0.3, b: 0.3 }];
  const params = {
    bgnbd: [{ r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 }, { r: 0.205, alpha: 0.304, a: 1240, b: 10400 }, { r: 0.24328, alpha: 0.19226, a: 1615195.25, b: 13282535.4 }, ...inside, ...corners(bg)],
    mbgnbd: [{ r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 }, { r: 0.24328, alpha: 0.19226, a: 1615195.25, b: 13282535.4 }, ...inside, ...corners(bg)],
    paretonbd: [{ r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.668 }, { r: 0.5, alpha: 10, s: 1e-13, beta: 1e13 }, ...corners(['r', 'alpha', 's', 'beta'])],
  };
  const gg = m.repurchaseModel('gammagamma', { p: 6.25, q: 3.74, v: 15.44 });
  const ggExtreme = [{ p: 6.25, q: 3.74, v: 15.44 }, ...[1e-13, 1e13].flatMap((p) => [1.0001, 1e13].flatMap((q) => [1e-13, 1e13].map((v) => ({ p, q, v }))))];
  const times = Float64Array.from({ length: N }, (_, i) => (i === 0 ? 0 : Math.exp((Math.log(1e7) * i) / (N - 1))));
  const methods = {
    probabilityAlive: (md, c) => md.probabilityAlive(c.f, c.r, c.T),
    expectedPurchases: (md, c, t) => md.expectedPurchases(t, c.f, c.r, c.T),
    probabilityOfRepurchase: (md, c, t) => md.probabilityOfRepurchase(t, c.f, c.r, c.T),
    logLikelihoodOf: (md, c) => md.logLikelihoodOf(c.f, c.r, c.T),
    merchantSummary: (md, c, t) => md.merchantSummary(c.f, c.r, c.T, { unitDays: t > 30 ? 3660 : 90 / 1e7 }),
    holdoutCheck: (md, c, t) => md.holdoutCheck(c.f, c.r, c.T, c.f, t, { maxFrequency: 1000 }),
    newCustomerExpectedPurchases: (md) => md.newCustomerExpectedPurchases(times),
    newCustomerRepurchase: (md) => md.newCustomerRepurchase(times),
    customerLifetimeValue: (md, c, t) => gg.customerLifetimeValue(md, c.f, c.r, c.T, c.mon, { months: 120, unitsPerMonth: t > 30 ? 1e5 : 4.345 }),
  };
  const once = (fn) => { const t0 = performance.now(); try { fn(); } catch (e) { if (!(e instanceof Error) || e instanceof WebAssembly.RuntimeError) throw e; } return performance.now() - t0; };
  const worst = {};
  for (const [kind, list] of Object.entries(params)) {
    for (const p of list) {
      const md = m.repurchaseModel(kind, p);
      for (const [setName, c] of Object.entries(sets)) {
        for (const t of [30, 1e7]) {
          for (const [name, call] of Object.entries(methods)) {
            const ms = once(() => call(md, c, t));
            if (!(worst[name]?.ms >= ms)) worst[name] = { ms, kind, p, setName, t };
          }
        }
      }
      md.free();
    }
  }
  for (const p of ggExtreme) {
    const g2 = m.repurchaseModel('gammagamma', p);
    for (const [setName, c] of Object.entries(sets)) {
      const ms = once(() => g2.expectedSpend(c.f, c.mon));
      if (!(worst.expectedSpend?.ms >= ms)) worst.expectedSpend = { ms, kind: 'gammagamma', p, setName, t: 0, g2p: p };
    }
    g2.free();
  }
  for (const [name, w] of Object.entries(worst)) {
    const label = `${name}, slowest case, 10,000 customers`;
    console.log(`  ${name}: slowest ${w.kind} ${JSON.stringify(w.p)}, ${w.setName} customers, t = ${w.t}`);
    if (name === 'expectedSpend') {
      const g2 = m.repurchaseModel('gammagamma', w.p);
      time(`predictWorst/${name}`, label, () => { try { g2.expectedSpend(sets[w.setName].f, sets[w.setName].mon); } catch { /* timed either way */ } }, { runs: 5, warmup: 1, target: 1000 });
      g2.free();
      continue;
    }
    const md = m.repurchaseModel(w.kind, w.p);
    time(`predictWorst/${name}`, label, () => { try { methods[name](md, sets[w.setName], w.t); } catch { /* timed either way */ } }, { runs: 5, warmup: 1, target: 1000 });
    md.free();
  }
  gg.free();
}

if (on('orders')) {
  // An order log's summary (the explorer's 1M-row upload): 1,000,000 orders
  // of 100,000 customers over 540 days, customer ids as a Uint32Array.
  const n = 1_000_000;
  const customer = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) % 100_000);
  const day = Float64Array.from({ length: n }, (_, i) => 10_000 + (i % 540));
  time('summarizeOrders/1e6', 'summarizeOrders, 1,000,000 orders (100,000 customers)', () => m.summarizeOrders(customer, day, undefined, { calibrationEnd: 10_600 }), { runs: 11, warmup: 2 });
  // A shop backend's CSV export of 1,000,000 order lines (137 MB: guarded 19-digit order
  // numbers, buyer ids, two times, ￥ amounts, statuses, refunds; tests/data/make_exports.py
  // --big, written once to the temp directory), from its bytes to the result.
  const csv = join(tmpdir(), 'shijing-orders-1000000.csv');
  if (!existsSync(csv)) {
    execFileSync('python3', [fileURLToPath(new URL('../tests/data/make_exports.py', import.meta.url)), '--big', '1000000', csv], { stdio: 'inherit' });
  }
  const bytes = new Uint8Array(readFileSync(csv));
  const first = m.readOrders(bytes);
  if (first.report.lines !== 1_000_000 || first.report.malformed !== 0) throw new Error(`${csv} read as ${first.report.lines} lines, ${first.report.malformed} malformed`);
  time('readOrders/csv-1e6-lines', 'readOrders, 1,000,000 order lines (CSV, UTF-8, 137 MB)', () => m.readOrders(bytes), { runs: 9, warmup: 2, target: 300 });
  // What the explorer does next with them (www/src/api.js, fitRepeat with its defaults): the
  // customers in weeks, and the BG/NBD fit (193,313 customers, 151,879 distinct rows).
  const s = m.summarizeOrders(first.customerIndex, first.days, first.amounts ?? undefined, { calibrationEnd: first.report.lastDay, periodDays: 1, unitDays: 7 });
  time('cohortRepurchase/csv-1e6-lines', 'cohortRepurchase, the 1,000,000-line export\'s purchases', () => m.cohortRepurchase(first.customerIndex, first.days), { runs: 9, warmup: 2 });
  time('summarizeOrders/csv-1e6-lines', 'summarizeOrders, the 1,000,000-line export\'s purchases (weeks)', () => m.summarizeOrders(first.customerIndex, first.days, first.amounts ?? undefined, { calibrationEnd: first.report.lastDay, periodDays: 1, unitDays: 7 }), { runs: 9, warmup: 2 });
  time('fitBgNbd/csv-1e6-lines', `fitBgNbd, the 1,000,000-line export's ${s.frequency.length.toLocaleString('en')} customers`, () => m.fitBgNbd(s.frequency, s.recency, s.T).free(), { runs: 5, warmup: 1 });
}

if (on('sim')) {
  time('simulate/default', 'simulate, default scenario (10,000 merchants, 90 days)', () => m.simulate(), { runs: 5, warmup: 1, target: 300 });
  const model = new m.MarketModel();
  let q = 0.3;
  time('MarketModel.runMerchant/default', 'MarketModel.runMerchant, default scenario', () => { q = q > 0.9 ? 0.3 : q + 0.01; model.runMerchant({ contentQuality: q }); }, { runs: 41, target: 5 });
  const axis = Array.from({ length: 21 }, (_, i) => i / 20);
  time('MarketModel.sweep/21x21', 'MarketModel.sweep, 21 × 21 grid', () => model.sweep({ contentQuality: axis, followRate: axis }), { runs: 7, target: 100 });
  model.free();
  // One simulated day with 1,000,000 items: the marginal cost of a day, from runs of 1 and 5 days
  // (666,667 merchants with 1.5 content slots each on average). Building the population and the
  // first day's memory growth scatter by ±0.3 s between runs, so the difference is spread over 4 days.
  const big = (days) => ({ days, seed: 1, population: { merchants: 666_667 } });
  const one = time('simulate/1e6-items-1day', 'simulate, 666,667 merchants (~1e6 items), 1 day', () => m.simulate(big(1)), { runs: 5, warmup: 1 });
  const five = time('simulate/1e6-items-5days', 'simulate, 666,667 merchants (~1e6 items), 5 days', () => m.simulate(big(5)), { runs: 5, warmup: 1 });
  // A difference of two medians: no min or max of its own.
  const day = Number(((five - one) / 4).toPrecision(4));
  rows.push({ id: 'simulate/1e6-items-day', name: 'one simulated day, ~1e6 items ((5 days − 1 day) / 4)', unit: 'ms', median: day, min: null, max: null, runs: 1, target: 200, command: 'node benches/bench.mjs sim' });
  console.log(`one simulated day with ~1e6 items: ${day.toFixed(0)} ms (target ≤ 200 ms)`);
}

writeIfAsked(record);
