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
mod table;
pub mod values;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use columns::Role;
pub use encoding::{sniff, FileKind, TextEncoding};
pub use table::Delimiter;
pub use values::DateOrder;

use crate::{Error, Result};

/// How an option names a column.
///
/// ```
/// # use shijing::orders::{read_orders_text, ColumnRef, ReadOptions};
/// let text = "买家ID,付款时间,实付款,备注\nA,2024-01-05,10,x\n";
/// let read = |amount_column| {
///     let options = ReadOptions { amount_column, ..ReadOptions::default() };
///     read_orders_text(text, None, &options).unwrap()
/// };
/// // By header text or by 0-based index: the same column.
/// let by_name = read(Some(ColumnRef::Name("实付款".into())));
/// assert_eq!(by_name.amounts, Some(vec![10.0]));
/// assert_eq!(by_name, read(Some(ColumnRef::Index(2))));
/// // None: no amounts are read.
/// assert_eq!(read(Some(ColumnRef::None)).amounts, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    /// The header's text (matched as written, then normalized like header detection).
    Name(String),
    /// 0-based index.
    Index(u32),
    /// No such column (for the optional columns: order number, status,
    /// refund status, refund amount, amount).
    None,
}

/// How a column was chosen.
///
/// ```
/// # use shijing::orders::{read_orders_text, ChosenBy, ReadOptions};
/// // 买家ID names the customer column; nothing names the dates, which are
/// // told by their content.
/// let text = "买家ID,when,实付款\nA,2024-01-05,10\nB,2024-01-06,12\n";
/// let c = read_orders_text(text, None, &ReadOptions::default()).unwrap().report.columns;
/// assert_eq!(c.customer.unwrap().by, ChosenBy::Header);
/// assert_eq!(c.time.unwrap().by, ChosenBy::Content);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    /// Set by an option.
    Option,
    /// Its header is a known name for the role.
    Header,
    /// Its content fits the role (no header named one).
    Content,
}

impl ChosenBy {
    /// The JS name.
    ///
    /// ```
    /// # use shijing::orders::{read_orders_text, ChosenBy, ColumnRef, ReadOptions};
    /// // 买家ID is a known header; "when" is not, but holds dates; "paid" is set.
    /// let text = "买家ID,when,paid\nA,2024-01-05,10\nB,2024-01-06,12\n";
    /// let options = ReadOptions { amount_column: Some(ColumnRef::Name("paid".into())), ..ReadOptions::default() };
    /// let c = read_orders_text(text, None, &options).unwrap().report.columns;
    /// let by = |c: Option<shijing::orders::ColumnChoice>| c.unwrap().by;
    /// assert_eq!(by(c.customer), ChosenBy::Header);
    /// assert_eq!(by(c.time).as_str(), "content");
    /// assert_eq!(by(c.amount).as_str(), "option");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ChosenBy::Option => "option",
            ChosenBy::Header => "header",
            ChosenBy::Content => "content",
        }
    }
}

/// A chosen column.
///
/// ```
/// # use shijing::orders::{read_orders_text, ChosenBy, ColumnChoice, ReadOptions};
/// let text = "订单编号,买家ID,付款时间,实付款\nO1,A,2024-01-05,10\n";
/// let c = read_orders_text(text, None, &ReadOptions::default()).unwrap().report.columns;
/// let customer = ColumnChoice { index: 1, header: "买家ID".into(), by: ChosenBy::Header };
/// assert_eq!(c.customer, Some(customer));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnChoice {
    /// 0-based index.
    pub index: u32,
    /// Its header text ("" without a header row).
    pub header: String,
    /// How it was chosen.
    pub by: ChosenBy,
}

/// Whether an amount is per line (summed over an order's lines) or per
/// order (repeated on each line, taken once).
///
/// ```
/// # use shijing::orders::{read_orders_text, AmountScope, ReadOptions};
/// // One order on two lines, 30 on each.
/// let text = "订单编号,买家ID,付款时间,实付款\nO1,A,2024-01-05,30\nO1,A,2024-01-05,30\n";
/// let lines = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(lines.report.amount_scope, AmountScope::Line);
/// assert_eq!(lines.amounts, Some(vec![60.0])); // two lines of 30
/// let per_order = ReadOptions { amount_scope: Some(AmountScope::Order), ..Default::default() };
/// assert_eq!(read_orders_text(text, None, &per_order).unwrap().amounts, Some(vec![30.0]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountScope {
    /// Each line's own amount; an order's amount is their sum.
    #[default]
    Line,
    /// The order's amount, on each of its lines; taken from its first line.
    Order,
}

