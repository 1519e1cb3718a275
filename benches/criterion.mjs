// The native criterion benchmarks as a results file (benches/record.mjs):
//   node benches/criterion.mjs [--run [criterion args...]] [--json [FILE]]
// --run first runs `cargo bench --bench native --bench repurchase` (with the
// given arguments after `--`, e.g. a filter or `--measurement-time 4`); without
// it, the script reads what the last `cargo bench` left in target/criterion.
// Each row is one benchmark: criterion's median estimate (estimates.json),
// and the min and max of its samples' per-iteration times (sample.json), in ms.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { context, summary, writeIfAsked, plainArgs, root } from './record.mjs';

const args = plainArgs();
const started = Date.now();
const runIt = args[0] === '--run';
if (runIt) {
  const extra = args.slice(1);
  execFileSync('cargo', ['bench', '--bench', 'native', '--bench', 'repurchase', ...(extra.length ? ['--', ...extra] : [])], { cwd: root, stdio: 'inherit' });
}

const dir = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'criterion');
if (!existsSync(dir)) throw new Error(`${dir} does not exist: run cargo bench first (or pass --run)`);

/** Every benchmark directory with a new/estimates.json under target/criterion. */
function benchDirs(d) {
  const out = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = join(d, e.name);
    if (e.name === 'new' && existsSync(join(p, 'estimates.json'))) out.push(p);
    else if (e.name !== 'base' && e.name !== 'change' && e.name !== 'report') out.push(...benchDirs(p));
  }
  return out;
}

const record = context('criterion', { criterion: (readFileSync(join(root, 'Cargo.lock'), 'utf8').match(/name = "criterion"\nversion = "([^"]+)"/) ?? [])[1] ?? null });
// which bench target a benchmark is in (for its command): the file that names its group
const SOURCES = Object.fromEntries(['native', 'repurchase'].map((f) => [f, readFileSync(join(root, 'benches', `${f}.rs`), 'utf8')]));
const ms = (ns) => Number((ns / 1e6).toPrecision(4));
let stale = 0;
for (const d of benchDirs(dir)) {
  const estimates = JSON.parse(readFileSync(join(d, 'estimates.json'), 'utf8'));
  const bench = JSON.parse(readFileSync(join(d, 'benchmark.json'), 'utf8'));
  const sample = JSON.parse(readFileSync(join(d, 'sample.json'), 'utf8'));
  if (runIt && statSync(join(d, 'estimates.json')).mtimeMs < started) { stale++; continue; } // not measured by this run
  const perIter = sample.times.map((t, i) => t / sample.iters[i]);
  const { min, max } = summary(perIter);
  const file = Object.keys(SOURCES).find((f) => SOURCES[f].includes(`"${bench.group_id}`)) ?? 'native';
  record.rows.push({ id: bench.full_id, name: `${bench.full_id} (native)`, unit: 'ms', median: ms(estimates.median.point_estimate), min: ms(min), max: ms(max), runs: perIter.length, command: `cargo bench --bench ${file} -- '^${bench.full_id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$'` });
}
record.rows.sort((a, b) => (a.id < b.id ? -1 : 1));
for (const r of record.rows) console.log(`${r.id.padEnd(40)} median ${r.median.toFixed(3).padStart(9)} ms  [${r.min.toFixed(3)}–${r.max.toFixed(3)}], ${r.runs} samples`);
if (stale) console.log(`(${stale} older benchmarks in target/criterion left out: not measured by this run)`);
writeIfAsked(record);
