// A seeded fuzz harness over the package (issue 19): every exported function,
// constructor, method and getter, called with plausible values, extreme but
// valid numbers, wrong types, getters that throw, Proxies, revoked Proxies,
// detached and BigInt arrays (tests/js/fuzz/calls.mjs). It records
//   - traps (a WebAssembly.RuntimeError: the instance is then broken; the run
//     goes on in a fresh worker),
//   - calls over 1 s ("slow": over 1 s of CPU in the module, net of making
//     the arguments — the machine's other jobs inflate wall time, not CPU
//     time —, timed twice more from the same seed and a finding only if over
//     1 s each time), and calls that do not return within 20 s of wall time
//     ("hang": the worker is ended and the run goes on),
//   - non-finite numbers in a result when every number passed was finite
//     (documented exceptions, e.g. `tau` = Infinity, aside),
// and fails on any of them except the ones listed in
// tests/js/fuzz/known-until-merged.mjs (defects other branches fix).
//
// CI (bounded, about a minute):
//   node --test tests/js/fuzz.test.mjs
// Release check (long run; ≥ 500,000 calls, any seed):
//   FUZZ_SECONDS=3600 FUZZ_CALLS=500000 FUZZ_SEED=7 node --test tests/js/fuzz.test.mjs
// Reproduce one finding (it names its call index): FUZZ_SEED=<seed> FUZZ_FROM=<i> FUZZ_CALLS=1 …
// Environment: FUZZ_SECONDS (time budget, default 60), FUZZ_CALLS (call
// budget, default unlimited), FUZZ_SEED (default 19), FUZZ_FROM (first call,
// default 0), FUZZ_SLOW_MS (default 1000), SHIJING_PKG (another build, as for the other tests).
import test from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { load } from './load.mjs';
import { CALLS, surface } from './fuzz/calls.mjs';
import { KNOWN_UNTIL_MERGED } from './fuzz/known-until-merged.mjs';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);
const MAX_CALLS = Number(process.env.FUZZ_CALLS ?? Infinity);
const SEED = Number(process.env.FUZZ_SEED ?? 19);
const FROM = Number(process.env.FUZZ_FROM ?? 0);
const HANG_MS = 20_000;
/** CPU time over which a call is "slow" (1 s; lower only to check the harness finds slow calls). */
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 1000);

/** `Object.groupBy` (Node 20 lacks it). */
function groupBy(xs, key) {
  const out = {};
  for (const x of xs) (out[key(x)] ??= []).push(x);
  return out;
}
const m = load();
const names = Object.keys(CALLS).sort();

test('the fuzz harness calls every exported function, constructor, method and getter', () => {
  const missing = surface(m).filter((n) => !(n in CALLS));
  const stale = names.filter((n) => !surface(m).includes(n));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
});

/** Runs one worker from call `from`; resolves with its counts, findings and where to go on. */
function runWorker(from, end, deadline, findings) {
  const shared = new SharedArrayBuffer(8 + 512);
  const progress = new Int32Array(shared, 0, 2);
  const text = new Uint8Array(shared, 8);
  Atomics.store(progress, 0, from);
  const worker = new Worker(new URL('./fuzz/worker.mjs', import.meta.url), { workerData: { seed: SEED, start: from, end, deadline, shared, names, slowMs: SLOW_MS } });
  return new Promise((resolve) => {
    let last = from, since = Date.now(), done = null, counts = { calls: 0 };
    const watch = setInterval(() => {
      const i = Atomics.load(progress, 0);
      if (i !== last) { last = i; since = Date.now(); return; }
      if (Date.now() - since > HANG_MS) {
        const label = new TextDecoder().decode(text.slice(0, text.indexOf(0)));
        findings.push({ kind: 'hang', name: label.replace(/ \(call \d+\)$/, ''), i, detail: `no return after ${HANG_MS / 1000} s` });
        done = { next: i + 1, counts: { ...counts, calls: i - from + 1 } };
        worker.terminate();
      }
    }, 250);
    worker.on('message', (msg) => {
      if (msg.finding) findings.push(msg.finding);
      if (msg.counts) counts = msg.counts;
      if (msg.done) done = msg.done;
    });
    worker.on('error', (e) => { findings.push({ kind: 'worker-error', name: '', i: Atomics.load(progress, 0), detail: String(e) }); });
    worker.on('exit', () => {
      clearInterval(watch);
      resolve(done ?? { next: Atomics.load(progress, 0) + 1, counts });
    });
  });
}

test(`fuzz: seed ${SEED}, ${SECONDS} s${Number.isFinite(MAX_CALLS) ? `, at most ${MAX_CALLS} calls` : ''}: no trap, no hang, no call over 1 s, no non-finite result from finite inputs`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const deadline = Date.now() + SECONDS * 1000;
  const end = FROM + MAX_CALLS;
  const findings = [];
  const totals = {};
  let next = FROM, workers = 0;
  while (next < end && Date.now() < deadline) {
    const r = await runWorker(next, end, deadline, findings);
    for (const [k, v] of Object.entries(r.counts)) totals[k] = (totals[k] ?? 0) + v;
    next = r.next;
    workers++;
  }
  const known = [], unexpected = [];
  for (const f of findings) {
    const entry = KNOWN_UNTIL_MERGED.find((k) => k.match(f));
    (entry ? known : unexpected).push(entry ? { ...f, issue: entry.issue } : f);
  }
  const byKind = (fs) => Object.entries(groupBy(fs, (f) => f.kind)).map(([k, v]) => `${k} ${v.length}`).join(', ') || 'none';
  t.diagnostic(`calls ${totals.calls} (workers ${workers}, calls ${FROM}…${next - 1}); returned ${totals.returned ?? 0}, threw TypeError ${totals.TypeError ?? 0}, RangeError ${totals.RangeError ?? 0}, Error ${totals.Error ?? 0}`);
  t.diagnostic(`findings: ${byKind(findings)}; expected until merged: ${byKind(known)}; unexpected: ${byKind(unexpected)}`);
  const line = (f) => `${f.kind}: ${f.name} (FUZZ_SEED=${SEED} FUZZ_FROM=${f.i} FUZZ_CALLS=1): ${f.detail}${f.issue ? ` [expected until merged: ${f.issue}]` : ''}`;
  const summarize = (fs) => {
    const groups = groupBy(fs, (f) => `${f.kind} ${f.name}`);
    return Object.values(groups).map((g) => `${line(g[0])}${g.length > 1 ? ` (and ${g.length - 1} more)` : ''}`);
  };
  for (const l of summarize(known)) t.diagnostic(l);
  for (const l of summarize(unexpected)) t.diagnostic(`UNEXPECTED ${l}`);
  assert.ok(totals.calls > 0, 'no call was made');
  assert.deepEqual(summarize(unexpected), [], 'fuzz findings that no branch is known to fix');
});
