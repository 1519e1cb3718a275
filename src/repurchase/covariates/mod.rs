//! Time-invariant ("static") customer covariates for BG/NBD, MBG/NBD and
//! Pareto/NBD, in CLVTools' form (`src/bgnbd.cpp`, `src/pnbd.cpp`:
//! `*_staticcov_alpha_i`, `_a_i`, `_b_i`, `_beta_i`), with its sign
//! convention:
//!
//! * purchase process (every model): `αᵢ = α·exp(−γ_p·zᵢ)`, so the mean
//!   purchase rate `r/αᵢ` is `r/α · exp(γ_p·zᵢ)`: `exp(γ_p)` is the factor
//!   by which one unit of the covariate multiplies the mean purchase rate;
//! * dropout, Pareto/NBD: `βᵢ = β·exp(−γ_d·zᵢ)`, the mean dropout rate
//!   `s/βᵢ` is `s/β · exp(γ_d·zᵢ)`: `exp(γ_d) > 1` means faster dropout;
//! * dropout, (M)BG/NBD: `aᵢ = a·exp(γ_d·zᵢ)`, `bᵢ = b·exp(γ_d·zᵢ)` (one
//!   coefficient for both, as CLVTools: "g2 = g3"). The mean dropout
//!   probability a/(a+b) does not move; `exp(γ_d)` scales the Beta's
//!   concentration a + b (> 1: customers' dropout probabilities closer to
//!   the mean; < 1: more customers near "never drop out" and "drop out at
//!   once").
//!
//! r and s are common to all customers. Purchase and dropout have separate
//! coefficient vectors over chosen columns of one covariate table; either
//! may be empty (switched off).
//!
//! The likelihood reuses the plain models' row terms: customers are grouped
//! by their covariate values (a categorical covariate gives one group per
//! level), each group is compressed into [`Rows`](super::data::Rows) and evaluated by the
//! plain objective ([`BgObjective`](super::bgnbd::BgObjective), [`ParetoObjective`](super::pareto_nbd::ParetoObjective)) at its own
//! log-parameters `ψ_g = (ln r, ln α − γ_p·z_g, …)`. As ψ_g is linear in the
//! fitted vector (ln r, ln α, ln a|s, ln b|β, γ_p, γ_d), the total
//! gradient and Hessian are exactly `Σ A_gᵀ∇_g` and `Σ A_gᵀ H_g A_g`, with
//! the plain models' analytic derivatives. The fit starts at the plain
//! model's maximum (γ = 0) and runs damped Newton (as [`super::optimize`],
//! in any dimension); standard errors come from the inverse observed
//! information.
//!
//! A column that is constant over the fitted customers (e.g. all zero) has
//! no identified coefficient (it would only rescale α or β): it is held at
//! γ = 0 and reported as not identified, so all-zero covariates give the
//! plain model's fit.

mod fit;
mod objective;
mod one_hot;

pub use fit::fit_with_covariates;
pub use objective::CovariateObjective;
pub use one_hot::{one_hot, OneHot};

use super::bgnbd::{BgParams, Variant};
use super::data;
use super::model::{Model, MAX_PARAM, MIN_PARAM};
use super::pareto_nbd::ParetoParams;
use crate::stats::clamp;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Largest number of covariate columns.
///
/// ```
/// # use shijing::repurchase::{covariates::MAX_COLUMNS, one_hot};
/// // A reference level and MAX_COLUMNS indicators at most.
/// let levels: Vec<String> = (0..=MAX_COLUMNS).map(|i| i.to_string()).collect();
/// assert_eq!(one_hot(&levels, None).unwrap().names.len(), MAX_COLUMNS);
/// let more: Vec<String> = (0..=MAX_COLUMNS + 1).map(|i| i.to_string()).collect();
/// let err = one_hot(&more, None).unwrap_err();
/// assert_eq!(err.message(), "column has more than 65 distinct levels; group rare levels first");
/// ```
pub const MAX_COLUMNS: usize = 64;
/// Largest |value| of a covariate (standardize larger ones).
///
/// ```
/// # use shijing::repurchase::{covariates::MAX_VALUE, Covariates};
/// let c = Covariates { names: vec!["spend".into()], values: vec![MAX_VALUE * 2.0], purchase: vec![0], dropout: vec![] };
/// assert!(c.check(1).unwrap_err().message().starts_with("covariates.values[0][0] must be a finite number"));
/// assert!(Covariates { values: vec![MAX_VALUE], ..c }.check(1).is_ok());
/// ```
pub const MAX_VALUE: f64 = 1e6;
/// Effect size `|γ·z|` (a factor e^12 ≈ 160,000 on a scale) beyond which a
/// coefficient is taken to run off toward a limit rather than estimate a
/// finite effect.
pub(crate) const RUN_OFF: f64 = 12.0;
/// Longest covariate (or level) name, in characters.
///
/// ```
/// # use shijing::repurchase::{covariates::MAX_NAME, Covariates};
/// let long = "长".repeat(MAX_NAME + 1);
/// let c = Covariates { names: vec![long], values: vec![0.0], purchase: vec![0], dropout: vec![] };
/// let err = c.check(1).unwrap_err();
/// assert_eq!(err.message(), "covariates.names[0] must be a non-empty name of at most 200 characters");
/// ```
pub const MAX_NAME: usize = 200;

