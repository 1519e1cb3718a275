//! The focus merchant's own repurchase behaviour ("my shop", issue 15 §3): a
//! transaction model fitted to the merchant's order log (BG/NBD, MBG/NBD or
//! Pareto/NBD, [`MerchantRepurchase`]), its customers' summary
//! ([`Customers`]) and optionally their order values ([`OrderValue`]) take
//! the place of the platform-wide repurchase process of [`crate::funnel`]
//! for the focus merchant.
//!
//! **What the fitted process does in a run.**
//! * The customers given contribute, day by day, the model's conditional
//!   expectation: `Σᵢ E[Y(t+1) − Y(t) | xᵢ, t_xᵢ, Tᵢ]`, the expected repeat
//!   purchases of each customer given its own history.
//! * New customers from the funnel (first purchases on day `j`) repurchase as
//!   the model's new customer does: `E[X(t − j)]` for a customer whose first
//!   purchase was at `j`.
//!
//! Both are read off curves computed once per run (`FittedCurves`): the
//! customers' summed expectation `C(τ) = Σᵢ E[Y(τ) | xᵢ, t_xᵢ, Tᵢ]` and the new
//! customer's `N(τ)`, tabulated on a geometric grid of horizons τ (days) and
//! interpolated with monotone cubics. `C` is built without evaluating every
//! customer at every horizon: a customer's expectation is `P(alive)` times an
//! expectation given alive that depends on `(x, T)` only, and on `T` only
//! through the scale `τ/(α+T)` (BG/NBD, MBG/NBD) or `τ/(β+T)` (Pareto/NBD).
//! So identical `(x, t_x, T)` rows are grouped, `P(alive)` is taken once per
//! group, and for each `x` the weights are placed on a logarithmic lattice of
//! `α+T` whose step is the grid's: the sum over customers becomes a discrete
//! correlation of those weights with the expectation given alive on the same
//! lattice (weights split linearly in `ln(α+T)` between two lattice points;
//! counts `x` above 32 likewise on a lattice of `ln x`).
//!
//! **How the merchant's levers move the fitted process.** The fitted process
//! is the merchant's behaviour *at its settings in the scenario* (the
//! baseline): a run with those settings reproduces it. A replay with other
//! settings ([`super::Market::run_merchant`], [`super::Market::sweep`]) scales it
//! as the platform-wide model's repurchase depends on the same settings,
//! relative to the baseline:
//! * **purchase rate**: every customer's purchase rate λ is multiplied by
//!   `h = H(settings)/H(baseline)`, with `H` the platform model's mean hazard
//!   ([`FunnelParams::mean_hazard`]): trust, the experience/price ratio
//!   (content quality and price) and the follow-page lift (follow rate and
//!   diligence);
//! * **dropout**: the dropout probability after a purchase (BG/NBD, MBG/NBD)
//!   is multiplied by `d = D(settings)/D(baseline)`, with `D` the platform
//!   model's dropout ([`FunnelParams::dropout`], set by trust); for Pareto/NBD,
//!   whose dropout comes in time rather than after purchases, the dropout rate
//!   μ is multiplied by `h·d`, so purchases per lifetime (λ/μ) move by `1/d` as
//!   BG/NBD's (1/p) do. MBG/NBD's chance to drop out at the first purchase
//!   keeps its fitted value;
//! * **live sessions** (cadence, session length, diligence through the
//!   room's reach): as in the platform model, following customers buy more on
//!   a live day, by `1 + liveRepurchaseLift·reach·φ` (φ the share of alive
//!   customers who follow). The fitted process already holds the merchant's
//!   habitual sessions, so each day's factor is divided by the baseline's
//!   average, `1 + liveRepurchaseLift·reach₀·φ/liveEveryDays₀`: at the
//!   baseline cadence the factors average 1 over a cycle, a denser cadence or
//!   longer sessions raise them. A marketing big day multiplies the day's
//!   purchases (`bigDayMultiplier`) on top, as for every merchant;
//! * **order value**: repeat purchases valued by the order-value model
//!   (Gamma-Gamma or an average) are scaled by `price/price₀`.
//!
//! With dropout after purchases (or a Pareto/NBD dropout rate moving with
//! the purchase rate), a day whose purchase rate is multiplied by `v` is `v`
//! days of the baseline process, and the dropout factor rescales the curve:
//! the expected purchases by time `t` are exactly `C(d·U(t))/d` with `U(t) =
//! Σ_{days < t} h·(day factor)` — for each customer's (λ, p),
//! `E[Y] = (1 − e^{−λ·d·p·U})/(d·p)` (Pareto/NBD: `(λ/(d·μ))(1 − e^{−d·μ·U})`).
//! So the levers cost no re-evaluation of the model: one curve per run,
//! read at other horizons. New customers likewise: `N(d·(U(t) − U(j+1)))/d`.
//!
//! The expected number of *alive* customers (the follow page's
//! non-customers and the followers' share φ need it) is tracked with the
//! model's mean dropout: BG/NBD and MBG/NBD lose `d·E[p]` alive customers per
//! purchase (the customers' posterior mean `a/(a+b+x)`, the new customers'
//! prior mean `a/(a+b)`), Pareto/NBD a share `d·v·E[μ]` a day.

// Without `myshop` no curves are built (`FittedCurves::build` rejects a
// model), so the curve code below is unreachable and never linked.
#![cfg_attr(not(feature = "myshop"), allow(dead_code))]

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::merchant::LIVE_REFERENCE_HOURS;
use super::scenario::MerchantSettings;
use crate::funnel::{FunnelParams, Traits};
use crate::repurchase::bgnbd::{expected_if_alive_at, PosteriorRules};
use crate::repurchase::{data, Model, ModelKind};
#[cfg(feature = "myshop")]
use crate::repurchase::{GammaGammaParams, ParetoParams};
#[cfg(feature = "myshop")]
use crate::stats::sort;
use crate::stats::{clamp, max_of, min_of};
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Most customers accepted in `customers`.
pub(crate) const MAX_CUSTOMERS: usize = 5_000_000;
/// Largest `unitDays` accepted (ten years).
///
/// ```
/// # use shijing::sim::{fitted::MAX_UNIT_DAYS, MerchantRepurchase, MerchantSettings};
/// let repurchase = MerchantRepurchase { model: "bgnbd".into(), params: vec![0.24, 4.4, 0.79, 2.4], unit_days: 2.0 * MAX_UNIT_DAYS };
/// let m = MerchantSettings { repurchase: Some(repurchase), ..MerchantSettings::default() };
/// let err = m.validate("merchant.").unwrap_err();
/// assert_eq!(err.message(), "merchant.repurchase.unitDays must be at most 3660, got 7320");
/// ```
pub const MAX_UNIT_DAYS: f64 = 3660.0;
/// The repurchase module's limits, which the fitted process shares: the
/// largest model parameter (as `repurchase::Model::from_params`), repeat
/// purchase count and `T` (and recency, in units) accepted per customer.
pub use crate::repurchase::data::{MAX_FREQUENCY, MAX_TIME};
pub use crate::repurchase::MAX_PARAM;
/// Order values are capped here, yuan (as `merchant.price`).
///
/// ```
/// # use shijing::sim::{fitted::MAX_ORDER_VALUE, MerchantRepurchase, MerchantSettings, OrderValue};
/// let repurchase = MerchantRepurchase { model: "bgnbd".into(), params: vec![0.24, 4.4, 0.79, 2.4], unit_days: 1.0 };
/// let order_value = OrderValue { average: Some(2.0 * MAX_ORDER_VALUE), params: None };
/// let m = MerchantSettings { repurchase: Some(repurchase), order_value: Some(order_value), ..MerchantSettings::default() };
/// let err = m.validate("merchant.").unwrap_err();
/// assert_eq!(err.message(), "merchant.orderValue.average must be in [0.01, 1000000], got 2000000");
/// ```
pub const MAX_ORDER_VALUE: f64 = 1e6;

