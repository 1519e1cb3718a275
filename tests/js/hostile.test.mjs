// The hostile-input harness every export joins. Each area lists its cases in
// tests/js/hostile/<area>.mjs: bad inputs that must throw a JS Error (never a
// Wasm trap) whose message names the argument, plus one typical call per
// export for the leak check. The test fails if an export has no case.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { load, memory } from './load.mjs';

const m = load();
const dir = new URL('./hostile/', import.meta.url);
const areas = await Promise.all(
  readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort().map((f) => import(new URL(f, dir))),
);
const cases = areas.flatMap((a) => a.default);
const leaks = areas.flatMap((a) => a.leak ?? []);

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

test('hostile inputs throw a JS Error naming the argument, never a trap', () => {
  let checked = 0;
  for (const c of cases) {
    let thrown;
    try { c.call(m); } catch (e) { thrown = e; }
    assert.ok(thrown !== undefined, `${c.name}: expected a throw for ${c.call}`);
    assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `${c.name}: Wasm trap (${thrown.message}) for ${c.call}`);
    assert.ok(thrown instanceof Error, `${c.name}: threw a non-Error ${String(thrown)}`);
    assert.match(thrown.message, c.message, `${c.name}: message for ${c.call}`);
    // The instance must still work after every rejected call.
    assert.equal(m.gini([1, 1]), 0);
    checked++;
  }
  assert.ok(checked > 0);
});

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
