//! From rows to purchases: the plan (header row, columns, date order, status
//! rules) made on a sample, then one pass over every row that groups lines
//! into orders by their order number's bytes, applies the rules and
//! reports every line.

use foldhash::fast::FixedState;
use std::fmt::Write;
use std::hash::BuildHasher;

use super::columns::{self, Role};
use super::table::{Cell, OwnedCell, Rows, SampleRow, Strings};
use super::values::{self, AmountError, DateOrder};
use super::{
    AmountScope, Columns, Malformed, Orders, ReadOptions, Reason, Report, Rule, StatusCount,
    CLOSED_STATUSES, REFUNDED_STATUSES,
};
use crate::stats::sort;
use crate::{Error, Result};

/// Rows sampled for detection: up to 10 candidate header rows and 200 data rows.
const SAMPLE_ROWS: usize = 210;
/// Distinct values listed per status column.
const MAX_STATUSES: usize = 64;

/// What the sample decided.
pub(crate) struct Plan {
    header_line: Option<u64>,
    headers: Vec<String>,
    width: usize,
    skipped_lines: u64,
    chosen: Columns,
    group: Option<super::ColumnChoice>,
    scope: AmountScope,
    date_order: DateOrder,
    date_order_ambiguous: bool,
    closed: Vec<Vec<u8>>,
    refunded: Vec<Vec<u8>>,
}

/// A cell as text for a header or a message.
fn cell_text(c: Cell<'_>) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(t) => String::from_utf8_lossy(values::unguard(t)).into_owned(),
        Cell::Number(x) => {
            let mut b = Vec::new();
            if values::integer_text(x, &mut b) {
                String::from_utf8_lossy(&b).into_owned()
            } else {
                crate::text::num(x).to_string()
            }
        }
        Cell::Date(x, d) => values::excel_serial_day(x, d).map_or_else(
            || crate::text::num(x).to_string(),
            |day| {
                let (y, m, dd) = values::civil_from_days(day);
                format!("{y:04}-{m:02}-{dd:02}")
            },
        ),
    }
}

fn looks_like_data(row: &[OwnedCell]) -> bool {
    row.iter().any(|c| match c {
        OwnedCell::Number(_) | OwnedCell::Date(..) => true,
        OwnedCell::Text(t) => {
            let t = values::unguard(t);
            values::parse_date_text(t, DateOrder::Dmy).is_some()
                || values::parse_date_text(t, DateOrder::Ymd).is_some()
                || matches!(values::parse_amount(t), Ok(Some(_)))
        }
        OwnedCell::Empty => false,
    })
}

fn status_keys(list: Option<&Vec<String>>, default: &[&str]) -> Vec<Vec<u8>> {
    let mut key = Vec::new();
    match list {
        Some(l) => l
            .iter()
            .map(|s| {
                values::status_key(s.as_bytes(), &mut key);
                key.clone()
            })
            .collect(),
        None => default.iter().map(|s| s.as_bytes().to_vec()).collect(),
    }
}

