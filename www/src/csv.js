// Order-log CSV parsing in plain JS (runs in the worker; unit-tested in Node).
// Pieces: delimiter/header/column/date-format detection on a sample, a
// streaming record splitter (quotes may span lines), and row conversion to
// (customer index, day number, amount) with every malformed row reported by
// its line number — never silently dropped.

const DAY_MS = 86_400_000;

/** Splits one physical line into fields (RFC 4180 quotes; delimiter ' ' means runs of whitespace). */
export function splitFields(line, delimiter) {
  if (delimiter === ' ') return line.trim().split(/\s+/);
  if (!line.includes('"')) return line.split(delimiter);
  const out = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field.trim() === '') { quoted = true; field = ''; i++; continue; }
    if (c === delimiter) { out.push(field); field = ''; i++; continue; }
    field += c; i++;
  }
  out.push(field);
  return out;
}

function emit(out, line, text) {
  if (typeof out === 'function') out(line, text);
  else out.push({ line, text });
}

function quotesOpen(text) {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n % 2 === 1;
}

/**
 * A streaming splitter: push text chunks, get back complete records as
 * { line, text } (line = 1-based physical line where the record starts) —
 * pushed onto `out`, or, when `out` is a function, passed as out(line, text)
 * with no object per record. A quoted field may contain newlines; the record
 * then spans several lines.
 */
export class RecordStream {
  constructor() { this.carry = ''; this.line = 0; this.pending = null; this.first = true; }

  push(chunk, final = false, out = []) {
    let text = this.carry + chunk;
    if (this.first && text.length) { if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); this.first = false; }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      let line = text.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = nl + 1;
      this.line++;
      this.#take(line, out);
    }
    this.carry = text.slice(start);
    if (final) {
      if (this.carry.length) { this.line++; let l = this.carry; if (l.endsWith('\r')) l = l.slice(0, -1); this.#take(l, out); }
      this.carry = '';
      if (this.pending) { emit(out, this.pending.line, this.pending.text); this.pending = null; }
    }
    return out;
  }

  #take(line, out) {
    if (this.pending) {
      this.pending.text += '\n' + line;
      if (quotesOpen(line)) { emit(out, this.pending.line, this.pending.text); this.pending = null; }
      return;
    }
    if (line.includes('"') && quotesOpen(line)) { this.pending = { line: this.line, text: line }; return; }
    emit(out, this.line, line);
  }
}

/** Picks the delimiter that splits the sample lines into the most consistent number (≥ 2) of fields. */
export function detectDelimiter(lines) {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 50);
  let best = ',';
  let bestScore = -1;
  for (const d of [',', '\t', ';', '|', ' ']) {
    const counts = sample.map((l) => splitFields(l, d).length);
    if (!counts.length) continue;
    const mode = counts.sort((a, b) => counts.filter((x) => x === b).length - counts.filter((x) => x === a).length)[0];
    if (mode < 2) continue;
    const agree = counts.filter((c) => c === mode).length / counts.length;
    const score = agree * 10 + Math.min(mode, 6) - (d === ' ' ? 5 : 0);
    if (score > bestScore) { bestScore = score; best = d; }
  }
  return best;
}

// ---------- dates ----------

export const DATE_FORMATS = ['ymd', 'compact', 'dmy', 'mdy', 'epoch-s', 'epoch-ms'];

const RE_YMD = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?$/;
const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})(?:[T\s].*)?$/;
const RE_XXY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T\s].*)?$/;
const RE_INT = /^\d+(?:\.\d+)?$/;

const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function civil(y, m, d) {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2200) return NaN;
  const dim = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DIM[m - 1];
  if (d > dim) return NaN;
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function localDay(ms) {
  if (!Number.isFinite(ms)) return NaN;
  const dt = new Date(ms);
  const y = dt.getFullYear();
  if (y < 1900 || y > 2200) return NaN;
  return Date.UTC(y, dt.getMonth(), dt.getDate()) / DAY_MS;
}

