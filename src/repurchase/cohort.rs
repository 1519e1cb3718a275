//! The merchant's own repurchase rate as shop backends and the seeds report
//! it (DOMAIN.md §3): of the customers whose first order was at least `w`
//! days before the end of the log, the share who ordered again on a later
//! day within `w` days of that first order — per window (T30, T90: 莱润's
//! 40% / 76%), and the same by monthly cohort of first order (a retention
//! table). Not the model's forward-looking "chance to buy in the next 30
//! days", which is a different figure.

use crate::orders::values::civil_from_days;
use crate::repurchase::summary::{check_day, check_log};
use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Windows when none are given: 30 and 90 days.
///
/// ```
/// # use shijing::repurchase::{cohort::DEFAULT_WINDOWS, cohort_repurchase, CohortOptions};
/// let c = cohort_repurchase(&[1, 1], &[19000.0, 19020.0], &CohortOptions::default()).unwrap();
/// let windows: Vec<f64> = c.windows.iter().map(|w| w.window).collect();
/// assert_eq!(windows, DEFAULT_WINDOWS);
/// ```
pub const DEFAULT_WINDOWS: [f64; 2] = [30.0, 90.0];
/// Most windows accepted.
///
/// ```
/// # use shijing::repurchase::{cohort::MAX_WINDOWS, cohort_repurchase, CohortOptions};
/// let options = CohortOptions { windows: Some(vec![30.0; MAX_WINDOWS + 1]), ..Default::default() };
/// let err = cohort_repurchase(&[1, 1], &[19000.0, 19020.0], &options).unwrap_err();
/// assert_eq!(err.message(), "options.windows has 33 elements; it must have 1 to 32");
/// ```
pub const MAX_WINDOWS: usize = 32;
/// Longest window: 100 years of days.
///
/// ```
/// # use shijing::repurchase::{cohort::MAX_WINDOW_DAYS, cohort_repurchase, CohortOptions};
/// let options = CohortOptions { windows: Some(vec![MAX_WINDOW_DAYS + 1.0]), ..Default::default() };
/// let err = cohort_repurchase(&[1, 1], &[19000.0, 19020.0], &options).unwrap_err();
/// assert_eq!(err.message(), "options.windows[0] is 36601; windows are days, at most 36600");
/// ```
pub const MAX_WINDOW_DAYS: f64 = 36_600.0;

/// Options of [`cohort_repurchase`].
///
/// ```
/// # use shijing::orders::values::days_from_civil;
/// # use shijing::repurchase::{cohort_repurchase, CohortOptions};
/// let d = |month, day| days_from_civil(2024, month, day) as f64;
/// // Customer 1 buys on 1 and 5 March, customer 2 on 2 and 20 March.
/// let (customers, days) = ([1, 1, 2, 2], [d(3, 1), d(3, 5), d(3, 2), d(3, 20)]);
/// let options = CohortOptions { windows: Some(vec![7.0]), end: Some(d(3, 10)) };
/// let c = cohort_repurchase(&customers, &days, &options).unwrap();
/// // Up to 10 March both first orders are 7 days old; only customer 1 came back.
/// assert_eq!(c.end, d(3, 10));
/// assert_eq!((c.windows[0].window, c.windows[0].eligible, c.windows[0].repeated), (7.0, 2, 1));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CohortOptions {
    /// Windows in days (default `[30, 90]`); each > 0 and ≤ 36,600.
    pub windows: Option<Vec<f64>>,
    /// End of the log (day number; default: the last order's day). Orders
    /// after it are left out.
    pub end: Option<f64>,
}

/// Counts behind one rate.
///
/// ```
/// # use shijing::orders::values::days_from_civil;
/// # use shijing::repurchase::{cohort_repurchase, CohortOptions};
/// let d = |month, day| days_from_civil(2024, month, day) as f64;
/// let (customers, days) = ([1, 1, 2], [d(3, 1), d(3, 5), d(3, 2)]);
/// let options = CohortOptions { windows: Some(vec![7.0, 30.0]), end: Some(d(3, 10)) };
/// let c = cohort_repurchase(&customers, &days, &options).unwrap();
/// let (week, month) = (&c.windows[0], &c.windows[1]);
/// assert_eq!((week.repeated, week.eligible, week.rate), (1, 2, Some(0.5)));
/// // No first order is 30 days before the end: no rate.
/// assert_eq!((month.eligible, month.rate), (0, None));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WindowRate {
    /// The window in days.
    pub window: f64,
    /// Customers whose first order is at least `window` days before the end.
    pub eligible: u64,
    /// Of them, those who ordered again on a later day within `window` days.
    pub repeated: u64,
    /// `repeated / eligible`; `None` when no customer is eligible.
    pub rate: Option<f64>,
}