/// Which process a coefficient acts on.
///
/// ```
/// # use shijing::repurchase::{fit_with_covariates, Covariates, FitOptions, ModelKind, Process};
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// let (id, x, tx, t) = (col(0), col(1), col(2), col(3));
/// // CDNOW's customers with the parity of their ID in both processes: the
/// // coefficients come purchase first, then dropout.
/// let odd: Vec<f64> = id.iter().map(|i| i % 2.0).collect();
/// let cov = Covariates { names: vec!["odd".into()], values: odd, purchase: vec![0], dropout: vec![0] };
/// let fit = fit_with_covariates(ModelKind::BgNbd, &x, &tx, &t, &cov, &FitOptions::default()).unwrap();
/// let processes: Vec<Process> = fit.coefficients.iter().map(|c| c.process).collect();
/// assert_eq!(processes, [Process::Purchase, Process::Dropout]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// The purchase rate (α).
    Purchase,
    /// Dropout (β for Pareto/NBD, a and b for (M)BG/NBD).
    Dropout,
}

impl Process {
    /// `"purchase"` or `"dropout"`.
    ///
    /// ```
    /// # use shijing::repurchase::Process;
    /// assert_eq!(Process::Purchase.name(), "purchase");
    /// assert_eq!(Process::Dropout.name(), "dropout");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Process::Purchase => "purchase",
            Process::Dropout => "dropout",
        }
    }
}

/// A covariate table: one row per customer, one column per name.
///
/// ```
/// # use shijing::repurchase::Covariates;
/// // Two customers, two columns: customer 1's score is at 1 * 2 + 1.
/// let cov = Covariates {
///     names: vec!["vip".into(), "score".into()],
///     values: vec![1.0, 0.5, 0.0, -1.2],
///     purchase: vec![0, 1],
///     dropout: vec![0],
/// };
/// assert_eq!(cov.values[1 * cov.names.len() + 1], -1.2);
/// assert!(cov.check(2).is_ok());
/// assert!(cov.check(3).is_err()); // three customers need three rows
/// ```
#[derive(Debug, Clone, Default)]
pub struct Covariates {
    /// Column names (distinct, non-empty).
    pub names: Vec<String>,
    /// Values, row-major: customer i's column j at `i * names.len() + j`.
    pub values: Vec<f64>,
    /// Columns entering the purchase process (indices into `names`).
    pub purchase: Vec<usize>,
    /// Columns entering the dropout process.
    pub dropout: Vec<usize>,
}

/// Checks the column names.
fn check_names(names: &[String]) -> Result<()> {
    validate::non_empty("covariates.names", names.len())?;
    validate::max_len("covariates.names", names.len(), MAX_COLUMNS)?;
    for (j, name) in names.iter().enumerate() {
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(Error::invalid(format!(
                "covariates.names[{j}] must be a non-empty name of at most {MAX_NAME} characters"
            )));
        }
        if names[..j].contains(name) {
            return Err(Error::invalid(format!(
                "covariates.names[{j}] repeats the name {:?}",
                crate::text::clip(name).to_string()
            )));
        }
    }
    Ok(())
}

/// Checks a table `name` of `n` rows of `k` values each.
fn check_values(name: &str, values: &[f64], n: usize, k: usize) -> Result<()> {
    if Some(values.len()) != n.checked_mul(k) {
        return Err(Error::invalid(format!(
            "{name} must have one row of {k} values (one per name) for each of the {n} customers, got {} values",
            values.len()
        )));
    }
    for (idx, &v) in values.iter().enumerate() {
        if !(v.is_finite() && v.abs() <= MAX_VALUE) {
            return Err(Error::invalid(format!(
                "{name}[{}][{}] must be a finite number in [−{m}, {m}] (standardize larger covariates), got {}",
                idx / k.max(1),
                idx % k.max(1),
                num(v),
                m = num(MAX_VALUE)
            )));
        }
    }
    Ok(())
}

