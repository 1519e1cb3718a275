//! Prediction intervals from the parameters' uncertainty (issue 16 §2): the
//! merchant summary's figures, per-customer expected purchases and CLV, each
//! with a `low`–`high` range at a chosen level (default 90%).
//!
//! Method: draws from the asymptotic normal of the log-parameters,
//! φ ~ N(φ̂, (−H_φ)⁻¹) — the covariance the fit's standard errors come from
//! ([`Fit::log_covariance`]) —, each prediction taken through a quadratic
//! surrogate fitted at 1 + 2n + n(n−1)/2 design points one standard
//! deviation out (see `ParameterDraws`), and the interval the draws'
//! (1 − level)/2 and (1 + level)/2 quantiles (type 7). Log-coordinates keep
//! every parameter positive and the likelihood nearer quadratic than in θ.
//! The point `value` is the prediction at the estimate, the same number the
//! plain prediction returns.
//!
//! Why not a parametric bootstrap: it refits the model once per resample,
//! and a Pareto/NBD fit of CDNOW alone takes 12 ms in Node (BENCHMARKS.md),
//! so 200 resamples would be ~2.4 s against the explorer's 200 ms. The
//! coverage is tested (tests/native_intervals.rs: the 90% interval of the
//! 30-day repurchase rate covers the truth in 85–95% of simulated data sets).
//!
//! Draws are seeded (default seed 1): the same seed gives the same intervals
//! natively and in Wasm.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::model::{Fit, Model, ModelKind, MAX_PARAM, MIN_PARAM};
use super::predict::{summary_settings, ClvOptions, MerchantOptions, MerchantSummary};
use crate::stats::random::{rng, standard_normal};
use crate::validate;
use crate::{Error, Result};

/// Default interval level.
///
/// ```
/// # use shijing::repurchase::*;
/// # use shijing::repurchase::intervals::DEFAULT_LEVEL;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let at = |level: Option<f64>| {
///     let o = IntervalOptions { level, ..Default::default() };
///     expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &o).unwrap()
/// };
/// let (usual, wide) = (at(None), at(Some(0.99)));
/// assert_eq!((usual.level, wide.level), (DEFAULT_LEVEL, 0.99));
/// // From the same draws, the 99% interval holds the 90% one.
/// assert!((0..x.len()).all(|i| wide.low[i] <= usual.low[i] && usual.high[i] <= wide.high[i]));
/// ```
pub const DEFAULT_LEVEL: f64 = 0.9;
/// Default number of parameter draws.
///
/// ```
/// # use shijing::repurchase::*;
/// # use shijing::repurchase::intervals::DEFAULT_DRAWS;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let o = IntervalOptions::default();
/// let iv = expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &o).unwrap();
/// assert_eq!(iv.draws, DEFAULT_DRAWS);
/// let more = IntervalOptions { draws: Some(2 * DEFAULT_DRAWS), ..o };
/// assert_eq!(expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &more).unwrap().draws, 400);
/// ```
pub const DEFAULT_DRAWS: u32 = 200;
/// Most parameter draws accepted (each is a full prediction pass).
///
/// ```
/// # use shijing::repurchase::{expected_purchases_intervals, fit_bg_nbd, FitOptions, IntervalOptions};
/// # use shijing::repurchase::intervals::MAX_DRAWS;
/// let (x, tx, t) = ([0.0, 1.0, 3.0], [0.0, 10.0, 25.0], [30.0; 3]);
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let many = IntervalOptions { draws: Some(MAX_DRAWS + 1), ..Default::default() };
/// let err = expected_purchases_intervals(&fit, 30.0, &x, &tx, &t, &many).unwrap_err();
/// assert_eq!(err.message(), "options.draws must be an integer in [20, 10000], got 10001");
/// ```
pub const MAX_DRAWS: u32 = 10_000;
/// Fewest parameter draws accepted (below this the tail quantiles of a 90%
/// interval rest on one or two draws).
///
/// ```
/// # use shijing::repurchase::{expected_purchases_intervals, fit_bg_nbd, FitOptions, IntervalOptions};
/// # use shijing::repurchase::intervals::MIN_DRAWS;
/// let (x, tx, t) = ([0.0, 1.0, 3.0], [0.0, 10.0, 25.0], [30.0; 3]);
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let few = IntervalOptions { draws: Some(MIN_DRAWS - 1), ..Default::default() };
/// let err = expected_purchases_intervals(&fit, 30.0, &x, &tx, &t, &few).unwrap_err();
/// assert_eq!(err.message(), "options.draws must be an integer in [20, 10000], got 19");
/// ```
pub const MIN_DRAWS: u32 = 20;
/// Customers per block of the per-customer intervals (bounds the design
/// points × customers matrix held at once: 36 × 4096 values, 1.2 MB).
const BLOCK: usize = 4096;