/// One month's cohort.
///
/// ```
/// # use shijing::orders::values::days_from_civil;
/// # use shijing::repurchase::{cohort_repurchase, CohortOptions};
/// let d = |month, day| days_from_civil(2024, month, day) as f64;
/// // Customer 1 first buys in January and again 10 days later; customer 2 in February.
/// let (customers, days) = ([1, 1, 2], [d(1, 10), d(1, 20), d(2, 3)]);
/// let options = CohortOptions { end: Some(d(6, 30)), ..Default::default() };
/// let c = cohort_repurchase(&customers, &days, &options).unwrap();
/// let months: Vec<&str> = c.cohorts.iter().map(|r| r.month.as_str()).collect();
/// assert_eq!(months, ["2024-01", "2024-02"]);
/// let jan = &c.cohorts[0];
/// assert_eq!((jan.first_day, jan.customers), (d(1, 1), 1));
/// assert_eq!(jan.windows[0].repeated, 1); // T30
/// assert_eq!(c.cohorts[1].windows[0].repeated, 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRow {
    /// The month of the first orders, `yyyy-mm`.
    pub month: String,
    /// Day number of the month's first day.
    pub first_day: f64,
    /// Customers whose first order falls in the month.
    pub customers: u64,
    /// Per window, aligned with the options' windows.
    pub windows: Vec<WindowRate>,
}

/// The observed repurchase rates.
///
/// ```
/// # use shijing::repurchase::{cohort_repurchase, CohortOptions};
/// let customers = [1, 1, 2, 2, 3, 4, 4];
/// let days = [19000.0, 19020.0, 19000.0, 19060.0, 19040.0, 19050.0, 19052.0];
/// let c = cohort_repurchase(&customers, &days, &CohortOptions::default()).unwrap();
/// assert_eq!((c.end, c.customers), (19060.0, 4)); // the end defaults to the last order
/// // The monthly cohorts split the customers and each window's counts.
/// assert_eq!(c.cohorts.iter().map(|r| r.customers).sum::<u64>(), c.customers);
/// for (w, total) in c.windows.iter().enumerate() {
///     let eligible: u64 = c.cohorts.iter().map(|r| r.windows[w].eligible).sum();
///     let repeated: u64 = c.cohorts.iter().map(|r| r.windows[w].repeated).sum();
///     assert_eq!((eligible, repeated), (total.eligible, total.repeated));
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRepurchase {
    /// The end used (day number).
    pub end: f64,
    /// Customers with a first order on or before the end.
    pub customers: u64,
    /// Per window, aligned with the windows asked for.
    pub windows: Vec<WindowRate>,
    /// Monthly cohorts by first order, oldest first.
    pub cohorts: Vec<CohortRow>,
}

fn rate(eligible: u64, repeated: u64) -> Option<f64> {
    (eligible > 0).then(|| repeated as f64 / eligible as f64)
}