impl Covariates {
    /// Checks the table against `n` customers.
    ///
    /// ```
    /// # use shijing::repurchase::Covariates;
    /// let mut c = Covariates { names: vec!["vip".into()], values: vec![0.0, 1.0], purchase: vec![0], dropout: vec![] };
    /// assert!(c.check(2).is_ok());
    /// c.dropout = vec![1];
    /// assert_eq!(c.check(2).unwrap_err().message(), "covariates.dropout[0] is column 1; there are 1 columns");
    /// ```
    pub fn check(&self, n: usize) -> Result<()> {
        check_names(&self.names)?;
        let k = self.names.len();
        check_values("covariates.values", &self.values, n, k)?;
        for (what, cols) in [("purchase", &self.purchase), ("dropout", &self.dropout)] {
            for (i, &c) in cols.iter().enumerate() {
                if c >= k {
                    return Err(Error::invalid(format!(
                        "covariates.{what}[{i}] is column {c}; there are {k} columns"
                    )));
                }
                if cols[..i].contains(&c) {
                    return Err(Error::invalid(format!(
                        "covariates.{what} lists column {:?} twice",
                        crate::text::clip(&self.names[c]).to_string()
                    )));
                }
            }
        }
        Ok(())
    }
}

/// One fitted coefficient.
///
/// ```
/// # use shijing::repurchase::{fit_with_covariates, Covariates, FitOptions, ModelKind, Process};
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// let (id, x, tx, t) = (col(0), col(1), col(2), col(3));
/// // A column that never varies says nothing: not identified, γ held at 0.
/// let cov = Covariates { names: vec!["none".into()], values: vec![0.0; id.len()], purchase: vec![0], dropout: vec![] };
/// let fit = fit_with_covariates(ModelKind::BgNbd, &x, &tx, &t, &cov, &FitOptions::default()).unwrap();
/// let c = &fit.coefficients[0];
/// assert_eq!((c.process, c.name.as_str(), c.identified, c.estimate), (Process::Purchase, "none", false, 0.0));
/// assert!(c.standard_error.is_nan());
/// assert_eq!(c.lift(), 1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    /// The process it acts on.
    pub process: Process,
    /// The covariate's name.
    pub name: String,
    /// γ (0 when not identified).
    pub estimate: f64,
    /// Its standard error (NaN when not identified or unavailable).
    pub standard_error: f64,
    /// Whether the column varies over the fitted customers (else held at 0).
    pub identified: bool,
}

impl Coefficient {
    /// `exp(γ)`: the factor one unit of the covariate multiplies the mean
    /// purchase rate by (purchase), the mean dropout rate by (Pareto/NBD
    /// dropout) or the Beta concentration a + b by ((M)BG/NBD dropout).
    ///
    /// ```
    /// # use shijing::repurchase::{Coefficient, Process};
    /// let c = Coefficient {
    ///     process: Process::Purchase,
    ///     name: "vip".into(),
    ///     estimate: 2f64.ln(),
    ///     standard_error: 0.1,
    ///     identified: true,
    /// };
    /// assert!((c.lift() - 2.0).abs() < 1e-15); // VIPs buy twice as often
    /// ```
    pub fn lift(&self) -> f64 {
        self.estimate.exp()
    }
}

