// 回头客 / Repeat customers: an order export (CSV/TSV in UTF-8, GBK or
// UTF-16, or an .xlsx workbook) is read in the worker by the package's
// `readOrders`; the page shows what it read (lines, orders, orders left out
// by rule — closed, refunded —, malformed rows by line number) and lets the
// merchant correct the columns, the date order and the exclusion rules, which
// reads the file again with those options. Then: the shop's own repurchase
// rates (30天复购率 / 90天复购率, by month of first order) beside the fitted
// model's figure for a new customer and the seeds' 莱润 reference; the fit
// (BG/NBD, MBG/NBD, Pareto/NBD) and every customer's predictions; customer
// segments; and "用我的店铺数据模拟", which carries the fit into 我的流量.
// The file never leaves the browser.
import { t, onLang, fmtCompact, fmtInt, fmtPct, fmtNum, fmtBytes, translate } from '../i18n.js';
import { h, select, card } from '../ui.js';
import { lineChart, COLORS } from '../charts.js';
import { setMyShop } from '../myshop.js';
import { encodeBaseline, merchantOf } from '../state.js';

const PARAM_NAMES = { r: 'r', alpha: 'α', a: 'a', b: 'b', s: 's', beta: 'β', p: 'p', q: 'q', v: 'v', gamma: 'γ' };
const COLS = ['id', 'segment', 'frequency', 'recency', 'T', 'alive', 'p30', 'e30', 'e90', 'spend'];
/** The seeds' 莱润 figures (DOMAIN.md): its backend's 30- and 90-day repurchase rates. */
const LAIRUN = { 30: 0.40, 90: 0.76 };
/** The columns a merchant can choose: [report key, readOrders option, label, may be none]. */
const COLUMNS = [
  ['customer', 'customerColumn', 'colCustomer', false],
  ['time', 'timeColumn', 'colTime', false],
  ['amount', 'amountColumn', 'colAmount', true],
  ['order', 'orderColumn', 'colOrder', true],
  ['status', 'statusColumn', 'colStatus', true],
  ['refundStatus', 'refundStatusColumn', 'colRefundStatus', true],
  ['refundAmount', 'refundAmountColumn', 'colRefundAmount', true],
];
const DATE_ORDERS = ['ymd', 'dmy', 'mdy'];
const isoOf = (d) => (Number.isFinite(d) ? new Date(d * 86_400_000).toISOString().slice(0, 10) : '');

