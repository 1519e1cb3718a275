// The manual-init entries (pkg/shijing.js and each part's; `shijing/init` …)
// given the wrong bytes (issue 19): the other half's Wasm, or the whole
// package's, is refused with an error naming the mismatch (it used to
// "succeed", then every call failed with `wasm.gini is not a function`), bad
// bytes are refused, and either way a retry with the right bytes works. Each
// case imports a fresh copy of the glue (a query string makes a new module).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dir = process.env.SHIJING_PKG
  ? pathToFileURL(process.env.SHIJING_PKG.replace(/\/?$/, '/'))
  : new URL('../../pkg/', import.meta.url);
let fresh = 0;
const glue = (part = '') => import(new URL(`${part}shijing.js?fresh=${++fresh}`, dir));
const bytes = (part = '') => readFileSync(new URL(`${part}shijing_bg.wasm`, dir));
const GARBAGE = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1]); // a Wasm header, then a cut-off section

for (const [part, name, other, otherName] of [
  ['traffic/', 'shijing/traffic', 'repurchase/', 'the repurchase half'],
  ['repurchase/', 'shijing/repurchase', 'traffic/', 'the traffic half'],
  ['', 'shijing', 'traffic/', 'the traffic half'],
  ['traffic/', 'shijing/traffic', '', 'the whole package'],
  ['orders/', 'shijing/orders', 'xlsx/', 'the workbook reader'],
  ['xlsx/', 'shijing/xlsx', 'orders/', 'the export reader'],
]) {
  const mismatch = new RegExp(`^${name}: this Wasm is not the module ${name} was built with \\(.*\\): pass ${name}/shijing_bg\\.wasm$`);
  const works = (m) => {
    if (name === 'shijing/repurchase') assert.equal(typeof m.fitBgNbd([1, 0], [2, 0], [3, 3]).converged, 'boolean');
    else if (name === 'shijing/orders') assert.deepEqual(m.readOrders('buyer,date\nA,2024-01-01\n').ids, ['A']);
    else if (name === 'shijing/xlsx') assert.equal(typeof m.sheetText, 'function');
    else assert.equal(m.gini([1, 2, 3, 4]), 0.25);
  };

  test(`${name}: initSync with ${otherName}'s Wasm throws a clear error; a retry with the right bytes works`, async () => {
    const m = await glue(part);
    assert.throws(() => m.initSync({ module: bytes(other) }), (e) => e instanceof Error && mismatch.test(e.message));
    assert.throws(() => m.version(), 'a call after the refused init must not run on the wrong instance');
    m.initSync({ module: bytes(part) });
    works(m);
  });

  test(`${name}: init() with ${otherName}'s Wasm rejects with the same error; a retry works`, async () => {
    const m = await glue(part);
    await assert.rejects(m.default({ module_or_path: bytes(other) }), (e) => mismatch.test(e.message));
    await m.default({ module_or_path: bytes(part) });
    works(m);
  });
}

test('init() and initSync with bytes that are not Wasm fail, and a retry with the right bytes works', async () => {
  const a = await glue('traffic/');
  await assert.rejects(a.default({ module_or_path: GARBAGE }), WebAssembly.CompileError);
  await assert.rejects(a.default({ module_or_path: new Uint8Array(16) }), WebAssembly.CompileError);
  await a.default({ module_or_path: bytes('traffic/') });
  assert.equal(a.gini([1, 2, 3, 4]), 0.25);
  const b = await glue();
  assert.throws(() => b.initSync({ module: GARBAGE }), WebAssembly.CompileError);
  b.initSync({ module: new WebAssembly.Module(bytes()) });
  assert.equal(b.gini([1, 2, 3, 4]), 0.25);
});

test('once initialized, init again is a no-op that returns the same instance', async () => {
  const m = await glue();
  const first = m.initSync({ module: bytes() });
  assert.equal(m.initSync({ module: bytes('traffic/') }), first);
  assert.equal(await m.default({ module_or_path: GARBAGE }), first);
});
