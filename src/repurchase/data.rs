//! Customer-level inputs of the transaction models — `(x, t_x, T)` per
//! customer, in the data's own time unit — their validation, and their
//! compression into distinct rows with weights before fitting.

use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Largest repeat-purchase count accepted per customer.
///
/// ```
/// # use shijing::repurchase::{data::MAX_FREQUENCY, Model, ModelKind};
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// assert!(m.probability_alive(&[MAX_FREQUENCY], &[5.0], &[10.0]).is_ok());
/// let e = m.probability_alive(&[2.0 * MAX_FREQUENCY], &[5.0], &[10.0]).unwrap_err();
/// assert_eq!(e.to_string(), "frequency[0] is 20000000; at most 10000000 repeat purchases are supported");
/// ```
pub const MAX_FREQUENCY: f64 = 1e7;
/// Largest time value accepted (in the data's unit).
///
/// ```
/// # use shijing::repurchase::{data::MAX_TIME, Model, ModelKind};
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// assert!(m.probability_alive(&[0.0], &[0.0], &[MAX_TIME]).is_ok());
/// let e = m.expected_purchases(2.0 * MAX_TIME, &[0.0], &[0.0], &[10.0]).unwrap_err();
/// assert_eq!(e.to_string(), "t is 20000000; at most 10000000 time units are supported");
/// ```
pub const MAX_TIME: f64 = 1e7;

