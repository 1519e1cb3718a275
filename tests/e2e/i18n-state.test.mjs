// The explorer's string table and URL state, checked in plain Node: every
// string exists in both languages with the same placeholders, every key the
// code uses is in the table, and a state survives the trip through a query string.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from '../../www/src/i18n.js';
import { parseQuery, toQuery, SCHEMA, baselineOf, encodeBaseline } from '../../www/src/state.js';

const src = fileURLToPath(new URL('../../www/src/', import.meta.url));
const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));

test('every string has Chinese and English with the same placeholders', () => {
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const [key, pair] of Object.entries(table())) {
    assert.equal(pair.length, 2, key);
    const [zh, en] = pair;
    assert.ok(zh && en, `${key} is missing a language`);
    assert.equal(holes(zh), holes(en), `${key}: placeholders differ`);
  }
});

test('every key the code looks up is in the table', () => {
  const keys = new Set(Object.keys(table()));
  const used = new Set();
  const sources = [...files(src), fileURLToPath(new URL('../../www/index.html', import.meta.url))];
  for (const f of sources) {
    const s = readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l)).join('\n');
    for (const m of s.matchAll(/\bt\('([\w-]+)'/g)) used.add(m[1]);
    for (const m of s.matchAll(/data-i18n(?:-aria|-title)?["']?\s*[:=]\s*["']([\w-]+)["']/g)) used.add(m[1]);
    for (const m of s.matchAll(/\b(?:label|help|titleKey)\s*:\s*'([\w-]+)'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !keys.has(k));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 80, `only ${used.size} keys found: the scan is broken`);
});

test('state ↔ query string: a link reproduces the state; bad values fall back to defaults', () => {
  const s = parseQuery('?v=repeat&lang=en&q=0.73&f=0.12&gmode=floor&model=pnbd&cal=1997-09-30&sort=alive&dir=asc&p=trusted-brand');
  assert.equal(s.v, 'repeat');
  assert.equal(s.lang, 'en');
  assert.equal(s.q, 0.73);
  assert.equal(s.gmode, 'floor');
  assert.equal(s.cal, '1997-09-30');
  const again = parseQuery(`?${toQuery(s)}`);
  for (const k of Object.keys(SCHEMA)) assert.equal(again[k], s[k], k);
  const bad = parseQuery('?v=nope&q=7&f=abc&gmode=x&cal=30/09/1997&grid=1e9');
  assert.equal(bad.v, SCHEMA.v.def);
  assert.equal(bad.q, SCHEMA.q.def);
  assert.equal(bad.f, SCHEMA.f.def);
  assert.equal(bad.gmode, SCHEMA.gmode.def);
  assert.equal(bad.cal, '');
  assert.equal(bad.grid, SCHEMA.grid.def);
  const pinned = { ...s, base: encodeBaseline(s) };
  assert.equal(baselineOf(parseQuery(`?${toQuery(pinned)}`)).contentQuality, 0.73);
});
