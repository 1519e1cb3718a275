// The page's side of the worker protocol: `call(fn, args, channel, { onProgress })`
// posts one request to the module worker that owns the Wasm instance and
// resolves with its result. Per channel only the latest request matters:
// while a slider moves, stale answers resolve to `null` and are dropped by
// the caller (the worker is told, so long jobs on that channel stop early).
// Progress messages from long jobs go to `onProgress`. If the Wasm instance
// traps (a bug: the package must never panic), the worker is replaced by a
// fresh one and pending calls fail with a readable error — never a dead page.
export function createRpc(makeWorker, { onRestart } = {}) {
  let seq = 0;
  const pending = new Map();
  const latest = new Map();
  let worker;

  function start() {
    worker = makeWorker();
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      restart(new Error(`worker failed: ${e.message || 'could not start'}`));
    });
  }

  function restart(err) {
    worker.terminate();
    for (const [, p] of pending) p.reject(err);
    pending.clear();
    inFlight.clear();
    waiting.clear();
    start();
    onRestart?.(err);
  }

  function onMessage({ data }) {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.progress !== undefined) {
      if (latest.get(p.channel) === data.id) p.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    settled(p.channel, data.id);
    if (data.fatal) { p.reject(new Error(data.error)); restart(new Error(data.error)); return; }
    if (latest.get(p.channel) !== data.id) return p.resolve(null);
    if (data.error !== undefined) p.reject(Object.assign(new Error(data.error), { code: data.code }));
    else p.resolve(data.result);
  }

  // Coalescing: per channel at most one request in the worker and one
  // waiting here; a newer call replaces the waiting one (which resolves to
  // null). So a slider dragged across a slow computation (a new market) costs
  // two runs, not one per input event.
  const inFlight = new Map();
  const waiting = new Map();
  function send(id, fn, args, channel) {
    inFlight.set(channel, id);
    worker.postMessage({ id, fn, args, channel });
  }
  function settled(channel, id) {
    if (inFlight.get(channel) !== id) return;
    inFlight.delete(channel);
    const w = waiting.get(channel);
    if (w) { waiting.delete(channel); send(w.id, w.fn, w.args, channel); }
  }

  start();
  return function call(fn, args = [], channel = fn, { onProgress, coalesce = true } = {}) {
    const id = ++seq;
    latest.set(channel, id);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, channel, onProgress });
      if (coalesce && inFlight.has(channel)) {
        const old = waiting.get(channel);
        if (old) { pending.get(old.id)?.resolve(null); pending.delete(old.id); }
        waiting.set(channel, { id, fn, args });
      } else send(id, fn, args, channel);
    });
  };
}
