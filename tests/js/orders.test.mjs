// Merchants' order exports through the built package: readOrders (whole
// package and shijing/orders), sheetText (shijing/xlsx),
// cohortRepurchase and segmentCustomers (whole package and shijing/repurchase). The fixtures are
// tests/data/make_exports.py's; what they must read as is worked out by hand
// there and in tests/native_orders.rs (the same figures are checked here
// through the JS surface: every encoding, xlsx, the report's shape).
import test from 'node:test';
import assert from 'node:assert/strict';
import { bytes, load, loadPart } from './load.mjs';

const m = load();
const repurchase = await loadPart('repurchase');
const orders = await loadPart('orders');
const xlsx = await loadPart('xlsx');

const A = '2088102177000001', B = 'tb_小雨88', C = '2088102177000003', E = '2088102177000005', G = '2088102177000007';
/** Day number of a calendar date. */
const day = (y, mo, d) => Date.UTC(y, mo - 1, d) / 86_400_000;

/** The report's keys, as the .d.ts documents them. */
const REPORT_KEYS = [
  'format', 'encoding', 'bom', 'delimiter', 'sheet', 'sheets', 'headerLine', 'headers', 'width', 'skippedLines', 'columns',
  'amountScope', 'dateOrder', 'dateOrderAmbiguous', 'lines', 'blankLines', 'purchaseLines', 'excludedLines', 'malformed',
  'malformedRows', 'orders', 'purchases', 'excluded', 'unreadOrders', 'partiallyRefunded', 'refundsSubtracted',
  'unknownRefundAmounts', 'orderAmountConflicts', 'customers', 'firstDay', 'lastDay', 'statuses', 'warnings',
];

/** The shop export's purchases and report, whatever its encoding or format (`blank`: text files have a blank line 14). */
function checkShopExport(o, blank) {
  assert.deepEqual(o.ids, [A, B, E, C, G]);
  assert.deepEqual([...o.customerIndex], [0, 1, 1, 0, 2, 3, 1, 4]);
  assert.deepEqual(o.customers, [A, B, B, A, E, C, B, G]);
  assert.ok(o.days instanceof Float64Array && o.amounts instanceof Float64Array && o.customerIndex instanceof Uint32Array);
  assert.deepEqual([...o.days], [day(2024, 1, 5), day(2024, 1, 6), day(2024, 2, 1), day(2024, 2, 10), day(2024, 2, 14), day(2024, 3, 1), day(2024, 3, 5), day(2024, 3, 9)]);
  assert.deepEqual([...o.amounts], [187.9, 1299, 99, 98, 59.7, 66, 150, 50]);
  const r = o.report;
  assert.deepEqual(Object.keys(r), REPORT_KEYS);
  assert.deepEqual(r.columns.order, { index: 0, header: '订单编号', by: 'header' });
  assert.deepEqual(r.columns.customer, { index: 1, header: '买家ID', by: 'header' });
  assert.deepEqual(r.columns.time, { index: 3, header: '下单时间', by: 'header' });
  assert.deepEqual(r.columns.amount, { index: 7, header: '实付款', by: 'header' });
  assert.deepEqual(Object.keys(r.columns), ['customer', 'time', 'amount', 'order', 'status', 'refundStatus', 'refundAmount', 'group']);
  assert.equal(r.columns.group, null);
  assert.equal(o.groups, null);
  assert.equal(o.groupLevels, null);
  assert.equal(o.groupIndex, null);
  assert.equal(r.headerLine, 1);
  assert.equal(r.amountScope, 'line');
  assert.equal(r.lines, 22);
  assert.equal(r.blankLines, blank);
  assert.equal(r.purchaseLines, 12);
  assert.deepEqual(r.excludedLines, { closed: 3, refunded: 3 });
  assert.equal(r.lines, r.purchaseLines + r.excludedLines.closed + r.excludedLines.refunded + r.malformed);
  assert.equal(r.malformed, 4);
  assert.deepEqual(r.malformedRows, [
    { line: 20, reason: 'time', value: '2024-02-30 10:00:00' },
    { line: 21, reason: 'amount', value: 'abc' },
    { line: 22, reason: 'customer', value: '' },
    { line: 24, reason: 'customer', value: '' },
  ]);
  assert.equal(r.orders, 17);
  assert.equal(r.purchases, 8);
  assert.deepEqual(r.excluded, { closed: 3, refunded: 2 });
  assert.equal(r.orders, r.purchases + r.excluded.closed + r.excluded.refunded + r.unreadOrders);
  assert.equal(r.partiallyRefunded, 2);
  assert.equal(r.refundsSubtracted, 30);
  assert.equal(r.customers, 5);
  assert.equal(r.firstDay, day(2024, 1, 5));
  assert.equal(r.lastDay, day(2024, 3, 9));
  assert.deepEqual(r.statuses.find((s) => s.value === '交易关闭'), { column: 'status', value: '交易关闭', lines: 1, rule: 'closed' });
  assert.deepEqual(r.statuses.find((s) => s.value === '退款关闭'), { column: 'refundStatus', value: '退款关闭', lines: 1, rule: null });
  assert.deepEqual(r.warnings, []);
}

