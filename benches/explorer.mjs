// The explorer's speed and size figures as a results file (benches/record.mjs):
//   node benches/explorer.mjs [--json [FILE]]
// reads tests/e2e/out/perf.json, which the browser tests write
// (`node --test tests/e2e/explorer.test.mjs`, part of scripts/test.sh, after
// `cd www && npx vite build`). Its date is the perf file's; commit and machine
// are read now, so run it right after the browser tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, writeIfAsked, root } from './record.mjs';

const file = join(root, 'tests', 'e2e', 'out', 'perf.json');
const perf = JSON.parse(readFileSync(file, 'utf8'));
const chromium = (() => {
  try { return execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).match(/[\d.]{6,}/)?.[0] ?? null; } catch { return null; }
})();
const record = context('explorer', { chromium });
record.date = perf.updated ?? record.date;
const rows = record.rows;
const row = (id, name, unit, median, min, max, runs, target) => {
  if (median == null) return;
  const round = (x) => (x == null || unit === 'B' ? x : Number(x.toPrecision(4)));
  rows.push({ id, name, unit, median: round(median), min: round(min), max: round(max), runs, ...(target ? { target } : {}), command: 'node --test tests/e2e/explorer.test.mjs' });
};

const c = perf.coldLoad;
if (c) {
  row('firstChart', 'page load → first chart, cold cache (median of loads; max)', 'ms', c.firstChartMsMedian, null, c.firstChartMsMax, c.runs, c.targetMs);
  row('firstChart/marketBuild', "the worker's first MarketModel build", 'ms', c.marketBuildMsMedian, null, null, c.runs);
  row('firstChart/meta', "the worker's meta answered", 'ms', c.metaReceivedMsMedian, null, null, c.runs);
  row('firstChart/workerScript', "the worker's script running (after navigation start)", 'ms', c.workerScriptMsMedian, null, null, c.runs);
  row('firstChart/wasmReady', "the worker's Wasm instantiated", 'ms', c.wasmReadyMsMedian, null, null, c.runs);
  row('firstChart/firstAnswer', 'the first traffic answer back in the page', 'ms', c.firstAnswerMsMedian, null, null, c.runs);
  row('firstChart/render', 'the first four charts drawn (render call)', 'ms', c.renderMsMedian, null, null, c.runs);
}
const ps = perf.platformSliderToRedraw;
if (ps) {
  // p95 of one run's moves in the median column; max: the slowest
  // with a preview (a market of 1,000 merchants, labelled) first, the target is on the preview's redraw
  // and the full result follows it within fullAfterPreviewTargetMs
  if (ps.previews) row('platformSlider/preview-p95', 'platform slider → labelled preview (1,000 merchants) redrawn, one move at a time, p95 (max)', 'ms', ps.previews.p95, null, ps.previews.max, ps.previews.n, ps.targetP95Ms);
  if (ps.fullAfterPreview) row('platformSlider/full-after-preview-p95', 'same, preview drawn → full result (10,000 merchants) drawn, p95 (max)', 'ms', ps.fullAfterPreview.p95, null, ps.fullAfterPreview.max, ps.fullAfterPreview.n, ps.fullAfterPreviewTargetMs);
  row('platformSlider/moves-p95', 'platform slider → full result redrawn, one move at a time, p95 (max)', 'ms', ps.moves.p95, null, ps.moves.max, ps.moves.n, ps.previews ? undefined : ps.targetP95Ms);
  row('platformSlider/build-p50', "same, the worker's market build per move, median", 'ms', ps.marketBuild?.p50, null, null, ps.marketBuild?.n);
}
const s = perf.sliderToRedraw;
if (s) {
  // p95 of one run's redraws in the median column; max: the slowest redraw
  row('slider/drag-p95', 'slider input → four charts redrawn, drag, p95 (max)', 'ms', s.drag.p95, null, s.drag.max, s.drag.n, s.targetP95Ms);
  row('slider/keys-p95', 'same, arrow keys held at 50 Hz, p95 (max)', 'ms', s.keys50Hz.p95, null, s.keys50Hz.max, s.keys50Hz.n);
}
const p = perf.parse1M;
if (p) {
  row('parse1M/wall', 'parse a 1,000,000-row order log (25 MB), wall', 'ms', p.wallMs, null, null, 1);
  row('parse1M/frameGap-p95', 'frame gap while parsing, p95 (max)', 'ms', p.frameGapP95, null, p.frameGapMax, 1);
}
if (perf.fit1M) row('fit1M', 'fit on the 1,000,000-row log', 'ms', perf.fit1M.ms, null, null, 1);
const e = perf.export1M;
if (e) {
  row('export1M', `a 1,000,000-line export (CSV, ${(e.bytes / 1e6).toFixed(0)} MB) dropped → predictions on screen`, 'ms', e.dropToPredictionsMs, null, null, 1, e.targetMs);
  row('export1M/seen', 'same, to the test\'s own next frame after its waits (Playwright\'s polling included)', 'ms', e.dropToPredictionsSeenMs, null, null, 1);
  // the way stage by stage (tests/e2e/explorer.test.mjs: each stage from the end of the one before)
  const st = e.stages ?? {};
  const sum = (...ks) => (ks.some((k) => st[k] != null) ? ks.reduce((a, k) => a + (st[k] ?? 0), 0) : null);
  row('export1M/stage/bytes', 'stage: the file\'s bytes in the worker (with the first file\'s warm-up on its head)', 'ms', sum('read:warmUp', 'read:bytes'), null, null, 1);
  row('export1M/stage/readOrders', 'stage: readOrders', 'ms', sum('read:readOrders'), null, null, 1);
  row('export1M/stage/cohort', 'stage: cohortRepurchase', 'ms', sum('read:cohort'), null, null, 1);
  row('export1M/stage/summarize', 'stage: summarizeOrders', 'ms', sum('fit:summarize'), null, null, 1);
  row('export1M/stage/fit', 'stage: fitBgNbd', 'ms', sum('fit:fit'), null, null, 1);
  row('export1M/stage/after-fit', 'stage: predictions, outlook, Gamma-Gamma, segments, top customers', 'ms', sum('fit:predictions', 'fit:summary', 'fit:gammaGamma', 'fit:segments', 'fit:top', 'fit:covariates', 'fit:end'), null, null, 1);
  row('export1M/stage/page', 'stage: the page (input, messages, report, results drawn, their frame)', 'ms', sum('read-sent', 'read:start', 'read:modules', 'read:end', 'read-answered', 'read-drawn', 'fit-sent', 'fit:start', 'fit-answered', 'fit-drawn', 'fit-painted'), null, null, 1);
}
for (const m of ['bgnbd', 'mbgnbd', 'paretonbd']) if (perf[`fitCdnowMs_${m}`] != null) row(`fitCdnow/${m}`, `fit + predictions in the worker, CDNOW, ${m}`, 'ms', perf[`fitCdnowMs_${m}`], null, null, 1);
const z = perf.sizes;
if (z) {
  row('wasm/traffic-gz', 'Wasm the traffic views load (traffic half), gzipped', 'B', z.trafficWasmGzipBytes, null, null, 1, z.targetWasmGzipBytes);
  row('wasm/repurchase-gz', 'Wasm the 回头客 view adds (repurchase half), gzipped', 'B', z.repurchaseWasmGzipBytes, null, null, 1, z.targetWasmGzipBytes);
  row('wasm/whole-gz', "the npm package's whole module, gzipped", 'B', z.wholePackageWasmGzipBytes, null, null, 1);
  row('js-gz', 'explorer JS, gzipped', 'B', z.jsGzipBytes, null, null, 1);
}
for (const r of rows) console.log(`${r.id.padEnd(24)} ${String(r.median).padStart(9)} ${r.unit}${r.target ? `  target ${r.target}` : ''}  ${r.name}`);
writeIfAsked(record);