/// The merchant's own repurchase model, as fitted to its order log.
///
/// ```
/// # use shijing::sim::{MerchantRepurchase, MerchantSettings};
/// let weekly = MerchantRepurchase { model: "paretonbd".into(), params: vec![0.55, 10.6, 0.61, 11.7], unit_days: 7.0 };
/// let m = MerchantSettings { repurchase: Some(weekly.clone()), ..MerchantSettings::default() };
/// assert!(m.validate("merchant.").is_ok());
/// let spend = MerchantRepurchase { model: "gammagamma".into(), ..weekly };
/// let err = MerchantSettings { repurchase: Some(spend), ..m }.validate("merchant.").unwrap_err();
/// assert!(err.message().starts_with(r#"merchant.repurchase.model must be one of "bgnbd", "mbgnbd", "paretonbd""#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MerchantRepurchase {
    /// `"bgnbd"`, `"mbgnbd"` or `"paretonbd"`.
    pub model: String,
    /// Parameters in the model's order: `[r, alpha, a, b]` (BG/NBD, MBG/NBD)
    /// or `[r, alpha, s, beta]` (Pareto/NBD); each in (0, 1e13]. Rates are
    /// per `unitDays`.
    pub params: Vec<f64>,
    /// Days per time unit of the fit (default 1; 7 for weeks), in (0, 3660].
    #[serde(default = "one")]
    pub unit_days: f64,
}

fn one() -> f64 {
    1.0
}

/// The merchant's customers at day 0: the summary the model was fitted to
/// (`repurchase::summarize`), in `unitDays`.
///
/// ```
/// # use shijing::sim::{Customers, MerchantSettings};
/// let customers = Customers { frequency: vec![0.0, 2.0], recency: vec![0.0, 20.0], t: vec![30.0, 40.0], monetary: None };
/// // Customers repurchase by the merchant's fitted model, so they need one.
/// let m = MerchantSettings { customers: Some(customers), ..MerchantSettings::default() };
/// let err = m.validate("merchant.").unwrap_err();
/// assert_eq!(err.message(), "merchant.customers needs merchant.repurchase (the model fitted to the merchant's order log)");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Customers {
    /// Repeat purchases x per customer (integers ≥ 0).
    pub frequency: Vec<f64>,
    /// Time of the last repeat purchase after the first, t_x (0 when x = 0).
    pub recency: Vec<f64>,
    /// Time from the first purchase to day 0 of the run, T (≥ recency).
    #[serde(rename = "T")]
    pub t: Vec<f64>,
    /// Mean repeat-purchase value per customer (yuan; 0 when x = 0), for a
    /// Gamma-Gamma order-value model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monetary: Option<Vec<f64>>,
}

/// What a repeat purchase is worth: a Gamma-Gamma model (each customer at
/// its expected spend given its `monetary`, new customers at the model's
/// mean) or one average. Without it, repeat purchases are worth `price`.
///
/// ```
/// # use shijing::sim::{MerchantRepurchase, MerchantSettings, OrderValue};
/// let repurchase = MerchantRepurchase { model: "bgnbd".into(), params: vec![0.24, 4.4, 0.79, 2.4], unit_days: 1.0 };
/// let both = OrderValue { params: Some(vec![6.25, 3.74, 15.44]), average: Some(35.0) };
/// let m = MerchantSettings { repurchase: Some(repurchase), order_value: Some(both), ..MerchantSettings::default() };
/// let err = m.validate("merchant.").unwrap_err();
/// assert_eq!(err.message(), "merchant.orderValue needs exactly one of params (Gamma-Gamma p, q, v) and average");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderValue {
    /// Gamma-Gamma `[p, q, v]` as fitted (q > 1: a finite mean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Vec<f64>>,
    /// Or: the average value of a repeat purchase, yuan (0.01–1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
}

/// The transaction model named `name`, if it is one.
fn transaction_kind(name: &str) -> Option<ModelKind> {
    match name {
        "bgnbd" => Some(ModelKind::BgNbd),
        "mbgnbd" => Some(ModelKind::ModifiedBgNbd),
        "paretonbd" => Some(ModelKind::ParetoNbd),
        _ => None,
    }
}

fn check_params(name: &str, kind: ModelKind, params: &[f64]) -> Result<()> {
    let names = kind.param_names();
    if params.len() != names.len() {
        return Err(Error::invalid(format!(
            "{name} needs {} parameters ({}), got {}",
            names.len(),
            names.join(", "),
            params.len()
        )));
    }
    for (i, (&v, n)) in params.iter().zip(names).enumerate() {
        let field = format!("{name}[{i}] ({n})");
        validate::positive(&field, v)?;
        if v > MAX_PARAM {
            return Err(Error::invalid(format!(
                "{field} must be at most {}, got {}",
                num(MAX_PARAM),
                num(v)
            )));
        }
    }
    Ok(())
}

/// The error for a merchant's fitted-process field `field` in a build
/// without it (the Cargo feature `myshop` off: the package's traffic half).
#[cfg(not(feature = "myshop"))]
pub(crate) fn without_myshop(field: &str) -> Error {
    Error::Infeasible(format!(
        "{field} is not available in shijing/traffic: the traffic half leaves the merchant's fitted repurchase process out; the full package shijing has it"
    ))
}

/// Checks `repurchase`, `customers` and `orderValue` of a merchant; `prefix`
/// is e.g. `"scenario.merchant."`.
pub(super) fn validate(m: &MerchantSettings, prefix: &str) -> Result<()> {
    #[cfg(not(feature = "myshop"))]
    {
        for (field, given) in [
            ("repurchase", m.repurchase.is_some()),
            ("customers", m.customers.is_some()),
            ("orderValue", m.order_value.is_some()),
        ] {
            if given {
                return Err(without_myshop(&format!("{prefix}{field}")));
            }
        }
        Ok(())
    }
    #[cfg(feature = "myshop")]
    validate_fitted(m, prefix)
}

