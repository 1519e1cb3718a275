//! Which column is which: the header row among the first rows, the columns
//! named by Chinese and English headers as shop backends write them, and,
//! where no header names one, the column whose content fits.

use super::table::{Cell, OwnedCell, SampleRow};
use super::values::{self, DateOrder};
use super::{ChosenBy, ColumnChoice, ColumnRef, Columns};
use crate::{Error, Result};

/// What a column holds.
///
/// ```
/// # use shijing::orders::{read_orders_text, ReadOptions, Role};
/// // A status value is counted under the column it was seen in.
/// let text = "买家ID,付款时间,订单状态,售后状态\nA,2024-01-05,交易成功,\nB,2024-01-06,交易成功,退款关闭\n";
/// let statuses = read_orders_text(text, None, &ReadOptions::default()).unwrap().report.statuses;
/// let of = |v: &str| statuses.iter().find(|s| s.value == v).unwrap().column;
/// assert_eq!((of("交易成功"), of("退款关闭")), (Role::Status, Role::RefundStatus));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The buyer.
    Customer,
    /// The order's time.
    Time,
    /// The amount paid.
    Amount,
    /// The order number (lines sharing one are one order).
    Order,
    /// The order's status (closed, cancelled, unpaid…).
    Status,
    /// The after-sale / refund status.
    RefundStatus,
    /// The amount refunded.
    RefundAmount,
}

/// The roles in the order they claim columns (the most specific names first).
///
/// ```
/// # use shijing::orders::{columns::ROLES, Role};
/// // Every role once; the order number claims its column first.
/// for role in ROLES {
///     assert_eq!(ROLES.iter().filter(|&&r| r == role).count(), 1);
/// }
/// assert_eq!(ROLES[0], Role::Order);
/// ```
pub const ROLES: [Role; 7] = [
    Role::Order,
    Role::RefundAmount,
    Role::RefundStatus,
    Role::Status,
    Role::Amount,
    Role::Time,
    Role::Customer,
];