impl AmountScope {
    /// The JS name.
    ///
    /// ```
    /// # use shijing::orders::{read_orders_text, AmountScope, ReadOptions};
    /// // An order-level amount (订单应付金额) is repeated on each line: taken once.
    /// let text = "订单编号,买家ID,下单时间,订单应付金额\nO1,A,2024-01-05,100\nO1,A,2024-01-05,100\n";
    /// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
    /// assert_eq!(orders.report.amount_scope.as_str(), "order");
    /// assert_eq!(orders.amounts, Some(vec![100.0]));
    /// assert_eq!(AmountScope::default().as_str(), "line");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AmountScope::Line => "line",
            AmountScope::Order => "order",
        }
    }

    /// The scope an option names (`"line"`, `"order"`); `name` is the
    /// option's name for the error.
    ///
    /// ```
    /// use shijing::orders::AmountScope;
    /// assert_eq!(AmountScope::parse("options.amountScope", "order")?, AmountScope::Order);
    /// assert!(AmountScope::parse("options.amountScope", "row").is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, s: &str) -> Result<AmountScope> {
        match s {
            "line" => Ok(AmountScope::Line),
            "order" => Ok(AmountScope::Order),
            _ => Err(Error::invalid(format!(
                "{name} must be \"line\" or \"order\", got \"{}\"",
                crate::text::clip(s)
            ))),
        }
    }
}

/// An xlsx sheet, by name or 0-based position.
///
/// ```
/// # use shijing::orders::{read_orders, ReadOptions, SheetRef};
/// let book = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shop_export.xlsx")).unwrap();
/// let sheet = |s| ReadOptions { sheet: Some(s), ..ReadOptions::default() };
/// let first = read_orders(&book, &sheet(SheetRef::Index(0))).unwrap();
/// assert_eq!(first.report.sheet.as_deref(), Some("订单"));
/// assert_eq!(read_orders(&book, &sheet(SheetRef::Name("订单".into()))).unwrap(), first);
/// let e = read_orders(&book, &sheet(SheetRef::Index(1))).unwrap_err();
/// assert_eq!(e.to_string(), "options.sheet is 1, but the workbook has 1 sheets (\"订单\")");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetRef {
    /// The sheet's name.
    Name(String),
    /// 0-based position in the workbook.
    Index(u32),
}

/// Status values (after [`values::status_key`] normalization) that mark a
/// line closed, cancelled or unpaid: not a purchase.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions, CLOSED_STATUSES};
/// assert!(CLOSED_STATUSES.contains(&"交易关闭"));
/// let text = "买家ID,付款时间,实付款,订单状态\nA,2024-01-05,10,交易成功\nB,2024-01-06,20,交易关闭\nC,2024-01-07,30,已发货\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!((orders.ids.clone(), orders.report.excluded.closed), (vec!["A".to_string(), "C".into()], 1));
/// // A list of one's own replaces the default one.
/// let own = ReadOptions { closed_statuses: Some(vec!["已发货".into()]), ..ReadOptions::default() };
/// assert_eq!(read_orders_text(text, None, &own).unwrap().ids, ["A", "B"]);
/// ```
pub const CLOSED_STATUSES: &[&str] = &[
    "交易关闭",
    "已关闭",
    "关闭",
    "订单关闭",
    "交易取消",
    "已取消",
    "取消",
    "订单取消",
    "已作废",
    "未付款",
    "待付款",
    "待支付",
    "未支付",
    "等待买家付款",
    "等待付款",
    "closed",
    "cancelled",
    "canceled",
    "unpaid",
    "pendingpayment",
    "voided",
];

/// Status values (in the status or the refund-status column) that mark a
/// line refunded in full.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions};
/// let text = "买家ID,付款时间,实付款,售后状态\nA,2024-01-05,10,\nB,2024-01-06,20,退款成功\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!((orders.ids, orders.report.excluded.refunded), (vec!["A".to_string()], 1));
/// let keep = ReadOptions { exclude_refunded: false, ..ReadOptions::default() };
/// assert_eq!(read_orders_text(text, None, &keep).unwrap().ids, ["A", "B"]);
/// ```
pub const REFUNDED_STATUSES: &[&str] = &[
    "退款成功",
    "全额退款",
    "已全额退款",
    "已退款",
    "退款完成",
    "退货退款成功",
    "退款已完成",
    "refunded",
    "fullyrefunded",
    "refundsuccessful",
];

