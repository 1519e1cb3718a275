// BENCHMARKS.md's table from results files (benches/record.mjs):
//   node benches/table.mjs RESULTS.json ... [--ids id,id,...]
// prints one Markdown row per benchmark row: what, figure (median [min–max]),
// target (and whether the median meets it), the command that re-measures it,
// commit, date and machine. --ids keeps those rows, in that order (suite:id or id).
import { readRecord } from './record.mjs';

const argv = process.argv.slice(2);
const at = argv.indexOf('--ids');
const ids = at >= 0 ? argv[at + 1].split(',') : null;
const files = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
if (!files.length) {
  console.error('usage: node benches/table.mjs RESULTS.json ... [--ids id,id,...]');
  process.exit(2);
}

const fmt = (x, unit) => {
  if (x == null) return '';
  if (unit === 'B') return x.toLocaleString('en');
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
};
const unitOf = (u) => (u === 'B' ? ' bytes' : ` ${u}`);
const machine = (m) => `${m.cores} vCPU ${m.cpu.replace(/\s+\d+-Core Processor|\(R\)|\(TM\)/g, '')}, ${m.memoryGiB} GiB, load ${m.load[0]}`;

const all = [];
for (const f of files) {
  const r = readRecord(f);
  for (const row of r.rows) all.push({ run: r, row, key: `${r.suite}:${row.id}` });
}
const chosen = ids ? ids.map((id) => all.find((x) => x.key === id || x.row.id === id) ?? (() => { throw new Error(`no row ${id}`); })()) : all;

console.log('| what | figure | target | command | commit | date | machine |');
console.log('|---|---|---|---|---|---|---|');
for (const { run, row } of chosen) {
  const u = unitOf(row.unit);
  const spread = row.min != null && row.max != null ? ` [${fmt(row.min, row.unit)}–${fmt(row.max, row.unit)}]` : row.max != null ? ` (max ${fmt(row.max, row.unit)})` : '';
  const figure = `**${fmt(row.median, row.unit)}${u}**${spread}`;
  const target = row.target ? `≤ ${row.unit === 'B' ? row.target.toLocaleString('en') : row.target}${u}: ${row.median <= row.target ? 'met' : '**not met**'}` : '–';
  const commit = `\`${run.commit?.slice(0, 7) ?? '?'}\`${run.dirty ? '+' : ''}`;
  console.log(`| ${row.name} | ${figure} | ${target} | \`${row.command ?? run.command}\` | ${commit} | ${run.date.slice(0, 16).replace('T', ' ')} | ${machine(run.machine)} |`);
}
