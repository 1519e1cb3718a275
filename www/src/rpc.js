// The page ↔ worker link, on Comlink. The worker (worker.js) exposes the
// functions of ./api.js; the page reaches them through `call`:
//
//   const r = await call('traffic', (w) => w.traffic({ scenario, baseline }));
//
// `w` is the worker's API typed as ./api.js (Comlink's Remote), so
// go-to-definition on `w.traffic` lands on api.js's `traffic`. What Comlink
// does not do is kept here:
// - latest request wins per channel: while a slider moves, stale answers
//   resolve to `null` (the caller drops them); at most one request per channel
//   is in the worker and one waits here, a newer call replacing the waiting one
//   (so a slider dragged across a slow computation costs two runs, not one per
//   input event). `coalesce: false` sends every request at once instead.
// - long jobs: with `onProgress` (or `coalesce: false`) the request gets a
//   `job` to hand to the worker function (`(w, job) => w.readOrderFile(file, options, job)`):
//   the worker reports progress through it, and it reads `job.cancelled()`,
//   which turns true as soon as a newer request on the channel supersedes it.
// - errors keep their `code`; a Wasm trap (a bug: the package must never
//   panic) replaces the worker with a fresh one and fails the pending calls
//   with a readable error — never a dead page.
import * as Comlink from 'comlink';

/** @typedef {typeof import('./api.js')} Api */
/** The worker's API as the page sees it: every function returns a promise. @typedef {Comlink.Remote<Api>} Remote */
/**
 * What a long job sees of its request (the worker's side of a `job`).
 * @typedef {object} Job
 * @property {(p: { loaded: number, total: number, rows: number }) => void} progress report progress to the page
 * @property {() => boolean} cancelled true once a newer request on the same channel has superseded this one
 */
/**
 * Calls the worker on a channel: resolves with the request's answer, or `null`
 * when a newer request on the channel superseded it.
 * @typedef {<T>(channel: string, request: (w: Remote, job?: Job) => Promise<T>, options?: CallOptions) => Promise<T | null>} Call
 */
/**
 * @typedef {object} CallOptions
 * @property {(p: any) => void} [onProgress] progress reports of the latest request (needs a `job`)
 * @property {boolean} [coalesce] false: send at once even while an older request is in the worker (default true)
 */

// ---------------------------------------------------------------- jobs (both sides)

/** The page's side of a job: forwards progress, tells the worker to stop. */
class PageJob {
  /** @param {((p: any) => void) | undefined} onProgress */
  constructor(onProgress) {
    this.onProgress = onProgress;
    this.isCancelled = false;
    /** @type {MessagePort | null} */
    this.port = null;
  }
  /** @param {any} p */
  progress(p) { if (!this.isCancelled) this.onProgress?.(p); }
  cancelled() { return this.isCancelled; }
  cancel() {
    this.isCancelled = true;
    this.port?.postMessage('cancel');
  }
  close() { this.port?.close(); }
}

/** The worker's side of a job: one MessagePort, progress out and "cancel" in. */
export class WorkerJob {
  /** @param {MessagePort} port @param {boolean} cancelled */
  constructor(port, cancelled) {
    this.port = port;
    this.isCancelled = cancelled;
    port.onmessage = () => { this.isCancelled = true; };
  }
  /** @param {any} p */
  progress(p) { if (!this.isCancelled) this.port.postMessage(p); }
  cancelled() { return this.isCancelled; }
  close() { this.port.close(); }
}

Comlink.transferHandlers.set('job', {
  canHandle: (v) => v instanceof PageJob,
  serialize(/** @type {PageJob} */ job) {
    const { port1, port2 } = new MessageChannel();
    job.port = port1;
    port1.onmessage = ({ data }) => job.progress(data);
    return [{ port: port2, cancelled: job.isCancelled }, [port2]];
  },
  deserialize: ({ port, cancelled }) => new WorkerJob(port, cancelled),
});

