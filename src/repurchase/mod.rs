//! Repurchase prediction ("buy till you die" models): an order log becomes a
//! per-customer RFM summary ([`summary`]); BG/NBD and MBG/NBD ([`bgnbd`]),
//! Pareto/NBD ([`pareto_nbd`]) and Gamma-Gamma ([`gamma_gamma`]) are fitted by
//! maximum likelihood ([`model`], [`optimize`]); a fitted [`Model`] predicts
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
pub mod cohort;
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
pub fn fit_bg_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_bg(Variant::Bg, frequency, recency, t, options)
}

/// Fits MBG/NBD to customers `(frequency, recency, T)`.
pub fn fit_modified_bg_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_bg(Variant::Modified, frequency, recency, t, options)
}

/// Fits Pareto/NBD to customers `(frequency, recency, T)`.
pub fn fit_pareto_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    fit_pareto(frequency, recency, t, options)
}