impl Role {
    /// The JS name (a key of the report's `columns`).
    ///
    /// ```
    /// # use shijing::orders::Role;
    /// assert_eq!(Role::RefundStatus.as_str(), "refundStatus");
    /// // The option that sets a column is its name + "Column".
    /// for role in shijing::orders::columns::ROLES {
    ///     assert_eq!(role.option(), format!("{}Column", role.as_str()));
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Time => "time",
            Role::Amount => "amount",
            Role::Order => "order",
            Role::Status => "status",
            Role::RefundStatus => "refundStatus",
            Role::RefundAmount => "refundAmount",
        }
    }

    /// The option that sets this column (`customerColumn`, …), as the
    /// errors about it name it.
    ///
    /// ```
    /// # use shijing::orders::{read_orders_text, ColumnRef, ReadOptions, Role};
    /// assert_eq!(Role::Time.option(), "timeColumn");
    /// let options = ReadOptions { time_column: Some(ColumnRef::Index(5)), ..ReadOptions::default() };
    /// let e = read_orders_text("买家ID,付款时间\nA,2024-01-05\n", None, &options).unwrap_err();
    /// assert_eq!(e.to_string(), "options.timeColumn is 5, but the rows have 2 columns (0 to 1)");
    /// ```
    pub fn option(self) -> &'static str {
        match self {
            Role::Customer => "customerColumn",
            Role::Time => "timeColumn",
            Role::Amount => "amountColumn",
            Role::Order => "orderColumn",
            Role::Status => "statusColumn",
            Role::RefundStatus => "refundStatusColumn",
            Role::RefundAmount => "refundAmountColumn",
        }
    }

    /// Header names, normalized by [`header_key`], best first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::Customer => &[
                "买家id",
                "买家会员id",
                "买家会员名",
                "买家账号",
                "买家用户名",
                "用户id",
                "会员id",
                "会员编号",
                "客户id",
                "客户编号",
                "顾客id",
                "买家uid",
                "用户uid",
                "uid",
                "买家昵称",
                "用户昵称",
                "会员名",
                "会员昵称",
                "客户昵称",
                "客户名称",
                "买家",
                "客户",
                "顾客",
                "用户",
                "会员",
                "buyerid",
                "customerid",
                "userid",
                "memberid",
                "clientid",
                "buyer",
                "customer",
                "user",
                "member",
                "client",
                "customeremail",
                "email",
                "buyernick",
                "nickname",
                "收货人",
                "收货人姓名",
            ],
            Role::Time => &[
                "下单时间",
                "订单创建时间",
                "创建时间",
                "订单提交时间",
                "提交时间",
                "下单日期",
                "订单日期",
                "订单时间",
                "拍下时间",
                "支付时间",
                "付款时间",
                "支付完成时间",
                "付款日期",
                "支付日期",
                "成交时间",
                "交易时间",
                "交易创建时间",
                "日期",
                "时间",
                "orderdate",
                "ordertime",
                "orderedat",
                "createdat",
                "created",
                "createtime",
                "creationdate",
                "purchasedate",
                "purchasetime",
                "paidat",
                "paymentdate",
                "paymenttime",
                "paytime",
                "transactiondate",
                "date",
                "time",
                "datetime",
                "timestamp",
                "day",
            ],
            Role::Amount => &[
                "实付款",
                "实付金额",
                "买家实付金额",
                "买家实付",
                "实收款",
                "实收金额",
                "商品实付金额",
                "实际支付金额",
                "实际付款",
                "订单实付金额",
                "订单实付",
                "订单应付金额",
                "应付金额",
                "支付金额",
                "付款金额",
                "订单金额",
                "订单总金额",
                "订单总额",
                "总金额",
                "成交金额",
                "商品金额",
                "商品总价",
                "小计",
                "金额",
                "销售额",
                "amountpaid",
                "paidamount",
                "amount",
                "total",
                "ordertotal",
                "orderamount",
                "totalamount",
                "payment",
                "revenue",
                "sales",
                "value",
                "spend",
                "gmv",
                "subtotal",
                "price",
            ],
            Role::Order => &[
                "主订单编号",
                "主订单号",
                "订单编号",
                "订单号",
                "订单id",
                "订单编码",
                "交易编号",
                "交易号",
                "orderid",
                "orderno",
                "ordernumber",
                "order",
                "order#",
                "ordercode",
                "transactionid",
            ],
            Role::Status => &[
                "订单状态",
                "交易状态",
                "主订单状态",
                "状态",
                "子订单状态",
                "orderstatus",
                "status",
                "financialstatus",
            ],
            Role::RefundStatus => &[
                "售后状态",
                "退款状态",
                "退货退款状态",
                "售后/退款状态",
                "维权状态",
                "refundstatus",
                "aftersalestatus",
                "aftersalesstatus",
                "returnstatus",
            ],
            Role::RefundAmount => &[
                "退款金额",
                "已退款金额",
                "退款总额",
                "退款总金额",
                "售后退款金额",
                "refundamount",
                "refundedamount",
                "refunded",
                "refund",
            ],
        }
    }

    /// A looser match for headers not in [`Role::names`]: words it must
    /// contain, and words it must not.
    fn loosely(self, key: &str) -> bool {
        let has = |ws: &[&str]| ws.iter().any(|w| key.contains(w));
        match self {
            Role::Customer => {
                (has(&["买家", "用户", "会员", "客户", "顾客"])
                    && has(&["id", "昵称", "名", "账号", "编号"])
                    || has(&["customer", "buyer"]))
                    && !has(&[
                        "留言", "备注", "地址", "电话", "手机", "实付", "应付", "金额",
                    ])
            }
            Role::Time => {
                has(&["时间", "日期", "date", "time"])
                    && !has(&[
                        "发货", "收货", "退款", "售后", "完成", "修改", "更新", "结算", "ship",
                        "deliver", "refund", "update", "modif",
                    ])
            }
            Role::Amount => {
                has(&["实付", "应付", "金额", "amount", "total"])
                    && !has(&[
                        "退款", "优惠", "折扣", "运费", "邮费", "税", "佣金", "补贴", "refund",
                        "discount", "shipping", "tax", "fee",
                    ])
            }
            Role::Order => {
                has(&["订单编号", "订单号", "orderid", "orderno", "ordernumber"])
                    && !has(&["子", "外部", "物流", "sub", "line"])
            }
            Role::Status => has(&["订单状态", "交易状态", "orderstatus"]),
            Role::RefundStatus => has(&["售后", "退款状态", "refundstatus"]),
            Role::RefundAmount => has(&["退款金额", "refundamount"]),
        }
    }
}