/// Checks `frequency` (x: repeat purchases, non-negative integers),
/// `recency` (t_x: time of the last repeat purchase since the first one; 0
/// when x = 0) and `T` (time since the first purchase), element by element.
pub(crate) fn check_customers(frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<()> {
    validate::non_empty("frequency", frequency.len())?;
    check_columns("", frequency, recency, t, validate::MAX_ELEMENTS)
}

/// [`check_customers`]' rules for at most `max` customers (none is
/// fine), the columns named `{prefix}frequency`, `{prefix}recency` and
/// `{prefix}T` in messages (the focus merchant's customers in a scenario
/// are `scenario.merchant.customers.frequency`, …).
pub(crate) fn check_columns(
    prefix: &str,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    max: usize,
) -> Result<()> {
    let n = frequency.len();
    let name = |column: &str| format!("{prefix}{column}");
    validate::max_len(&name("frequency"), n, max)?;
    validate::same_len(&name("frequency"), n, &name("recency"), recency.len())?;
    validate::same_len(&name("frequency"), n, &name("T"), t.len())?;
    for (i, ((&x, &tx), &tt)) in frequency.iter().zip(recency).zip(t).enumerate() {
        check_one(prefix, i, x, tx, tt)?;
    }
    Ok(())
}

fn check_one(prefix: &str, i: usize, x: f64, tx: f64, tt: f64) -> Result<()> {
    // The common case without building a single message.
    // (`contains` is false for NaN and for infinities, as MAX_* are finite.)
    let fine = frequency_ok(x)
        && (0.0..=MAX_TIME).contains(&tt)
        && (0.0..=tt).contains(&tx)
        && !(x == 0.0 && tx != 0.0);
    if fine {
        return Ok(());
    }
    explain(prefix, i, x, tx, tt)
}

/// Whether `x` is a valid repeat-purchase count (no message built).
/// (`contains` is false for NaN and the infinities, as the bound is finite.)
pub(super) fn frequency_ok(x: f64) -> bool {
    (0.0..=MAX_FREQUENCY).contains(&x) && x.fract() == 0.0
}

/// The error for `{prefix}frequency[i]` when it is not [`frequency_ok`].
pub(super) fn check_frequency(prefix: &str, i: usize, x: f64) -> Result<()> {
    validate::finite_non_negative(&format!("{prefix}frequency[{i}]"), x)?;
    if x.fract() != 0.0 {
        return Err(Error::invalid(format!(
            "{prefix}frequency[{i}] must be an integer, got {}",
            num(x)
        )));
    }
    if x > MAX_FREQUENCY {
        return Err(Error::invalid(format!(
            "{prefix}frequency[{i}] is {}; at most {} repeat purchases are supported",
            num(x),
            num(MAX_FREQUENCY)
        )));
    }
    Ok(())
}

/// The error for a customer row that failed [`check_one`], naming the element.
fn explain(prefix: &str, i: usize, x: f64, tx: f64, tt: f64) -> Result<()> {
    check_frequency(prefix, i, x)?;
    validate::finite_non_negative(&format!("{prefix}recency[{i}]"), tx)?;
    validate::finite_non_negative(&format!("{prefix}T[{i}]"), tt)?;
    if tt > MAX_TIME {
        return Err(Error::invalid(format!(
            "{prefix}T[{i}] is {}; at most {} time units are supported",
            num(tt),
            num(MAX_TIME)
        )));
    }
    if tx > tt {
        return Err(Error::invalid(format!(
            "{prefix}recency[{i}] is greater than T[{i}] ({} > {})",
            num(tx),
            num(tt)
        )));
    }
    if x == 0.0 && tx != 0.0 {
        return Err(Error::invalid(format!(
            "{prefix}recency[{i}] must be 0 when frequency[{i}] is 0, got {}",
            num(tx)
        )));
    }
    Ok(())
}

/// Checks optional row weights against `n` rows.
pub(crate) fn check_weights(weights: Option<&[f64]>, n: usize) -> Result<()> {
    let Some(w) = weights else { return Ok(()) };
    validate::same_len("frequency", n, "weights", w.len())?;
    validate::all_finite_non_negative("weights", w)?;
    if !w.iter().any(|&v| v > 0.0) {
        return Err(Error::invalid("weights are all zero"));
    }
    // The fits sum weights (and weighted log-likelihoods): a total that
    // overflows would make them infinite. Only the weights' ratios move the
    // estimates, so the caller can scale them down.
    if !w.iter().sum::<f64>().is_finite() {
        return Err(Error::invalid(format!(
            "weights are too large: their sum exceeds {}; scale them down (the estimates depend only on their ratios)",
            num(f64::MAX)
        )));
    }
    Ok(())
}

/// Checks a prediction horizon `t` (≥ 0, finite, not absurd).
pub(crate) fn check_horizon(name: &str, t: f64) -> Result<()> {
    validate::finite_non_negative(name, t)?;
    if t > MAX_TIME {
        return Err(Error::invalid(format!(
            "{name} is {}; at most {} time units are supported",
            num(t),
            num(MAX_TIME)
        )));
    }
    Ok(())
}

/// Bits of a distinct-time rank in a [`Rows::new`] key.
const RANK_BITS: u32 = 26;
/// Bits of a customer index in a sort key (fewer than 2^25 customers:
/// `MAX_ELEMENTS`); shared with the Gamma-Gamma rows' keys.
pub(super) const INDEX_BITS: u32 = 25;

/// Distinct `(x, t_x, T)` rows with summed weights, sorted by x, plus the
/// distinct time values (both t_x and T) so per-evaluation logarithms are
/// taken once per distinct time.
///
/// ```
/// # use shijing::repurchase::data::Rows;
/// // Customers (x, t_x, T): the first and third are the same customer.
/// let rows = Rows::new(&[1.0, 0.0, 1.0], &[5.0, 0.0, 5.0], &[10.0, 8.0, 10.0], None);
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows.times, [0.0, 5.0, 8.0, 10.0]); // distinct t_x and T values
/// // Sorted by x: (0, 0, 8) once, (1, 5, 10) twice.
/// assert_eq!((rows.x.clone(), rows.w.clone()), (vec![0.0, 1.0], vec![1.0, 2.0]));
/// assert_eq!((rows.tx[1], rows.t[1]), (1, 3)); // indices into times
/// assert_eq!(rows.groups, [(0.0, 0, 1, 1.0), (1.0, 1, 2, 2.0)]);
/// assert_eq!(rows.total_weight, 3.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Repeat purchases per row.
    pub x: Vec<f64>,
    /// Index into `times` of each row's t_x.
    pub tx: Vec<u32>,
    /// Index into `times` of each row's T.
    pub t: Vec<u32>,
    /// Row weights (number of identical customers, times the user weight).
    pub w: Vec<f64>,
    /// Distinct time values.
    pub times: Vec<f64>,
    /// Runs of equal x: `(x, first row, end row, total weight)`.
    pub groups: Vec<(f64, usize, usize, f64)>,
    /// Σ w.
    pub total_weight: f64,
}

