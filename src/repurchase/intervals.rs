//! Prediction intervals from the parameters' uncertainty (issue 16 §2): the
//! merchant summary's figures, per-customer expected purchases and CLV, each
//! with a `low`–`high` range at a chosen level (default 90%).
//!
//! Method: draws from the asymptotic normal of the log-parameters,
//! φ ~ N(φ̂, (−H_φ)⁻¹) — the covariance the fit's standard errors come from
//! ([`Fit::log_covariance`]) —, the prediction recomputed at each draw θ =
//! e^φ, and the interval the draws' (1 − level)/2 and (1 + level)/2
//! quantiles (type 7). Log-coordinates keep every draw positive and make the
//! likelihood nearer quadratic than in θ. The point `value` is the prediction
//! at the estimate, the same number the plain prediction returns.
//!
//! Why not a parametric bootstrap: it refits the model once per draw, and a
//! Pareto/NBD fit of CDNOW alone takes 12 ms in Node (BENCHMARKS.md), so 200
//! resamples would be ~2.4 s against the explorer's 200 ms; the normal draws
//! cost one prediction pass each. Their coverage is tested
//! (tests/native_intervals.rs: the 90% interval of the 30-day repurchase rate
//! covers the truth in 85–95% of simulated data sets).
//!
//! Draws are seeded (default seed 1): the same seed gives the same intervals
//! natively and in Wasm.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::model::{Fit, Model, ModelKind, MAX_PARAM, MIN_PARAM};
use super::predict::{ClvOptions, MerchantOptions, MerchantSummary};
use crate::stats::random::{rng, standard_normal};
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Default interval level.
pub const DEFAULT_LEVEL: f64 = 0.9;
/// Default number of parameter draws.
pub const DEFAULT_DRAWS: u32 = 200;
/// Most parameter draws accepted (each is a full prediction pass).
pub const MAX_DRAWS: u32 = 10_000;
/// Fewest parameter draws accepted (below this the tail quantiles of a 90%
/// interval rest on one or two draws).
pub const MIN_DRAWS: u32 = 20;
/// Customers per block of the per-customer intervals (bounds the draws ×
/// customers matrix held at once: 200 × 4096 values, 6.5 MB).
const BLOCK: usize = 4096;

/// Options of every interval.
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
    pub repurchase_rate30: Interval,
    /// Mean P(≥ 1 purchase in the next 90 days).
    pub repurchase_rate90: Interval,
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

/// Models drawn from a fit's asymptotic normal, with the level to report.
#[derive(Debug, Clone)]
pub struct ParameterDraws {
    /// The fitted model (the point estimate).
    pub estimate: Model,
    /// One model per draw.
    pub models: Vec<Model>,
    /// Interval level.
    pub level: f64,
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

impl ParameterDraws {
    /// Draws `options.draws` models from `fit`'s asymptotic normal of the
    /// log-parameters. `what` names the call in the error when the fit has no
    /// covariance (a boundary fit, a model built from parameters). `stream`
    /// separates the draws of two fits used together (CLV's transaction and
    /// spend models) under one seed.
    pub fn new(fit: &Fit, options: &IntervalOptions, what: &str, stream: u32) -> Result<Self> {
        let (level, draws, seed) = options.resolved()?;
        let estimate = fit.model;
        let kind = estimate.kind();
        let theta = estimate.params();
        let n = theta.len();
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
        let phi: Vec<f64> = theta.iter().map(|v| v.ln()).collect();
        let mut g = rng(seed ^ stream.wrapping_mul(0x9E37_79B9));
        let mut models = Vec::with_capacity(draws as usize);
        let mut z = vec![0.0; n];
        let mut tries = 0u32;
        while models.len() < draws as usize {
            tries += 1;
            if tries > 100 * draws {
                return Err(Error::invalid(format!(
                    "{what}: fewer than 1 in 100 parameter draws give a model whose predictions exist (Gamma-Gamma needs q > 1); the fit is too uncertain for intervals"
                )));
            }
            for v in z.iter_mut() {
                *v = standard_normal(&mut g);
            }
            let p: Vec<f64> = (0..n)
                .map(|i| {
                    let d: f64 = (0..=i).map(|j| chol[i * n + j] * z[j]).sum();
                    (phi[i] + d).exp().clamp(MIN_PARAM, MAX_PARAM)
                })
                .collect();
            // Gamma-Gamma's mean spend p·v/(q − 1) exists only for q > 1: a
            // draw without it is outside the model the fit describes.
            if kind == ModelKind::GammaGamma && p.get(1).is_none_or(|&q| q <= 1.0) {
                continue;
            }
            models.push(Model::from_params(kind, &p)?);
        }
        Ok(ParameterDraws {
            estimate,
            models,
            level,
        })
    }

