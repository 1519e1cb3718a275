// The explorer as a merchant meets it: the built site (www/dist) in headless
// Debian Chromium. Every page fails its test on a console error, a page
// error, or a request that leaves the page's origin. Screenshots go to
// tests/e2e/screenshots/, speed figures to tests/e2e/out/perf.json.
// Views whose package functions are not in the build yet are skipped with
// the reason (SHIJING_DIST may point at another build of the site).
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { serve, launch, guardedPage, shot, root, screenshots, recordPerf, percentile } from './browser.mjs';

const dist = process.env.SHIJING_DIST ?? join(root, 'www', 'dist');
const data = (name) => join(root, 'tests', 'data', name);
let server, browser, meta;

test.before(async () => {
  server = await serve(dist);
  browser = await launch();
  const { page, context } = await open('');
  meta = await page.evaluate(() => window.shijing.call('meta'));
  await context.close();
});
test.after(async () => { await browser?.close(); await server?.close(); });

/** A fresh context (cold cache) at `query`; resolves once the shell is ready. */
async function open(query, viewport = { width: 1280, height: 900 }) {
  const g = await guardedPage(browser, server.url, { viewport });
  await g.page.goto(`${server.url}${query}`);
  await g.page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  return g;
}
/** The page at `?v=<query>`, once its view (the query's `v`) is ready. */
async function openView(query) {
  const g = await open(`?v=${query}`);
  await g.page.waitForSelector(`#view-${query.split('&')[0]}[data-ready="1"]`);
  return g;
}
/** The durations of the performance measures named `name`, in ms. */
const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
/** Count, median, 95th percentile and maximum of durations. */
const stats = (xs) => ({ n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs) });
/** The repeat-customers view with `files` (as setInputFiles takes them) opened, once `ready` shows. */
async function openFile(files, ready, viewport) {
  const g = await open('?v=repeat', viewport);
  await g.page.setInputFiles('#order-file', files);
  if (ready) await g.page.waitForSelector(ready, { timeout: 30_000 });
  return g;
}
async function done({ context, problems }) {
  await context.close();
  assert.deepEqual(problems, []);
}
const needSim = (t) => { if (!meta.sim) { t.skip('simulate / MarketModel are not in this build of the package yet'); return true; } return false; };
const headline = (page, metric, win = '90') => page.$eval(`#headline tr[data-metric="${metric}"] td[data-window="${win}"]`, (td) => Number(td.dataset.value));
async function setSlider(page, view, key, value) {
  await page.fill(`#view-${view} input[data-key="${key}"]`, String(value));
  if (view === 'traffic') await page.waitForFunction(([k, v]) => document.querySelector('#view-traffic').dataset[k] === v, [key, String(value)], { timeout: 10_000 });
}

/** Sets a platform rule on the platform view and comes back to My traffic once it has rerun. */
async function setPlatform(page, key, value) {
  await page.click('#tab-platform');
  await page.fill(`#view-platform input[data-key="${key}"]`, String(value));
  await page.waitForFunction(([k, v]) => new URLSearchParams(location.search).get(k) === v, [key, String(value)]);
  await page.click('#tab-traffic');
}

test('loads in Chinese: four tabs, privacy note, strict CSP, every control labelled', async () => {
  const g = await open('');
  const { page } = g;
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.deepEqual(await page.$$eval('[role=tab]', (els) => els.map((e) => e.textContent.trim())), ['我的流量', '平台', '敏感度', '回头客']);
  assert.match(await page.textContent('footer'), /数据只在你的浏览器里处理，不会上传/);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /https?:|\*/);
  for (const v of ['traffic', 'platform', 'sensitivity', 'repeat']) {
    await page.click(`#tab-${v}`);
    const unlabelled = await page.$$eval(`#view-${v} input, #view-${v} select`, (els) => els
      .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
      .map((e) => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, [], `${v}: controls without a label`);
  }
  // the tabs work from the keyboard
  await page.focus('#tab-repeat');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-sensitivity', 'aria-selected'), 'true');
  assert.match(page.url(), /v=sensitivity/);
  await done(g);
});

test('language switch: labels change to English and back; the choice is in the URL', async () => {
  const g = await open('?v=repeat');
  const { page } = g;
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(await page.$$eval('[role=tab]', (els) => els.map((e) => e.textContent.trim())), ['My traffic', 'Platform', 'Sensitivity', 'Repeat customers']);
  assert.match(await page.textContent('#view-repeat'), /never uploaded/);
  assert.match(await page.textContent('#lang'), /中文/);
  await page.waitForFunction(() => location.search.includes('lang=en'));
  await shot(page, 'repeat-empty-en');
  // no Chinese left in the visible page text
  const cjk = await page.evaluate(() => (document.body.innerText.match(/[\u4e00-\u9fff]+/g) ?? []).filter((s) => s !== '中文'));
  assert.deepEqual(cjk, []);
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await page.textContent('#tab-repeat'), '回头客');
  await done(g);
});

// Chinese that belongs in the English page: the language switch, and the
// articles' own names (the anchor 叶歆, her big day 歆上人超级日) beside their English.
const CJK_NAMES = new Set(['中文', '叶歆', '歆上人超级日']);

test('English throughout: no Chinese left on any view with results in it', async () => {
  const cjk = (page) => page.evaluate((names) => (document.body.innerText.match(/[\u4e00-\u9fff]+/g) ?? []).filter((s) => !names.includes(s)), [...CJK_NAMES]);
  for (const v of ['traffic', 'platform', 'sensitivity']) {
    if (!meta.sim) break;
    const g = await open(`?v=${v}&lang=en`);
    await g.page.waitForSelector(`#view-${v}[data-ready="1"]`);
    if (v === 'traffic') { await g.page.click('#whatif-f'); await g.page.waitForSelector('#headline td[data-window="change"]'); }
    assert.deepEqual(await cjk(g.page), [], v);
    await done(g);
  }
  const g = await open('?v=repeat&lang=en&cal=1997-09-30');
  await g.page.setInputFiles('#order-file', data('cdnow_orders.csv'));
  await g.page.waitForSelector('#view-repeat[data-fitted]');
  assert.deepEqual(await cjk(g.page), [], 'repeat');
  await shot(g.page, 'repeat-cdnow-en');
  await done(g);
});

test('my traffic: better content and a better follow rate move the charts and figures the right way', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  const firstChart = await page.evaluate(() => performance.getEntriesByName('first-chart')[0]?.startTime);
  await setSlider(page, 'traffic', 'q', 0.3);
  await setSlider(page, 'traffic', 'f', 0.02);
  const before = {
    gmv: await headline(page, 'gmv'), pub: await headline(page, 'publicExposure'), t0: await headline(page, 'firstPurchases'),
    fans: await headline(page, 'followers'), priv: await headline(page, 'privateExposure'), rep: await headline(page, 'repurchases'),
    chartGmv: await page.evaluate(() => Array.from(window.shijing.charts.traffic.gmv.u.data[1]).reduce((a, b) => a + b, 0)),
  };
  await setSlider(page, 'traffic', 'q', 0.8);
  const q = {
    gmv: await headline(page, 'gmv'), pub: await headline(page, 'publicExposure'), t0: await headline(page, 'firstPurchases'),
    chartGmv: await page.evaluate(() => Array.from(window.shijing.charts.traffic.gmv.u.data[1]).reduce((a, b) => a + b, 0)),
  };
  assert.ok(q.gmv > before.gmv, `GMV should rise with content quality: ${before.gmv} → ${q.gmv}`);
  assert.ok(q.t0 > before.t0, `first purchases should rise with content quality: ${before.t0} → ${q.t0}`);
  assert.ok(q.pub >= before.pub, `public exposure must not fall with content quality: ${before.pub} → ${q.pub}`);
  assert.ok(q.chartGmv > before.chartGmv, 'the GMV chart data should rise too');
  const fans0 = await headline(page, 'followers');
  const priv0 = await headline(page, 'privateExposure');
  const rep0 = await headline(page, 'repurchases');
  await setSlider(page, 'traffic', 'f', 0.2);
  assert.ok(await headline(page, 'followers') > fans0, 'followers should rise with the follow rate');
  assert.ok(await headline(page, 'privateExposure') > priv0, 'private exposure should rise with the follow rate');
  assert.ok(await headline(page, 'repurchases') > rep0, 'repurchases should rise with the follow rate');
  const fansChart = await page.evaluate(() => { const d = window.shijing.charts.traffic.followers.u.data[1]; return d[d.length - 1]; });
  assert.ok(fansChart > 0);
  // the head-cap message is always stated, one way or the other
  assert.match(await page.textContent('#cap-callout'), /上限/);
  assert.equal(await page.getAttribute('#cap-callout', 'data-capped'), 'false');
  // With live sessions in the model the default platform's population stays under its
  // Gini limit of 0.6 (≈ 0.54), so no merchant is capped there; under a limit of 0.5 the
  // best content meets the cap.
  await setPlatform(page, 'gmax', 0.5);
  await setSlider(page, 'traffic', 'q', 1);
  assert.equal(await page.getAttribute('#cap-callout', 'data-capped'), 'true', 'the best content reaches the head cap under a Gini limit of 0.5');
  assert.match(await page.textContent('#cap-callout'), /再提高内容质量也换不来更多公域曝光/);
  await shot(page, 'traffic-capped-zh');
  await setPlatform(page, 'gmax', 0.6);
  await setSlider(page, 'traffic', 'q', 0.8);
  await shot(page, 'traffic-zh');

  // the one-click question: "what if my content were 10 points better?"
  await setSlider(page, 'traffic', 'q', 0.5);
  await page.click('#whatif-q');
  await page.waitForFunction(() => document.querySelector('#view-traffic').dataset.q === '0.6');
  await page.waitForSelector('#headline td[data-window="change"]');
  assert.ok(await headline(page, 'gmv', 'change') > 0, 'one click on "content quality +10 points" shows a GMV gain');
  await page.click('#clear-baseline');
  await page.waitForFunction(() => !location.search.includes('base='));

  // pin a baseline, improve, and read the comparison
  await page.click('#view-traffic button.pin');
  await page.waitForFunction(() => location.search.includes('base='));
  await setSlider(page, 'traffic', 'q', 0.9);
  await page.waitForSelector('#headline td[data-window="change"]');
  assert.ok(await headline(page, 'gmv', 'change') > 0, 'GMV change against the baseline should be positive');
  assert.match(await page.textContent('#answer'), /和基准相比/);
  await shot(page, 'traffic-compare-zh');
  await done(g);
  await recordPerf({ firstChartMsWarm: firstChart ?? null });
});

