//! Repurchase prediction ("buy till you die" models): an order log becomes a
//! per-customer RFM summary ([`summary`]); BG/NBD and MBG/NBD ([`bgnbd`]),
//! Pareto/NBD ([`pareto_nbd`]) and Gamma-Gamma ([`gamma_gamma`]) are fitted by
//! maximum likelihood ([`model`], [`optimize`]), the transaction models also
//! with static customer covariates ([`covariates`]); a fitted [`Model`] predicts
//! per customer — P(alive), expected purchases, P(repurchase within t) —,
//! for new customers, and at merchant level, and checks itself against a
//! holdout period ([`predict`]).
//!
//! Conventions:
//! * Customer data are `frequency` x (repeat purchases: purchases after the
//!   first, counted per distinct period), `recency` t_x (time of the last
//!   repeat purchase after the first purchase; 0 when x = 0) and `T` (time
//!   from the first purchase to the end of calibration), all in one time
//!   unit of the caller's choice — the "data's unit" (weeks for CDNOW).
//!   Rates (α, β) are per that unit; horizons `t` are in that unit.
//! * Log-likelihoods are totals over customers in the data's unit — the
//!   Fader–Hardie convention (CDNOW BG/NBD: −9582.43), not lifetimes'
//!   rescaled mean.
//! * Nothing here panics on any input; bad input is an
//!   [`Error::InvalidInput`](crate::Error::InvalidInput) naming the argument.

pub mod bgnbd;
pub(crate) mod chebyshev;
pub mod cohort;
pub mod covariates;
pub mod data;
pub mod gamma_gamma;
pub mod intervals;
pub mod model;
pub mod optimize;
pub mod pareto_nbd;
pub mod predict;
pub mod segments;
pub mod special;
pub mod summary;

pub use bgnbd::{BgParams, Variant};
pub use cohort::{cohort_repurchase, CohortOptions, CohortRepurchase};
pub use covariates::{
    fit_with_covariates, one_hot, Coefficient, CovariateFit, CovariateModel, Covariates, OneHot,
    Process,
};
pub use gamma_gamma::GammaGammaParams;
pub use intervals::{
    customer_lifetime_value_intervals, expected_purchases_intervals, merchant_summary_intervals,
    CustomerIntervals, Interval, IntervalOptions, MerchantIntervals,
};
pub use model::{
    fit_bg, fit_gamma_gamma, fit_pareto, Fit, FitOptions, Limit, Model, ModelKind, MAX_PARAM,
    MIN_PARAM,
};
pub use pareto_nbd::ParetoParams;
pub use predict::{
    ClvOptions, HoldoutCheck, HoldoutOptions, MerchantOptions, MerchantSummary, MAX_MONTHS,
};
pub use segments::{segment_customers, Segment, SegmentOptions, Segments};
pub use summary::{summarize, Summary, SummaryOptions};

use crate::Result;

/// Fits BG/NBD to customers `(frequency, recency, T)`.
///
/// CDNOW (2,357 customers, weeks) gives Fader, Hardie & Lee's estimates:
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, FitOptions};
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/tests/data/cdnow_customers_summary.csv"
/// ))
/// .unwrap();
/// let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
/// for line in text.lines().skip(1) {
///     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
///     (x.push(f[1]), tx.push(f[2]), t.push(f[3]));
/// }
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let p = fit.model.params(); // r, alpha, a, b
/// assert!((p[0] - 0.2426).abs() < 1e-3 && (p[1] - 4.4136).abs() < 1e-2);
/// assert!((p[2] - 0.7929).abs() < 1e-3 && (p[3] - 2.4259).abs() < 1e-2);
/// assert!((fit.log_likelihood + 9582.43).abs() < 0.01 && fit.converged);
/// ```
pub fn fit_bg_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_bg(Variant::Bg, frequency, recency, t, options)
}

/// Fits MBG/NBD to customers `(frequency, recency, T)`.
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, fit_modified_bg_nbd, FitOptions};
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/tests/data/cdnow_customers_summary.csv"
/// ))
/// .unwrap();
/// let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
/// for line in text.lines().skip(1) {
///     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
///     (x.push(f[1]), tx.push(f[2]), t.push(f[3]));
/// }
/// let bg = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// let mbg = fit_modified_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// assert!(mbg.converged && mbg.model.params().len() == 4);
/// // MBG/NBD lets one-time buyers drop out too: a different, finite optimum.
/// assert!(mbg.log_likelihood.is_finite() && mbg.log_likelihood != bg.log_likelihood);
/// ```
pub fn fit_modified_bg_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_bg(Variant::Modified, frequency, recency, t, options)
}

/// Fits Pareto/NBD to customers `(frequency, recency, T)`.
///
/// On CDNOW the fit converges close to the BG/NBD's likelihood:
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, fit_pareto_nbd, FitOptions};
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/tests/data/cdnow_customers_summary.csv"
/// ))
/// .unwrap();
/// let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
/// for line in text.lines().skip(1) {
///     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
///     (x.push(f[1]), tx.push(f[2]), t.push(f[3]));
/// }
/// let fit = fit_pareto_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// assert!(fit.converged && !fit.boundary && fit.limits.is_empty());
/// let bg = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// assert!((fit.log_likelihood - bg.log_likelihood).abs() < 20.0);
/// ```
pub fn fit_pareto_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_pareto(frequency, recency, t, options)
}
