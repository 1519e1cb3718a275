//! Merchants' own order exports → purchases (customer, day, amount) ready
//! for [`crate::repurchase::summarize`], with a report of what was read.
//!
//! A shop backend's export (DOMAIN.md §4) has one row per order *line* (an
//! order with two products is two rows sharing an order number), Chinese
//! headers (订单编号, 买家ID, 下单时间, 实付款, 订单状态, 售后状态 …), amounts like
//! ￥128.00, long numbers guarded against Excel (a leading tab, `="…"`), and
//! orders that are not purchases (closed unpaid, cancelled, refunded). It
//! comes as GBK CSV (Excel on Chinese Windows), UTF-8 with a BOM, UTF-16
//! text, or .xlsx. [`read_orders`] reads any of them:
//!
//! 1. **What the bytes are** ([`sniff`]): .xlsx by its zip signature; text
//!    by its byte-order mark, UTF-16 by its zero bytes, UTF-8 when it is
//!    valid, else GB18030 (a superset of GBK). Empty and binary files are
//!    errors naming what they are.
//! 2. **Rows**: text split by `table::TextRows` (16 bytes at a time;
//!    csv-core for records with quotes inside fields, checked against the
//!    `csv` crate; delimiter detected
//!    among `,` tab `;` `|` and whitespace runs), an xlsx sheet streamed by
//!    `xlsx.rs`.
//! 3. **Columns** ([`columns`]): the header row is the one among the first
//!    ten with most known header names (title lines above it are skipped);
//!    customer, time and amount are named by the header or, failing that,
//!    found by content; the order number, status, refund status and refund
//!    amount by header only. Every choice can be set by option, and the
//!    report says how each was made.
//! 4. **Orders**: lines sharing an order number are one order (adjacent
//!    lines accumulate as a run; runs far apart are merged after a sort of
//!    their keys, no hash table) — amounts
//!    summed (or, for an order-level amount column such as 订单应付金额,
//!    taken once), the earliest day. Lines with a closed/cancelled/unpaid
//!    status are not purchases, nor lines refunded in full; an order none
//!    of whose lines is a purchase is excluded under that rule; a refund
//!    amount is subtracted, and an order refunded down to nothing is
//!    excluded as refunded.
//! 5. **Bad rows** are reported by line number and reason (the list is
//!    capped; the count is not). Nothing is dropped silently: every line is
//!    a purchase line, an excluded line, blank, or malformed.
//!
//! Days are the calendar date as written (days since 1970-01-01): a time
//! of day or a zone suffix never moves a purchase to another day.

mod assemble;
pub mod columns;
mod encoding;
mod options;
mod report;
mod table;
pub mod values;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use columns::Role;
pub use encoding::{sniff, FileKind, TextEncoding};
pub use options::{
    AmountScope, ColumnRef, ReadOptions, SheetRef, CLOSED_STATUSES, REFUNDED_STATUSES,
};
pub use report::{
    ChosenBy, ColumnChoice, Columns, Excluded, Groups, Malformed, Orders, Reason, Report, Rule,
    StatusCount,
};
pub use table::Delimiter;
pub use values::DateOrder;

use crate::{Error, Result};

/// Text for a message: at most 40 characters.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Largest export accepted: 2 GiB.
///
/// ```
/// assert_eq!(shijing::orders::MAX_BYTES, 2 * 1024 * 1024 * 1024);
/// ```
pub const MAX_BYTES: usize = 2 << 30;

fn check_options(o: &ReadOptions) -> Result<()> {
    if o.max_listed > 10_000 {
        return Err(Error::invalid(format!(
            "options.maxListed must be in [0, 10000], got {}",
            o.max_listed
        )));
    }
    if !(-1440..=1440).contains(&o.epoch_offset_minutes) {
        return Err(Error::invalid(format!(
            "options.epochOffsetMinutes must be in [-1440, 1440], got {}",
            o.epoch_offset_minutes
        )));
    }
    for (name, list) in [
        ("closedStatuses", &o.closed_statuses),
        ("refundedStatuses", &o.refunded_statuses),
    ] {
        if let Some(l) = list {
            if l.len() > 1000 {
                return Err(Error::invalid(format!(
                    "options.{name} has {} elements; at most 1000 are supported",
                    l.len()
                )));
            }
        }
    }
    Ok(())
}