/** @param {import('../main.js').ViewContext} ctx */
export function createRepeatView({ store, call, meta, onError, errorText }) {
  const root = h('div', { class: 'view view-repeat', id: 'view-repeat', role: 'tabpanel', 'aria-labelledby': 'tab-repeat' });

  // ---- file input
  const fileInput = h('input', { type: 'file', id: 'order-file', accept: '.csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', class: 'file-input' });
  const drop = h('label', { class: 'drop', id: 'drop-zone' },
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⬆'),
    h('span', { 'data-i18n': 'dropHere' }, t('dropHere')), fileInput);
  const sampleBtn = h('button', { type: 'button', class: 'secondary', id: 'try-sample', 'data-i18n': 'trySample' }, t('trySample'));
  const fileInfo = h('p', { class: 'file-info', id: 'file-info' });
  const privacy = h('p', { class: 'privacy-inline', 'data-i18n': 'privacy' }, t('privacy'));

  // ---- progress (the reader is one call in the worker: its stages, not a fraction)
  const progress = h('progress', { id: 'parse-progress', 'aria-labelledby': 'parse-status' });
  const progressText = h('span', { id: 'parse-status', 'aria-live': 'polite' });
  const progressBox = h('div', { class: 'progress', hidden: true }, progress, progressText);
  // ---- what was read, and the merchant's corrections
  const report = h('section', { class: 'card report', id: 'parse-report', hidden: true, 'aria-live': 'polite' });
  const mapCard = h('details', { class: 'card mapping', id: 'mapping', hidden: true });
  // ---- the shop's own rates (from the file alone), model + results
  const ownBox = h('div', { class: 'own-rates-box', id: 'own-box' });
  const modelCard = h('section', { class: 'card model', hidden: true, 'aria-labelledby': 'model-title' });
  const resultsBox = h('div', { class: 'repeat-results', id: 'repeat-results' });

  root.append(
    card('tab_repeat', h('p', { 'data-i18n': 'repeatIntro' }, t('repeatIntro')), privacy,
      h('div', { class: 'file-row' }, drop, sampleBtn), fileInfo, progressBox),
    report, mapCard, ownBox, modelCard, resultsBox);

  let file = null;
  let opts = {}; // readOrders options the merchant set
  let urlOptions = true; // the first file after page load takes its columns and date order from the URL
  let parsed = null; // the last read (report, cohort rates)
  let held = false; // read, but waiting for the merchant to say how dates read
  let readError = null;
  let fit = null;
  let fitError = null;
  let sortKey = store.state.sort, sortDir = store.state.dir;

  // ---- file handling
  function openFile(f) {
    file = f;
    opts = {};
    if (urlOptions) {
      const s = store.state;
      if (s.cc >= 0) opts.customerColumn = s.cc;
      if (s.dc >= 0) opts.timeColumn = s.dc;
      if (s.ac === -1) opts.amountColumn = null; else if (s.ac >= 0) opts.amountColumn = s.ac;
      if (DATE_ORDERS.includes(s.df)) opts.dateOrder = s.df;
      urlOptions = false;
    } else store.set({ cc: -1, dc: -1, ac: -2, df: '' });
    mapCard.open = false;
    read();
  }
  fileInput.addEventListener('change', () => { if (fileInput.files[0]) openFile(fileInput.files[0]); });
  for (const ev of ['dragenter', 'dragover']) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
  for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); const f = e.dataTransfer?.files?.[0]; if (f) openFile(f); });
  sampleBtn.addEventListener('click', async () => {
    try {
      const res = await fetch('./sample/cdnow_orders.csv');
      const blob = await res.blob();
      openFile(new File([blob], 'cdnow_orders.csv', { type: 'text/csv' }));
    } catch (e) { onError(e); }
  });

  /** Reads the file (again) with the current options. */
  async function read() {
    if (!file) return;
    parsed = null; fit = null; fitError = null; readError = null; held = false;
    resultsBox.replaceChildren();
    ownBox.replaceChildren();
    modelCard.hidden = true;
    progressBox.hidden = false;
    progress.removeAttribute('value');
    progressText.textContent = t('stage_load', { size: fmtBytes(file.size) });
    fileInfo.textContent = `${file.name} · ${fmtBytes(file.size)}`;
    delete root.dataset.parsed;
    delete root.dataset.fitted;
    root.dataset.parsing = '1';
    try {
      // the stages' marks (read-sent … fit-drawn) time the way to predictions on screen
      performance.mark('repeat-read-sent');
      const r = await call('read', (w, job) => w.readOrderFile(file, { ...opts }, job, { model: store.state.model, unitDays: Number(store.state.unit) }), { // fitNow follows
        coalesce: false,
        onProgress: (p) => {
          progressText.textContent = t(`stage_${p.stage}`, { size: fmtBytes(p.total) });
          window.shijing.progressEvents = (window.shijing.progressEvents ?? 0) + 1;
        },
      });
      if (!r) return;
      performance.mark('repeat-read-answered');
      parsed = r;
      window.shijing.parsed = r;
      progress.value = 1;
      progress.max = 1;
      held = r.report.dateOrderAmbiguous && !opts.dateOrder;
      renderReport();
      renderMapping();
      if (held) { mapCard.open = true; root.dataset.parsed = 'held'; return; }
      renderOwn();
      renderModel();
      root.dataset.parsed = '1';
      delete root.dataset.parsing;
      performance.mark('repeat-read-drawn');
      await fitNow();
    } catch (e) {
      if (e.code === 'E_CANCELLED') return;
      readError = e;
      progressBox.hidden = true;
      renderReport();
      root.dataset.parsed = 'error';
    } finally { delete root.dataset.parsing; }
  }

  // ---- the report: every line accounted for
  function renderReport() {
    if (readError) {
      report.replaceChildren(h('h2', {}, t('readTitle')), h('p', { class: 'callout warn', id: 'read-error', role: 'alert' }, t('readFailed', { msg: readError.message ?? String(readError) })));
      report.hidden = false;
      return;
    }
    const r = parsed;
    if (!r) return;
    const p = r.report;
    const where = p.format === 'xlsx' ? t('formatXlsx', { sheet: p.sheet ?? '' }) : t('formatCsv', { enc: (p.encoding ?? 'utf-8').toUpperCase() });
    fileInfo.textContent = `${r.name} · ${fmtBytes(r.size)} · ${where}`;
    progressText.textContent = t('parsed', { orders: fmtInt(r.purchases), customers: fmtInt(r.customers), first: r.firstDate || '—', last: r.lastDate || '—', ms: (r.ms / 1000).toFixed(1) });
    const num = (id, v) => h('strong', { id, 'data-value': String(v) }, fmtInt(v));
    const kids = [
      h('h2', {}, t('readTitle')),
      h('p', { class: 'read-summary' },
        t('readLines'), ' ', num('read-lines', p.lines), ' ', t('readLinesUnit'), ' → ',
        num('read-orders', p.orders), ' ', t('readOrdersUnit'), ' → ',
        t('readPurchases'), ' ', num('read-purchases', p.purchases), ' ', t('readPurchasesUnit'), t('readCustomers', { n: fmtInt(p.customers) })),
    ];
    const ex = [];
    if (p.excluded.closed || p.excludedLines.closed) ex.push(h('li', { id: 'excluded-closed', 'data-orders': String(p.excluded.closed), 'data-lines': String(p.excludedLines.closed) }, t('excludedClosed', { n: fmtInt(p.excluded.closed), lines: fmtInt(p.excludedLines.closed) })));
    if (p.excluded.refunded || p.excludedLines.refunded) ex.push(h('li', { id: 'excluded-refunded', 'data-orders': String(p.excluded.refunded), 'data-lines': String(p.excludedLines.refunded) }, t('excludedRefunded', { n: fmtInt(p.excluded.refunded), lines: fmtInt(p.excludedLines.refunded) })));
    if (p.partiallyRefunded) ex.push(h('li', { id: 'partial-refunds', 'data-value': String(p.partiallyRefunded) }, t('partialRefunds', { n: fmtInt(p.partiallyRefunded), v: fmtNum(p.refundsSubtracted, 2) })));
    if (p.unreadOrders) ex.push(h('li', { id: 'unread-orders' }, t('unreadOrders', { n: fmtInt(p.unreadOrders) })));
    if (p.unknownRefundAmounts) ex.push(h('li', {}, t('unknownRefunds', { n: fmtInt(p.unknownRefundAmounts) })));
    if (!p.columns.order) ex.push(h('li', { class: 'help' }, t('noOrderColumn')));
    if (ex.length) kids.push(h('ul', { class: 'read-rules', id: 'read-rules' }, ex));
    if (!p.malformed) kids.push(h('p', { class: 'ok', id: 'malformed-summary', 'data-count': '0' }, t('malformedNone')));
    else {
      kids.push(h('p', { class: 'bad', id: 'malformed-summary', 'data-count': String(p.malformed) }, t('malformedSome', { n: fmtInt(p.malformed) })));
      kids.push(h('ol', { class: 'malformed', id: 'malformed-list' }, p.malformedRows.map((m) =>
        h('li', { 'data-line': String(m.line), 'data-reason': m.reason }, h('strong', {}, t('line', { n: m.line })), ` ${t(`reason_${m.reason}`)} `, m.value ? h('code', {}, m.value) : null))));
      if (p.malformed > p.malformedRows.length) kids.push(h('p', {}, t('malformedMore', { shown: p.malformedRows.length, n: fmtInt(p.malformed) })));
    }
    if (p.blankLines) kids.push(h('p', { class: 'help' }, t('blankLines', { n: p.blankLines })));
    if (p.skippedLines) kids.push(h('p', { class: 'help' }, t('skippedLines', { n: p.skippedLines })));
    for (const w of p.warnings) kids.push(h('p', { class: 'callout warn' }, w));
    if (held) kids.push(h('p', { class: 'callout warn', id: 'date-ambiguous', role: 'alert' }, t('dateAmbiguous')));
    const fix = h('button', { type: 'button', class: 'secondary', id: 'open-mapping' }, t('fixReading'));
    fix.addEventListener('click', () => { mapCard.open = true; mapCard.scrollIntoView({ block: 'nearest' }); });
    kids.push(fix);
    report.replaceChildren(...kids);
    report.hidden = false;
  }

  // ---- columns, date order and rules: a change reads the file again
  function reread(patch, urlPatch) {
    Object.assign(opts, patch);
    if (urlPatch) store.set(urlPatch);
    mapCard.open = true;
    read();
  }
  function renderMapping() {
    const r = parsed;
    if (!r) { mapCard.hidden = true; return; }
    const p = r.report;
    const names = p.headers.length ? p.headers : Array.from({ length: p.width }, (_, j) => t('columnN', { n: j + 1 }));
    const colSelect = ([key, option, label, optional]) => {
      const id = `map-${key}`;
      const cur = p.columns[key];
      const sel = h('select', { id },
        optional ? h('option', { value: '-1' }, t('noColumn')) : null,
        names.map((name, j) => h('option', { value: String(j) }, `${j + 1}: ${name}`)));
      sel.value = String(cur ? cur.index : -1);
      sel.addEventListener('change', () => {
        const j = Number(sel.value);
        const url = key === 'customer' ? { cc: j } : key === 'time' ? { dc: j } : key === 'amount' ? { ac: j } : null;
        reread({ [option]: j >= 0 ? j : null }, url);
      });
      return h('div', { class: 'ctl' }, h('label', { for: id }, t(label)), sel,
        h('small', { class: 'help' }, cur ? t(`by_${cur.by}`) : t('notFound')));
    };
    const dateSel = h('select', { id: 'map-dateformat' }, DATE_ORDERS.map((d) => h('option', { value: d }, t(`df_${d}`))));
    dateSel.value = opts.dateOrder ?? p.dateOrder;
    dateSel.addEventListener('change', () => reread({ dateOrder: dateSel.value }, { df: dateSel.value }));
    const rule = (id, option, label) => {
      const box = h('input', { type: 'checkbox', id, checked: opts[option] !== false });
      box.addEventListener('change', () => reread({ [option]: box.checked }));
      return h('div', { class: 'ctl check' }, box, h('label', { for: id }, t(label)));
    };
    // the status values found, each with the rule it meets; changing one replaces that rule's list
    const statusRows = p.statuses.map((s) => {
      const sel = h('select', { 'data-status': s.value, 'data-column': s.column, 'aria-label': t('statusRuleAria', { v: s.value }) },
        h('option', { value: '' }, t('rule_none')), h('option', { value: 'closed' }, t('rule_closed')), h('option', { value: 'refunded' }, t('rule_refunded')));
      sel.value = s.rule ?? '';
      sel.addEventListener('change', () => {
        const rules = p.statuses.map((x) => [x, x === s ? sel.value : x.rule ?? '']);
        const closed = [...new Set(rules.filter(([x, v]) => v === 'closed' && x.column === 'status').map(([x]) => x.value))];
        const refunded = [...new Set(rules.filter(([, v]) => v === 'refunded').map(([x]) => x.value))];
        reread({ closedStatuses: closed, refundedStatuses: refunded });
      });
      return h('tr', {}, h('td', {}, t(s.column === 'status' ? 'colStatus' : 'colRefundStatus')), h('td', {}, s.value), h('td', { class: 'num' }, fmtInt(s.lines)), h('td', {}, sel));
    });
    mapCard.replaceChildren(...[
      h('summary', {}, h('h2', { id: 'mapping-title' }, t('mapping')), h('span', { class: 'help' }, ` ${mappingSummary(p)}`)),
      h('div', { class: 'mapping-grid' }, ...COLUMNS.map(colSelect),
        h('div', { class: 'ctl' }, h('label', { for: 'map-dateformat' }, t('dateFormat')), dateSel,
          h('small', { class: 'help' }, p.dateOrderAmbiguous ? t('dateGuess') : t('dateSure')))),
      h('h3', {}, t('rulesTitle')),
      h('div', { class: 'mapping-grid' },
        rule('rule-closed', 'excludeClosed', 'excludeClosedLabel'),
        rule('rule-refunded', 'excludeRefunded', 'excludeRefundedLabel'),
        rule('rule-subtract', 'subtractRefunds', 'subtractRefundsLabel')),
      statusRows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'statuses', id: 'status-table' },
        h('caption', {}, t('statusTable')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('statusColumn')), h('th', { scope: 'col' }, t('statusValue')), h('th', { scope: 'col' }, t('statusLines')), h('th', { scope: 'col' }, t('statusRule')))),
        h('tbody', {}, statusRows))) : h('p', { class: 'help' }, t('noStatusColumn')),
    ]);
    mapCard.hidden = false;
  }
  function mappingSummary(p) {
    const name = (c) => (c ? c.header || t('columnN', { n: c.index + 1 }) : t('noColumn'));
    return `${t('colCustomer')}：${name(p.columns.customer)} · ${t('colTime')}：${name(p.columns.time)} · ${t('colAmount')}：${name(p.columns.amount)} · ${t('colOrder')}：${name(p.columns.order)}`;
  }

  // ---- the shop's own repurchase rates (the file alone), and the model's figure beside them once fitted
  function renderOwn() {
    const c = parsed?.cohort;
    if (!c) { ownBox.replaceChildren(); return; }
    const rows = c.windows.map((w, k) => {
      const obs = c.rate[k];
      const model = fit ? (w === 30 ? fit.newChance30 : w === 90 ? fit.newChance90 : null) : null;
      const ref = LAIRUN[w];
      const label = w === 30 ? 'rate30Cohort' : 'rate90Cohort';
      const pos = (x) => `${Math.max(0, Math.min(1, x)) * 100}%`;
      const bar = h('div', { class: 'rate-track', 'aria-hidden': 'true' },
        obs != null ? h('div', { class: 'rate-bar', style: `width:${pos(obs)}` }) : null,
        model != null && Number.isFinite(model) ? h('div', { class: 'rate-mark model', style: `left:${pos(model)}`, title: t(`modelNew${w}`) }) : null,
        ref != null ? h('div', { class: 'rate-mark ref', style: `left:${pos(ref)}`, title: t('lairunRef', { w, v: fmtPct(ref, 0) }) }) : null);
      return h('div', { class: 'own-rate', 'data-window': String(w) },
        h('div', { class: 'figure' },
          h('span', { class: 'label term', title: t(`ownRate${w}Help`), tabindex: '0' }, t(label)),
          h('output', { id: `obs-rate${w}`, 'data-value': String(obs) }, obs == null ? '—' : fmtPct(obs)),
          h('small', { class: 'help' }, obs == null ? t('obsNone', { w }) : t('obsCounts', { r: fmtInt(c.repeated[k]), e: fmtInt(c.eligible[k]) }))),
        bar,
        h('p', { class: 'own-compare' },
          model != null && Number.isFinite(model)
            ? h('span', { class: 'model' }, h('span', { class: 'swatch model', 'aria-hidden': 'true' }), `${t(`modelNew${w}`)} `, h('output', { id: `model-new${w}`, 'data-value': String(model) }, fmtPct(model)))
            : null,
          ref != null ? h('span', { class: 'ref' }, h('span', { class: 'swatch ref', 'aria-hidden': 'true' }), t('lairunRef', { w, v: fmtPct(ref, 0) })) : null));
    });
    const heat = (x) => (x == null ? '' : `background: rgba(217, 72, 15, ${(0.08 + 0.6 * Math.min(1, x)).toFixed(2)})`);
    const cohortTable = h('table', { class: 'cohorts', id: 'cohort-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('cohortMonth')), h('th', { scope: 'col' }, t('cohortCustomers')),
        c.windows.map((w) => h('th', { scope: 'col' }, w === 30 ? t('rate30Cohort') : w === 90 ? t('rate90Cohort') : `${w}`)))),
      h('tbody', {}, c.cohorts.map((m) => h('tr', { 'data-month': m.month },
        h('th', { scope: 'row' }, m.month), h('td', { class: 'num' }, fmtInt(m.customers)),
        c.windows.map((w, k) => h('td', { class: 'num heat', style: heat(m.rate[k]), 'data-value': String(m.rate[k]), title: m.rate[k] == null ? t('obsNone', { w }) : t('obsCounts', { r: fmtInt(m.repeated[k]), e: fmtInt(m.eligible[k]) }) },
          m.rate[k] == null ? '—' : fmtPct(m.rate[k], 0)))))));
    ownBox.replaceChildren(
      h('section', { class: 'card own-rates', id: 'own-rates' },
        h('h2', {}, t('ownRatesTitle')),
        h('p', { class: 'help' }, t('ownRatesIntro', { end: c.end, n: fmtInt(c.customers) })),
        h('div', { class: 'own-rows' }, rows),
        fit ? h('p', { class: 'help', id: 'model-fit-note' }, t('modelFitNote')) : null,
        h('details', { class: 'how' }, h('summary', {}, t('cohortTableTitle')),
          h('div', { class: 'table-scroll' }, cohortTable))));
  }

  // ---- model settings (built once; the date input's range follows the file)
  const calInput = h('input', { type: 'date', id: 'cal-end', value: store.state.cal, 'aria-describedby': 'cal-help' });
  // a categorical column of the file as a covariate (e.g. 流量来源): choosing one reads the file again with it
  const groupSel = h('select', { id: 'group-column', 'aria-describedby': 'group-help' });
  const groupHelp = h('small', { id: 'group-help', class: 'help', 'data-i18n': 'groupHelp' }, t('groupHelp'));
  const groupLabel = h('label', { for: 'group-column', 'data-i18n': 'groupColumn' }, t('groupColumn'));
  groupSel.addEventListener('change', () => {
    const j = Number(groupSel.value);
    if (j >= 0) opts.groupColumn = j; else delete opts.groupColumn;
    read();
  });
  calInput.addEventListener('change', () => store.set({ cal: calInput.value }));
  modelCard.append(
    h('h2', { id: 'model-title', 'data-i18n': 'modelSettings' }, t('modelSettings')),
    h('div', { class: 'mapping-grid' },
      select(store, { key: 'model', label: 'model', options: [['bgnbd', 'model_bgnbd'], ['mbgnbd', 'model_mbgnbd'], ['pnbd', 'model_pnbd']] }),
      select(store, { key: 'unit', label: 'unit', options: [['7', 'unit_7'], ['1', 'unit_1']] }),
      h('div', { class: 'ctl' }, h('label', { for: 'cal-end', 'data-i18n': 'calEnd' }, t('calEnd')), calInput,
        h('small', { id: 'cal-help', class: 'help', 'data-i18n': 'calEndHelp' }, t('calEndHelp'))),
      h('div', { class: 'ctl' }, groupLabel, groupSel, groupHelp)));
  function renderModel() {
    if (!parsed) return;
    calInput.min = parsed.firstDate;
    calInput.max = parsed.lastDate;
    // the file's other columns (not the customer, time, amount or order number)
    const p = parsed.report;
    const used = new Set(['customer', 'time', 'amount', 'order', 'refundAmount'].map((k) => p.columns[k]?.index).filter((i) => i != null));
    const names = p.headers.length ? p.headers : Array.from({ length: p.width }, (_, j) => t('columnN', { n: j + 1 }));
    groupSel.replaceChildren(h('option', { value: '-1' }, t('noGroup')),
      ...names.map((name, j) => (used.has(j) ? null : h('option', { value: String(j) }, `${j + 1}: ${name || t('columnN', { n: j + 1 })}`))).filter(Boolean));
    groupSel.value = String(p.columns.group ? p.columns.group.index : -1);
    modelCard.hidden = false;
  }

  async function fitNow() {
    if (!parsed || held) return;
    if (!parsed.purchases) { fit = null; fitError = { code: 'E_EMPTY' }; renderResults(); root.dataset.fitted = 'unavailable'; return; }
    const s = store.state;
    resultsBox.replaceChildren(h('p', { class: 'status' }, t('fitting')));
    delete root.dataset.fitted;
    try {
      const g = parsed.report.columns.group;
      const group = g ? g.header || t('columnN', { n: g.index + 1 }) : null;
      performance.mark('repeat-fit-sent');
      const r = await call('fit', (w) => w.fitRepeat({ model: s.model, unitDays: Number(s.unit), calibrationEnd: s.cal, group }));
      if (!r) return;
      performance.mark('repeat-fit-answered');
      fit = r; fitError = null;
      window.shijing.fit = r;
      renderOwn();
      renderResults();
      performance.mark('repeat-fit-drawn');
      // the frame that shows them: marked once it is produced (a task after its animation frame)
      requestAnimationFrame(() => setTimeout(() => performance.mark('repeat-fit-painted')));
      root.dataset.fitted = '1';
    } catch (e) {
      fit = null;
      renderOwn();
      if (e.code === 'E_NO_MODEL' || e.code === 'E_CAL_EARLY' || e.code === 'E_CAL_DATE' || e.code === 'E_EMPTY') { fitError = e; renderResults(); root.dataset.fitted = 'unavailable'; } else {
        // a package error: readable in the page, the orders read stay, other settings can be tried
        fitError = e; renderResults(); root.dataset.fitted = 'error'; onError(e);
      }
    }
  }

  // ---- results
  let charts = [];
  function renderResults() {
    for (const c of charts) c.destroy();
    charts = [];
    if (fitError) { resultsBox.replaceChildren(h('p', { class: 'notice', id: 'fit-notice' }, errorText(fitError))); return; }
    const r = fit;
    if (!r) { resultsBox.replaceChildren(); return; }
    const unitName = t(`unit_${r.unitDays}`);
    // a figure with its 90% range when the fit gives one: "18.0%（16.2%–19.9%）"
    const ranged = (key, fmt) => {
      const range = r.ranges?.[key];
      const text = range ? `${fmt(r[key])}（${fmt(range[0])}–${fmt(range[1])}）` : fmt(r[key]);
      return { raw: r[key], text, range };
    };
    const big = (id, label, value, help) => h('div', { class: 'figure' }, h('span', { class: 'label' }, t(label)),
      h('output', { id, 'data-value': String(value.raw), ...(value.range ? { 'data-low': String(value.range[0]), 'data-high': String(value.range[1]) } : {}) }, value.text),
      help ? h('small', { class: 'help' }, help) : null);
    const figures = h('div', { class: 'figures' },
      big('buyingNext30', 'buyingNext30', ranged('buyingNext30', fmtPct), t('rateHelp', { date: r.calibrationEnd })),
      big('buyingNext90', 'buyingNext90', ranged('buyingNext90', fmtPct)),
      big('alive-share', 'aliveShare', ranged('aliveShare', fmtPct)),
      big('expected30', 'expected30', ranged('expected30', fmtCompact)));
    const rangeNote = r.ranges && !r.ranges.error ? h('p', { class: 'help', id: 'ranges-help' }, t('rangesHelp', { level: Math.round(100 * r.ranges.level) })) : null;
    const params = h('table', { class: 'params', id: 'fit-params' },
      h('caption', {}, `${t('params')} · ${t(`model_${r.model}`)} · ${t('paramsUnit', { u: unitName })}`),
      h('tbody', {},
        Object.entries(r.params).map(([k, v]) => h('tr', { 'data-param': k }, h('th', { scope: 'row' }, PARAM_NAMES[k] ?? k), h('td', { 'data-value': String(v) }, fmtNum(v, 4)))),
        h('tr', {}, h('th', { scope: 'row' }, t('logLik')), h('td', {}, fmtNum(r.logLikelihood, 2))),
        h('tr', {}, h('th', { scope: 'row' }, t('converged')), h('td', {}, r.converged === false ? t('no') : t('yes')))));
    const gg = r.gg?.error ? h('p', { class: 'help' }, `${t('ggParams')}: ${r.gg.error}`) : r.gg?.params ? h('table', { class: 'params' }, h('caption', {}, t('ggParams')),
      h('tbody', {}, Object.entries(r.gg.params).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, PARAM_NAMES[k] ?? k), h('td', {}, fmtNum(v, 4)))))) : null;
    const aliveEl = h('div', { class: 'chart', id: 'chart-alive' });
    const holdEl = r.check ? h('div', { class: 'chart', id: 'chart-holdout' }) : null;
    const exportBtn = h('button', { type: 'button', id: 'export-csv', 'data-i18n': 'exportCsv' }, t('exportCsv'));
    exportBtn.addEventListener('click', exportCsv);
    const shopBtn = h('button', { type: 'button', id: 'use-my-shop' }, t('useMyShop'));
    shopBtn.addEventListener('click', useMyShop);
    resultsBox.replaceChildren(...[ // (replaceChildren writes a null as the text "null")
      card('results',
        h('p', { class: 'answer', id: 'repeat-answer' }, t('repeatAnswer', { n: fmtInt(r.buyingNext30 * r.customers), customers: fmtInt(r.customers), rate: fmtPct(r.buyingNext30) })),
        r.customers < 100 ? h('p', { class: 'callout warn', id: 'few-customers' }, t('fewCustomers', { n: r.customers })) : null, figures, rangeNote),
      r.covariates ? covariatesCard(r.covariates) : null,
      segmentsCard(r),
      h('section', { class: 'card my-shop-action' }, h('h2', {}, t('myShopActionTitle')), h('p', {}, t('myShopActionText')), shopBtn),
      h('div', { class: 'charts' },
        h('section', { class: 'card' }, params,
          r.converged === false || r.boundary ? h('p', { class: 'callout warn', id: 'fit-warning' }, `${t('fitWarning')} ${r.message}`) : null, gg),
        h('figure', { class: 'card chart-card' }, h('figcaption', {}, t('chartAlive')), aliveEl),
        r.check ? h('figure', { class: 'card chart-card wide' }, h('figcaption', {}, t('chartHoldout')), holdEl,
          h('p', { class: 'help', id: 'holdout-totals' }, t('holdoutTotals', { a: fmtInt(r.check.totalActual), p: fmtInt(r.check.totalPredicted) }))) : null),
      card('topCustomers', h('p', { class: 'help' }, t('topNote', { n: r.top.length, all: fmtInt(r.customers) })), exportBtn,
        h('div', { class: 'table-scroll tall' }, customerTable()))].filter(Boolean));
    charts.push(lineChart(aliveEl, [{ label: t('customersAxis'), color: COLORS.privateExposure }],
      { name: 'alive', bars: true, xLabel: t('aliveX'), xRange: [0, 1], percentX: true, height: 220 }));
    charts[0].setData([r.hist.x, r.hist.y]);
    if (holdEl) {
      const c = lineChart(holdEl, [{ label: t('holdoutActual'), color: COLORS.grey }, { label: t('holdoutPredicted'), color: COLORS.publicExposure, dash: [6, 4] }],
        { name: 'holdout', xLabel: t('holdoutX'), height: 240, points: true, xInt: true });
      c.setData([r.check.x, r.check.actual, r.check.predicted]);
      charts.push(c);
    }
  }

  /** 按渠道比较: per level of the chosen column, how much it lifts purchase rate and retention. */
  function covariatesCard(c) {
    const nameOf = (l) => (l.kind === 'other' ? t('levelOther') : l.kind === 'empty' ? t('levelEmpty') : l.label);
    const kids = [h('h2', {}, t('covTitle', { column: c.column }))];
    if (c.error) {
      kids.push(h('p', { class: 'notice', id: 'cov-error' }, c.error === 'one' ? t('covOneLevel', { min: c.minCustomers }) : t('covFailed', { msg: c.message ?? '' })));
      return h('section', { class: 'card covariates', id: 'covariates', 'data-error': c.error }, kids);
    }
    const ref = c.levels.find((l) => l.reference);
    const refName = nameOf(ref);
    const range = (x) => `${fmtNum(x.low, 2)}–${fmtNum(x.high, 2)}`;
    const lift = (x, id) => {
      if (!x) return h('td', { class: 'num' }, t('covRef'));
      if (x.state !== 'ok') return h('td', { class: 'num cov-na', 'data-state': x.state, 'data-lift-id': id }, t(`covState_${x.state}`));
      return h('td', { class: 'num', 'data-lift': String(x.lift), 'data-low': String(x.low), 'data-high': String(x.high) },
        h('strong', {}, `×${fmtNum(x.lift, 2)}`), h('small', { class: 'help' }, ` (${range(x)})`));
    };
    const pnbd = c.model === 'pnbd';
    const rows = c.levels.map((l) => h('tr', { 'data-level': l.kind === 'level' ? l.label : l.kind, 'data-reference': l.reference ? '1' : '0', 'data-customers': String(l.customers) },
      h('th', { scope: 'row' }, nameOf(l), l.reference ? h('small', { class: 'help' }, ` ${t('covRefTag')}`) : null),
      h('td', { class: 'num' }, fmtInt(l.customers)),
      lift(l.purchase, 'purchase'),
      h('td', { class: 'num', 'data-new90': String(l.new90) }, fmtPct(l.new90, 0),
        l.reference ? null : h('small', { class: 'help' }, ` ${t('covVsRef', { v: fmtPct(ref.new90, 0) })}`)),
      pnbd ? lift(l.dropout, 'dropout') : null));
    kids.push(h('p', { class: 'help' }, t('covIntro', { ref: refName })));
    // one plain sentence per level: its purchase-rate lift against the reference
    const lines = c.levels.filter((l) => !l.reference).map((l) => {
      const x = l.purchase;
      const key = !x || x.state !== 'ok' ? 'covLineNa' : x.low > 1 || x.high < 1 ? 'covLine' : 'covLineUnclear';
      return h('li', { 'data-level': l.kind === 'level' ? l.label : l.kind },
        t(key, { level: l.kind === 'other' ? t('levelOtherLine') : nameOf(l), ref: refName, x: x ? fmtNum(x.lift, 1) : '', range: x ? range(x) : '', p: fmtPct(l.new90, 0), pref: fmtPct(ref.new90, 0) }));
    });
    kids.push(h('ul', { class: 'cov-lines', id: 'cov-lines' }, lines));
    kids.push(h('div', { class: 'table-scroll' }, h('table', { class: 'cov-table', id: 'cov-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, c.column), h('th', { scope: 'col' }, t('covCustomers')),
        h('th', { scope: 'col' }, t('covPurchase')), h('th', { scope: 'col' }, t('covNew90')), pnbd ? h('th', { scope: 'col' }, t('covDropout')) : null)),
      h('tbody', {}, rows))));
    const notes = [t('covRangeNote'), pnbd ? t('covDropoutNote') : t('covBgNote')];
    if (c.folded.length) notes.push(t('covFolded', { min: c.minCustomers, levels: c.folded.map((x) => x || t('levelEmpty')).join('、') }));
    kids.push(...notes.map((n) => h('p', { class: 'help' }, n)));
    // the package's own words (English) kept for whoever wants them: on hover, and in the page's data
    const message = c.message.replaceAll('\u0000other', t('levelOther')).replaceAll('\u0000empty', t('levelEmpty'));
    if (c.boundary || !c.converged) kids.push(h('p', { class: 'callout warn', id: 'cov-warning', title: message, 'data-message': message }, t(c.converged ? 'covBoundary' : 'covNotConverged')));
    return h('section', { class: 'card covariates', id: 'covariates', 'data-reference': ref.kind === 'level' ? ref.label : ref.kind }, kids);
  }

  function segmentsCard(r) {
    const total = r.segments.reduce((n, g) => n + g.customers, 0) || 1;
    const hasValue = r.segments.some((g) => g.value != null);
    return h('section', { class: 'card segments', id: 'segments' },
      h('h2', {}, t('segmentsTitle')),
      h('p', { class: 'help' }, t('segmentsIntro')),
      h('div', { class: 'table-scroll' }, h('table', { class: 'segments-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('segmentCol')), h('th', { scope: 'col' }, t('segmentCustomers')), h('th', { scope: 'col' }, t('segmentExpected')),
          hasValue ? h('th', { scope: 'col' }, t('segmentValue')) : null)),
        h('tbody', {}, r.segments.map((g) => h('tr', { 'data-segment': g.segment, 'data-customers': String(g.customers), 'data-value': String(g.value) },
          h('th', { scope: 'row' }, h('span', { class: `seg seg-${g.segment}` }, t(`seg_${g.segment}`)), h('small', { class: 'help seg-do' }, t(`segDo_${g.segment}`))),
          h('td', { class: 'num' }, `${fmtInt(g.customers)}`, h('small', { class: 'help' }, ` (${fmtPct(g.customers / total, 0)})`)),
          h('td', { class: 'num' }, fmtNum(g.expectedPurchases, 1)),
          hasValue ? h('td', { class: 'num' }, g.value == null ? '—' : `¥${fmtCompact(g.value)}`) : null))))),
      hasValue ? h('p', { class: 'help' }, t(r.gg?.params ? 'segmentValueGg' : 'segmentValueAvg')) : null);
  }

  function customerTable() {
    const rows = [...fit.top];
    const dir = sortDir === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      if (sortKey === 'id' || sortKey === 'segment') return dir * String(x).localeCompare(String(y), undefined, { numeric: true });
      return dir * ((x ?? -Infinity) - (y ?? -Infinity));
    });
    const cols = COLS.filter((c) => c !== 'spend' || rows.some((r) => r.spend != null));
    const fmt = { id: String, segment: (s) => t(`seg_${s}`), frequency: fmtInt, recency: (x) => fmtNum(x, 1), T: (x) => fmtNum(x, 1), alive: fmtPct, p30: fmtPct, e30: (x) => fmtNum(x, 2), e90: (x) => fmtNum(x, 2), spend: (x) => (x == null ? '—' : `¥${fmtNum(x, 0)}`) };
    const head = cols.map((c) => {
      const b = h('button', { type: 'button', class: 'sort', 'data-sort': c }, t(`th_${c}`), h('span', { 'aria-hidden': 'true' }, c === sortKey ? (sortDir === 'asc' ? ' ▲' : ' ▼') : ''));
      b.addEventListener('click', () => {
        if (sortKey === c) sortDir = sortDir === 'asc' ? 'desc' : 'asc'; else { sortKey = c; sortDir = c === 'id' || c === 'segment' ? 'asc' : 'desc'; }
        store.set({ sort: sortKey, dir: sortDir });
        const wrap = resultsBox.querySelector('#customer-table').parentElement;
        wrap.replaceChildren(customerTable());
        wrap.querySelector(`button[data-sort="${c}"]`)?.focus();
      });
      return h('th', { scope: 'col', 'aria-sort': c === sortKey ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none' }, b);
    });
    return h('table', { class: 'customers', id: 'customer-table' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) => h('td', { 'data-col': c }, fmt[c](r[c])))))));
  }

  async function exportCsv() {
    try {
      const headers = ['id', 'segment', 'frequency', 'recency', 'T', 'alive', 'p30', 'p90', 'e30', 'e90', 'spend'].map((c) => t(`th_${c}`));
      const segmentNames = Object.fromEntries(['active', 'winBack', 'lost', 'new'].map((s) => [s, t(`seg_${s}`)]));
      const blob = await call('export', (w) => w.exportPredictions({ headers, segmentNames }));
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `shijing-repeat-${fit.model}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) { onError(e); }
  }

  /** "用我的店铺数据模拟": the fit, the customers and the order value into 我的流量, starting from the shop's own average order. */
  async function useMyShop() {
    if (!fit || !parsed) return;
    try {
      const price = fit.averageAmount > 0 ? Math.round(Math.min(5000, Math.max(1, fit.averageAmount))) : null;
      // the sliders start from the shop's own figures (its average order), that start is where the fitted
      // process is the shop's own, and it is pinned to compare against
      if (meta.sim && price != null) store.set({ price });
      const info = await call('myshop', (w) => w.useMyShop({ start: merchantOf(store.state) }));
      if (!info) return;
      if (meta.sim) store.set({ base: encodeBaseline(store.state) });
      setMyShop({ ...info, file: parsed.name, price });
      store.set({ v: 'traffic' });
      // what came from the data, in view (on a phone it is below the sliders)
      document.getElementById('my-shop')?.scrollIntoView({ block: 'start' });
    } catch (e) { onError(e); }
  }

  store.subscribe((changed) => {
    if (changed.some((k) => k === 'model' || k === 'unit' || k === 'cal')) {
      if (calInput.value !== store.state.cal) calInput.value = store.state.cal;
      if (parsed) fitNow();
    }
  });
  onLang(() => {
    translate(root);
    if (parsed || readError) { renderReport(); renderMapping(); }
    if (parsed && !held) { renderOwn(); renderModel(); }
    renderResults();
  });
  return { root, activate() {}, deactivate() {} };
}