/// Options of every interval.
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let seeded = |seed| {
///     let o = IntervalOptions { seed: Some(seed), ..Default::default() };
///     expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &o).unwrap()
/// };
/// // The same seed, the same draws; another seed moves the ends, not the value.
/// assert_eq!(seeded(1), seeded(1));
/// let (a, b) = (seeded(1), seeded(2));
/// assert_eq!(a.value, b.value);
/// assert_ne!(a.low, b.low);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct IntervalOptions {
    /// Interval level in [0.5, 0.999] (default 0.9).
    pub level: Option<f64>,
    /// Parameter draws, an integer in [20, 10000] (default 200).
    pub draws: Option<u32>,
    /// Seed of the draws (default 1).
    pub seed: Option<u32>,
}

/// A figure with its interval.
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let weeks = MerchantOptions { unit_days: Some(7.0), ..Default::default() };
/// let iv = merchant_summary_intervals(&fit, &x, &tx, &t, &weeks, &IntervalOptions::default()).unwrap();
/// // A mean probability, with its interval: all within [0, 1].
/// let p = iv.mean_probability_alive;
/// assert!(0.0 <= p.low && p.low <= p.value && p.value <= p.high && p.high <= 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Interval {
    /// The prediction at the estimate.
    pub value: f64,
    /// Lower end: the (1 − level)/2 quantile over the parameter draws.
    pub low: f64,
    /// Upper end: the (1 + level)/2 quantile over the parameter draws.
    pub high: f64,
}

/// [`MerchantSummary`] with an interval on every figure.
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let weeks = MerchantOptions { unit_days: Some(7.0), ..Default::default() };
/// let iv = merchant_summary_intervals(&fit, &x, &tx, &t, &weeks, &IntervalOptions::default()).unwrap();
/// let point = fit.model.merchant_summary(&x, &tx, &t, &weeks).unwrap();
/// // Each figure's value is the point summary's; 90 days hold more purchases than 30.
/// assert_eq!(iv.expected_purchases90.value, point.expected_purchases90);
/// assert_eq!(iv.share_buying_next30.value, point.share_buying_next30);
/// assert!(iv.expected_purchases90.value > iv.expected_purchases30.value);
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MerchantIntervals {
    /// Customers summarized.
    pub customers: u32,
    /// The intervals' level.
    pub level: f64,
    /// Parameter draws the intervals rest on.
    pub draws: u32,
    /// Mean P(≥ 1 purchase in the next 30 days).
    pub share_buying_next30: Interval,
    /// Mean P(≥ 1 purchase in the next 90 days).
    pub share_buying_next90: Interval,
    /// Mean expected purchases per customer in the next 30 days.
    pub expected_purchases30: Interval,
    /// Mean expected purchases per customer in the next 90 days.
    pub expected_purchases90: Interval,
    /// Share of customers with P(alive) above the threshold.
    pub share_alive: Interval,
    /// Mean P(alive).
    pub mean_probability_alive: Interval,
}

/// Per-customer figures with intervals, aligned with the customers.
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let iv = expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &IntervalOptions::default()).unwrap();
/// // One value and interval per customer, the value at the estimate.
/// assert_eq!((iv.value.len(), iv.low.len(), iv.high.len()), (2357, 2357, 2357));
/// assert_eq!(iv.value, fit.model.expected_purchases(39.0, &x, &tx, &t).unwrap());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerIntervals {
    /// The intervals' level.
    pub level: f64,
    /// Parameter draws the intervals rest on.
    pub draws: u32,
    /// The prediction at the estimate, per customer.
    pub value: Vec<f64>,
    /// Lower ends.
    pub low: Vec<f64>,
    /// Upper ends.
    pub high: Vec<f64>,
}