// Speed targets (issue 6) are recorded in perf.json with whether they were met;
// the tests fail only on gross regressions, since the figures also depend on
// the package (market build time, Wasm size) and on a shared 2-core machine.
const TARGETS = { sliderP95Ms: 16, firstChartMs: 500, wasmGzipBytes: 120 * 1024 }; // first chart: issue 18
const LIMITS = { sliderP95Ms: 50, firstChartMs: 5000 };

async function dragSlider(page, selector, moves = 60) {
  const box = await page.$eval(selector, (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const y = box.y + box.h / 2;
  await page.mouse.move(box.x + box.w * 0.5, y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) await page.mouse.move(box.x + box.w * (0.5 + 0.4 * Math.sin(i / 6)), y);
  await page.mouse.up();
}

test('speed: slider input → all four charts redrawn, on the default scenario', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  const read = (name) => measures(page, name);
  // a pointer drag: the browser delivers one input per frame, as for a merchant's finger or mouse
  await page.evaluate(() => performance.clearMeasures());
  await dragSlider(page, '#view-traffic input[data-key="q"]');
  await dragSlider(page, '#view-traffic input[data-key="f"]');
  await page.waitForTimeout(300);
  const drag = await read('slider-to-redraw');
  const parts = { roundTrip: stats(await read('traffic-rpc')), worker: stats(await read('traffic-worker')), render: stats(await read('traffic-render')) };
  // arrow keys held down at 50 Hz (inputs not aligned to frames: a harsher case)
  await page.evaluate(() => performance.clearMeasures());
  await page.focus('#view-traffic input[data-key="q"]');
  for (let i = 0; i < 30; i++) { await page.keyboard.press(i < 15 ? 'ArrowLeft' : 'ArrowRight'); await page.waitForTimeout(20); }
  await page.waitForTimeout(300);
  const keys = await read('slider-to-redraw');
  const p95 = percentile(drag, 95);
  await recordPerf({ sliderToRedraw: { drag: stats(drag), keys50Hz: stats(keys), ...parts, targetP95Ms: TARGETS.sliderP95Ms, met: p95 <= TARGETS.sliderP95Ms } });
  assert.ok(drag.length >= 40, `only ${drag.length} redraws measured`);
  assert.ok(p95 <= LIMITS.sliderP95Ms, `slider → redraw p95 ${p95.toFixed(1)} ms`);
  if (p95 > TARGETS.sliderP95Ms) t.diagnostic(`slider → redraw p95 ${p95.toFixed(1)} ms is above the ${TARGETS.sliderP95Ms} ms target`);
  await done(g);
});

// A platform-view slider re-runs the whole market: the view first shows a
// preview (a market of a tenth of the merchants), labelled as such, then the
// full market's figures, which replace it and drop the label.
test('platform slider: a labelled preview first, then the full result without the label', async (t) => {
  if (needSim(t)) return;
  const g = await openView('platform');
  const { page } = g;
  // every state the view shows from now on: the preview note and the top-10% share
  await page.evaluate(() => {
    const seen = (window.__platformStates = []);
    const note = document.querySelector('#pf-cap');
    const take = () => seen.push({ preview: note.dataset.preview === '1', text: note.textContent, top10: document.querySelector('#pf-top10').dataset.value, ready: document.querySelector('#view-platform').dataset.ready, dim: document.querySelector('#view-platform .results').classList.contains('is-preview') });
    new MutationObserver(take).observe(document.querySelector('#view-platform'), { subtree: true, attributes: true, childList: true, characterData: true });
  });
  // 0.45: a limit the default market's Gini (0.52–0.59) meets, so the market is built again
  await page.fill('#view-platform input[data-key="gmax"]', '0.45');
  await page.waitForFunction(() => window.shijing.platform && !window.shijing.platform.preview && document.querySelector('#view-platform').dataset.ready === '1' && new URLSearchParams(location.search).get('gmax') === '0.45', null, { timeout: 30_000 });
  const states = await page.evaluate(() => window.__platformStates);
  const previews = states.filter((s) => s.preview);
  assert.ok(previews.length > 0, 'a preview was shown');
  for (const s of previews) {
    assert.match(s.text, /^预览：.*1,000 家商户.*10,000 家商户的完整结果/);
    assert.equal(s.ready, '0', 'a preview is never marked ready');
    assert.ok(s.dim, 'a preview is dimmed');
  }
  const end = states[states.length - 1];
  assert.equal(end.preview, false);
  assert.equal(end.dim, false);
  assert.equal(end.ready, '1');
  // what stays on screen is the full market's day-90 top-10% share, not the preview's
  const full = await page.evaluate(() => window.shijing.platform.final.top10Share);
  assert.equal(Number(end.top10), full);
  assert.notEqual(Number(previews[previews.length - 1].top10), full);
  await done(g);
});

// While the slider is held, only previews are asked for (a full build would hold the worker and
// the previews behind it); the full result follows when the pointer lets go.
test('platform slider: held in a drag, previews only; the full result on release', async (t) => {
  if (needSim(t)) return;
  const g = await openView('platform');
  const { page } = g;
  const sel = '#view-platform input[data-key="gmax"]';
  const box = await page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const y = box.y + box.h / 2;
  const count = (name) => page.evaluate((n) => performance.getEntriesByName(n).length, name);
  const [previews0, full0] = [await count('platform-slider-to-preview'), await count('platform-rpc')];
  await page.mouse.move(box.x + box.w * 0.45, y);
  await page.mouse.down();
  // limits from about 0.44 down to 0.30, all under the default market's Gini: each needs a new market
  for (let i = 0; i < 8; i++) {
    await page.mouse.move(box.x + box.w * (0.44 - 0.02 * i), y);
    await page.waitForFunction((n) => performance.getEntriesByName('platform-slider-to-preview').length > n, previews0 + i, { timeout: 30_000 });
  }
  assert.ok((await count('platform-slider-to-preview')) >= previews0 + 8, 'a preview for each move');
  await page.waitForTimeout(600); // a full build would be done by now
  assert.equal(await count('platform-rpc'), full0, 'no full result while the slider is held');
  assert.equal(await page.getAttribute('#view-platform', 'data-ready'), '0');
  assert.equal(await page.getAttribute('#pf-cap', 'data-preview'), '1');
  await page.mouse.up();
  await page.waitForSelector('#view-platform[data-ready="1"]', { timeout: 30_000 });
  assert.equal(await count('platform-rpc'), full0 + 1, 'one full result, for the last position');
  assert.equal(await page.getAttribute('#pf-cap', 'data-preview'), '0');
  const shown = await page.evaluate(() => ({ url: Number(new URLSearchParams(location.search).get('gmax')), gini: window.shijing.platform.final.gini }));
  assert.ok(shown.url < 0.35 && shown.gini <= shown.url + 1e-9, `the full result is the last limit's: ${JSON.stringify(shown)}`);
  await done(g);
});

// A Gini limit the run never met: the worker keeps the market (MarketModel.sameRunWithGiniMax), no preview, same figures.
test('platform slider: a limit above every day\'s Gini keeps the market — no build, no preview, the same figures', async (t) => {
  if (needSim(t)) return;
  const g = await openView('platform');
  const { page } = g;
  const before = await page.evaluate(() => window.shijing.platform);
  assert.ok(Math.max(...before.gini) < 0.7, 'the default market stays under 0.7');
  await page.evaluate(() => { window.__previewSeen = false; const note = document.querySelector('#pf-cap'); new MutationObserver(() => { if (note.dataset.preview === '1') window.__previewSeen = true; }).observe(note, { attributes: true }); });
  const answers = await page.evaluate(() => performance.getEntriesByName('platform-rpc').length);
  await page.fill('#view-platform input[data-key="gmax"]', '0.7');
  // the full answer to the move (each full answer is measured as platform-rpc)
  await page.waitForFunction(() => new URLSearchParams(location.search).get('gmax') === '0.7');
  await page.waitForFunction((n) => performance.getEntriesByName('platform-rpc').length > n && document.querySelector('#view-platform').dataset.ready === '1', answers, { timeout: 30_000 });
  const after = await page.evaluate(() => window.shijing.platform);
  assert.equal(after.preview, null);
  assert.equal(after.marketMs, 0, 'no market was built');
  assert.equal(await page.evaluate(() => window.__previewSeen), false);
  assert.deepEqual(after.gini, before.gini);
  assert.deepEqual(after.lorenz, before.lorenz);
  assert.equal(after.exposurePercentile, before.exposurePercentile);
  await done(g);
});

// Issue 18: a platform-view slider re-runs the whole market (simulate of the
// default population); recorded, not asserted (a timed test would fail on a
// loaded machine). Each move waits for its full redraw: input → both charts
// drawn with the full market's figures; the preview's redraw, before it, is
// recorded as platform-slider-to-preview.
test('speed: platform slider → Lorenz and concentration charts redrawn (recorded)', async (t) => {
  if (needSim(t)) return;
  const g = await openView('platform');
  const { page } = g;
  const read = (name) => measures(page, name);
  await page.evaluate(() => performance.clearMeasures());
  const sel = '#view-platform input[data-key="gmax"]';
  await page.focus(sel);
  const moves = 12;
  for (let i = 0; i < moves; i++) {
    await page.keyboard.press(i < moves / 2 ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForFunction((k) => performance.getEntriesByName('platform-slider-to-redraw').length >= k, i + 1, { timeout: 30_000 });
  }
  const keys = await read('platform-slider-to-redraw');
  const previews = await read('platform-slider-to-preview');
  const build = await read('platform-market-build');
  // a pointer drag: inputs faster than a run; the latest input wins
  await page.evaluate(() => performance.clearMeasures());
  await dragSlider(page, sel, 30);
  // the redraw of the drag's last input (each build can take seconds on a loaded machine)
  await page.waitForFunction(() => performance.getEntriesByName('platform-slider-to-redraw').length > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(500);
  const drag = await read('platform-slider-to-redraw');
  const afterPreview = previews.length === keys.length ? keys.map((k, i) => k - previews[i]) : [];
  await recordPerf({ platformSliderToRedraw: { moves: stats(keys), previews: previews.length ? stats(previews) : null, fullAfterPreview: afterPreview.length ? stats(afterPreview) : null, marketBuild: stats(build.filter((x) => x > 0)), drag: drag.length ? stats(drag) : null, targetP95Ms: 100, met: percentile(previews.length === keys.length ? previews : keys, 95) <= 100, fullAfterPreviewTargetMs: 300, fullAfterPreviewMet: afterPreview.length ? percentile(afterPreview, 95) <= 300 : null, note: 'moves: one arrow key at a time, each waiting for its full redraw; previews: input → the labelled preview drawn; fullAfterPreview: preview drawn → full result drawn; drag: 30 pointer moves, each full redraw measured from the input it shows' } });
  assert.equal(keys.length, moves);
  await done(g);
});

test('presets: opening one sets the sliders and the URL', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  const ids = meta.presets.map((p) => p.id);
  for (const id of ['womens-wear', 'quick-brand', 'trusted-brand']) assert.ok(ids.includes(id), `preset ${id} missing`);
  const preset = meta.presets.find((p) => p.id === 'trusted-brand');
  await page.click('button[data-preset="trusted-brand"]');
  await page.waitForFunction(() => location.search.includes('p=trusted-brand'));
  assert.equal(await page.getAttribute('button[data-preset="trusted-brand"]', 'aria-pressed'), 'true');
  const q = preset.scenario.merchant?.contentQuality;
  if (q !== undefined) assert.equal(Number(await page.inputValue('#view-traffic input[data-key="q"]')), q);
  await page.waitForFunction((qq) => document.querySelector('#view-traffic').dataset.q === String(qq ?? document.querySelector('#view-traffic').dataset.q), q);
  await shot(page, 'traffic-preset-trusted-brand');
  await done(g);
});

/** Live-day ticks each traffic chart drew, and the live days in the run's data. */
const liveState = (page) => page.evaluate(() => {
  const c = window.shijing.charts.traffic;
  const on = window.shijing.traffic.series.liveByDay;
  return {
    marks: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.liveMarks])),
    liveDays: Array.from(on).filter((x) => x > 0).length,
    days: on.length,
    gmv: Array.from(c.gmv.u.data[1]).reduce((a, b) => a + b, 0),
    liveGmv: Array.from(c.gmv.u.data[2]).reduce((a, b) => a + b, 0),
  };
});
async function setCadence(page, n) {
  await page.selectOption('#ctl-live', String(n));
  await page.waitForFunction((v) => document.querySelector('#view-traffic').dataset.live === v, String(n), { timeout: 10_000 });
}