/// Options of [`read_orders`]. `Default` gives every default.
///
/// ```
/// # use shijing::orders::ReadOptions;
/// let o = ReadOptions::default();
/// assert!(o.exclude_closed && o.exclude_refunded && o.subtract_refunds);
/// assert_eq!((o.epoch_offset_minutes, o.max_listed), (480, 100)); // China Standard Time
/// assert!(o.customer_column.is_none() && o.encoding.is_none()); // detected
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The text encoding, instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// The field delimiter, instead of detecting it.
    pub delimiter: Option<Delimiter>,
    /// The xlsx sheet (default: the first).
    pub sheet: Option<SheetRef>,
    /// The header's line (xlsx: row) number, 1-based; `Some(0)` for no
    /// header row; default: detected.
    pub header_line: Option<u32>,
    /// The customer column (default: detected). Required.
    pub customer_column: Option<ColumnRef>,
    /// The time column (default: detected). Required.
    pub time_column: Option<ColumnRef>,
    /// The amount column (default: detected; `None` for none).
    pub amount_column: Option<ColumnRef>,
    /// The order-number column (default: by header).
    pub order_column: Option<ColumnRef>,
    /// The order-status column (default: by header).
    pub status_column: Option<ColumnRef>,
    /// The refund-status column (default: by header).
    pub refund_status_column: Option<ColumnRef>,
    /// The refund-amount column (default: by header).
    pub refund_amount_column: Option<ColumnRef>,
    /// Per line or per order (default: `Order` when the amount column's
    /// header names the order — 订单…, order… — and there is an order
    /// column, else `Line`).
    pub amount_scope: Option<AmountScope>,
    /// How `1/2/2024`-style dates read (default: detected from values
    /// above 12; day-first when nothing tells).
    pub date_order: Option<DateOrder>,
    /// Statuses that mark a line closed/cancelled/unpaid (default
    /// [`CLOSED_STATUSES`]); matched after normalization.
    pub closed_statuses: Option<Vec<String>>,
    /// Statuses that mark a line refunded in full (default
    /// [`REFUNDED_STATUSES`]).
    pub refunded_statuses: Option<Vec<String>>,
    /// Exclude closed/cancelled/unpaid lines (default true).
    pub exclude_closed: bool,
    /// Exclude lines refunded in full (default true).
    pub exclude_refunded: bool,
    /// Subtract refund amounts (default true).
    pub subtract_refunds: bool,
    /// Minutes east of UTC at which epoch timestamps are read as dates
    /// (default 480: China Standard Time).
    pub epoch_offset_minutes: i32,
    /// How many malformed rows the report lists (default 100, at most
    /// 10,000); all are counted.
    pub max_listed: u32,
    /// A column whose text is returned per purchase (its order's first
    /// purchase line's value), e.g. the channel 流量来源 (default none;
    /// [`ColumnRef::None`] is none too).
    pub group_column: Option<ColumnRef>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            delimiter: None,
            sheet: None,
            header_line: None,
            customer_column: None,
            time_column: None,
            amount_column: None,
            order_column: None,
            status_column: None,
            refund_status_column: None,
            refund_amount_column: None,
            amount_scope: None,
            date_order: None,
            closed_statuses: None,
            refunded_statuses: None,
            exclude_closed: true,
            exclude_refunded: true,
            subtract_refunds: true,
            epoch_offset_minutes: 480,
            max_listed: 100,
            group_column: None,
        }
    }
}

/// Why a row was not read.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions, Reason};
/// // Line 3 has no buyer; line 4's amount is not a number.
/// let text = "买家ID,付款时间,实付款\nA,2024-01-05,10\n,2024-01-06,5\nC,2024-01-06,abc\n";
/// let r = read_orders_text(text, None, &ReadOptions::default()).unwrap().report;
/// let reasons: Vec<Reason> = r.malformed_rows.iter().map(|m| m.reason).collect();
/// assert_eq!(reasons, [Reason::Customer, Reason::Amount]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The row has fewer cells than the chosen columns need.
    Columns,
    /// No customer id.
    Customer,
    /// The time is not a date this reader knows.
    Time,
    /// The amount is not a number.
    Amount,
    /// The amount is negative.
    NegativeAmount,
    /// The amount is above a trillion.
    AmountTooLarge,
    /// The refund amount is not a number (or negative).
    RefundAmount,
    /// No order number (in a file that has an order-number column).
    Order,
    /// The order number was seen before with another customer.
    CustomerConflict,
    /// The order's summed amount is out of range.
    OrderTotal,
    /// The text is not valid in the file's encoding (a customer id).
    Encoding,
}