/// A header cell's text, normalized: guards and whitespace gone, a trailing
/// unit in brackets (`实付款(元)`, `金额（元）`) dropped, spaces, `_`, `-`
/// and `.` removed, ASCII letters lower-cased.
pub(crate) fn header_key(cell: Cell<'_>) -> String {
    let Cell::Text(t) = cell else {
        return String::new();
    };
    let s = String::from_utf8_lossy(values::unguard(t));
    let mut s: &str = &s;
    for (open, close) in [("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")] {
        if s.ends_with(close) {
            if let Some(i) = s.rfind(open) {
                if i > 0 {
                    s = &s[..i];
                }
            }
        }
    }
    s.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{3000}'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How well a header key names `role`: the rank in its list (lower is
/// better), a loose match after every listed name, or `None`.
fn rank(role: Role, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let names = role.names();
    names
        .iter()
        .position(|n| *n == key)
        .or_else(|| role.loosely(key).then_some(names.len()))
}

/// How many cells of a row are known header names (the header row is the
/// one with most, among the first rows).
pub(crate) fn header_score(row: &[OwnedCell]) -> usize {
    row.iter()
        .filter(|c| {
            let k = header_key(c.cell());
            ROLES.iter().any(|&r| r.names().contains(&k.as_str()))
        })
        .count()
}

/// Facts about a column's sampled content.
#[derive(Debug, Default, Clone)]
struct Content {
    filled: usize,
    dates: usize,
    amounts: usize,
    money_marks: usize,
    small_integers: usize,
    distinct: usize,
}

fn content(data: &[SampleRow], col: usize) -> Content {
    let mut c = Content::default();
    let mut seen: Vec<&[u8]> = Vec::new();
    for (_, row) in data {
        let cell = row.get(col).map_or(Cell::Empty, OwnedCell::cell);
        if cell.is_blank() {
            continue;
        }
        c.filled += 1;
        match cell {
            Cell::Date(..) => c.dates += 1,
            Cell::Number(x) => {
                c.amounts += 1;
                if x.fract() == 0.0 && x.abs() < 10_000.0 {
                    c.small_integers += 1;
                }
            }
            Cell::Text(t) => {
                let t = values::unguard(t);
                if values::parse_date_text(t, DateOrder::Dmy).is_some()
                    || values::parse_date_text(t, DateOrder::Mdy).is_some()
                    || values::parse_date_text(t, DateOrder::Ymd).is_some()
                {
                    c.dates += 1;
                }
                if let Ok(Some(_)) = values::parse_amount(t) {
                    c.amounts += 1;
                    let marks = ["￥".as_bytes(), "¥".as_bytes(), "元".as_bytes(), b"."];
                    if marks.iter().any(|m| t.windows(m.len()).any(|w| w == *m)) {
                        c.money_marks += 1;
                    }
                    if t.len() <= 4 && t.iter().all(u8::is_ascii_digit) {
                        c.small_integers += 1;
                    }
                }
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
            Cell::Empty => {}
        }
    }
    c.distinct = seen.len();
    c
}

/// [`choose`] fills the roles' slots of the report's [`Columns`] (`group`
/// is set by the caller, after the choice).
impl Columns {
    /// The slot of `role`.
    pub(crate) fn slot(&mut self, role: Role) -> &mut Option<ColumnChoice> {
        match role {
            Role::Customer => &mut self.customer,
            Role::Time => &mut self.time,
            Role::Amount => &mut self.amount,
            Role::Order => &mut self.order,
            Role::Status => &mut self.status,
            Role::RefundStatus => &mut self.refund_status,
            Role::RefundAmount => &mut self.refund_amount,
        }
    }

    fn taken(&self, col: u32) -> bool {
        [
            &self.customer,
            &self.time,
            &self.amount,
            &self.order,
            &self.status,
            &self.refund_status,
            &self.refund_amount,
        ]
        .iter()
        .any(|c| c.as_ref().is_some_and(|c| c.index == col))
    }
}

/// The column `r` names (`None` for [`ColumnRef::None`]); `option` is the
/// option's name for the error: an index past the rows' `width`, or a name
/// not in the header.
pub(crate) fn resolve(
    headers: &[String],
    width: usize,
    option: &str,
    r: &ColumnRef,
) -> Result<Option<u32>> {
    match r {
        ColumnRef::None => Ok(None),
        ColumnRef::Index(i) => {
            let i = *i as usize;
            if i >= width {
                return Err(Error::invalid(format!(
                    "options.{option} is {i}, but the rows have {width} columns (0 to {})",
                    width.saturating_sub(1)
                )));
            }
            Ok(Some(i as u32))
        }
        ColumnRef::Name(name) => {
            let key = header_key(Cell::Text(name.as_bytes()));
            let i = headers
                .iter()
                .position(|h| h.trim() == name.trim())
                .or_else(|| {
                    headers
                        .iter()
                        .position(|h| header_key(Cell::Text(h.as_bytes())) == key)
                })
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "options.{option} names the column \"{}\", which is not in the header ({})",
                        crate::orders::short(name),
                        list_headers(headers)
                    ))
                })?;
            Ok(Some(i as u32))
        }
    }
}

