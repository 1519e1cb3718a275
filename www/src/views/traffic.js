// 我的流量 / My traffic: the merchant's sliders (content, price, trust,
// diligence, the live-session cadence), presets, headline figures (30/90-day
// and whole-run totals, change against a pinned baseline), the live sessions'
// figures (fan purchase rate, big days), the repurchase rates under their
// backend names, the head-cap message, and four charts over the simulated
// days with the live days marked.
import { t, onLang, getLang, fmtCompact, fmtInt, fmtPct, fmtSignedPct, translate } from '../i18n.js';
import { busyLine, h, slider, card, measureRedraw, takeInput, markInput } from '../ui.js';
import { lineChart, onChartDraw, COLORS } from '../charts.js';
import { myShop, myShopId, setMyShop, onMyShop } from '../myshop.js';
import { scenarioOf, baselineOf, encodeBaseline, patchFromScenario, MERCHANT_KEYS, LIVE_CADENCES } from '../state.js';

const TRAFFIC_KEYS = new Set([...Object.keys(MERCHANT_KEYS), 'budget', 'gmax', 'gmode', 'blend', 'cold', 'days', 'seed', 'p', 'base']);

export { scenarioOf };

/** The repurchase models' names (the same in both languages). */
const MODEL_NAMES = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', pnbd: 'Pareto/NBD' };

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

/** The headline rows: [metric, label, kind] (kind 'rate': a share, its change in percentage points). */
const ROWS = [
  ['publicExposure', 'publicExposure'],
  ['privateExposure', 'privateExposure'],
  ['followers', 'followersAt'],
  ['firstPurchases', 'firstPurchases'],
  ['repurchases', 'repurchases'],
  ['gmv', 'gmv'],
  ['liveDays', 'liveDays', 'int'],
  ['liveGmv', 'liveGmvRow'],
  ['fanRate', 'fanRate', 'rate'],
];
const ROW_HELP = { fanRate: 'fanRateHelp', liveGmv: 'liveGmvHelp' };

/** Cadence label: 每天 / 隔天 / 每N天 / 不直播. */
export function cadenceLabel(n) {
  return LIVE_CADENCES.includes(n) ? t(`live_${n}`) : t('liveEveryN', { n });
}

/**
 * The live-session cadence (days between sessions, 0 = never) as a select;
 * a link with a cadence not on the list gets its own option.
 */