impl Reason {
    /// The JS name (a stable code for the page to translate).
    ///
    /// ```
    /// # use shijing::orders::{read_orders_text, Reason, ReadOptions};
    /// let text = "买家ID,付款时间,实付款\nA,2024-01-05,10\nB,yesterday,5\nC,2024-01-06,-3\n";
    /// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
    /// let bad: Vec<_> = orders.report.malformed_rows.iter()
    ///     .map(|m| (m.line, m.reason.as_str(), m.value.as_str())).collect();
    /// assert_eq!(bad, [(3, "time", "yesterday"), (4, "negativeAmount", "-3")]);
    /// assert_eq!(orders.report.malformed_rows[0].reason, Reason::Time);
    /// assert_eq!(orders.ids, ["A"]);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Columns => "columns",
            Reason::Customer => "customer",
            Reason::Time => "time",
            Reason::Amount => "amount",
            Reason::NegativeAmount => "negativeAmount",
            Reason::AmountTooLarge => "amountTooLarge",
            Reason::RefundAmount => "refundAmount",
            Reason::Order => "order",
            Reason::CustomerConflict => "customerConflict",
            Reason::OrderTotal => "orderTotal",
            Reason::Encoding => "encoding",
        }
    }
}

/// A malformed row.
///
/// ```
/// # use shijing::orders::{read_orders_text, Malformed, ReadOptions, Reason};
/// let text = "买家ID,付款时间,实付款\nA,2024-01-05,10\nB,2024-13-01,5\n";
/// let r = read_orders_text(text, None, &ReadOptions::default()).unwrap().report;
/// // Line 3's date has no month 13.
/// let bad = Malformed { line: 3, reason: Reason::Time, value: "2024-13-01".into() };
/// assert_eq!(r.malformed_rows, [bad]);
/// assert_eq!(r.malformed, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// Its line (xlsx: row) number, 1-based.
    pub line: u64,
    /// Why.
    pub reason: Reason,
    /// The offending value, shortened (empty when the cell was empty).
    pub value: String,
}

/// The rule a line or order was excluded by.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions, Rule};
/// // B's order was refunded in full: excluded, and 退款成功 matched the rule.
/// let text = "买家ID,付款时间,售后状态\nA,2024-01-05,\nB,2024-01-06,退款成功\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(orders.ids, ["A"]);
/// let refunded = orders.report.statuses.iter().find(|s| s.value == "退款成功").unwrap();
/// assert_eq!(refunded.rule, Some(Rule::Refunded));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Closed, cancelled or unpaid.
    Closed,
    /// Refunded in full.
    Refunded,
}

impl Rule {
    /// The JS name.
    ///
    /// ```
    /// # use shijing::orders::{read_orders_text, ReadOptions, Role, Rule};
    /// let text = "买家ID,付款时间,订单状态\nA,2024-01-05,交易成功\nB,2024-01-06,交易关闭\nC,2024-01-06,交易关闭\n";
    /// let statuses = read_orders_text(text, None, &ReadOptions::default()).unwrap().report.statuses;
    /// // Most frequent first; each with the rule it matched.
    /// assert_eq!((statuses[0].value.as_str(), statuses[0].lines), ("交易关闭", 2));
    /// assert_eq!(statuses[0].rule.map(Rule::as_str), Some("closed"));
    /// assert_eq!((statuses[1].column, statuses[1].rule), (Role::Status, None));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Closed => "closed",
            Rule::Refunded => "refunded",
        }
    }
}

/// Counts per exclusion rule.
///
/// ```
/// # use shijing::orders::{read_orders_text, Excluded, ReadOptions};
/// // Order O2 has two lines, both closed: two lines, one order excluded.
/// let text = "订单编号,买家ID,付款时间,订单状态\nO1,A,2024-01-05,交易成功\nO2,B,2024-01-06,交易关闭\nO2,B,2024-01-06,交易关闭\n";
/// let r = read_orders_text(text, None, &ReadOptions::default()).unwrap().report;
/// assert_eq!(r.excluded_lines, Excluded { closed: 2, refunded: 0 });
/// assert_eq!(r.excluded, Excluded { closed: 1, refunded: 0 });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Excluded {
    /// Closed, cancelled or unpaid.
    pub closed: u64,
    /// Refunded in full.
    pub refunded: u64,
}

