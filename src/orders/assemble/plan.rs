//! The plan made on a sample of rows: the header row, the columns, the
//! date order, the amount's scope and the status rules.

use crate::orders::columns::{self, Role};
use crate::orders::table::{Cell, OwnedCell, Rows, SampleRow};
use crate::orders::values::{self, DateOrder};
use crate::orders::{AmountScope, Columns, ReadOptions, CLOSED_STATUSES, REFUNDED_STATUSES};
use crate::{Error, Result};

/// Rows sampled for detection: up to 10 candidate header rows and 200 data rows.
const SAMPLE_ROWS: usize = 210;
/// Distinct values listed per status column.
pub(super) const MAX_STATUSES: usize = 64;

/// What the sample decided.
pub(crate) struct Plan {
    pub(super) header_line: Option<u64>,
    pub(super) headers: Vec<String>,
    pub(super) width: usize,
    pub(super) skipped_lines: u64,
    pub(super) chosen: Columns,
    pub(super) group: Option<crate::orders::ColumnChoice>,
    pub(super) scope: AmountScope,
    pub(super) date_order: DateOrder,
    pub(super) date_order_ambiguous: bool,
    pub(super) closed: Vec<Vec<u8>>,
    pub(super) refunded: Vec<Vec<u8>>,
}

/// A cell as text for a header or a message.
pub(super) fn cell_text(c: Cell<'_>) -> String {
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
    let sample = crate::orders::table::sample(rows, SAMPLE_ROWS)?;
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
        Some(r) => columns::resolve(&headers, width, "groupColumn", r)?.map(|i| {
            crate::orders::ColumnChoice {
                index: i,
                header: headers.get(i as usize).cloned().unwrap_or_default(),
                by: crate::orders::ChosenBy::Option,
            }
        }),
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
