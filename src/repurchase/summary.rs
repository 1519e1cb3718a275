//! Order log → per-customer RFM summary, with the semantics of lifetimes'
//! `summary_data_from_transaction_data` / `calibration_and_holdout_data`.
//!
//! * Times are day numbers (days since any fixed epoch, fractions allowed;
//!   from epoch milliseconds use `ms / 86_400_000`).
//! * Orders are merged into periods of `periodDays` days: period k holds times
//!   in `[k·periodDays, (k+1)·periodDays)` counted from day 0 of the caller's
//!   numbering (so `periodDays = 1` merges orders of the same calendar day if
//!   day numbers start at midnight). Several orders in one period count as
//!   one purchase whose amount is their sum.
//! * Orders at or before `calibrationEnd` form the calibration summary:
//!   `frequency` = number of distinct periods − 1 (repeat purchases),
//!   `recency` = (last period − first period), `T` = (period of
//!   `calibrationEnd` − first period), both expressed in units of `unitDays`
//!   days (default: `periodDays`), and `monetary` = mean of the repeat
//!   periods' summed amounts (the first period excluded; 0 when x = 0).
//!   Customers whose first order comes after `calibrationEnd` are left out.
//! * With `observationEnd`, `holdoutFrequency` counts distinct periods with
//!   orders in (`calibrationEnd`, `observationEnd`] per included customer,
//!   and `holdoutDuration` = period(observationEnd) − period(calibrationEnd)
//!   in units.
//!
//! The CDNOW reference summary (weeks) is `periodDays = 1, unitDays = 7`
//! (day-level merging, weekly output), as lifetimes builds it with
//! `freq='D'` and divides by 7.

use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Largest |day number| accepted: ±100 million days (±270,000 years). Epoch
/// milliseconds (~1.7e12) are rejected with a hint.
///
/// ```
/// # use shijing::repurchase::{summarize, summary::MAX_DAY, SummaryOptions};
/// let options = SummaryOptions { calibration_end: MAX_DAY, ..Default::default() };
/// assert!(summarize(&[1], &[MAX_DAY], None, &options).is_ok());
/// // 2024-01-05 as epoch milliseconds instead of a day number.
/// let e = summarize(&[1], &[1_704_412_800_000.0], None, &options).unwrap_err();
/// assert!(e.to_string().ends_with("for epoch milliseconds divide by 86400000"));
/// ```
pub const MAX_DAY: f64 = 1e8;

/// Options of [`summarize`].
///
/// ```
/// # use shijing::repurchase::{summarize, SummaryOptions};
/// // Customer 7 buys on days 0, 10, 10.5 and 40; customer 9 on day 5.
/// let (keys, days) = ([7, 7, 7, 9, 7], [0.0, 10.0, 10.5, 5.0, 40.0]);
/// // Day-level periods, output in weeks (CDNOW's convention).
/// let weeks = SummaryOptions { calibration_end: 63.0, unit_days: Some(7.0), ..Default::default() };
/// let s = summarize(&keys, &days, None, &weeks).unwrap();
/// assert_eq!((s.frequency[0], s.t[0]), (2.0, 9.0));
/// assert!((s.recency[0] - 40.0 / 7.0).abs() < 1e-12);
/// // Week-long periods: 0 | 10, 10.5 | 40 are weeks 0, 1 and 5; day 63 is week 9.
/// let periods = SummaryOptions { period_days: Some(7.0), ..weeks };
/// let s = summarize(&keys, &days, None, &periods).unwrap();
/// assert_eq!((s.frequency[0], s.recency[0], s.t[0]), (2.0, 5.0, 9.0));
/// assert_eq!(s.t[1], 9.0); // day 5 is in week 0 too
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryOptions {
    /// End of calibration (day number, inclusive).
    pub calibration_end: f64,
    /// End of the holdout (day number, inclusive); omit for no holdout.
    pub observation_end: Option<f64>,
    /// Merge granularity in days (default 1).
    pub period_days: Option<f64>,
    /// Output time unit in days (default `periodDays`; 7 for weeks).
    pub unit_days: Option<f64>,
}