/// A distinct status value seen, with its count.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions, Role, Rule, StatusCount};
/// let text = "买家ID,付款时间,订单状态\nA,2024-01-05,交易成功\nB,2024-01-06,交易成功\nC,2024-01-06,交易关闭\n";
/// let statuses = read_orders_text(text, None, &ReadOptions::default()).unwrap().report.statuses;
/// let closed = StatusCount { column: Role::Status, value: "交易关闭".into(), lines: 1, rule: Some(Rule::Closed) };
/// assert_eq!(statuses[1], closed);
/// assert_eq!((statuses[0].value.as_str(), statuses[0].lines, statuses[0].rule), ("交易成功", 2, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    /// The column: [`Role::Status`] or [`Role::RefundStatus`].
    pub column: Role,
    /// The value as written (guards removed).
    pub value: String,
    /// Lines with it.
    pub lines: u64,
    /// The rule it matched, if any (whether or not that rule is on).
    pub rule: Option<Rule>,
}

/// The chosen columns.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions};
/// // No order-number column: each line is an order. No status columns either.
/// let text = "买家ID,付款时间,实付款\nA,2024-01-05,10\nA,2024-01-05,12\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// let c = &orders.report.columns;
/// assert_eq!((c.customer.as_ref().unwrap().index, c.time.as_ref().unwrap().index), (0, 1));
/// assert_eq!((c.order.as_ref(), c.status.as_ref()), (None, None));
/// assert_eq!(orders.report.orders, 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The customer column.
    pub customer: Option<ColumnChoice>,
    /// The time column.
    pub time: Option<ColumnChoice>,
    /// The amount column (none: amounts are not read).
    pub amount: Option<ColumnChoice>,
    /// The order-number column (none: each line is an order).
    pub order: Option<ColumnChoice>,
    /// The order-status column.
    pub status: Option<ColumnChoice>,
    /// The refund-status column.
    pub refund_status: Option<ColumnChoice>,
    /// The refund-amount column.
    pub refund_amount: Option<ColumnChoice>,
    /// The column whose values [`Orders::groups`] holds (`group_column`).
    pub group: Option<ColumnChoice>,
}

/// Per purchase, a column's value ([`ReadOptions::group_column`]).
///
/// ```
/// # use shijing::orders::{read_orders_text, ColumnRef, ReadOptions};
/// let text = "买家ID,付款时间,流量来源\nA,2024-01-05,直播\nB,2024-01-06,短视频\nC,2024-01-07,直播\n";
/// let options = ReadOptions { group_column: Some(ColumnRef::Name("流量来源".into())), ..ReadOptions::default() };
/// let groups = read_orders_text(text, None, &options).unwrap().groups.unwrap();
/// assert_eq!(groups.levels, ["直播", "短视频"]); // in order of first purchase
/// assert_eq!(groups.of, [0, 1, 0]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    /// The distinct values (guards removed, trimmed; "" for an empty
    /// cell), in order of first purchase.
    pub levels: Vec<String>,
    /// Per purchase: index into `levels`.
    pub of: Vec<u32>,
}