impl IntervalOptions {
    fn resolved(&self) -> Result<(f64, u32, u32)> {
        let level = self.level.unwrap_or(DEFAULT_LEVEL);
        validate::in_closed("options.level", level, 0.5, 0.999)?;
        let draws = self.draws.unwrap_or(DEFAULT_DRAWS);
        if !(MIN_DRAWS..=MAX_DRAWS).contains(&draws) {
            return Err(Error::invalid(format!(
                "options.draws must be an integer in [{MIN_DRAWS}, {MAX_DRAWS}], got {draws}"
            )));
        }
        Ok((level, draws, self.seed.unwrap_or(1)))
    }
}

/// The joint asymptotic normal of one or more fits' log-parameters (CLV:
/// the spend and the transaction fit, independent), as the design points of
/// a quadratic surrogate and seeded draws.
///
/// Each prediction f is expanded in whitened coordinates u (φ = φ̂ + L·u, L
/// the Cholesky factor of the covariance, u ~ N(0, I)) to second order,
/// f(u) ≈ f₀ + Σ aᵢuᵢ + ½ Σ bᵢuᵢ² + Σ_{i<j} cᵢⱼuᵢuⱼ, from f at the estimate,
/// at u = ±eᵢ and at u = eᵢ + eⱼ (1 + 2n + n(n−1)/2 prediction passes: 15
/// for one fit of four parameters, 36 for CLV's two fits); the draws of u are
/// then taken through the surrogate. One standard deviation per design step
/// is where the draws are; the quadratic keeps the skew a percentile
/// interval should show. Why not the predictions at every draw: on CDNOW
/// the Pareto/NBD merchant summary at 200 draws took 11.9 s in Node (under
/// load 11; 15 passes are 13× fewer), and why not the delta method: it has
/// no skew.
#[derive(Debug, Clone)]
pub(crate) struct ParameterDraws {
    /// The design points, one list of models (one per fit) each: the
    /// estimate, then u = +eᵢ, u = −eᵢ for each i, then u = eᵢ + eⱼ for i < j.
    pub points: Vec<Vec<Model>>,
    /// Per draw, the surrogate's monomials (u₁…u_n, ½u₁²…½u_n², uᵢuⱼ for i < j).
    monomials: Vec<Vec<f64>>,
    /// Dimension n (all fits' parameters).
    dim: usize,
    /// Interval level.
    pub level: f64,
}

