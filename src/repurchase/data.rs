//! Customer-level inputs of the transaction models — `(x, t_x, T)` per
//! customer, in the data's own time unit — their validation, and their
//! compression into distinct rows with weights before fitting.

use crate::stats::sort;
use crate::validate;
use crate::{Error, Result};

/// Largest repeat-purchase count accepted per customer.
pub const MAX_FREQUENCY: f64 = 1e7;
/// Largest time value accepted (in the data's unit).
pub const MAX_TIME: f64 = 1e7;

/// Checks `frequency` (x: repeat purchases, non-negative integers),
/// `recency` (t_x: time of the last repeat purchase since the first one; 0
/// when x = 0) and `T` (time since the first purchase), element by element.
pub fn check_customers(frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<()> {
    validate::non_empty("frequency", frequency.len())?;
    validate::max_len("frequency", frequency.len(), validate::MAX_ELEMENTS)?;
    validate::same_len("frequency", frequency.len(), "recency", recency.len())?;
    validate::same_len("frequency", frequency.len(), "T", t.len())?;
    for (i, ((&x, &tx), &tt)) in frequency.iter().zip(recency).zip(t).enumerate() {
        check_one(i, x, tx, tt)?;
    }
    Ok(())
}

fn check_one(i: usize, x: f64, tx: f64, tt: f64) -> Result<()> {
    // The common case without building a single message.
    // (`contains` is false for NaN and for infinities, as MAX_* are finite.)
    let fine = (0.0..=MAX_FREQUENCY).contains(&x)
        && x.fract() == 0.0
        && (0.0..=MAX_TIME).contains(&tt)
        && (0.0..=tt).contains(&tx)
        && !(x == 0.0 && tx != 0.0);
    if fine {
        return Ok(());
    }
    explain(i, x, tx, tt)
}

/// The error for a customer row that failed [`check_one`], naming the element.
fn explain(i: usize, x: f64, tx: f64, tt: f64) -> Result<()> {
    validate::finite_non_negative(&format!("frequency[{i}]"), x)?;
    if x.fract() != 0.0 {
        return Err(Error::invalid(format!(
            "frequency[{i}] must be an integer, got {x}"
        )));
    }
    if x > MAX_FREQUENCY {
        return Err(Error::invalid(format!(
            "frequency[{i}] is {x}; at most {MAX_FREQUENCY} repeat purchases are supported"
        )));
    }
    validate::finite_non_negative(&format!("recency[{i}]"), tx)?;
    validate::finite_non_negative(&format!("T[{i}]"), tt)?;
    if tt > MAX_TIME {
        return Err(Error::invalid(format!(
            "T[{i}] is {tt}; at most {MAX_TIME} time units are supported"
        )));
    }
    if tx > tt {
        return Err(Error::invalid(format!(
            "recency[{i}] is greater than T[{i}] ({tx} > {tt})"
        )));
    }
    if x == 0.0 && tx != 0.0 {
        return Err(Error::invalid(format!(
            "recency[{i}] must be 0 when frequency[{i}] is 0, got {tx}"
        )));
    }
    Ok(())
}

/// Checks optional row weights against `n` rows.
pub fn check_weights(weights: Option<&[f64]>, n: usize) -> Result<()> {
    let Some(w) = weights else { return Ok(()) };
    validate::same_len("frequency", n, "weights", w.len())?;
    validate::all_finite_non_negative("weights", w)?;
    if !w.iter().any(|&v| v > 0.0) {
        return Err(Error::invalid("weights are all zero"));
    }
    Ok(())
}

/// Checks a prediction horizon `t` (≥ 0, finite, not absurd).
pub fn check_horizon(name: &str, t: f64) -> Result<()> {
    validate::finite_non_negative(name, t)?;
    if t > MAX_TIME {
        return Err(Error::invalid(format!(
            "{name} is {t}; at most {MAX_TIME} time units are supported"
        )));
    }
    Ok(())
}

/// Distinct `(x, t_x, T)` rows with summed weights, sorted by x, plus the
/// distinct time values (both t_x and T) so per-evaluation logarithms are
/// taken once per distinct time.
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
    pub fn new(frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Rows {
        let n = frequency.len().min(recency.len()).min(t.len());
        // Rows (x, t_x, T, w) as total_cmp keys, sorted; equal keys are equal rows.
        let mut raw: Vec<[u64; 4]> = (0..n)
            .filter_map(|i| {
                let w = weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
                (w > 0.0).then(|| [frequency[i], recency[i], t[i], w].map(sort::total_key))
            })
            .collect();
        sort::sort_quads(&mut raw);
        let mut merged: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(raw.len());
        for k in raw {
            let [x, tx, big_t, w] = k.map(sort::from_total_key);
            let r = (x, tx, big_t, w);
            match merged.last_mut() {
                Some(last) if last.0 == r.0 && last.1 == r.1 && last.2 == r.2 => last.3 += r.3,
                _ => merged.push(r),
            }
        }
        let mut times: Vec<f64> = merged.iter().flat_map(|r| [r.1, r.2]).collect();
        sort::sort_total(&mut times);
        times.dedup();
        let index =
            |v: f64| -> u32 { times.binary_search_by(|p| p.total_cmp(&v)).unwrap_or(0) as u32 };
        let mut rows = Rows {
            x: Vec::with_capacity(merged.len()),
            tx: Vec::with_capacity(merged.len()),
            t: Vec::with_capacity(merged.len()),
            w: Vec::with_capacity(merged.len()),
            times: Vec::new(),
            groups: Vec::new(),
            total_weight: 0.0,
        };
        for (i, r) in merged.iter().enumerate() {
            rows.x.push(r.0);
            rows.tx.push(index(r.1));
            rows.t.push(index(r.2));
            rows.w.push(r.3);
            rows.total_weight += r.3;
            match rows.groups.last_mut() {
                Some(g) if g.0 == r.0 => {
                    g.2 = i + 1;
                    g.3 += r.3;
                }
                _ => rows.groups.push((r.0, i, i + 1, r.3)),
            }
        }
        rows.times = times;
        rows
    }

    /// Number of distinct rows.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Weighted mean of x / T over rows with T > 0 (a rough purchase rate).
    pub fn mean_rate(&self) -> f64 {
        let (mut sx, mut st) = (0.0, 0.0);
        for i in 0..self.len() {
            let tt = self.times.get(self.t[i] as usize).copied().unwrap_or(0.0);
            sx += self.w[i] * self.x[i];
            st += self.w[i] * tt;
        }
        if st > 0.0 && sx > 0.0 {
            sx / st
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
    fn messages() {
        let e = check_customers(&[1.0, 1.0], &[2.0, 1.0], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "recency[0] is greater than T[0] (2 > 1)");
        let e = check_customers(&[0.5], &[0.0], &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "frequency[0] must be an integer, got 0.5");
        let e = check_customers(&[1.0, f64::NAN], &[0.0, 0.0], &[1.0, 1.0]).unwrap_err();
        assert_eq!(e.to_string(), "frequency[1] is NaN");
    }
}
