// 我的流量 / My traffic: the merchant's sliders, presets, headline figures
// (30/90-day totals, change against a pinned baseline), the head-cap
// message, and four charts over the simulated days.
import { t, onLang, getLang, fmtCompact, fmtPct, fmtSignedPct, translate } from '../i18n.js';
import { busyLine, h, slider, card, measureRedraw, takeInput } from '../ui.js';
import { lineChart, onChartDraw, COLORS } from '../charts.js';
import { scenarioOf, baselineOf, encodeBaseline, patchFromScenario, MERCHANT_KEYS } from '../state.js';

const TRAFFIC_KEYS = new Set([...Object.keys(MERCHANT_KEYS), 'budget', 'gmax', 'gmode', 'blend', 'cold', 'days', 'seed', 'p', 'base']);

export { scenarioOf };

export const pct0 = (x) => `${Math.round(x * 100)}%`;
/** A percentile as a share of merchants below, never rounded up to 100%. */
export const pctBelow = (p) => `${(Math.floor(p * 1000) / 10).toFixed(1)}%`;

/** The merchant's sliders (shared by My traffic and, for q/f, Sensitivity). */
export function qualitySliders(store) {
  return [
    slider(store, { key: 'q', label: 'contentQuality', help: 'contentQualityHelp', min: 0, max: 1, step: 0.01, format: pct0, big: true }),
    slider(store, { key: 'f', label: 'followRate', help: 'followRateHelp', min: 0, max: 0.3, step: 0.001, format: (x) => `${(x * 100).toFixed(1)}%`, big: true }),
  ];
}

export function presetPicker(store, meta) {
  const wrap = h('div', { class: 'presets', role: 'group', 'aria-labelledby': 'presets-label' },
    h('div', { id: 'presets-label', class: 'group-label', 'data-i18n': 'presets' }, t('presets')));
  const buttons = [];
  const defaults = patchFromScenario(meta.defaults ?? {});
  for (const p of meta.presets ?? []) {
    const b = h('button', { type: 'button', class: 'preset', 'data-preset': p.id },
      h('strong', {}, ''), h('small', {}, ''));
    const label = () => { b.children[0].textContent = p.name?.[getLang()] ?? p.id; b.children[1].textContent = p.description?.[getLang()] ?? ''; };
    label();
    onLang(label);
    b.addEventListener('click', () => {
      store.set({ ...defaults, ...patchFromScenario(p.scenario), p: p.id, base: '' });
    });
    buttons.push(b);
    wrap.append(b);
  }
  const mark = () => { for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.preset === store.state.p)); };
  mark();
  store.subscribe((c) => { if (c.includes('p')) mark(); });
  return wrap;
}

const ROWS = [
  ['publicExposure', 'publicExposure'],
  ['privateExposure', 'privateExposure'],
  ['followers', 'followersAt'],
  ['firstPurchases', 'firstPurchases'],
  ['repurchases', 'repurchases'],
  ['gmv', 'gmv'],
];