impl ParameterDraws {
    /// The joint draws of `fits`' asymptotic normals of the log-parameters
    /// (independent between fits). `what` names the call in the error when
    /// a fit has no covariance (a boundary fit, a model built from
    /// parameters).
    pub(crate) fn new(fits: &[&Fit], options: &IntervalOptions, what: &str) -> Result<Self> {
        let (level, draws, seed) = options.resolved()?;
        // Block-diagonal Cholesky factor of the joint covariance.
        let mut blocks = Vec::with_capacity(fits.len());
        let mut dim = 0;
        for fit in fits {
            let n = fit.model.params().len();
            let Some(chol) = cholesky(&fit.log_covariance, n) else {
                return Err(Error::invalid(format!(
                    "{what} needs the parameters' uncertainty, and this model has none: {}",
                    if fit.boundary {
                        "a boundary fit has no standard errors (its likelihood keeps rising toward a limit)"
                    } else {
                        "the Hessian at the estimate is not negative definite (no standard errors)"
                    }
                )));
            };
            blocks.push((dim, n, chol));
            dim += n;
        }
        // The models at whitened coordinates u (length dim).
        let at = |u: &[f64]| -> Result<Vec<Model>> {
            fits.iter()
                .zip(&blocks)
                .map(|(fit, (off, n, chol))| {
                    let kind = fit.model.kind();
                    let theta = fit.model.params();
                    let p: Vec<f64> = (0..*n)
                        .map(|i| {
                            let d: f64 = (0..=i).map(|j| chol[i * n + j] * u[off + j]).sum();
                            crate::stats::clamp((theta[i].ln() + d).exp(), MIN_PARAM, MAX_PARAM)
                        })
                        .collect();
                    // Gamma-Gamma's mean spend p·v/(q − 1) exists only for q > 1.
                    if kind == ModelKind::GammaGamma && p.get(1).is_none_or(|&q| q <= 1.0) {
                        return Err(Error::invalid(format!(
                            "{what}: the spend fit is too uncertain for intervals (q within one standard error of 1, where the mean spend stops existing)"
                        )));
                    }
                    Model::from_params(kind, &p)
                })
                .collect()
        };
        let mut points = vec![at(&vec![0.0; dim])?];
        let mut u = vec![0.0; dim];
        for sign in [1.0, -1.0] {
            for i in 0..dim {
                u[i] = sign;
                points.push(at(&u)?);
                u[i] = 0.0;
            }
        }
        for i in 0..dim {
            for j in i + 1..dim {
                u[i] = 1.0;
                u[j] = 1.0;
                points.push(at(&u)?);
                u[i] = 0.0;
                u[j] = 0.0;
            }
        }
        let mut g = rng(seed);
        let monomials = (0..draws)
            .map(|_| {
                let z: Vec<f64> = (0..dim).map(|_| standard_normal(&mut g)).collect();
                let mut m: Vec<f64> = z.clone();
                m.extend(z.iter().map(|v| 0.5 * v * v));
                for i in 0..dim {
                    for j in i + 1..dim {
                        m.push(z[i] * z[j]);
                    }
                }
                m
            })
            .collect();
        Ok(ParameterDraws {
            points,
            monomials,
            dim,
            level,
        })
    }

    /// The interval of one figure from its values at the design points
    /// (`at(k)` for point k, in [`ParameterDraws::points`] order): the
    /// estimate's value and the surrogate's quantiles over the draws.
    /// `buf` is scratch space.
    fn interval(&self, at: impl Fn(usize) -> f64, buf: &mut Vec<f64>) -> Interval {
        let n = self.dim;
        let f0 = at(0);
        let mut coef = Vec::with_capacity(2 * n + n * (n.saturating_sub(1)) / 2);
        for i in 0..n {
            coef.push(0.5 * (at(1 + i) - at(1 + n + i)));
        }
        for i in 0..n {
            coef.push(at(1 + i) + at(1 + n + i) - 2.0 * f0);
        }
        let mut k = 1 + 2 * n;
        for i in 0..n {
            for j in i + 1..n {
                coef.push(at(k) - at(1 + i) - at(1 + j) + f0);
                k += 1;
            }
        }
        buf.clear();
        buf.extend(
            self.monomials
                .iter()
                .map(|m| f0 + m.iter().zip(&coef).map(|(a, b)| a * b).sum::<f64>()),
        );
        let (low, high) = quantiles(buf, self.level);
        Interval {
            value: f0,
            low,
            high,
        }
    }
}

/// The lower Cholesky factor of the n × n row-major `a`, or `None` if `a`
/// is not (numerically) positive definite or not finite.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    if n == 0 || a.len() != n * n || a.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - s;
                if d.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// The (1 − level)/2 and (1 + level)/2 quantiles of `xs` (type 7: linear
/// between order statistics); sorts `xs`.
fn quantiles(xs: &mut [f64], level: f64) -> (f64, f64) {
    xs.sort_unstable_by(|a, b| a.total_cmp(b));
    let q = |p: f64| -> f64 {
        let h = p * (xs.len() - 1) as f64;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(xs.len() - 1);
        let (a, b) = (xs[lo], xs[hi]);
        a + (h - lo as f64) * (b - a)
    };
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    (q((1.0 - level) / 2.0), q((1.0 + level) / 2.0))
}

