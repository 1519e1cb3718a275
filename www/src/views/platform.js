// 平台 / Platform: the platform's rules (budget, Gini limit and how it
// applies, cold-start share) and what they do: Lorenz curve of exposure,
// Gini, top-10% and bottom-50% shares, long-tail play share, and where the
// merchant stands.
import { t, onLang, getLang, fmtPct, fmtNum, fmtInt, translate } from '../i18n.js';
import { busyLine, h, slider, select, card, takeInput, measureRedraw } from '../ui.js';
import { lineChart, COLORS, onChartDraw } from '../charts.js';
import { scenarioOf, pct0, pctBelow } from './traffic.js';
import { MERCHANT_KEYS } from '../state.js';
import { myShopId, onMyShop } from '../myshop.js';

const KEYS = new Set([...Object.keys(MERCHANT_KEYS), 'budget', 'gmax', 'gmode', 'blend', 'cold', 'days', 'seed', 'p']);

/** @param {import('../main.js').ViewContext} ctx */
export function createPlatformView({ store, call, meta, onError }) {
  const root = h('div', { class: 'view view-platform', id: 'view-platform', role: 'tabpanel', 'aria-labelledby': 'tab-platform' });
  const busy = busyLine();
  if (!meta.sim) {
    root.append(h('p', { class: 'notice', 'data-i18n': 'simUnavailable' }, t('simUnavailable')));
    return { root, activate() {}, deactivate() {} };
  }
  const blendCtl = slider(store, { key: 'blend', label: 'blend', min: 0, max: 1, step: 0.01, format: pct0 });
  const controls = h('aside', { class: 'card controls', 'aria-labelledby': 'platform-title' },
    h('h2', { id: 'platform-title', 'data-i18n': 'platformSettings' }, t('platformSettings')),
    slider(store, { key: 'gmax', label: 'giniMax', help: 'giniMaxHelp', min: 0, max: 0.99, step: 0.01, format: (x) => x.toFixed(2), big: true }),
    select(store, { key: 'gmode', label: 'giniMode', options: [['cap', 'gmode_cap'], ['floor', 'gmode_floor'], ['blend', 'gmode_blend']] }),
    blendCtl,
    slider(store, { key: 'cold', label: 'coldStartShare', help: 'coldStartHelp', min: 0, max: 1, step: 0.01, format: pct0 }),
    slider(store, { key: 'budget', label: 'budget', min: 1e4, max: 1e11, scale: 'log' }),
    h('p', { class: 'help', 'data-i18n': 'platformNote' }, t('platformNote')));
  const showBlend = () => { blendCtl.hidden = store.state.gmode !== 'blend'; };
  showBlend();

  const fig = (id, key) => h('div', { class: 'figure' }, h('span', { class: 'label', 'data-i18n': key }, t(key)), h('output', { id }));
  const you = h('small', { class: 'help', id: 'pf-you' });
  const figures = h('div', { class: 'figures' },
    fig('pf-gini', 'gini'), fig('pf-top10', 'top10Share'), fig('pf-bottom50', 'bottom50Share'), fig('pf-longtail', 'longTailPlayShare'), fig('pf-percentile', 'yourPercentile'));
  figures.lastChild.append(you);
  const capBox = h('p', { class: 'callout', role: 'status', id: 'pf-cap' });
  const lorenzEl = h('div', { class: 'chart', id: 'chart-lorenz' });
  const concEl = h('div', { class: 'chart', id: 'chart-concentration' });
  const results = h('div', { class: 'results' },
    busy.el,
    card('platformFigures', figures, capBox),
    h('div', { class: 'charts' },
      h('figure', { class: 'card chart-card' }, h('figcaption', { 'data-i18n': 'chartLorenz' }, t('chartLorenz')), lorenzEl),
      h('figure', { class: 'card chart-card' }, h('figcaption', { 'data-i18n': 'chartConcentration' }, t('chartConcentration')), concEl)));
  root.append(h('div', { class: 'split' }, controls, results));

  let last = null;
  let charts = null;
  function build() {
    if (charts) for (const c of Object.values(charts)) c.destroy();
    charts = {
      lorenz: lineChart(lorenzEl, [
        { label: t('lorenzSeries'), color: COLORS.publicExposure, fill: 'rgba(217,72,15,0.08)' },
        { label: t('equality'), color: COLORS.grey, dash: [4, 4], width: 1 },
      ], { name: 'lorenz', xLabel: t('lorenzX'), yLabel: t('lorenzY'), xRange: [0, 1], yRange: [0, 1], percentX: true, percentY: true, height: 300,
        marks: () => (last ? [{ x: last.exposurePercentile, color: COLORS.privateExposure, label: t('youMark') }] : []) }),
      conc: lineChart(concEl, [
        { label: t('gini'), color: COLORS.publicExposure },
        { label: t('top10Share'), color: COLORS.gmv },
        { label: t('bottom50Share'), color: COLORS.privateExposure },
        { label: t('longTailPlayShare'), color: COLORS.followers },
      ], { name: 'concentration', xLabel: t('day'), yRange: [0, 1], percentY: true, height: 300 }),
    };
    window.shijing.charts.platform = charts;
  }

  function render(r) {
    last = r;
    window.shijing.platform = r;
    if (!charts) build();
    charts.lorenz.setData([r.lorenz.population, r.lorenz.share, r.lorenz.population]);
    charts.conc.setData([r.x, r.gini, r.top10Share, r.bottom50Share, r.longTailPlayShare]);
    renderText();
  }
  function renderText() {
    const r = last;
    if (!r) return;
    const set = (id, text, v) => { const o = root.querySelector(`#${id}`); o.textContent = text; o.dataset.value = String(v); };
    set('pf-gini', fmtNum(r.final.gini, 3), r.final.gini);
    set('pf-top10', fmtPct(r.final.top10Share), r.final.top10Share);
    set('pf-bottom50', fmtPct(r.final.bottom50Share), r.final.bottom50Share);
    set('pf-longtail', fmtPct(r.final.longTailPlayShare), r.final.longTailPlayShare);
    set('pf-percentile', t('percentileValue', { p: pctBelow(r.exposurePercentile) }), r.exposurePercentile);
    // a preview's figures (a smaller market, see api.js `platform`) say so where the cap's line goes:
    // in place, so the page does not shift while a slider moves; the full result puts the cap's line back
    capBox.textContent = r.preview ? t('platformPreview', { n: fmtInt(r.preview.merchants), of: fmtInt(r.preview.of) })
      : r.cappedDays > 0 ? t('capped', { n: r.cappedDays }) : t('notCapped');
    capBox.classList.toggle('capped', !r.preview && r.cappedDays > 0);
    capBox.classList.toggle('preview-note', !!r.preview);
    capBox.dataset.preview = r.preview ? '1' : '0';
    results.classList.toggle('is-preview', !!r.preview);
    // who "you" are: the shop set in My traffic, from its preset
    const preset = meta.presets?.find((p) => p.id === store.state.p);
    you.textContent = t('youAre', { name: preset?.name?.[getLang()] ?? store.state.p });
  }

  // input → both charts drawn again (performance measures read by the e2e test): a preview's
  // as platform-slider-to-preview, the full result's as platform-slider-to-redraw
  let active = false, dirty = true;
  let waiting = null; // { inputTs, name, left: Set }
  onChartDraw((name) => {
    if (!waiting || !waiting.left.has(name)) return;
    waiting.left.delete(name);
    if (!waiting.left.size) {
      measureRedraw(waiting.inputTs, waiting.name);
      waiting = null;
    }
  });
  // While a slider is held (a pointer drag), the page asks for previews only: a full market
  // build (≈ 0.25 s) would hold the worker and every preview behind it; the full result is
  // asked for once the pointer lets go. Keys and clicks ask for it at once.
  let letGo = null; // while a slider is held: resolves when the pointer lets go
  let releaseHeld = () => {};
  controls.addEventListener('pointerdown', (e) => {
    if (!(e.target instanceof HTMLInputElement) || e.target.type !== 'range') return;
    letGo = new Promise((r) => { releaseHeld = r; });
  });
  const release = () => { if (letGo) { letGo = null; releaseHeld(); } };
  window.addEventListener('pointerup', release);
  window.addEventListener('pointercancel', release);
  let generation = 0;
  function show(r, inputTs, name) {
    waiting = { inputTs, name, left: new Set(['lorenz', 'concentration']) };
    render(r);
  }
  async function refresh() {
    dirty = false;
    const mine = ++generation;
    const inputTs = takeInput();
    busy.start();
    try {
      const scenario = { ...scenarioOf(store.state), myShop: myShopId() };
      const tCall = performance.now();
      // when the market must be built, a preview first (a smaller market, labelled), then the full market's figures
      let r = await call('platform', (w) => w.platform({ scenario, preview: true }));
      if (!r) return;
      if (r.preview) {
        root.dataset.ready = '0';
        busy.stop(); // the preview's own note says the full result is on its way
        show(r, inputTs, 'platform-slider-to-preview');
        if (letGo) {
          await letGo;
          if (mine !== generation) return; // a later move asks for its own
        }
        r = await call('platform', (w) => w.platform({ scenario }));
        if (!r) return;
      }
      busy.stop();
      performance.measure('platform-rpc', { start: tCall, end: performance.now() });
      performance.measure('platform-market-build', { start: 0, end: r.marketMs ?? 0 });
      show(r, inputTs, 'platform-slider-to-redraw');
      root.dataset.ready = '1';
    } catch (e) { busy.stop(); onError(e); }
  }
  store.subscribe((changed) => {
    if (changed.includes('gmode')) showBlend();
    if (!changed.some((k) => KEYS.has(k))) return;
    if (active) refresh(); else dirty = true;
  });
  onMyShop(() => { if (active) refresh(); else dirty = true; });
  onLang(() => { translate(root); if (last) { build(); render(last); } });
  return { root, activate() { active = true; if (dirty || !last) refresh(); }, deactivate() { active = false; } };
}