/** @param {import('../main.js').ViewContext} ctx */
export function createTrafficView({ store, call, meta, onError }) {
  const root = h('div', { class: 'view view-traffic', id: 'view-traffic', role: 'tabpanel', 'aria-labelledby': 'tab-traffic' });
  const busy = busyLine();
  if (!meta.sim) {
    root.append(h('p', { class: 'notice', 'data-i18n': 'simUnavailable' }, t('simUnavailable')));
    return { root, activate() {}, deactivate() {} };
  }

  // ---- controls
  const pinBtn = h('button', { type: 'button', class: 'pin', 'data-i18n': 'compareWith' }, t('compareWith'));
  const clearBtn = h('button', { type: 'button', class: 'secondary', id: 'clear-baseline', 'data-i18n': 'clearBaseline' }, t('clearBaseline'));
  const baseText = h('p', { class: 'baseline-text', 'aria-live': 'polite' });
  pinBtn.addEventListener('click', () => store.set({ base: encodeBaseline(store.state) }));
  // one-click questions: pin today's settings, then improve one thing
  const whatIf = (id, label, patch) => {
    const b = h('button', { type: 'button', class: 'secondary whatif', id, 'data-i18n': label }, t(label));
    b.addEventListener('click', () => { const s = store.state; store.set({ base: encodeBaseline(s) }); store.set(patch(s)); });
    return b;
  };
  const whatIfs = h('div', { class: 'whatifs', role: 'group', 'aria-labelledby': 'whatif-label' },
    h('span', { id: 'whatif-label', class: 'group-label', 'data-i18n': 'whatIfLabel' }, t('whatIfLabel')),
    whatIf('whatif-q', 'whatIfQuality', (s) => ({ q: Math.min(1, Number((s.q + 0.1).toFixed(2))) })),
    whatIf('whatif-f', 'whatIfFollow', (s) => ({ f: Math.min(0.3, Number((s.f + 0.01).toFixed(3))) })));
  clearBtn.addEventListener('click', () => store.set({ base: '' }));

  // on a phone the figures are far below the sliders: a bar that stays in view while they move
  const mini = h('div', { class: 'mini', id: 'mini-summary', 'aria-live': 'polite' });
  const controls = h('aside', { class: 'card controls', 'aria-labelledby': 'merchant-title' },
    h('h2', { id: 'merchant-title', 'data-i18n': 'merchant' }, t('merchant')),
    presetPicker(store, meta),
    ...qualitySliders(store),
    slider(store, { key: 'price', label: 'price', min: 1, max: 2000, step: 1, format: (x) => `¥${fmtCompact(x)}` }),
    slider(store, { key: 'trust', label: 'trust', help: 'trustHelp', min: 0, max: 1, step: 0.01, format: pct0 }),
    slider(store, { key: 'dil', label: 'diligence', help: 'diligenceHelp', min: 0, max: 1, step: 0.01, format: pct0 }),
    h('details', { class: 'more' },
      h('summary', { 'data-i18n': 'moreSettings' }, t('moreSettings')),
      slider(store, { key: 'fans', label: 'followers', min: 0, max: 1e7, scale: 'log' }),
      slider(store, { key: 'ad', label: 'adSpend', min: 0, max: 1e6, scale: 'log', format: (x) => `¥${fmtCompact(x)}` }),
      slider(store, { key: 'age', label: 'ageDays', min: 0, max: 3650, step: 1, format: (x) => String(Math.round(x)) }),
      slider(store, { key: 'days', label: 'days', min: 30, max: 730, step: 1, format: (x) => String(Math.round(x)) })),
    mini,
    h('div', { class: 'compare' }, pinBtn, clearBtn, h('small', { class: 'help', 'data-i18n': 'compareHelp' }, t('compareHelp')), baseText));

  // ---- results
  const capBox = h('p', { class: 'callout', id: 'cap-callout', role: 'status' });
  const answer = h('p', { class: 'answer', id: 'answer', 'aria-live': 'polite' });
  const rateLine = h('p', { class: 'rates' });
  const table = h('table', { class: 'headline', id: 'headline' });
  const chartEls = {
    exposure: h('div', { class: 'chart', id: 'chart-exposure' }),
    followers: h('div', { class: 'chart', id: 'chart-followers' }),
    purchases: h('div', { class: 'chart', id: 'chart-purchases' }),
    gmv: h('div', { class: 'chart', id: 'chart-gmv' }),
  };
  const chartCard = (key, el) => h('figure', { class: 'card chart-card' }, h('figcaption', { 'data-i18n': key }, t(key)), el);
  const results = h('div', { class: 'results' },
    busy.el,
    capBox,
    card('headline', whatIfs, answer, table, rateLine),
    h('div', { class: 'charts' },
      chartCard('chartExposure', chartEls.exposure), chartCard('chartFollowers', chartEls.followers),
      chartCard('chartPurchases', chartEls.purchases), chartCard('chartGmv', chartEls.gmv)));
  root.append(h('div', { class: 'split' }, controls, results));

  // ---- charts
  let charts = null;
  let chartsWithBase = null;
  function buildCharts(withBase) {
    if (charts) for (const c of Object.values(charts)) c.destroy();
    const b = (label, color) => (withBase ? [{ label: label + t('baselineSuffix'), color, dash: [6, 4], width: 1.5 }] : []);
    const defs = {
      exposure: [[{ label: t('publicExposure'), color: COLORS.publicExposure }, { label: t('privateExposure'), color: COLORS.privateExposure }],
        [...b(t('publicExposure'), COLORS.publicExposure), ...b(t('privateExposure'), COLORS.privateExposure)]],
      followers: [[{ label: t('chartFollowers'), color: COLORS.followers }], b(t('chartFollowers'), COLORS.followers)],
      purchases: [[{ label: t('firstPurchases'), color: COLORS.firstPurchases }, { label: t('repurchases'), color: COLORS.repurchases }],
        [...b(t('firstPurchases'), COLORS.firstPurchases), ...b(t('repurchases'), COLORS.repurchases)]],
      gmv: [[{ label: t('gmv'), color: COLORS.gmv }], b(t('gmv'), COLORS.gmv)],
    };
    charts = {};
    for (const [name, [own, base]] of Object.entries(defs)) {
      charts[name] = lineChart(chartEls[name], [...own, ...base], {
        name: `traffic-${name}`, xLabel: t('day'), height: 200,
        // private exposure is far smaller than public: give it its own (right-hand) axis
        ...(name === 'exposure' ? { rightScale: withBase ? [2, 4] : [2], rightColor: COLORS.privateExposure } : {}),
      });
    }
    chartsWithBase = withBase;
    window.shijing.charts.traffic = charts;
  }

  let last = null;
  function render(r) {
    last = r;
    window.shijing.traffic = r;
    const withBase = !!r.baseline;
    if (!charts || chartsWithBase !== withBase) buildCharts(withBase);
    const s = r.series, bs = r.baseline?.series;
    const data = {
      exposure: [r.x, s.publicExposure, s.privateExposure, ...(bs ? [bs.publicExposure, bs.privateExposure] : [])],
      followers: [r.x, s.followers, ...(bs ? [bs.followers] : [])],
      purchases: [r.x, s.firstPurchases, s.repurchases, ...(bs ? [bs.firstPurchases, bs.repurchases] : [])],
      gmv: [r.x, s.gmv, ...(bs ? [bs.gmv] : [])],
    };
    for (const [k, d] of Object.entries(data)) charts[k].setData(d);
    renderText();
  }

  function renderText() {
    const r = last;
    if (!r) return;
    // headline table: rebuilt only when its columns change, otherwise updated in place
    const mode = `${!!r.baseline}|${getLang()}`;
    if (table.dataset.mode !== mode) {
      table.dataset.mode = mode;
      table.replaceChildren(
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('metric')), h('th', { scope: 'col' }, t('first30')), h('th', { scope: 'col' }, t('first90')),
          r.baseline ? h('th', { scope: 'col' }, t('vsBaseline')) : null)),
        h('tbody', {}, ROWS.map(([k, label]) => h('tr', { 'data-metric': k },
          h('th', { scope: 'row' }, t(label)),
          h('td', { 'data-window': '30' }), h('td', { 'data-window': '90' }),
          r.baseline ? h('td', { 'data-window': 'change' }) : null))));
    }
    for (const tr of table.tBodies[0].rows) {
      const k = tr.dataset.metric;
      const [, c30, c90, cch] = tr.cells;
      const v30 = r.d30?.[k], v90 = r.d90?.[k];
      c30.dataset.value = String(v30 ?? ''); c30.textContent = fmtCompact(v30);
      c90.dataset.value = String(v90 ?? ''); c90.textContent = fmtCompact(v90);
      if (cch) {
        const b90 = r.baseline?.d90?.[k];
        const change = Number.isFinite(b90) && b90 !== 0 ? v90 / b90 - 1 : NaN;
        cch.dataset.value = String(change);
        cch.textContent = fmtSignedPct(change);
        cch.className = change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : '';
      }
    }
    rateLine.textContent = `${t('repurchaseRate')}: ${fmtPct(r.repurchaseRate30)} / ${fmtPct(r.repurchaseRate90)} · ${t('percentileLine', { p: pctBelow(r.exposurePercentile) })}`;
    const change = (k) => (r.baseline?.d90?.[k] ? ` (${fmtSignedPct(r.d90[k] / r.baseline.d90[k] - 1)})` : '');
    mini.textContent = r.d90 ? `${t('first90')} · ${t('gmv')} ${fmtCompact(r.d90.gmv)}${change('gmv')} · ${t('followersShort')} ${fmtCompact(r.d90.followers)}${change('followers')}` : '';
    capBox.textContent = r.cappedDays > 0 ? t('capped', { n: r.cappedDays }) : t('notCapped');
    capBox.classList.toggle('capped', r.cappedDays > 0);
    capBox.dataset.capped = String(r.cappedDays > 0);
    if (r.baseline && r.d90 && r.baseline.d90) {
      const ch = (k) => fmtSignedPct(r.baseline.d90[k] ? r.d90[k] / r.baseline.d90[k] - 1 : NaN);
      answer.textContent = t('answerBetter', { gmv: ch('gmv'), priv: ch('privateExposure'), rep: ch('repurchases') });
    } else answer.textContent = t('answerHint');
    const b = baselineOf(store.state);
    baseText.textContent = b ? t('baselinePinned', { q: pct0(b.contentQuality), f: `${(b.followRate * 100).toFixed(1)}%` }) : '';
    clearBtn.hidden = !b;
  }

  // ---- requests: latest wins; measure input → all four charts drawn
  let active = false;
  let dirty = true;
  let waiting = null; // { inputTs, left: Set }
  onChartDraw((name) => {
    if (!waiting || !name?.startsWith('traffic-')) return;
    waiting.left.delete(name);
    if (!waiting.left.size) {
      measureRedraw(waiting.inputTs);
      if (!window.shijing.firstChart) { window.shijing.firstChart = performance.now(); performance.mark('first-chart'); }
      waiting = null;
    }
  });

  async function refresh() {
    dirty = false;
    const inputTs = takeInput();
    const s = { ...store.state };
    busy.start();
    try {
      const tCall = performance.now();
      const r = await call('traffic', (w) => w.traffic({ scenario: scenarioOf(s), baseline: baselineOf(s) }));
      if (!r) return;
      busy.stop();
      performance.measure('traffic-rpc', { start: tCall, end: performance.now() });
      performance.measure('traffic-worker', { start: 0, end: r.ms });
      performance.measure('market-build', { start: 0, end: r.marketMs });
      waiting = { inputTs, left: new Set(['traffic-exposure', 'traffic-followers', 'traffic-purchases', 'traffic-gmv']) };
      const tr0 = performance.now();
      render(r);
      performance.measure('traffic-render', { start: tr0, end: performance.now() });
      root.dataset.q = String(s.q);
      root.dataset.f = String(s.f);
      root.dataset.marketFrom = r.marketFrom;
      root.dataset.ready = '1';
    } catch (e) { busy.stop(); onError(e); }
  }

  store.subscribe((changed) => {
    if (!changed.some((k) => TRAFFIC_KEYS.has(k))) return;
    if (changed.includes('base') || changed.includes('p')) renderText();
    if (active) refresh(); else dirty = true;
  });
  onLang(() => { translate(root); if (last) { buildCharts(!!last.baseline); render(last); } });

  return {
    root,
    activate() { active = true; if (dirty || !last) refresh(); },
    deactivate() { active = false; },
  };
}