test('live sessions: live days marked on every chart; the cadence and session length move the charts', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  // the default merchant streams every other day
  assert.equal(await page.inputValue('#ctl-live'), '2');
  const every2 = await liveState(page);
  assert.ok(every2.liveDays >= Math.floor(every2.days / 2), `${every2.liveDays} live days in ${every2.days}`);
  for (const [k, n] of Object.entries(every2.marks)) assert.equal(n, every2.liveDays, `${k}: ${n} live-day ticks for ${every2.liveDays} live days`);
  assert.ok(every2.liveGmv > 0 && every2.liveGmv < every2.gmv, 'the live room makes part of the GMV');
  assert.equal(await headline(page, 'liveDays', '90'), every2.liveDays);
  assert.match(await page.textContent('#chart-key'), /直播日/);
  assert.match(await page.textContent('#live-summary'), /直播 \d+ 场.*粉丝购买率/s);
  const fanRate = await headline(page, 'fanRate', '90');
  assert.ok(fanRate > 0 && fanRate < 1, `fan purchase rate ${fanRate}`);
  // never streaming: no ticks, no live GMV, the charts change
  await setCadence(page, 0);
  const never = await liveState(page);
  assert.equal(never.liveDays, 0);
  assert.deepEqual(Object.values(never.marks), [0, 0, 0, 0]);
  assert.equal(never.liveGmv, 0);
  assert.notEqual(never.gmv, every2.gmv, 'the GMV chart moved');
  assert.equal(await page.isVisible('#chart-key'), false);
  assert.match(await page.textContent('#live-summary'), /没有直播/);
  assert.equal(await page.isVisible('#view-traffic input[data-key="lh"]'), false, 'no session length without sessions');
  // streaming every day: a tick on every day
  await setCadence(page, 1);
  const daily = await liveState(page);
  assert.equal(daily.liveDays, daily.days);
  assert.deepEqual(Object.values(daily.marks), Array(4).fill(daily.days));
  assert.ok(daily.liveGmv > every2.liveGmv, `daily sessions make more in the live room: ${every2.liveGmv} → ${daily.liveGmv}`);
  await shot(page, 'traffic-live-daily-zh');
  // longer sessions: a larger room
  await setSlider(page, 'traffic', 'lh', 8);
  const long = await liveState(page);
  assert.ok(long.liveGmv > daily.liveGmv, `8-hour sessions make more in the live room than 3-hour ones: ${daily.liveGmv} → ${long.liveGmv}`);
  await page.waitForFunction(() => location.search.includes('live=1') && location.search.includes('lh=8'));
  await done(g);
});

test('live sessions: YeXin streams daily to her big day; without streaming the big day is still a session', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic&p=quick-brand');
  const { page } = g;
  const s = await liveState(page);
  assert.equal(s.days, 150);
  assert.equal(s.liveDays, 150);
  assert.equal(s.marks.gmv, 150);
  // the big day (歆上人超级日, the run's last day): its figures, the fan purchase rate among them
  const big = await page.textContent('#live-summary .big-day[data-day="150"]');
  assert.match(big, /营销大场（第150天）.*粉丝购买率 \d+(\.\d)?%/);
  assert.match(await page.textContent('#chart-key'), /营销大场/);
  assert.ok(await page.$('#headline td[data-window="all"]'), 'a 150-day run has a whole-run column');
  assert.equal(await headline(page, 'liveDays', 'all'), 150);
  await shot(page, 'traffic-quick-brand-zh');
  await setCadence(page, 0);
  const off = await liveState(page);
  assert.equal(off.liveDays, 1, 'a marketing big day is a live session');
  assert.deepEqual(Object.values(off.marks), [1, 1, 1, 1]);
  await done(g);
});

test('names: the presets carry the articles\' names in both languages; two figures never share a name', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  const names = () => page.$$eval('button[data-preset]', (bs) => Object.fromEntries(bs.map((b) => [b.dataset.preset, b.querySelector('strong').textContent])));
  const zh = await names();
  assert.match(zh['womens-wear'], /若衣轻奢定制/);
  assert.match(zh['quick-brand'], /叶歆/);
  assert.match(zh['quick-brand'], /YeXin/);
  assert.match(zh['trusted-brand'], /莱润/);
  const wrong = /椰心|徕芬|[（(][^）)]*式[）)]|-like/i;
  assert.doesNotMatch(await page.textContent('#view-traffic'), wrong);
  // the backend's cohort rate and the model's forward-looking chance: two names
  const rep = await page.$$eval('#repurchase-figures .label', (ls) => ls.map((l) => [l.textContent, l.title]));
  assert.deepEqual(rep.map(([l]) => l), ['30天复购率', '90天复购率', '新客30天内再次购买的机会', '新客90天内再次购买的机会']);
  assert.match(rep[0][1], /首购客户.*30天内又下过单/);
  assert.match(rep[2][1], /不是后台的复购率/);
  for (const id of ['rep-rate30', 'rep-rate90', 'rep-chance30', 'rep-chance90']) {
    const v = Number(await page.getAttribute(`#${id}`, 'data-value'));
    assert.ok(v > 0 && v < 1, `${id} = ${v}`);
  }
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const en = await names();
  assert.match(en['womens-wear'], /women's-wear/);
  assert.match(en['quick-brand'], /YeXin/);
  assert.match(en['trusted-brand'], /Lairun/);
  assert.doesNotMatch(await page.textContent('#view-traffic'), wrong);
  assert.deepEqual(await page.$$eval('#repurchase-figures .label', (ls) => ls.map((l) => l.textContent)),
    ['30-day repurchase rate', '90-day repurchase rate', 'Chance a new customer buys again within 30 days', 'Chance a new customer buys again within 90 days']);
  await done(g);
});

test('a shared URL reproduces the view exactly', async () => {
  // repeat-customer settings (always available)
  const q = '?v=repeat&lang=en&model=mbgnbd&unit=1&cal=1997-09-30&sort=alive&dir=asc';
  const g = await open(q);
  const { page } = g;
  assert.equal(await page.getAttribute('#tab-repeat', 'aria-selected'), 'true');
  assert.equal(await page.textContent('#tab-repeat'), 'Repeat customers');
  assert.equal(await page.inputValue('#view-repeat select[data-key="model"]'), 'mbgnbd');
  assert.equal(await page.inputValue('#view-repeat select[data-key="unit"]'), '1');
  assert.equal(await page.inputValue('#cal-end'), '1997-09-30');
  const url = new URL(page.url());
  for (const [k, v] of new URLSearchParams(q)) assert.equal(url.searchParams.get(k), v, k);
  await done(g);
  if (!meta.sim) return;
  // traffic: set a view through the controls, then open its link in a fresh browser context
  const a = await open('?v=traffic');
  await a.page.waitForSelector('#view-traffic[data-ready="1"]');
  await setSlider(a.page, 'traffic', 'q', 0.65);
  await a.page.click('#view-traffic button.pin');
  await setSlider(a.page, 'traffic', 'f', 0.15);
  await a.page.click('#lang');
  await a.page.waitForFunction(() => location.search.includes('lang=en') && location.search.includes('f=0.15'));
  const link = a.page.url();
  const values = async (p) => p.$$eval('#headline td', (tds) => tds.map((td) => td.dataset.value));
  const va = await values(a.page);
  const b = await guardedPage(browser, server.url, { viewport: { width: 1280, height: 900 } });
  await b.page.goto(link);
  await b.page.waitForSelector('#view-traffic[data-ready="1"]');
  assert.deepEqual(await values(b.page), va);
  assert.equal(await b.page.textContent('#tab-traffic'), 'My traffic');
  assert.equal(await b.page.inputValue('#view-traffic input[data-key="f"]'), '0.15');
  assert.equal(b.page.url(), link);
  await done(a);
  await done(b);
});

