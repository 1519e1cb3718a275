// www/src/first.js in plain Node: firstOf gives what a full stable sort's
// first k would, ties included.
import test from 'node:test';
import assert from 'node:assert/strict';
import { firstOf } from '../../www/src/first.js';

test('firstOf: the first k of a stable sort, with ties, k over n, and k = 0', () => {
  let seed = 7;
  const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  for (let trial = 0; trial < 200; trial++) {
    const n = Math.floor(rnd() * 2000);
    const k = [0, 1, 5, 100, 5000][trial % 5];
    const levels = [3, 50, 1e9][trial % 3];
    const p = Float64Array.from({ length: n }, () => Math.floor(rnd() * levels) / levels);
    const e = Float64Array.from({ length: n }, () => Math.floor(rnd() * 4));
    const cmp = (a, b) => p[b] - p[a] || e[b] - e[a];
    const want = Array.from({ length: n }, (_, i) => i).sort(cmp).slice(0, k);
    assert.deepEqual(firstOf(n, k, cmp), want, `n ${n}, k ${k}, ${levels} levels`);
  }
});