impl Rows {
    /// Compresses validated customers into weighted distinct rows.
    ///
    /// Sorting works on integers: the distinct times are sorted by their bit
    /// patterns (which order like the values for non-negative floats), and
    /// each customer becomes one integer key `(x, rank of t_x, rank of T,
    /// index)`, so one plain integer sort groups identical customers. The
    /// weights of identical customers are summed in ascending order (their
    /// bit patterns, as they are positive), whatever the input order.
    ///
    /// ```
    /// # use shijing::repurchase::data::Rows;
    /// let (x, tx, t) = ([2.0, 2.0, 0.0], [3.0, 3.0, 0.0], [6.0, 6.0, 5.0]);
    /// // A weight is a number of identical customers; a zero weight drops a row.
    /// let weighted = Rows::new(&x, &tx, &t, Some(&[0.5, 1.5, 0.0]));
    /// assert_eq!((weighted.x.clone(), weighted.w.clone()), (vec![2.0], vec![2.0]));
    /// assert_eq!(weighted.times, [3.0, 6.0]);
    /// let plain = Rows::new(&x, &tx, &t, None);
    /// assert_eq!(plain.w, [1.0, 2.0]);
    /// ```
    pub fn new(frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Rows {
        let n = frequency.len().min(recency.len()).min(t.len());
        let weight = |i: usize| weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
        // `+ 0.0` turns −0 into +0, so equal values have equal bits.
        let bits = |v: f64| (v + 0.0).to_bits();
        let mut time_bits: Vec<u64> = Vec::with_capacity(2 * n);
        for i in 0..n {
            if weight(i) > 0.0 {
                time_bits.push(bits(recency[i]));
                time_bits.push(bits(t[i]));
            }
        }
        sort::sort_bits(&mut time_bits);
        time_bits.dedup();
        let rank = |v: f64| -> u128 {
            let b = bits(v);
            time_bits.partition_point(|&p| p < b) as u128
        };
        // x < 2^24 (validated ≤ 1e7); n ≤ MAX_ELEMENTS < 2^25 customers, so
        // fewer than 2^26 distinct times: the key takes 24 + 26 + 26 + 25 bits.
        debug_assert!(n < 1 << INDEX_BITS);
        let mut keys: Vec<u128> = (0..n)
            .filter(|&i| weight(i) > 0.0)
            .map(|i| {
                (u128::from(frequency[i] as u64) << (2 * RANK_BITS + INDEX_BITS))
                    | (rank(recency[i]) << (RANK_BITS + INDEX_BITS))
                    | (rank(t[i]) << INDEX_BITS)
                    | i as u128
            })
            .collect();
        sort::sort_wide(&mut keys);
        let rank_mask = (1 << RANK_BITS) - 1;
        let mut rows = Rows::default();
        let mut run: Vec<u64> = Vec::new();
        let mut start = 0;
        while start < keys.len() {
            let key = keys[start] >> INDEX_BITS;
            let end = start + keys[start..].partition_point(|&k| k >> INDEX_BITS == key);
            run.clear();
            run.extend(
                keys[start..end]
                    .iter()
                    .map(|&k| weight(k as usize & ((1 << INDEX_BITS) - 1)).to_bits()),
            );
            if weights.is_some() {
                sort::sort_bits(&mut run);
            }
            let x = (key >> (2 * RANK_BITS)) as f64;
            let i = rows.x.len();
            rows.x.push(x);
            rows.tx.push((key >> RANK_BITS) as u32 & rank_mask);
            rows.t.push(key as u32 & rank_mask);
            // A new group starts at weight 0, and `0 + w` is `w` exactly
            // (weights are positive): the same sums as starting from `w`.
            if rows.groups.last().is_none_or(|g| g.0 != x) {
                rows.groups.push((x, i, i + 1, 0.0));
            }
            let g = rows.groups.len() - 1;
            rows.groups[g].2 = i + 1;
            let mut row_w = 0.0;
            for &b in &run {
                let w = f64::from_bits(b);
                rows.total_weight += w;
                row_w += w;
                rows.groups[g].3 += w;
            }
            rows.w.push(row_w);
            start = end;
        }
        rows.times = time_bits.into_iter().map(f64::from_bits).collect();
        rows
    }

    /// Number of distinct rows.
    ///
    /// ```
    /// # use shijing::repurchase::data::Rows;
    /// assert_eq!(Rows::new(&[0.0; 4], &[0.0; 4], &[7.0; 4], None).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no rows (every weight zero, or no customers).
    ///
    /// ```
    /// # use shijing::repurchase::data::Rows;
    /// assert!(Rows::new(&[1.0], &[2.0], &[3.0], Some(&[0.0])).is_empty());
    /// assert!(!Rows::new(&[1.0], &[2.0], &[3.0], None).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Repeat purchases per unit of time over all customers, Σ w·x / Σ w·T
    /// (a rough purchase rate, where the fits start); 1 when there are no
    /// repeat purchases.
    ///
    /// ```
    /// # use shijing::repurchase::data::Rows;
    /// // 1 + 3 repeat purchases in 10 + 30 time units.
    /// let rows = Rows::new(&[1.0, 3.0], &[4.0, 20.0], &[10.0, 30.0], None);
    /// assert_eq!(rows.mean_rate(), 0.1);
    /// // The second customer twice: 7 in 70.
    /// let rows = Rows::new(&[1.0, 3.0], &[4.0, 20.0], &[10.0, 30.0], Some(&[1.0, 2.0]));
    /// assert_eq!(rows.mean_rate(), 0.1);
    /// let none = Rows::new(&[0.0], &[0.0], &[10.0], None);
    /// assert_eq!(none.mean_rate(), 1.0);
    /// ```
    pub fn mean_rate(&self) -> f64 {
        let sums = |scale: f64| {
            let (mut sx, mut st) = (0.0, 0.0);
            for i in 0..self.len() {
                let tt = self.times.get(self.t[i] as usize).copied().unwrap_or(0.0);
                sx += self.w[i] * scale * self.x[i];
                st += self.w[i] * scale * tt;
            }
            (sx, st)
        };
        let (mut sx, mut st) = sums(1.0);
        if !(sx.is_finite() && st.is_finite()) {
            // Huge weights: only their ratios matter here.
            let max = self
                .w
                .iter()
                .fold(0.0f64, |m, &w| if w > m { w } else { m });
            (sx, st) = sums(1.0 / max);
        }
        let rate = sx / st;
        if st > 0.0 && sx > 0.0 && rate.is_finite() {
            rate
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn compresses_identical_rows() {
        let rows = Rows::new(
            &[0.0, 2.0, 0.0, 2.0],
            &[0.0, 3.0, 0.0, 3.0],
            &[5.0, 6.0, 5.0, 6.0],
            None,
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.w, vec![2.0, 2.0]);
        assert_eq!(rows.times, vec![0.0, 3.0, 5.0, 6.0]);
        assert_eq!(rows.groups.len(), 2);
    }

    #[test]
    fn merges_and_orders_rows() {
        let x = [3.0, 0.0, 3.0, 1.0, 0.0, 3.0, 1.0];
        let tx = [2.5, 0.0, 2.5, -0.0, 0.0, 1.0, 0.0];
        let t = [4.0, 4.0, 4.0, 3.0, 2.0, 4.0, 3.0];
        for w in [None, Some(&[1.0, 2.0, 0.5, 1.0, 0.0, 3.0, 1.5][..])] {
            let a = Rows::new(&x, &tx, &t, w);
            // −0 and 0 merge; with weights, x = 0 at T = 2 has weight 0 and is dropped.
            if w.is_some() {
                assert_eq!(a.x, vec![0.0, 1.0, 3.0, 3.0]);
                assert_eq!(a.times, vec![0.0, 1.0, 2.5, 3.0, 4.0]);
                assert_eq!(a.w, vec![2.0, 2.5, 3.0, 1.5]);
                assert_eq!(a.total_weight, 9.0);
                assert_eq!(
                    a.groups,
                    vec![(0.0, 0, 1, 2.0), (1.0, 1, 2, 2.5), (3.0, 2, 4, 4.5)]
                );
            } else {
                assert_eq!(a.x, vec![0.0, 0.0, 1.0, 3.0, 3.0]);
                assert_eq!(a.times, vec![0.0, 1.0, 2.0, 2.5, 3.0, 4.0]);
                assert_eq!(a.w, vec![1.0, 1.0, 2.0, 1.0, 2.0]);
                assert_eq!(a.tx, vec![0, 0, 0, 1, 3]);
                assert_eq!(a.t, vec![2, 5, 4, 5, 5]);
            }
        }
    }

    #[test]
    fn weights_of_equal_rows_sum_in_ascending_order() {
        // 1 + 1 + 1e16 = 1e16 + 2, but 1e16 + 1 + 1 = 1e16: ascending, whatever the input order.
        for w in [[1e16, 1.0, 1.0], [1.0, 1e16, 1.0], [1.0, 1.0, 1e16]] {
            let rows = Rows::new(&[2.0; 3], &[1.0; 3], &[3.0; 3], Some(&w));
            assert_eq!(rows.w, vec![1e16 + 2.0]);
            assert_eq!(rows.groups, vec![(2.0, 0, 1, 1e16 + 2.0)]);
        }
    }

    #[test]
    fn weights_whose_sum_overflows_are_rejected() {
        let e = check_weights(Some(&[1e308, 1e308]), 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "weights are too large: their sum exceeds 1.7976931348623157e+308; scale them down (the estimates depend only on their ratios)"
        );
        assert!(check_weights(Some(&[1e307, 1e307]), 2).is_ok());
        // A huge but summable total still gives a finite starting rate.
        let rows = Rows::new(&[2.0, 1.0], &[1.0, 1.0], &[3.0, 2.0], Some(&[8e307, 8e307]));
        assert_eq!(rows.mean_rate(), 3.0 / 5.0);
    }

    #[test]
    fn messages() {
        let e = check_customers(&[1.0, 1.0], &[2.0, 1.0], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "recency[0] is greater than T[0] (2 > 1)");
        let e = check_customers(&[0.5], &[0.0], &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "frequency[0] must be an integer, got 0.5");
        let e = check_customers(&[1.0, f64::NAN], &[0.0, 0.0], &[1.0, 1.0]).unwrap_err();
        assert_eq!(e.to_string(), "frequency[1] is NaN");
    }
}