/// Chooses the columns: options first, then header names, then content.
/// `headers` are the header row's cell texts (empty without a header).
pub(crate) fn choose(
    headers: &[String],
    width: usize,
    data: &[SampleRow],
    overrides: &[(Role, Option<&ColumnRef>)],
) -> Result<Columns> {
    let mut chosen = Columns::default();
    let mut to_detect: Vec<Role> = Vec::new();
    // Column `i`, chosen `by`.
    let choice = |i: usize, by| ColumnChoice {
        index: i as u32,
        header: headers.get(i).cloned().unwrap_or_default(),
        by,
    };
    // Options.
    for &(role, r) in overrides {
        match r {
            None => to_detect.push(role),
            Some(ColumnRef::None) => {
                if matches!(role, Role::Customer | Role::Time) {
                    return Err(Error::invalid(format!(
                        "options.{} cannot be null: the {} column is required",
                        role.option(),
                        if role == Role::Customer {
                            "customer"
                        } else {
                            "time"
                        }
                    )));
                }
            }
            Some(r) => {
                if let Some(i) = resolve(headers, width, role.option(), r)? {
                    *chosen.slot(role) = Some(choice(i as usize, ChosenBy::Option));
                }
            }
        }
    }
    // Headers: each role takes the column whose name ranks best for it.
    let keys: Vec<String> = headers
        .iter()
        .map(|h| header_key(Cell::Text(h.as_bytes())))
        .collect();
    for role in ROLES {
        if !to_detect.contains(&role) || chosen.slot(role).is_some() {
            continue;
        }
        let best = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| !chosen.taken(*i as u32))
            .filter_map(|(i, k)| rank(role, k).map(|r| (r, i)))
            .min();
        *chosen.slot(role) = best.map(|(_, i)| choice(i, ChosenBy::Header));
    }
    // Content, for time, amount and customer only (order numbers, statuses
    // and refunds are taken from headers alone: guessing them would merge
    // or drop orders).
    let facts: Vec<Content> = (0..width).map(|c| content(data, c)).collect();
    let free = |chosen: &Columns, i: usize| !chosen.taken(i as u32);
    if to_detect.contains(&Role::Time) && chosen.time.is_none() {
        let pick = facts
            .iter()
            .enumerate()
            .filter(|(i, f)| free(&chosen, *i) && f.filled > 0 && f.dates * 5 >= f.filled * 4)
            .max_by(|a, b| {
                (a.1.dates * 1000 / a.1.filled.max(1))
                    .cmp(&(b.1.dates * 1000 / b.1.filled.max(1)))
                    .then(b.0.cmp(&a.0))
            })
            .map(|(i, _)| i);
        chosen.time = pick.map(|i| choice(i, ChosenBy::Content));
    }
    if to_detect.contains(&Role::Amount) && chosen.amount.is_none() {
        let pick = facts
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                free(&chosen, *i)
                    && f.filled > 0
                    && f.amounts * 5 >= f.filled * 4
                    && f.money_marks * 2 >= f.filled
                    && f.dates * 2 < f.filled
            })
            .max_by(|a, b| a.1.money_marks.cmp(&b.1.money_marks).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        chosen.amount = pick.map(|i| choice(i, ChosenBy::Content));
    }
    if to_detect.contains(&Role::Customer) && chosen.customer.is_none() {
        let rows = data.len().max(1);
        let candidates: Vec<usize> = facts
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                free(&chosen, *i)
                    && f.filled * 10 >= rows * 9
                    && f.dates * 2 < f.filled
                    && !(f.amounts == f.filled && f.money_marks * 2 >= f.filled)
                    && f.small_integers * 2 < f.filled
            })
            .map(|(i, _)| i)
            .collect();
        // A column whose values repeat (customers come back) before one of
        // all-distinct values (order numbers, names of a single visit).
        let pick = candidates
            .iter()
            .copied()
            .find(|&i| facts.get(i).is_some_and(|f| f.distinct < f.filled))
            .or_else(|| candidates.first().copied());
        chosen.customer = pick.map(|i| choice(i, ChosenBy::Content));
    }
    Ok(chosen)
}