/// A transaction model whose α and β (or a, b) depend on each customer's covariates.
///
/// ```
/// # use shijing::repurchase::{BgParams, CovariateModel, Model};
/// let base = Model::BgNbd(BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 });
/// let cm = CovariateModel { base, names: vec!["vip".into()], purchase: vec![0.7], dropout: vec![-0.3] };
/// // A customer's prediction is its own model's: the base moved by its covariates.
/// let (x, tx, t) = ([2.0], [20.0], [30.0]);
/// let got = cm.expected_purchases(4.0, &x, &tx, &t, &[1.0]).unwrap();
/// let own = cm.customer(&[1.0]).expected_purchases(4.0, &x, &tx, &t).unwrap();
/// assert_eq!(got, own);
/// ```
///
/// Its predictions per customer, each under its covariates:
///
/// ```
/// # use shijing::repurchase::{BgParams, CovariateModel, Model};
/// let base = Model::BgNbd(BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 });
/// // One covariate; one unit of it doubles the mean purchase rate.
/// let cm = CovariateModel { base, names: vec!["vip".into()], purchase: vec![2f64.ln()], dropout: vec![0.0] };
/// let (x, tx, t) = ([2.0, 2.0], [20.0, 20.0], [30.0, 30.0]);
/// let z = [0.0, 1.0]; // customer 0 is not a VIP, customer 1 is
/// let p = cm.probability_alive(&x, &tx, &t, &z).unwrap();
/// assert_eq!(p[0], base.alive_one(2.0, 20.0, 30.0));
/// assert_eq!(p[1], cm.customer(&[1.0]).alive_one(2.0, 20.0, 30.0));
/// let e = cm.expected_purchases(10.0, &x, &tx, &t, &z).unwrap();
/// assert_eq!(e[0], base.expected_one(10.0, 2.0, 20.0, 30.0));
/// assert_eq!(e[1], cm.customer(&[1.0]).expected_one(10.0, 2.0, 20.0, 30.0));
/// let p = cm.probability_of_repurchase(10.0, &x, &tx, &t, &z).unwrap();
/// assert_eq!(p[0], base.repurchase_one(10.0, 2.0, 20.0, 30.0));
/// assert_eq!(p[1], cm.customer(&[1.0]).repurchase_one(10.0, 2.0, 20.0, 30.0));
/// assert!(p[0] > 0.0 && p[0] < 1.0);
/// let ll = cm.log_likelihood(&x, &tx, &t, &z).unwrap();
/// let plain = base.log_likelihood(&x[..1], &tx[..1], &t[..1], None).unwrap();
/// let vip = cm.customer(&[1.0]).log_likelihood(&x[..1], &tx[..1], &t[..1], None).unwrap();
/// assert!((ll - (plain + vip)).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CovariateModel {
    /// The parameters of a customer whose covariates are all 0.
    pub base: Model,
    /// Column names of the covariate table predictions take.
    pub names: Vec<String>,
    /// γ for the purchase process per column (0 for columns not in it).
    pub purchase: Vec<f64>,
    /// γ for dropout per column (0 for columns not in it).
    pub dropout: Vec<f64>,
}

