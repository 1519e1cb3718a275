//! What [`read_orders`](super::read_orders) returns: the purchases
//! ([`Orders`]) and the [`Report`] of what it did: how each column was
//! chosen, the malformed rows by line and reason, the orders excluded by
//! rule, and the counts.

#[cfg(doc)]
use super::ReadOptions;
use super::{AmountScope, DateOrder, Delimiter, Role, TextEncoding};

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

/// What [`read_orders`](super::read_orders) did.
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