/// Decides the header row, the columns, the amount scope, the date order
/// and the status rules from the first rows.
pub(crate) fn plan<R: Rows>(rows: &mut R, options: &ReadOptions) -> Result<Plan> {
    let sample = super::table::sample(rows, SAMPLE_ROWS)?;
    if sample.is_empty() {
        return Err(Error::invalid("the file has no rows"));
    }
    let header_at: Option<usize> = match options.header_line {
        Some(0) => None,
        Some(n) => Some(
            sample
                .iter()
                .position(|(line, _)| *line == u64::from(n))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "options.headerLine is {n}, but no non-empty row starts on that line among the first {}",
                        sample.len()
                    ))
                })?,
        ),
        None => {
            let scores: Vec<usize> = sample
                .iter()
                .take(10)
                .map(|(_, r)| columns::header_score(r))
                .collect();
            let best = scores.iter().copied().max().unwrap_or(0);
            let first_best = scores.iter().position(|&s| s == best);
            if best >= 2 {
                first_best
            } else if best == 1
                && first_best.is_some_and(|i| !looks_like_data(&sample[i].1))
            {
                // One known name on a row of no dates or numbers: a header.
                first_best
            } else if !looks_like_data(&sample[0].1)
                && sample.get(1).is_some_and(|(_, r)| looks_like_data(r))
            {
                Some(0)
            } else {
                None
            }
        }
    };
    let (header_line, headers, data): (Option<u64>, Vec<String>, &[SampleRow]) = match header_at {
        Some(i) => {
            let (line, row) = &sample[i];
            (
                Some(*line),
                row.iter().map(|c| cell_text(c.cell())).collect(),
                sample.get(i + 1..).unwrap_or_default(),
            )
        }
        None => (None, Vec::new(), &sample[..]),
    };
    if data.is_empty() {
        return Err(Error::invalid(
            "the file has no data rows (only a header row)",
        ));
    }
    let skipped_lines = header_at.unwrap_or(0) as u64;
    let width = sample
        .iter()
        .map(|(_, r)| r.len())
        .max()
        .unwrap_or(0)
        .max(headers.len());
    let overrides = [
        (Role::Customer, options.customer_column.as_ref()),
        (Role::Time, options.time_column.as_ref()),
        (Role::Amount, options.amount_column.as_ref()),
        (Role::Order, options.order_column.as_ref()),
        (Role::Status, options.status_column.as_ref()),
        (Role::RefundStatus, options.refund_status_column.as_ref()),
        (Role::RefundAmount, options.refund_amount_column.as_ref()),
    ];
    let chosen = columns::choose(&headers, width, data, &overrides)?;
    let group = match &options.group_column {
        Some(r) => {
            columns::resolve(&headers, width, "groupColumn", r)?.map(|i| super::ColumnChoice {
                index: i,
                header: headers.get(i as usize).cloned().unwrap_or_default(),
                by: super::ChosenBy::Option,
            })
        }
        None => None,
    };
    let missing: Vec<&str> = [
        (
            chosen.customer.is_none(),
            "customer (买家ID, 用户ID, 买家昵称, customer …; set options.customerColumn)",
        ),
        (
            chosen.time.is_none(),
            "order time (下单时间, 支付时间, 订单创建时间, date …; set options.timeColumn)",
        ),
    ]
    .iter()
    .filter(|(m, _)| *m)
    .map(|(_, s)| *s)
    .collect();
    if !missing.is_empty() {
        return Err(Error::invalid(format!(
            "no {} column found: no header names it and no column's content fits ({})",
            missing.join(" and no "),
            columns::list_headers(&headers)
        )));
    }
    let scope = match options.amount_scope {
        Some(s) => s,
        None => {
            let order_level = chosen.amount.as_ref().is_some_and(|a| {
                let k = columns::header_key(Cell::Text(a.header.as_bytes()));
                k.contains("订单") || k.starts_with("order")
            });
            if order_level && chosen.order.is_some() {
                AmountScope::Order
            } else {
                AmountScope::Line
            }
        }
    };
    // Day-first or month-first, from the values above 12.
    let (mut day_first, mut month_first, mut year_last) = (0, 0, 0);
    if let Some(t) = &chosen.time {
        for (_, row) in data {
            if let Some(OwnedCell::Text(s)) = row.get(t.index as usize) {
                if let Some((a, b)) = values::year_last_parts(values::unguard(s)) {
                    year_last += 1;
                    day_first += usize::from(a > 12);
                    month_first += usize::from(b > 12);
                }
            }
        }
    }
    let (date_order, date_order_ambiguous) = match options.date_order {
        Some(o) => (o, false),
        None if year_last == 0 => (DateOrder::Ymd, false),
        None if month_first > day_first => (DateOrder::Mdy, day_first > 0),
        None => (DateOrder::Dmy, day_first == 0 || month_first > 0),
    };
    Ok(Plan {
        header_line,
        headers,
        width,
        skipped_lines,
        chosen,
        group,
        scope,
        date_order,
        date_order_ambiguous,
        closed: status_keys(options.closed_statuses.as_ref(), CLOSED_STATUSES),
        refunded: status_keys(options.refunded_statuses.as_ref(), REFUNDED_STATUSES),
    })
}

/// The number a key of 1 to 19 digits (no leading zero) spells.
#[inline]
fn as_number(key: &[u8]) -> Option<u64> {
    if key.is_empty() || key.len() > 19 || (key[0] == b'0' && key.len() > 1) {
        return None;
    }
    // Eight digits at a time (order numbers and buyer ids run 16-19).
    let (mut v, mut rest) = (0u64, key);
    while let Some((head, tail)) = rest.split_first_chunk::<8>() {
        v = v * 100_000_000 + eight_digits(u64::from_le_bytes(*head))?;
        rest = tail;
    }
    for &c in rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    Some(v)
}

