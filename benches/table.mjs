// BENCHMARKS.md's tables from results files (benches/record.mjs):
//   node benches/table.mjs RESULTS.json ... [--ids id,id,...]
//   node benches/table.mjs --update BENCHMARKS.md RESULTS.json ...
// The first prints one Markdown row per benchmark row: what, figure (median
// [min–max]), target (and whether the median meets it), the command that
// re-measures it, commit, date and machine; --ids keeps those rows, in that
// order (suite:id or id). --update rewrites, in the given file, the table
// between `<!-- table: SUITE -->` and `<!-- /table -->` for each results
// file's suite (node, criterion, explorer), leaving the prose as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { readRecord } from './record.mjs';

let argv = process.argv.slice(2);
let update = null;
if (argv[0] === '--update') { update = argv[1]; argv = argv.slice(2); }
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

const lines = ['| what | figure | target | command | commit | date | machine |', '|---|---|---|---|---|---|---|'];
function table(entries) {
  const out = lines.slice(0, 2);
  for (const { run, row } of entries) {
    const u = unitOf(row.unit);
    const spread = row.min != null && row.max != null ? ` [${fmt(row.min, row.unit)}–${fmt(row.max, row.unit)}]` : row.max != null ? ` (max ${fmt(row.max, row.unit)})` : '';
    const figure = `**${fmt(row.median, row.unit)}${u}**${spread}`;
    const target = row.target ? `≤ ${row.unit === 'B' ? row.target.toLocaleString('en') : row.target}${u}: ${row.median <= row.target ? 'met' : '**not met**'}` : '–';
    const commit = `\`${run.commit?.slice(0, 7) ?? '?'}\`${run.dirty ? '+' : ''}`;
    out.push(`| ${row.name} | ${figure} | ${target} | \`${row.command ?? run.command}\` | ${commit} | ${run.date.slice(0, 16).replace('T', ' ')} | ${machine(run.machine)} |`);
  }
  return out.join('\n');
}

if (update) {
  let md = readFileSync(update, 'utf8');
  for (const suite of new Set(chosen.map((x) => x.run.suite))) {
    const re = new RegExp(`(<!-- table: ${suite} -->\\n)[\\s\\S]*?(\\n<!-- /table -->)`);
    if (!re.test(md)) throw new Error(`${update} has no <!-- table: ${suite} --> … <!-- /table --> block`);
    md = md.replace(re, (_, open, close) => open + table(chosen.filter((x) => x.run.suite === suite)) + close);
  }
  writeFileSync(update, md);
  console.log(`updated ${update}`);
} else {
  console.log(table(chosen));
}