/// Reads an order export's bytes (CSV/TSV text in UTF-8, GB18030/GBK or
/// UTF-16; or .xlsx) into purchases. See the module docs.
///
/// A shop backend's export in GBK: one row per order line, a closed order,
/// an order refunded in full, Excel's `="…"` guard on a 19-digit order number:
///
/// ```
/// # use shijing::orders::{read_orders, ReadOptions};
/// let text = "订单编号,买家ID,下单时间,实付款,订单状态,售后状态\n\
///     =\"3901234567890120001\",2088102177000001,2024-01-05 10:12:33,￥128.00,交易成功,\n\
///     =\"3901234567890120001\",2088102177000001,2024-01-05 10:12:33,￥59.90,交易成功,\n\
///     =\"3901234567890120003\",2088102177000003,2024-01-07 09:00:00,￥88.00,交易关闭,\n\
///     =\"3901234567890120004\",2088102177000001,2024-02-02 12:00:00,\"￥1,299.00\",交易成功,退款成功\n\
///     =\"3901234567890120005\",2088102177000001,2024-02-10 20:00:00,￥128.00,交易成功,\n";
/// let (gbk, _, _) = encoding_rs::GBK.encode(text);
/// let orders = read_orders(&gbk, &ReadOptions::default()).unwrap();
/// let r = &orders.report;
/// assert_eq!((r.lines, r.orders, r.purchases), (5, 4, 2));
/// assert_eq!((r.excluded.closed, r.excluded.refunded), (1, 1));
/// assert_eq!(orders.ids, ["2088102177000001"]); // the long id stays exact text
/// assert_eq!(orders.amounts.unwrap(), [187.9, 128.0]); // two lines, one order
/// assert_eq!(orders.days, [19727.0, 19763.0]); // 2024-01-05, 2024-02-10
/// ```
pub fn read_orders(bytes: &[u8], options: &ReadOptions) -> Result<Orders> {
    let kind = file_kind(bytes, options)?;
    read_orders_as(bytes, kind, options)
}

/// What [`read_orders`] reads `bytes` as: an .xlsx workbook, or text in
/// `options.encoding` when given (its own byte-order mark skipped), else in
/// the encoding [`sniff`] finds. Empty, binary and oversized files are
/// errors naming what they are.
///
/// ```
/// # use shijing::orders::{file_kind, FileKind, ReadOptions, TextEncoding};
/// let bytes = b"\xEF\xBB\xBFid,day\n";
/// let utf8 = FileKind::Text { encoding: TextEncoding::Utf8, bom: 3 };
/// assert_eq!(file_kind(bytes, &ReadOptions::default()).unwrap(), utf8);
/// // A given encoding is taken as given; another encoding's mark is not skipped.
/// let utf16 = ReadOptions { encoding: Some(TextEncoding::Utf16Le), ..ReadOptions::default() };
/// let kind = file_kind(bytes, &utf16).unwrap();
/// assert_eq!(kind, FileKind::Text { encoding: TextEncoding::Utf16Le, bom: 0 });
/// // The options are checked too.
/// let bad = ReadOptions { max_listed: 20_000, ..ReadOptions::default() };
/// let e = file_kind(bytes, &bad).unwrap_err();
/// assert_eq!(e.to_string(), "options.maxListed must be in [0, 10000], got 20000");
/// ```
pub fn file_kind(bytes: &[u8], options: &ReadOptions) -> Result<FileKind> {
    check_options(options)?;
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid(format!(
            "the file has {} bytes; at most {} are supported",
            bytes.len(),
            MAX_BYTES
        )));
    }
    match options.encoding {
        Some(encoding) if !bytes.starts_with(b"PK\x03\x04") => {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(Error::invalid("the file is empty"));
            }
            let bom = match encoding {
                TextEncoding::Utf8 if bytes.starts_with(b"\xEF\xBB\xBF") => 3,
                TextEncoding::Utf16Le if bytes.starts_with(b"\xFF\xFE") => 2,
                TextEncoding::Utf16Be if bytes.starts_with(b"\xFE\xFF") => 2,
                _ => 0,
            };
            Ok(FileKind::Text { encoding, bom })
        }
        _ => sniff(bytes),
    }
}