/// The number eight ASCII digits spell (the first in the lowest byte), or
/// `None` when a byte is not a digit.
#[inline]
fn eight_digits(w: u64) -> Option<u64> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    let d = w.wrapping_sub(LOW * u64::from(b'0'));
    // Every byte a digit: no borrow set bit 7 (byte < '0') and adding 6
    // keeps it below 0x10 (byte <= '9').
    if (w & 0x8080_8080_8080_8080) != 0
        || (d & 0xF0F0_F0F0_F0F0_F0F0) != 0
        || ((d + LOW * 6) & 0xF0F0_F0F0_F0F0_F0F0) != 0
    {
        return None;
    }
    // Pairs, quads, then the eight (SWAR; the first digit is the most significant).
    let d = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d * 100 + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((d * 10_000 + (d >> 32)) & 0xFFFF_FFFF)
}

const NONE: u32 = u32::MAX;

/// One order's lines, accumulated.
#[derive(Clone, Copy)]
struct Acc {
    customer: u32,
    day: i32,
    units: i64,
    refund: i64,
    purchase_lines: u32,
    closed_lines: u32,
    refunded_lines: u32,
    has_amount: bool,
    unknown_refund: bool,
    amount_conflict: bool,
    /// Merged into an earlier run of the same order.
    merged: bool,
    /// The line of the first purchase line (0: none yet).
    first_line: u64,
    /// The group column's value on that line (index into the levels).
    group: u32,
}

const EMPTY_ACC: Acc = Acc {
    customer: NONE,
    day: i32::MAX,
    units: 0,
    refund: 0,
    purchase_lines: 0,
    closed_lines: 0,
    refunded_lines: 0,
    has_amount: false,
    unknown_refund: false,
    amount_conflict: false,
    merged: false,
    first_line: 0,
    group: NONE,
};

/// Keys (order numbers of runs, buyers of runs) without a hash table: the
/// number a key of up to 19 digits spells, else the hash of its bytes, with
/// the bytes kept to tell keys whose hashes collide. Equal keys are found by
/// sorting (sequential memory traffic; a hash table missed the cache on
/// nearly every access: ~300 ms of 1M lines for order numbers, ~200 ms for
/// buyers).
#[derive(Default)]
struct Keys {
    keys: Vec<u64>,
    numeric: Vec<bool>,
    /// The text of each key that is not a number (empty for numbers).
    strings: Strings,
    state: FixedState,
}

/// A key's number, or the hash of its bytes; and whether it is a number.
fn key_of(key: &[u8], state: &FixedState) -> (u64, bool) {
    match as_number(key) {
        Some(v) => (v, true),
        None => (state.hash_one(key), false),
    }
}

impl Keys {
    /// Room for `n` keys (of ~20 bytes) without growing.
    fn new(n: usize) -> Keys {
        Keys {
            keys: Vec::with_capacity(n),
            numeric: Vec::with_capacity(n),
            strings: Strings {
                arena: Vec::new(),
                ends: Vec::with_capacity(n),
            },
            state: FixedState::with_seed(0x5eed),
        }
    }

    /// Adds `key` (whose [`key_of`] is `k`); returns its index.
    fn push(&mut self, key: &[u8], (k, numeric): (u64, bool)) -> u32 {
        self.keys.push(k);
        self.numeric.push(numeric);
        let strings = &mut self.strings;
        if !numeric {
            strings.arena.extend_from_slice(key);
        }
        strings.ends.push(strings.arena.len());
        (self.keys.len() - 1) as u32
    }

    fn text(&self, i: usize) -> &[u8] {
        self.strings.get(i)
    }

    /// Whether entry `i` is `key` (whose [`key_of`] is `k`).
    fn is(&self, i: u32, key: &[u8], (k, numeric): (u64, bool)) -> bool {
        let i = i as usize;
        self.keys.get(i) == Some(&k)
            && self.numeric.get(i) == Some(&numeric)
            && (numeric || values::same_bytes(self.text(i), key))
    }

