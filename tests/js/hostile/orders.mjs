// Hostile-input cases for the order-export exports (see ../hostile.test.mjs):
// readOrders, sheetText, cohortRepurchase and segmentCustomers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bigints, detached, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';

const data = (name) => new Uint8Array(readFileSync(new URL(`../../data/${name}`, import.meta.url)));
const CSV = data('shop_export_utf8bom.csv');
const BOOK = data('shop_export.xlsx');
const SMALL = 'buyer,date,amount\nA,2024-01-01,5\nB,2024-01-02,6\nA,2024-01-09,7\n';
const KEYS = 'encoding, delimiter, sheet, headerLine, customerColumn, timeColumn, amountColumn, orderColumn, statusColumn, refundStatusColumn, refundAmountColumn, amountScope, dateOrder, closedStatuses, refundedStatuses, excludeClosed, excludeRefunded, subtractRefunds, epochOffsetMinutes, maxListed, groupColumn';
const detachedBytes = () => {
  const a = new Uint8Array(8);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
};
const huge = () => new Array(30_000_000);
const P = [0.9, 0.5];
const X = [1, 0];
const R = [5, 0];
const T = [40, 10];

const read = (options, input = SMALL) => (m) => m.readOrders(input, options);

export default [
  // readOrders(data, options)
  { name: 'readOrders', call: (m) => m.readOrders(5), throws: 'TypeError', message: /^data must be a Uint8Array \(the file's bytes\) or a string, got number$/ },
  { name: 'readOrders', call: (m) => m.readOrders(null), throws: 'TypeError', message: /^data must be .* got null$/ },
  { name: 'readOrders', call: (m) => m.readOrders(), throws: 'TypeError', message: /^data must be .* got undefined$/ },
  { name: 'readOrders', call: (m) => m.readOrders(new Float64Array(4)), throws: 'TypeError', message: /^data must be .* got a Float64Array$/ },
  { name: 'readOrders', call: (m) => m.readOrders(new ArrayBuffer(4)), throws: 'TypeError', message: /^data must be .* got an ArrayBuffer$/ },
  { name: 'readOrders', call: (m) => m.readOrders([1, 2]), throws: 'TypeError', message: /^data must be .* got an array$/ },
  { name: 'readOrders', call: (m) => m.readOrders(bigints()), throws: 'TypeError', message: /^data must be .* got a BigInt64Array$/ },
  { name: 'readOrders', call: (m) => m.readOrders(throwingProxy({})), throws: 'TypeError', message: /^data must be .* got object$/ },
  { name: 'readOrders', call: (m) => m.readOrders(revoked({})), throws: 'TypeError', message: /^data must be .* got a revoked Proxy$/ },
  { name: 'readOrders', call: (m) => m.readOrders(detachedBytes()), throws: 'RangeError', message: /^the file is empty$/ },
  { name: 'readOrders', call: (m) => m.readOrders(new Uint8Array(0)), throws: 'RangeError', message: /^the file is empty$/ },
  { name: 'readOrders', call: (m) => m.readOrders(' \r\n\t'), throws: 'RangeError', message: /^the file is empty$/ },
  { name: 'readOrders', call: (m) => m.readOrders(new TextEncoder().encode('%PDF-1.7 …')), throws: 'RangeError', message: /^the file is a PDF document, not an order export \(a CSV\/TSV text or an \.xlsx workbook\)$/ },
  { name: 'readOrders', call: (m) => m.readOrders(Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256)), throws: 'RangeError', message: /^the file is binary data, not an order export/ },
  { name: 'readOrders', call: (m) => m.readOrders(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])), throws: 'RangeError', message: /legacy Excel \.xls workbook; save it as \.xlsx or CSV/ },
  { name: 'readOrders', call: (m) => m.readOrders(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])), throws: 'RangeError', message: /workbook|zip|xlsx/ },
  { name: 'readOrders', call: (m) => m.readOrders('x,y\n1,2\n'), throws: 'RangeError', message: /^no customer \(买家ID, 用户ID, 买家昵称, customer …; set options\.customerColumn\) and no order time \(下单时间, 支付时间, 订单创建时间, date …; set options\.timeColumn\) column found: no header names it and no column's content fits/ },
  { name: 'readOrders', call: (m) => m.readOrders('x,y\nq,r\nq,s\n'), throws: 'RangeError', message: /^no order time \(下单时间, 支付时间, 订单创建时间, date …; set options\.timeColumn\) column found: no header names it and no column's content fits/ },
  { name: 'readOrders', call: (m) => m.readOrders('金额,日期\n1.00,2024-01-01\n2.00,2024-01-02\n'), throws: 'RangeError', message: /^no customer \(买家ID, 用户ID, 买家昵称, customer …; set options\.customerColumn\) column found: .*columns: "金额", "日期"/ },
  { name: 'readOrders', call: (m) => m.readOrders('买家ID,下单时间,实付款\n'), throws: 'RangeError', message: /^the file has no data rows \(only a header row\)$/ },
  { name: 'readOrders', call: read('fast'), throws: 'TypeError', message: /^options must be an object, got string$/ },
  { name: 'readOrders', call: read([1]), throws: 'TypeError', message: /^options must be an object, got an array$/ },
  { name: 'readOrders', call: read({ bogus: 1 }), throws: 'TypeError', message: new RegExp(`^options\\.bogus is not a known field; expected one of: ${KEYS}$`) },
  { name: 'readOrders', call: read({ encoding: 'latin1' }), throws: 'RangeError', message: /^options\.encoding must be "utf-8", "gbk", "gb18030", "utf-16le" or "utf-16be", got "latin1"$/ },
  { name: 'readOrders', call: read({ encoding: 'x'.repeat(10_000) }), throws: 'RangeError', message: /^options\.encoding must be .* got "x{80}…"$/ },
  { name: 'readOrders', call: read({ encoding: 8 }), throws: 'TypeError', message: /^options\.encoding must be a string, got number$/ },
  { name: 'readOrders', call: read({ delimiter: '::' }), throws: 'RangeError', message: /^options\.delimiter must be ",", "\\t", ";", "\|" or " " \(runs of spaces\), got "::"$/ },
  { name: 'readOrders', call: read({ sheet: {} }), throws: 'TypeError', message: /^options\.sheet must be a sheet name or a 0-based sheet index, got object$/ },
  { name: 'readOrders', call: read({ sheet: -1 }), throws: 'RangeError', message: /^options\.sheet must be an integer in \[0, 4294967295\], got -1$/ },
  { name: 'readOrders', call: read({ sheet: 3 }, BOOK), throws: 'RangeError', message: /^options\.sheet is 3, but the workbook has 1 sheets \("订单"\)$/ },
  { name: 'readOrders', call: read({ headerLine: 1.5 }), throws: 'RangeError', message: /^options\.headerLine must be an integer in \[0, 4294967295\], got 1\.5$/ },
  { name: 'readOrders', call: read({ headerLine: '1' }), throws: 'TypeError', message: /^options\.headerLine must be a number, got string$/ },
  { name: 'readOrders', call: read({ headerLine: 9 }), throws: 'RangeError', message: /^options\.headerLine is 9, but no non-empty row starts on that line/ },
  { name: 'readOrders', call: read({ customerColumn: true }), throws: 'TypeError', message: /^options\.customerColumn must be a header text, a 0-based column index or null, got boolean$/ },
  { name: 'readOrders', call: read({ customerColumn: null }), throws: 'RangeError', message: /^options\.customerColumn cannot be null: the customer column is required$/ },
  { name: 'readOrders', call: read({ timeColumn: null }), throws: 'RangeError', message: /^options\.timeColumn cannot be null: the time column is required$/ },
  { name: 'readOrders', call: read({ customerColumn: 99 }), throws: 'RangeError', message: /^options\.customerColumn is 99, but the rows have 3 columns \(0 to 2\)$/ },
  { name: 'readOrders', call: read({ amountColumn: 0.5 }), throws: 'RangeError', message: /^options\.amountColumn must be an integer in \[0, 4294967295\], got 0\.5$/ },
  { name: 'readOrders', call: read({ timeColumn: '付款' }), throws: 'RangeError', message: /^options\.timeColumn names the column "付款", which is not in the header \(columns: "buyer", "date", "amount"\)$/ },
  { name: 'readOrders', call: read({ groupColumn: true }), throws: 'TypeError', message: /^options\.groupColumn must be a header text, a 0-based column index or null, got boolean$/ },
  { name: 'readOrders', call: read({ groupColumn: 3 }), throws: 'RangeError', message: /^options\.groupColumn is 3, but the rows have 3 columns \(0 to 2\)$/ },
  { name: 'readOrders', call: read({ groupColumn: -1 }), throws: 'RangeError', message: /^options\.groupColumn must be an integer in \[0, 4294967295\], got -1$/ },
  { name: 'readOrders', call: read({ groupColumn: '渠道' }), throws: 'RangeError', message: /^options\.groupColumn names the column "渠道", which is not in the header \(columns: "buyer", "date", "amount"\)$/ },
  { name: 'readOrders', call: read({ orderColumn: [] }), throws: 'TypeError', message: /^options\.orderColumn must be a header text, a 0-based column index or null, got an array$/ },
  { name: 'readOrders', call: read({ amountScope: 'row' }), throws: 'RangeError', message: /^options\.amountScope must be "line" or "order", got "row"$/ },
  { name: 'readOrders', call: read({ dateOrder: 'iso' }), throws: 'RangeError', message: /^options\.dateOrder must be "ymd", "dmy" or "mdy", got "iso"$/ },
  { name: 'readOrders', call: read({ closedStatuses: '交易关闭' }), throws: 'TypeError', message: /^options\.closedStatuses must be an array of strings, got string$/ },
  { name: 'readOrders', call: read({ closedStatuses: ['a', 1] }), throws: 'TypeError', message: /^options\.closedStatuses\[1\] must be a string, got number$/ },
  { name: 'readOrders', call: read({ refundedStatuses: new Float64Array(2) }), throws: 'TypeError', message: /^options\.refundedStatuses must be an array of strings, got a Float64Array$/ },
  { name: 'readOrders', call: read({ refundedStatuses: new Array(1001).fill('x') }), throws: 'RangeError', message: /^options\.refundedStatuses has 1001 elements; at most 1000 are supported$/ },
  { name: 'readOrders', call: read({ closedStatuses: { *[Symbol.iterator]() { for (;;) yield '交易关闭'; } } }), throws: 'RangeError', message: /^options\.closedStatuses has more than 1000 elements/ },
  { name: 'readOrders', call: read({ excludeClosed: 'yes' }), throws: 'TypeError', message: /^options\.excludeClosed must be a boolean, got string$/ },
  { name: 'readOrders', call: read({ subtractRefunds: 0 }), throws: 'TypeError', message: /^options\.subtractRefunds must be a boolean, got number$/ },
  { name: 'readOrders', call: read({ epochOffsetMinutes: 2000 }), throws: 'RangeError', message: /^options\.epochOffsetMinutes must be an integer in \[-1440, 1440\], got 2000$/ },
  { name: 'readOrders', call: read({ epochOffsetMinutes: '480' }), throws: 'TypeError', message: /^options\.epochOffsetMinutes must be a number, got string$/ },
  { name: 'readOrders', call: read({ maxListed: 20_000 }), throws: 'RangeError', message: /^options\.maxListed must be an integer in \[0, 10000\], got 20000$/ },
  { name: 'readOrders', call: read({ maxListed: NaN }), throws: 'RangeError', message: /^options\.maxListed must be an integer in \[0, 10000\], got NaN$/ },
  // issue 19: exceptions while reading an argument
  { name: 'readOrders', call: read(throwingGetter('encoding')), throws: 'Error', message: /^options\.encoding: reading it threw: boom$/ },
  { name: 'readOrders', call: read(throwingGetter('customerColumn')), throws: 'Error', message: /^options\.customerColumn: reading it threw: boom$/ },
  { name: 'readOrders', call: read({ closedStatuses: throwingElement(['a', 'b'], 1) }), throws: 'Error', message: /^options\.closedStatuses\[1\]: reading it threw: boom$/ },
  { name: 'readOrders', call: read({ refundedStatuses: throwingProxy() }), throws: 'Error', message: /^options\.refundedStatuses: reading it threw: boom$/ },
  { name: 'readOrders', call: read(throwingProxy({})), throws: 'Error', message: /^options: reading it threw: boom$/ },
  { name: 'readOrders', call: read(revoked({})), throws: 'Error', message: /^options: reading it threw: TypeError/ },

  // sheetText(bytes, options)
  { name: 'sheetText', call: (m) => m.sheetText('book.xlsx'), throws: 'TypeError', message: /^bytes must be a Uint8Array \(an \.xlsx file's bytes\), got string$/ },
  { name: 'sheetText', call: (m) => m.sheetText(detached()), throws: 'TypeError', message: /^bytes must be a Uint8Array .* got a Float64Array$/ },
  { name: 'sheetText', call: (m) => m.sheetText(CSV), throws: 'RangeError', message: /^the file is not an \.xlsx workbook$/ },
  { name: 'sheetText', call: (m) => m.sheetText(new Uint8Array(0)), throws: 'RangeError', message: /^the file is empty$/ },
  { name: 'sheetText', call: (m) => m.sheetText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9, 9, 9])), throws: 'RangeError', message: /./ },
  { name: 'sheetText', call: (m) => m.sheetText(BOOK, { sheet: 2 }), throws: 'RangeError', message: /^options\.sheet is 2, but the workbook has 1 sheets \("订单"\)$/ },
  { name: 'sheetText', call: (m) => m.sheetText(BOOK, { sheet: 'Sheet9' }), throws: 'RangeError', message: /^options\.sheet .*"Sheet9".*"订单"/ },
  { name: 'sheetText', call: (m) => m.sheetText(BOOK, { sheet: true }), throws: 'TypeError', message: /^options\.sheet must be a sheet name or a 0-based sheet index, got boolean$/ },
  { name: 'sheetText', call: (m) => m.sheetText(BOOK, { sheets: 1 }), throws: 'TypeError', message: /^options\.sheets is not a known field; expected one of: sheet$/ },
  { name: 'sheetText', call: (m) => m.sheetText(BOOK, throwingGetter('sheet')), throws: 'Error', message: /^options\.sheet: reading it threw: boom$/ },

  // cohortRepurchase(customers, days, options)
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase('abc', [1]), throws: 'TypeError', message: /^customers must be an array of strings or a Uint32Array, got string$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a', 1], [1, 2]), throws: 'TypeError', message: /^customers\[1\] must be a string, got number$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(new Int32Array(1), [1]), throws: 'TypeError', message: /^customers must be .* got an Int32Array$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase([], []), throws: 'RangeError', message: /^customers is empty$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(huge(), [1]), throws: 'RangeError', message: /^customers has 30000000 elements; at most/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a', 'b'], [1]), throws: 'RangeError', message: /^days has 1 elements but customers has 2; they must have the same length$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [NaN]), throws: 'RangeError', message: /^days\[0\] is NaN$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], ['1']), throws: 'TypeError', message: /^days\[0\] must be a number, got string$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1.7e12]), throws: 'RangeError', message: /^days\[0\] is 1700000000000; days are day numbers/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], bigints()), throws: 'TypeError', message: /^days must be .* got a BigInt64Array$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { windows: [] }), throws: 'RangeError', message: /^options\.windows has 0 elements; it must have 1 to 32$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { windows: new Array(33).fill(30) }), throws: 'RangeError', message: /^options\.windows has 33 elements; at most 32 are supported$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { windows: [30, 0] }), throws: 'RangeError', message: /^options\.windows\[1\] must be > 0/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { windows: [1e9] }), throws: 'RangeError', message: /^options\.windows\[0\] is 1000000000; windows are days, at most 36600$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { windows: 30 }), throws: 'TypeError', message: /^options\.windows must be an array of numbers, got number$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { end: NaN }), throws: 'RangeError', message: /^options\.end is NaN$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { end: '2024' }), throws: 'TypeError', message: /^options\.end must be a number, got string$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { end: 1e12 }), throws: 'RangeError', message: /^options\.end is 1000000000000; it is a day number/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], { window: [30] }), throws: 'TypeError', message: /^options\.window is not a known field; expected one of: windows, end$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], 30), throws: 'TypeError', message: /^options must be an object, got number$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], [1], throwingGetter('end')), throws: 'Error', message: /^options\.end: reading it threw: boom$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(throwingElement(['a', 'b'], 1), [1, 2]), throws: 'Error', message: /^customers\[1\]: reading it threw: boom$/ },
  { name: 'cohortRepurchase', call: (m) => m.cohortRepurchase(['a'], revoked()), throws: 'Error', message: /^days: reading it threw: TypeError/ },

  // segmentCustomers(pAlive, expected30, frequency, recency, T, options)
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers('p', P, X, R, T), throws: 'TypeError', message: /^pAlive must be a Float64Array or an array of numbers, got string$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, null, X, R, T), throws: 'TypeError', message: /^expected30 must be a Float64Array or an array of numbers, got null$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers([1.2, 0.5], P, X, R, T), throws: 'RangeError', message: /^pAlive\[0\] must be in \[0, 1\], got 1\.2$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, [-1, 0], X, R, T), throws: 'RangeError', message: /^expected30\[0\] is negative \(-1\)$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers([0.5], P, X, R, T), throws: 'RangeError', message: /^pAlive has 1 elements but .* has 2|elements but pAlive has 1/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers([], [], [], [], []), throws: 'RangeError', message: /is empty$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, [1, 0], [50, 0], T), throws: 'RangeError', message: /^recency\[0\] is greater than T\[0\]/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { value: [1] }), throws: 'RangeError', message: /^value has 1 elements but .* has 2/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { value: 'x' }), throws: 'TypeError', message: /^options\.value must be a Float64Array or an array of numbers, got string$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { activeAlive: 2 }), throws: 'RangeError', message: /^options\.activeAlive must be in \[0, 1\], got 2$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { unitDays: 0 }), throws: 'RangeError', message: /^options\.unitDays must be > 0/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { lostAlive: 0.9 }), throws: 'RangeError', message: /^options: the lost thresholds must not be above the active ones/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { newDays: '30' }), throws: 'TypeError', message: /^options\.newDays must be a number, got string$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, { active: 0.5 }), throws: 'TypeError', message: /^options\.active is not a known field; expected one of: value, unitDays, newDays, activeAlive, activeExpected, lostAlive, lostExpected$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(P, P, X, R, T, throwingGetter('value')), throws: 'Error', message: /^options\.value: reading it threw: boom$/ },
  { name: 'segmentCustomers', call: (m) => m.segmentCustomers(throwingProxy(), P, X, R, T), throws: 'Error', message: /^pAlive: reading it threw: boom$/ },
];