/// Per-customer summary.
///
/// ```
/// # use shijing::repurchase::{summarize, SummaryOptions};
/// // Customer 1 buys on days 0, 3 and 12, customer 2 on day 4; calibration
/// // ends on day 10, the holdout on day 20.
/// let options = SummaryOptions { calibration_end: 10.0, observation_end: Some(20.0), ..Default::default() };
/// let s = summarize(&[1, 1, 2, 1], &[0.0, 3.0, 4.0, 12.0], None, &options).unwrap();
/// assert_eq!(s.customers, [1, 2]);
/// assert_eq!((s.frequency, s.recency, s.t), (vec![1.0, 0.0], vec![3.0, 0.0], vec![10.0, 6.0]));
/// assert_eq!(s.holdout_frequency, Some(vec![1.0, 0.0]));
/// assert_eq!(s.holdout_duration, Some(10.0));
/// assert_eq!(s.monetary, [0.0, 0.0]); // no amounts given
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Customer keys in first-seen order (only customers with a calibration order).
    pub customers: Vec<u32>,
    /// Repeat purchases x.
    pub frequency: Vec<f64>,
    /// t_x: last repeat purchase − first purchase (units).
    pub recency: Vec<f64>,
    /// T: calibration end − first purchase (units).
    pub t: Vec<f64>,
    /// Mean repeat-purchase value (0 when x = 0).
    pub monetary: Vec<f64>,
    /// Holdout purchases (distinct periods), when `observationEnd` is given.
    pub holdout_frequency: Option<Vec<f64>>,
    /// Holdout length in units, when `observationEnd` is given.
    pub holdout_duration: Option<f64>,
}

/// Checks an order log: its ids (`(name, count)`) non-empty, at most
/// [`validate::MAX_ELEMENTS`] and as many as its days (`(name, values)`),
/// and every day a day number at most [`MAX_DAY`] in magnitude (`hint` ends
/// that message).
pub(crate) fn check_log(
    (ids, n): (&str, usize),
    (name, days): (&str, &[f64]),
    hint: &str,
) -> Result<()> {
    validate::non_empty(ids, n)?;
    validate::max_len(ids, n, validate::MAX_ELEMENTS)?;
    validate::same_len(ids, n, name, days.len())?;
    // No message is built for a valid day (`contains` is false for NaN and
    // the infinities).
    if let Some(i) = days.iter().position(|t| !(-MAX_DAY..=MAX_DAY).contains(t)) {
        let t = days[i];
        validate::finite(&format!("{name}[{i}]"), t)?;
        return Err(Error::invalid(format!(
            "{name}[{i}] is {}; {name} are day numbers (at most {} in magnitude){hint}",
            num(t),
            num(MAX_DAY)
        )));
    }
    Ok(())
}

/// Checks one day number (`name` in messages): finite and at most
/// [`MAX_DAY`] in magnitude.
pub(crate) fn check_day(name: &str, day: f64) -> Result<()> {
    validate::finite(name, day)?;
    if day.abs() > MAX_DAY {
        return Err(Error::invalid(format!(
            "{name} is {}; it is a day number (at most {} in magnitude)",
            num(day),
            num(MAX_DAY)
        )));
    }
    Ok(())
}