    /// Whether entries `i` and `j` are the same key.
    fn same(&self, i: u32, j: u32) -> bool {
        let (i, j) = (i as usize, j as usize);
        self.keys.get(i) == self.keys.get(j)
            && self.numeric.get(i) == self.numeric.get(j)
            && (self.numeric.get(i) == Some(&true) || self.text(i) == self.text(j))
    }

    /// Entry `i` as text.
    fn shown(&self, i: u32) -> String {
        match (self.numeric.get(i as usize), self.keys.get(i as usize)) {
            (Some(true), Some(v)) => {
                // Room for any u64 first (`to_string` grows the string).
                let mut s = String::with_capacity(20);
                let _ = write!(s, "{v}");
                s
            }
            _ => String::from_utf8_lossy(self.text(i as usize)).into_owned(),
        }
    }

    /// The entries `of` (indices), grouped into distinct keys: per element
    /// of `of`, the key's number, counted in order of first appearance in
    /// `of`; and per key, one entry holding it.
    fn distinct(&self, of: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let mut sorted: Vec<u128> = of
            .iter()
            .enumerate()
            .map(|(p, &i)| {
                let k = self.keys.get(i as usize).copied().unwrap_or(0);
                let n = self.numeric.get(i as usize).copied().unwrap_or(true);
                (u128::from(k) << 64) | (u128::from(!n) << 32) | p as u128
            })
            .collect();
        // Stable by key: elements of a key stay in the order of `of`.
        sort::sort_wide_stable(&mut sorted, 32);
        // Provisional group per element.
        let mut group = vec![0u32; of.len()];
        let mut groups = 0usize;
        let mut heads: Vec<(u32, usize)> = Vec::new();
        let mut at = 0;
        while at < sorted.len() {
            let g = sorted[at] >> 32;
            // Groups are mostly one element long: a scan, not a binary search
            // over the rest of the array.
            let len = sorted[at..].iter().take_while(|&&v| v >> 32 == g).count();
            heads.clear();
            for &v in &sorted[at..at + len] {
                let p = v as u32 as usize;
                let entry = of.get(p).copied().unwrap_or(0);
                // A group of one number is one key; hashes need their bytes
                // compared (the flag bit is 1 for a hash).
                let numeric = g & 1 == 0;
                let found = heads
                    .iter()
                    .find(|&&(h, _)| numeric || self.same(h, entry))
                    .map(|&(_, g)| g);
                let id = match found {
                    Some(id) => id,
                    None => {
                        let id = groups;
                        groups += 1;
                        heads.push((entry, id));
                        id
                    }
                };
                if let Some(slot) = group.get_mut(p) {
                    *slot = id as u32;
                }
            }
            at += len;
        }
        // Number the keys by first appearance.
        let mut rank = vec![NONE; groups];
        let mut entries = Vec::with_capacity(groups);
        let numbers = group
            .iter()
            .zip(of)
            .map(|(&g, &entry)| match rank.get_mut(g as usize) {
                Some(r) if *r == NONE => {
                    *r = entries.len() as u32;
                    entries.push(entry);
                    *r
                }
                Some(r) => *r,
                None => 0,
            })
            .collect();
        (numbers, entries)
    }

    /// Merges the runs of each order into its first run (sorting the runs
    /// by key, then index); returns the number of orders.
    #[inline(never)]
    fn merge(
        &self,
        accs: &mut [Acc],
        report: &mut Report,
        listed: usize,
        customers: &Keys,
        scope: AmountScope,
    ) -> u64 {
        let mut sorted: Vec<u128> = self
            .keys
            .iter()
            .zip(&self.numeric)
            .enumerate()
            .map(|(i, (&k, &n))| (u128::from(k) << 64) | (u128::from(!n) << 32) | i as u128)
            .collect();
        // Stable by key: an order's runs stay in line order (the first is the head).
        sort::sort_wide_stable(&mut sorted, 32);
        let mut orders = 0u64;
        let mut heads: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < sorted.len() {
            let group = sorted[at] >> 32;
            let len = sorted[at..]
                .iter()
                .take_while(|&&v| v >> 32 == group)
                .count();
            heads.clear();
            for &v in &sorted[at..at + len] {
                let run = v as u32 as usize;
                let numeric = self.numeric.get(run).copied().unwrap_or(true);
                // Same number: same order. Same hash: same order when the
                // bytes agree (a true collision is another order).
                let head = heads
                    .iter()
                    .copied()
                    .find(|&h| numeric || self.text(h) == self.text(run));
                match head {
                    Some(h) => merge_run(accs, h, run, report, listed, customers, scope),
                    None => {
                        heads.push(run);
                        orders += 1;
                    }
                }
            }
            at += len;
        }
        // Rows found at the end (conflicts between an order's runs) are
        // listed where their lines are.
        let rows = std::mem::take(&mut report.malformed_rows);
        let mut order: Vec<u64> = rows
            .iter()
            .enumerate()
            .map(|(i, m)| (m.line.min(1 << 40) << 20) | i as u64)
            .collect();
        sort::sort_bits(&mut order);
        let mut rows: Vec<Option<Malformed>> = rows.into_iter().map(Some).collect();
        report.malformed_rows = order
            .iter()
            .filter_map(|&k| rows.get_mut((k & 0xF_FFFF) as usize).and_then(Option::take))
            .collect();
        orders
    }
}

