// Small DOM helpers shared by the views: element builder, labelled sliders
// and selects bound to a state key, and the slider → redraw timing marks.
import { t, fmtCompact, onLang } from './i18n.js';

/** h('div', { class: 'x', 'data-i18n': 'key' }, child, …) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

let uid = 0;

// ---------- slider → redraw timing (performance marks, read by the e2e test) ----------

let lastInput = 0;
/** Called by every slider's input event. */
export function markInput(ev) {
  lastInput = ev?.timeStamp || performance.now();
  performance.mark('slider-input');
  return lastInput;
}
/** The pending slider input's time (once: the next caller gets 0). */
export function takeInput() { const t = lastInput; lastInput = 0; return t; }
/** Records input → redraw for a request that started at `inputTs`. */
export function measureRedraw(inputTs, name = 'slider-to-redraw') {
  if (!inputTs) return;
  try { performance.measure(name, { start: inputTs, end: performance.now() }); } catch { /* old browsers */ }
}

/**
 * A labelled range input bound to a state key. scale 'log' maps the slider
 * to log10(1 + x). format(x) shows the value. big: the prominent style.
 */
export function slider(store, { key, label, help, min, max, step, scale = 'lin', format = fmtCompact, big = false }) {
  const id = `ctl-${key}-${++uid}`;
  const toPos = scale === 'log' ? (x) => Math.log10(1 + x) : (x) => x;
  const fromPos = scale === 'log' ? (p) => { const v = 10 ** p - 1; return v < 1 ? 0 : Number(v.toPrecision(2)); } : (p) => p;
  const input = h('input', {
    type: 'range', id, min: String(toPos(min)), max: String(toPos(max)), step: String(scale === 'log' ? 0.01 : step),
    'aria-describedby': help ? `${id}-help` : undefined, 'data-key': key,
  });
  const out = h('output', { for: id, class: 'value' });
  const helpEl = help ? h('small', { id: `${id}-help`, class: 'help', 'data-i18n': help }, t(help)) : null;
  const wrap = h('div', { class: `ctl${big ? ' big' : ''}` },
    h('div', { class: 'ctl-head' }, h('label', { for: id, 'data-i18n': label }, t(label)), out),
    input, helpEl);
  const show = (v) => {
    out.textContent = format(v);
    input.setAttribute('aria-valuetext', format(v));
  };
  const sync = () => { const v = store.state[key]; input.value = String(toPos(v)); show(v); };
  input.addEventListener('input', (ev) => {
    markInput(ev);
    const v = fromPos(Number(input.value));
    show(v);
    store.set({ [key]: v });
  });
  sync();
  store.subscribe((changed) => { if (changed.includes(key) && document.activeElement !== input) sync(); else if (changed.includes(key)) show(store.state[key]); });
  onLang(() => show(store.state[key]));
  return wrap;
}

/** A labelled select bound to a state key; options: [[value, i18nKey], …]. */
export function select(store, { key, label, options, help }) {
  const id = `ctl-${key}-${++uid}`;
  const sel = h('select', { id, 'data-key': key, 'aria-describedby': help ? `${id}-help` : undefined },
    options.map(([v, k]) => h('option', { value: v, 'data-i18n': k }, t(k))));
  sel.value = String(store.state[key]);
  sel.addEventListener('change', () => store.set({ [key]: sel.value }));
  store.subscribe((changed) => { if (changed.includes(key)) sel.value = String(store.state[key]); });
  return h('div', { class: 'ctl' }, h('label', { for: id, 'data-i18n': label }, t(label)), sel,
    help ? h('small', { id: `${id}-help`, class: 'help', 'data-i18n': help }, t(help)) : null);
}

export function card(titleKey, ...children) {
  const id = `card-${++uid}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id, 'data-i18n': titleKey }, t(titleKey)), ...children);
}

/** A "calculating…" line that shows only when an answer takes longer than 250 ms. */
export function busyLine() {
  const el = h('p', { class: 'busy', role: 'status', hidden: true, 'data-i18n': 'loading' }, t('loading'));
  let timer = 0;
  return {
    el,
    start() { clearTimeout(timer); timer = setTimeout(() => { el.hidden = false; }, 250); },
    stop() { clearTimeout(timer); el.hidden = true; },
  };
}
