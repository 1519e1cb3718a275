//! From rows to purchases: the plan (header row, columns, date order, status
//! rules) made on a sample, then one pass over every row that groups lines
//! into orders by their order number's bytes, applies the rules and
//! reports every line.

mod keys;
mod plan;

use foldhash::fast::FixedState;

use super::columns::Role;
use super::table::{Cell, Rows};
use super::values::{self, AmountError};
use super::{
    AmountScope, Columns, Malformed, Orders, ReadOptions, Reason, Report, Rule, StatusCount,
};
use crate::Result;
use keys::{key_of, Acc, Keys, EMPTY_ACC, NONE};
use plan::{cell_text, MAX_STATUSES};
pub(crate) use plan::{plan, Plan};

/// Distinct status values of one column, with a cache from the raw bytes.
struct Statuses {
    role: Role,
    /// (normalized key, shown value, lines, rule)
    seen: Vec<(Vec<u8>, String, u64, Option<Rule>)>,
    raw: Vec<(Vec<u8>, Option<Rule>, Option<usize>)>,
    key: Vec<u8>,
}

impl Statuses {
    fn new(role: Role) -> Statuses {
        Statuses {
            role,
            seen: Vec::new(),
            raw: Vec::new(),
            key: Vec::new(),
        }
    }

    /// The rule `raw` matches (closed rules count only in the status column).
    #[inline(never)]
    fn classify(&mut self, raw: &[u8], plan: &Plan) -> Option<Rule> {
        if let Some(i) = self
            .raw
            .iter()
            .position(|(r, _, _)| values::same_bytes(r, raw))
        {
            let (_, rule, seen) = self.raw[i];
            if let Some(s) = seen.and_then(|s| self.seen.get_mut(s)) {
                s.2 += 1;
            }
            return rule;
        }
        values::status_key(raw, &mut self.key);
        if self.key.is_empty() {
            return None;
        }
        let rule = if self.role == Role::Status && plan.closed.contains(&self.key) {
            Some(Rule::Closed)
        } else if plan.refunded.contains(&self.key) {
            Some(Rule::Refunded)
        } else {
            None
        };
        let seen = match self.seen.iter().position(|(k, ..)| *k == self.key) {
            Some(i) => Some(i),
            None if self.seen.len() < MAX_STATUSES => {
                let shown = String::from_utf8_lossy(values::unguard(raw)).into_owned();
                self.seen
                    .push((self.key.clone(), super::short(&shown), 0, rule));
                Some(self.seen.len() - 1)
            }
            None => None,
        };
        if let Some(s) = seen.and_then(|s| self.seen.get_mut(s)) {
            s.2 += 1;
        }
        if self.raw.len() < 256 {
            self.raw.push((raw.to_vec(), rule, seen));
        }
        rule
    }
}

