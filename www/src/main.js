// The explorer's shell: tabs for the four views, the language switch, the
// URL ↔ state link, the error banner, and the worker that owns the Wasm.
import { createRpc } from './rpc.js';
import { makeWorker, takeFirstWorker } from './boot.js';
import { t, setLang, onLang, translate, has as hasText } from './i18n.js';
import { parseQuery, createStore, defaultsPatch, VIEWS } from './state.js';
import { createTrafficView } from './views/traffic.js';
import { createPlatformView } from './views/platform.js';
import { createSensitivityView } from './views/sensitivity.js';
import { createRepeatView } from './views/repeat.js';
import { setMyShop } from './myshop.js';

window.shijing = { charts: {} };
const $ = (id) => document.getElementById(id);

// ---- error banner: package errors as readable messages, never a dead page
const banner = $('error');
const bannerText = $('error-text');
$('error-close').addEventListener('click', () => { banner.hidden = true; });
function errorText(e) {
  if (e?.code && hasText(e.code)) return t(e.code, { detail: e.message });
  return t('errorPrefix') + (e?.message ?? String(e));
}
function showError(e) {
  bannerText.textContent = errorText(e);
  banner.hidden = false;
  window.shijing.lastError = e?.message ?? String(e);
}

/** The views' way to the worker: `call(channel, (w) => w.someApiFunction(...))` (rpc.js). */
const call = createRpc(() => takeFirstWorker() ?? makeWorker(), {
  // a fresh worker holds no order file and no shop data: the traffic views go back to the typical merchant
  onRestart: () => { bannerText.textContent = t('workerRestarted'); banner.hidden = false; setMyShop(null); },
});

/**
 * What each view is created with.
 * @typedef {object} ViewContext
 * @property {any} store the URL-backed state (state.js)
 * @property {import('./rpc.js').Call} call the worker: `call(channel, (w) => w.fn(...))`
 * @property {any} meta what the package build has (api.js's `meta`)
 * @property {(e: any) => void} onError shows an error in the banner
 * @property {(e: any) => string} errorText an error as readable text
 */

// For the browser tests and the console: a worker function by name,
// `shijing.call('meta')`, `shijing.call('traffic', [{ scenario }])`.
window.shijing.call = (fn, args = [], channel = fn) => call(channel, (w) => w[fn](...args));

// ---- state from the URL
const initial = parseQuery(location.search);
setLang(initial.lang);
const store = createStore(initial);

function renderShell() {
  document.title = t('title');
  translate(document);
  $('lang').textContent = t('langSwitch');
  $('lang').setAttribute('aria-label', t('langSwitchAria'));
}
$('lang').addEventListener('click', () => store.set({ lang: store.state.lang === 'zh' ? 'en' : 'zh' }));
store.subscribe((changed) => { if (changed.includes('lang')) setLang(store.state.lang); });
onLang(renderShell);
renderShell();

$('copy-link').addEventListener('click', async () => {
  store.flushUrl();
  try { await navigator.clipboard.writeText(location.href); $('copy-status').textContent = t('linkCopied'); } catch { $('copy-status').textContent = t('linkHint'); }
});

// ---- tabs (WAI-ARIA tabs: arrows move between them)
const tabs = VIEWS.map((v) => $(`tab-${v}`));
function showTab(v) {
  for (const tab of tabs) {
    const on = tab.id === `tab-${v}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  for (const [name, view] of Object.entries(views)) {
    const on = name === v;
    view.root.hidden = !on;
    if (on) view.activate(); else view.deactivate();
  }
  document.body.dataset.view = v;
}
tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => store.set({ v: VIEWS[i] }));
  tab.addEventListener('keydown', (e) => {
    const d = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: VIEWS.length - 1 - i }[e.key];
    if (d === undefined) return;
    e.preventDefault();
    const j = (i + d + VIEWS.length) % VIEWS.length;
    store.set({ v: VIEWS[j] });
    tabs[j].focus();
  });
});

// ---- views, once the worker says what the package has
let views = {};
(async () => {
  let meta;
  try {
    // the worker starts building this link's market as soon as it has answered
    meta = await call('meta', (w) => w.meta(location.search));
    performance.mark('meta-received');
    const tm = meta.timing;
    if (tm?.script && tm?.wasm) {
      performance.mark('worker-script', { startTime: tm.script - performance.timeOrigin });
      performance.mark('wasm-ready', { startTime: tm.wasm - performance.timeOrigin });
    }
  } catch (e) {
    showError(e);
    meta = { sim: false, repeat: false, presets: [], defaults: null };
  }
  window.shijing.meta = { sim: meta.sim, repeat: meta.repeat, version: meta.version };
  $('version').textContent = t('version', { v: meta.version });
  onLang(() => { $('version').textContent = t('version', { v: meta.version }); });
  // a link without scenario keys starts from the package's default scenario (or its preset)
  store.set(defaultsPatch(initial, meta));
  /** @type {ViewContext} */
  const ctx = { store, call, meta, onError: showError, errorText };
  views = {
    traffic: createTrafficView(ctx),
    platform: createPlatformView(ctx),
    sensitivity: createSensitivityView(ctx),
    repeat: createRepeatView(ctx),
  };
  const host = $('views');
  for (const v of VIEWS) { views[v].root.hidden = true; host.append(views[v].root); }
  translate(host);
  performance.mark('views-built');
  showTab(store.state.v);
  store.subscribe((changed) => { if (changed.includes('v')) showTab(store.state.v); });
  store.flushUrl();
  document.body.dataset.ready = '1';
})();