test('readOrders reads the shop export in UTF-8 with BOM, GBK and UTF-16LE (TSV) the same', () => {
  for (const [file, encoding, delimiter, bom] of [
    ['shop_export_utf8bom.csv', 'utf-8', ',', true],
    ['shop_export_gbk.csv', 'gb18030', ',', false],
    ['shop_export_utf16le.txt', 'utf-16le', '\t', true],
  ]) {
    for (const mod of [m, orders]) {
      const o = mod.readOrders(bytes(file));
      checkShopExport(o, 1);
      assert.equal(o.report.format, 'csv');
      assert.equal(o.report.encoding, encoding, file);
      assert.equal(o.report.delimiter, delimiter, file);
      assert.equal(o.report.bom, bom, file);
      assert.equal(o.report.sheet, null);
      assert.deepEqual(o.report.sheets, []);
    }
  }
});

test('readOrders of text (a string) reads as its bytes do', () => {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes('shop_export_utf8bom.csv'));
  const o = m.readOrders(text);
  checkShopExport(o, 1);
  assert.equal(o.report.encoding, null);
  assert.equal(o.report.bom, true);
  const gbk = new TextDecoder('gbk').decode(bytes('shop_export_gbk.csv'));
  checkShopExport(orders.readOrders(gbk), 1);
});

test('readOrders of an .xlsx workbook (whole package), and through shijing/xlsx sheetText → shijing/orders readOrders', () => {
  const book = bytes('shop_export.xlsx');
  const o = m.readOrders(book);
  checkShopExport(o, 0);
  assert.equal(o.report.format, 'xlsx');
  assert.equal(o.report.encoding, null);
  assert.equal(o.report.delimiter, null);
  assert.equal(typeof o.report.sheet, 'string');
  assert.ok(o.report.sheets.includes(o.report.sheet));
  const sheet = xlsx.sheetText(book);
  assert.ok(sheet.text instanceof Uint8Array);
  assert.equal(sheet.sheet, o.report.sheet);
  assert.deepEqual(sheet.sheets, o.report.sheets);
  // The same lines (= sheet rows), purchases and report, from the text.
  const t = orders.readOrders(sheet.text);
  checkShopExport(t, 1); // row 14, absent from the sheet, is a blank line of the text
  assert.equal(t.report.delimiter, '\t');
  assert.deepEqual(xlsx.sheetText(book, { sheet: 0 }).text, sheet.text);
  assert.deepEqual(m.sheetText(book, { sheet: o.report.sheet }).text, sheet.text);
  // shijing/orders does not read workbooks: it says how to.
  assert.throws(() => orders.readOrders(book), (e) => e.constructor === Error && /^the file is an \.xlsx workbook, which shijing\/orders does not read: convert it with sheetText from shijing\/xlsx first/.test(e.message));
  assert.deepEqual(Object.keys(xlsx).sort(), ['sheetText', 'version']);
  assert.deepEqual(Object.keys(orders).sort(), ['readOrders', 'version']);
  assert.equal(repurchase.readOrders, undefined, 'the export reader is shijing/orders, not in the repurchase half');
});

test('readOrders: an export with a title line, order-level amounts and a refunded line (Douyin style)', () => {
  const o = m.readOrders(bytes('douyin_export.csv'));
  const r = o.report;
  assert.equal(r.headerLine, 2);
  assert.equal(r.skippedLines, 1);
  assert.equal(r.amountScope, 'order');
  assert.deepEqual(r.columns.amount, { index: 5, header: '订单应付金额', by: 'header' });
  assert.deepEqual(o.ids, ['U1', 'U2']);
  assert.deepEqual(r.malformedRows.map((x) => [x.line, x.reason]), [[10, 'customerConflict'], [11, 'time']]);
});

