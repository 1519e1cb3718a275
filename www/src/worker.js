// The module Web Worker that owns the Wasm instance. Requests are
// `{ id, fn, args }`; `fn` names a function of ./api.js. Results go back with
// their typed-array buffers transferred (no second copy); errors go back as
// messages, so a bad input never kills the worker.
import init from '../../pkg/shijing.js';
import * as api from './api.js';

const ready = init();

function transferables(value, out = []) {
  if (ArrayBuffer.isView(value)) out.push(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return out;
}

self.onmessage = async ({ data: { id, fn, args } }) => {
  try {
    await ready;
    const f = api[fn];
    if (typeof f !== 'function') throw new Error(`unknown worker function ${fn}`);
    const result = f(...args);
    self.postMessage({ id, result }, [...new Set(transferables(result))]);
  } catch (e) {
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
