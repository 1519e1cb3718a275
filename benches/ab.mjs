// A/B of two package builds in one Node process: both builds are loaded (two
// Wasm instances), their outputs on the bench input are compared, then the
// workload is called on each in turn (the order alternating) and the medians
// are printed, with B/A per pair.
//   node benches/ab.mjs DIR_A DIR_B [calls] [cap|sim] [--cpu]
// cap (default): capGini(1e6, 0.3), 31 calls; the outputs must be equal bit
// for bit. sim: simulate() of the default scenario, 21 calls; whether the
// results are the same numbers is printed (a deliberately changed random
// stream gives other numbers).
// Node timings on the test VM are bimodal across processes (one process can
// run everything 1.5× slower than the next), so comparing builds inside one
// process is steadier than comparing processes; repeat it in a few.
// --cpu times each call by the process's CPU time (process.cpuUsage) instead
// of the wall clock, leaving out the time a call waits for a core (it counts
// V8's background threads, idle once the calls are warm). On the shared 2-core
// VM at load 6–8, two builds' sim B/A was 0.952, 1.135 and 1.185 by the wall
// clock in three processes, and 0.972, 0.998 and 0.981 by CPU time.
// DIR_A and DIR_B are `wasm-pack build --target web` output directories.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2).filter((a) => a !== '--cpu');
const cpu = process.argv.includes('--cpu');
/** Milliseconds on the clock the run asked for. */
const now = cpu
  ? () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    }
  : () => performance.now();
const what = ['cap', 'sim'].includes(args.at(-1)) ? args.pop() : 'cap';
const dirs = args.slice(0, 2);
if (dirs.length !== 2) throw new Error('usage: node benches/ab.mjs DIR_A DIR_B [calls] [cap|sim]');
const calls = Number(args[2] ?? (what === 'sim' ? 21 : 31));
const builds = [];
for (const d of dirs) {
  const url = pathToFileURL(d.replace(/\/?$/, '/'));
  const m = await import(new URL('shijing.js', url));
  m.initSync({ module: readFileSync(new URL('shijing_bg.wasm', url)) });
  builds.push(m);
}

/** Whether two results hold the same numbers (bit for bit), and where not. */
function same(a, b, path = '') {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    const [x, y] = [new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];
    return x.every((v, i) => v === y[i]) ? null : `${path}: different numbers`;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a) || !(k in b)) continue; // a field one build has and the other not
      const d = same(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${a} vs ${b}`;
}

let run, verdict;
if (what === 'cap') {
  const v = builds[0].sampleExposure(1_000_000, { sigma: 1.5, seed: 1 });
  const [a, b] = builds.map((m) => new BigUint64Array(m.capGini(v, 0.3).buffer));
  if (!a.every((x, i) => x === b[i])) throw new Error('the two builds give different bits');
  verdict = 'same bits';
  run = (m) => m.capGini(v, 0.3);
} else {
  const [a, b] = builds.map((m) => m.simulate());
  const d = same(a, b);
  verdict = d ? `DIFFERENT results (first: ${d})` : 'same results';
  run = (m) => m.simulate();
}
for (let i = 0; i < 3; i++) for (const m of builds) run(m);
const t = [[], []];
const ratios = [];
for (let r = 0; r < calls; r++) {
  const pair = [0, 0];
  for (let k = 0; k < 2; k++) {
    const j = (r + k) % 2;
    const t0 = now();
    run(builds[j]);
    pair[j] = now() - t0;
    t[j].push(pair[j]);
  }
  ratios.push(pair[1] / pair[0]);
}
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const [ma, mb] = t.map(median);
const label = what === 'cap' ? 'capGini 1e6' : 'simulate, default scenario';
console.log(`${label}, ${calls} calls each${cpu ? ' (CPU time)' : ''}: A ${ma.toFixed(2)} ms, B ${mb.toFixed(2)} ms, B − A ${(mb - ma).toFixed(2)} ms, B/A per pair (median) ${median(ratios).toFixed(3)}, A/B ${(1 / median(ratios)).toFixed(2)}× (${verdict})`);