test('platform and sensitivity views', async (t) => {
  if (needSim(t)) return;
  const g = await openView('platform');
  const { page } = g;
  const share = await page.evaluate(() => Array.from(window.shijing.charts.platform.lorenz.u.data[1]));
  assert.ok(Math.abs(share[0]) < 1e-9 && Math.abs(share[share.length - 1] - 1) < 1e-6);
  for (let k = 1; k < share.length; k++) assert.ok(share[k] >= share[k - 1] - 1e-12);
  const gini = Number(await page.getAttribute('#pf-gini', 'data-value'));
  assert.ok(gini >= 0 && gini < 1);
  assert.match(await page.textContent('#pf-percentile'), /超过/);
  assert.match(await page.textContent('#pf-you'), /“你”是“我的流量”里设置的店铺，从“普通商家”开始/);
  await shot(page, 'platform-zh');
  await page.click('#tab-sensitivity');
  await page.waitForSelector('#view-sensitivity[data-ready="1"]');
  const shape = await page.evaluate(() => window.shijing.sweep.shape);
  assert.deepEqual(shape, [11, 11]);
  await shot(page, 'sensitivity-zh');
  // clicking a cell moves the merchant there
  const box = await page.$eval('#heatmap canvas', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y }; });
  await page.mouse.click(box.x + 70, box.y + 20);
  await page.waitForFunction(() => !location.search.includes('q=0.5&'));
  // and the arrow keys move it one cell
  const q0 = Number(new URL(page.url()).searchParams.get('q'));
  await page.focus('#heatmap canvas');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((q) => Number(new URLSearchParams(location.search).get('q')) < q, q0);
  await done(g);
});

/** The observed 30/90-day repurchase rates of an order log, worked out here in plain JS: of the customers whose first order day is at least w days before the last order day, the share with another order day within w days of it. */
function cohortTruth(rows) {
  const first = new Map(), days = new Map();
  let end = -Infinity;
  for (const [c, d] of rows) {
    first.set(c, Math.min(first.get(c) ?? Infinity, d));
    if (!days.has(c)) days.set(c, []);
    days.get(c).push(d);
    end = Math.max(end, d);
  }
  return [30, 90].map((w) => {
    let eligible = 0, repeated = 0;
    for (const [c, f] of first) {
      if (end - f < w) continue;
      eligible++;
      if (days.get(c).some((d) => d > f && d - f <= w)) repeated++;
    }
    return { eligible, repeated, rate: eligible ? repeated / eligible : null };
  });
}
const dayOf = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;

