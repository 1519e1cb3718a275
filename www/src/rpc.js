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
    if (data.fatal) { p.reject(new Error(data.error)); restart(new Error(data.error)); return; }
    if (latest.get(p.channel) !== data.id) return p.resolve(null);
    if (data.error !== undefined) p.reject(Object.assign(new Error(data.error), { code: data.code }));
    else p.resolve(data.result);
  }

  start();
  return function call(fn, args = [], channel = fn, { onProgress } = {}) {
    const id = ++seq;
    latest.set(channel, id);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, channel, onProgress });
      worker.postMessage({ id, fn, args, channel });
    });
  };
}