/// [`validate`] with the fitted process.
fn validate_fitted(m: &MerchantSettings, prefix: &str) -> Result<()> {
    let Some(rep) = &m.repurchase else {
        for (field, given) in [
            ("customers", m.customers.is_some()),
            ("orderValue", m.order_value.is_some()),
        ] {
            if given {
                return Err(Error::invalid(format!(
                    "{prefix}{field} needs {prefix}repurchase (the model fitted to the merchant's order log)"
                )));
            }
        }
        return Ok(());
    };
    let kind = transaction_kind(&rep.model).ok_or_else(|| {
        Error::invalid(format!(
            "{prefix}repurchase.model must be one of \"bgnbd\", \"mbgnbd\", \"paretonbd\", got {:?}",
            rep.model
        ))
    })?;
    check_params(&format!("{prefix}repurchase.params"), kind, &rep.params)?;
    let unit = format!("{prefix}repurchase.unitDays");
    validate::positive(&unit, rep.unit_days)?;
    if rep.unit_days > MAX_UNIT_DAYS {
        return Err(Error::invalid(format!(
            "{unit} must be at most {}, got {}",
            num(MAX_UNIT_DAYS),
            num(rep.unit_days)
        )));
    }
    let gamma_gamma = match &m.order_value {
        None => false,
        Some(v) => {
            let ov = format!("{prefix}orderValue");
            match (&v.params, v.average) {
                (Some(p), None) => {
                    check_params(&format!("{ov}.params"), ModelKind::GammaGamma, p)?;
                    if p[1] <= 1.0 {
                        return Err(Error::invalid(format!(
                            "{ov}.params[1] (q) must be > 1 (the mean order value p·v/(q−1) is infinite otherwise), got {}",
                            num(p[1])
                        )));
                    }
                    true
                }
                (None, Some(a)) => {
                    validate::in_closed(&format!("{ov}.average"), a, 0.01, MAX_ORDER_VALUE)?;
                    false
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "{ov} needs exactly one of params (Gamma-Gamma p, q, v) and average"
                    )))
                }
            }
        }
    };
    if let Some(c) = &m.customers {
        check_customers(c, &format!("{prefix}customers."), gamma_gamma, prefix)?;
    }
    Ok(())
}

fn check_customers(c: &Customers, p: &str, gamma_gamma: bool, prefix: &str) -> Result<()> {
    data::check_columns(p, &c.frequency, &c.recency, &c.t, MAX_CUSTOMERS)?;
    let n = c.frequency.len();
    if let Some(m) = &c.monetary {
        if !gamma_gamma {
            return Err(Error::invalid(format!(
                "{p}monetary needs {prefix}orderValue.params (a Gamma-Gamma model to value it)"
            )));
        }
        validate::same_len(
            &format!("{p}frequency"),
            n,
            &format!("{p}monetary"),
            m.len(),
        )?;
        validate::all_finite_non_negative(&format!("{p}monetary"), m)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Curves on a geometric grid of horizons.

/// First horizon of the grid, days (below it a curve is linear from 0).
const GRID_START: f64 = 1.0 / 64.0;
/// `ln` of the grid's ratio (1.04): the lattices of `α+T` and of `x` share it.
const GRID_STEP: f64 = 0.039_220_713_153_281_3;
/// Counts `x` up to this get their own expectation; above it they are
/// placed on a lattice of `ln x` with the grid's step.
const EXACT_FREQUENCY: f64 = 32.0;
/// A customer's expected purchases are capped here (absurd parameters only).
const MAX_PURCHASES_PER_CUSTOMER: f64 = 1e9;
/// Lever factors are kept within `[1/MAX_FACTOR, MAX_FACTOR]` (the purchase
/// rate's down to 0).
const MAX_FACTOR: f64 = 1e6;

/// Number of grid horizons for a run of `days` days: up to 256 times the run
/// plus ten years (far beyond what the levers move a run to; past the last
/// horizon a curve goes on as a power of τ with its last log-log slope).
fn grid_len(days: u32) -> usize {
    let tau_max = 256.0 * f64::from(days.max(1)) + 3650.0;
    (libm::log(tau_max / GRID_START) / GRID_STEP).ceil() as usize + 1
}

fn grid_tau(k: usize) -> f64 {
    libm::exp(libm::log(GRID_START) + k as f64 * GRID_STEP)
}

/// A non-decreasing curve `C(τ)` with `C(0) = 0`, tabulated at the grid's
/// horizons, read with monotone (Fritsch–Carlson) cubic Hermite
/// interpolation in `ln τ`.
#[derive(Debug, Clone)]
struct Curve {
    values: Vec<f64>,
    /// dC/ds at the nodes, s = ln τ in grid steps.
    slopes: Vec<f64>,
    /// Log-log slope past the last horizon, in [0, 1].
    tail: f64,
}

impl Curve {
    /// From values at the grid's horizons (made finite, within `[0, cap]`
    /// and non-decreasing first).
    fn new(mut values: Vec<f64>, cap: f64) -> Curve {
        let mut top = 0.0;
        for v in values.iter_mut() {
            let x = if v.is_finite() {
                clamp(*v, 0.0, cap)
            } else {
                0.0
            };
            top = max_of(top, x);
            *v = top;
        }
        let n = values.len();
        let mut slopes = vec![0.0; n];
        if n >= 2 {
            let delta: Vec<f64> = values.windows(2).map(|w| w[1] - w[0]).collect();
            slopes[0] = delta[0];
            slopes[n - 1] = delta[n - 2];
            for k in 1..n - 1 {
                let (a, b) = (delta[k - 1], delta[k]);
                slopes[k] = if a > 0.0 && b > 0.0 {
                    2.0 / (1.0 / a + 1.0 / b)
                } else {
                    0.0
                };
            }
        }
        let tail = if n >= 2 && values[n - 2] > 0.0 {
            clamp(
                libm::log(values[n - 1] / values[n - 2]) / GRID_STEP,
                0.0,
                1.0,
            )
        } else {
            0.0
        };
        Curve {
            values,
            slopes,
            tail,
        }
    }

    fn eval(&self, tau: f64) -> f64 {
        let n = self.values.len();
        if n == 0 || tau.is_nan() || tau <= 0.0 {
            return 0.0;
        }
        let s = (libm::log(tau) - libm::log(GRID_START)) / GRID_STEP;
        if s < 0.0 {
            return self.values[0] * tau / GRID_START;
        }
        if s >= (n - 1) as f64 {
            let last = self.values[n - 1];
            let r = libm::exp(self.tail * (s - (n - 1) as f64) * GRID_STEP);
            return if r.is_finite() { last * r } else { last };
        }
        let k = s as usize;
        let t = s - k as f64;
        let (t2, t3) = (t * t, t * t * t);
        let (v0, v1) = (self.values[k], self.values[k + 1]);
        let (m0, m1) = (self.slopes[k], self.slopes[k + 1]);
        let c = (2.0 * t3 - 3.0 * t2 + 1.0) * v0
            + (t3 - 2.0 * t2 + t) * m0
            + (-2.0 * t3 + 3.0 * t2) * v1
            + (t3 - t2) * m1;
        clamp(c, v0, v1)
    }
}

/// The model is evaluated at scales `z = h/(α+T)` up to this; past it a
/// curve goes on as a power of z with the log-log slope of its last two
/// points (within [0, 1]). Horizons 10,000 times a customer's time scale only
/// arise from absurd parameters or levers, where evaluating the model there
/// would cost seconds (its series converge slowly).
const MAX_SCALE: f64 = 1e4;

/// `f(z_i)` for the increasing scales `z`, evaluated up to [`MAX_SCALE`]
/// and extended past it by the last log-log slope.
fn tabulate(z: &[f64], mut f: impl FnMut(f64) -> f64) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::with_capacity(z.len());
    for (i, &zi) in z.iter().enumerate() {
        if zi <= MAX_SCALE || i < 2 {
            out.push(f(zi));
            continue;
        }
        let (z1, z2) = (z[i - 2], z[i - 1]);
        let (g1, g2) = (out[i - 2], out[i - 1]);
        let slope = if g1 > 0.0 && g2 > 0.0 {
            clamp(libm::log(g2 / g1) / libm::log(z2 / z1), 0.0, 1.0)
        } else {
            0.0
        };
        let v = g2 * libm::exp(slope * libm::log(zi / z2));
        out.push(if v.is_finite() { v } else { g2 });
    }
    out
}

/// A customer's expected repeat purchases given alive, as a function of the
/// scale `z = h/(α+T)` (BG/NBD, MBG/NBD) or `z = h/(β+T)` (Pareto/NBD), for
/// `x` repeat purchases so far.
///
/// BG/NBD and MBG/NBD: given alive, λ ~ Gamma(r+x, α+T) and the dropout
/// p ~ Beta(a, b+x) (MBG/NBD: b+x+1), and a customer with (λ, p) makes
/// `(1 − e^{−λ·p·h})/p` purchases in expectation, so
/// `E = E_p[(1 − (1 + p·z)^{−(r+x)})/p]`: the repurchase module's
/// expectation given alive ([`expected_if_alive_at`]; its quadrature rules
/// made once per key). Pareto/NBD: `((1+z)^{1−s} − 1)/(1−s)`
/// (times `(r+x)(β+T)/(α+T)`, which `correlate` puts in the weights),
/// closed form.
enum GivenAlive {
    /// BG/NBD, MBG/NBD: p ~ Beta(a, bp), n = r + x.
    Bg {
        a: f64,
        bp: f64,
        n: f64,
        rules: Box<PosteriorRules>,
    },
    /// Pareto/NBD.
    Pareto { s: f64 },
}

impl GivenAlive {
    fn new(model: &Model, x: f64) -> GivenAlive {
        let (r, a, bp) = match *model {
            Model::BgNbd(p) => (p.r, p.a, p.b + x),
            Model::ModifiedBgNbd(p) => (p.r, p.a, p.b + x + 1.0),
            Model::ParetoNbd(p) => return GivenAlive::Pareto { s: p.s },
            Model::GammaGamma(_) => (1.0, 1.0, 1.0),
        };
        GivenAlive::Bg {
            a,
            bp,
            n: r + x,
            rules: Box::default(),
        }
    }

    fn at(&mut self, z: f64) -> f64 {
        match self {
            GivenAlive::Pareto { s } => {
                let l = libm::log1p(z);
                sane(l * exprel((1.0 - *s) * l), MAX_PURCHASES_PER_CUSTOMER)
            }
            GivenAlive::Bg { .. } if z <= 0.0 => 0.0,
            GivenAlive::Bg { a, bp, n, rules } => sane(
                expected_if_alive_at(*a, *bp, *n, z, Some(rules)),
                MAX_PURCHASES_PER_CUSTOMER,
            ),
        }
    }
}

/// `(e^y − 1)/y`, 1 at y = 0.
fn exprel(y: f64) -> f64 {
    if y.abs() < 1e-8 {
        1.0 + 0.5 * y
    } else {
        libm::expm1(y) / y
    }
}

/// A finite value in `[0, hi]` (0 for NaN).
fn sane(x: f64, hi: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        clamp(x, 0.0, hi)
    }
}