/** Day number (days since 1970-01-01; the calendar date as written, or the browser's local date for epoch times) or NaN. */
export function parseDate(raw, format) {
  const s = raw.trim();
  let m;
  switch (format) {
    case 'ymd': return (m = RE_YMD.exec(s)) ? civil(+m[1], +m[2], +m[3]) : NaN;
    case 'compact': return (m = RE_COMPACT.exec(s)) ? civil(+m[1], +m[2], +m[3]) : NaN;
    case 'dmy': return (m = RE_XXY.exec(s)) ? civil(+m[3], +m[2], +m[1]) : NaN;
    case 'mdy': return (m = RE_XXY.exec(s)) ? civil(+m[3], +m[1], +m[2]) : NaN;
    case 'epoch-s': return RE_INT.test(s) && s.split('.')[0].length <= 11 ? localDay(Number(s) * 1000) : NaN;
    case 'epoch-ms': return RE_INT.test(s) && s.split('.')[0].length >= 12 ? localDay(Number(s)) : NaN;
    default: return NaN;
  }
}

/**
 * Which date formats read every non-empty sample value. Returns
 * { format, candidates, ambiguous }: ambiguous when both day-first and
 * month-first read all of them (the page then asks the merchant).
 */
export function detectDateFormat(values) {
  const vals = values.map((v) => String(v ?? '').trim()).filter(Boolean);
  if (!vals.length) return { format: null, candidates: [], ambiguous: false, score: 0 };
  const scores = DATE_FORMATS.map((f) => [f, vals.filter((v) => !Number.isNaN(parseDate(v, f))).length / vals.length]);
  const top = Math.max(...scores.map((s) => s[1]));
  if (top < 0.5) return { format: null, candidates: [], ambiguous: false, score: top };
  let candidates = scores.filter((s) => s[1] === top).map((s) => s[0]);
  // an 8-digit yyyymmdd also reads as epoch seconds in 1970: prefer the calendar reading
  if (candidates.includes('compact')) candidates = candidates.filter((f) => f !== 'epoch-s');
  const ambiguous = candidates.includes('dmy') && candidates.includes('mdy');
  const format = ambiguous ? 'dmy' : candidates[0];
  return { format, candidates, ambiguous, score: top };
}