/// Summarizes an order log. `keys` are opaque customer keys (one per order),
/// `times` day numbers, `amounts` optional order values (finite, ≥ 0).
///
/// ```
/// # use shijing::repurchase::{summarize, SummaryOptions};
/// // Customer 7 buys on days 0, 10 and 10 (one period) and 40; customer 9 once on day 5.
/// let keys = [7, 7, 7, 9, 7];
/// let days = [0.0, 10.0, 10.5, 5.0, 40.0];
/// let options = SummaryOptions { calibration_end: 60.0, ..Default::default() };
/// let s = summarize(&keys, &days, Some(&[10.0, 20.0, 5.0, 8.0, 30.0]), &options).unwrap();
/// assert_eq!(s.customers, [7, 9]);
/// assert_eq!(s.frequency, [2.0, 0.0]);
/// assert_eq!(s.recency, [40.0, 0.0]);
/// assert_eq!(s.t, [60.0, 55.0]);
/// assert_eq!(s.monetary[0], (25.0 + 30.0) / 2.0);
/// ```
pub fn summarize(
    keys: &[u32],
    times: &[f64],
    amounts: Option<&[f64]>,
    options: &SummaryOptions,
) -> Result<Summary> {
    check_log(
        ("customerIds", keys.len()),
        ("times", times),
        " — for epoch milliseconds divide by 86400000",
    )?;
    if let Some(a) = amounts {
        validate::same_len("customerIds", keys.len(), "amounts", a.len())?;
        validate::all_finite_non_negative("amounts", a)?;
    }
    let cal = options.calibration_end;
    check_day("options.calibrationEnd", cal)?;
    if let Some(obs) = options.observation_end {
        check_day("options.observationEnd", obs)?;
        if obs < cal {
            return Err(Error::invalid(format!(
                "options.observationEnd ({}) is before options.calibrationEnd ({})",
                num(obs),
                num(cal)
            )));
        }
    }
    let period = options.period_days.unwrap_or(1.0);
    validate::positive("options.periodDays", period)?;
    if !(1.0 / 1440.0..=3660.0).contains(&period) {
        return Err(Error::invalid(format!(
            "options.periodDays must be in [1/1440, 3660] (a minute to ten years), got {}",
            num(period)
        )));
    }
    let unit = options.unit_days.unwrap_or(period);
    validate::positive("options.unitDays", unit)?;
    if !(1.0 / 1440.0..=3660.0).contains(&unit) {
        return Err(Error::invalid(format!(
            "options.unitDays must be in [1/1440, 3660] (a minute to ten years), got {}",
            num(unit)
        )));
    }
    // Amounts are summed per period and per customer. When the largest
    // amount times the number of orders could overflow, every amount is
    // scaled by a power of two (exact) so that the largest is below 1, and
    // the means are scaled back at the end; otherwise nothing changes (the
    // usual case keeps its bit-exact sums).
    let amount_exp = amounts.map_or(0, overflow_exponent);
    let scale = period / unit;
    let period_of = |t: f64| (t / period).floor();
    let cal_period = period_of(cal);

    // Dense customer index in first-seen order: orders sorted by (key,
    // position) give each customer's run and first order; the runs sorted by
    // their first order number the customers.
    let mut by_key: Vec<u64> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (u64::from(k) << 32) | i as u64)
        .collect();
    sort::sort_grouped(&mut by_key, 32);
    let mut runs: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < by_key.len() {
        let k = by_key[start] >> 32;
        runs.push((by_key[start] << 32) | start as u64);
        start += by_key[start..].partition_point(|&v| v >> 32 == k);
    }
    sort::sort_bits(&mut runs);
    let mut order: Vec<u32> = Vec::with_capacity(runs.len());
    let mut dense = vec![0u32; keys.len()];
    for (id, &r) in runs.iter().enumerate() {
        let start = r as u32 as usize;
        let k = by_key[start] >> 32;
        order.push(k as u32);
        for &v in by_key[start..].iter().take_while(|&&v| v >> 32 == k) {
            dense[v as u32 as usize] = id as u32;
        }
    }
    // Orders sorted by (customer, period).
    let mut by_customer: Vec<u128> = (0..keys.len())
        .map(|i| {
            (u128::from(dense[i]) << 96)
                | (u128::from(sort::total_key(period_of(times[i]))) << 32)
                | i as u128
        })
        .collect();
    sort::sort_grouped_wide(&mut by_customer, 96);
    let idx: Vec<usize> = by_customer.iter().map(|&k| k as u32 as usize).collect();

    let obs = options.observation_end;
    let mut out = Summary {
        holdout_frequency: obs.map(|_| Vec::new()),
        holdout_duration: obs.map(|o| (period_of(o) - cal_period) * scale),
        ..Default::default()
    };
    let mut pos = 0;
    while pos < idx.len() {
        let cust = dense[idx[pos]];
        let mut end = pos;
        while end < idx.len() && dense[idx[end]] == cust {
            end += 1;
        }
        // Calibration periods with summed amounts; holdout period count.
        let mut first: Option<f64> = None;
        let mut last = 0.0;
        let mut periods = 0u64;
        let mut repeat_sum = 0.0;
        let mut cur_period = f64::NAN;
        let mut cur_amount = 0.0;
        let mut holdout = 0u64;
        let mut last_holdout_period = f64::NAN;
        for &i in &idx[pos..end] {
            let t = times[i];
            let p = period_of(t);
            let amount = amounts.and_then(|a| a.get(i).copied()).unwrap_or(0.0);
            let amount = if amount_exp == 0 {
                amount
            } else {
                libm::scalbn(amount, -amount_exp)
            };
            if t <= cal {
                if p != cur_period {
                    if periods >= 2 {
                        repeat_sum += cur_amount;
                    }
                    periods += 1;
                    cur_period = p;
                    cur_amount = 0.0;
                    if first.is_none() {
                        first = Some(p);
                    }
                    last = p;
                }
                cur_amount += amount;
            } else if obs.is_some_and(|o| t <= o) && p != last_holdout_period {
                holdout += 1;
                last_holdout_period = p;
            }
        }
        if periods >= 2 {
            repeat_sum += cur_amount;
        }
        if let Some(f) = first {
            let x = (periods - 1) as f64;
            out.customers
                .push(order.get(cust as usize).copied().unwrap_or(0));
            out.frequency.push(x);
            out.recency.push((last - f) * scale);
            out.t.push((cal_period - f) * scale);
            let mut m = if x > 0.0 { repeat_sum / x } else { 0.0 };
            if amount_exp != 0 {
                m = libm::scalbn(m, amount_exp);
                if !m.is_finite() {
                    let i = idx[pos];
                    return Err(Error::invalid(format!(
                        "amounts are too large: the mean repeat-purchase value of the customer at customerIds[{i}] exceeds {} (the largest number there is)",
                        num(f64::MAX)
                    )));
                }
            }
            out.monetary.push(m);
            if let Some(h) = out.holdout_frequency.as_mut() {
                h.push(holdout as f64);
            }
        }
        pos = end;
    }
    if out.customers.is_empty() {
        return Err(Error::invalid(format!(
            "no customer has an order on or before options.calibrationEnd ({})",
            num(cal)
        )));
    }
    // Restore first-seen order (the sort grouped by dense index, which is first-seen order).
    Ok(out)
}