/// What a repeat purchase is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Worth {
    /// The merchant's price (no order-value model).
    Price,
    /// This many yuan at the baseline price.
    Yuan(f64),
}

/// The fitted process's curves and constants, computed once per run from a
/// merchant's `repurchase`, `customers` and `orderValue` (see the module docs).
#[cfg(feature = "myshop")]
#[derive(Debug, Clone)]
pub(super) struct FittedCurves {
    model: Model,
    /// Days per unit.
    unit: f64,
    /// Σ over the customers of E[Y(τ)] (purchases), τ in days.
    existing: Curve,
    /// Σ over the customers of E[Y(τ)]·(expected spend), with a Gamma-Gamma
    /// model and monetary values.
    existing_value: Option<Curve>,
    /// E[X(τ)] of a new customer (repeat purchases since the first).
    new: Curve,
    existing_worth: Worth,
    new_worth: Worth,
    /// Σ P(alive) over the customers, and the customers given.
    alive0: f64,
    customers: f64,
    /// Dropout per purchase (BG/NBD, MBG/NBD: posterior mean p of the alive
    /// customers, prior mean for new ones) or per day (Pareto/NBD: mean μ).
    dropout_existing: f64,
    dropout_new: f64,
    /// Whether dropout comes after purchases (BG/NBD, MBG/NBD) or in time.
    per_purchase: bool,
    /// Share of new customers alive after their first purchase (MBG/NBD: b/(a+b)).
    first_survival: f64,
}

#[cfg(feature = "myshop")]
impl FittedCurves {
    /// The curves of merchant `m` (validated) for a run of `days` days;
    /// `None` without `m.repurchase`.
    pub(super) fn build(m: &MerchantSettings, days: u32) -> Result<Option<Arc<FittedCurves>>> {
        let Some(rep) = &m.repurchase else {
            return Ok(None);
        };
        Self::build_fitted(m, rep, days)
    }

