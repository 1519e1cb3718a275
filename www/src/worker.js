// The module Web Worker that owns the Wasm instance. It exposes the functions
// of ./api.js through Comlink (the page's side is rpc.js): each is called with
// the page's arguments, after the Wasm is ready; results go back with their
// typed-array buffers transferred (no second copy), errors as errors (with
// their `code`), so a bad input never kills the worker. A Wasm trap is marked
// fatal by rpc.js's error handler: the page then starts a fresh worker.
// After answering `meta`, the worker builds the page's first market
// (api.meta schedules api.prewarm) before it reads the page's next request.
//
// Why the manual-init entry of the package (shijing/traffic/init) and not the
// zero-config one: the zero-config entry instantiates in a top-level await, so
// this module (and its message handler) would run only once the Wasm is fetched
// and compiled, and the page's first messages would arrive with no handler to
// take them. Here the handler is installed at once and each call waits for `ready`.
import * as Comlink from 'comlink';
import init from '../../pkg/traffic/shijing.js'; // the traffic half; api.js loads the repurchase half on first use
import * as api from './api.js';
import { WorkerJob } from './rpc.js';

// When this script ran and when its Wasm was ready, as absolute times (the
// page's timeline has another origin): `meta` hands them to the page, which
// marks them for the cold-load breakdown (worker-script, wasm-ready).
const timing = globalThis.shijingWorkerTiming = { script: performance.timeOrigin + performance.now(), wasm: null };
const ready = init().then((x) => { timing.wasm = performance.timeOrigin + performance.now(); return x; });

function transferables(value, out = [], seen = new Set()) {
  if (ArrayBuffer.isView(value)) { if (!seen.has(value.buffer)) { seen.add(value.buffer); out.push(value.buffer); } }
  else if (Array.isArray(value)) { if (value.length && typeof value[0] === 'object') for (const v of value) transferables(v, out, seen); }
  else if (value && typeof value === 'object' && !(value instanceof Blob)) for (const v of Object.values(value)) transferables(v, out, seen);
  return out;
}

/** api.js's functions, each awaiting the Wasm and transferring its result's buffers. */
const exposed = {};
for (const [name, f] of Object.entries(api)) {
  if (typeof f !== 'function') continue;
  exposed[name] = async (...args) => {
    try {
      await ready;
      const result = await f(...args);
      return result && typeof result === 'object' ? Comlink.transfer(result, transferables(result)) : result;
    } finally {
      for (const a of args) if (a instanceof WorkerJob) a.close();
    }
  };
}

Comlink.expose(new Proxy(exposed, {
  get(target, key) {
    if (typeof key === 'string' && !Object.hasOwn(target, key)) throw new Error(`unknown worker function ${key}`);
    return target[key];
  },
}));