function cadenceSelect(store) {
  const id = 'ctl-live';
  const sel = h('select', { id, 'data-key': 'live', 'aria-describedby': `${id}-help` });
  const fill = () => {
    const cur = store.state.live;
    const values = LIVE_CADENCES.includes(cur) ? LIVE_CADENCES : [...LIVE_CADENCES.slice(0, -1).filter((n) => n < cur), cur, ...LIVE_CADENCES.filter((n) => n > cur), 0];
    sel.replaceChildren(...values.map((n) => h('option', { value: String(n) }, cadenceLabel(n))));
    sel.value = String(cur);
  };
  fill();
  sel.addEventListener('change', (ev) => { markInput(ev); store.set({ live: Number(sel.value) }); });
  store.subscribe((changed) => { if (changed.includes('live')) fill(); });
  onLang(fill);
  return h('div', { class: 'ctl' }, h('label', { for: id, 'data-i18n': 'liveEvery' }, t('liveEvery')), sel,
    h('small', { id: `${id}-help`, class: 'help', 'data-i18n': 'liveEveryHelp' }, t('liveEveryHelp')));
}

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

  const liveHours = slider(store, { key: 'lh', label: 'liveHours', min: 0.5, max: 24, step: 0.5, format: (x) => t('hoursValue', { h: +x.toFixed(1) }) });
  const showHours = () => { liveHours.hidden = store.state.live === 0; };
  showHours();
  store.subscribe((c) => { if (c.includes('live')) showHours(); });

  // on a phone the figures are far below the sliders: a bar that stays in view while they move
  const mini = h('div', { class: 'mini', id: 'mini-summary', 'aria-live': 'polite' });
  const controls = h('aside', { class: 'card controls', 'aria-labelledby': 'merchant-title' },
    h('h2', { id: 'merchant-title', 'data-i18n': 'merchant' }, t('merchant')),
    presetPicker(store, meta),
    ...qualitySliders(store),
    slider(store, { key: 'price', label: 'price', min: 1, max: 2000, step: 1, format: (x) => `¥${fmtCompact(x)}` }),
    slider(store, { key: 'trust', label: 'trust', help: 'trustHelp', min: 0, max: 1, step: 0.01, format: pct0 }),
    slider(store, { key: 'dil', label: 'diligence', help: 'diligenceHelp', min: 0, max: 1, step: 0.01, format: pct0 }),
    h('fieldset', { class: 'live-ctl', id: 'live-controls' },
      h('legend', { 'data-i18n': 'liveGroup' }, t('liveGroup')),
      cadenceSelect(store),
      liveHours),
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
  const liveLine = h('div', { class: 'live-summary', id: 'live-summary' });
  // the backend's cohort rates, and (under another name) the model's chance for a new customer
  const repFig = (id, label, help) => h('div', { class: 'figure small' },
    h('span', { class: 'label term', 'data-i18n': label, 'data-i18n-title': help, title: t(help), tabindex: '0' }, t(label)), h('output', { id }));
  const repFigures = h('div', { class: 'figures rep-figures', id: 'repurchase-figures' },
    repFig('rep-rate30', 'rate30Cohort', 'rate30CohortHelp'), repFig('rep-rate90', 'rate90Cohort', 'rate90CohortHelp'),
    repFig('rep-chance30', 'chance30', 'chanceHelp'), repFig('rep-chance90', 'chance90', 'chanceHelp'));
  const repHow = h('details', { class: 'how' }, h('summary', { 'data-i18n': 'howComputed' }, t('howComputed')),
    h('p', { class: 'help', 'data-i18n': 'rateCohortHow' }, t('rateCohortHow')),
    h('p', { class: 'help', 'data-i18n': 'chanceHow' }, t('chanceHow')));
  const repOut = Object.fromEntries([...repFigures.querySelectorAll('output')].map((o) => [o.id, o]));
  const table = h('table', { class: 'headline', id: 'headline' });
  const chartKey = h('p', { class: 'chart-key', id: 'chart-key' });
  const chartEls = {
    exposure: h('div', { class: 'chart', id: 'chart-exposure' }),
    followers: h('div', { class: 'chart', id: 'chart-followers' }),
    purchases: h('div', { class: 'chart', id: 'chart-purchases' }),
    gmv: h('div', { class: 'chart', id: 'chart-gmv' }),
  };
  const chartCard = (key, el) => h('figure', { class: 'card chart-card' }, h('figcaption', { 'data-i18n': key }, t(key)), el);
  // what came from the merchant's own order file ("用我的店铺数据模拟" in 回头客)
  const shopBox = h('section', { class: 'card my-shop', id: 'my-shop', hidden: true, 'aria-live': 'polite' });
  function renderShop() {
    const m = myShop();
    shopBox.hidden = !m;
    root.dataset.myShop = String(m?.id ?? 0);
    if (!m) { shopBox.replaceChildren(); return; }
    const off = h('button', { type: 'button', class: 'secondary', id: 'my-shop-off' }, t('myShopOff'));
    off.addEventListener('click', () => setMyShop(null));
    const items = [
      t('myShopModel', { model: MODEL_NAMES[m.model] ?? m.model, n: fmtInt(m.customers), file: m.file }),
      t('myShopCustomers', { n: fmtInt(m.customers) }),
      m.orderValue === 'gammaGamma' ? t('myShopValueGg', { v: fmtCompact(m.averageAmount) })
        : m.orderValue === 'average' ? t('myShopValueAvg', { v: fmtCompact(m.orderValueAverage) }) : t('myShopValueNone'),
      m.price != null ? t('myShopPrice', { v: fmtCompact(m.price) }) : null,
    ].filter(Boolean);
    // what the shop's existing customers bring in this run (part of the table's repurchases)
    const ex = last && root.dataset.ranShop === String(m.id) ? last.d90?.existingRepurchases : NaN;
    const existing = Number.isFinite(ex)
      ? h('p', { id: 'my-shop-existing', 'data-value': String(ex) }, t('myShopExisting', { n: fmtInt(m.customers), x: fmtCompact(ex) }))
      : null;
    shopBox.replaceChildren(...[ // (replaceChildren writes a null as the text "null")
      h('h2', {}, t('myShopTitle')),
      h('ul', { class: 'my-shop-list' }, items.map((x) => h('li', {}, x))),
      existing,
      h('p', { class: 'help' }, t('myShopSliders')),
      off].filter(Boolean));
  }
  const results = h('div', { class: 'results' },
    busy.el,
    shopBox,
    capBox,
    card('headline', whatIfs, answer, h('div', { class: 'table-scroll' }, table), liveLine, rateLine),
    card('repurchaseTitle', repFigures, repHow),
    chartKey,
    h('div', { class: 'charts' },
      chartCard('chartExposure', chartEls.exposure), chartCard('chartFollowers', chartEls.followers),
      chartCard('chartPurchases', chartEls.purchases), chartCard('chartGmv', chartEls.gmv)));
  root.append(h('div', { class: 'split' }, controls, results));

  // ---- charts
  let charts = null;
  let chartsWithBase = null;
  const liveOf = () => ({ on: last?.series.liveByDay });
  // the big day's line on every chart, its name on the GMV chart (the key above the charts names it too)
  const bigMarks = (labelled) => () => (last?.bigDays ?? []).map((x) => ({ x, color: COLORS.bigDay, label: labelled ? t('bigDayMark') : '' }));
  const xValue = (v) => {
    const on = last?.series.liveByDay?.[v - 1] > 0;
    const big = last?.bigDays?.includes(v);
    return `${fmtCompact(v)}${on ? ` · ${t('liveTag')}` : ''}${big ? ` · ${t('bigDayMark')}` : ''}`;
  };
  function buildCharts(withBase) {
    if (charts) for (const c of Object.values(charts)) c.destroy();
    const b = (label, color) => (withBase ? [{ label: label + t('baselineSuffix'), color, dash: [6, 4], width: 1.5 }] : []);
    const liveArea = (label) => ({ label, color: COLORS.live, width: 1, fill: 'rgba(224,49,49,0.18)' });
    const defs = {
      exposure: [[{ label: t('publicExposure'), color: COLORS.publicExposure }, { label: t('privateExposure'), color: COLORS.privateExposure }, liveArea(t('liveExposureSeries'))],
        [...b(t('publicExposure'), COLORS.publicExposure), ...b(t('privateExposure'), COLORS.privateExposure)]],
      followers: [[{ label: t('chartFollowers'), color: COLORS.followers }], b(t('chartFollowers'), COLORS.followers)],
      purchases: [[{ label: t('firstPurchases'), color: COLORS.firstPurchases }, { label: t('repurchases'), color: COLORS.repurchases }],
        [...b(t('firstPurchases'), COLORS.firstPurchases), ...b(t('repurchases'), COLORS.repurchases)]],
      gmv: [[{ label: t('gmv'), color: COLORS.gmv }, liveArea(t('liveGmvSeries'))], b(t('gmv'), COLORS.gmv)],
    };
    charts = {};
    for (const [name, [own, base]] of Object.entries(defs)) {
      charts[name] = lineChart(chartEls[name], [...own, ...base], {
        name: `traffic-${name}`, xLabel: t('day'), height: 200, live: liveOf, marks: bigMarks(name === 'gmv'), xValue,
        // private exposure is far smaller than public: give it its own (right-hand) axis
        ...(name === 'exposure' ? { rightScale: withBase ? [2, 5] : [2], rightColor: COLORS.privateExposure } : {}),
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
      exposure: [r.x, s.publicExposure, s.privateExposure, s.liveExposure, ...(bs ? [bs.publicExposure, bs.privateExposure] : [])],
      followers: [r.x, s.followers, ...(bs ? [bs.followers] : [])],
      purchases: [r.x, s.firstPurchases, s.repurchases, ...(bs ? [bs.firstPurchases, bs.repurchases] : [])],
      gmv: [r.x, s.gmv, s.liveGmv, ...(bs ? [bs.gmv] : [])],
    };
    for (const [k, d] of Object.entries(data)) charts[k].setData(d);
    renderText();
  }

  function renderText() {
    const r = last;
    if (!r) return;
    // the whole run gets its own column when it is not the 30 or 90 days already shown (a preset's 150 or 180 days)
    const allCol = r.all && r.days !== 30 && r.days !== 90;
    // headline table: rebuilt only when its columns change, otherwise updated in place
    const mode = `${!!r.baseline}|${getLang()}|${allCol ? r.days : ''}`;
    if (table.dataset.mode !== mode) {
      table.dataset.mode = mode;
      table.replaceChildren(
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('metric')), h('th', { scope: 'col' }, t('first30')), h('th', { scope: 'col' }, t('first90')),
          allCol ? h('th', { scope: 'col' }, t('wholeRun'), h('small', { class: 'days' }, t('daysN', { days: r.days }))) : null,
          r.baseline ? h('th', { scope: 'col' }, t('vsBaseline')) : null)),
        h('tbody', {}, ROWS.map(([k, label, kind]) => h('tr', { 'data-metric': k, class: k === 'liveGmv' ? 'sub' : null },
          h('th', { scope: 'row', ...(ROW_HELP[k] ? { title: t(ROW_HELP[k]), class: 'term', tabindex: '0' } : {}) }, t(label)),
          h('td', { 'data-window': '30' }), h('td', { 'data-window': '90' }),
          allCol ? h('td', { 'data-window': 'all' }) : null,
          r.baseline ? h('td', { 'data-window': 'change' }) : null))));
    }
    const kinds = Object.fromEntries(ROWS.map(([k, , kind]) => [k, kind]));
    const fmt = (k, v) => (kinds[k] === 'rate' ? fmtPct(v) : kinds[k] === 'int' ? fmtInt(v) : fmtCompact(v));
    for (const tr of table.tBodies[0].rows) {
      const k = tr.dataset.metric;
      for (const td of tr.cells) {
        const w = td.dataset.window;
        if (!w) continue;
        if (w === 'change') {
          const v90 = r.d90?.[k], b90 = r.baseline?.d90?.[k];
          let change, text;
          if (kinds[k] === 'rate') { change = v90 - b90; text = Number.isFinite(change) ? t('pointsChange', { d: `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}` }) : '—'; }
          else { change = Number.isFinite(b90) && b90 !== 0 ? v90 / b90 - 1 : NaN; text = fmtSignedPct(change); }
          td.dataset.value = String(change);
          td.textContent = text;
          td.className = change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : '';
          continue;
        }
        const v = (w === '30' ? r.d30 : w === '90' ? r.d90 : r.all)?.[k];
        td.dataset.value = String(v ?? '');
        td.textContent = fmt(k, v);
      }
    }
    renderLive(r);
    const set = (id, v) => {
      const o = repOut[id], text = fmtPct(v);
      if (o.textContent !== text) o.textContent = text;
      o.dataset.value = String(v);
    };
    set('rep-rate30', r.repurchaseRate30); set('rep-rate90', r.repurchaseRate90);
    set('rep-chance30', r.repurchaseChance30); set('rep-chance90', r.repurchaseChance90);
    rateLine.textContent = t('percentileLine', { p: pctBelow(r.exposurePercentile) });
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

  /** The live sessions in words: how many, the room's share, the fan purchase rate on live days and on big days. */
  // Updated in place, text only where it changed: this runs on every slider step, before the charts draw.
  const liveParas = [];
  let liveKey = '';
  function renderLive(r) {
    const a = r.all, L = r.live;
    const anyLive = a && a.liveDays > 0;
    const nLive = String(a?.liveDays ?? 0);
    if (root.dataset.liveDays !== nLive) root.dataset.liveDays = nLive;
    const lines = [];
    if (!anyLive) lines.push(['', t('noLive')]);
    else {
      lines.push(['', t('liveLine', { n: fmtInt(a.liveDays), days: r.days, share: fmtPct(a.liveGmvShare, 0) })]);
      if (Number.isFinite(L.fanRateLive)) {
        lines.push(['', Number.isFinite(L.fanRateOff) && a.liveDays < r.days
          ? t('fanRateLiveOff', { live: fmtPct(L.fanRateLive), off: fmtPct(L.fanRateOff) })
          : t('fanRateLiveOnly', { live: fmtPct(L.fanRateLive) })]);
      }
    }
    for (const b of L.big ?? []) {
      lines.push([String(b.day), t('bigDayLine', { day: b.day, gmv: fmtCompact(b.gmv), fan: fmtPct(b.fanRate), per1000: fmtInt(b.gmvPer1000FollowPage) })]);
    }
    while (liveParas.length < lines.length) liveParas.push(h('p'));
    lines.forEach(([day, text], i) => {
      const el = liveParas[i];
      if (el.textContent !== text) el.textContent = text;
      if ((el.dataset.day ?? '') !== day) { if (day) { el.dataset.day = day; el.className = 'big-day'; } else { delete el.dataset.day; el.className = ''; } }
    });
    if (liveLine.childElementCount !== lines.length) liveLine.replaceChildren(...liveParas.slice(0, lines.length));
    const key = `${!!anyLive}|${r.bigDays?.length ?? 0}|${getLang()}`;
    if (key === liveKey) return;
    liveKey = key;
    chartKey.replaceChildren(...[
      anyLive ? h('span', { class: 'key-live' }, t('keyLive')) : null,
      r.bigDays?.length ? h('span', { class: 'key-big' }, t('keyBigDay')) : null].filter(Boolean));
    chartKey.hidden = !anyLive && !r.bigDays?.length;
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
    const shopId = myShopId();
    busy.start();
    try {
      const tCall = performance.now();
      const r = await call('traffic', (w) => w.traffic({ scenario: { ...scenarioOf(s), myShop: shopId }, baseline: baselineOf(s) }));
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
      root.dataset.live = String(s.live);
      root.dataset.lh = String(s.lh);
      root.dataset.marketFrom = r.marketFrom;
      root.dataset.ranShop = String(shopId);
      renderShop();
      root.dataset.ready = '1';
    } catch (e) { busy.stop(); onError(e); }
  }

  store.subscribe((changed) => {
    if (!changed.some((k) => TRAFFIC_KEYS.has(k))) return;
    if (changed.includes('base') || changed.includes('p')) renderText();
    if (active) refresh(); else dirty = true;
  });
  onMyShop(() => { renderShop(); if (active) refresh(); else dirty = true; });
  onLang(() => { translate(root); renderShop(); if (last) { buildCharts(!!last.baseline); render(last); } });

  return {
    root,
    activate() { active = true; if (dirty || !last) refresh(); },
    deactivate() { active = false; },
  };
}
