//! What [`read_orders`](super::read_orders) can be told: which column plays
//! which role ([`ColumnRef`]), whether an amount is per line or per order,
//! which sheet of a workbook, which statuses are not purchases, and the rest
//! of [`ReadOptions`].

use super::{DateOrder, Delimiter, TextEncoding};
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

/// Status values (after [`super::values::status_key`] normalization) that mark a
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

/// Options of [`read_orders`](super::read_orders). `Default` gives every default.
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