/** ISO yyyy-mm-dd for a day number. */
export function dayToIso(day) {
  if (!Number.isFinite(day)) return '';
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number for an ISO yyyy-mm-dd (NaN when not a date). */
export function isoToDay(iso) { return parseDate(String(iso ?? ''), 'ymd'); }

// ---------- amounts ----------

const RE_THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A money amount: tolerates ¥ ￥ $ € £ 元 RMB and 1,234.50 thousands separators. */
const RE_PLAIN = /^\d+(\.\d+)?$/;
export function parseAmount(raw) {
  if (typeof raw === 'string' && RE_PLAIN.test(raw)) return Number(raw);
  let s = String(raw ?? '').trim().replace(/^(RMB|CNY)\s*/i, '').replace(/[¥￥$€£]/g, '').replace(/元$/, '').trim();
  if (s === '') return NaN;
  if (RE_THOUSANDS.test(s)) s = s.replace(/,/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

// ---------- header & column guesses ----------

const HEADER_WORDS = {
  customer: /客户|顾客|用户|买家|会员|粉丝|收货人|customer|client|buyer|user|member|cust|^id$|_id$|账号|昵称/i,
  date: /日期|时间|下单|付款时间|date|time|day|created|ordered/i,
  amount: /金额|实付|价格|总价|销售额|支付|amount|price|total|value|revenue|sales|spend|gmv/i,
};

/** Guesses whether the first row is a header, and which columns hold customer, date and amount. */
export function guessColumns(rows) {
  const first = rows[0] ?? [];
  const body = rows.slice(1, 40);
  const isValue = (v) => !Number.isNaN(parseAmount(v)) || DATE_FORMATS.some((f) => !Number.isNaN(parseDate(v, f)));
  const named = first.some((h) => Object.values(HEADER_WORDS).some((re) => re.test(h.trim())));
  const header = named || (first.length > 0 && first.every((v) => v.trim() !== '' && !isValue(v)) && body.some((r) => r.some(isValue)));
  const data = header ? body : rows.slice(0, 40);
  const ncol = Math.max(first.length, ...data.map((r) => r.length));
  const cols = Array.from({ length: ncol }, (_, j) => data.map((r) => r[j] ?? ''));
  const pick = { customer: -1, date: -1, amount: -1 };
  if (header) {
    for (const key of ['date', 'amount', 'customer']) {
      const j = first.findIndex((h, k) => HEADER_WORDS[key].test(h.trim()) && !Object.values(pick).includes(k));
      if (j !== -1) pick[key] = j;
    }
  }
  const dateScore = cols.map((c) => detectDateFormat(c).score);
  if (pick.date === -1) {
    let best = -1;
    dateScore.forEach((s, j) => { if (s >= 0.8 && (best === -1 || s > dateScore[best])) best = j; });
    pick.date = best;
  }
  if (pick.amount === -1) {
    const j = cols.findIndex((c, k) => k !== pick.date && c.length && c.filter((v) => !Number.isNaN(parseAmount(v))).length / c.length >= 0.8 && c.some((v) => /\.\d/.test(v)));
    pick.amount = j;
  }
  if (pick.customer === -1) pick.customer = cols.findIndex((_, k) => k !== pick.date && k !== pick.amount);
  return { header, columns: ncol, ...pick };
}

/**
 * Looks at the start of a file: delimiter, header, column guesses, date
 * format, and up to `previewRows` rows for the mapping preview.
 */
export function inspectText(text, { previewRows = 8 } = {}) {
  const stream = new RecordStream();
  const recs = stream.push(text.slice(0, 256 * 1024), true).filter((r) => r.text.trim() !== '');
  const lines = recs.slice(0, 60).map((r) => r.text);
  const delimiter = detectDelimiter(lines);
  const rows = lines.map((l) => splitFields(l, delimiter).map((v) => v.trim()));
  const guess = guessColumns(rows);
  const dataRows = guess.header ? rows.slice(1) : rows;
  const dates = guess.date >= 0 ? detectDateFormat(dataRows.map((r) => r[guess.date] ?? '')) : { format: null, candidates: [], ambiguous: false };
  return {
    delimiter,
    header: guess.header,
    headers: guess.header ? rows[0] : rows[0]?.map((_, j) => `#${j + 1}`) ?? [],
    columns: guess.columns,
    mapping: { customer: guess.customer, date: guess.date, amount: guess.amount },
    dateFormat: dates.format,
    dateCandidates: dates.candidates,
    dateAmbiguous: dates.ambiguous,
    preview: rows.slice(guess.header ? 1 : 0, (guess.header ? 1 : 0) + previewRows),
    firstLine: recs[0]?.line ?? 1,
  };
}

// ---------- conversion ----------

const MAX_LISTED = 1000;

/**
 * Turns records into orders. Keeps customer ids as indices into `ids`
 * (first-seen order), day numbers and amounts in growable typed arrays.
 * Every rejected record is counted and (up to MAX_LISTED) listed with its
 * line number and reason code.
 */
export class OrderBuilder {
  constructor({ delimiter, header, mapping, dateFormat }) {
    this.delimiter = delimiter;
    this.skipHeader = header;
    this.mapping = mapping;
    this.dateFormat = dateFormat;
    this.index = new Map();
    this.ids = [];
    this.n = 0;
    this.cust = new Uint32Array(1 << 14);
    this.day = new Float64Array(1 << 14);
    this.amount = mapping.amount >= 0 ? new Float64Array(1 << 14) : null;
    this.malformed = [];
    this.malformedCount = 0;
    this.blankLines = 0;
    this.headerSeen = false;
    this.need = Math.max(mapping.customer, mapping.date, mapping.amount) + 1;
    this.dates = new Map(); // order logs repeat the same date strings: parse each once
  }

  #day(raw) {
    let d = this.dates.get(raw);
    if (d === undefined) {
      d = parseDate(raw, this.dateFormat);
      if (this.dates.size > 200_000) this.dates.clear();
      this.dates.set(raw, d);
    }
    return d;
  }

  #bad(line, reason, text) {
    this.malformedCount++;
    if (this.malformed.length < MAX_LISTED) this.malformed.push({ line, reason, text: text.length > 120 ? text.slice(0, 117) + '…' : text });
  }

  #grow() {
    const cap = this.cust.length * 2;
    const c = new Uint32Array(cap); c.set(this.cust); this.cust = c;
    const d = new Float64Array(cap); d.set(this.day); this.day = d;
    if (this.amount) { const a = new Float64Array(cap); a.set(this.amount); this.amount = a; }
  }

  add(records) {
    for (const { line, text } of records) this.addRecord(line, text);
  }

  /** One record (a RecordStream callback: `stream.push(chunk, false, b.addRecord)`). */
  addRecord = (line, text) => {
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) { this.blankLines++; return; }
    if (this.skipHeader && !this.headerSeen) { this.headerSeen = true; return; }
    const { customer, date, amount } = this.mapping;
    const f = this.#fields(text);
    if (f.length < this.need) { this.#bad(line, 'columns', text); return; }
    const id = f[customer].trim();
    if (id === '') { this.#bad(line, 'customer', text); return; }
    const d = this.#day(f[date]);
    if (Number.isNaN(d)) { this.#bad(line, 'date', text); return; }
    let a = 0;
    if (amount >= 0) {
      a = parseAmount(f[amount]);
      if (Number.isNaN(a)) { this.#bad(line, 'amount', text); return; }
      if (a < 0) { this.#bad(line, 'negative', text); return; }
    }
    let k = this.index.get(id);
    if (k === undefined) { k = this.ids.length; this.ids.push(id); this.index.set(id, k); }
    if (this.n === this.cust.length) this.#grow();
    this.cust[this.n] = k;
    this.day[this.n] = d;
    if (this.amount) this.amount[this.n] = a;
    this.n++;
  };

  // the first `need` fields; an unquoted line is cut with indexOf (no full split)
  #scratch = [];
  #fields(text) {
    const dl = this.delimiter;
    if (dl === ' ' || text.includes('"')) return splitFields(text, dl);
    const out = this.#scratch;
    out.length = 0;
    let start = 0;
    while (out.length < this.need) {
      const i = text.indexOf(dl, start);
      if (i === -1) { out.push(text.slice(start)); break; }
      out.push(text.slice(start, i));
      start = i + 1;
    }
    return out;
  }

  /** The orders, trimmed to length, plus the malformed-row report. */
  finish() {
    let first = Infinity, last = -Infinity;
    for (let i = 0; i < this.n; i++) { const d = this.day[i]; if (d < first) first = d; if (d > last) last = d; }
    return {
      ids: this.ids,
      customer: this.cust.slice(0, this.n),
      day: this.day.slice(0, this.n),
      amount: this.amount ? this.amount.slice(0, this.n) : null,
      orders: this.n,
      customers: this.ids.length,
      firstDay: this.n ? first : NaN,
      lastDay: this.n ? last : NaN,
      malformedCount: this.malformedCount,
      malformed: this.malformed,
      blankLines: this.blankLines,
    };
  }
}

/** Parses a whole text in one go (tests, small files). */
export function parseOrdersText(text, settings) {
  const b = new OrderBuilder(settings);
  b.add(new RecordStream().push(text, true));
  return b.finish();
}