/// [`read_orders`] of bytes whose [`file_kind`] is `kind` (for a caller
/// that looked at the kind first, e.g. to decode GB18030 itself).
///
/// ```
/// # use shijing::orders::{file_kind, read_orders, read_orders_as, FileKind, ReadOptions, TextEncoding};
/// let (gbk, _, _) = encoding_rs::GBK.encode("买家ID,付款时间\n张三,2024-01-05\n");
/// let options = ReadOptions::default();
/// let kind = file_kind(&gbk, &options).unwrap();
/// assert_eq!(kind, FileKind::Text { encoding: TextEncoding::Gb18030, bom: 0 });
/// let orders = read_orders_as(&gbk, kind, &options).unwrap();
/// assert_eq!(orders.ids, ["张三"]);
/// assert_eq!(orders, read_orders(&gbk, &options).unwrap());
/// ```
pub fn read_orders_as(bytes: &[u8], kind: FileKind, options: &ReadOptions) -> Result<Orders> {
    check_options(options)?;
    match kind {
        FileKind::Xlsx => read_xlsx(bytes, options),
        FileKind::Text { encoding, bom } => {
            let body = bytes.get(bom..).unwrap_or_default();
            let text = encoding::decode(body, encoding)?;
            let mut out = read_text_bytes(&text, options)?;
            out.report.encoding = Some(encoding);
            out.report.bom = bom > 0;
            Ok(out)
        }
    }
}

/// Reads an export already decoded to text (a JS string; or GB18030 bytes a
/// caller decoded itself, `decoded_from` then names their encoding for the
/// report). A leading byte-order mark is skipped.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions};
/// let text = "\u{FEFF}用户ID\t支付时间\t实付金额\nU1\t2022年6月1日\t¥59\nU2\t2022/6/2\t1,200元\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(orders.ids, ["U1", "U2"]);
/// assert_eq!(orders.days, [19144.0, 19145.0]);
/// assert_eq!(orders.amounts.unwrap(), [59.0, 1200.0]);
/// assert!(orders.report.bom);
/// ```
pub fn read_orders_text(
    text: &str,
    decoded_from: Option<TextEncoding>,
    options: &ReadOptions,
) -> Result<Orders> {
    check_options(options)?;
    if text.len() > MAX_BYTES {
        return Err(Error::invalid(format!(
            "the text has {} bytes; at most {} are supported",
            text.len(),
            MAX_BYTES
        )));
    }
    let body = text.strip_prefix('\u{FEFF}');
    if text.trim().is_empty() {
        return Err(Error::invalid("the file is empty"));
    }
    let mut out = read_text_bytes(body.unwrap_or(text).as_bytes(), options)?;
    out.report.encoding = decoded_from;
    out.report.bom = body.is_some();
    Ok(out)
}

fn read_text_bytes(text: &[u8], options: &ReadOptions) -> Result<Orders> {
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| table::detect_delimiter(text));
    let mut rows = table::TextRows::new(text, delimiter);
    let plan = assemble::plan(&mut rows, options)?;
    let rows = table::TextRows::new(text, delimiter);
    let mut out = assemble::run(rows, plan, options, text.len())?;
    out.report.format = "csv";
    out.report.delimiter = Some(delimiter);
    Ok(out)
}