    /// [`Self::build`] with the merchant's model `rep`.
    fn build_fitted(
        m: &MerchantSettings,
        rep: &MerchantRepurchase,
        days: u32,
    ) -> Result<Option<Arc<FittedCurves>>> {
        let kind = transaction_kind(&rep.model)
            .ok_or_else(|| Error::invalid("repurchase.model is not a transaction model"))?;
        let model = Model::from_params(kind, &rep.params)?;
        let gg = match m.order_value.as_ref().and_then(|v| v.params.as_ref()) {
            Some(p) => match Model::from_params(ModelKind::GammaGamma, p)? {
                Model::GammaGamma(g) => Some(g),
                _ => None,
            },
            None => None,
        };
        let average = m.order_value.as_ref().and_then(|v| v.average);
        let mean_value = match (gg, average) {
            (Some(g), _) => Worth::Yuan(sane(g.p * g.v / (g.q - 1.0), MAX_ORDER_VALUE)),
            (None, Some(a)) => Worth::Yuan(a),
            _ => Worth::Price,
        };
        let unit = rep.unit_days;
        let k = grid_len(days);
        let taus: Vec<f64> = (0..k).map(grid_tau).collect();
        // The new customer's scale: α (BG/NBD, MBG/NBD), β (Pareto/NBD).
        let scale = match model {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => p.alpha,
            Model::ParetoNbd(p) => p.beta,
            Model::GammaGamma(_) => 1.0,
        };
        let z: Vec<f64> = taus.iter().map(|&tau| tau / unit / scale).collect();
        // A new customer: x = 0, T = 0, alive after its first purchase with
        // the model's P(alive) at (0, 0, 0) (MBG/NBD: b/(a+b)).
        // Pareto/NBD's expectation given alive carries (r+x)(β+T)/(α+T).
        let alive_new = sane(model.alive_one(0.0, 0.0, 0.0), 1.0);
        let coef = match model {
            Model::ParetoNbd(p) => p.r * p.beta / p.alpha,
            _ => 1.0,
        };
        let mut given = GivenAlive::new(&model, 0.0);
        let new_values = tabulate(&z, |zi| alive_new * coef * given.at(zi));
        let new = Curve::new(new_values, MAX_PURCHASES_PER_CUSTOMER);
        let (per_purchase, first_survival, dropout_new) = match model {
            Model::BgNbd(p) => (true, 1.0, p.a / (p.a + p.b)),
            Model::ModifiedBgNbd(p) => (true, p.b / (p.a + p.b), p.a / (p.a + p.b)),
            Model::ParetoNbd(p) => (false, 1.0, p.s / p.beta / unit),
            Model::GammaGamma(_) => (true, 1.0, 0.0),
        };
        let mut curves = FittedCurves {
            model,
            unit,
            existing: Curve::new(vec![0.0; k], 0.0),
            existing_value: None,
            new,
            existing_worth: mean_value,
            new_worth: mean_value,
            alive0: 0.0,
            customers: 0.0,
            dropout_existing: sane(dropout_new, 1.0),
            dropout_new: sane(dropout_new, 1.0),
            per_purchase,
            first_survival: sane(first_survival, 1.0),
        };
        if let Some(c) = &m.customers {
            let spend = match (gg, &c.monetary) {
                (Some(g), Some(mon)) => Some((g, mon.as_slice())),
                _ => None,
            };
            curves.add_customers(c, spend, k);
        }
        Ok(Some(Arc::new(curves)))
    }

    /// The customers' curve(s), `P(alive)` sum and mean dropout.
    fn add_customers(
        &mut self,
        c: &Customers,
        spend: Option<(GammaGammaParams, &[f64])>,
        k: usize,
    ) {
        let n = c.frequency.len();
        if n == 0 {
            return;
        }
        // Identical (x, T, t_x) rows next to each other: ordered by (x, T),
        // then each run of equal (x, T) by t_x, ties by row.
        let order = grouped_order(c);
        // (x, T, Σ P(alive), Σ P(alive)·spend) per distinct (x, T).
        let mut pairs: Vec<(f64, f64, f64, f64)> = Vec::new();
        let (mut alive0, mut dropout) = (0.0, 0.0);
        let mut start = 0;
        while start < n {
            let i = order[start] as usize;
            let (x, t, tx) = (c.frequency[i], c.t[i], c.recency[i]);
            let mut end = start;
            let mut value = 0.0;
            while end < n {
                let j = order[end] as usize;
                if c.frequency[j] != x || c.t[j] != t || c.recency[j] != tx {
                    break;
                }
                if let Some((g, mon)) = spend {
                    value += sane(g.expected_spend(x, mon[j]), MAX_ORDER_VALUE);
                }
                end += 1;
            }
            let w = (end - start) as f64;
            let alive = sane(self.model.alive_one(x, tx, t), 1.0);
            alive0 += w * alive;
            dropout += w * alive * self.dropout_given(x, t);
            match pairs.last_mut() {
                Some(last) if last.0 == x && last.1 == t => {
                    last.2 += w * alive;
                    last.3 += value * alive;
                }
                _ => pairs.push((x, t, w * alive, value * alive)),
            }
            start = end;
        }
        self.customers = n as f64;
        self.alive0 = alive0;
        if alive0 > 0.0 {
            self.dropout_existing = sane(dropout / alive0, 1.0);
        }
        let cap = MAX_PURCHASES_PER_CUSTOMER * self.customers;
        let (values, weighted) = self.correlate(&pairs, k, spend.is_some());
        self.existing = Curve::new(values, cap);
        if let Some(v) = weighted {
            self.existing_value = Some(Curve::new(v, cap * MAX_ORDER_VALUE));
        }
    }

    /// Posterior mean dropout of an alive customer with `x` repeat purchases
    /// and age `t` (units): per purchase (BG/NBD, MBG/NBD) or per day (Pareto/NBD).
    fn dropout_given(&self, x: f64, t: f64) -> f64 {
        match self.model {
            Model::BgNbd(p) => p.a / (p.a + p.b + x),
            Model::ModifiedBgNbd(p) => p.a / (p.a + p.b + x + 1.0),
            Model::ParetoNbd(p) => p.s / (p.beta + t) / self.unit,
            Model::GammaGamma(_) => 0.0,
        }
    }

