// The explorer's page ↔ worker link (www/src/rpc.js) in plain Node: a fake
// worker (a MessageChannel with Comlink.expose on its far end) stands in for
// the module worker. Latest request wins per channel, a superseded long job
// stops early, progress reaches the page, errors keep their code, and a Wasm
// trap replaces the worker.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRpc } from '../../www/src/rpc.js';

// the same Comlink module instance rpc.js imports (its transfer handlers are registered on it)
const Comlink = createRequire(new URL('../../www/src/rpc.js', import.meta.url))('comlink');

/** A stand-in for `new Worker(...)`: `api` exposed over a MessageChannel. */
function fakeWorker(api) {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(api, port2);
  return {
    postMessage: (m, t) => port1.postMessage(m, t),
    addEventListener: (...a) => port1.addEventListener(...a),
    removeEventListener: (...a) => port1.removeEventListener(...a),
    start: () => port1.start(),
    terminate() { this.terminated = true; port1.close(); port2.close(); },
  };
}

/** createRpc over fake workers; the workers are closed when test `t` ends (even when it fails). */
function setup(t, api) {
  const workers = [];
  t.after(() => { for (const w of workers) if (!w.terminated) w.terminate(); });
  const restarts = [];
  const call = createRpc(() => { const w = fakeWorker(api); workers.push(w); return w; }, { onRestart: (e) => restarts.push(e.message) });
  return { call, workers, restarts };
}

test('latest request wins per channel: stale answers are null, one runs and one waits', async (t) => {
  const ran = [];
  const { call } = setup(t, { async slow(tag) { ran.push(tag); await sleep(30); return { tag }; } });
  const answers = Promise.all([1, 2, 3, 4, 5, 6].map((tag) => call('a', (w) => w.slow(tag))));
  const other = call('b', (w) => w.slow('b'));
  assert.deepEqual(await answers, [null, null, null, null, null, { tag: 6 }]);
  assert.deepEqual(await other, { tag: 'b' });
  assert.deepEqual(ran.filter((t) => t !== 'b'), [1, 6], 'the waiting requests 2–5 were replaced, never sent');
});

test('coalesce: false sends at once; a superseded long job is told to stop, and only the latest reports progress', async (t) => {
  const steps = {};
  const api = {
    async parse(tag, job) {
      steps[tag] = 0;
      for (let i = 0; i < 40; i++) {
        if (job.cancelled()) throw Object.assign(new Error('cancelled'), { code: 'E_CANCELLED' });
        job.progress({ tag, i });
        steps[tag]++;
        await sleep(5);
      }
      return { tag };
    },
  };
  const { call } = setup(t, api);
  const seen = [];
  const onProgress = (p) => seen.push(p.tag);
  const first = call('parse', (w, job) => w.parse('first', job), { coalesce: false, onProgress });
  await sleep(40);
  const second = call('parse', (w, job) => w.parse('second', job), { coalesce: false, onProgress });
  assert.equal(await first, null);
  assert.deepEqual(await second, { tag: 'second' });
  assert.ok(steps.first > 0 && steps.first < 40, `the first job ran ${steps.first} of 40 steps`);
  assert.equal(steps.second, 40);
  assert.ok(seen.includes('first') && seen.includes('second'));
  assert.ok(seen.lastIndexOf('first') < seen.indexOf('second'), 'progress of the superseded job after the new one started');
});

test("errors keep their code; an unknown function is the worker's own error", async (t) => {
  const { call } = setup(t, { fail() { throw Object.assign(new Error('no parsed orders'), { code: 'E_NO_ORDERS' }); } });
  await assert.rejects(call('x', (w) => w.fail()), (e) => e.message === 'no parsed orders' && e.code === 'E_NO_ORDERS');
  await assert.rejects(call('x', (w) => w.nothing()));
});

test('a Wasm trap replaces the worker: the call and the pending ones fail readably, the next call works', async (t) => {
  const api = {
    trap() { throw new WebAssembly.RuntimeError('unreachable'); },
    async slow() { await sleep(200); return 'late'; },
    ok() { return 'ok'; },
  };
  const { call, workers, restarts } = setup(t, api);
  const pending = call('other', (w) => w.slow());
  await assert.rejects(call('t', (w) => w.trap()), (e) => e.message === 'unreachable' && e.fatal === true);
  await assert.rejects(pending, /unreachable/);
  assert.deepEqual(restarts, ['unreachable']);
  assert.equal(workers.length, 2);
  assert.equal(workers[0].terminated, true);
  assert.equal(await call('t', (w) => w.ok()), 'ok');
});
