// The page's entry: starts the module worker that owns the Wasm first, then
// loads the rest of the page (main.js, with the charts) as a second chunk.
// So the worker's thread, its script and the Wasm load while the browser
// still fetches and compiles the main bundle, and the worker can be
// building the first market (api.prewarm) by the time the page asks.
import './style.css';

export function makeWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

let first = makeWorker();

/** The worker started at load, once; null afterwards (a restart makes a fresh one). */
export function takeFirstWorker() {
  const w = first;
  first = null;
  return w;
}

import('./main.js');
