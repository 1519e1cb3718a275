//! Gamma-Gamma spend model (Fader & Hardie note 025; Colombo & Jiang 1999):
//! each transaction's value ~ Gamma(p, ν), ν ~ Gamma(q, v). Fitted on
//! repeat customers (x > 0) from their mean repeat-transaction value z̄:
//!
//! `ln f(z̄ | x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln z̄ + px ln x − (px+q) ln(v + x z̄)`.
//!
//! Analytic gradient and Hessian.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::data::{self, INDEX_BITS};
use super::optimize::{Mat4, Objective, Vec4};
use super::special::{digamma, ln_gamma, trigamma};
use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Parameters of the Gamma-Gamma model.
///
/// ```
/// # use shijing::repurchase::{GammaGammaParams, Model, ModelKind};
/// // Fader, Hardie & Lee's CDNOW spend model: a customer's mean value is
/// // p·v/(q − 1) before any purchase is seen.
/// let m = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
/// let Model::GammaGamma(g) = m else { unreachable!() };
/// assert_eq!(g, GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 });
/// let prior_mean = g.p * g.v / (g.q - 1.0);
/// assert!((prior_mean - 35.22).abs() < 0.01);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGammaParams {
    /// Shape of each transaction's value.
    pub p: f64,
    /// Shape of the customers' rate ν.
    pub q: f64,
    /// Rate (scale of money) of ν.
    pub v: f64,
}

/// Distinct `(x, z̄)` rows with weights (x > 0 only), grouped by x.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpendRows {
    /// Repeat purchases.
    pub x: Vec<f64>,
    /// Mean repeat-transaction value.
    pub m: Vec<f64>,
    /// ln of `m` (constant during a fit).
    pub ln_m: Vec<f64>,
    /// Weights.
    pub w: Vec<f64>,
    /// Runs of equal x: `(x, first row, end row, total weight)`.
    pub groups: Vec<(f64, usize, usize, f64)>,
}

/// Validates `frequency` and `monetary` (and optional weights); customers with
/// x = 0 carry no spend information and are skipped. At least one x > 0.
pub(crate) fn check_spend(
    frequency: &[f64],
    monetary: &[f64],
    weights: Option<&[f64]>,
) -> Result<()> {
    validate::non_empty("frequency", frequency.len())?;
    validate::max_len("frequency", frequency.len(), validate::MAX_ELEMENTS)?;
    validate::same_len("frequency", frequency.len(), "monetary", monetary.len())?;
    data::check_weights(weights, frequency.len())?;
    for (i, (&x, &m)) in frequency.iter().zip(monetary).enumerate() {
        // The common case without building a single message.
        let fine = data::frequency_ok(x) && m.is_finite() && m >= 0.0 && !(x > 0.0 && m <= 0.0);
        if !fine {
            explain_spend(i, x, m)?;
        }
    }
    Ok(())
}

/// The error for a customer that failed [`check_spend`]'s test, naming the element.
fn explain_spend(i: usize, x: f64, m: f64) -> Result<()> {
    data::check_frequency("", i, x)?;
    validate::finite_non_negative(&format!("monetary[{i}]"), m)?;
    if x > 0.0 && m <= 0.0 {
        return Err(Error::invalid(format!(
            "monetary[{i}] must be > 0 when frequency[{i}] > 0, got {}",
            num(m)
        )));
    }
    Ok(())
}

impl SpendRows {
    /// Compresses validated repeat customers.
    pub(crate) fn new(frequency: &[f64], monetary: &[f64], weights: Option<&[f64]>) -> SpendRows {
        let raw: Vec<(f64, f64, f64)> = frequency
            .iter()
            .zip(monetary)
            .enumerate()
            .filter_map(|(i, (&x, &m))| {
                let w = weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
                (x > 0.0 && w > 0.0 && m > 0.0).then_some((x, m, w))
            })
            .collect();
        // Sorted by (x, m), ties in input order: x is an integer < 2^24
        // (validated ≤ 1e7), m > 0 orders like its bits, and there are fewer
        // than 2^25 customers, so `(x, m bits, index)` fits in 113 bits.
        let mut keys: Vec<u128> = raw
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (u128::from(r.0 as u64) << (64 + INDEX_BITS))
                    | (u128::from(r.1.to_bits()) << INDEX_BITS)
                    | i as u128
            })
            .collect();
        sort::sort_wide(&mut keys);
        let mut rows = SpendRows::default();
        for (x, m, w) in keys
            .iter()
            .map(|&k| raw[k as usize & ((1 << INDEX_BITS) - 1)])
        {
            let n = rows.x.len();
            if n > 0 && rows.x[n - 1] == x && rows.m[n - 1] == m {
                rows.w[n - 1] += w;
                if let Some(g) = rows.groups.last_mut() {
                    g.3 += w;
                }
                continue;
            }
            rows.x.push(x);
            rows.m.push(m);
            rows.ln_m.push(m.ln());
            rows.w.push(w);
            match rows.groups.last_mut() {
                Some(g) if g.0 == x => {
                    g.2 = n + 1;
                    g.3 += w;
                }
                _ => rows.groups.push((x, n, n + 1, w)),
            }
        }
        rows
    }

    /// Weighted mean of z̄.
    pub(crate) fn mean(&self) -> f64 {
        let (mut s, mut w) = (0.0, 0.0);
        for (m, wi) in self.m.iter().zip(&self.w) {
            s += m * wi;
            w += wi;
        }
        if w > 0.0 {
            s / w
        } else {
            1.0
        }
    }
}

/// The Gamma-Gamma log-likelihood over φ = ln(p, q, v).
pub(crate) struct GammaGammaObjective<'a> {
    /// Compressed repeat customers.
    pub rows: &'a SpendRows,
}