    /// `Σ_pairs weight · E[Y(τ_i) | alive, x, T]` at every grid horizon, for
    /// the `P(alive)` weights and (with `values`) the spend-weighted ones.
    fn correlate(
        &self,
        pairs: &[(f64, f64, f64, f64)],
        k: usize,
        values: bool,
    ) -> (Vec<f64>, Option<Vec<f64>>) {
        // Each key: an expectation given alive g(z) of the scale z = h/(c+T)
        // (h in units), and its pairs' weights on the lattice of ln(c+T).
        // BG/NBD, MBG/NBD: one key per x (lattice above EXACT_FREQUENCY),
        // c = α, weight 1. Pareto/NBD: one key, c = β, g(z) = ((1+z)^{1−s} − 1)/(1−s),
        // weight (r+x)(β+T)/(α+T).
        let mut out = vec![0.0; k];
        let mut out_v = if values { Some(vec![0.0; k]) } else { None };
        let c = match self.model {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => p.alpha,
            Model::ParetoNbd(p) => p.beta,
            Model::GammaGamma(_) => return (out, out_v),
        };
        let ln_c = libm::log(c);
        // Keys with their (lattice index, weight, value weight).
        let mut keys: Vec<(f64, Lattice)> = Vec::new();
        let mut push = |key: f64, t: f64, w: f64, wv: f64| {
            if !(w > 0.0 || wv > 0.0) {
                return;
            }
            let pos = max_of((libm::log(c + t) - ln_c) / GRID_STEP, 0.0);
            let j = pos as usize;
            let f = pos - j as f64;
            let slot = match keys.iter().position(|(kx, _)| *kx == key) {
                Some(s) => s,
                None => {
                    keys.push((key, Vec::new()));
                    keys.len() - 1
                }
            };
            let list = &mut keys[slot].1;
            list.push((j, w * (1.0 - f), wv * (1.0 - f)));
            if f > 0.0 {
                list.push((j + 1, w * f, wv * f));
            }
        };
        for &(x, t, w, wv) in pairs {
            match self.model {
                Model::ParetoNbd(p) => {
                    let coef = (p.r + x) * (p.beta + t) / (p.alpha + t);
                    push(0.0, t, w * coef, wv * coef);
                }
                _ if x <= EXACT_FREQUENCY => push(x, t, w, wv),
                _ => {
                    let pos = libm::log(x / EXACT_FREQUENCY) / GRID_STEP;
                    let lo = pos.floor();
                    let f = pos - lo;
                    let x_lo = EXACT_FREQUENCY * libm::exp(lo * GRID_STEP);
                    let x_hi = EXACT_FREQUENCY * libm::exp((lo + 1.0) * GRID_STEP);
                    push(x_lo, t, w * (1.0 - f), wv * (1.0 - f));
                    if f > 0.0 {
                        push(x_hi, t, w * f, wv * f);
                    }
                }
            }
        }
        let zeta0 = libm::log(GRID_START) - libm::log(self.unit) - ln_c;
        for (key, list) in &keys {
            let jmax = list.iter().map(|e| e.0).max().unwrap_or(0);
            let mut lat = vec![(0.0, 0.0); jmax + 1];
            for &(j, w, wv) in list {
                lat[j].0 += w;
                lat[j].1 += wv;
            }
            // g at z_m = e^{ζ0 + m·step}, m = i − j ∈ [−jmax, k−1].
            let mut given = GivenAlive::new(&self.model, *key);
            let z: Vec<f64> = (0..k + jmax)
                .map(|idx| libm::exp(zeta0 + (idx as f64 - jmax as f64) * GRID_STEP))
                .collect();
            let g = tabulate(&z, |zi| given.at(zi));
            for (i, o) in out.iter_mut().enumerate() {
                let mut sum = 0.0;
                for (j, &(w, _)) in lat.iter().enumerate() {
                    sum += w * g[i + jmax - j];
                }
                *o += sum;
            }
            if let Some(ov) = out_v.as_mut() {
                for (i, o) in ov.iter_mut().enumerate() {
                    let mut sum = 0.0;
                    for (j, &(_, wv)) in lat.iter().enumerate() {
                        sum += wv * g[i + jmax - j];
                    }
                    *o += sum;
                }
            }
        }
        (out, out_v)
    }
}

/// A key's weights on the lattice of `ln(c+T)`: (index, weight, value weight).
type Lattice = Vec<(usize, f64, f64)>;

/// A cohort of new customers: its size, where the process's clock `U` stood
/// when it joined, and its curve value yesterday.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    n: f64,
    start: f64,
    prev: f64,
}

/// One day of the fitted process.
#[derive(Debug, Clone, Copy)]
pub(super) struct FittedDay {
    pub(super) repurchases: f64,
    /// Of which by the customers given.
    pub(super) existing: f64,
    /// Their value, yuan (`None`: worth the price).
    pub(super) value: Option<f64>,
    /// The day's factor on the purchase rate (big day, live session),
    /// relative to the fitted baseline.
    pub(super) factor: f64,
}

/// The fitted process in a run or a replay: the curves, the lever factors
/// relative to the baseline, and the state carried from day to day.
#[cfg(feature = "myshop")]
#[derive(Debug, Clone)]
pub(super) struct FittedState {
    curves: Arc<FittedCurves>,
    /// Purchase-rate factor `h` and dropout factor `d` (module docs).
    hazard_factor: f64,
    dropout_factor: f64,
    /// price / baseline price.
    value_scale: f64,
    /// The live-day lift and the baseline's reach and share of live days.
    live_lift: f64,
    reach0: f64,
    share0: f64,
    /// The process's clock `U`: days of the baseline process so far.
    clock: f64,
    prev_existing: f64,
    prev_existing_value: f64,
    cohorts: Vec<Cohort>,
    alive_existing: f64,
    alive_new: f64,
}

/// `a / b` for the lever factors: 1 when both are 0, `MAX_FACTOR` when only
/// the baseline is, within `[lo, MAX_FACTOR]`.
fn factor(a: f64, b: f64, lo: f64) -> f64 {
    let r = if b > 0.0 {
        a / b
    } else if a > 0.0 {
        MAX_FACTOR
    } else {
        1.0
    };
    if r.is_nan() {
        1.0
    } else {
        clamp(r, lo, MAX_FACTOR)
    }
}

fn traits(m: &MerchantSettings) -> Traits {
    Traits {
        quality: m.content_quality,
        follow_rate: m.follow_rate,
        price: m.price,
        trust: m.trust,
        diligence: m.diligence,
    }
}

/// The live room's reach on the follow page in a session of merchant `m`
/// (as `merchant_day` computes it).
pub(super) fn live_reach(params: &FunnelParams, m: &MerchantSettings) -> f64 {
    let base = min_of(params.live_reach * (0.5 + 0.5 * m.diligence), 1.0);
    min_of(base * (m.live_hours / LIVE_REFERENCE_HOURS), 1.0)
}

#[cfg(feature = "myshop")]
impl FittedState {
    /// The process for a merchant with settings `current`, the curves fitted
    /// at `baseline`.
    pub(super) fn new(
        curves: Arc<FittedCurves>,
        baseline: &MerchantSettings,
        current: &MerchantSettings,
        params: &FunnelParams,
    ) -> FittedState {
        let (t0, t1) = (traits(baseline), traits(current));
        let hazard_factor = factor(params.mean_hazard(&t1), params.mean_hazard(&t0), 0.0);
        let dropout_factor = factor(
            params.dropout(t1.trust),
            params.dropout(t0.trust),
            1.0 / MAX_FACTOR,
        );
        let alive0 = curves.alive0;
        FittedState {
            curves,
            hazard_factor,
            dropout_factor,
            value_scale: factor(current.price, baseline.price, 0.0),
            live_lift: params.live_repurchase_lift,
            reach0: live_reach(params, baseline),
            share0: if baseline.live_every_days > 0 {
                1.0 / f64::from(baseline.live_every_days)
            } else {
                0.0
            },
            clock: 0.0,
            prev_existing: 0.0,
            prev_existing_value: 0.0,
            cohorts: Vec::new(),
            alive_existing: alive0,
            alive_new: 0.0,
        }
    }

