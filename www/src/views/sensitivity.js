// 敏感度 / Sensitivity: a heatmap of a 90-day total (public/private
// exposure, followers, GMV) over content quality × follow rate, with the
// merchant's current point marked. Clicking a cell (or Enter on the focused
// heatmap after moving with the arrow keys) moves the merchant there.
import { t, onLang, fmtCompact, translate } from '../i18n.js';
import { busyLine, h, select, card } from '../ui.js';
import { heatmap } from '../charts.js';
import { scenarioOf, qualitySliders, pct0 } from './traffic.js';
import { MERCHANT_KEYS } from '../state.js';
import { myShopId, onMyShop } from '../myshop.js';

// the sweep does not depend on the merchant's own q and f: those only move the marker
const SWEEP_KEYS = new Set([...Object.keys(MERCHANT_KEYS).filter((k) => k !== 'q' && k !== 'f'), 'budget', 'gmax', 'gmode', 'blend', 'cold', 'days', 'seed', 'p', 'grid']);
const METRIC_LABEL = { publicExposure: 'publicExposure', privateExposure: 'privateExposure', followers: 'followersShort', gmv: 'gmvShort' };

/** @param {import('../main.js').ViewContext} ctx */
export function createSensitivityView({ store, call, meta, onError }) {
  const root = h('div', { class: 'view view-sensitivity', id: 'view-sensitivity', role: 'tabpanel', 'aria-labelledby': 'tab-sensitivity' });
  const busy = busyLine();
  if (!meta.sim) {
    root.append(h('p', { class: 'notice', 'data-i18n': 'simUnavailable' }, t('simUnavailable')));
    return { root, activate() {}, deactivate() {} };
  }
  const controls = h('aside', { class: 'card controls', 'aria-labelledby': 'sens-ctl-title' },
    h('h2', { id: 'sens-ctl-title', 'data-i18n': 'merchant' }, t('merchant')),
    ...qualitySliders(store),
    select(store, { key: 'hm', label: 'sensMetric', options: [['publicExposure', 'publicExposure'], ['privateExposure', 'privateExposure'], ['followers', 'followersShort'], ['gmv', 'gmvShort']] }),
    select(store, { key: 'grid', label: 'sensGrid', options: [['6', 'grid6'], ['11', 'grid11'], ['21', 'grid21']] }),
    h('p', { class: 'help', 'data-i18n': 'sensHelp' }, t('sensHelp')));
  const title = h('h2', { id: 'sens-title' });
  const setTitle = () => { title.textContent = t('sensTitle', { days: store.state.days }); };
  setTitle();
  const mapEl = h('div', { class: 'heatmap-wrap', id: 'heatmap' });
  const hover = h('p', { class: 'hover', 'aria-live': 'polite' });
  const keys = h('p', { class: 'help', id: 'sens-keys', 'data-i18n': 'heatKeys' }, t('heatKeys'));
  const here = h('p', { class: 'here', id: 'sens-here' });
  const best = h('p', { class: 'best', id: 'sens-best' });
  root.append(h('div', { class: 'split' }, controls, h('div', { class: 'results' }, busy.el, h('section', { class: 'card', 'aria-labelledby': 'sens-title' }, title, here, best, mapEl, hover, keys))));

  let last = null;
  const map = heatmap(mapEl, {
    onPick: (x, y) => store.set({ f: x, q: y }),
    onHover: (c) => { hover.textContent = c ? t('sensCell', { q: pct0(c.y), f: pct0(c.x), v: fmtCompact(c.value) }) : ''; },
  });
  map.canvas.tabIndex = 0;
  map.canvas.setAttribute('role', 'group');
  map.canvas.setAttribute('aria-roledescription', 'heatmap');
  map.canvas.setAttribute('aria-describedby', 'sens-here sens-best sens-keys');

  const marker = () => ({ x: store.state.f, y: store.state.q });
  function nearest(r, q, f) {
    const [rows, cols] = r.shape;
    const pos = (v, a) => Math.max(0, Math.min(a.length - 1, Math.round(((v - a[0]) / (a[a.length - 1] - a[0])) * (a.length - 1))));
    const i = pos(q, r.contentQuality), j = pos(f, r.followRate);
    return r[store.state.hm][i * cols + j];
  }
  function render() {
    const r = last;
    if (!r) return;
    setTitle();
    const [rows, cols] = r.shape;
    const values = r[store.state.hm];
    const m = t(METRIC_LABEL[store.state.hm]);
    map.set({ rows, cols, values, xs: r.followRate, ys: r.contentQuality },
      { x: t('followRate'), y: t('contentQuality'), value: m, log: t('logScale') }, marker());
    map.canvas.setAttribute('aria-label', t('heatAria', { m }));
    let bi = 0;
    for (let k = 1; k < values.length; k++) if (values[k] > values[bi]) bi = k;
    best.textContent = t('sensBest', { v: fmtCompact(values[bi]), q: pct0(r.contentQuality[Math.floor(bi / cols)]), f: pct0(r.followRate[bi % cols]) });
    renderHere();
  }
  function renderHere() {
    if (!last) return;
    const v = nearest(last, store.state.q, store.state.f);
    here.textContent = `${t(METRIC_LABEL[store.state.hm])} · ${t('sensHere', { v: `≈ ${fmtCompact(v)}` })}`;
    here.dataset.value = String(v);
  }
  // keyboard: arrows move the marker one cell, like the sliders do
  map.canvas.addEventListener('keydown', (e) => {
    if (!last) return;
    const moves = { ArrowUp: [0, 1], ArrowDown: [0, -1], ArrowRight: [1, 0], ArrowLeft: [-1, 0] };
    const mv = moves[e.key];
    if (!mv) return;
    e.preventDefault();
    const stepTo = (v, a, d) => {
      const k = Math.round(((v - a[0]) / (a[a.length - 1] - a[0])) * (a.length - 1)) + d;
      return a[Math.max(0, Math.min(a.length - 1, k))];
    };
    store.set({ f: stepTo(store.state.f, last.followRate, mv[0]), q: stepTo(store.state.q, last.contentQuality, mv[1]) });
  });

  let active = false, dirty = true;
  async function refresh() {
    dirty = false;
    busy.start();
    try {
      const r = await call('sweep', (w) => w.sweep({ scenario: { ...scenarioOf(store.state), myShop: myShopId() }, grid: store.state.grid }));
      if (!r) return;
      busy.stop();
      last = r;
      window.shijing.sweep = r;
      render();
      root.dataset.ready = '1';
    } catch (e) { busy.stop(); onError(e); }
  }
  store.subscribe((changed) => {
    if (changed.some((k) => SWEEP_KEYS.has(k))) { if (active) refresh(); else dirty = true; return; }
    if (changed.includes('hm') && active) render();
    else if (active && (changed.includes('q') || changed.includes('f'))) { map.setMarker(marker()); renderHere(); }
  });
  onMyShop(() => { if (active) refresh(); else dirty = true; });
  onLang(() => { translate(root); render(); });
  return { root, activate() { active = true; if (dirty || !last) refresh(); else render(); }, deactivate() { active = false; } };
}