/// Reads every row into orders and the report.
pub(crate) fn run<R: Rows>(
    mut rows: R,
    plan: Plan,
    options: &ReadOptions,
    size_hint: usize,
) -> Result<Orders> {
    let c = &plan.chosen;
    let col = |x: &Option<super::ColumnChoice>| x.as_ref().map(|c| c.index as usize);
    let (customer_col, time_col) = (col(&c.customer).unwrap_or(0), col(&c.time).unwrap_or(0));
    let amount_col = col(&c.amount);
    let order_col = col(&c.order);
    let status_col = col(&c.status);
    let refund_status_col = col(&c.refund_status);
    let refund_amount_col = col(&c.refund_amount).filter(|_| options.subtract_refunds);
    let needed = [Some(customer_col), Some(time_col), amount_col, order_col]
        .iter()
        .flatten()
        .max()
        .map_or(0, |m| m + 1);
    let listed = options.max_listed as usize;
    let scope = plan.scope;

    let mut report = Report {
        header_line: plan.header_line,
        headers: plan.headers.clone(),
        width: plan.width as u32,
        skipped_lines: plan.skipped_lines,
        columns: Columns {
            group: plan.group.clone(),
            ..c.clone()
        },
        amount_scope: scope,
        date_order: plan.date_order,
        date_order_ambiguous: plan.date_order_ambiguous,
        ..Default::default()
    };
    // Room for the lines `size_hint` bytes may hold (exports run ~100-200
    // bytes a line), so the tables rarely grow while reading.
    let lines_hint = (size_hint / 128).min(1 << 24);
    let mut customers = Keys::new(lines_hint);
    // Lines are accumulated per run: adjacent lines with the same order
    // number (an order's lines are usually together). Runs of one order
    // far apart are merged at the end, after one sort of the runs' keys —
    // sequential memory traffic where a hash table of order numbers missed
    // the cache on every new order (~300 ms of 1M lines).
    let mut runs = Keys::new(lines_hint);
    let mut last_order: Vec<u8> = Vec::new();
    let mut last_index = usize::MAX;
    let mut accs: Vec<Acc> = Vec::with_capacity(lines_hint);
    let mut status = Statuses::new(Role::Status);
    let mut refund_status = Statuses::new(Role::RefundStatus);
    let mut number = Vec::new();
    let mut rounded_order_number: Option<(u64, String)> = None;
    let header_line = plan.header_line.unwrap_or(0);
    let group_col = plan.group.as_ref().map(|g| g.index as usize);
    let mut levels = Levels::default();

    macro_rules! bad {
        ($line:expr, $reason:expr, $cell:expr) => {{
            malformed(&mut report, listed, $line, $reason, $cell);
            continue;
        }};
    }

    while let Some(line) = rows.advance()? {
        if line <= header_line {
            continue;
        }
        let customer_cell = rows.cell(customer_col);
        if customer_cell.is_blank() {
            let w = rows.width();
            if (0..w).all(|i| rows.cell(i).is_blank()) {
                report.blank_lines += 1;
                continue;
            }
        }
        report.lines += 1;
        if !rows.ragged() && rows.width() < needed {
            bad!(line, Reason::Columns, Cell::Empty);
        }
        // Status rules.
        let status_rule = match status_col.map(|i| rows.cell(i)) {
            Some(Cell::Text(t)) => status.classify(t, &plan),
            _ => None,
        };
        let refund_rule = match refund_status_col.map(|i| rows.cell(i)) {
            Some(Cell::Text(t)) => refund_status.classify(t, &plan),
            _ => None,
        };
        let rule = if options.exclude_closed && status_rule == Some(Rule::Closed) {
            Some(Rule::Closed)
        } else if options.exclude_refunded
            && (status_rule == Some(Rule::Refunded) || refund_rule == Some(Rule::Refunded))
        {
            Some(Rule::Refunded)
        } else {
            None
        };
        // The order.
        let order = match order_col {
            Some(i) => {
                let cell = rows.cell(i);
                let key: &[u8] = match cell {
                    Cell::Text(t) => values::unguard(t),
                    Cell::Number(x) => {
                        if !values::integer_text(x, &mut number) {
                            number.clear();
                        }
                        if x.abs() >= 9_007_199_254_740_992.0 && rounded_order_number.is_none() {
                            rounded_order_number = Some((line, cell_text(cell)));
                        }
                        &number
                    }
                    _ => &[],
                };
                if key.is_empty() {
                    bad!(line, Reason::Order, cell);
                }
                if last_index != usize::MAX && values::same_bytes(key, &last_order) {
                    last_index
                } else {
                    let k = key_of(key, &runs.state);
                    if !k.1 && rounded_order_number.is_none() && excel_rounded(key) {
                        rounded_order_number = Some((line, cell_text(cell)));
                    }
                    runs.push(key, k);
                    accs.push(EMPTY_ACC);
                    last_order.clear();
                    last_order.extend_from_slice(key);
                    last_index = accs.len() - 1;
                    last_index
                }
            }
            None => {
                accs.push(EMPTY_ACC);
                accs.len() - 1
            }
        };
        let Some(acc) = accs.get_mut(order) else {
            continue;
        };
        match rule {
            Some(Rule::Closed) => {
                acc.closed_lines += 1;
                report.excluded_lines.closed += 1;
                continue;
            }
            Some(Rule::Refunded) => {
                acc.refunded_lines += 1;
                report.excluded_lines.refunded += 1;
                if scope == AmountScope::Order {
                    // The order's amount includes this line: its refund comes off.
                    match refund_amount_col.map(|i| refund_units(rows.cell(i))) {
                        Some(Ok(Some(u))) if u > 0 => acc.refund = acc.refund.saturating_add(u),
                        _ => acc.unknown_refund = true,
                    }
                }
                continue;
            }
            None => {}
        }
        // A purchase line: customer, day, amount, refund.
        let key: &[u8] = match customer_cell {
            Cell::Text(t) => values::unguard(t),
            Cell::Number(x) if values::integer_text(x, &mut number) => &number,
            Cell::Number(_) | Cell::Date(..) => bad!(line, Reason::Customer, customer_cell),
            Cell::Empty => &[],
        };
        if key.is_empty() {
            bad!(line, Reason::Customer, customer_cell);
        }
        let time_cell = rows.cell(time_col);
        let day = match time_cell {
            Cell::Text(t) => {
                let t = values::unguard(t);
                values::parse_date_text(t, plan.date_order)
                    .or_else(|| values::parse_numeric_time(t, options.epoch_offset_minutes))
            }
            Cell::Number(x) => values::excel_serial_day(x, false),
            Cell::Date(x, d1904) => values::excel_serial_day(x, d1904),
            Cell::Empty => None,
        };
        let Some(day) = day else {
            bad!(line, Reason::Time, time_cell)
        };
        let units = match amount_col.map(|i| rows.cell(i)) {
            None => 0,
            Some(cell) => {
                let r = match cell {
                    Cell::Text(t) => values::parse_amount(t),
                    Cell::Number(x) => values::amount_from_f64(x).map(Some),
                    Cell::Empty => Ok(None),
                    Cell::Date(..) => Err(AmountError::NotANumber),
                };
                match r {
                    Ok(Some(u)) => u,
                    Ok(None) | Err(AmountError::NotANumber) => bad!(line, Reason::Amount, cell),
                    Err(AmountError::Negative) => bad!(line, Reason::NegativeAmount, cell),
                    Err(AmountError::TooLarge) => bad!(line, Reason::AmountTooLarge, cell),
                }
            }
        };
        let refund = match refund_amount_col.map(|i| rows.cell(i)) {
            None => 0,
            Some(cell) => match refund_units(cell) {
                Ok(u) => u.unwrap_or(0),
                Err(_) => bad!(line, Reason::RefundAmount, cell),
            },
        };
        let k = key_of(key, &customers.state);
        let cid = if acc.customer == NONE {
            if !k.1 && std::str::from_utf8(key).is_err() {
                bad!(line, Reason::Encoding, customer_cell)
            }
            customers.push(key, k)
        } else if customers.is(acc.customer, key, k) {
            acc.customer
        } else {
            bad!(line, Reason::CustomerConflict, customer_cell)
        };
        match scope {
            AmountScope::Line => match acc.units.checked_add(units) {
                Some(u) => acc.units = u,
                None => bad!(line, Reason::OrderTotal, Cell::Empty),
            },
            AmountScope::Order => {
                if !acc.has_amount {
                    acc.units = units;
                } else if acc.units != units {
                    acc.amount_conflict = true;
                }
            }
        }
        acc.has_amount = true;
        acc.refund = acc.refund.saturating_add(refund);
        acc.customer = cid;
        acc.day = acc
            .day
            .min(day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
        acc.purchase_lines += 1;
        if acc.first_line == 0 {
            acc.first_line = line;
            if let Some(i) = group_col {
                acc.group = levels.of(rows.cell(i));
            }
        }
        report.purchase_lines += 1;
    }

    report.orders = if order_col.is_some() {
        runs.merge(&mut accs, &mut report, listed, &customers, scope)
    } else {
        accs.len() as u64
    };

    // Orders → purchases, in order of their first line.
    let mut out_customers = Vec::new();
    let mut days = Vec::new();
    let mut amounts = Vec::new();
    let mut groups = Vec::new();
    let mut refunded_units: i64 = 0;
    for acc in accs.iter().filter(|a| !a.merged) {
        if acc.purchase_lines == 0 {
            if acc.closed_lines > 0 {
                report.excluded.closed += 1;
            } else if acc.refunded_lines > 0 {
                report.excluded.refunded += 1;
            } else {
                report.unread_orders += 1;
            }
            continue;
        }
        let net = acc.units.saturating_sub(acc.refund);
        let refunded = acc.refund > 0 || acc.refunded_lines > 0;
        if amount_col.is_some() && refunded && net <= 0 {
            report.excluded.refunded += 1;
            continue;
        }
        if refunded {
            report.partially_refunded += 1;
            refunded_units = refunded_units.saturating_add(acc.refund);
        }
        report.unknown_refund_amounts += u64::from(acc.unknown_refund);
        report.order_amount_conflicts += u64::from(acc.amount_conflict);
        out_customers.push(acc.customer);
        if group_col.is_some() {
            groups.push(acc.group);
        }
        days.push(f64::from(acc.day));
        amounts.push(values::units_to_f64(net.max(0)));
    }
    // Buyers: entries of the purchases' runs, numbered by first purchase.
    let (out_customers, entries) = customers.distinct(&out_customers);
    let ids: Vec<String> = entries.iter().map(|&e| customers.shown(e)).collect();
    report.purchases = out_customers.len() as u64;
    report.customers = ids.len() as u64;
    report.refunds_subtracted = values::units_to_f64(refunded_units);
    report.first_day = days.iter().copied().reduce(f64::min);
    report.last_day = days.iter().copied().reduce(f64::max);
    for s in [status, refund_status] {
        let role = s.role;
        let mut list: Vec<StatusCount> = s
            .seen
            .into_iter()
            .map(|(_, value, lines, rule)| StatusCount {
                column: role,
                value,
                lines,
                rule,
            })
            .collect();
        // Most frequent first: an insertion sort of at most 64 values (a
        // library sort here would be another few KB of Wasm).
        for i in 1..list.len() {
            let mut j = i;
            while j > 0 && list[j - 1].lines < list[j].lines {
                list.swap(j - 1, j);
                j -= 1;
            }
        }
        report.statuses.extend(list);
    }
    if let Some((line, value)) = rounded_order_number {
        report.warnings.push(format!(
            "order numbers such as \"{}\" (line {line}) were rounded by Excel: lines cannot be grouped into orders by them; export the file again without saving it from Excel",
            super::short(&value)
        ));
    }
    Ok(Orders {
        ids,
        customers: out_customers,
        days,
        amounts: amount_col.map(|_| amounts),
        groups: group_col.map(|_| levels.finish(groups)),
        report,
    })
}

/// The distinct values of the group column (read only when one is set).
#[derive(Default)]
struct Levels {
    index: std::collections::HashMap<Vec<u8>, u32, FixedState>,
    texts: Vec<String>,
    key: Vec<u8>,
}

impl Levels {
    /// The level of a cell: its text, guards removed and trimmed.
    fn of(&mut self, cell: Cell<'_>) -> u32 {
        self.key.clear();
        match cell {
            Cell::Text(t) => self.key.extend_from_slice(values::unguard(t).trim_ascii()),
            Cell::Empty => {}
            other => self.key.extend_from_slice(cell_text(other).as_bytes()),
        }
        if let Some(&i) = self.index.get(self.key.as_slice()) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts
            .push(String::from_utf8_lossy(&self.key).trim().to_string());
        self.index.insert(self.key.clone(), i);
        i
    }

    /// The purchases' levels renumbered by first purchase.
    fn finish(self, mut of: Vec<u32>) -> super::Groups {
        let mut rank = vec![NONE; self.texts.len()];
        let mut levels = Vec::new();
        for g in &mut of {
            let Some(r) = rank.get_mut(*g as usize) else {
                continue;
            };
            if *r == NONE {
                *r = levels.len() as u32;
                levels.push(self.texts.get(*g as usize).cloned().unwrap_or_default());
            }
            *g = *r;
        }
        super::Groups { levels, of }
    }
}

/// Counts a malformed line, and lists it while the list is short. Not
/// inlined: it is called from a dozen places in [`run`] (Wasm size).
#[inline(never)]
fn malformed(report: &mut Report, listed: usize, line: u64, reason: Reason, cell: Cell<'_>) {
    report.malformed += 1;
    if report.malformed_rows.len() < listed {
        report.malformed_rows.push(Malformed {
            line,
            reason,
            value: super::short(&cell_text(cell)),
        });
    }
}

/// Whether an order number is Excel's rounding of a long one (`3.20123E+18`).
fn excel_rounded(key: &[u8]) -> bool {
    key.len() < 24
        && key.iter().any(|&c| c == b'E' || c == b'e')
        && key.contains(&b'+')
        && key.first().is_some_and(u8::is_ascii_digit)
}

/// A refund amount (its sign ignored: exports write refunds either way).
fn refund_units(cell: Cell<'_>) -> std::result::Result<Option<i64>, AmountError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) => {
            let t = values::unguard(t);
            values::parse_amount(t.strip_prefix(b"-").unwrap_or(t))
        }
        Cell::Number(x) => values::amount_from_f64(x.abs()).map(Some),
        Cell::Date(..) => Err(AmountError::NotANumber),
    }
}
