// The page's side of the worker protocol: `call(fn, args, channel)` posts one
// request to the module worker that owns the Wasm instance and resolves with
// its result. Per channel only the latest request matters: while a slider
// moves, stale answers resolve to `null` and are dropped by the caller.
export function createRpc(worker) {
  let seq = 0;
  const pending = new Map();
  const latest = new Map();
  worker.addEventListener('message', ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    pending.delete(data.id);
    if (latest.get(p.channel) !== data.id) return p.resolve(null);
    if (data.error !== undefined) p.reject(new Error(data.error));
    else p.resolve(data.result);
  });
  return function call(fn, args = [], channel = fn) {
    const id = ++seq;
    latest.set(channel, id);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, channel });
      worker.postMessage({ id, fn, args });
    });
  };
}