test('repeat customers: the CDNOW sample gives the reference BG/NBD parameters', async (t) => {
  const g = await open('?v=repeat&cal=1997-09-30');
  const { page } = g;
  await page.setInputFiles('#order-file', data('cdnow_orders.csv'));
  await page.waitForSelector('#view-repeat[data-parsed="1"]', { timeout: 30_000 });
  const parsed = await page.evaluate(() => window.shijing.parsed);
  assert.equal(parsed.purchases, 6919);
  assert.equal(parsed.customers, 2357);
  assert.equal(parsed.report.malformed, 0);
  assert.equal(await page.getAttribute('#malformed-summary', 'data-count'), '0');
  assert.match(await page.textContent('#parse-status'), /6,919 笔购买，2,357 位客户/);
  // the shop's own rates, as a backend computes them, against a plain count of the file
  const rows = readFileSync(data('cdnow_orders.csv'), 'utf8').trim().split('\n').slice(1).map((l) => { const [c, d] = l.split(','); return [c, dayOf(d)]; });
  const truth = cohortTruth(rows);
  for (const [k, w] of [[0, 30], [1, 90]]) {
    assert.equal(Number(await page.getAttribute(`#obs-rate${w}`, 'data-value')), truth[k].rate, `T${w}`);
    assert.equal(parsed.cohort.eligible[k], truth[k].eligible);
    assert.equal(parsed.cohort.repeated[k], truth[k].repeated);
  }
  assert.deepEqual(await page.$$eval('#cohort-table tbody tr', (trs) => trs.map((tr) => tr.dataset.month)), ['1997-01', '1997-02', '1997-03']);
  await page.waitForSelector('#view-repeat[data-fitted]', { timeout: 30_000 });
  if (!meta.repeat) {
    assert.match(await page.textContent('#fit-notice'), /还没有回头客模型/);
    await shot(page, 'repeat-cdnow-no-model');
    await done(g);
    t.skip('summarizeOrders / fitBgNbd are not in this build of the package yet');
    return;
  }
  const shown = await page.$$eval('#fit-params tr[data-param]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.param, Number(r.querySelector('td').textContent)])));
  const ref = { r: 0.2425929, alpha: 4.4135323, a: 0.7928860, b: 2.4257524 };
  for (const [k, v] of Object.entries(ref)) {
    assert.ok(k in shown, `parameter ${k} not shown (got ${Object.keys(shown)})`);
    assert.ok(Math.abs(shown[k] - v) < 5e-4, `${k}: shown ${shown[k]}, reference ${v} (must agree to 3 decimals)`);
  }
  assert.ok(await page.$('#chart-holdout canvas'), 'holdout chart drawn when a calibration end is set');
  assert.match(await page.textContent('#holdout-totals'), /实际 1,882/);
  assert.match(await page.textContent('#repeat-answer'), /2,357 位客户里约有 \d+ 位会回来再买/);
  // each outlook figure with its 90% range (issue 16 §2: "18% (16–20%)"), around the point value
  for (const id of ['buyingNext30', 'buyingNext90', 'alive-share', 'expected30']) {
    const [v, lo, hi] = await Promise.all(['data-value', 'data-low', 'data-high'].map(async (a) => Number(await page.getAttribute(`#${id}`, a))));
    assert.ok(lo <= v && v <= hi && lo < hi, `${id}: ${v} not inside its range ${lo}–${hi}`);
    assert.match(await page.textContent(`#${id}`), /（.+–.+）$/, `${id} shows its range`);
  }
  assert.match(await page.textContent('#ranges-help'), /括号里是90%区间/);
  // beside the observed rates: the fitted model's chance for a new customer, under its own name, and 莱润's reference
  const fitted = await page.evaluate(() => window.shijing.fit);
  for (const w of [30, 90]) {
    const v = Number(await page.getAttribute(`#model-new${w}`, 'data-value'));
    assert.equal(v, fitted[`newChance${w}`]);
    assert.ok(v > 0 && v < 1, `model T${w} = ${v}`);
  }
  assert.ok(fitted.newChance90 > fitted.newChance30);
  const ownText = await page.textContent('#own-rates');
  assert.match(ownText, /模型估计：新客30天内回购的概率/);
  assert.match(ownText, /参考：莱润30天 40%/);
  assert.match(ownText, /参考：莱润90天 76%/);
  // segments: every customer in one, with predicted value (the file has amounts)
  const segs = await page.$$eval('#segments tbody tr', (trs) => trs.map((tr) => [tr.dataset.segment, Number(tr.dataset.customers), Number(tr.dataset.value), tr.querySelector('th .seg').textContent]));
  assert.deepEqual(segs.map((x) => x[0]), ['active', 'winBack', 'lost', 'new']);
  assert.deepEqual(segs.map((x) => x[3]), ['活跃', '需要唤回', '可能流失', '新客']);
  assert.equal(segs.reduce((n, x) => n + x[1], 0), 2357);
  for (const [name, n, v] of segs) if (n) assert.ok(v >= 0 && Number.isFinite(v), `${name} value ${v}`);
  // the other two models against their published/measured CDNOW fits (notes/repurchase.md §0)
  const others = {
    mbgnbd: { r: 0.5248377, alpha: 6.1829885, a: 0.8913563, b: 1.6140000 },
    pnbd: { r: 0.5532755, alpha: 10.577612, s: 0.6062135, beta: 11.667908 },
  };
  for (const [model, want] of Object.entries(others)) {
    await page.selectOption('#view-repeat select[data-key="model"]', model);
    await page.waitForFunction((m) => window.shijing.fit?.model === m && document.querySelector('#view-repeat').dataset.fitted === '1', model, { timeout: 30_000 });
    const got = await page.$$eval('#fit-params tr[data-param]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.param, Number(r.querySelector('td').dataset.value)])));
    for (const [k, v] of Object.entries(want)) assert.ok(Math.abs(got[k] - v) / v < 2e-3, `${model} ${k}: ${got[k]} vs ${v}`);
    await recordPerf({ [`fitCdnowMs_${model}`]: (await page.evaluate(() => window.shijing.fit)).ms });
  }
  await page.selectOption('#view-repeat select[data-key="model"]', 'bgnbd');
  await page.waitForFunction(() => window.shijing.fit?.model === 'bgnbd' && document.querySelector('#view-repeat').dataset.fitted === '1');
  const fit = await page.evaluate(() => window.shijing.fit);
  await recordPerf({ fitCdnowMs: fit.ms });
  // the table sorts; the export downloads every customer, with the segment
  await page.click('button[data-sort="frequency"]');
  const freqs = await page.$$eval('#customer-table td[data-col="frequency"]', (tds) => tds.map((td) => Number(td.textContent.replace(/,/g, ''))));
  for (let k = 1; k < freqs.length; k++) assert.ok(freqs[k] <= freqs[k - 1]);
  await shot(page, 'repeat-cdnow-zh');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(csv.length, 2358);
  assert.deepEqual(csv[0].split(',').slice(0, 2), ['客户', '分群']);
  const perSegment = {};
  for (const line of csv.slice(1)) { const seg = line.split(',')[1]; perSegment[seg] = (perSegment[seg] ?? 0) + 1; }
  for (const [, n, , name] of segs) assert.equal(perSegment[name] ?? 0, n, name);
  await done(g);
});

test('repeat customers: the sample-data button loads the CDNOW orders from the page itself', async () => {
  const g = await open('?v=repeat');
  const { page } = g;
  await page.click('#try-sample');
  await page.waitForSelector('#view-repeat[data-parsed="1"]');
  assert.equal((await page.evaluate(() => window.shijing.parsed)).purchases, 6919);
  if (meta.repeat) {
    await page.waitForSelector('#view-repeat[data-fitted="1"]');
    assert.ok(await page.$$eval('#customer-table tbody tr', (rows) => rows.length) === 100);
  }
  await done(g);
});

// The shop-export fixture (tests/data/make_exports.py): 22 order lines (header = line 1, a blank
// line 14 in the text files), 17 orders, 8 purchases by 5 customers; 3 orders closed, cancelled or
// unpaid (3 lines), 2 refunded in full (3 refunded lines), 2 partly refunded (¥30 subtracted);
// malformed lines 20 (time), 21 (amount), 22 and 24 (no customer).
async function checkShopExport(page, { blank }) {
  await page.waitForSelector('#view-repeat[data-parsed="1"]', { timeout: 30_000 });
  const n = (sel, attr = 'data-value') => page.getAttribute(sel, attr).then(Number);
  assert.equal(await n('#read-lines'), 22);
  assert.equal(await n('#read-orders'), 17);
  assert.equal(await n('#read-purchases'), 8);
  assert.equal(await n('#excluded-closed', 'data-orders'), 3);
  assert.equal(await n('#excluded-closed', 'data-lines'), 3);
  assert.equal(await n('#excluded-refunded', 'data-orders'), 2);
  assert.equal(await n('#excluded-refunded', 'data-lines'), 3);
  assert.equal(await n('#partial-refunds'), 2);
  assert.equal(await page.getAttribute('#malformed-summary', 'data-count'), '4');
  assert.deepEqual(await page.$$eval('#malformed-list li', (lis) => lis.map((li) => [Number(li.dataset.line), li.dataset.reason])),
    [[20, 'time'], [21, 'amount'], [22, 'customer'], [24, 'customer']]);
  const text = await page.textContent('#parse-report');
  assert.match(text, /订单明细 22 行 → 17 笔订单 → 计入 8 笔购买，来自 5 位客户/);
  assert.match(text, /没算：3 笔交易关闭、已取消或未付款的订单（3 行）/);
  assert.match(text, /没算：2 笔全额退款的订单/);
  assert.match(text, /第 20 行 时间无法识别/);
  const p = await page.evaluate(() => window.shijing.parsed);
  assert.equal(p.report.blankLines, blank);
  assert.equal(p.customers, 5);
  assert.equal(p.firstDate, '2024-01-05');
  assert.equal(p.lastDate, '2024-03-09');
  // the columns found by their Chinese headers
  assert.match(await page.textContent('#mapping summary'), /客户列：买家ID · 下单时间列：下单时间 · 金额列：实付款 · 订单编号列：订单编号/);
  // the cohort rates: A (01-05, again 02-10: 36 days) and B (01-06, again 02-01: 26 days) are the
  // only customers whose first order is 30 days before the last (03-09); none is 90 days before
  assert.equal(await n('#obs-rate30'), 0.5);
  assert.equal(await page.getAttribute('#obs-rate90', 'data-value'), 'null');
  assert.match(await page.textContent('#own-rates'), /2 位首购客户里 1 位回来了/);
  assert.deepEqual(await page.$$eval('#cohort-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.month, tr.querySelector('td').textContent])),
    [['2024-01', '2'], ['2024-02', '1'], ['2024-03', '2']]);
}

test('repeat customers: a Taobao-style export (GBK, order lines, closed and refunded orders) is read exactly; the merchant corrects rules and columns', async () => {
  const g = await openFile(data('shop_export_gbk.csv'));
  const { page } = g;
  await checkShopExport(page, { blank: 1 });
  assert.match(await page.textContent('#file-info'), /shop_export_gbk\.csv · .* · 文本表格，编码 GB18030/);
  assert.match(await page.textContent('#view-repeat'), /tb_小雨88/, 'a GBK buyer id reads as its Chinese');
  if (meta.repeat) {
    await page.waitForSelector('#view-repeat[data-fitted]', { timeout: 30_000 });
    const segs = await page.$$eval('#segments tbody tr', (trs) => trs.reduce((n, tr) => n + Number(tr.dataset.customers), 0));
    assert.equal(segs, 5);
  }
  await shot(page, 'repeat-shop-gbk-zh');
  // the merchant's corrections read the file again with options
  await page.click('#open-mapping');
  await page.uncheck('#rule-refunded');
  await page.waitForFunction(() => window.shijing.parsed?.report.excluded.refunded === 1 && document.querySelector('#view-repeat').dataset.parsed === '1');
  assert.equal(await page.getAttribute('#read-purchases', 'data-value'), '9', 'refunded orders count (one is refunded to nothing)');
  await page.check('#rule-refunded');
  await page.waitForFunction(() => window.shijing.parsed?.purchases === 8 && document.querySelector('#view-repeat').dataset.parsed === '1');
  // a status the merchant does not count as a purchase (已发货 → closed)
  await page.selectOption('#status-table select[data-status="已发货"]', 'closed');
  await page.waitForFunction(() => window.shijing.parsed?.purchases === 7 && document.querySelector('#view-repeat').dataset.parsed === '1');
  assert.equal(await page.getAttribute('#excluded-closed', 'data-orders'), '4');
  assert.equal(await page.inputValue('#status-table select[data-status="已发货"]'), 'closed');
  // another customer column: the nickname (买家昵称, column 3)
  await page.selectOption('#map-customer', '2');
  await page.waitForFunction(() => window.shijing.parsed?.report.columns.customer.header === '买家昵称' && document.querySelector('#view-repeat').dataset.parsed === '1');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('cc') === '2');
  await shot(page, 'repeat-shop-mapping-zh');
  await done(g);
  // on a phone: everything fits the screen's width, the corrections panel too
  const phone = await openFile(data('shop_export_gbk.csv'), '#view-repeat[data-fitted]', { width: 390, height: 844 });
  await phone.page.click('#open-mapping');
  await phone.page.waitForTimeout(200);
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the shop export's view is ${overflow}px wider than a phone`);
  await shot(phone.page, 'repeat-shop-gbk-phone-zh');
  await done(phone);
});

test('repeat customers: a channel column as a covariate — live-room customers buy most often, then short video, then 商品卡', async () => {
  // tests/data/channel_export.csv (make_exports.py write_channels): the purchase rate of a customer whose
  // first order came through 直播间 is 2.5 times that of 商品卡, 短视频 1.6 times; 达人分销 and 搜索 are rare.
  const g = await openFile(data('channel_export.csv'), '#view-repeat[data-fitted="1"]');
  const { page } = g;
  assert.equal(await page.$('#covariates'), null, 'no comparison before a column is chosen');
  const options = await page.$$eval('#group-column option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options, [['-1', '不分组'], ['4', '5: 订单状态'], ['5', '6: 流量来源']], 'the columns other than customer, time, amount and order number');
  await page.selectOption('#group-column', '5');
  await page.waitForSelector('#view-repeat[data-fitted="1"] #covariates', { timeout: 30_000 });
  assert.equal(await page.inputValue('#group-column'), '5');
  const rows = await page.$$eval('#cov-table tbody tr', (trs) => trs.map((tr) => ({
    level: tr.dataset.level, reference: tr.dataset.reference === '1', customers: Number(tr.dataset.customers),
    lift: Number(tr.querySelector('[data-lift]')?.dataset.lift ?? NaN), low: Number(tr.querySelector('[data-lift]')?.dataset.low ?? NaN),
    high: Number(tr.querySelector('[data-lift]')?.dataset.high ?? NaN), new90: Number(tr.querySelector('[data-new90]').dataset.new90),
  })));
  const by = Object.fromEntries(rows.map((r) => [r.level, r]));
  assert.deepEqual(Object.keys(by).sort(), ['other', '商品卡', '直播间', '短视频'].sort(), JSON.stringify(rows));
  assert.ok(by['商品卡'].reference, 'the most common level is the baseline');
  const parsed = await page.evaluate(() => window.shijing.parsed);
  assert.equal(rows.reduce((n, r) => n + r.customers, 0), parsed.customers, 'every customer in one group');
  assert.ok(by.other.customers >= 20, 'the rare channels folded together');
  // the lifts in the right order, each clear of 1, and the true lifts (2.5, 1.6) inside their 95% ranges
  assert.ok(by['直播间'].lift > by['短视频'].lift && by['短视频'].lift > 1, JSON.stringify(rows));
  assert.ok(by['直播间'].low > 1 && by['短视频'].low > 1, JSON.stringify(rows));
  assert.ok(by['直播间'].low < 2.5 && 2.5 < by['直播间'].high, JSON.stringify(by['直播间']));
  assert.ok(by['短视频'].low < 1.6 && 1.6 < by['短视频'].high, JSON.stringify(by['短视频']));
  // retention: a new customer's 90-day repurchase chance in the same order
  assert.ok(by['直播间'].new90 > by['短视频'].new90 && by['短视频'].new90 > by['商品卡'].new90, JSON.stringify(rows));
  const lines = await page.textContent('#cov-lines');
  assert.match(lines, new RegExp(`直播间来的客户回购频率是商品卡的${by['直播间'].lift.toFixed(1)}倍`));
  assert.match(await page.textContent('#covariates'), /客户少于20位的组（(达人分销、搜索|搜索、达人分销)）合并为“其他”/);
  await shot(page, 'repeat-covariates-zh');
  await page.$eval('#covariates', (el) => el.scrollIntoView());
  await (await page.$('#model-title')).evaluate((el) => el.closest('section').scrollIntoView());
  await page.screenshot({ path: join(screenshots, 'repeat-covariates-card-zh.png'), clip: await page.evaluate(() => {
    const a = document.querySelector('#model-title').closest('section').getBoundingClientRect(), b = document.querySelector('#covariates').getBoundingClientRect();
    return { x: 0, y: a.top + window.scrollY, width: window.innerWidth, height: Math.max(a.bottom, b.bottom) - a.top };
  }), fullPage: true });
  // Pareto/NBD: the dropout lift is shown too
  await page.selectOption('#view-repeat select[data-key="model"]', 'pnbd');
  await page.waitForFunction(() => window.shijing.fit?.model === 'pnbd' && document.querySelector('#covariates th:nth-child(5)'), null, { timeout: 30_000 });
  const pl = await page.$$eval('#cov-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.level, Number(tr.querySelector('[data-lift]')?.dataset.lift ?? NaN)])));
  assert.ok(pl['直播间'] > pl['短视频'] && pl['短视频'] > 1, JSON.stringify(pl));
  // back to no grouping: the comparison goes
  await page.selectOption('#group-column', '-1');
  await page.waitForFunction(() => document.querySelector('#view-repeat').dataset.fitted === '1' && !window.shijing.parsed.report.columns.group, null, { timeout: 30_000 });
  assert.equal(await page.$('#covariates'), null);
  await done(g);
});

test('repeat customers: the same export as an .xlsx workbook reads the same; the workbook reader loads only then', async () => {
  const g = await openFile(data('cdnow_orders.csv'), '#view-repeat[data-parsed="1"]');
  const { page } = g;
  const before = g.requests.filter((u) => u.endsWith('.wasm')).length;
  await page.setInputFiles('#order-file', data('shop_export.xlsx'));
  await checkShopExport(page, { blank: 1 }); // row 14, absent from the sheet, is a blank line of its text
  const wasm = g.requests.filter((u) => u.endsWith('.wasm'));
  assert.equal(wasm.length, before + 1, `the workbook fetched ${wasm.slice(before).join(', ')}`);
  assert.match(await page.textContent('#file-info'), /Excel 工作簿，工作表“订单”/);
  const p = await page.evaluate(() => window.shijing.parsed);
  assert.equal(p.report.format, 'xlsx');
  assert.equal(p.report.sheet, '订单');
  // Excel's number-typed buyer id (C) stays the same customer as the text ones
  assert.match(await page.textContent('#view-repeat'), /2088102177000003|阿强/);
  if (meta.repeat) await page.waitForSelector('#view-repeat[data-fitted]', { timeout: 30_000 });
  await shot(page, 'repeat-shop-xlsx-zh');
  await done(g);
});

test('repeat customers: malformed rows are counted and listed by line number', async () => {
  const g = await openFile(data('orders_malformed.csv'), '#view-repeat[data-parsed="1"]');
  const { page } = g;
  assert.equal(await page.getAttribute('#malformed-summary', 'data-count'), '6');
  const lines = await page.$$eval('#malformed-list li', (lis) => lis.map((li) => [Number(li.dataset.line), li.dataset.reason]));
  assert.deepEqual(lines, [[4, 'time'], [6, 'customer'], [8, 'amount'], [10, 'columns'], [12, 'time'], [14, 'negativeAmount']]);
  assert.match(await page.textContent('#malformed-list'), /第 4 行 时间无法识别/);
  assert.equal((await page.evaluate(() => window.shijing.parsed)).purchases, 8);
  if (meta.repeat) {
    await page.waitForSelector('#view-repeat[data-fitted]');
    assert.match(await page.textContent('#few-customers'), /只有 5 位客户/);
  }
  await shot(page, 'repeat-malformed-zh');
  await done(g);
});

test('repeat customers: a GB18030 (Chinese Excel) file is read with its own encoding', async () => {
  // "客户,日期,金额 / A1 / 张三" saved as GB18030, as Excel on Chinese Windows does
  const bytes = Buffer.from('bfcdbba72cc8d5c6da2cbdf0b6ee0a41312c323032342d30312d30322c31300ad5c5c8fd2c323032342d30312d30352c32300a', 'hex');
  const g = await openFile({ name: 'gbk.csv', mimeType: 'text/csv', buffer: bytes }, '#view-repeat[data-parsed="1"]');
  const { page } = g;
  assert.match(await page.textContent('#file-info'), /GB18030/);
  assert.match(await page.textContent('#mapping'), /客户/);
  assert.equal((await page.evaluate(() => window.shijing.parsed)).customers, 2);
  assert.deepEqual((await page.evaluate(() => window.shijing.parsed)).report.headers, ['客户', '日期', '金额']);
  await done(g);
});

test('repeat customers: ambiguous day/month dates ask the merchant', async () => {
  const file = join(tmpdir(), `shijing-ambiguous-${process.pid}.csv`);
  writeFileSync(file, 'buyer,when,paid\nb1,01/02/2024,10\nb2,03/04/2024,20\nb1,05/06/2024,30\n');
  try {
    const g = await openFile(file, '#date-ambiguous');
    const { page } = g;
    assert.equal(await page.getAttribute('#view-repeat', 'data-parsed'), 'held', 'no figures before the merchant chooses');
    assert.equal(await page.$('#own-rates'), null);
    await page.selectOption('#map-dateformat', 'mdy');
    await page.waitForSelector('#view-repeat[data-parsed="1"]');
    const p = await page.evaluate(() => window.shijing.parsed);
    assert.equal(p.firstDate, '2024-01-02');
    assert.equal(p.lastDate, '2024-05-06');
    assert.equal(new URL(page.url()).searchParams.get('df'), 'mdy');
    await done(g);
  } finally { rmSync(file, { force: true }); }
});

test('repeat customers: a 1,000,000-line shop export to predictions on screen (measured), the page answering meanwhile', async (t) => {
  const file = join(tmpdir(), `shijing-1m-${process.pid}.csv`);
  const { execFileSync } = await import('node:child_process');
  const said = execFileSync('python3', [join(root, 'tests', 'data', 'make_exports.py'), '--big', '1000000', file], { encoding: 'utf8' });
  const orders = Number(/(\d+) orders/.exec(said)[1]);
  const size = statSync(file).size;
  try {
    const g = await open('?v=repeat');
    const { page } = g;
    // record frame gaps on the page's main thread while the worker reads and fits
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      const loop = (now) => {
        window.__gaps.push(now - last); last = now;
        if (!document.querySelector('#view-repeat').dataset.fitted) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    // the repurchase half is loaded by then (a merchant opens the view before choosing a file)
    await page.evaluate(() => window.shijing.call('readOrderFile', [new File(['买家ID,下单时间\n1,2024-01-01\n'], 'warm.csv')]).catch(() => null));
    const t0 = await page.evaluate(() => performance.now());
    await page.setInputFiles('#order-file', file);
    const tClick = Date.now();
    await page.click('#tab-platform');
    // the page answered while the worker was still reading (the read holds no main-thread time)
    const answeredDuringRead = await page.evaluate(() => document.querySelector('#tab-platform').getAttribute('aria-selected') === 'true' && document.querySelector('#view-repeat').dataset.parsing === '1');
    await page.click('#tab-repeat');
    const clickMs = Date.now() - tClick;
    assert.ok(answeredDuringRead, 'the tab did not switch while the file was being read');
    await page.waitForSelector('#view-repeat[data-parsed="1"]', { timeout: 120_000 });
    const p = await page.evaluate(() => window.shijing.parsed);
    assert.equal(p.report.lines, 1_000_000);
    assert.equal(p.report.orders, orders);
    assert.equal(p.report.lines, p.report.purchaseLines + p.report.excludedLines.closed + p.report.excludedLines.refunded + p.report.malformed);
    if (!meta.repeat) { t.diagnostic('model fit skipped: not in this build of the package'); await done(g); return; }
    await page.waitForSelector('#view-repeat[data-fitted]', { timeout: 120_000 });
    assert.equal(await page.getAttribute('#view-repeat', 'data-fitted'), '1', await page.evaluate(() => window.shijing.lastError));
    await page.waitForSelector('#customer-table tbody tr');
    // on screen: the frame after the results were drawn, as the page marks it (views/repeat.js); `seen`:
    // this test's own next frame after its waits above (Playwright's polling and round trips: 0.3–0.5 s more)
    const seen = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    const onScreen = await page.evaluate(() => performance.getEntriesByName('repeat-fit-painted').at(-1)?.startTime);
    assert.ok(onScreen > t0 && onScreen <= seen, `the results' frame is marked (${onScreen})`);
    const fit = await page.evaluate(() => window.shijing.fit);
    const gaps = await page.evaluate(() => window.__gaps.slice(1));
    // the way from the drop to the predictions on screen, stage by stage (ms each): the page's
    // marks (views/repeat.js) and the worker's stage ends (www/src/worker/, absolute times) on one timeline
    const origin = await page.evaluate(() => performance.timeOrigin);
    const mark = (name) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN, name);
    const timeline = [['t0', t0], ['read-sent', await mark('repeat-read-sent')]];
    for (const [k, v] of Object.entries(p.stages ?? {})) timeline.push([`read:${k}`, v - origin]);
    for (const k of ['read-answered', 'read-drawn', 'fit-sent']) timeline.push([k, await mark(`repeat-${k}`)]);
    for (const [k, v] of Object.entries(fit.stages ?? {})) timeline.push([`fit:${k}`, v - origin]);
    for (const k of ['fit-answered', 'fit-drawn', 'fit-painted']) timeline.push([k, await mark(`repeat-${k}`)]);
    const stages = {};
    for (let i = 1; i < timeline.length; i++) stages[timeline[i][0]] = Number((timeline[i][1] - timeline[i - 1][1]).toFixed(1));
    const perf = { lines: 1_000_000, bytes: size, orders, purchases: p.purchases, customers: p.customers, readOrdersMs: p.readMs, readWorkerMs: p.ms, fitMs: fit.ms, dropToPredictionsMs: onScreen - t0, targetMs: 1000, dropToPredictionsSeenMs: seen - t0, stages, frameGapP95: percentile(gaps, 95), frameGapMax: Math.max(...gaps), tabSwitchClicksMs: clickMs };
    await recordPerf({ export1M: perf });
    t.diagnostic(`stages (ms, each from the one before): ${Object.entries(stages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    t.diagnostic(`1M-line export → predictions on screen: ${perf.dropToPredictionsMs.toFixed(0)} ms (seen by the test ${perf.dropToPredictionsSeenMs.toFixed(0)} ms; readOrders ${perf.readOrdersMs.toFixed(0)} ms, read in the worker ${perf.readWorkerMs.toFixed(0)} ms, fit + predictions ${perf.fitMs.toFixed(0)} ms)`);
    t.diagnostic(`while reading and fitting: p95 frame gap ${perf.frameGapP95.toFixed(0)} ms, two tab clicks ${clickMs} ms (measured, not asserted: the machine is shared)`);
    await done(g);
  } finally { rmSync(file, { force: true }); }
});

test('names: in 回头客 the shop\'s observed rates, the model\'s chance for a new customer and the forward shares each have one name', async () => {
  const g = await open('?v=repeat');
  const { page } = g;
  await page.click('#try-sample');
  await page.waitForSelector('#view-repeat[data-parsed="1"]');
  if (!meta.repeat) { await done(g); return; }
  await page.waitForSelector('#view-repeat[data-fitted="1"]');
  const labels = await page.$$eval('#view-repeat .figure .label', (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(labels, ['30天复购率', '90天复购率', '未来30天会回购的客户占比（预计）', '未来90天会回购的客户占比（预计）', '可能还“活着”的客户', '30天内预计回购人次']);
  const own = await page.textContent('#own-rates');
  assert.match(own, /模型估计：新客30天内回购的概率/);
  assert.match(own, /模型估计：新客90天内回购的概率/);
  // the traffic view's name for the simulation's forward chance is not used here
  assert.doesNotMatch(await page.textContent('#view-repeat'), /新客30天内再次购买的机会|新客90天内再次购买的机会/);
  assert.match(await page.getAttribute('#own-rates .own-rate[data-window="30"] .label', 'title'), /后台的30天复购率算法一样/);
  await done(g);
});

test('my shop: "用我的店铺数据模拟" carries the fit into My traffic; the sliders move from the shop\'s own start', async (t) => {
  if (needSim(t)) return;
  const g = await openView('traffic');
  const { page } = g;
  const figures = () => page.$$eval('#headline td[data-window="30"], #headline td[data-window="90"]', (tds) => tds.map((td) => td.dataset.value).join('|'));
  await page.click('#tab-repeat');
  await page.setInputFiles('#order-file', data('cdnow_orders.csv'));
  await page.waitForSelector('#view-repeat[data-fitted="1"]', { timeout: 30_000 });
  const fit = await page.evaluate(() => window.shijing.fit);
  const price = Math.round(fit.averageAmount);
  // the same sliders without the shop's data (the price set to the shop's average), for comparison
  await page.click('#tab-traffic');
  await page.fill('#view-traffic input[data-key="price"]', String(price));
  await page.waitForFunction((p) => new URLSearchParams(location.search).get('price') === String(p), price);
  await page.waitForFunction(() => document.querySelector('#view-traffic .busy').hidden);
  await page.waitForTimeout(300);
  const without = await figures();
  const repWithout = await headline(page, 'repurchases', '90');
  await page.click('#tab-repeat');
  await page.click('#use-my-shop');
  await page.waitForFunction(() => document.body.dataset.view === 'traffic' && document.querySelector('#view-traffic').dataset.ranShop === '1', null, { timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('#view-traffic .busy:not([hidden])'));
  // the page says what came from the data
  const box = await page.textContent('#my-shop');
  assert.match(box, /正在用你的店铺数据/);
  assert.match(box, /按 cdnow_orders\.csv 拟合的 BG\/NBD 模型/);
  assert.match(box, /你的 2,357 位客户/);
  assert.match(box, /Gamma-Gamma/);
  assert.match(box, new RegExp(`平均客单价 ¥${price}`));
  assert.equal(Number(await page.inputValue('#view-traffic input[data-key="price"]')), price);
  // the traffic view moved: the shop's 2,357 customers come back by their own histories, new ones by the fitted process
  const withShop = await figures();
  assert.notEqual(withShop, without);
  const repWith = await headline(page, 'repurchases', '90');
  t.diagnostic(`90-day repeat purchases: ${repWithout.toFixed(0)} with the platform's process, ${repWith.toFixed(0)} with the shop's own (CDNOW) data`);
  // the existing customers' part: at the shop's own start the run reproduces the fit (the core's contract, within 1%:
  // interpolated curves, live days' factors averaging 1 over a cycle), i.e. the fit's expectation for them over 90 days
  const existing = Number(await page.getAttribute('#my-shop-existing', 'data-value'));
  t.diagnostic(`existing customers' repeat purchases in 90 days: ${existing.toFixed(1)} simulated, ${fit.expected90.toFixed(1)} predicted by the fit`);
  assert.ok(Math.abs(existing / fit.expected90 - 1) < 0.01, `existing customers: ${existing} simulated vs ${fit.expected90} predicted`);
  assert.match(await page.textContent('#my-shop-existing'), /你现有的 2,357 位客户预计回购/);
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /\b(null|undefined|NaN)\b/, 'a JS placeholder shown as text');
  await shot(page, 'traffic-my-shop-zh');
  // the shop's start is pinned: a better follow rate is compared against it
  assert.ok(new URL(page.url()).searchParams.get('base'), 'the start is pinned as the baseline');
  await setSlider(page, 'traffic', 'f', 0.2);
  await page.waitForFunction(() => document.querySelector('#view-traffic').dataset.ranShop === '1' && document.querySelector('#headline tr[data-metric="gmv"] td[data-window="change"]')?.dataset.value > 0);
  // the other views run the same shop
  await page.click('#tab-platform');
  await page.waitForSelector('#view-platform[data-ready="1"]');
  // and it can be switched off: the figures are those of the same sliders without the data
  await page.click('#tab-traffic');
  await setSlider(page, 'traffic', 'f', Number(new URL(page.url()).searchParams.get('base').split(',')[1]));
  await page.click('#my-shop-off');
  await page.waitForFunction(() => document.querySelector('#view-traffic').dataset.ranShop === '0');
  await page.waitForTimeout(300);
  assert.equal(await page.isHidden('#my-shop'), true);
  assert.equal(await figures(), without);
  await done(g);
});

test('the worker turns package errors into readable messages and keeps working', async () => {
  const g = await open('?v=repeat');
  const { page } = g;
  const err = await page.evaluate(() => window.shijing.call('fitRepeat', [{ model: 'bgnbd', unitDays: 7 }]).then(() => null, (e) => ({ message: e.message, code: e.code })));
  assert.equal(err.code, 'E_NO_ORDERS');
  const unknown = await page.evaluate(() => window.shijing.call('noSuchThing').then(() => null, (e) => e.message));
  assert.match(unknown, /unknown worker function/);
  if (meta.sim) {
    // the package's own validation message comes through as is, and the worker keeps answering
    const bad = await page.evaluate(() => window.shijing.call('traffic', [{ scenario: { preset: 'default', days: 90, seed: 1, platform: { giniMax: 1.5 }, merchant: {} } }]).then(() => null, (e) => e.message));
    assert.match(bad, /giniMax/);
    const ok = await page.evaluate(() => window.shijing.call('traffic', [{ scenario: { preset: 'default', days: 90, seed: 1, platform: { giniMax: 0.5 }, merchant: {} } }]).then((r) => r.days));
    assert.equal(ok, 90);
  }
  // a bad date from a hand-edited link is a readable message in the page, not a dead worker
  const again = await page.evaluate(() => window.shijing.call('meta').then((m) => typeof m.version));
  assert.equal(again, 'string');
  await page.setInputFiles('#order-file', data('orders_malformed.csv'));
  await page.waitForSelector('#view-repeat[data-parsed="1"]');
  await page.fill('#cal-end', '2023-01-01');
  await page.waitForSelector('#fit-notice');
  assert.match(await page.textContent('#fit-notice'), meta.repeat ? /早于第一笔订单/ : /还没有回头客模型/);
  await done(g);
});

test('phone width: every view fits the screen; screenshots of every view', async () => {
  for (const [lang, suffix] of [['zh', 'zh'], ['en', 'en']]) {
    for (const v of ['traffic', 'platform', 'sensitivity', 'repeat']) {
      const g = await open(`?v=${v}&lang=${lang}`, { width: 390, height: 844 });
      const { page } = g;
      if (meta.sim && v !== 'repeat') await page.waitForSelector(`#view-${v}[data-ready="1"]`);
      if (v === 'repeat') {
        await page.setInputFiles('#order-file', data('cdnow_orders.csv'));
        await page.waitForSelector('#view-repeat[data-fitted]', { timeout: 30_000 });
      }
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${v} (${lang}) is ${overflow}px wider than the phone screen`);
      assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /\b(null|undefined|NaN)\b/, `${v} (${lang}) shows a JS placeholder as text`);
      await shot(page, `phone-${v}-${suffix}`);
      await done(g);
    }
  }
  for (const v of ['platform', 'sensitivity']) {
    const g = await open(`?v=${v}&lang=en`);
    if (meta.sim) await g.page.waitForSelector(`#view-${v}[data-ready="1"]`);
    await shot(g.page, `${v}-en`);
    await done(g);
  }
  const g = await open('?v=traffic&lang=en');
  if (meta.sim) await g.page.waitForSelector('#view-traffic[data-ready="1"]');
  await shot(g.page, 'traffic-en');
  await done(g);
});

// For a person to look at, as a Chinese merchant would: every preset in the traffic and
// platform views, in Chinese and English, at desktop and phone width (the phone also
// screen by screen, sticky bars where a phone shows them). Slow (32 page loads), so on
// request: SHIJING_SHOTS=1 (SHIJING_SHOTS=<regex> for some), into tests/e2e/screenshots/presets/.
test('screenshots of every preset (SHIJING_SHOTS=1)', { skip: !process.env.SHIJING_SHOTS && 'set SHIJING_SHOTS=1 to take them' }, async (t) => {
  if (needSim(t)) return;
  const only = process.env.SHIJING_SHOTS === '1' ? null : new RegExp(process.env.SHIJING_SHOTS);
  const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
  for (const p of meta.presets.map((x) => x.id)) {
    for (const v of ['traffic', 'platform']) {
      for (const lang of ['zh', 'en']) {
        for (const [size, viewport] of Object.entries(sizes)) {
          const name = `presets/${p}-${v}-${lang}-${size}`;
          if (only && !only.test(name)) continue;
          const g = await guardedPage(browser, server.url, { viewport, deviceScaleFactor: size === 'phone' ? 2 : 1 });
          const { page } = g;
          await page.goto(`${server.url}?v=${v}&lang=${lang}&p=${p}`);
          await page.waitForSelector(`#view-${v}[data-ready="1"]`, { timeout: 60_000 });
          await page.waitForTimeout(300);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${name} is ${overflow}px wider than the screen`);
          await shot(page, name);
          if (size === 'phone') {
            const height = await page.evaluate(() => document.documentElement.scrollHeight);
            for (let k = 0, y = 0; y < height && k < 8; k++, y += viewport.height - 80) {
              await page.evaluate((yy) => window.scrollTo(0, yy), y);
              await page.waitForTimeout(100);
              await page.screenshot({ path: join(screenshots, `${name}-${k + 1}.png`) });
            }
          }
          await done(g);
        }
      }
    }
  }
});

test('speed: cold load to first chart, and the shipped sizes', async (t) => {
  const assets = join(dist, 'assets');
  const files = readdirSync(assets);
  const gzBytes = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
  const gz = (f) => gzBytes(join(assets, f));
  // The package's parts are each their own Wasm (file names are hashed): which
  // part a file is, by its exports; which view fetches which, off the requests.
  const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
  const wasmGz = Object.fromEntries(wasmFiles.map((f) => [f, gz(f)]));
  const PARTS = { traffic: 'capGini', repurchase: 'fitBgNbd', covariates: 'oneHot', orders: 'readOrders', xlsx: 'sheetText' };
  const partOf = Object.fromEntries(wasmFiles.map((f) => {
    const names = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(assets, f)))).map((e) => e.name);
    const all = Object.keys(PARTS).filter((p) => names.includes(PARTS[p]));
    if (all.length === Object.keys(PARTS).length) return [f, 'whole'];
    // shijing/covariates is the repurchase half and the covariate fits
    const parts = all.filter((p) => !(p === 'repurchase' && names.includes(PARTS.covariates)));
    return [f, parts.length === 1 ? parts[0] : `a mix (${parts.join(', ')})`];
  }));
  const wasmOf = (g) => [...new Set(g.requests.filter((u) => u.endsWith('.wasm')).map((u) => partOf[new URL(u).pathname.split('/').pop()]))].sort();
  const whole = join(root, 'pkg', 'shijing_bg.wasm');
  const sizes = {
    wasmGzipBytesByFile: wasmGz,
    wasmGzipBytesByPart: Object.fromEntries(wasmFiles.map((f) => [partOf[f], wasmGz[f]])),
    jsGzipBytes: files.filter((f) => f.endsWith('.js')).reduce((s, f) => s + gz(f), 0),
    cssGzipBytes: files.filter((f) => f.endsWith('.css')).reduce((s, f) => s + gz(f), 0),
    wholePackageWasmGzipBytes: statSync(whole, { throwIfNoEntry: false }) ? gzBytes(whole) : null,
    targetWasmGzipBytes: TARGETS.wasmGzipBytes,
  };
  // The parts are shipped, and the whole package (for 用我的店铺数据模拟 alone, below).
  for (const f of wasmFiles) assert.ok(partOf[f] in PARTS || partOf[f] === 'whole', `${f} is ${partOf[f]}, not one part`);
  assert.equal(new Set(Object.values(partOf)).size, wasmFiles.length, `a part is shipped twice: ${JSON.stringify(partOf)}`);
  const loads = [];
  for (let i = 0; i < 10; i++) {
    const g = await open(meta.sim ? '?v=traffic' : '?v=repeat');
    const { page } = g;
    if (meta.sim) await page.waitForSelector('#view-traffic[data-ready="1"]');
    loads.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const first = performance.getEntriesByName('first-chart')[0];
      const market = performance.getEntriesByName('market-build')[0];
      const meta = performance.getEntriesByName('meta-received')[0];
      const rpc = performance.getEntriesByName('traffic-rpc')[0];
      const script = performance.getEntriesByName('worker-script')[0];
      const wasm = performance.getEntriesByName('wasm-ready')[0];
      const render = performance.getEntriesByName('traffic-render')[0];
      const from = document.getElementById('view-traffic')?.dataset.marketFrom;
      return { firstChartMs: first ? first.startTime : null, domContentLoadedMs: nav.domContentLoadedEventEnd, metaMs: meta ? meta.startTime : null, marketBuildMs: market ? market.duration : null, firstAnswerMs: rpc ? rpc.startTime + rpc.duration : null, workerScriptMs: script ? script.startTime : null, wasmReadyMs: wasm ? wasm.startTime : null, renderMs: render ? render.duration : null, marketFrom: from };
    }));
    // the first chart's market was built by the worker right after `meta`, not by the page's request
    if (meta.sim) assert.equal(loads.at(-1).marketFrom, 'prewarm');
    loads.at(-1).wasm = wasmOf(g);
    await done(g);
  }
  // The traffic view fetches the traffic half alone.
  for (const l of loads) assert.deepEqual(l.wasm, ['traffic'], `the traffic view fetched ${l.wasm.join(', ')}`);
  // The first fit of a CSV export fetches the repurchase half, and the export
  // reader (shijing/orders) when the explorer reads files with readOrders;
  // never the workbook reader (shijing/xlsx: a workbook only).
  const g = await open('?v=traffic');
  if (meta.sim) await g.page.waitForSelector('#view-traffic[data-ready="1"]');
  await g.page.click('#tab-repeat');
  await g.page.setInputFiles('#order-file', data('cdnow_orders.csv'));
  await g.page.waitForSelector('#view-repeat[data-fitted]', { timeout: 30_000 });
  const repeatAdds = wasmOf(g).filter((p) => p !== 'traffic');
  // 用我的店铺数据模拟 loads the whole package (the merchant's fitted process is not in the traffic half)
  await g.page.click('#use-my-shop');
  await g.page.waitForFunction(() => document.querySelector('#view-traffic').dataset.ranShop === '1', null, { timeout: 60_000 });
  const shopAdds = wasmOf(g).filter((p) => p !== 'traffic' && !repeatAdds.includes(p));
  await g.page.click('#tab-repeat');
  // the workbook reader (shijing/xlsx) loads only when an .xlsx file is opened
  await g.page.setInputFiles('#order-file', data('shop_export.xlsx'));
  await g.page.waitForSelector('#view-repeat[data-parsed="1"]', { timeout: 30_000 });
  const xlsxAdds = wasmOf(g).filter((p) => p !== 'traffic' && !repeatAdds.includes(p) && !shopAdds.includes(p));
  await done(g);
  const shipped = new Set(Object.values(partOf));
  assert.deepEqual(repeatAdds, ['orders', 'repurchase'].filter((p) => shipped.has(p)), `the first fit fetched ${repeatAdds.join(', ')}`);
  assert.deepEqual(shopAdds, ['whole'], `用我的店铺数据模拟 fetched ${shopAdds.join(', ')}`);
  assert.deepEqual(xlsxAdds, ['xlsx'], `the first workbook fetched ${xlsxAdds.join(', ')}`);
  // shijing/covariates loads when the merchant compares groups (the covariates test checks that view)
  assert.ok(shipped.has('covariates'), `shipped: ${[...shipped].join(', ')}`);
  assert.deepEqual([...shipped].filter((p) => p !== 'covariates').sort(), ['traffic', ...repeatAdds, ...shopAdds, ...xlsxAdds].sort(), 'a shipped Wasm that no view loads');
  sizes.trafficWasmGzipBytes = sizes.wasmGzipBytesByPart.traffic;
  sizes.repurchaseWasmGzipBytes = sizes.wasmGzipBytesByPart.repurchase;
  sizes.ordersWasmGzipBytes = sizes.wasmGzipBytesByPart.orders ?? null;
  sizes.xlsxWasmGzipBytes = sizes.wasmGzipBytesByPart.xlsx ?? null;
  sizes.covariatesWasmGzipBytes = sizes.wasmGzipBytesByPart.covariates ?? null;
  sizes.myShopWasmGzipBytes = sizes.wasmGzipBytesByPart.whole;
  sizes.loadedBy = {
    traffic: 'start (我的流量, 平台, 敏感度): shijing/traffic',
    repurchase: 'the first file read and fit (回头客): shijing/repurchase',
    orders: 'the first file read (回头客): shijing/orders',
    xlsx: 'the first workbook (回头客, .xlsx): shijing/xlsx',
    covariates: 'comparing groups by a column (回头客, 按哪一列分组比较): shijing/covariates',
    whole: '用我的店铺数据模拟 (the traffic views with the shop\'s data): shijing, the whole package',
  };
  // The budget (issue 15: "The traffic half's Wasm stays within its 120 KB gzipped budget") holds for
  // every part: loaded at start, at the first file and fit, and for a workbook. The whole package, fetched
  // only by 用我的店铺数据模拟 (the merchant's fitted process joins both halves), is recorded, not held to it.
  sizes.wasmGzipBytes = Math.max(...Object.entries(sizes.wasmGzipBytesByPart).filter(([p]) => p !== 'whole').map(([, b]) => b));
  sizes.met = sizes.wasmGzipBytes <= TARGETS.wasmGzipBytes;
  sizes.note = 'wasmGzipBytes: the largest part the explorer loads (traffic at start; repurchase and orders at the first file; xlsx for a workbook); myShopWasmGzipBytes: the whole package, loaded only by 用我的店铺数据模拟 (not held to the budget); wholePackageWasmGzipBytes: pkg/shijing_bg.wasm';
  const firsts = loads.map((l) => l.firstChartMs).filter((x) => x != null);
  const median = firsts.length ? percentile(firsts, 50) : null;
  await recordPerf({
    sizes,
    coldLoad: {
      runs: loads.length, firstChartMsMedian: median, firstChartMsMax: firsts.length ? Math.max(...firsts) : null,
      marketBuildMsMedian: meta.sim ? percentile(loads.map((l) => l.marketBuildMs), 50) : null,
      domContentLoadedMsMedian: percentile(loads.map((l) => l.domContentLoadedMs), 50),
      metaReceivedMsMedian: percentile(loads.map((l) => l.metaMs), 50),
      workerScriptMsMedian: percentile(loads.map((l) => l.workerScriptMs).filter((x) => x != null), 50) ?? null,
      wasmReadyMsMedian: percentile(loads.map((l) => l.wasmReadyMs).filter((x) => x != null), 50) ?? null,
      firstAnswerMsMedian: meta.sim ? percentile(loads.map((l) => l.firstAnswerMs), 50) : null,
      renderMsMedian: meta.sim ? percentile(loads.map((l) => l.renderMs), 50) : null,
      targetMs: TARGETS.firstChartMs, met: median != null && median <= TARGETS.firstChartMs,
      note: meta.sim ? 'marketBuildMs: the worker building the first MarketModel (started right after it answers meta, before the page asks)' : 'no traffic chart: simulate is not in this build yet',
    },
  });
  // Each Wasm the page ships is within the target (a regression here fails the run).
  assert.ok(sizes.met, `a Wasm the explorer ships is ${sizes.wasmGzipBytes} bytes gzipped, above the ${TARGETS.wasmGzipBytes} target: ${JSON.stringify(sizes.wasmGzipBytesByPart)}`);
  if (median != null) {
    assert.ok(median <= LIMITS.firstChartMs, `first chart after ${median} ms`);
    if (median > TARGETS.firstChartMs) t.diagnostic(`first chart after ${median.toFixed(0)} ms, above the ${TARGETS.firstChartMs} ms target`);
  }
});