test('readOrders: 19-digit order numbers group lines and long buyer ids stay exact text', () => {
  const csv = [
    '订单编号,买家ID,下单时间,实付款',
    '\t3901234567890123457,20881021770000000000001,2024-01-05 10:00:00,10.00',
    '="3901234567890123457",20881021770000000000001,2024-01-05 10:00:00,5.50',
    '3901234567890123458,20881021770000000000002,2024-01-06,7',
    '3901234567890123459,20881021770000000000001,2024/1/9,1',
  ].join('\r\n');
  const o = m.readOrders(csv);
  assert.deepEqual(o.ids, ['20881021770000000000001', '20881021770000000000002']);
  assert.deepEqual(o.customers, ['20881021770000000000001', '20881021770000000000002', '20881021770000000000001']);
  assert.deepEqual([...o.amounts], [15.5, 7, 1]);
  assert.equal(o.report.orders, 3);
  assert.equal(o.report.lines, 4);
});

test('readOrders: ids that differ only in lone UTF-16 surrogates stay distinct and come back exactly', () => {
  const ids = ['\uD800', '\uDC00', '\uFFFD', 'a\uDBFFb', '\uFDD0x', '\uD83D\uDE00'];
  const csv = 'buyer,date,amount\n' + ids.map((id, i) => `${id},2024-01-0${i + 1},${i + 1}`).join('\n') + '\n\uD800,2024-02-01,9\n';
  const o = m.readOrders(csv);
  assert.deepEqual(o.ids, ids);
  assert.deepEqual(o.customers, [...ids, '\uD800']);
  assert.deepEqual([...o.customerIndex], [0, 1, 2, 3, 4, 5, 0]);
  assert.equal(o.report.headers[0], 'buyer');
  // The same ids through summarizeOrders (its own reading of strings) stay the same customers.
  const s = m.summarizeOrders(o.customers, o.days, o.amounts, { calibrationEnd: day(2024, 3, 1) });
  assert.deepEqual(s.customers, ids);
});

test('readOrders: customers are the ids themselves (one string per distinct id), and feed summarizeOrders and cohortRepurchase', () => {
  const o = m.readOrders(bytes('shop_export_gbk.csv'));
  o.customers.forEach((c, i) => assert.equal(c, o.ids[o.customerIndex[i]]));
  const byIndex = m.summarizeOrders(o.customerIndex, o.days, o.amounts, { calibrationEnd: o.report.lastDay });
  const byString = m.summarizeOrders(o.customers, o.days, o.amounts, { calibrationEnd: o.report.lastDay });
  assert.deepEqual([...byIndex.frequency], [...byString.frequency]);
  assert.deepEqual(byString.customers, o.ids);
  assert.deepEqual([...byIndex.customers], [0, 1, 2, 3, 4]);
  // A (01-05, again 02-10: 36 days), B (01-06, again 02-01: 26 days), E (02-14), C (03-01), G (03-09)
  // once; end 03-09: A and B first ordered at least 30 and 60 days before it.
  const c = m.cohortRepurchase(o.customers, o.days, { windows: [30, 60] });
  assert.equal(c.end, day(2024, 3, 9));
  assert.equal(c.customers, 5);
  assert.deepEqual(c.windows, [30, 60]);
  assert.deepEqual(c.eligible, [2, 2]);
  assert.deepEqual(c.repeated, [1, 2]);
  assert.deepEqual(c.rate, [0.5, 1]);
});