/// Cohort repurchase rates of an order log: `customers` are opaque keys
/// (one per order, as for [`summarize`](super::summarize)), `days` day
/// numbers (fractions are the time of day: a later order must fall on a
/// later calendar day, `floor(day)`).
///
/// ```
/// # use shijing::repurchase::{cohort_repurchase, CohortOptions};
/// // Customer 1 buys again 20 days after the first order, customer 2 after 60, customer 3 never.
/// let customers = [1, 1, 2, 2, 3];
/// let days = [19000.0, 19020.0, 19000.0, 19060.0, 19001.0];
/// let options = CohortOptions { end: Some(19100.0), ..Default::default() };
/// let c = cohort_repurchase(&customers, &days, &options).unwrap();
/// assert_eq!((c.windows[0].window, c.windows[0].repeated, c.windows[0].eligible), (30.0, 1, 3));
/// assert_eq!((c.windows[1].window, c.windows[1].repeated, c.windows[1].eligible), (90.0, 2, 3));
/// assert_eq!(c.cohorts[0].month, "2022-01");
/// ```
pub fn cohort_repurchase(
    customers: &[u32],
    days: &[f64],
    options: &CohortOptions,
) -> Result<CohortRepurchase> {
    check_log(("customers", customers.len()), ("days", days), "")?;
    let windows: Vec<f64> = options
        .windows
        .clone()
        .unwrap_or_else(|| DEFAULT_WINDOWS.to_vec());
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(Error::invalid(format!(
            "options.windows has {} elements; it must have 1 to {MAX_WINDOWS}",
            windows.len()
        )));
    }
    for (i, &w) in windows.iter().enumerate() {
        let name = format!("options.windows[{i}]");
        validate::positive(&name, w)?;
        if w > MAX_WINDOW_DAYS {
            return Err(Error::invalid(format!(
                "{name} is {}; windows are days, at most {}",
                num(w),
                num(MAX_WINDOW_DAYS)
            )));
        }
    }
    let last = days.iter().fold(f64::MIN, |m, &d| m.max(d.floor()));
    let end = match options.end {
        Some(e) => {
            check_day("options.end", e)?;
            e.floor()
        }
        None => last,
    };
    // Orders on or before the end, grouped by customer: (key, day) sorted.
    let mut keyed: Vec<u64> = customers
        .iter()
        .zip(days)
        .enumerate()
        .filter(|(_, (_, &d))| d.floor() <= end)
        .map(|(i, (&k, _))| (u64::from(k) << 32) | i as u64)
        .collect();
    sort::sort_grouped(&mut keyed, 32);
    // Per customer: first day and the first later day.
    let mut firsts: Vec<(i64, Option<i64>)> = Vec::new();
    let mut start = 0;
    while start < keyed.len() {
        let k = keyed[start] >> 32;
        let len = keyed[start..].partition_point(|&v| v >> 32 == k);
        let run = &keyed[start..start + len];
        let day_of = |v: &u64| days.get(*v as u32 as usize).map_or(0, |d| d.floor() as i64);
        let first = run.iter().map(day_of).min().unwrap_or(0);
        let second = run.iter().map(day_of).filter(|&d| d > first).min();
        firsts.push((first, second));
        start += len;
    }
    // Months of first orders: (month index, row).
    let month_of = |day: i64| {
        let (y, m, _) = civil_from_days(day);
        y * 12 + (m - 1)
    };
    let mut months: Vec<u64> = firsts
        .iter()
        .enumerate()
        .map(|(i, &(f, _))| ((month_of(f) + (1 << 20)) as u64) << 32 | i as u64)
        .collect();
    sort::sort_bits(&mut months);
    let count = |rows: &mut dyn Iterator<Item = &(i64, Option<i64>)>| {
        let mut eligible = vec![0u64; windows.len()];
        let mut repeated = vec![0u64; windows.len()];
        for &(f, s) in rows {
            for (j, &w) in windows.iter().enumerate() {
                if (f as f64) <= end - w {
                    eligible[j] += 1;
                    if s.is_some_and(|s| (s - f) as f64 <= w) {
                        repeated[j] += 1;
                    }
                }
            }
        }
        windows
            .iter()
            .zip(eligible.iter().zip(&repeated))
            .map(|(&window, (&e, &r))| WindowRate {
                window,
                eligible: e,
                repeated: r,
                rate: rate(e, r),
            })
            .collect::<Vec<_>>()
    };
    let overall = count(&mut firsts.iter());
    let mut cohorts = Vec::new();
    let mut at = 0;
    while at < months.len() {
        let m = months[at] >> 32;
        let len = months[at..].partition_point(|&v| v >> 32 == m);
        let members: Vec<&(i64, Option<i64>)> = months[at..at + len]
            .iter()
            .filter_map(|&v| firsts.get(v as u32 as usize))
            .collect();
        let month = m as i64 - (1 << 20);
        let (y, mo) = (month.div_euclid(12), month.rem_euclid(12) + 1);
        cohorts.push(CohortRow {
            month: format!("{y:04}-{mo:02}"),
            first_day: crate::orders::values::days_from_civil(y, mo, 1) as f64,
            customers: len as u64,
            windows: count(&mut members.into_iter()),
        });
        at += len;
    }
    Ok(CohortRepurchase {
        end,
        customers: firsts.len() as u64,
        windows: overall,
        cohorts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::values::days_from_civil;

    fn d(y: i64, m: i64, dd: i64) -> f64 {
        days_from_civil(y, m, dd) as f64
    }

    #[test]
    fn rates_and_cohorts() {
        // End 2024-06-30. Customer 1: Jan 1, again Jan 20 (19 days). 2: Jan 10
        // then Mar 20 (70 days). 3: Jan 15 only. 4: Jan 31 twice the same day
        // (10:00 and 18:00), then Jun 1. 5: Jun 10, again Jun 15 (first order
        // 20 days before the end: not eligible for 30 or 90).
        let customers = [1, 1, 2, 2, 3, 4, 4, 4, 5, 5];
        let days = [
            d(2024, 1, 1),
            d(2024, 1, 20),
            d(2024, 1, 10),
            d(2024, 3, 20),
            d(2024, 1, 15),
            d(2024, 1, 31) + 10.0 / 24.0,
            d(2024, 1, 31) + 18.0 / 24.0,
            d(2024, 6, 1),
            d(2024, 6, 10),
            d(2024, 6, 15),
        ];
        let mut opts = CohortOptions {
            end: Some(d(2024, 6, 30)),
            ..Default::default()
        };
        let r = cohort_repurchase(&customers, &days, &opts).unwrap();
        assert_eq!(r.customers, 5);
        let w: Vec<(u64, u64)> = r.windows.iter().map(|w| (w.eligible, w.repeated)).collect();
        // T30: customers 1–4 eligible; 1 repeated. T90: 1–4; 1 and 2.
        assert_eq!(w, vec![(4, 1), (4, 2)]);
        assert_eq!(r.windows[0].rate, Some(0.25));
        assert_eq!(r.windows[1].rate, Some(0.5));
        assert_eq!(r.cohorts.len(), 2);
        assert_eq!(r.cohorts[0].month, "2024-01");
        assert_eq!(r.cohorts[0].first_day, d(2024, 1, 1));
        assert_eq!(r.cohorts[0].customers, 4);
        assert_eq!(r.cohorts[1].month, "2024-06");
        assert_eq!(r.cohorts[1].windows[0].eligible, 0);
        assert_eq!(r.cohorts[1].windows[0].rate, None);
        // Default end: the last order day (Jun 15); a 365-day window has no one eligible.
        opts.end = None;
        opts.windows = Some(vec![7.0, 365.0]);
        let r = cohort_repurchase(&customers, &days, &opts).unwrap();
        assert_eq!(r.end, d(2024, 6, 15));
        assert_eq!(r.windows[0].eligible, 4);
        assert_eq!(r.windows[0].repeated, 0);
        assert_eq!(r.windows[1].rate, None);
    }

    #[test]
    fn checks_inputs() {
        let e = |c: &[u32], d: &[f64], o: CohortOptions| {
            cohort_repurchase(c, d, &o).unwrap_err().to_string()
        };
        assert_eq!(e(&[], &[], CohortOptions::default()), "customers is empty");
        assert_eq!(
            e(&[1, 2], &[0.0], CohortOptions::default()),
            "days has 1 elements but customers has 2; they must have the same length"
        );
        assert_eq!(
            e(&[1], &[f64::NAN], CohortOptions::default()),
            "days[0] is NaN"
        );
        assert!(e(&[1], &[1.7e12], CohortOptions::default()).contains("day numbers"));
        let w = |v: Vec<f64>| CohortOptions {
            windows: Some(v),
            end: None,
        };
        assert!(e(&[1], &[0.0], w(vec![0.0])).starts_with("options.windows[0]"));
        assert!(e(&[1], &[0.0], w(vec![30.0, f64::NAN])).starts_with("options.windows[1]"));
        assert!(e(&[1], &[0.0], w(vec![])).starts_with("options.windows"));
        assert!(e(&[1], &[0.0], w(vec![1e9])).contains("at most 36600"));
    }
}