/// What [`read_orders`] did.
///
/// Nothing is dropped silently: every line is a purchase line, an excluded
/// line or malformed (blank lines aside), and every order a purchase, an
/// excluded order or unread.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions};
/// let text = "店铺订单导出\n订单编号,买家ID,付款时间,实付款,订单状态\n\
///     O1,A,2024-01-05,10,交易成功\nO1,A,2024-01-05,5,交易成功\n,,,,\n\
///     O2,B,2024-01-06,20,交易关闭\nO3,C,someday,7,交易成功\n";
/// let r = read_orders_text(text, None, &ReadOptions::default()).unwrap().report;
/// assert_eq!((r.header_line, r.skipped_lines, r.blank_lines), (Some(2), 1, 1));
/// assert_eq!((r.lines, r.purchase_lines, r.excluded_lines.closed, r.malformed), (4, 2, 1, 1));
/// assert_eq!(r.lines, r.purchase_lines + r.excluded_lines.closed + r.excluded_lines.refunded + r.malformed);
/// assert_eq!((r.orders, r.purchases, r.excluded.closed, r.unread_orders), (3, 1, 1, 1));
/// assert_eq!((r.customers, r.first_day, r.last_day), (1, Some(19727.0), Some(19727.0)));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// `"csv"` or `"xlsx"`.
    pub format: &'static str,
    /// The text's encoding (`None` for xlsx, or text passed decoded).
    pub encoding: Option<TextEncoding>,
    /// Whether the text began with a byte-order mark.
    pub bom: bool,
    /// The field delimiter (text only).
    pub delimiter: Option<Delimiter>,
    /// The sheet read (xlsx only).
    pub sheet: Option<String>,
    /// All sheets of the workbook (xlsx only).
    pub sheets: Vec<String>,
    /// The header's line number (`None`: no header row).
    pub header_line: Option<u64>,
    /// The header row's texts (empty without a header row).
    pub headers: Vec<String>,
    /// Columns in the widest sampled row.
    pub width: u32,
    /// Lines before the header row (a title), skipped.
    pub skipped_lines: u64,
    /// The chosen columns and how.
    pub columns: Columns,
    /// Per line or per order amounts.
    pub amount_scope: AmountScope,
    /// How `d/m/yyyy`-style dates were read.
    pub date_order: DateOrder,
    /// Whether the date order was a guess (no value above 12 told).
    pub date_order_ambiguous: bool,
    /// Data lines after the header, blank lines not counted:
    /// purchase lines + excluded lines + malformed.
    pub lines: u64,
    /// Lines whose cells were all empty.
    pub blank_lines: u64,
    /// Lines read into purchases.
    pub purchase_lines: u64,
    /// Lines excluded, per rule.
    pub excluded_lines: Excluded,
    /// Malformed lines (all of them; `malformed_rows` lists the first).
    pub malformed: u64,
    /// The first malformed rows, by line.
    pub malformed_rows: Vec<Malformed>,
    /// Distinct orders among the lines (= lines without an order column):
    /// purchases + excluded + unread.
    pub orders: u64,
    /// Orders returned as purchases.
    pub purchases: u64,
    /// Orders excluded, per rule (no purchase line, or refunded down to nothing).
    pub excluded: Excluded,
    /// Orders none of whose lines could be read.
    pub unread_orders: u64,
    /// Purchases with a refunded line or a refund amount subtracted.
    pub partially_refunded: u64,
    /// The refund amounts subtracted from the purchases returned.
    pub refunds_subtracted: f64,
    /// Orders with a line refunded in full whose refund amount is unknown
    /// (order-level amounts and no refund-amount column): kept whole.
    pub unknown_refund_amounts: u64,
    /// Order-level amounts that differed between lines of one order (the
    /// first line's is used).
    pub order_amount_conflicts: u64,
    /// Distinct customers among the purchases.
    pub customers: u64,
    /// First and last purchase day.
    pub first_day: Option<f64>,
    /// See `first_day`.
    pub last_day: Option<f64>,
    /// Distinct status values (at most 64 per column), most frequent first.
    pub statuses: Vec<StatusCount>,
    /// Things the caller should know (e.g. order numbers Excel turned into
    /// 3.2E+18, which cannot group lines).
    pub warnings: Vec<String>,
}

/// Purchases read from an export.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions};
/// # use shijing::repurchase::{summarize, SummaryOptions};
/// let text = "买家ID,付款时间,实付款\nB,2024-01-05,10\nA,2024-01-06,20\nB,2024-01-20,30\n";
/// let o = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(o.ids, ["B", "A"]); // in order of first purchase
/// assert_eq!(o.customers, [0, 1, 0]); // per purchase, into ids
/// // Ready for the repurchase summary.
/// let options = SummaryOptions { calibration_end: o.days[2], ..Default::default() };
/// let s = summarize(&o.customers, &o.days, o.amounts.as_deref(), &options).unwrap();
/// assert_eq!((s.frequency[0], s.recency[0], s.monetary[0]), (1.0, 15.0, 30.0));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orders {
    /// Distinct customer ids, in order of first purchase.
    pub ids: Vec<String>,
    /// Per purchase: index into `ids`.
    pub customers: Vec<u32>,
    /// Per purchase: day number (days since 1970-01-01 of the date as written).
    pub days: Vec<f64>,
    /// Per purchase: amount (after refunds), when there is an amount column.
    pub amounts: Option<Vec<f64>>,
    /// Per purchase: the group column's value, when one was set.
    pub groups: Option<Groups>,
    /// What was done.
    pub report: Report,
}

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
