// A/B of two package builds in one Node process, for a change to capGini's
// speed: both builds are loaded (two Wasm instances), their outputs on the
// bench input are checked equal bit for bit, then capGini(1e6, 0.3) is called
// on each in turn (the order alternating) and the medians are printed.
// Node timings on the test VM are bimodal across processes (one process can
// run everything 1.5× slower than the next), so comparing builds inside one
// process is steadier than comparing processes; repeat it in a few.
//   node benches/ab.mjs DIR_A DIR_B [calls, default 31]
// where DIR_A and DIR_B are `wasm-pack build --target web` output directories.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dirs = process.argv.slice(2, 4);
if (dirs.length !== 2) throw new Error('usage: node benches/ab.mjs DIR_A DIR_B [calls]');
const calls = Number(process.argv[4] ?? 31);
const builds = [];
for (const d of dirs) {
  const url = pathToFileURL(d.replace(/\/?$/, '/'));
  const m = await import(new URL('shijing.js', url));
  m.initSync({ module: readFileSync(new URL('shijing_bg.wasm', url)) });
  builds.push(m);
}
const v = builds[0].sampleExposure(1_000_000, { sigma: 1.5, seed: 1 });
const [a, b] = builds.map((m) => new BigUint64Array(m.capGini(v, 0.3).buffer));
if (!a.every((x, i) => x === b[i])) throw new Error('the two builds give different bits');
for (let i = 0; i < 3; i++) for (const m of builds) m.capGini(v, 0.3);
const t = [[], []];
for (let r = 0; r < calls; r++) {
  for (let k = 0; k < 2; k++) {
    const j = (r + k) % 2;
    const t0 = performance.now();
    builds[j].capGini(v, 0.3);
    t[j].push(performance.now() - t0);
  }
}
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const [ma, mb] = t.map(median);
console.log(`capGini 1e6, ${calls} calls each: A ${ma.toFixed(2)} ms, B ${mb.toFixed(2)} ms, B − A ${(mb - ma).toFixed(2)} ms (same bits)`);