test('readOrders options: columns by header or index, none by null, rules replaced, the list capped', () => {
  const csv = bytes('shop_export_utf8bom.csv');
  const noAmount = m.readOrders(csv, { amountColumn: null, refundAmountColumn: null });
  assert.equal(noAmount.amounts, null);
  assert.equal(noAmount.report.columns.amount, null);
  const byIndex = m.readOrders(csv, { customerColumn: 2, timeColumn: '支付时间' });
  assert.deepEqual(byIndex.report.columns.customer, { index: 2, header: '买家昵称', by: 'option' });
  assert.deepEqual(byIndex.report.columns.time, { index: 4, header: '支付时间', by: 'option' });
  const keepAll = m.readOrders(csv, { excludeClosed: false, excludeRefunded: false, maxListed: 1 });
  assert.equal(keepAll.report.purchaseLines, 18);
  assert.equal(keepAll.report.malformed, 4);
  assert.equal(keepAll.report.malformedRows.length, 1);
  const rules = m.readOrders(csv, { closedStatuses: ['已发货'], refundedStatuses: new Set(['退款关闭']) });
  assert.equal(rules.report.statuses.find((s) => s.value === '交易关闭').rule, null);
  assert.equal(rules.report.statuses.find((s) => s.value === '已发货').rule, 'closed');
  const noHeader = m.readOrders('A1,2024-01-01,5\nA2,2024-01-02,6\nA1,2024-01-03,7\n', { headerLine: 0, delimiter: ',', dateOrder: 'ymd', encoding: 'utf-8', amountScope: 'line', epochOffsetMinutes: 0, sheet: null, orderColumn: null });
  assert.equal(noHeader.report.headerLine, null);
  assert.deepEqual(noHeader.ids, ['A1', 'A2']);
  // Undefined and null keep the defaults.
  checkShopExport(m.readOrders(csv, { encoding: undefined, dateOrder: null, closedStatuses: null, epochOffsetMinutes: null }), 1);
});

test('readOrders rejects what is not an export, naming what is missing', () => {
  const bad = (data, re) => assert.throws(() => m.readOrders(data), (e) => e instanceof RangeError && re.test(e.message), String(re));
  bad(new Uint8Array(0), /^the file is empty$/);
  bad('  \n ', /^the file is empty$/);
  bad(Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d]), /PDF document, not an order export/);
  bad(Uint8Array.from({ length: 64 }, (_, i) => i % 7), /binary data, not an order export/);
  bad('a,b,c\nx,y,z\nq,r,s\n', /^no order time \(下单时间, 支付时间, 订单创建时间, date …; set options\.timeColumn\) column found: no header names it/);
  bad('金额,日期\n1.00,2024-01-01\n2.00,2024-01-02\n', /^no customer \(买家ID, 用户ID, 买家昵称, customer …; set options\.customerColumn\) column found/);
  bad('买家ID,下单时间\n', /no data rows/);
});

test('cohortRepurchase: T30/T90 and monthly cohorts of a known log (strings or a Uint32Array)', () => {
  const ids = ['c1', 'c1', 'c2', 'c2', 'c3', 'c4', 'c4', 'c4', 'c5', 'c5'];
  const days = [day(2024, 1, 1), day(2024, 1, 20), day(2024, 1, 10), day(2024, 3, 20), day(2024, 1, 15), day(2024, 1, 31) + 10 / 24, day(2024, 1, 31) + 18 / 24, day(2024, 6, 1), day(2024, 6, 10), day(2024, 6, 15)];
  const r = m.cohortRepurchase(ids, days, { end: day(2024, 6, 30) });
  assert.deepEqual(Object.keys(r), ['end', 'customers', 'windows', 'eligible', 'repeated', 'rate', 'cohorts']);
  assert.equal(r.customers, 5);
  assert.deepEqual(r.windows, [30, 90]);
  assert.deepEqual(r.eligible, [4, 4]);
  assert.deepEqual(r.repeated, [1, 2]);
  assert.deepEqual(r.rate, [0.25, 0.5]);
  assert.deepEqual(r.cohorts, [
    { month: '2024-01', firstDay: day(2024, 1, 1), customers: 4, eligible: [4, 4], repeated: [1, 2], rate: [0.25, 0.5] },
    { month: '2024-06', firstDay: day(2024, 6, 1), customers: 1, eligible: [0, 0], repeated: [0, 0], rate: [null, null] },
  ]);
  const keys = Uint32Array.from(ids, (s) => Number(s.slice(1)));
  assert.deepEqual(repurchase.cohortRepurchase(keys, days, { end: day(2024, 6, 30) }), r);
  assert.equal(m.cohortRepurchase(ids, days).end, day(2024, 6, 15));
});