/// The headers for a message: quoted, at most 12.
pub(crate) fn list_headers(headers: &[String]) -> String {
    if headers.is_empty() {
        return "the file has no header row".into();
    }
    let mut s: Vec<String> = headers
        .iter()
        .take(12)
        .map(|h| format!("\"{}\"", crate::orders::short(h)))
        .collect();
    if headers.len() > 12 {
        s.push(format!("and {} more", headers.len() - 12));
    }
    format!("columns: {}", s.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        header_key(Cell::Text(s.as_bytes()))
    }

    #[test]
    fn header_names() {
        assert_eq!(key(" 实付款(元) "), "实付款");
        assert_eq!(key("Order ID"), "orderid");
        assert_eq!(key("=\"买家ID\""), "买家id");
        assert_eq!(rank(Role::Customer, "买家id"), Some(0));
        assert!(rank(Role::Customer, "买家昵称") > rank(Role::Customer, "买家id"));
        assert_eq!(rank(Role::Order, "子订单编号"), None);
        assert_eq!(rank(Role::Time, "发货时间"), None);
        assert!(rank(Role::Time, "订单付款时间").is_some());
        assert_eq!(rank(Role::Amount, "退款金额"), None);
        assert_eq!(rank(Role::Amount, "优惠金额"), None);
        assert_eq!(rank(Role::Customer, "买家留言"), None);
        assert_eq!(rank(Role::Time, "status"), None);
    }
}