/** Calls with a known outcome. */
export const regressions = [
  {
    name: 'readOrders: a malformed row is reported by its line, never dropped (every line accounted for)',
    run: (m) => {
      const o = m.readOrders('buyer,date,amount\nA,2024-01-01,5\n,2024-01-02,6\nB,2024-13-01,1\nC,2024-01-03,-2\n\nD,2024-01-04,x\n');
      const r = o.report;
      assert.equal(r.lines, 5);
      assert.equal(r.blankLines, 1);
      assert.equal(r.purchaseLines + r.malformed, r.lines);
      assert.deepEqual(r.malformedRows.map((x) => [x.line, x.reason, x.value]), [[3, 'customer', ''], [4, 'time', '2024-13-01'], [5, 'negativeAmount', '-2'], [7, 'amount', 'x']]);
    },
  },
  {
    name: 'readOrders: the instance survives 1,000 rejected and 1,000 read files in a row',
    run: (m) => {
      for (let i = 0; i < 1_000; i++) assert.throws(() => m.readOrders(i % 2 ? 'x' : new Uint8Array(3)), RangeError);
      for (let i = 0; i < 1_000; i++) assert.equal(m.readOrders(SMALL).ids.length, 2);
    },
  },
];

/** One typical call per export (10,000-call leak check). */
export const leak = [
  (m) => m.readOrders(SMALL, { maxListed: 5 }),
  (m) => m.readOrders(CSV),
  (m) => m.sheetText(BOOK),
  (m) => m.cohortRepurchase(['a', 'b', 'a'], [1, 2, 40], { windows: [30] }),
  (m) => m.segmentCustomers(P, P, X, R, T, { value: [10, 20] }),
];
