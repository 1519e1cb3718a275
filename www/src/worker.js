// The module Web Worker that owns the Wasm instance. Requests are
// `{ id, fn, args, channel }`; `fn` names a function of ./api.js, which is
// called as `fn(...args, ctx)` with ctx = { progress(p), cancelled() }.
// Results go back with their typed-array buffers transferred (no second
// copy); errors go back as messages, so a bad input never kills the worker.
// A Wasm trap is reported as fatal: the page then starts a fresh worker.
// After answering `meta`, the worker builds the page's first market
// (api.prewarm) before it reads the page's next request.
import init from '../../pkg/traffic/shijing.js'; // the traffic half; api.js loads the repurchase half on first use
import * as api from './api.js';

const ready = init();
const latest = new Map();
let prewarmed = 0;

function transferables(value, out = [], seen = new Set()) {
  if (ArrayBuffer.isView(value)) { if (!seen.has(value.buffer)) { seen.add(value.buffer); out.push(value.buffer); } }
  else if (Array.isArray(value)) { if (value.length && typeof value[0] === 'object') for (const v of value) transferables(v, out, seen); }
  else if (value && typeof value === 'object' && !(value instanceof Blob)) for (const v of Object.values(value)) transferables(v, out, seen);
  return out;
}

self.onmessage = async ({ data: { id, fn, args, channel } }) => {
  latest.set(channel, id);
  const ctx = {
    progress: (p) => self.postMessage({ id, progress: p }),
    cancelled: () => latest.get(channel) !== id,
  };
  try {
    await ready;
    const f = api[fn];
    if (typeof f !== 'function') throw new Error(`unknown worker function ${fn}`);
    const result = await f(...args, ctx);
    self.postMessage({ id, result }, transferables(result));
    // The page's first request will need this link's market: start it now.
    // A failure here is reported by that request, which meets it again.
    if (fn === 'meta' && !prewarmed) prewarmed = setTimeout(() => { try { api.prewarm(args[0], result); } catch { /* see above */ } });
  } catch (e) {
    const fatal = e instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, error: String(e?.message ?? e), code: e?.code, fatal });
  }
};