/// [`Model::merchant_summary`] with intervals from `fit`'s parameter
/// uncertainty.
///
/// ```
/// # use shijing::repurchase::*;
/// # use shijing::repurchase::intervals::{DEFAULT_DRAWS, DEFAULT_LEVEL};
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let weeks = MerchantOptions { unit_days: Some(7.0), ..Default::default() };
/// let iv = merchant_summary_intervals(&fit, &x, &tx, &t, &weeks, &IntervalOptions::default()).unwrap();
/// let point = fit.model.merchant_summary(&x, &tx, &t, &weeks).unwrap();
/// // The defaults: a 90% interval from 200 draws.
/// assert_eq!((iv.customers, iv.level, iv.draws), (2357, DEFAULT_LEVEL, DEFAULT_DRAWS));
/// assert_eq!((DEFAULT_LEVEL, DEFAULT_DRAWS), (0.9, 200));
/// let alive = iv.share_alive;
/// assert_eq!(alive.value, point.share_alive);
/// assert!(alive.low < alive.value && alive.value < alive.high);
/// ```
pub fn merchant_summary_intervals(
    fit: &Fit,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    merchant: &MerchantOptions,
    options: &IntervalOptions,
) -> Result<MerchantIntervals> {
    let what = "merchantSummaryIntervals";
    fit.model.require_transactions(what)?;
    let (unit_days, threshold) = summary_settings(frequency, recency, t, merchant)?;
    // Before the summary's work: a fit without a covariance (a boundary fit) is refused here.
    let draws = ParameterDraws::new(&[fit], options, what)?;
    let n = frequency.len() as f64;
    let point = fit
        .model
        .summary_of_rows((frequency, recency, t), None, n, unit_days, threshold);
    // The design points see each distinct (x, t_x, T) once, with its count
    // (CDNOW: 1,016 rows for 2,357 customers).
    let rows = super::data::Rows::new(frequency, recency, t, None);
    let time = |k: &u32| rows.times.get(*k as usize).copied().unwrap_or(0.0);
    let tx: Vec<f64> = rows.tx.iter().map(time).collect();
    let tt: Vec<f64> = rows.t.iter().map(time).collect();
    let mut at = vec![figures(&point)];
    for models in draws.points.iter().skip(1) {
        let m = models.first().copied().unwrap_or(fit.model);
        let s = m.summary_of_rows((&rows.x, &tx, &tt), Some(&rows.w), n, unit_days, threshold);
        at.push(figures(&s));
    }
    let mut buf = Vec::new();
    let mut iv = |k: usize| draws.interval(|p| at[p][k], &mut buf);
    Ok(MerchantIntervals {
        customers: point.customers,
        level: draws.level,
        draws: draws.monomials.len() as u32,
        share_buying_next30: iv(0),
        share_buying_next90: iv(1),
        expected_purchases30: iv(2),
        expected_purchases90: iv(3),
        share_alive: iv(4),
        mean_probability_alive: iv(5),
    })
}

fn figures(s: &MerchantSummary) -> [f64; 6] {
    [
        s.share_buying_next30,
        s.share_buying_next90,
        s.expected_purchases30,
        s.expected_purchases90,
        s.share_alive,
        s.mean_probability_alive,
    ]
}

/// Per customer: `predict(models, range)` at every design point, block by
/// block, with each customer's interval from the surrogate.
fn per_customer(
    draws: &ParameterDraws,
    n: usize,
    mut predict: impl FnMut(&[Model], std::ops::Range<usize>) -> Result<Vec<f64>>,
) -> Result<CustomerIntervals> {
    let mut out = CustomerIntervals {
        level: draws.level,
        draws: draws.monomials.len() as u32,
        value: Vec::with_capacity(n),
        low: Vec::with_capacity(n),
        high: Vec::with_capacity(n),
    };
    let mut buf = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        let mut block = Vec::with_capacity(draws.points.len());
        for models in &draws.points {
            block.push(predict(models, start..end)?);
        }
        for i in 0..end - start {
            let iv = draws.interval(|p| block[p].get(i).copied().unwrap_or(f64::NAN), &mut buf);
            out.value.push(iv.value);
            out.low.push(iv.low);
            out.high.push(iv.high);
        }
        start = end;
    }
    Ok(out)
}

