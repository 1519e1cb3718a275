// The whole view state, kept in the URL's query string so a link reproduces
// a view exactly. Every key has a type, a range and a default; unknown or
// out-of-range values fall back to the default (a hand-edited link never
// breaks the page).

const num = (def, min, max) => ({ kind: 'num', def, min, max });
const int = (def, min, max) => ({ kind: 'int', def, min, max });
const pick = (def, values) => ({ kind: 'enum', def, values });
const text = (def, re) => ({ kind: 'text', def, re });

export const VIEWS = ['traffic', 'platform', 'sensitivity', 'repeat'];
export const MERCHANT_KEYS = {
  q: 'contentQuality', f: 'followRate', price: 'price', trust: 'trust', dil: 'diligence', fans: 'followers', ad: 'adSpend', age: 'ageDays',
  live: 'liveEveryDays', lh: 'liveHours',
};
/** Live-session cadences the explorer offers (days between sessions; 0 = never). A link may hold any other. */
export const LIVE_CADENCES = [1, 2, 3, 4, 5, 7, 14, 0];
export const PLATFORM_KEYS = { budget: 'budget', gmax: 'giniMax', gmode: 'giniMode', blend: 'blend', cold: 'coldStartShare' };

export const SCHEMA = {
  v: pick('traffic', VIEWS),
  lang: pick('zh', ['zh', 'en']),
  // scenario: preset (population, events), simulated days, seed
  p: text('default', /^[a-z0-9-]{1,40}$/),
  days: int(180, 30, 730),
  seed: int(42, 0, 4294967295),
  // merchant
  q: num(0.5, 0, 1),
  f: num(0.1, 0, 1),
  price: num(80, 1, 5000),
  trust: num(0.5, 0, 1),
  dil: num(0.5, 0, 1),
  fans: num(0, 0, 1e8),
  ad: num(0, 0, 1e7),
  age: num(0, 0, 3650),
  live: int(2, 0, 730), // days between live sessions, 0 = never
  lh: num(3, 0.5, 24), // hours per live session
  // platform
  budget: num(1e8, 1e3, 1e12),
  gmax: num(0.6, 0, 0.99),
  gmode: pick('cap', ['cap', 'floor', 'blend']),
  blend: num(0.5, 0, 1),
  cold: num(0.2, 0, 1),
  // pinned baseline: merchant values in MERCHANT_KEYS order, comma-separated
  base: text('', /^[-0-9.e,]*$/),
  // sensitivity
  hm: pick('publicExposure', ['publicExposure', 'privateExposure', 'followers', 'gmv']),
  grid: int(11, 3, 41),
  // repeat customers
  model: pick('bgnbd', ['bgnbd', 'mbgnbd', 'pnbd']),
  unit: pick('7', ['7', '1']),
  cal: text('', /^(\d{4}-\d{2}-\d{2})?$/),
  df: text('', /^(ymd|dmy|mdy)?$/), // the file's date order, when the merchant chose it
  cc: int(-1, -1, 999),
  dc: int(-1, -1, 999),
  ac: int(-2, -2, 999), // -2: not chosen (guess), -1: no amount column
  sort: pick('p30', ['id', 'segment', 'frequency', 'recency', 'T', 'alive', 'p30', 'e30', 'e90', 'spend']),
  dir: pick('desc', ['asc', 'desc']),
};

function coerce(spec, raw) {
  if (raw === null || raw === undefined) return spec.def;
  switch (spec.kind) {
    case 'num':
    case 'int': {
      if (String(raw).trim() === '') return spec.def;
      const x = Number(raw);
      if (!Number.isFinite(x) || x < spec.min || x > spec.max) return spec.def;
      return spec.kind === 'int' ? Math.round(x) : x;
    }
    case 'enum': return spec.values.includes(raw) ? raw : spec.def;
    default: return spec.re.test(raw) ? raw : spec.def;
  }
}

/** State from a query string (missing or bad keys take their defaults). */
export function parseQuery(search) {
  const q = new URLSearchParams(search);
  const s = {};
  for (const [k, spec] of Object.entries(SCHEMA)) s[k] = coerce(spec, q.get(k));
  s._explicit = new Set([...q.keys()].filter((k) => k in SCHEMA));
  return s;
}

const fmt = (x) => (typeof x === 'number' ? String(Number(x.toPrecision(10))) : String(x));

