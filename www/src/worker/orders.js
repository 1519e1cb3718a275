// A merchant's order file in the worker: read with the package's readOrders,
// kept for the fit (`repeat.orders`), with the warm-ups that make the first
// big file's calls run optimized code.
import { has, coded, isZip, ordersReader, repurchasePart, xlsxReader } from './parts.js';
import { FITTERS, fitOrders, meanOf } from './fit.js';
import { dayToIso, stageClock } from './days.js';

/** The parsed orders readOrderFile keeps and the last fit's state (fitRepeat), for the calls after them. */
export const repeat = { orders: null, lastFit: null };

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
export function warmRepeat(rep, { model = 'bgnbd', unitDays = 7 } = {}, sample = null) {
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

export async function readFile(file, options, job, { model = 'bgnbd', unitDays = 7 }) {
  repeat.orders = null;
  repeat.lastFit = null;
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
  repeat.orders = { customer: o.customerIndex, day: o.days, amount: o.amounts, ids: o.ids, firstDay: r.firstDay, lastDay: r.lastDay, group: o.groupIndex, groupLevels: o.groupLevels };
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