test('segmentCustomers: the rules in order, counts and value per segment, names in zh and en', () => {
  const p = [1, 0.9, 0.9, 0.5, 0.2, 1];
  const e = [0.3, 0.5, 0.05, 0.2, 0.4, 0.01];
  const x = [0, 3, 2, 1, 4, 0];
  const tx = [0, 50, 40, 20, 10, 0];
  const T = [10, 60, 90, 100, 300, 200];
  const s = m.segmentCustomers(p, e, x, tx, T, { value: [100, 200, 50, 80, 10, 60] });
  assert.deepEqual(s.segment, ['new', 'active', 'winBack', 'winBack', 'lost', 'lost']);
  assert.deepEqual(s.summary.map((g) => [g.segment, g.name.zh, g.name.en, g.customers]), [
    ['active', '活跃', 'Active', 1], ['winBack', '需要唤回', 'Win back', 2], ['lost', '可能流失', 'Likely lost', 2], ['new', '新客', 'New', 1],
  ]);
  assert.equal(s.summary[0].expectedPurchases, 0.5);
  assert.equal(s.summary[0].value, 100);
  assert.equal(s.summary[1].value, 0.05 * 50 + 0.2 * 80);
  const weeks = repurchase.segmentCustomers([1], [0.1], [0], [0], [2], { unitDays: 7 });
  assert.deepEqual(weeks.segment, ['new']);
  assert.equal(weeks.summary[3].value, null);
});

test('readOrders → summarizeOrders → fit → segmentCustomers, on the whole package', () => {
  const o = m.readOrders(bytes('shop_export_utf16le.txt'));
  const s = m.summarizeOrders(o.customerIndex, o.days, o.amounts, { calibrationEnd: o.report.lastDay });
  const model = m.repurchaseModel('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
  const seg = m.segmentCustomers(model.probabilityAlive(s.frequency, s.recency, s.T), model.expectedPurchases(30, s.frequency, s.recency, s.T), s.frequency, s.recency, s.T);
  model.free();
  assert.equal(seg.segment.length, o.ids.length);
  assert.equal(seg.summary.reduce((n, g) => n + g.customers, 0), o.ids.length);
});

test('shijing/orders readOrders → shijing/repurchase summarizeOrders, cohortRepurchase, fit and segmentCustomers: the same as the whole package', () => {
  const run = (read, rep) => {
    const o = read.readOrders(bytes('shop_export_gbk.csv'));
    const s = rep.summarizeOrders(o.customerIndex, o.days, o.amounts, { calibrationEnd: o.report.lastDay });
    const c = rep.cohortRepurchase(o.customerIndex, o.days);
    const model = rep.repurchaseModel('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    const seg = rep.segmentCustomers(model.probabilityAlive(s.frequency, s.recency, s.T), model.expectedPurchases(30, s.frequency, s.recency, s.T), s.frequency, s.recency, s.T);
    model.free();
    return { ids: o.ids, f: Array.from(s.frequency), T: Array.from(s.T), rate: c.rate, segment: seg.segment };
  };
  const parts = run(orders, repurchase);
  assert.ok(parts.ids.length > 0);
  assert.deepEqual(parts, run(m, m));
});

test('readOrders groupColumn: per purchase, the value on its order\'s first purchase line', () => {
  const text = '订单编号,买家ID,下单时间,实付款,订单状态,流量来源\n' +
    '1,A,2024-01-01,10,交易关闭,商品卡\n1,A,2024-01-01,10,交易成功,直播间\n1,A,2024-01-01,5,交易成功,短视频\n' +
    '2,B,2024-01-02,8,交易成功,"=""短视频"""\n9,C,2024-01-03,8,交易成功, 直播间 \n3,B,2024-01-04,8,交易成功,\n' +
    '9,C,2024-01-03,8,交易成功,商品卡\n';
  for (const groupColumn of ['流量来源', 5]) {
    const o = m.readOrders(text, { groupColumn });
    assert.deepEqual(o.customers, ['A', 'B', 'C', 'B']);
    assert.deepEqual(o.groups, ['直播间', '短视频', '直播间', '']);
    assert.deepEqual(o.groupLevels, ['直播间', '短视频', '']);
    assert.deepEqual([...o.groupIndex], [0, 1, 0, 2]);
    assert.ok(o.groupIndex instanceof Uint32Array);
    assert.deepEqual(o.report.columns.group, { index: 5, header: '流量来源', by: 'option' });
  }
  const none = m.readOrders(text, { groupColumn: null });
  assert.equal(none.groups, null);
  assert.equal(none.report.columns.group, null);
  // A workbook: long order numbers as exact text.
  const book = m.readOrders(bytes('shop_export.xlsx'), { groupColumn: '订单编号' });
  assert.equal(book.groups.length, book.customers.length);
  assert.ok(book.groups.every((g) => /^\d+$/.test(g)), book.groups.join());
});