impl Objective for GammaGammaObjective<'_> {
    fn dim(&self) -> usize {
        3
    }
    fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        let (p, q, v) = (phi[0].exp(), phi[1].exp(), phi[2].exp());
        let rows = self.rows;
        let mut f = 0.0;
        let mut g = [0.0f64; 3];
        let mut h = [[0.0f64; 3]; 3];
        let (lgq, dgq, tgq) = (ln_gamma(q), digamma(q), trigamma(q));
        let lnv = v.ln();
        for &(x, start, end, wg) in &rows.groups {
            let px = p * x;
            let (lg1, dg1, tg1) = (ln_gamma(px + q), digamma(px + q), trigamma(px + q));
            let (lg2, dg2, tg2) = (ln_gamma(px), digamma(px), trigamma(px));
            let lnx = x.ln();
            f += wg * (lg1 - lg2 - lgq + q * lnv + px * lnx);
            g[0] += wg * x * (dg1 - dg2 + lnx);
            g[1] += wg * (dg1 - dgq + lnv);
            g[2] += wg * q / v;
            h[0][0] += wg * x * x * (tg1 - tg2);
            h[0][1] += wg * x * tg1;
            h[1][1] += wg * (tg1 - tgq);
            h[1][2] += wg / v;
            h[2][2] -= wg * q / (v * v);
            for i in start..end {
                let (Some(&w), Some(&m), Some(&lm)) =
                    (rows.w.get(i), rows.m.get(i), rows.ln_m.get(i))
                else {
                    continue;
                };
                let den = v + x * m;
                let ld = den.ln();
                let id = 1.0 / den;
                f += w * ((px - 1.0) * lm - (px + q) * ld);
                g[0] += w * x * (lm - ld);
                g[1] -= w * ld;
                g[2] -= w * (px + q) * id;
                h[0][2] -= w * x * id;
                h[1][2] -= w * id;
                h[2][2] += w * (px + q) * id * id;
            }
        }
        let theta = [p, q, v];
        if let Some(gr) = grad {
            for i in 0..3 {
                gr[i] = theta[i] * g[i];
            }
        }
        if let Some(he) = hess {
            for i in 0..3 {
                for j in i..3 {
                    let val =
                        theta[i] * theta[j] * h[i][j] + if i == j { theta[i] * g[i] } else { 0.0 };
                    he[i][j] = val;
                    he[j][i] = val;
                }
            }
        }
        f
    }
}

impl GammaGammaParams {
    /// E[mean transaction value | x, z̄] = p(v + x z̄)/(px + q − 1) — a
    /// weighted average of the population mean pv/(q−1) and the customer's
    /// own mean. Requires q > 1 for the population mean to exist (NaN-free:
    /// returns +∞ when q ≤ 1 and x = 0).
    ///
    /// ```
    /// # use shijing::repurchase::GammaGammaParams;
    /// let gg = GammaGammaParams { p: 1.0, q: 3.0, v: 10.0 };
    /// // No repeat purchase: the population mean p·v/(q − 1) = 5.
    /// assert_eq!(gg.expected_spend(0.0, 0.0), 5.0);
    /// // Two repeat purchases averaging 20: (10 + 2·20)/(2 + 3 − 1) = 12.5.
    /// assert_eq!(gg.expected_spend(2.0, 20.0), 12.5);
    /// assert_eq!(GammaGammaParams { q: 1.0, ..gg }.expected_spend(0.0, 0.0), f64::INFINITY);
    /// ```
    pub fn expected_spend(&self, x: f64, m: f64) -> f64 {
        let den = self.p * x + self.q - 1.0;
        if den <= 0.0 {
            return f64::INFINITY;
        }
        self.p * (self.v + x * m) / den
    }

    /// Per-customer log-likelihood (x > 0).
    ///
    /// ```
    /// # use shijing::repurchase::GammaGammaParams;
    /// // p = 1 and one repeat purchase: the value is Exponential(ν) with
    /// // ν ~ Gamma(q, v), a Lomax density q·v^q/(v + z)^(q+1).
    /// let gg = GammaGammaParams { p: 1.0, q: 3.0, v: 10.0 };
    /// let lomax = (3.0 * 1000.0 / 15f64.powi(4)).ln();
    /// assert!((gg.log_likelihood(1.0, 5.0) - lomax).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        let px = p * x;
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * v.ln()
            + (px - 1.0) * m.ln()
            + px * x.ln()
            - (px + q) * (v + x * m).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repurchase::optimize::full_eval;

    #[test]
    fn derivatives() {
        let rows = SpendRows::new(&[1.0, 2.0, 2.0, 5.0], &[10.0, 22.3, 15.0, 40.0], None);
        let obj = GammaGammaObjective { rows: &rows };
        let phi = [1.5, 1.2, 2.7, 0.0];
        let (_, g, h) = full_eval(&obj, &phi);
        for i in 0..3 {
            let e = 1e-6;
            let mut pp = phi;
            pp[i] += e;
            let mut pm = phi;
            pm[i] -= e;
            let mut gp = [0.0; 4];
            let mut gm = [0.0; 4];
            let fp = obj.eval(&pp, Some(&mut gp), None);
            let fm = obj.eval(&pm, Some(&mut gm), None);
            assert!(((fp - fm) / (2.0 * e) - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()));
            for j in 0..3 {
                let hn = (gp[j] - gm[j]) / (2.0 * e);
                assert!(
                    (hn - h[i][j]).abs() < 1e-5 * (1.0 + h[i][j].abs()),
                    "h{i}{j}"
                );
            }
        }
    }
}