/// [`Model::expected_purchases`] over the next `h` time units per customer,
/// with intervals from `fit`'s parameter uncertainty.
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let fit = fit_pareto_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let iv = expected_purchases_intervals(&fit, 39.0, &x, &tx, &t, &IntervalOptions::default()).unwrap();
/// let point = fit.model.expected_purchases(39.0, &x, &tx, &t).unwrap();
/// assert_eq!(iv.value, point);
/// assert!((0..x.len()).all(|i| iv.low[i] <= iv.value[i] && iv.value[i] <= iv.high[i]));
/// // A boundary fit has no standard errors, so no intervals.
/// let none = fit_pareto_nbd(&[0.0; 2], &[0.0; 2], &[30.0; 2], &FitOptions::default()).unwrap();
/// let err = expected_purchases_intervals(&none, 39.0, &x, &tx, &t, &IntervalOptions::default());
/// assert!(err.unwrap_err().message().contains("a boundary fit has no standard errors"));
/// ```
pub fn expected_purchases_intervals(
    fit: &Fit,
    h: f64,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &IntervalOptions,
) -> Result<CustomerIntervals> {
    let what = "expectedPurchasesIntervals";
    fit.model.require_transactions(what)?;
    super::data::check_horizon("t", h)?;
    super::data::check_customers(frequency, recency, t)?;
    let draws = ParameterDraws::new(&[fit], options, what)?;
    per_customer(&draws, frequency.len(), |models, r| {
        let m = models.first().copied().unwrap_or(fit.model);
        m.expected_purchases(h, &frequency[r.clone()], &recency[r.clone()], &t[r])
    })
}

/// [`Model::customer_lifetime_value`] per customer with intervals from the
/// parameter uncertainty of both fits (independent: the spend model is
/// fitted on its own likelihood).
///
/// ```
/// # use shijing::repurchase::*;
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// // CDNOW's 2,357 customers: repeat purchases, recency and age in weeks.
/// let (x, tx, t) = (col(1), col(2), col(3));
/// let m = col(4); // mean repeat-transaction value
/// let transactions = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let (sx, sm): (Vec<f64>, Vec<f64>) = x.iter().zip(&m).filter(|p| *p.0 > 0.0).unzip();
/// let spend = fit_gamma_gamma(&sx, &sm, &FitOptions::default()).unwrap();
/// let clv = ClvOptions { units_per_month: Some(4.345), ..Default::default() };
/// let opts = IntervalOptions { draws: Some(50), ..Default::default() };
/// let iv = customer_lifetime_value_intervals(&spend, &transactions, &x, &tx, &t, &m, &clv, &opts).unwrap();
/// let point = spend.model.customer_lifetime_value(&transactions.model, &x, &tx, &t, &m, &clv).unwrap();
/// assert_eq!((iv.value, iv.draws), (point, 50));
/// assert!(iv.low.iter().zip(&iv.high).all(|(lo, hi)| lo <= hi));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn customer_lifetime_value_intervals(
    spend: &Fit,
    transactions: &Fit,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    monetary: &[f64],
    clv: &ClvOptions,
    options: &IntervalOptions,
) -> Result<CustomerIntervals> {
    let what = "customerLifetimeValueIntervals";
    // The plain CLV's checks (model kinds, arguments, options) first.
    spend.model.customer_lifetime_value(
        &transactions.model,
        &frequency[..frequency.len().min(1)],
        &recency[..recency.len().min(1)],
        &t[..t.len().min(1)],
        &monetary[..monetary.len().min(1)],
        clv,
    )?;
    super::data::check_customers(frequency, recency, t)?;
    validate::same_len("frequency", frequency.len(), "monetary", monetary.len())?;
    super::gamma_gamma::check_spend(frequency, monetary, None)?;
    let draws = ParameterDraws::new(&[spend, transactions], options, what)?;
    per_customer(&draws, frequency.len(), |models, r| {
        let (gg, tx) = match models {
            [gg, tx] => (*gg, *tx),
            _ => (spend.model, transactions.model),
        };
        gg.customer_lifetime_value(
            &tx,
            &frequency[r.clone()],
            &recency[r.clone()],
            &t[r.clone()],
            &monetary[r],
            clv,
        )
    })
}
