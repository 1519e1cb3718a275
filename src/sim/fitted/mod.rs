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
//!   ([`FunnelParams::mean_hazard`](crate::funnel::FunnelParams::mean_hazard)): trust, the experience/price ratio
//!   (content quality and price) and the follow-page lift (follow rate and
//!   diligence);
//! * **dropout**: the dropout probability after a purchase (BG/NBD, MBG/NBD)
//!   is multiplied by `d = D(settings)/D(baseline)`, with `D` the platform
//!   model's dropout ([`FunnelParams::dropout`](crate::funnel::FunnelParams::dropout), set by trust); for Pareto/NBD,
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

mod curves;
mod state;

pub(super) use curves::FittedCurves;
pub(super) use state::FittedState;

use serde::{Deserialize, Serialize};

use super::scenario::MerchantSettings;
use crate::repurchase::{data, ModelKind};
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

#[cfg(test)]
mod tests {
    use super::curves::*;
    use super::*;
    use crate::repurchase::Model;
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
