// The explorer's CSV order-log parser (www/src/csv.js) in plain Node: it runs
// in the page's worker, but has no browser dependencies.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  splitFields, RecordStream, detectDelimiter, parseDate, detectDateFormat, parseAmount,
  inspectText, parseOrdersText, dayToIso, isoToDay, OrderBuilder,
} from '../../www/src/csv.js';

const fixture = (name) => readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');

test('fields: quotes, escaped quotes, delimiters, whitespace', () => {
  assert.deepEqual(splitFields('a,"b,c",d', ','), ['a', 'b,c', 'd']);
  assert.deepEqual(splitFields('"say ""hi""",2', ','), ['say "hi"', '2']);
  assert.deepEqual(splitFields('a\tb\tc', '\t'), ['a', 'b', 'c']);
  assert.deepEqual(splitFields('  00004 0001 19970101  2   29.33', ' '), ['00004', '0001', '19970101', '2', '29.33']);
  assert.equal(detectDelimiter(['a;b;c', '1;2;3']), ';');
  assert.equal(detectDelimiter(['a\tb', '1\t2']), '\t');
  assert.equal(detectDelimiter(['a,"x;y",c', '1,2,3']), ',');
  assert.equal(detectDelimiter([' 00004 0001 19970101  2   29.33']), ' ');
});

test('record stream: chunk boundaries, CRLF, BOM, quoted newlines keep their starting line', () => {
  const text = '\ufeffid,note\r\n1,"two\nlines"\r\n2,plain\r\n\r\n3,last';
  for (const size of [1, 2, 3, 5, 7, 1000]) {
    const s = new RecordStream();
    const out = [];
    for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size), false, out);
    s.push('', true, out);
    assert.deepEqual(out.map((r) => [r.line, r.text]), [[1, 'id,note'], [2, '1,"two\nlines"'], [4, '2,plain'], [5, ''], [6, '3,last']], `chunk ${size}`);
  }
});

test('dates: formats, validity, detection and the day-first/month-first choice', () => {
  const d = isoToDay('2024-03-05');
  assert.equal(dayToIso(d), '2024-03-05');
  assert.equal(parseDate('2024/3/5', 'ymd'), d);
  assert.equal(parseDate('2024年3月5日', 'ymd'), d);
  assert.equal(parseDate('2024-03-05 14:22:01', 'ymd'), d);
  assert.equal(parseDate('2024-03-05T14:22:01+08:00', 'ymd'), d);
  assert.equal(parseDate('20240305', 'compact'), d);
  assert.equal(parseDate('05/03/2024', 'dmy'), d);
  assert.equal(parseDate('03/05/2024', 'mdy'), d);
  assert.ok(Number.isNaN(parseDate('2024-02-30', 'ymd')));
  assert.ok(Number.isNaN(parseDate('2024-13-01', 'ymd')));
  assert.ok(Number.isNaN(parseDate('13/13/2024', 'dmy')));
  assert.equal(parseDate(String(Date.UTC(2024, 2, 5, 12) / 1000), 'epoch-s'), isoToDay(new Date(Date.UTC(2024, 2, 5, 12)).toLocaleDateString('sv')));
  assert.equal(detectDateFormat(['2024-01-02', '2024-12-31']).format, 'ymd');
  assert.equal(detectDateFormat(['20240102', '19971231']).format, 'compact');
  assert.equal(detectDateFormat(['1709640000', '1709726400']).format, 'epoch-s');
  assert.equal(detectDateFormat(['1709640000000']).format, 'epoch-ms');
  assert.equal(detectDateFormat(['25/12/2024', '01/02/2024']).format, 'dmy');
  assert.equal(detectDateFormat(['12/25/2024', '01/02/2024']).format, 'mdy');
  const amb = detectDateFormat(['01/02/2024', '03/04/2024']);
  assert.equal(amb.ambiguous, true);
  assert.deepEqual(amb.candidates.sort(), ['dmy', 'mdy']);
});

test('amounts: currency signs and thousands separators', () => {
  assert.equal(parseAmount('¥88.00'), 88);
  assert.equal(parseAmount('￥1,299.50'), 1299.5);
  assert.equal(parseAmount('59元'), 59);
  assert.equal(parseAmount(' 12 '), 12);
  assert.ok(Number.isNaN(parseAmount('abc')));
  assert.ok(Number.isNaN(parseAmount('')));
  assert.ok(Number.isNaN(parseAmount('1,2')));
});

test('CDNOW fixture: inspection guesses the mapping; every row becomes an order', () => {
  const text = fixture('cdnow_orders.csv');
  const info = inspectText(text);
  assert.equal(info.delimiter, ',');
  assert.equal(info.header, true);
  assert.deepEqual(info.mapping, { customer: 0, date: 1, amount: 2 });
  assert.equal(info.dateFormat, 'ymd');
  const r = parseOrdersText(text, info);
  assert.equal(r.orders, 6919);
  assert.equal(r.customers, 2357);
  assert.equal(r.malformedCount, 0);
  assert.equal(dayToIso(r.firstDay), '1997-01-01');
  assert.equal(dayToIso(r.lastDay), '1998-06-30');
});

test('malformed fixture: each bad row is reported by its line number and reason', () => {
  const text = fixture('orders_malformed.csv');
  const info = inspectText(text);
  assert.equal(info.header, true);
  assert.deepEqual(info.mapping, { customer: 0, date: 1, amount: 2 });
  const r = parseOrdersText(text, info);
  assert.equal(r.malformedCount, 6);
  assert.deepEqual(r.malformed.map((m) => [m.line, m.reason]), [[4, 'date'], [6, 'customer'], [8, 'amount'], [10, 'columns'], [12, 'date'], [14, 'negative']]);
  assert.equal(r.orders, 8);
  assert.equal(r.amount[2], 1299);
  assert.equal(r.amount[3], 88);
});

test('no header, no amount column', () => {
  const info = inspectText('u1 20240101\nu2 20240102\nu1 20240105\n');
  assert.equal(info.header, false);
  assert.equal(info.mapping.date, 1);
  assert.equal(info.mapping.customer, 0);
  const b = new OrderBuilder({ ...info, mapping: { customer: 0, date: 1, amount: -1 } });
  b.add(new RecordStream().push('u1 20240101\nu2 20240102\nu1 20240105\n', true));
  const r = b.finish();
  assert.equal(r.orders, 3);
  assert.equal(r.amount, null);
  assert.deepEqual(Array.from(r.customer), [0, 1, 0]);
});