    /// Expected alive customers.
    pub(super) fn alive_total(&self) -> f64 {
        self.alive_existing + self.alive_new
    }

    /// Expected alive customers at day 0 (the customers given).
    pub(super) fn alive_at_start(&self) -> f64 {
        self.curves.alive0
    }

    /// Share of new customers alive after their first purchase.
    pub(super) fn first_survival(&self) -> f64 {
        self.curves.first_survival
    }

    /// The day's factor on the purchase rate: the big-day multiplier times
    /// the live room's lift `1 + lift·reach·φ`, over the baseline's average
    /// lift `1 + lift·reach₀·φ·share₀`.
    fn day_factor(&self, order_multiplier: f64, reach: f64, phi: f64) -> f64 {
        let lift = 1.0 + self.live_lift * reach * phi;
        let norm = 1.0 + self.live_lift * self.reach0 * phi * self.share0;
        order_multiplier * lift / norm
    }

    /// One day: the repeat purchases of the customers given and of the new
    /// customers so far, on a day with the big-day multiplier
    /// `order_multiplier`, a live room reaching a share `reach` of followers
    /// (0 without a session) and a share `phi` of alive customers who follow.
    pub(super) fn day(&mut self, order_multiplier: f64, reach: f64, phi: f64) -> FittedDay {
        let c = Arc::clone(&self.curves);
        let (h, d) = (self.hazard_factor, self.dropout_factor);
        let factor = self.day_factor(order_multiplier, reach, phi);
        let speed = sane(h * factor, f64::MAX);
        let clock = sane(self.clock + speed, f64::MAX);
        let existing_now = c.existing.eval(d * clock) / d;
        let existing = max_of(existing_now - self.prev_existing, 0.0);
        self.prev_existing = max_of(existing_now, self.prev_existing);
        let mut new = 0.0;
        for co in self.cohorts.iter_mut() {
            let now = c.new.eval(d * (clock - co.start)) / d;
            new += co.n * max_of(now - co.prev, 0.0);
            co.prev = max_of(now, co.prev);
        }
        self.clock = clock;
        let worth = |w: Worth, purchases: f64| match w {
            Worth::Price => None,
            Worth::Yuan(y) => Some(purchases * y),
        };
        let existing_value = match &c.existing_value {
            Some(curve) => {
                let now = curve.eval(d * clock) / d;
                let v = max_of(now - self.prev_existing_value, 0.0);
                self.prev_existing_value = max_of(now, self.prev_existing_value);
                Some(v)
            }
            None => worth(c.existing_worth, existing),
        };
        let value = match (existing_value, worth(c.new_worth, new)) {
            (Some(a), Some(b)) => Some((a + b) * self.value_scale),
            _ => None,
        };
        // Alive customers, by the model's mean dropout.
        if c.per_purchase {
            self.alive_existing =
                max_of(self.alive_existing - d * c.dropout_existing * existing, 0.0);
            self.alive_new = max_of(self.alive_new - d * c.dropout_new * new, 0.0);
        } else {
            self.alive_existing *= libm::exp(-d * speed * c.dropout_existing);
            self.alive_new *= libm::exp(-d * speed * c.dropout_new);
        }
        FittedDay {
            repurchases: existing + new,
            existing,
            value,
            factor,
        }
    }

    /// Adds `n` first-time buyers of today (they buy again from tomorrow).
    pub(super) fn acquire(&mut self, n: f64) {
        if n > 0.0 && n.is_finite() {
            self.cohorts.push(Cohort {
                n,
                start: self.clock,
                prev: 0.0,
            });
            self.alive_new += n * self.curves.first_survival;
        }
    }

    /// The model a new customer follows under the lever factors, for
    /// probabilities of a first repeat purchase read at the process's clock:
    /// BG/NBD and MBG/NBD as fitted (their dropout comes after purchases),
    /// Pareto/NBD with its dropout rate scaled by `d` (β/d).
    fn scaled_model(&self) -> Model {
        match self.curves.model {
            Model::ParetoNbd(p) => Model::ParetoNbd(ParetoParams {
                beta: p.beta / self.dropout_factor,
                ..p
            }),
            m => m,
        }
    }

    /// P(a new customer buys again within `clock` days of the process's clock).
    fn repurchase_within(&self, model: &Model, clock: f64) -> f64 {
        sane(
            model.repurchase_one(clock / self.curves.unit, 0.0, 0.0, 0.0),
            1.0,
        )
    }

    /// A new customer's chance to buy again within `days` days on average
    /// days (factor 1) with the merchant's levers.
    pub(super) fn chance(&self, days: f64) -> f64 {
        let m = self.scaled_model();
        self.repurchase_within(&m, sane(self.hazard_factor * days, f64::MAX))
    }

    /// The backend's cohort repurchase rate for a window of `window` days
    /// (as `funnel::cohort_repurchase_rate` for the platform model): of the
    /// first-time buyers of each day (`first`) whose first order was at
    /// least `window` days before the end, the share who bought again within
    /// `window` days, days weighted by their day factors (`factors`; past the
    /// end, factor 1).
    pub(super) fn cohort_rate(&self, first: &[f64], factors: &[f64], window: usize) -> f64 {
        let days = first.len();
        let h = self.hazard_factor;
        let mut prefix = vec![0.0; days + window + 2];
        for d in 0..days + window + 1 {
            let f = factors.get(d).copied().unwrap_or(1.0);
            prefix[d + 1] = prefix[d] + sane(h * f, MAX_FACTOR * MAX_FACTOR);
        }
        let m = self.scaled_model();
        let average = |cohorts: std::ops::Range<usize>| -> Option<f64> {
            let (mut n, mut sum) = (0.0, 0.0);
            for t in cohorts {
                if first[t] > 0.0 {
                    n += first[t];
                    // Repurchase days t+1 ..= t+window.
                    let clock = prefix[t + window + 1] - prefix[t + 1];
                    sum += first[t] * self.repurchase_within(&m, clock);
                }
            }
            (n > 0.0).then(|| sum / n)
        };
        let complete = days.saturating_sub(window);
        average(0..complete)
            .or_else(|| average(0..days))
            .unwrap_or(0.0)
    }
}

/// Without `myshop` (the package's traffic half) there is no fitted
/// process: the curves and the state are empty types, no value of them
/// exists ([`FittedCurves::build`] gives none or the error), so every fitted
/// branch of a run is unreachable and its code compiled out.
#[cfg(not(feature = "myshop"))]
#[derive(Debug, Clone)]
pub(super) enum FittedCurves {}

#[cfg(not(feature = "myshop"))]
impl FittedCurves {
    /// `None` without `m.repurchase`; with one, the error of [`without_myshop`].
    pub(super) fn build(m: &MerchantSettings, _days: u32) -> Result<Option<Arc<FittedCurves>>> {
        match m.repurchase {
            None => Ok(None),
            Some(_) => Err(without_myshop("merchant.repurchase")),
        }
    }
}

