// 回头客 / Repeat customers: an order log (CSV) is read in the worker with a
// progress bar — column mapping with a preview, date-format choice, every
// malformed row listed by line number — then one worker call fits the chosen
// model (BG/NBD, MBG/NBD, Pareto/NBD) and predicts for every customer.
// The file never leaves the browser.
import { t, onLang, fmtCompact, fmtInt, fmtPct, fmtNum, fmtBytes, translate } from '../i18n.js';
import { h, select, card } from '../ui.js';
import { lineChart, COLORS } from '../charts.js';
import { parseDate, dayToIso, DATE_FORMATS } from '../csv.js';

const PARAM_NAMES = { r: 'r', alpha: 'α', a: 'a', b: 'b', s: 's', beta: 'β', p: 'p', q: 'q', v: 'v', gamma: 'γ' };
const COLS = ['id', 'frequency', 'recency', 'T', 'alive', 'p30', 'e30', 'e90', 'spend'];

/** @param {import('../main.js').ViewContext} ctx */
export function createRepeatView({ store, call, meta, onError, errorText }) {
  const root = h('div', { class: 'view view-repeat', id: 'view-repeat', role: 'tabpanel', 'aria-labelledby': 'tab-repeat' });

  // ---- file input
  const fileInput = h('input', { type: 'file', id: 'order-file', accept: '.csv,.tsv,.txt,text/csv,text/plain', class: 'file-input' });
  const drop = h('label', { class: 'drop', id: 'drop-zone' },
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⬆'),
    h('span', { 'data-i18n': 'dropHere' }, t('dropHere')), fileInput);
  const sampleBtn = h('button', { type: 'button', class: 'secondary', id: 'try-sample', 'data-i18n': 'trySample' }, t('trySample'));
  const fileInfo = h('p', { class: 'file-info', id: 'file-info' });
  const privacy = h('p', { class: 'privacy-inline', 'data-i18n': 'privacy' }, t('privacy'));

  // ---- mapping
  const mapCard = h('details', { class: 'card mapping', id: 'mapping', hidden: true, open: true });
  // ---- progress
  const progress = h('progress', { id: 'parse-progress', max: '1', value: '0', 'aria-labelledby': 'parse-status' });
  const progressText = h('span', { id: 'parse-status', 'aria-live': 'polite' });
  const progressBox = h('div', { class: 'progress', hidden: true }, progress, progressText);
  // ---- report
  const report = h('section', { class: 'card report', id: 'parse-report', hidden: true, 'aria-live': 'polite' });
  // ---- model + results
  const modelCard = h('section', { class: 'card model', hidden: true, 'aria-labelledby': 'model-title' });
  const resultsBox = h('div', { class: 'repeat-results', id: 'repeat-results' });

  root.append(
    card('tab_repeat', h('p', { 'data-i18n': 'repeatIntro' }, t('repeatIntro')), privacy,
      h('div', { class: 'file-row' }, drop, sampleBtn), fileInfo, progressBox),
    mapCard, report, modelCard, resultsBox);

  let file = null;
  let info = null;
  let urlMapping = true; // the first file after page load takes its mapping from the URL
  let parsed = null;
  let fit = null;
  let fitError = null;
  let sortKey = store.state.sort, sortDir = store.state.dir;

  // ---- file handling
  async function openFile(f) {
    file = f;
    parsed = null; fit = null; fitError = null;
    report.hidden = true; modelCard.hidden = true; resultsBox.replaceChildren();
    try {
      const r = await call('inspect', (w) => w.inspectOrders(f));
      if (!r) return;
      info = r;
      mapCard.open = true;
      const s = store.state;
      const ok = (j) => j >= 0 && j < r.columns;
      if (urlMapping && (ok(s.cc) || ok(s.dc) || s.df || s.hdr)) {
        if (ok(s.cc)) info.mapping.customer = s.cc;
        if (ok(s.dc)) info.mapping.date = s.dc;
        if (s.ac === -1 || ok(s.ac)) info.mapping.amount = s.ac;
        if (s.df) info.dateFormat = s.df;
        if (s.hdr) info.header = s.hdr === '1';
      }
      urlMapping = false;
      writeMapping();
      renderMapping();
      const confident = info.mapping.customer >= 0 && info.mapping.date >= 0 && info.dateFormat && !info.dateAmbiguous;
      if (confident) parse();
    } catch (e) { onError(e); }
  }
  function writeMapping() {
    store.set({ cc: info.mapping.customer, dc: info.mapping.date, ac: info.mapping.amount, df: info.dateFormat ?? '', hdr: info.header ? '1' : '0' });
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

  // ---- mapping panel
  function renderMapping() {
    if (!info) return;
    fileInfo.textContent = t('fileInfo', { name: info.name, size: fmtBytes(info.size), enc: info.encoding });
    const colOptions = (withNone) => [
      ...(withNone ? [h('option', { value: '-1' }, t('noAmount'))] : []),
      ...info.headers.map((name, j) => h('option', { value: String(j) }, `${j + 1}: ${name}`)),
    ];
    const mk = (id, label, key, withNone) => {
      const sel = h('select', { id }, colOptions(withNone));
      sel.value = String(info.mapping[key]);
      sel.addEventListener('change', () => { info.mapping[key] = Number(sel.value); writeMapping(); renderMapping(); parse(); });
      return h('div', { class: 'ctl' }, h('label', { for: id }, t(label)), sel);
    };
    const hdr = h('input', { type: 'checkbox', id: 'map-header', checked: info.header });
    hdr.addEventListener('change', () => { info.header = hdr.checked; writeMapping(); parse(); });
    const dfSel = h('select', { id: 'map-dateformat' },
      DATE_FORMATS.map((f) => h('option', { value: f }, t(`df_${f}`))));
    dfSel.value = info.dateFormat ?? 'ymd';
    dfSel.addEventListener('change', () => { info.dateFormat = dfSel.value; info.dateAmbiguous = false; writeMapping(); renderMapping(); parse(); });
    const warn = info.dateAmbiguous ? h('p', { class: 'callout warn', id: 'date-ambiguous', role: 'alert' }, t('dateAmbiguous'))
      : !info.dateFormat ? h('p', { class: 'callout warn', role: 'alert' }, t('dateUnknown')) : null;
    const m = info.mapping;
    const previewTable = h('table', { class: 'preview' },
      h('thead', {}, h('tr', {}, info.headers.map((name, j) => h('th', { scope: 'col', class: j === m.customer || j === m.date || j === m.amount ? 'mapped' : '' }, name)))),
      h('tbody', {}, info.preview.map((row) => h('tr', {}, info.headers.map((_, j) => {
        const v = row[j] ?? '';
        if (j !== m.date) return h('td', { class: j === m.customer || j === m.amount ? 'mapped' : '' }, v);
        const d = parseDate(v, dfSel.value);
        return h('td', { class: 'mapped' }, v, h('small', { class: Number.isNaN(d) ? 'bad' : 'ok' }, ` ${Number.isNaN(d) ? t('previewBadDate') : t('previewDate', { d: dayToIso(d) })}`));
      })))));
    const analyse = h('button', { type: 'button', id: 'analyse', 'data-i18n': 'analyse' }, t('analyse'));
    analyse.addEventListener('click', () => { info.dateAmbiguous = false; warn?.remove(); parse(); });
    mapCard.replaceChildren(...[
      h('summary', {}, h('h2', { id: 'mapping-title' }, t('mapping')), h('span', { class: 'help' }, mappingSummary())),
      h('div', { class: 'mapping-grid' },
        mk('map-customer', 'colCustomer', 'customer', false),
        mk('map-date', 'colDate', 'date', false),
        mk('map-amount', 'colAmount', 'amount', true),
        h('div', { class: 'ctl' }, h('label', { for: 'map-dateformat' }, t('dateFormat')), dfSel),
        h('div', { class: 'ctl check' }, hdr, h('label', { for: 'map-header' }, t('hasHeader')))),
      warn,
      h('h3', {}, t('preview')),
      h('div', { class: 'table-scroll' }, previewTable),
      analyse].filter(Boolean));
    mapCard.hidden = false;
  }

  function mappingSummary() {
    const name = (j) => (j >= 0 ? info.headers[j] ?? `#${j + 1}` : t('noAmount'));
    return ` ${t('colCustomer')}: ${name(info.mapping.customer)} · ${t('colDate')}: ${name(info.mapping.date)} (${t(`df_${info.dateFormat ?? 'ymd'}`)}) · ${t('colAmount')}: ${name(info.mapping.amount)}`;
  }

  // ---- parsing
  async function parse() {
    if (!file || !info) return;
    parsed = null; fit = null; fitError = null;
    resultsBox.replaceChildren();
    modelCard.hidden = true;
    report.hidden = true;
    progressBox.hidden = false;
    progress.value = 0;
    progressText.textContent = t('parsing', { loaded: '0', total: fmtBytes(file.size), rows: 0 });
    root.dataset.parsing = '1';
    try {
      const r = await call('parse', (w, job) => w.parseOrders(file, { delimiter: info.delimiter, header: info.header, mapping: info.mapping, dateFormat: info.dateFormat ?? 'ymd', encoding: info.encoding }, job), {
        coalesce: false,
        onProgress: (p) => {
          progress.value = p.loaded / p.total;
          progressText.textContent = t('parsing', { loaded: fmtBytes(p.loaded), total: fmtBytes(p.total), rows: fmtInt(p.rows) });
          window.shijing.progressEvents = (window.shijing.progressEvents ?? 0) + 1;
        },
      });
      if (!r) return;
      parsed = r;
      window.shijing.parsed = r;
      if (r.orders && !r.malformedCount) mapCard.open = false;
      progress.value = 1;
      renderReport();
      renderModel();
      root.dataset.parsed = '1';
      await fitNow();
    } catch (e) { if (e.code !== 'E_CANCELLED') onError(e); } finally { delete root.dataset.parsing; }
  }

  function renderReport() {
    const r = parsed;
    if (!r) return;
    progressText.textContent = t('parsed', { orders: fmtInt(r.orders), customers: fmtInt(r.customers), first: r.firstDate, last: r.lastDate, ms: (r.ms / 1000).toFixed(1) });
    const kids = [];
    if (!r.malformedCount) kids.push(h('p', { class: 'ok', id: 'malformed-summary', 'data-count': '0' }, t('malformedNone')));
    else {
      kids.push(h('p', { class: 'bad', id: 'malformed-summary', 'data-count': String(r.malformedCount) }, t('malformedSome', { n: fmtInt(r.malformedCount) })));
      kids.push(h('ol', { class: 'malformed', id: 'malformed-list' }, r.malformed.map((m) =>
        h('li', { 'data-line': String(m.line), 'data-reason': m.reason }, h('strong', {}, t('line', { n: m.line })), ` ${t(`reason_${m.reason}`)} `, h('code', {}, m.text)))));
      if (r.malformedCount > r.malformed.length) kids.push(h('p', {}, t('malformedMore', { shown: r.malformed.length, n: fmtInt(r.malformedCount) })));
    }
    if (r.blankLines) kids.push(h('p', { class: 'help' }, t('blankLines', { n: r.blankLines })));
    report.replaceChildren(...kids);
    report.hidden = false;
  }

  // ---- model settings (built once; the date input's range follows the file)
  const calInput = h('input', { type: 'date', id: 'cal-end', value: store.state.cal, 'aria-describedby': 'cal-help' });
  calInput.addEventListener('change', () => store.set({ cal: calInput.value }));
  modelCard.append(
    h('h2', { id: 'model-title', 'data-i18n': 'modelSettings' }, t('modelSettings')),
    h('div', { class: 'mapping-grid' },
      select(store, { key: 'model', label: 'model', options: [['bgnbd', 'model_bgnbd'], ['mbgnbd', 'model_mbgnbd'], ['pnbd', 'model_pnbd']] }),
      select(store, { key: 'unit', label: 'unit', options: [['7', 'unit_7'], ['1', 'unit_1']] }),
      h('div', { class: 'ctl' }, h('label', { for: 'cal-end', 'data-i18n': 'calEnd' }, t('calEnd')), calInput,
        h('small', { id: 'cal-help', class: 'help', 'data-i18n': 'calEndHelp' }, t('calEndHelp')))));
  function renderModel() {
    if (!parsed) return;
    calInput.min = parsed.firstDate;
    calInput.max = parsed.lastDate;
    modelCard.hidden = false;
  }

  async function fitNow() {
    if (!parsed) return;
    if (!parsed.orders) { fit = null; fitError = { code: 'E_EMPTY' }; renderResults(); return; }
    const s = store.state;
    resultsBox.replaceChildren(h('p', { class: 'status' }, t('fitting')));
    delete root.dataset.fitted;
    try {
      const r = await call('fit', (w) => w.fitRepeat({ model: s.model, unitDays: Number(s.unit), calibrationEnd: s.cal }));
      if (!r) return;
      fit = r; fitError = null;
      window.shijing.fit = r;
      renderResults();
      root.dataset.fitted = '1';
    } catch (e) {
      fit = null;
      if (e.code === 'E_NO_MODEL' || e.code === 'E_CAL_EARLY' || e.code === 'E_CAL_DATE' || e.code === 'E_EMPTY') { fitError = e; renderResults(); root.dataset.fitted = 'unavailable'; } else {
        // a package error: readable in the page, the parsed orders stay, other settings can be tried
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
    const big = (id, label, value, help) => h('div', { class: 'figure' }, h('span', { class: 'label' }, t(label)), h('output', { id, 'data-value': String(value.raw) }, value.text), help ? h('small', { class: 'help' }, help) : null);
    const figures = h('div', { class: 'figures' },
      big('rate30', 'rate30', { raw: r.rate30, text: fmtPct(r.rate30) }, t('rateHelp', { date: r.calibrationEnd })),
      big('rate90', 'rate90', { raw: r.rate90, text: fmtPct(r.rate90) }),
      big('alive-share', 'aliveShare', { raw: r.aliveShare, text: fmtPct(r.aliveShare) }),
      big('expected30', 'expected30', { raw: r.expected30, text: fmtCompact(r.expected30) }));
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
    resultsBox.replaceChildren(
      card('results',
        h('p', { class: 'answer', id: 'repeat-answer' }, t('repeatAnswer', { n: fmtInt(r.rate30 * r.customers), customers: fmtInt(r.customers), rate: fmtPct(r.rate30) })),
        r.customers < 100 ? h('p', { class: 'callout warn', id: 'few-customers' }, t('fewCustomers', { n: r.customers })) : null, figures),
      h('div', { class: 'charts' },
        h('section', { class: 'card' }, params,
          r.converged === false || r.boundary ? h('p', { class: 'callout warn', id: 'fit-warning' }, `${t('fitWarning')} ${r.message}`) : null, gg),
        h('figure', { class: 'card chart-card' }, h('figcaption', {}, t('chartAlive')), aliveEl),
        r.check ? h('figure', { class: 'card chart-card wide' }, h('figcaption', {}, t('chartHoldout')), holdEl,
          h('p', { class: 'help', id: 'holdout-totals' }, t('holdoutTotals', { a: fmtInt(r.check.totalActual), p: fmtInt(r.check.totalPredicted) }))) : null),
      card('topCustomers', h('p', { class: 'help' }, t('topNote', { n: r.top.length, all: fmtInt(r.customers) })), exportBtn,
        h('div', { class: 'table-scroll tall' }, customerTable())));
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

  function customerTable() {
    const rows = [...fit.top];
    const dir = sortDir === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      if (sortKey === 'id') return dir * String(x).localeCompare(String(y), undefined, { numeric: true });
      return dir * ((x ?? -Infinity) - (y ?? -Infinity));
    });
    const cols = COLS.filter((c) => c !== 'spend' || rows.some((r) => r.spend != null));
    const fmt = { id: String, frequency: fmtInt, recency: (x) => fmtNum(x, 1), T: (x) => fmtNum(x, 1), alive: fmtPct, p30: fmtPct, e30: (x) => fmtNum(x, 2), e90: (x) => fmtNum(x, 2), spend: (x) => (x == null ? '—' : `¥${fmtNum(x, 0)}`) };
    const head = cols.map((c) => {
      const b = h('button', { type: 'button', class: 'sort', 'data-sort': c }, t(`th_${c}`), h('span', { 'aria-hidden': 'true' }, c === sortKey ? (sortDir === 'asc' ? ' ▲' : ' ▼') : ''));
      b.addEventListener('click', () => {
        if (sortKey === c) sortDir = sortDir === 'asc' ? 'desc' : 'asc'; else { sortKey = c; sortDir = c === 'id' ? 'asc' : 'desc'; }
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
      const headers = ['id', 'frequency', 'recency', 'T', 'alive', 'p30', 'p90', 'e30', 'e90', 'spend'].map((c) => t(`th_${c}`));
      const blob = await call('export', (w) => w.exportPredictions({ headers }));
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `shijing-repeat-${fit.model}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
    if (info) renderMapping();
    if (parsed) { renderReport(); renderModel(); }
    renderResults();
  });
  return { root, activate() {}, deactivate() {} };
}