/// Declares [`CovariateModel`]'s predictions over a horizon `h`, one method
/// per row: after checking `h`, each customer's own model's `$one` (a
/// [`Model`] method of `(h, x, t_x, T)`).
macro_rules! horizon_predictions {
    ($($(#[doc = $doc:literal])* $name:ident => $one:ident;)*) => {$(
        $(#[doc = $doc])*
        pub fn $name(
            &self,
            h: f64,
            frequency: &[f64],
            recency: &[f64],
            t: &[f64],
            values: &[f64],
        ) -> Result<Vec<f64>> {
            data::check_horizon("t", h)?;
            self.per_customer(frequency, recency, t, values, |m, x, tx, tt| m.$one(h, x, tx, tt))
        }
    )*};
}

impl CovariateModel {
    /// The model of a customer with covariates `z` (one value per name;
    /// parameters kept within [1e-13, 1e13]).
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, CovariateModel, Model};
    /// let p = BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 };
    /// let cm = CovariateModel { base: Model::BgNbd(p), names: vec!["vip".into()], purchase: vec![2f64.ln()], dropout: vec![0.0] };
    /// assert_eq!(cm.customer(&[0.0]), Model::BgNbd(p));
    /// // α/2: twice the mean purchase rate r/α.
    /// let Model::BgNbd(vip) = cm.customer(&[1.0]) else { unreachable!() };
    /// assert!((vip.alpha - 2.0).abs() < 1e-15 && vip.r == p.r && vip.a == p.a);
    /// ```
    pub fn customer(&self, z: &[f64]) -> Model {
        let dot = |g: &[f64]| -> f64 { g.iter().zip(z).map(|(a, b)| a * b).sum() };
        let (ep, ed) = (dot(&self.purchase), dot(&self.dropout));
        let scale = |v: f64, e: f64| clamp(v * e.exp(), MIN_PARAM, MAX_PARAM);
        let bg = |p: &BgParams| BgParams {
            r: p.r,
            alpha: scale(p.alpha, -ep),
            a: scale(p.a, ed),
            b: scale(p.b, ed),
        };
        match &self.base {
            Model::BgNbd(p) => Model::BgNbd(bg(p)),
            Model::ModifiedBgNbd(p) => Model::ModifiedBgNbd(bg(p)),
            Model::ParetoNbd(p) => Model::ParetoNbd(ParetoParams {
                r: p.r,
                alpha: scale(p.alpha, -ep),
                s: p.s,
                beta: scale(p.beta, -ed),
            }),
            other => *other,
        }
    }

    /// Checks a covariate table `values` (row-major, one row of
    /// `names.len()` per customer; the argument `covariates`) against `n` customers.
    fn check_table(&self, values: &[f64], n: usize) -> Result<()> {
        check_values("covariates", values, n, self.names.len())
    }

    /// Applies `f` to each customer's model and `(x, t_x, T)`.
    fn per_customer(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        values: &[f64],
        f: impl Fn(&Model, f64, f64, f64) -> f64,
    ) -> Result<Vec<f64>> {
        data::check_customers(frequency, recency, t)?;
        self.check_table(values, frequency.len())?;
        let k = self.names.len();
        Ok((0..frequency.len())
            .map(|i| {
                let z = values.get(i * k..(i + 1) * k).unwrap_or(&[]);
                f(&self.customer(z), frequency[i], recency[i], t[i])
            })
            .collect())
    }

    /// P(alive at T) per customer, each under its covariates.
    ///
    /// See the example on [`CovariateModel`].
    pub fn probability_alive(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        values: &[f64],
    ) -> Result<Vec<f64>> {
        self.per_customer(frequency, recency, t, values, |m, x, tx, tt| {
            m.alive_one(x, tx, tt)
        })
    }

    horizon_predictions! {
        /// Expected purchases in the next `h` time units per customer.
        ///
        /// See the example on [`CovariateModel`].
        expected_purchases => expected_one;
        /// P(at least one purchase in the next `h` time units) per customer.
        ///
        /// See the example on [`CovariateModel`].
        probability_of_repurchase => repurchase_one;
    }

    /// Total log-likelihood of customers, each under its covariates.
    ///
    /// See the example on [`CovariateModel`].
    pub fn log_likelihood(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        values: &[f64],
    ) -> Result<f64> {
        let ll = self.per_customer(frequency, recency, t, values, |m, x, tx, tt| match m {
            Model::BgNbd(p) => p.log_likelihood(Variant::Bg, x, tx, tt),
            Model::ModifiedBgNbd(p) => p.log_likelihood(Variant::Modified, x, tx, tt),
            Model::ParetoNbd(p) => p.log_likelihood(x, tx, tt),
            Model::GammaGamma(_) => f64::NAN,
        })?;
        Ok(ll.iter().sum())
    }
}

/// A maximum-likelihood fit with covariates.
///
/// ```
/// # use shijing::repurchase::{fit_with_covariates, Covariates, FitOptions, ModelKind};
/// # let text = std::fs::read_to_string(concat!(
/// #     env!("CARGO_MANIFEST_DIR"),
/// #     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// # ))
/// # .unwrap();
/// # let rows: Vec<Vec<f64>> = text.lines().skip(1)
/// #     .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
/// #     .collect();
/// # let col = |j: usize| -> Vec<f64> { rows.iter().map(|r| r[j]).collect() };
/// let (id, x, tx, t) = (col(0), col(1), col(2), col(3));
/// let odd: Vec<f64> = id.iter().map(|i| i % 2.0).collect();
/// let cov = Covariates { names: vec!["odd".into()], values: odd, purchase: vec![0], dropout: vec![] };
/// let fit = fit_with_covariates(ModelKind::ParetoNbd, &x, &tx, &t, &cov, &FitOptions::default()).unwrap();
/// assert!(fit.converged && !fit.boundary);
/// assert_eq!((fit.customers, fit.model.names.clone()), (2357.0, vec!["odd".to_string()]));
/// // One γ per column and process (0 where the column is left out), and the
/// // base model's four standard errors.
/// assert_eq!((fit.model.purchase.len(), fit.model.dropout), (1, vec![0.0]));
/// assert_eq!(fit.standard_errors.len(), 4);
/// ```
#[derive(Debug, Clone)]
pub struct CovariateFit {
    /// The fitted model.
    pub model: CovariateModel,
    /// Total log-likelihood at the estimate.
    pub log_likelihood: f64,
    /// Log-likelihood of the same model without covariates (its own fit):
    /// twice the difference is the likelihood-ratio statistic.
    pub log_likelihood_without: f64,
    /// Standard errors of the base parameters (names as the plain model's).
    pub standard_errors: Vec<f64>,
    /// The coefficients: purchase columns, then dropout columns, each in
    /// the order given.
    pub coefficients: Vec<Coefficient>,
    /// Newton iterations after the plain fit.
    pub iterations: u32,
    /// Whether the convergence test passed.
    pub converged: bool,
    /// Whether the likelihood keeps rising toward a limit: a coefficient
    /// whose effect `|γ·z|` passes 12 (`RUN_OFF`) for some customer (a level
    /// whose customers never buy again, say) or a base parameter beyond
    /// e^±22; `message` names them, their standard errors are NaN.
    pub boundary: bool,
    /// Notes ("" if none).
    pub message: String,
    /// Customers (sum of weights) fitted.
    pub customers: f64,
}
