// Two benchmark runs side by side (results files from `--json`, benches/record.mjs):
//   node benches/compare.mjs A.json B.json
// One line per row (matched by suite and id): A's and B's median [min–max],
// B/A, and a verdict: "faster"/"slower" when B's range lies wholly below/above
// A's, "~" when the ranges overlap (within the run-to-run scatter), "–" when a
// row is in one run only. A row without a min (or max) ranges from its median. Exits 0 either way: it reports, it does not judge.
import { readRecord } from './record.mjs';

const [pa, pb] = process.argv.slice(2);
if (!pa || !pb) {
  console.error('usage: node benches/compare.mjs A.json B.json');
  process.exit(2);
}
const [a, b] = [readRecord(pa), readRecord(pb)];

const when = (r) => `${r.date.slice(0, 16).replace('T', ' ')} UTC`;
const commit = (r) => `${r.commit?.slice(0, 7) ?? '?'}${r.dirty ? '+' : ''}`;
for (const [tag, r, p] of [['A', a, pa], ['B', b, pb]]) {
  console.log(`${tag}: ${p}`);
  console.log(`   ${r.suite}, commit ${commit(r)}, ${when(r)}, ${r.machine.cpu} ×${r.machine.cores}, load ${r.machine.load.join(' ')}, ${Object.entries(r.versions).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
if (a.machine.cpu !== b.machine.cpu || a.machine.cores !== b.machine.cores) console.log('note: the two runs are from different machines');
console.log();

const fmt = (x, unit) => {
  if (x == null) return '';
  if (unit === 'B') return x.toLocaleString('en');
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
};
const cell = (r) => {
  if (!r) return '–';
  const spread = r.min != null && r.max != null ? ` [${fmt(r.min, r.unit)}–${fmt(r.max, r.unit)}]` : r.max != null ? ` (max ${fmt(r.max, r.unit)})` : '';
  return fmt(r.median, r.unit) + spread;
};
const key = (run, r) => `${run.suite}:${r.id}`;
const rowsA = new Map(a.rows.map((r) => [key(a, r), r]));
const rowsB = new Map(b.rows.map((r) => [key(b, r), r]));
const keys = [...new Set([...rowsA.keys(), ...rowsB.keys()])];

const lines = keys.map((k) => {
  const ra = rowsA.get(k), rb = rowsB.get(k);
  const unit = (ra ?? rb).unit;
  let ratio = '', verdict = '–';
  if (ra && rb) {
    ratio = `${(rb.median / ra.median).toFixed(2)}×`;
    const [loA, hiA] = [ra.min ?? ra.median, ra.max ?? ra.median];
    const [loB, hiB] = [rb.min ?? rb.median, rb.max ?? rb.median];
    verdict = hiB < loA ? (unit === 'B' ? 'smaller' : 'faster') : loB > hiA ? (unit === 'B' ? 'larger' : 'slower') : '~';
  }
  return [k.slice(k.indexOf(':') + 1), unit, cell(ra), cell(rb), ratio, verdict];
});
const head = ['row', 'unit', 'A median [min–max]', 'B median [min–max]', 'B/A', ''];
const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const out = (l) => l.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
console.log(out(head));
console.log(width.map((w) => '-'.repeat(w)).join('  '));
for (const l of lines) console.log(out(l));