/** Query string for a state: every scenario key always (a link must not depend on defaults that may change), others when set. */
export function toQuery(s) {
  const q = new URLSearchParams();
  for (const [k, spec] of Object.entries(SCHEMA)) {
    const v = s[k];
    const always = k in MERCHANT_KEYS || k in PLATFORM_KEYS || ['v', 'lang', 'p', 'days', 'seed'].includes(k);
    if (!always && v === spec.def) continue;
    q.set(k, fmt(v));
  }
  return q.toString();
}

export function createStore(initial) {
  const state = { ...initial };
  const listeners = new Set();
  let urlTimer = 0;
  const writeUrl = () => {
    urlTimer = 0;
    const qs = toQuery(state);
    if (location.search.slice(1) !== qs) history.replaceState(null, '', `${location.pathname}?${qs}${location.hash}`);
  };
  return {
    state,
    /** Merges `patch`, writes the URL (once the controls rest for 150 ms) and tells listeners which keys changed. */
    set(patch) {
      const changed = [];
      for (const [k, v] of Object.entries(patch)) {
        if (!(k in SCHEMA)) continue;
        const c = coerce(SCHEMA[k], v);
        if (state[k] !== c) { state[k] = c; changed.push(k); }
      }
      if (!changed.length) return changed;
      clearTimeout(urlTimer);
      // slider values settle first (a drag makes many); tabs, language, choices go at once
      if (changed.every((k) => SCHEMA[k].kind === 'num' || SCHEMA[k].kind === 'int')) urlTimer = setTimeout(writeUrl, 150);
      else writeUrl();
      for (const fn of listeners) fn(changed, state);
      return changed;
    },
    flushUrl() { clearTimeout(urlTimer); writeUrl(); },
    subscribe(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  };
}

/** Merchant settings (package names) from the state. */
export function merchantOf(s) {
  const m = {};
  for (const [k, name] of Object.entries(MERCHANT_KEYS)) m[name] = s[k];
  return m;
}

export function platformOf(s) {
  const p = {};
  for (const [k, name] of Object.entries(PLATFORM_KEYS)) p[name] = s[k];
  return p;
}

// links pinned before the live-session keys hold the first 8 values (the rest then come from the scenario)
const LEGACY_BASELINE_LENGTH = 8;

/** The pinned baseline's merchant settings, or null. */
export function baselineOf(s) {
  if (!s.base) return null;
  const vals = s.base.split(',').map(Number);
  const keys = Object.keys(MERCHANT_KEYS);
  if ((vals.length !== keys.length && vals.length !== LEGACY_BASELINE_LENGTH) || vals.some((x) => !Number.isFinite(x))) return null;
  const m = {};
  vals.forEach((v, i) => { m[MERCHANT_KEYS[keys[i]]] = v; });
  return m;
}

export function encodeBaseline(s) { return Object.keys(MERCHANT_KEYS).map((k) => fmt(s[k])).join(','); }

/** The scenario the worker runs for a state (package names). */
export function scenarioOf(s) {
  return { preset: s.p, days: s.days, seed: s.seed, platform: platformOf(s), merchant: merchantOf(s) };
}

/**
 * What a link without scenario keys takes from the package: the default
 * scenario's (or its preset's) values for every key the link does not set.
 */
export function defaultsPatch(state, meta) {
  if (!meta?.sim || !meta.defaults) return {};
  const preset = meta.presets.find((p) => p.id === state.p);
  const patch = {};
  const from = { ...patchFromScenario(meta.defaults), ...(preset ? patchFromScenario(preset.scenario) : {}) };
  for (const [k, v] of Object.entries(from)) if (!state._explicit.has(k)) patch[k] = v;
  return patch;
}

/** The state a page opened at `search` has once the package's defaults are in (no store, no DOM). */
export function startState(search, meta) {
  const s = parseQuery(search);
  for (const [k, v] of Object.entries(defaultsPatch(s, meta))) s[k] = coerce(SCHEMA[k], v);
  return s;
}

/** State patch from package-named merchant/platform objects (e.g. a preset or the default scenario). */
export function patchFromScenario(sc = {}) {
  const patch = {};
  for (const [k, name] of Object.entries(MERCHANT_KEYS)) if (sc.merchant?.[name] !== undefined) patch[k] = sc.merchant[name];
  for (const [k, name] of Object.entries(PLATFORM_KEYS)) if (sc.platform?.[name] !== undefined) patch[k] = sc.platform[name];
  if (sc.days !== undefined) patch.days = sc.days;
  if (sc.seed !== undefined) patch.seed = sc.seed;
  return patch;
}
