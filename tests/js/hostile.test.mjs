// The hostile-input harness every export joins. Each area lists its cases in
// tests/js/hostile/<area>.mjs: bad inputs that must throw the JS class that
// fits (`throws`: TypeError for a wrong type or an unknown key, RangeError for
// a value out of range or a length mismatch, Error otherwise, e.g. an
// exception while reading an argument) with a message that names the argument
// (`message`), never a Wasm trap; `regressions`, calls with a known outcome;
// and one typical call per export for the leak check. The test fails if an
// export has no case. Files starting with `_` hold shared helpers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { load, memory } from './load.mjs';

const m = load();
const dir = new URL('./hostile/', import.meta.url);
const areas = await Promise.all(
  readdirSync(dir).filter((f) => f.endsWith('.mjs') && !f.startsWith('_')).sort().map((f) => import(new URL(f, dir))),
);
const cases = areas.flatMap((a) => a.default);
const leaks = areas.flatMap((a) => a.leak ?? []);
const regressions = areas.flatMap((a) => a.regressions ?? []);
const CLASSES = { TypeError, RangeError, Error };

// Exports that take no caller data and so have nothing hostile to reject
// (besides these, functions and methods declared with no parameters).
const NO_INPUT = new Set(['initSync', 'default']);

function exportedCallables() {
  const names = [];
  for (const [name, value] of Object.entries(m)) {
    if (typeof value !== 'function' || NO_INPUT.has(name)) continue;
    const isClass = /^class\b/.test(Function.prototype.toString.call(value));
    if (!isClass) { if (value.length > 0) names.push(name); continue; }
    if (value.length > 0) names.push(`new ${name}`);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (typeof value[key] === 'function' && value[key].length > 0 && !['__wrap', '__unwrap'].includes(key)) names.push(`${name}.${key}`);
    }
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      const d = Object.getOwnPropertyDescriptor(value.prototype, key);
      if (typeof d.value === 'function' && key !== 'constructor' && key !== 'free' && d.value.length > 0) names.push(`${name}#${key}`);
    }
  }
  return names;
}

test('every export that takes input has hostile-input cases', () => {
  const covered = new Set(cases.map((c) => c.name));
  const missing = exportedCallables().filter((n) => !covered.has(n));
  assert.deepEqual(missing, [], `exports without hostile-input cases: ${missing.join(', ')}`);
});

test('hostile inputs throw the class that fits with a message naming the argument, never a trap', () => {
  let checked = 0;
  for (const c of cases) {
    let thrown;
    try { c.call(m); } catch (e) { thrown = e; }
    assert.ok(thrown !== undefined, `${c.name}: expected a throw for ${c.call}`);
    assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `${c.name}: Wasm trap (${thrown.message}) for ${c.call}`);
    assert.ok(c.throws in CLASSES, `${c.name}: the case names no class (throws: ${c.throws}) for ${c.call}`);
    assert.equal(thrown?.constructor, CLASSES[c.throws], `${c.name}: threw ${thrown?.name} (${thrown?.message}), expected a ${c.throws}, for ${c.call}`);
    assert.match(thrown.message, c.message, `${c.name}: message for ${c.call}`);
    assert.ok(thrown.message.length <= 600, `${c.name}: a ${thrown.message.length}-character message for ${c.call}`);
    // The instance must still work after every rejected call.
    assert.equal(m.gini([1, 1]), 0);
    checked++;
  }
  assert.ok(checked > 0);
});

for (const r of regressions) {
  test(r.name, () => {
    r.run(m);
    assert.equal(m.gini([1, 1]), 0);
  });
}

test('10,000 calls of each export: Wasm memory stops growing', () => {
  const mem = memory();
  for (const call of leaks) {
    for (let i = 0; i < 1_000; i++) call(m); // warm-up: allocator reaches its working size
    const before = mem.buffer.byteLength;
    for (let i = 0; i < 10_000; i++) call(m);
    const after = mem.buffer.byteLength;
    assert.equal(after, before, `memory grew from ${before} to ${after} bytes over 10,000 calls of ${call}`);
  }
});
