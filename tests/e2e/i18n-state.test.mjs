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

test('the live-session keys: a link carries the cadence and session length; an older pinned baseline still reads', () => {
  const s = parseQuery('?live=0&lh=6.5');
  assert.equal(s.live, 0);
  assert.equal(s.lh, 6.5);
  const again = parseQuery(`?${toQuery(s)}`);
  assert.equal(again.live, 0);
  assert.equal(again.lh, 6.5);
  assert.equal(parseQuery('?live=-1&lh=30').live, SCHEMA.live.def);
  assert.equal(parseQuery('?lh=0.1').lh, SCHEMA.lh.def);
  const pinned = baselineOf(parseQuery(`?${toQuery({ ...s, base: encodeBaseline(s) })}`));
  assert.equal(pinned.liveEveryDays, 0);
  assert.equal(pinned.liveHours, 6.5);
  // a link pinned before the live keys (8 values): read, its live settings left to the scenario
  const old = baselineOf(parseQuery('?base=0.5,0.1,80,0.5,0.5,0,0,0'));
  assert.equal(old.contentQuality, 0.5);
  assert.equal('liveEveryDays' in old, false);
});

test('one name per figure: the backend\'s 30/90-day repurchase rate is named only where it is shown', () => {
  const strings = table();
  // the cohort rate (30天复购率, as a shop backend reports it) has its own keys; the model's
  // forward-looking figures (the traffic view's chance for a new customer, the repeat view's
  // expected share of customers) must not carry its name
  for (const [zh, en] of [['30天复购率', '30-day repurchase rate'], ['90天复购率', '90-day repurchase rate']]) {
    const named = Object.entries(strings).filter(([, [z, e]]) => z === zh || e.toLowerCase() === en.toLowerCase()).map(([k]) => k);
    assert.equal(named.length, 1, `${zh}: ${named}`);
    for (const [k, [z, e]] of Object.entries(strings)) {
      if (named.includes(k) || /Help$|How$/.test(k)) continue; // explanations may name it
      assert.ok(!z.includes(zh), `${k} (${z}) is named like the backend's rate`);
      assert.ok(!e.toLowerCase().includes(en.toLowerCase()), `${k} (${e}) is named like the backend's rate`);
    }
  }
  assert.notEqual(strings.buyingNext30[0], strings.rate30Cohort[0]);
  assert.notEqual(strings.chance30[0], strings.rate30Cohort[0]);
  // the fitted model's chance for a new customer (回头客, beside the file's own rate) is a third figure with a third name
  for (const w of ['30', '90']) {
    const names = ['buyingNext', 'rateCohort', 'chance', 'modelNew'].map((k) => strings[k === 'rateCohort' ? `rate${w}Cohort` : `${k}${w}`]);
    for (const lang of [0, 1]) assert.equal(new Set(names.map((n) => n[lang])).size, 4, `${w}: ${names.map((n) => n[lang])}`);
  }
});