// Errors cross with their `code` (the page shows its translation), and a Wasm
// trap is marked `fatal` (the page then replaces the worker).
const thrown = /** @type {Comlink.TransferHandler<any, any>} */ (Comlink.transferHandlers.get('throw'));
Comlink.transferHandlers.set('throw', {
  canHandle: thrown.canHandle,
  serialize({ value }) {
    if (!(value instanceof Error)) return thrown.serialize({ value });
    const fatal = typeof WebAssembly !== 'undefined' && value instanceof WebAssembly.RuntimeError;
    return [{ isError: true, value: { message: value.message, name: value.name, stack: value.stack, code: /** @type {any} */ (value).code, fatal } }, []];
  },
  deserialize: thrown.deserialize,
});

// ---------------------------------------------------------------- the page's side

/**
 * Starts the worker (`makeWorker()`, again after a trap) and returns `call`.
 * @param {() => Worker} makeWorker
 * @param {{ onRestart?: (err: Error) => void }} [options]
 * @returns {Call}
 */
export function createRpc(makeWorker, { onRestart } = {}) {
  let seq = 0;
  /** @type {Worker} */
  let worker;
  /** @type {Remote} */
  let remote;
  /** @typedef {{ id: number, request: (w: Remote, job?: Job) => Promise<any>, job: PageJob | null, resolve: (v: any) => void, reject: (e: any) => void }} Request */
  /** @type {Set<Request>} */
  const pending = new Set();
  /** @type {Map<string, { latest: number, inFlight: Request | null, waiting: Request | null, sent: Set<Request> }>} */
  const channels = new Map();

  function start() {
    worker = makeWorker();
    remote = Comlink.wrap(worker);
    worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      restart(new Error(`worker failed: ${e.message || 'could not start'}`));
    });
  }

  /** @param {Error} err */
  function restart(err) {
    worker.terminate();
    for (const p of pending) { p.job?.close(); p.reject(err); }
    pending.clear();
    channels.clear();
    start();
    onRestart?.(err);
  }

  /** @param {string} name */
  function channel(name) {
    let ch = channels.get(name);
    if (!ch) channels.set(name, (ch = { latest: 0, inFlight: null, waiting: null, sent: new Set() }));
    return ch;
  }

  function send(ch, /** @type {Request} */ req) {
    ch.inFlight = req;
    ch.sent.add(req);
    let answer;
    try { answer = Promise.resolve(req.request(remote, req.job ?? undefined)); } catch (e) { answer = Promise.reject(e); }
    answer.then((v) => settled(ch, req, v, undefined), (e) => settled(ch, req, undefined, e ?? new Error('failed')));
  }

  function settled(ch, /** @type {Request} */ req, value, error) {
    if (!pending.delete(req)) return; // failed by a restart already
    req.job?.close();
    ch.sent.delete(req);
    if (ch.inFlight === req) {
      ch.inFlight = null;
      const w = ch.waiting;
      if (w) { ch.waiting = null; send(ch, w); }
    }
    if (error?.fatal) { req.reject(error); restart(error); return; }
    if (ch.latest !== req.id) req.resolve(null);
    else if (error !== undefined) req.reject(error);
    else req.resolve(value);
  }

  start();
  return function call(name, request, { onProgress, coalesce = true } = {}) {
    const ch = channel(name);
    const id = ++seq;
    ch.latest = id;
    for (const old of ch.sent) old.job?.cancel(); // superseded: a long job stops early
    return new Promise((resolve, reject) => {
      /** @type {Request} */
      const req = { id, request, job: onProgress || !coalesce ? new PageJob(onProgress) : null, resolve, reject };
      pending.add(req);
      if (coalesce && ch.inFlight) {
        const old = ch.waiting;
        if (old) { pending.delete(old); old.resolve(null); }
        ch.waiting = req;
      } else send(ch, req);
    });
  };
}