    /// The interval of `value` from the draws' values `at_draws` (sorted in place).
    fn interval(&self, value: f64, at_draws: &mut [f64]) -> Interval {
        let (low, high) = quantiles(at_draws, self.level);
        Interval { value, low, high }
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
    let point = fit.model.merchant_summary(frequency, recency, t, merchant)?;
    let draws = ParameterDraws::new(fit, options, what, 0)?;
    let k = draws.models.len();
    let mut cols: [Vec<f64>; 6] = std::array::from_fn(|_| Vec::with_capacity(k));
    for m in &draws.models {
        let s = m.merchant_summary(frequency, recency, t, merchant)?;
        for (c, v) in cols.iter_mut().zip(figures(&s)) {
            c.push(v);
        }
    }
    let p = figures(&point);
    let [a, b, c, d, e, f] = &mut cols;
    Ok(MerchantIntervals {
        customers: point.customers,
        level: draws.level,
        draws: k as u32,
        repurchase_rate30: draws.interval(p[0], a),
        repurchase_rate90: draws.interval(p[1], b),
        expected_purchases30: draws.interval(p[2], c),
        expected_purchases90: draws.interval(p[3], d),
        share_alive: draws.interval(p[4], e),
        mean_probability_alive: draws.interval(p[5], f),
    })
}

fn figures(s: &MerchantSummary) -> [f64; 6] {
    [
        s.repurchase_rate30,
        s.repurchase_rate90,
        s.expected_purchases30,
        s.expected_purchases90,
        s.share_alive,
        s.mean_probability_alive,
    ]
}

/// Per customer: `predict(model, block)` at the estimate and at every draw,
/// block by block, with each customer's interval over the draws.
fn per_customer(
    draws: &ParameterDraws,
    n: usize,
    mut predict: impl FnMut(&Model, std::ops::Range<usize>, usize) -> Result<Vec<f64>>,
) -> Result<CustomerIntervals> {
    let k = draws.models.len();
    let mut out = CustomerIntervals {
        level: draws.level,
        draws: k as u32,
        value: predict(&draws.estimate, 0..n, usize::MAX)?,
        low: Vec::with_capacity(n),
        high: Vec::with_capacity(n),
    };
    let mut column = vec![0.0; k];
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        let mut block = Vec::with_capacity(k);
        for (d, m) in draws.models.iter().enumerate() {
            block.push(predict(m, start..end, d)?);
        }
        for i in 0..end - start {
            for d in 0..k {
                column[d] = block[d].get(i).copied().unwrap_or(f64::NAN);
            }
            let (lo, hi) = quantiles(&mut column, draws.level);
            out.low.push(lo);
            out.high.push(hi);
        }
        start = end;
    }
    Ok(out)
}

/// [`Model::expected_purchases`] over the next `h` time units per customer,
/// with intervals from `fit`'s parameter uncertainty.
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
    let draws = ParameterDraws::new(fit, options, what, 0)?;
    per_customer(&draws, frequency.len(), |m, r, _| {
        m.expected_purchases(h, &frequency[r.clone()], &recency[r.clone()], &t[r])
    })
}

/// [`Model::customer_lifetime_value`] per customer with intervals from the
/// parameter uncertainty of both fits (drawn independently: the spend model
/// is fitted on its own likelihood).
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
    let value = spend.model.customer_lifetime_value(
        &transactions.model,
        frequency,
        recency,
        t,
        monetary,
        clv,
    )?;
    let spend_draws = ParameterDraws::new(spend, options, what, 1)?;
    let tx_draws = ParameterDraws::new(transactions, options, what, 0)?;
    let n = frequency.len();
    let mut first = Some(value);
    per_customer(&spend_draws, n, |m, r, d| {
        if d == usize::MAX {
            if let Some(v) = first.take() {
                return Ok(v);
            }
        }
        let tx = tx_draws
            .models
            .get(d)
            .copied()
            .unwrap_or(transactions.model);
        m.customer_lifetime_value(
            &tx,
            &frequency[r.clone()],
            &recency[r.clone()],
            &t[r.clone()],
            &monetary[r],
            clv,
        )
        .map_err(|e| match e {
            Error::InvalidInput(msg) => Error::InvalidInput(format!(
                "{what}: at a parameter draw ({}): {msg}",
                num(d as f64)
            )),
            other => other,
        })
    })
}
