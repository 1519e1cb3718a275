// One fuzz worker (see ../fuzz.test.mjs): makes calls `start`, `start + 1`, …
// of one seed until `end` or the deadline, reports each finding (a trap, a call
// over 1 s, a non-finite result from finite inputs) to the main thread, and
// writes the call it is making into shared memory so the main thread can name
// a call that hangs and end the worker.
import { parentPort, workerData } from 'node:worker_threads';
import { load } from '../load.mjs';
import { CALLS, Gen, NON_FINITE_ALLOWED, rng } from './calls.mjs';

const { seed, start, end, deadline, shared, names, slowMs } = workerData;
const m = load();
const progress = new Int32Array(shared, 0, 2);
const text = new Uint8Array(shared, 8);
const encoder = new TextEncoder();

/** A short, safe description of a value for reports. */
export function show(v, depth = 0) {
  try {
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'string') return v.length > 20 ? `'${v.slice(0, 20)}…'(${v.length})` : JSON.stringify(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (v === null || v === undefined || typeof v !== 'object') return typeof v === 'function' ? 'function' : String(v);
    if (depth > 1) return '…';
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length ?? v.byteLength})[${Array.from(v.slice?.(0, 4) ?? []).map((x) => show(x)).join(', ')}${v.length > 4 ? ', …' : ''}]`;
    if (Array.isArray(v)) return `[${v.slice(0, 4).map((x) => show(x, depth + 1)).join(', ')}${v.length > 4 ? `, …(${v.length})` : ''}]`;
    const keys = Object.keys(v);
    return `{${keys.slice(0, 6).map((k) => `${k.length > 20 ? k.slice(0, 20) + '…' : k}: ${show(v[k], depth + 1)}`).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
  } catch {
    return '<unreadable>';
  }
}

/** The path of the first non-finite number in a result that the documentation does not allow, or null. */
function nonFinite(v, allowed, path = 'result', depth = 0) {
  if (typeof v === 'number') return Number.isFinite(v) || allowed?.(v) ? null : `${path} = ${v}`;
  if (v === null || typeof v !== 'object' || depth > 3) return null;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView || typeof v[0] === 'bigint') return null;
    const i = v.findIndex((x) => !Number.isFinite(x) && !allowed?.(x));
    return i < 0 ? null : `${path}[${i}] = ${v[i]}`;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) { const r = nonFinite(v[i], allowed, `${path}[${i}]`, depth + 1); if (r) return r; }
    return null;
  }
  if (typeof v.free === 'function' && 'params' in v) return nonFinite({ params: v.params, logLikelihood: v.logLikelihood ?? 0 }, allowed, path, depth);
  for (const k of Object.keys(v)) {
    const r = nonFinite(v[k], NON_FINITE_ALLOWED[k] ?? allowed, `${path}.${k}`, depth + 1);
    if (r) return r;
  }
  return null;
}

// A call's time is the module's: the time the harness spends making the
// arguments (Gen's generators: arrays of up to a million values, hostile
// values) is measured apart and taken off. A hostile value's getters and
// Proxy traps run inside the module's reading, and count as its time.
let making = 0, makingCpu = 0, depth = 0;
for (const k of ['hostile', 'size', 'number', 'valid', 'column', 'integers', 'customers']) {
  const f = Gen.prototype[k];
  Gen.prototype[k] = function (...a) {
    if (depth++ > 0) try { return f.apply(this, a); } finally { depth--; }
    const t0 = performance.now(), c0 = process.cpuUsage();
    try { return f.apply(this, a); } finally {
      depth--;
      making += performance.now() - t0;
      const c = process.cpuUsage(c0);
      makingCpu += (c.user + c.system) / 1000;
    }
  };
}
/**
 * Runs call `i` and times it, net of making its arguments: wall time, and the
 * CPU time of this process (this worker's thread does the work; the main
 * thread only polls every 250 ms), which other jobs on the machine do not
 * inflate as they do the wall time.
 */
function timed(name, g) {
  making = 0; makingCpu = 0;
  const t0 = performance.now(), c0 = process.cpuUsage();
  let result, error;
  try {
    result = CALLS[name](m, g);
  } catch (e) {
    error = e;
  }
  const c = process.cpuUsage(c0);
  return { result, error, ms: performance.now() - t0 - making, cpu: (c.user + c.system) / 1000 - makingCpu };
}

const counts = { calls: 0, returned: 0, TypeError: 0, RangeError: 0, Error: 0, other: 0 };
let i = start;
let trapped = false;
for (; i < end && Date.now() < deadline; i++) {
  const name = names[i % names.length];
  const g = new Gen(rng(seed, i));
  const label = encoder.encode(`${name} (call ${i})\0`);
  text.set(label.subarray(0, text.length - 1));
  Atomics.store(progress, 0, i);
  const { result, error, ms, cpu } = timed(name, g);
  counts.calls++;
  if (counts.calls % 256 === 0) parentPort.postMessage({ counts });
  if (error instanceof WebAssembly.RuntimeError) {
    parentPort.postMessage({ finding: { kind: 'trap', name, i, detail: error.message } });
    trapped = true;
    break; // the instance is broken: the main thread starts a fresh worker at i + 1
  }
  if (error) counts[['TypeError', 'RangeError', 'Error'].includes(error.constructor?.name) ? error.constructor.name : 'other']++;
  else counts.returned++;
  if (cpu > slowMs) {
    // over 1 s of CPU: timed twice more from the same seed, a finding only if over 1 s each time
    let best = cpu;
    for (let k = 0; k < 2 && best > slowMs; k++) {
      const again = timed(name, new Gen(rng(seed, i)));
      try { again.result?.free?.(); } catch { /* freed already */ }
      best = Math.min(best, again.cpu);
    }
    if (best > slowMs) parentPort.postMessage({ finding: { kind: 'slow', name, i, detail: `${Math.round(cpu)} ms of CPU (wall ${Math.round(ms)} ms), then at best ${Math.round(best)} ms` } });
  }
  if (!error && g.finite) {
    const where = nonFinite(result, NON_FINITE_ALLOWED[name]);
    if (where) parentPort.postMessage({ finding: { kind: 'non-finite', name, i, detail: where } });
  }
  try { result?.free?.(); } catch { /* freed already */ }
}
parentPort.postMessage({ done: { next: trapped ? i + 1 : i, counts } });