/// A workbook's sheet as text ([`sheet_text`]).
///
/// ```
/// # #[cfg(feature = "xlsx")] {
/// # use shijing::orders::{read_orders_text, sheet_text, Delimiter, ReadOptions};
/// let book = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shop_export.xlsx")).unwrap();
/// let w = sheet_text(&book, None).unwrap();
/// assert_eq!((w.sheet.as_str(), w.sheets), ("订单", vec!["订单".to_string()]));
/// let text = String::from_utf8(w.text).unwrap();
/// let orders = read_orders_text(&text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(orders.report.delimiter, Some(Delimiter::Tab));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookText {
    /// Tab-separated UTF-8, one line per sheet row.
    pub text: Vec<u8>,
    /// The sheet written.
    pub sheet: String,
    /// All sheets of the workbook.
    pub sheets: Vec<String>,
}

/// An .xlsx workbook's sheet (default the first) as tab-separated UTF-8
/// text that [`read_orders`] reads as it reads the workbook itself (line
/// numbers are the sheet's row numbers; date cells written as dates; numbers
/// as JavaScript writes them, integers in full). For a page that keeps the
/// workbook reader in a module of its own, loaded only when a workbook is
/// opened: that module turns the workbook into text, and the module with
/// [`read_orders`] reads the text.
#[cfg(feature = "xlsx")]
///
/// ```
/// # use shijing::orders::{read_orders, read_orders_text, sheet_text, ReadOptions};
/// let book = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shop_export.xlsx")).unwrap();
/// let sheet = sheet_text(&book, None).unwrap();
/// let text = String::from_utf8(sheet.text).unwrap();
/// let via_text = read_orders_text(&text, None, &ReadOptions::default()).unwrap();
/// let direct = read_orders(&book, &ReadOptions::default()).unwrap();
/// assert_eq!((via_text.ids, via_text.days), (direct.ids, direct.days));
/// ```
pub fn sheet_text(bytes: &[u8], sheet: Option<&SheetRef>) -> Result<WorkbookText> {
    if sniff(bytes)? != FileKind::Xlsx {
        return Err(Error::invalid("the file is not an .xlsx workbook"));
    }
    xlsx::sheet_text(bytes, sheet)
}

/// Reads an .xlsx export only (what [`read_orders`] does for a workbook):
/// for a build that reads workbooks alone, so the text reader is left out.
///
/// ```
/// # use shijing::orders::{read_orders, read_workbook, ReadOptions};
/// let book = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shop_export.xlsx")).unwrap();
/// let options = ReadOptions::default();
/// assert_eq!(read_workbook(&book, &options).unwrap(), read_orders(&book, &options).unwrap());
/// let e = read_workbook(b"id,day\nA,2024-01-05\n", &options).unwrap_err();
/// assert_eq!(e.to_string(), "the file is not an .xlsx workbook (read it with readOrders)");
/// ```
#[cfg(feature = "xlsx")]
pub fn read_workbook(bytes: &[u8], options: &ReadOptions) -> Result<Orders> {
    check_options(options)?;
    if sniff(bytes)? != FileKind::Xlsx {
        return Err(Error::invalid(
            "the file is not an .xlsx workbook (read it with readOrders)",
        ));
    }
    read_xlsx(bytes, options)
}

#[cfg(feature = "xlsx")]
fn read_xlsx(bytes: &[u8], options: &ReadOptions) -> Result<Orders> {
    let mut book = xlsx::Workbook::open(bytes)?;
    let (index, name) = book.pick_sheet(options.sheet.as_ref())?;
    let sheets = book.sheet_names();
    let plan = {
        let mut rows = book.rows(index)?;
        assemble::plan(&mut rows, options)?
    };
    let rows = book.rows(index)?;
    let mut out = assemble::run(rows, plan, options, bytes.len() * 4)?;
    out.report.format = "xlsx";
    out.report.sheet = Some(name);
    out.report.sheets = sheets;
    Ok(out)
}

#[cfg(not(feature = "xlsx"))]
fn read_xlsx(_: &[u8], _: &ReadOptions) -> Result<Orders> {
    Err(Error::Infeasible(
        "the file is an .xlsx workbook, which this build does not read (Cargo feature `xlsx`); save it as CSV, or use a build with xlsx".into(),
    ))
}
