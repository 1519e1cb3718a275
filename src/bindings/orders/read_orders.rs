//! `readOrders`: a merchant's order export (file bytes or text) → purchases
//! ready for `summarizeOrders`, with the report of what was read
//! ([`crate::orders::read_orders`]).
//!
//! What the bindings add to the core: GB18030/GBK bytes are decoded by the
//! host's `TextDecoder('gb18030')` (the Wasm has no encoding_rs: Cargo.toml);
//! the report is written by hand (why not serde-wasm-bindgen: [`report`]);
//! a string with lone UTF-16 surrogates is read exactly (see [`Escaped`]);
//! and the results are built in a few JS calls (a small JS snippet), not one
//! call per purchase.

use js_sys::{Array, Float64Array, JsString, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::bindings::js::{threw, wrong_type, At, JsResult, Thrown};
use crate::bindings::options::{self, js_options};
use crate::bindings::read::{self, Seq};
use crate::bindings::write::{gather, objects, JsObject};
use crate::orders::{
    self, AmountScope, ColumnRef, DateOrder, Delimiter, FileKind, Orders, ReadOptions, Report,
    TextEncoding,
};
use crate::orders::{ColumnChoice, Excluded};

js_options! {
    /// Options for `readOrders`, all optional: every guess the reader makes
    /// (encoding, delimiter, header row, columns, amount scope, date order)
    /// can be set, and the exclusion rules changed. The report says what
    /// was guessed and how.
    options "ReadOrdersOptions" for ReadOptions {
        "encoding" => encoding: with(encoding) as "\"utf-8\" | \"gbk\" | \"gb18030\" | \"utf-16le\" | \"utf-16be\"", "The bytes' text encoding (default: detected from a byte-order mark, zero bytes, UTF-8 validity, else GB18030); ignored for strings and .xlsx.";
        "delimiter" => delimiter: with(delimiter) as "\",\" | \"\\t\" | \";\" | \"|\" | \" \"", "The field delimiter; `\" \"` splits at runs of spaces and tabs (default: detected among these).";
        "sheet" => sheet: with(super::sheet) as "string | number", "An .xlsx workbook's sheet: its name or 0-based index (default 0, the first).";
        "headerLine" => header_line: opt_uint(0, u32::MAX), "The header row's line number (xlsx: row number), 1-based; 0 for a file without a header row (default: detected among the first ten rows).";
        "customerColumn" => customer_column: with(column) as "string | number", "The customer column: its header text or 0-based index (default: detected by header, then by content).";
        "timeColumn" => time_column: with(column) as "string | number", "The order-time column: its header text or 0-based index (default: detected by header, then by content).";
        "amountColumn" => amount_column: with(column) as "string | number | null", "The amount column: header text, 0-based index, or null for none (default: detected by header, then by content).";
        "orderColumn" => order_column: with(column) as "string | number | null", "The order-number column (lines sharing one are one order): header text, 0-based index, or null for none (default: by header).";
        "statusColumn" => status_column: with(column) as "string | number | null", "The order-status column: header text, 0-based index, or null for none (default: by header).";
        "refundStatusColumn" => refund_status_column: with(column) as "string | number | null", "The after-sale / refund-status column: header text, 0-based index, or null for none (default: by header).";
        "refundAmountColumn" => refund_amount_column: with(column) as "string | number | null", "The refund-amount column: header text, 0-based index, or null for none (default: by header).";
        "amountScope" => amount_scope: with(amount_scope) as "\"line\" | \"order\"", "`\"line\"`: each line's own amount, summed per order; `\"order\"`: the order's amount repeated on its lines, taken once (default: `\"order\"` when the amount's header names the order, e.g. 订单应付金额, and there is an order column).";
        "dateOrder" => date_order: with(date_order) as "\"ymd\" | \"dmy\" | \"mdy\"", "How `1/2/2024`-style dates read (default: detected from values above 12; day first when nothing tells).";
        "closedStatuses" => closed_statuses: with(statuses) as "string[]", "Status values that mark a line closed, cancelled or unpaid, replacing the defaults (交易关闭, 已取消, 未付款, closed, cancelled …); at most 1000.";
        "refundedStatuses" => refunded_statuses: with(statuses) as "string[]", "Status values (status or refund-status column) that mark a line refunded in full, replacing the defaults (退款成功, 全额退款, refunded …); at most 1000.";
        "excludeClosed" => exclude_closed: boolean, "Leave out closed, cancelled and unpaid lines (default true).";
        "excludeRefunded" => exclude_refunded: boolean, "Leave out lines refunded in full (default true).";
        "subtractRefunds" => subtract_refunds: boolean, "Subtract the refund-amount column from the amounts (default true).";
        "epochOffsetMinutes" => epoch_offset_minutes: with(epoch_offset) as "number", "Minutes east of UTC at which epoch timestamps in the time column are read as dates, an integer in [-1440, 1440] (default 480, China Standard Time).";
        "maxListed" => max_listed: uint(0, 10_000), "How many malformed rows `report.malformedRows` lists, an integer in [0, 10000] (default 100); all are counted.";
        "groupColumn" => group_column: with(column) as "string | number | null", "A column to return per purchase in `groups` (its order's first purchase line's value, e.g. the channel 流量来源 for a covariate): header text, 0-based index, or null for none (default none).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Purchases read from an order export, ready for `summarizeOrders`, and what the reader did. */
export interface ReadOrdersResult {
  /** Per purchase (an order that is not excluded): its customer's id. Equal ids are the same string (from `ids`). */
  customers: string[];
  /** Per purchase: the day number (days since 1970-01-01) of the order's calendar date as written (its earliest line). */
  days: Float64Array;
  /** Per purchase: the amount paid after refunds; null when the file has no amount column. */
  amounts: Float64Array | null;
  /** The distinct customer ids, in order of first purchase, exactly as written (long numbers stay text). */
  ids: string[];
  /** Per purchase: the index of its customer in `ids` (`summarizeOrders(customerIndex, days, amounts, …)` is the fastest). */
  customerIndex: Uint32Array;
  /** Per purchase: the `groupColumn`'s text on its order's first purchase line (guards removed, trimmed; "" for an empty cell); null without `groupColumn`. Equal values are the same string (from `groupLevels`). */
  groups: string[] | null;
  /** The distinct values of `groups`, in order of first purchase; null without `groupColumn`. */
  groupLevels: string[] | null;
  /** Per purchase: the index of its value in `groupLevels`; null without `groupColumn`. */
  groupIndex: Uint32Array | null;
  /** What was read and how. */
  report: ReadOrdersReport;
}

/** How a column was chosen: set by an option, named by its header, or found by its content. */
export type ColumnChosenBy = "option" | "header" | "content";

/** A column the reader uses. */
export interface ReadColumn {
  /** 0-based index. */
  index: number;
  /** Its header text ("" in a file without a header row). */
  header: string;
  /** How it was chosen. */
  by: ColumnChosenBy;
}

/** The columns the reader uses (null: the file has none, or none was found). */
export interface ReadColumns {
  /** The customer (buyer) column. */
  customer: ReadColumn | null;
  /** The order-time column. */
  time: ReadColumn | null;
  /** The amount column (null: amounts are not read). */
  amount: ReadColumn | null;
  /** The order-number column (null: each line is an order). */
  order: ReadColumn | null;
  /** The order-status column. */
  status: ReadColumn | null;
  /** The after-sale / refund-status column. */
  refundStatus: ReadColumn | null;
  /** The refund-amount column. */
  refundAmount: ReadColumn | null;
  /** The `groupColumn` (null when none was set). */
  group: ReadColumn | null;
}

/**
 * Why a row was not read: `columns` too few cells, `customer` no customer id, `time` not a date,
 * `amount` not a number, `negativeAmount`, `amountTooLarge` (above a trillion), `refundAmount` not a
 * number, `order` no order number, `customerConflict` the order number was seen with another
 * customer, `orderTotal` the order's sum is out of range, `encoding` the id is not valid text in the
 * file's encoding.
 */
export type MalformedReason = "columns" | "customer" | "time" | "amount" | "negativeAmount" | "amountTooLarge" | "refundAmount" | "order" | "customerConflict" | "orderTotal" | "encoding";

/** A row that was not read. */
export interface MalformedRow {
  /** Its line number (xlsx: row number), 1-based, counting the header and any title lines. */
  line: number;
  /** Why. */
  reason: MalformedReason;
  /** The offending cell, shortened to 40 characters ("" when it was empty). */
  value: string;
}

/** Counts per exclusion rule. */
export interface ExcludedCounts {
  /** Closed, cancelled or unpaid. */
  closed: number;
  /** Refunded in full. */
  refunded: number;
}

/** A distinct value of a status column, with its count and the rule it matched. */
export interface StatusValue {
  /** The column: the order status or the refund status. */
  column: "status" | "refundStatus";
  /** The value as written (Excel's guards removed). */
  value: string;
  /** Lines with it. */
  lines: number;
  /** The rule it matched, whether or not that rule is on (null: none; a purchase). */
  rule: "closed" | "refunded" | null;
}

/** What `readOrders` read and how: every guess, and every line accounted for (lines = purchaseLines + excludedLines + malformed). */
export interface ReadOrdersReport {
  /** `"xlsx"` for a workbook, `"csv"` for text (CSV, TSV, …). */
  format: "csv" | "xlsx";
  /** The bytes' text encoding (null for .xlsx and for a string). */
  encoding: "utf-8" | "gb18030" | "utf-16le" | "utf-16be" | null;
  /** Whether the text began with a byte-order mark. */
  bom: boolean;
  /** The field delimiter (`" "`: runs of spaces); null for .xlsx. */
  delimiter: "," | "\t" | ";" | "|" | " " | null;
  /** The sheet read (.xlsx only; else null). */
  sheet: string | null;
  /** The workbook's sheets ([] for text). */
  sheets: string[];
  /** The header's line number (null: no header row). */
  headerLine: number | null;
  /** The header row's texts ([] without a header row). */
  headers: string[];
  /** Columns in the widest sampled row. */
  width: number;
  /** Lines above the header (a title), skipped. */
  skippedLines: number;
  /** The columns used, and how each was chosen. */
  columns: ReadColumns;
  /** Whether amounts are per line (summed per order) or per order (taken once). */
  amountScope: "line" | "order";
  /** How `d/m/yyyy`-style dates were read. */
  dateOrder: "ymd" | "dmy" | "mdy";
  /** Whether the date order was a guess (no value above 12 told). */
  dateOrderAmbiguous: boolean;
  /** Data lines after the header, blank lines not counted: purchaseLines + excludedLines + malformed. */
  lines: number;
  /** Lines whose cells were all empty. */
  blankLines: number;
  /** Lines read into purchases. */
  purchaseLines: number;
  /** Lines excluded, per rule. */
  excludedLines: ExcludedCounts;
  /** Malformed lines, all of them (`malformedRows` lists the first `maxListed`). */
  malformed: number;
  /** The first malformed rows, by line. */
  malformedRows: MalformedRow[];
  /** Distinct orders among the lines (= lines without an order column): purchases + excluded + unreadOrders. */
  orders: number;
  /** Orders returned as purchases. */
  purchases: number;
  /** Orders excluded, per rule (no purchase line, or refunded down to nothing). */
  excluded: ExcludedCounts;
  /** Orders none of whose lines could be read. */
  unreadOrders: number;
  /** Purchases with a refunded line or a refund amount subtracted. */
  partiallyRefunded: number;
  /** The refund amounts subtracted from the purchases returned. */
  refundsSubtracted: number;
  /** Orders with a line refunded in full whose refund amount is unknown (order-level amounts, no refund-amount column): kept whole. */
  unknownRefundAmounts: number;
  /** Order-level amounts that differed between lines of one order (the first line's is used). */
  orderAmountConflicts: number;
  /** Distinct customers among the purchases (= `ids.length`). */
  customers: number;
  /** The first purchase day (null: no purchase). */
  firstDay: number | null;
  /** The last purchase day (null: no purchase). */
  lastDay: number | null;
  /** Distinct status values (at most 64 per column), most frequent first. */
  statuses: StatusValue[];
  /** Things to know, e.g. order numbers that Excel rounded to 3.9E+18 and that cannot group lines. */
  warnings: string[];
}
"#;

// Built in JS, where a loop over a million purchases is a few ms (one
// Wasm→JS call per purchase costs more; `Array.from` with a map function
// ~150 ms).
#[wasm_bindgen(inline_js = r#"
export function ids_of(bytes) { return new TextDecoder().decode(bytes).split('\0'); }
export function decode_gb18030(bytes) { return new TextDecoder('gb18030').decode(bytes); }
export function well_formed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}
export function split_lone(s) { return s.split(/([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/); }
"#)]
extern "C" {
    /// The distinct ids joined by NUL (UTF-8) → their strings.
    fn ids_of(bytes: &[u8]) -> Array;
    /// `TextDecoder('gb18030')` of the caller's bytes (throws if the host has none).
    #[wasm_bindgen(catch)]
    fn decode_gb18030(bytes: &JsValue) -> Result<String, JsValue>;
    /// `s.isWellFormed()`: no lone surrogate.
    fn well_formed(s: &JsValue) -> bool;
    /// `s` split around its lone surrogates: `[text, lone, text, lone, …, text]`.
    fn split_lone(s: &JsValue) -> Array;
}

/// A column option: header text, 0-based index, or `null` for none.
fn column(at: At, v: &JsValue) -> JsResult<Option<Option<ColumnRef>>> {
    if v.is_null() {
        return Ok(Some(Some(ColumnRef::None)));
    }
    if v.is_string() {
        return Ok(Some(Some(ColumnRef::Name(read::string(at, v)?))));
    }
    if v.as_f64().is_some() {
        let i = read::integer(at, v, 0.0, u32::MAX as f64)?;
        return Ok(Some(Some(ColumnRef::Index(i as u32))));
    }
    Err(wrong_type(
        at,
        "a header text, a 0-based column index or null",
        v,
    ))
}

/// A name option parsed by the core (`null` keeps the default).
fn named<T>(
    at: At,
    v: &JsValue,
    parse: fn(&str, &str) -> crate::Result<T>,
) -> JsResult<Option<Option<T>>> {
    if v.is_null() {
        return Ok(None);
    }
    let s = read::string(at, v)?;
    Ok(Some(Some(parse(
        &at.to_string(),
        &crate::text::clip(&s).to_string(),
    )?)))
}

fn encoding(at: At, v: &JsValue) -> JsResult<Option<Option<TextEncoding>>> {
    named(at, v, TextEncoding::parse)
}

fn delimiter(at: At, v: &JsValue) -> JsResult<Option<Option<Delimiter>>> {
    named(at, v, Delimiter::parse)
}

fn amount_scope(at: At, v: &JsValue) -> JsResult<Option<Option<AmountScope>>> {
    named(at, v, AmountScope::parse)
}

fn date_order(at: At, v: &JsValue) -> JsResult<Option<Option<DateOrder>>> {
    named(at, v, DateOrder::parse)
}

/// `closedStatuses` / `refundedStatuses`: strings (an array or iterable of
/// at most 1000); `null` keeps the defaults.
fn statuses(at: At, v: &JsValue) -> JsResult<Option<Option<Vec<String>>>> {
    const EXPECTED: &str = "an array of strings";
    if v.is_null() {
        return Ok(None);
    }
    let seq = Seq {
        expected: EXPECTED,
        max: 1000,
        walk: read::any_sequence,
    };
    let mut out = Vec::new();
    let typed = (seq.walk)(at, v, seq, &mut |at, x| {
        out.push(read::string(at, x)?);
        Ok(())
    })?;
    if typed.is_some() {
        return Err(wrong_type(at, EXPECTED, v));
    }
    Ok(Some(Some(out)))
}

/// `epochOffsetMinutes`: an integer in [-1440, 1440]; `null` keeps 480.
fn epoch_offset(at: At, v: &JsValue) -> JsResult<Option<i32>> {
    if v.is_null() {
        return Ok(None);
    }
    Ok(Some(read::integer(at, v, -1440.0, 1440.0)? as i32))
}

/// The escape of text whose lone surrogates have been written as UTF-8
/// (see [`Escaped`]).
const ESC: char = '\u{FDD0}';
/// Lone surrogate `0xD800 + k` is written `ESC`, then `PUA + k`.
const PUA: u32 = 0xE000;

/// A JS string with lone UTF-16 surrogates, as UTF-8 the core can read:
/// each lone surrogate is written as [`ESC`] and a private-use character
/// naming it, and [`ESC`] itself as two. Nothing else changes (no delimiter,
/// quote or line end is involved), so ids that differ only in a lone
/// surrogate stay distinct and come back exactly. (Rust strings cannot hold
/// a lone surrogate; wasm-bindgen's conversion turns each into U+FFFD.)
struct Escaped;

impl Escaped {
    /// The UTF-8 of `s` (known to hold lone surrogates), escaped.
    fn text(s: &JsValue) -> String {
        let pieces = split_lone(s);
        let mut out = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            if i % 2 == 1 {
                // A lone surrogate: one code unit in 0xD800..=0xDFFF.
                let unit = piece
                    .dyn_ref::<JsString>()
                    .map_or(0xD800, |p| p.char_code_at(0) as u32);
                let k = unit.wrapping_sub(0xD800) & 0x7FF;
                out.push(ESC);
                out.push(char::from_u32(PUA + k).unwrap_or(ESC));
                continue;
            }
            let text = piece.as_string().unwrap_or_default();
            for c in text.chars() {
                out.push(c);
                if c == ESC {
                    out.push(ESC);
                }
            }
        }
        out
    }

    /// The UTF-16 code units escaped text stands for.
    fn units(s: &str) -> Vec<u16> {
        let mut out = Vec::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        let mut buf = [0u16; 2];
        while let Some(c) = chars.next() {
            if c == ESC {
                match chars.peek().copied() {
                    Some(ESC) => {
                        chars.next();
                    }
                    Some(p) if (PUA..PUA + 0x800).contains(&(p as u32)) => {
                        chars.next();
                        out.push((0xD800 + (p as u32 - PUA)) as u16);
                        continue;
                    }
                    _ => {}
                }
            }
            out.extend_from_slice(c.encode_utf16(&mut buf));
        }
        out
    }

    /// Escaped text as a Rust string: a lone surrogate becomes U+FFFD (for
    /// the report's texts; ids keep theirs, through [`Escaped::units`]).
    fn lossy(s: &mut String) {
        if s.contains(ESC) {
            *s = String::from_utf16_lossy(&Escaped::units(s));
        }
    }

    /// Every text of the report, [`Escaped::lossy`].
    fn report(r: &mut Report) {
        let c = &mut r.columns;
        let columns = [
            &mut c.customer,
            &mut c.time,
            &mut c.amount,
            &mut c.order,
            &mut c.status,
            &mut c.refund_status,
            &mut c.refund_amount,
            &mut c.group,
        ];
        for col in columns.into_iter().flatten() {
            Escaped::lossy(&mut col.header);
        }
        r.headers.iter_mut().for_each(Escaped::lossy);
        r.warnings.iter_mut().for_each(Escaped::lossy);
        for m in &mut r.malformed_rows {
            Escaped::lossy(&mut m.value);
        }
        for s in &mut r.statuses {
            Escaped::lossy(&mut s.value);
        }
    }
}

/// A file `shijing/orders` cannot read.
fn no_workbook_reader() -> Thrown {
    crate::Error::Infeasible(
        "the file is an .xlsx workbook, which shijing/orders does not read: convert it with sheetText from shijing/xlsx first (readOrders(sheetText(bytes).text)), or use the whole package (shijing)".into(),
    )
    .into()
}

/// Reads the argument `data` and the options into purchases; `escaped`
/// when the text was a string with lone surrogates.
fn read(data: &JsValue, opts: &ReadOptions) -> JsResult<(Orders, bool)> {
    let at = At::arg("data");
    if data.is_string() {
        if well_formed(data) {
            let text = data.as_string().unwrap_or_default();
            return Ok((orders::read_orders_text(&text, None, opts)?, false));
        }
        let text = Escaped::text(data);
        return Ok((orders::read_orders_text(&text, None, opts)?, true));
    }
    let bytes = super::bytes(at, data, "a Uint8Array (the file's bytes) or a string")?;
    let kind = orders::file_kind(&bytes, opts)?;
    match kind {
        FileKind::Xlsx if !cfg!(feature = "xlsx") => Err(no_workbook_reader()),
        FileKind::Text { encoding, .. } if !encoding.decoded_natively() => {
            drop(bytes);
            let text = decode_gb18030(data).map_err(|e| threw(at, e))?;
            Ok((
                orders::read_orders_text(&text, Some(encoding), opts)?,
                false,
            ))
        }
        _ => Ok((orders::read_orders_as(&bytes, kind, opts)?, false)),
    }
}

/// `null` or the string.
fn opt_str(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// A JS array of the strings.
fn strings(xs: &[String]) -> Array {
    xs.iter().map(|x| JsValue::from_str(x)).collect()
}

fn column_object(c: &Option<ColumnChoice>) -> JsValue {
    match c {
        None => JsValue::NULL,
        Some(c) => JsObject::new()
            .set("index", c.index)
            .set("header", c.header.as_str())
            .set("by", c.by.as_str())
            .build(),
    }
}

fn excluded_object(e: &Excluded) -> JsValue {
    JsObject::new()
        .set("closed", e.closed as f64)
        .set("refunded", e.refunded as f64)
        .build()
}

/// The report as the `ReadOrdersReport` of the .d.ts. Why not
/// serde-wasm-bindgen (`#[derive(Serialize)]` on the core's report): it
/// measured 3,676 bytes gzipped of `shijing/repurchase`'s Wasm (123,727
/// against 120,051 with no report at all), this 901 (120,952), in a half
/// that must stay under 122,880.
fn report(r: &Report) -> JsValue {
    let c = &r.columns;
    let columns = JsObject::new()
        .set("customer", column_object(&c.customer))
        .set("time", column_object(&c.time))
        .set("amount", column_object(&c.amount))
        .set("order", column_object(&c.order))
        .set("status", column_object(&c.status))
        .set("refundStatus", column_object(&c.refund_status))
        .set("refundAmount", column_object(&c.refund_amount))
        .set("group", column_object(&c.group))
        .build();
    let malformed = objects(&r.malformed_rows, |o, m| {
        o.set("line", m.line as f64)
            .set("reason", m.reason.as_str())
            .set("value", m.value.as_str())
    });
    let statuses = objects(&r.statuses, |o, s| {
        o.set("column", s.column.as_str())
            .set("value", s.value.as_str())
            .set("lines", s.lines as f64)
            .set("rule", opt_str(s.rule.map(|r| r.as_str())))
    });
    let day = |d: Option<f64>| d.map_or(JsValue::NULL, JsValue::from_f64);
    JsObject::new()
        .set("format", r.format)
        .set("encoding", opt_str(r.encoding.map(|e| e.as_str())))
        .set("bom", r.bom)
        .set("delimiter", opt_str(r.delimiter.map(|d| d.as_str())))
        .set("sheet", opt_str(r.sheet.as_deref()))
        .set("sheets", strings(&r.sheets))
        .set("headerLine", day(r.header_line.map(|l| l as f64)))
        .set("headers", strings(&r.headers))
        .set("width", r.width)
        .set("skippedLines", r.skipped_lines as f64)
        .set("columns", columns)
        .set("amountScope", r.amount_scope.as_str())
        .set("dateOrder", r.date_order.as_str())
        .set("dateOrderAmbiguous", r.date_order_ambiguous)
        .set("lines", r.lines as f64)
        .set("blankLines", r.blank_lines as f64)
        .set("purchaseLines", r.purchase_lines as f64)
        .set("excludedLines", excluded_object(&r.excluded_lines))
        .set("malformed", r.malformed as f64)
        .set("malformedRows", malformed)
        .set("orders", r.orders as f64)
        .set("purchases", r.purchases as f64)
        .set("excluded", excluded_object(&r.excluded))
        .set("unreadOrders", r.unread_orders as f64)
        .set("partiallyRefunded", r.partially_refunded as f64)
        .set("refundsSubtracted", r.refunds_subtracted)
        .set("unknownRefundAmounts", r.unknown_refund_amounts as f64)
        .set("orderAmountConflicts", r.order_amount_conflicts as f64)
        .set("customers", r.customers as f64)
        .set("firstDay", day(r.first_day))
        .set("lastDay", day(r.last_day))
        .set("statuses", statuses)
        .set("warnings", strings(&r.warnings))
        .build()
}

/// The distinct ids as JS strings: decoded in one call when none holds a
/// NUL; one by one otherwise (and, when `escaped`, with their lone
/// surrogates restored).
fn ids_array(ids: &[String], escaped: bool) -> Array {
    if ids.is_empty() {
        return Array::new();
    }
    if !escaped && !ids.iter().any(|id| id.as_bytes().contains(&0)) {
        let mut joined = Vec::with_capacity(ids.iter().map(|s| s.len() + 1).sum());
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                joined.push(0);
            }
            joined.extend_from_slice(id.as_bytes());
        }
        return ids_of(&joined);
    }
    ids.iter()
        .map(|id| -> JsValue {
            if escaped && id.contains(ESC) {
                JsString::from_char_code(&Escaped::units(id)).into()
            } else {
                JsValue::from_str(id)
            }
        })
        .collect()
}

/// Reads a merchant's order export — its bytes (a `Uint8Array`: CSV/TSV in
/// UTF-8, GBK/GB18030 or UTF-16, or an .xlsx workbook in the whole package)
/// or its text (a string) — into purchases ready for `summarizeOrders`:
/// one per order that is not closed, cancelled or refunded in full (lines
/// sharing an order number are one order: amounts summed, the earliest
/// day), with a report of every guess and every line. Order numbers and
/// buyer ids stay exact text. Throws a `TypeError`/`RangeError` for a bad
/// argument or option, a `RangeError` naming what is missing for an empty,
/// binary or unrecognisable file; a malformed row is reported by its line.
#[wasm_bindgen(js_name = readOrders, unchecked_return_type = "ReadOrdersResult")]
pub fn read_orders(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReadOrdersOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let opts = options::read_optional::<ReadOptions>(options)?;
    let (mut o, escaped) = read(&data, &opts)?;
    if escaped {
        Escaped::report(&mut o.report);
    }
    let report = report(&o.report);
    let ids = ids_array(&o.ids, escaped);
    let index: JsValue = Uint32Array::from(&o.customers[..]).into();
    let customers = gather(&ids, &index);
    let amounts: JsValue = match &o.amounts {
        Some(a) => Float64Array::from(&a[..]).into(),
        None => JsValue::NULL,
    };
    let (groups, levels, group_index) = match &mut o.groups {
        Some(g) => {
            if escaped {
                g.levels.iter_mut().for_each(Escaped::lossy);
            }
            let levels = strings(&g.levels);
            let index: JsValue = Uint32Array::from(&g.of[..]).into();
            (gather(&levels, &index).into(), levels.into(), index)
        }
        None => (JsValue::NULL, JsValue::NULL, JsValue::NULL),
    };
    Ok(JsObject::new()
        .set("customers", customers)
        .f64s("days", &o.days)
        .set("amounts", amounts)
        .set("ids", ids)
        .set("customerIndex", index)
        .set("groups", groups)
        .set("groupLevels", levels)
        .set("groupIndex", group_index)
        .set("report", report)
        .build())
}