/// See the `myshop` off [`FittedCurves`].
#[cfg(not(feature = "myshop"))]
#[derive(Debug, Clone)]
pub(super) enum FittedState {}

#[cfg(not(feature = "myshop"))]
impl FittedState {
    pub(super) fn new(
        curves: Arc<FittedCurves>,
        _baseline: &MerchantSettings,
        _current: &MerchantSettings,
        _params: &FunnelParams,
    ) -> FittedState {
        match *curves {}
    }
    pub(super) fn alive_total(&self) -> f64 {
        match *self {}
    }
    pub(super) fn alive_at_start(&self) -> f64 {
        match *self {}
    }
    pub(super) fn first_survival(&self) -> f64 {
        match *self {}
    }
    pub(super) fn day(&mut self, _order_multiplier: f64, _reach: f64, _phi: f64) -> FittedDay {
        match *self {}
    }
    pub(super) fn acquire(&mut self, _n: f64) {
        match *self {}
    }
    pub(super) fn chance(&self, _days: f64) -> f64 {
        match *self {}
    }
    pub(super) fn cohort_rate(&self, _first: &[f64], _factors: &[f64], _window: usize) -> f64 {
        match *self {}
    }
}

/// The rows of `c` ordered by (x, T, t_x) (ties by row), through the u128
/// key sort the allocation already links in (why not `sort_unstable_by`
/// on the triple: a third sort instantiation in the traffic half's Wasm,
/// measured: 2,450 bytes gzipped). x (validated: an integer ≤ 1e7) takes the top
/// 32 bits, T's total-order key the next 64, the row the low 32.
#[cfg(feature = "myshop")]
fn grouped_order(c: &Customers) -> Vec<u32> {
    let mut keys: Vec<u128> = (0..c.frequency.len())
        .map(|i| {
            (u128::from(c.frequency[i] as u32) << 96)
                | (u128::from(sort::total_key(c.t[i])) << 32)
                | i as u128
        })
        .collect();
    sort::sort_wide(&mut keys);
    let mut run = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let group = keys[start] >> 32;
        let end = start + keys[start..].partition_point(|&k| k >> 32 == group);
        if end - start > 1 {
            run.clear();
            run.extend(keys[start..end].iter().map(|&k| {
                let i = k as u32;
                sort::asc_then_index(c.recency[i as usize], i)
            }));
            sort::sort_wide(&mut run);
            keys[start..end].copy_from_slice(&run);
        }
        start = end;
    }
    keys.iter().map(|&k| k as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repurchase::ModelKind;

    #[test]
    fn grouped_order_is_the_lexicographic_order_of_the_rows() {
        // Against a comparison sort on (x, T, t_x, row), with many
        // duplicates, x up to the bound, T and t_x of every magnitude.
        let mut r = crate::stats::random::rng(3);
        let mut u = || crate::stats::random::uniform(&mut r);
        for n in [0usize, 1, 2, 7, 300, 5000] {
            let (mut frequency, mut recency, mut t) = (vec![], vec![], vec![]);
            for _ in 0..n {
                let x = [0.0, 1.0, 2.0, MAX_FREQUENCY][(u() * 4.0) as usize];
                let tt = [0.0, 5e-324, 3.0, 3.5, 1e7][(u() * 5.0) as usize];
                frequency.push(x);
                t.push(tt);
                recency.push(if x == 0.0 {
                    0.0
                } else {
                    tt * [0.0, 0.5, 1.0][(u() * 3.0) as usize]
                });
            }
            let c = Customers {
                frequency,
                recency,
                t,
                monetary: None,
            };
            let mut want: Vec<u32> = (0..n as u32).collect();
            want.sort_by(|&i, &j| {
                let (i, j) = (i as usize, j as usize);
                c.frequency[i]
                    .total_cmp(&c.frequency[j])
                    .then(c.t[i].total_cmp(&c.t[j]))
                    .then(c.recency[i].total_cmp(&c.recency[j]))
                    .then(i.cmp(&j))
            });
            assert_eq!(grouped_order(&c), want, "n = {n}");
        }
    }

    #[test]
    fn the_expectation_given_alive_is_the_models() {
        // Against the repurchase module's E[Y(h) | x, t_x, T] / P(alive): the
        // scale z = h/(c+T), the Beta's b + x (+1) per key and Pareto/NBD's
        // closed form carry T and x as the model does; within 1e-6.
        for (kind, params) in [
            (ModelKind::BgNbd, [0.243, 4.414, 0.793, 2.426]),
            (ModelKind::ModifiedBgNbd, [0.525, 6.183, 0.891, 1.614]),
            (ModelKind::BgNbd, [0.6, 30.0, 0.9, 3.0]),
            (ModelKind::BgNbd, [2.0, 10.0, 3.0, 0.4]),
            // a ≥ 50: the Gauss–Jacobi rule made once per key
            (ModelKind::ModifiedBgNbd, [0.6, 30.0, 80.0, 200.0]),
            (ModelKind::ParetoNbd, [0.553, 10.578, 0.606, 11.669]),
        ] {
            let model = Model::from_params(kind, &params).unwrap();
            let c = match model {
                Model::ParetoNbd(p) => p.beta,
                Model::BgNbd(p) | Model::ModifiedBgNbd(p) => p.alpha,
                Model::GammaGamma(_) => unreachable!(),
            };
            let coef = |x: f64, t: f64| match model {
                Model::ParetoNbd(p) => (p.r + x) * (p.beta + t) / (p.alpha + t),
                _ => 1.0,
            };
            for x in [0.0, 1.0, 4.0, 30.0] {
                let mut given = GivenAlive::new(&model, x);
                for t in [0.0, 5.0, 40.0] {
                    for z in [0.01, 0.3, 1.0, 7.0, 60.0] {
                        let h = z * (c + t);
                        let tx = if x > 0.0 { t / 2.0 } else { 0.0 };
                        let want = model.expected_one(h, x, tx, t) / model.alive_one(x, tx, t);
                        let got = coef(x, t) * given.at(z);
                        assert!(
                            (got - want).abs() <= 1e-6 * want,
                            "{kind:?} x {x} T {t} z {z}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn curves_interpolate_monotonically() {
        let k = grid_len(90);
        let values: Vec<f64> = (0..k)
            .map(|i| 1.0 - libm::exp(-grid_tau(i) / 50.0))
            .collect();
        let c = Curve::new(values, 10.0);
        let mut prev = 0.0;
        for d in 0..=2000 {
            let tau = d as f64 * 0.37;
            let v = c.eval(tau);
            let want = 1.0 - libm::exp(-tau / 50.0);
            assert!(v >= prev, "{tau}");
            assert!(
                (v - want).abs() <= 2e-5 * want.max(1e-6),
                "{tau}: {v} vs {want}"
            );
            prev = v;
        }
        assert!(c.eval(1e12).is_finite() && c.eval(f64::NAN) == 0.0);
    }
}