/// The power of two by which amounts must be divided so that no sum over
/// them can overflow: 0 when the largest amount times their count stays
/// below `f64::MAX / 2` (amounts are finite and ≥ 0), else the exponent that
/// brings the largest amount below 1 (sums of at most `MAX_ELEMENTS` such
/// values stay below 2^25).
fn overflow_exponent(amounts: &[f64]) -> i32 {
    let max = amounts
        .iter()
        .fold(0.0f64, |m, &a| if a > m { a } else { m });
    if max <= f64::MAX / 2.0 / (amounts.len().max(1) as f64) {
        return 0;
    }
    // max ≥ 2^exp with exp the unbiased exponent of a normal number (max is huge).
    let exp = ((max.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    exp + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_semantics() {
        // customer 7: days 0, 0.5 (same day), 3, 10 (holdout); customer 9: day 5 only;
        // customer 4: first order after calibration → excluded.
        let keys = [7, 9, 7, 7, 4, 7];
        let times = [0.0, 5.0, 0.5, 3.0, 8.0, 10.0];
        let amounts = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
        let s = summarize(
            &keys,
            &times,
            Some(&amounts),
            &SummaryOptions {
                calibration_end: 6.0,
                observation_end: Some(12.0),
                period_days: None,
                unit_days: None,
            },
        )
        .unwrap();
        assert_eq!(s.customers, vec![7, 9]);
        assert_eq!(s.frequency, vec![1.0, 0.0]);
        assert_eq!(s.recency, vec![3.0, 0.0]);
        assert_eq!(s.t, vec![6.0, 1.0]);
        assert_eq!(s.monetary, vec![8.0, 0.0]);
        assert_eq!(s.holdout_frequency, Some(vec![1.0, 0.0]));
        assert_eq!(s.holdout_duration, Some(6.0));
    }

    #[test]
    fn huge_amounts_are_summed_scaled() {
        // Issue 19: amounts of 1e308 gave monetary = Infinity.
        let opts = SummaryOptions {
            calibration_end: 10.0,
            ..Default::default()
        };
        let s = summarize(
            &[1, 1, 1, 2],
            &[0.0, 1.0, 2.0, 0.0],
            Some(&[1e308, 1e308, 1.7e308, 5.0]),
            &opts,
        )
        .unwrap();
        // Repeat periods 1e308 and 1.7e308: mean 1.35e308 (exact in binary up to rounding).
        assert_eq!(s.monetary, vec![(1e308 / 2.0 + 1.7e308 / 2.0), 0.0]);
        assert!(s.monetary.iter().all(|m| m.is_finite()));
        // Two orders of 1e308 in one repeat period sum to 2e308: not representable.
        let e = summarize(
            &[1, 1, 1],
            &[0.0, 1.0, 1.5],
            Some(&[1.0, 1e308, 1e308]),
            &opts,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "amounts are too large: the mean repeat-purchase value of the customer at customerIds[0] exceeds 1.7976931348623157e+308 (the largest number there is)"
        );
        // Tiny amounts beside huge ones: still finite.
        let s = summarize(
            &[1, 1, 1],
            &[0.0, 1.0, 2.0],
            Some(&[1e-310, 1e308, 1e-300]),
            &opts,
        )
        .unwrap();
        assert_eq!(s.monetary, vec![1e308 / 2.0]);
    }

    #[test]
    fn epoch_ms_is_rejected_with_a_hint() {
        let e = summarize(
            &[1],
            &[1.7e12],
            None,
            &SummaryOptions {
                calibration_end: 0.0,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("86400000"));
    }
}