/// Folds run `run` into the earlier run `head` of the same order. A run
/// whose buyer differs from the order's is malformed, all its purchase lines
/// (listed at its first one).
fn merge_run(
    accs: &mut [Acc],
    head: usize,
    run: usize,
    report: &mut Report,
    listed: usize,
    customers: &Keys,
    scope: AmountScope,
) {
    let Some(r) = accs.get(run).copied() else {
        return;
    };
    if let Some(a) = accs.get_mut(run) {
        a.merged = true;
    }
    let Some(h) = accs.get_mut(head) else {
        return;
    };
    h.closed_lines += r.closed_lines;
    h.refunded_lines += r.refunded_lines;
    h.unknown_refund |= r.unknown_refund;
    if r.purchase_lines == 0 {
        return;
    }
    let units = match scope {
        AmountScope::Line => h.units.checked_add(r.units),
        AmountScope::Order => Some(if h.has_amount { h.units } else { r.units }),
    };
    let conflict = h.customer != NONE && !customers.same(h.customer, r.customer);
    let reason = match (conflict, units) {
        (true, _) => Some(Reason::CustomerConflict),
        (false, None) => Some(Reason::OrderTotal),
        _ => None,
    };
    if let Some(reason) = reason {
        report.malformed += u64::from(r.purchase_lines);
        report.purchase_lines -= u64::from(r.purchase_lines);
        if report.malformed_rows.len() < listed {
            report.malformed_rows.push(Malformed {
                line: r.first_line,
                reason,
                value: super::short(&customers.shown(r.customer)),
            });
        }
        return;
    }
    if scope == AmountScope::Order && h.has_amount && r.units != h.units {
        h.amount_conflict = true;
    }
    h.amount_conflict |= r.amount_conflict;
    h.units = units.unwrap_or(h.units);
    h.has_amount = true;
    h.refund = h.refund.saturating_add(r.refund);
    if h.customer == NONE {
        h.customer = r.customer;
    }
    h.day = h.day.min(r.day);
    h.purchase_lines += r.purchase_lines;
    if h.first_line == 0 {
        h.first_line = r.first_line;
        h.group = r.group;
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The number a key spells, one digit at a time (the oracle).
    fn naive(key: &[u8]) -> Option<u64> {
        if key.is_empty() || key.len() > 19 || (key[0] == b'0' && key.len() > 1) {
            return None;
        }
        key.iter().try_fold(0u64, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u64::from(c - b'0'))
        })
    }

    #[test]
    fn numbers_eight_digits_at_a_time() {
        for k in [
            "0",
            "7",
            "12345678",
            "123456789",
            "3901234567000007919",
            "9999999999999999999",
            "10000000000000000000",
            "2088100000054782",
            "01",
            "",
            "1234567/",
            "1234567:",
            "12345678a",
            "1234５",
        ] {
            assert_eq!(as_number(k.as_bytes()), naive(k.as_bytes()), "{k}");
        }
        // Every byte value at every place of a 16-digit key.
        let mut key = *b"2088100000054782";
        for at in 0..key.len() {
            for b in 0..=255u8 {
                let old = key[at];
                key[at] = b;
                assert_eq!(as_number(&key), naive(&key), "{b} at {at}");
                key[at] = old;
            }
        }
    }
}
