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
//! level), each group is compressed into [`Rows`] and evaluated by the
//! plain objective ([`BgObjective`], [`ParetoObjective`]) at its own
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

#![allow(clippy::needless_range_loop)] // dense matrix code reads best with indices

use super::bgnbd::{BgObjective, BgParams, Variant};
use super::data::{self, Rows};
use super::model::{fit_bg, fit_pareto, Fit, FitOptions, Model, ModelKind, MAX_PARAM, MIN_PARAM};
use super::optimize::{self, Mat4, Objective, Vec4, MAX_STEP, PHI_BOUND};
use super::pareto_nbd::{ParetoObjective, ParetoParams};
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

/// Customers sharing one covariate row.
struct Group {
    rows: Rows,
    /// Values of the free purchase columns.
    zp: Vec<f64>,
    /// Values of the free dropout columns.
    zd: Vec<f64>,
}

/// The covariate log-likelihood over `p = (ln r, ln α, ln a|s, ln b|β, γ_p (free), γ_d (free))`.
///
/// ```
/// # use shijing::repurchase::{covariates::CovariateObjective, Covariates, Model, ModelKind};
/// let (x, tx, t) = ([0.0, 2.0, 1.0, 5.0], [0.0, 20.0, 5.0, 28.0], [30.0; 4]);
/// let cov = Covariates { names: vec!["vip".into()], values: vec![0.0, 1.0, 0.0, 1.0], purchase: vec![0], dropout: vec![0] };
/// let obj = CovariateObjective::new(ModelKind::BgNbd, &x, &tx, &t, None, &cov).unwrap();
/// // With every γ at 0 it is the plain model's log-likelihood.
/// let p = [0.25f64, 4.0, 0.8, 2.4];
/// let plain = Model::from_params(ModelKind::BgNbd, &p).unwrap().log_likelihood(&x, &tx, &t, None).unwrap();
/// let mut at: Vec<f64> = p.iter().map(|v| v.ln()).collect();
/// at.resize(obj.dim(), 0.0);
/// let (ll, _, _) = obj.eval(&at, false);
/// assert!((ll - plain).abs() <= 1e-12 * plain.abs());
/// ```
pub struct CovariateObjective {
    kind: ModelKind,
    groups: Vec<Group>,
    np: usize,
    nd: usize,
}

impl CovariateObjective {
    /// The objective of customers `(x, t_x, T)` with optional weights and
    /// covariates (validated here) under `kind` (BG/NBD, MBG/NBD or
    /// Pareto/NBD). Constant columns are left out of p.
    ///
    /// ```
    /// # use shijing::repurchase::{covariates::CovariateObjective, Covariates, ModelKind};
    /// let (x, tx, t) = ([0.0, 2.0, 1.0, 4.0], [0.0, 20.0, 5.0, 28.0], [30.0; 4]);
    /// // Two columns; "zero" is constant, so not in p.
    /// let cov = Covariates {
    ///     names: vec!["vip".into(), "zero".into()],
    ///     values: vec![0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
    ///     purchase: vec![0, 1],
    ///     dropout: vec![0],
    /// };
    /// let obj = CovariateObjective::new(ModelKind::BgNbd, &x, &tx, &t, None, &cov).unwrap();
    /// assert_eq!(obj.dim(), 4 + 1 + 1);
    /// ```
    pub fn new(
        kind: ModelKind,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        weights: Option<&[f64]>,
        covariates: &Covariates,
    ) -> Result<CovariateObjective> {
        if kind == ModelKind::GammaGamma {
            return Err(not_for_spend());
        }
        data::check_customers(frequency, recency, t)?;
        data::check_weights(weights, frequency.len())?;
        covariates.check(frequency.len())?;
        Ok(objective(kind, frequency, recency, t, weights, covariates).0)
    }

    /// Dimension of p: the 4 base log-parameters and the free
    /// coefficients (see [`CovariateObjective::new`]).
    ///
    /// ```
    /// # use shijing::repurchase::{covariates::CovariateObjective, Covariates, ModelKind};
    /// let (x, tx, t) = ([0.0, 2.0], [0.0, 20.0], [30.0; 2]);
    /// let cov = Covariates { names: vec!["vip".into()], values: vec![0.0, 1.0], purchase: vec![0], dropout: vec![0] };
    /// let obj = CovariateObjective::new(ModelKind::ParetoNbd, &x, &tx, &t, None, &cov).unwrap();
    /// assert_eq!(obj.dim(), 6); // ln r, ln α, ln s, ln β, γ_purchase, γ_dropout
    /// ```
    pub fn dim(&self) -> usize {
        4 + self.np + self.nd
    }

    /// ∂ψ_g/∂p as rows of length `dim` (ψ: the group's plain log-parameters).
    fn jacobian(&self, g: &Group) -> [Vec<f64>; 4] {
        let d = self.dim();
        let mut a: [Vec<f64>; 4] = std::array::from_fn(|i| {
            let mut row = vec![0.0; d];
            row[i] = 1.0;
            row
        });
        for (j, &z) in g.zp.iter().enumerate() {
            a[1][4 + j] = -z;
        }
        for (j, &z) in g.zd.iter().enumerate() {
            match self.kind {
                ModelKind::ParetoNbd => a[3][4 + self.np + j] = -z,
                _ => {
                    a[2][4 + self.np + j] = z;
                    a[3][4 + self.np + j] = z;
                }
            }
        }
        a
    }

    /// Value and, if `derivs`, gradient and Hessian at `p`; −∞ when any
    /// group's parameters leave [1e-13, 1e13].
    ///
    /// ```
    /// # use shijing::repurchase::{covariates::CovariateObjective, Covariates, Model, ModelKind};
    /// let (x, tx, t) = ([0.0, 2.0, 1.0, 4.0], [0.0, 20.0, 5.0, 28.0], [30.0; 4]);
    /// let cov = Covariates { names: vec!["vip".into()], values: vec![0.0, 1.0, 0.0, 1.0], purchase: vec![0], dropout: vec![] };
    /// let obj = CovariateObjective::new(ModelKind::ParetoNbd, &x, &tx, &t, None, &cov).unwrap();
    /// let params = [0.5, 10.0, 0.6, 12.0];
    /// // At γ = 0 the value is the plain model's log-likelihood.
    /// let mut p: Vec<f64> = params.iter().map(|v: &f64| v.ln()).collect();
    /// p.push(0.0);
    /// let (value, grad, _) = obj.eval(&p, true);
    /// let plain = Model::from_params(ModelKind::ParetoNbd, &params).unwrap();
    /// assert!((value - plain.log_likelihood(&x, &tx, &t, None).unwrap()).abs() < 1e-10);
    /// assert_eq!(grad.len(), obj.dim());
    /// assert_eq!(obj.eval(&[0.0; 2], false).0, f64::NEG_INFINITY); // wrong length
    /// ```
    pub fn eval(&self, p: &[f64], derivs: bool) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
        let d = self.dim();
        let mut grad = vec![0.0; d];
        let mut hess = vec![vec![0.0; d]; d];
        let mut total = 0.0;
        if p.len() != d || p.iter().any(|v| !v.is_finite()) {
            return (f64::NEG_INFINITY, grad, hess);
        }
        for g in &self.groups {
            let a = self.jacobian(g);
            let mut psi: Vec4 = [0.0; 4];
            for i in 0..4 {
                psi[i] = a[i].iter().zip(p).map(|(x, y)| x * y).sum();
                if psi[i].abs() > PHI_BOUND {
                    return (f64::NEG_INFINITY, grad, hess);
                }
            }
            let mut gg: Vec4 = [0.0; 4];
            let mut hh: Mat4 = [[0.0; 4]; 4];
            let (gs, hs) = if derivs {
                (Some(&mut gg), Some(&mut hh))
            } else {
                (None, None)
            };
            // Through `dyn Objective`: the plain fits' own code, not a second
            // inlined copy of it (the Wasm size).
            let pareto;
            let bg;
            let plain: &dyn Objective = match self.kind {
                ModelKind::ParetoNbd => {
                    pareto = ParetoObjective { rows: &g.rows };
                    &pareto
                }
                kind => {
                    bg = BgObjective {
                        rows: &g.rows,
                        variant: if kind == ModelKind::ModifiedBgNbd {
                            Variant::Modified
                        } else {
                            Variant::Bg
                        },
                    };
                    &bg
                }
            };
            let f = plain.eval(&psi, gs, hs);
            total += f;
            if !derivs {
                continue;
            }
            // Σ Aᵀ g and Σ Aᵀ H A, over the non-zero entries of A.
            for i in 0..4 {
                for (k, &aik) in a[i].iter().enumerate() {
                    if aik != 0.0 {
                        grad[k] += aik * gg[i];
                    }
                }
            }
            for i in 0..4 {
                for j in 0..4 {
                    let h = hh[i][j];
                    if h == 0.0 {
                        continue;
                    }
                    for (k, &aik) in a[i].iter().enumerate() {
                        if aik == 0.0 {
                            continue;
                        }
                        for (l, &ajl) in a[j].iter().enumerate() {
                            if ajl != 0.0 {
                                hess[k][l] += aik * h * ajl;
                            }
                        }
                    }
                }
            }
        }
        if !total.is_finite() {
            total = f64::NEG_INFINITY;
        }
        (total, grad, hess)
    }
}

/// Cholesky solve of `a x = b` (`a` symmetric positive definite); `None` if it is not.
fn cholesky_solve(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let (mut l, mut x) = (vec![vec![0.0; n]; n], vec![0.0; n]);
    optimize::cholesky_solve_in(a, b, &mut l, &mut x).then_some(x)
}

/// Inverse of a symmetric positive definite matrix; `None` if it is not.
fn spd_inverse(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut inv = vec![vec![0.0; n]; n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let col = cholesky_solve(a, &e)?;
        for i in 0..n {
            inv[i][j] = col[i];
        }
    }
    Some(inv)
}

struct Newton {
    p: Vec<f64>,
    f: f64,
    g: Vec<f64>,
    h: Vec<Vec<f64>>,
    iterations: u32,
    converged: bool,
}

/// Damped Newton (Levenberg–Marquardt on the analytic Hessian, steps capped
/// at [`MAX_STEP`] per coordinate), as [`super::optimize::maximize`] but in
/// any dimension and without its boundary walk (the fit starts at an
/// interior maximum of the plain model).
fn newton(obj: &CovariateObjective, start: Vec<f64>, max_iterations: u32) -> Newton {
    let n = start.len();
    let (mut f, mut g, mut h) = obj.eval(&start, true);
    let mut p = start;
    let mut lambda = 0.0f64;
    let mut iterations = 0;
    let mut converged = false;
    if !f.is_finite() {
        return Newton {
            p,
            f,
            g,
            h,
            iterations,
            converged,
        };
    }
    while iterations < max_iterations {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < 1e-9 {
            converged = true;
            break;
        }
        iterations += 1;
        let mut accepted = false;
        for _ in 0..60 {
            let mut a = vec![vec![0.0; n]; n];
            for i in 0..n {
                for j in 0..n {
                    a[i][j] = -h[i][j];
                }
                a[i][i] += lambda * h[i][i].abs().max(1e-3 * (1.0 + f.abs().sqrt()));
            }
            let Some(mut step) = cholesky_solve(&a, &g) else {
                lambda = if lambda == 0.0 { 1e-4 } else { lambda * 8.0 };
                continue;
            };
            let big = step.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if big > MAX_STEP {
                for s in step.iter_mut() {
                    *s *= MAX_STEP / big;
                }
            }
            let decrement: f64 = g.iter().zip(&step).map(|(a, b)| a * b).sum();
            let trial: Vec<f64> = p.iter().zip(&step).map(|(a, b)| a + b).collect();
            // The value first; derivatives only at an accepted step.
            let (ft, _, _) = obj.eval(&trial, false);
            if ft.is_finite() && ft >= f - 1e-12 * f.abs().max(1.0) {
                let (ft, gt, ht) = obj.eval(&trial, true);
                let gain = ft - f;
                p = trial;
                f = ft;
                g = gt;
                h = ht;
                lambda = if lambda < 1e-6 { 0.0 } else { lambda / 8.0 };
                accepted = true;
                if decrement.abs() < 1e-10 || (gain.abs() < 1e-13 && lambda == 0.0) {
                    converged = true;
                }
                break;
            }
            lambda = if lambda == 0.0 { 1e-3 } else { lambda * 8.0 };
        }
        if !accepted {
            converged = g.iter().fold(0.0f64, |m, v| m.max(v.abs())) < 1e-4;
            break;
        }
        if converged {
            break;
        }
    }
    Newton {
        p,
        f,
        g,
        h,
        iterations,
        converged,
    }
}

fn not_for_spend() -> Error {
    Error::invalid(
        "covariates apply to the transaction models (bgnbd, mbgnbd, paretonbd), not gammagamma",
    )
}

/// The plain fit of `kind`.
fn plain_fit(
    kind: ModelKind,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    match kind {
        ModelKind::BgNbd => fit_bg(Variant::Bg, frequency, recency, t, options),
        ModelKind::ModifiedBgNbd => fit_bg(Variant::Modified, frequency, recency, t, options),
        ModelKind::ParetoNbd => fit_pareto(frequency, recency, t, options),
        ModelKind::GammaGamma => Err(not_for_spend()),
    }
}

/// Builds the objective: free (non-constant) columns and customer groups.
fn objective(
    kind: ModelKind,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    weights: Option<&[f64]>,
    cov: &Covariates,
) -> (CovariateObjective, Vec<usize>, Vec<usize>) {
    let k = cov.names.len();
    let n = frequency.len();
    let weight = |i: usize| weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
    let value = |i: usize, j: usize| cov.values.get(i * k + j).copied().unwrap_or(0.0);
    // A column varies if two customers with positive weight differ in it.
    let varies = |j: usize| {
        let mut first: Option<f64> = None;
        for i in 0..n {
            if weight(i) <= 0.0 {
                continue;
            }
            let v = value(i, j) + 0.0;
            match first {
                None => first = Some(v),
                Some(f) if f != v => return true,
                _ => {}
            }
        }
        false
    };
    let free_p: Vec<usize> = cov
        .purchase
        .iter()
        .copied()
        .filter(|&j| varies(j))
        .collect();
    let free_d: Vec<usize> = cov.dropout.iter().copied().filter(|&j| varies(j)).collect();
    // Group customers by their values in the free columns (bit patterns, −0
    // as +0): sort (hash of the values, index) keys with the integer sort the
    // plain fits use (no further sort in the Wasm), then split each run of
    // equal hashes by the values themselves (a hash collision splits, never merges).
    let key = |i: usize| -> Vec<u64> {
        free_p
            .iter()
            .chain(&free_d)
            .map(|&j| (value(i, j) + 0.0).to_bits())
            .collect()
    };
    let fnv = |k: &[u64]| -> u64 {
        k.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &v| {
            (h ^ v).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let mut order: Vec<u128> = (0..n)
        .map(|i| (u128::from(fnv(&key(i))) << 64) | i as u128)
        .collect();
    crate::stats::sort::sort_wide(&mut order);
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut run_start = 0; // first group of the current run of equal hashes
    let mut last_hash: Option<u64> = None;
    for &o in &order {
        let (h, i) = ((o >> 64) as u64, o as u64 as usize);
        if last_hash != Some(h) {
            run_start = members.len();
            last_hash = Some(h);
        }
        let ki = key(i);
        let found = members
            .iter_mut()
            .skip(run_start)
            .find(|m| m.first().is_some_and(|&f| key(f) == ki));
        match found {
            Some(m) => m.push(i),
            None => members.push(vec![i]),
        }
    }
    let groups = members
        .into_iter()
        .filter_map(|m| {
            let first = *m.first()?;
            let pick = |v: &[f64]| m.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let w: Vec<f64> = m.iter().map(|&i| weight(i)).collect();
            if !w.iter().any(|&v| v > 0.0) {
                return None;
            }
            let rows = Rows::new(&pick(frequency), &pick(recency), &pick(t), Some(&w));
            Some(Group {
                rows,
                zp: free_p.iter().map(|&j| value(first, j)).collect(),
                zd: free_d.iter().map(|&j| value(first, j)).collect(),
            })
        })
        .collect();
    let obj = CovariateObjective {
        kind,
        groups,
        np: free_p.len(),
        nd: free_d.len(),
    };
    (obj, free_p, free_d)
}

/// Fits `kind` (BG/NBD, MBG/NBD or Pareto/NBD) with static covariates to
/// customers `(x, t_x, T)`; `options` as for the plain fits.
///
/// Starts from the plain model's fit; when that fit lies on the boundary of
/// the parameter space (e.g. no dropout identified) covariates are not
/// fitted and the error says why.
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
/// // CDNOW's customers, with the parity of their ID as a covariate.
/// let (id, x, tx, t) = (col(0), col(1), col(2), col(3));
/// let odd: Vec<f64> = id.iter().map(|i| i % 2.0).collect();
/// let cov = Covariates { names: vec!["odd".into()], values: odd, purchase: vec![0], dropout: vec![0] };
/// let fit = fit_with_covariates(ModelKind::BgNbd, &x, &tx, &t, &cov, &FitOptions::default()).unwrap();
/// assert_eq!(fit.coefficients.len(), 2);
/// assert!(fit.coefficients.iter().all(|c| c.identified));
/// // Two more parameters can only raise the maximum likelihood.
/// assert!(fit.log_likelihood >= fit.log_likelihood_without - 1e-9);
/// ```
pub fn fit_with_covariates(
    kind: ModelKind,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    covariates: &Covariates,
    options: &FitOptions,
) -> Result<CovariateFit> {
    if kind == ModelKind::GammaGamma {
        return Err(not_for_spend());
    }
    data::check_customers(frequency, recency, t)?;
    covariates.check(frequency.len())?;
    let plain = plain_fit(kind, frequency, recency, t, options)?;
    if plain.boundary {
        return Err(Error::Infeasible(format!(
            "the {} model without covariates has its maximum on the boundary of the parameter space, where covariate effects are not identified: {}",
            kind.name(),
            plain.message
        )));
    }
    let weights = options.weights.as_deref();
    let (obj, free_p, free_d) = objective(kind, frequency, recency, t, weights, covariates);
    let mut start: Vec<f64> = plain.model.params().iter().map(|v| v.ln()).collect();
    start.resize(obj.dim(), 0.0);
    let max_iterations = options.max_iterations.unwrap_or(200);
    let out = newton(&obj, start, max_iterations);
    if !out.f.is_finite() {
        return Err(Error::Infeasible(
            "the log-likelihood with covariates is not finite at the model's fit without them; check the data".into(),
        ));
    }
    let k = covariates.names.len();
    let weights_ok = |i: usize| weights.is_none_or(|w| w.get(i).is_some_and(|&v| v > 0.0));
    // Largest |z| of a column over the fitted customers.
    let zmax = |j: usize| -> f64 {
        (0..frequency.len())
            .filter(|&i| weights_ok(i))
            .map(|i| covariates.values.get(i * k + j).map_or(0.0, |v| v.abs()))
            .fold(0.0, f64::max)
    };
    // Coordinates of p that ran off toward a limit: a coefficient whose
    // effect |γ·z| passes RUN_OFF, a base log-parameter beyond ±(bound − 8).
    let d = obj.dim();
    let mut off = vec![false; d];
    for (i, flag) in off.iter_mut().enumerate() {
        let v = out.p.get(i).copied().unwrap_or(0.0);
        *flag = if i < 4 {
            v.abs() > PHI_BOUND - 8.0
        } else {
            let col = if i < 4 + free_p.len() {
                free_p.get(i - 4)
            } else {
                free_d.get(i - 4 - free_p.len())
            };
            col.is_some_and(|&j| (v * zmax(j)).abs() >= RUN_OFF)
        };
    }
    // Standard errors from −H over the coordinates that did not run off.
    let keep: Vec<usize> = (0..d).filter(|&i| !off[i]).collect();
    let neg: Vec<Vec<f64>> = keep
        .iter()
        .map(|&i| keep.iter().map(|&j| -out.h[i][j]).collect())
        .collect();
    let inv = spd_inverse(&neg);
    let se = |i: usize| -> f64 {
        let Some(q) = keep.iter().position(|&v| v == i) else {
            return f64::NAN;
        };
        inv.as_ref()
            .and_then(|m| m.get(q).and_then(|r| r.get(q)))
            .map_or(f64::NAN, |v| v.max(0.0).sqrt())
    };
    let theta: Vec<f64> = out.p.iter().take(4).map(|v| v.exp()).collect();
    let base = Model::from_params(kind, &theta)?;
    let standard_errors: Vec<f64> = (0..4).map(|i| theta[i] * se(i)).collect();
    let mut purchase = vec![0.0; k];
    let mut dropout = vec![0.0; k];
    let mut coefficients = Vec::new();
    let mut limits: Vec<String> = Vec::new();
    let names = kind.param_names();
    for i in 0..4 {
        if off[i] {
            limits.push(format!(
                "{} → {}",
                names.get(i).copied().unwrap_or("?"),
                if out.p[i] > 0.0 { "∞" } else { "0" }
            ));
        }
    }
    for (process, cols, free, offset) in [
        (Process::Purchase, &covariates.purchase, &free_p, 4),
        (
            Process::Dropout,
            &covariates.dropout,
            &free_d,
            4 + free_p.len(),
        ),
    ] {
        for &c in cols.iter() {
            let pos = free.iter().position(|&f| f == c).map(|q| offset + q);
            let estimate = pos.and_then(|q| out.p.get(q).copied()).unwrap_or(0.0);
            let target = if process == Process::Purchase {
                &mut purchase
            } else {
                &mut dropout
            };
            if let Some(slot) = target.get_mut(c) {
                *slot = estimate;
            }
            let name = covariates.names.get(c).cloned().unwrap_or_default();
            if pos.is_some_and(|q| off[q]) {
                limits.push(format!(
                    "{} ({}) γ → {}",
                    name,
                    process.name(),
                    if estimate > 0.0 { "∞" } else { "−∞" }
                ));
            }
            coefficients.push(Coefficient {
                process,
                name,
                estimate,
                standard_error: pos.map_or(f64::NAN, se),
                identified: pos.is_some(),
            });
        }
    }
    let mut notes: Vec<String> = Vec::new();
    if !limits.is_empty() {
        notes.push(format!(
            "the likelihood keeps rising toward a limit ({}): those estimates stand for it and have no standard errors",
            limits.join(", ")
        ));
    }
    if !out.converged {
        notes.push(format!(
            "did not converge in {} iterations (largest gradient component {})",
            out.iterations,
            num(out.g.iter().fold(0.0f64, |m, v| m.max(v.abs())))
        ));
    }
    if inv.is_none() {
        notes.push(
            "the Hessian is not negative definite at the estimate (are some covariates collinear?); standard errors are unavailable"
                .into(),
        );
    }
    let held: Vec<String> = coefficients
        .iter()
        .filter(|c| !c.identified)
        .map(|c| format!("{} ({})", c.name, c.process.name()))
        .collect();
    if !held.is_empty() {
        notes.push(format!(
            "constant over the customers, so not identified and held at 0: {}",
            held.join(", ")
        ));
    }
    Ok(CovariateFit {
        model: CovariateModel {
            base,
            names: covariates.names.clone(),
            purchase,
            dropout,
        },
        log_likelihood: out.f,
        log_likelihood_without: plain.log_likelihood,
        standard_errors,
        coefficients,
        iterations: out.iterations,
        converged: out.converged,
        boundary: !limits.is_empty(),
        message: notes.join("; "),
        customers: plain.customers,
    })
}

/// A categorical column as 0/1 indicator columns, one per level but the reference.
///
/// ```
/// # use shijing::repurchase::one_hot;
/// let channel: Vec<String> = ["商品卡", "直播间", "直播间"].map(String::from).into();
/// let oh = one_hot(&channel, None).unwrap();
/// // The most frequent level is the reference; the others get a column each.
/// assert_eq!((oh.levels.clone(), oh.counts.clone()), (vec!["直播间".to_string(), "商品卡".into()], vec![2, 1]));
/// assert_eq!((oh.reference.as_str(), oh.names.clone()), ("直播间", vec!["商品卡".to_string()]));
/// assert_eq!(oh.values, [1.0, 0.0, 0.0]); // one indicator a row
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OneHot {
    /// Indicator column names: the levels other than the reference, most
    /// frequent first (ties: first seen first).
    pub names: Vec<String>,
    /// Row-major indicators, one row of `names.len()` per input value.
    pub values: Vec<f64>,
    /// The reference level (all indicators 0).
    pub reference: String,
    /// Every level, most frequent first, with its count in `counts`.
    pub levels: Vec<String>,
    /// Rows per level.
    pub counts: Vec<u32>,
}

/// One-hot coding of a string column (e.g. the channel of each customer's
/// first order: 直播间 / 短视频 / 商品卡). The reference level — whose
/// customers have all indicators 0, so every coefficient is a contrast with
/// it — is `reference` if given (it must occur), else the most frequent
/// level. Empty strings are a level like any other.
///
/// ```
/// # use shijing::repurchase::one_hot;
/// let channel: Vec<String> = ["直播间", "短视频", "直播间", "商品卡"].map(String::from).into();
/// let oh = one_hot(&channel, None).unwrap();
/// assert_eq!(oh.reference, "直播间"); // the most frequent
/// assert_eq!(oh.names, ["短视频", "商品卡"]); // a tie: first seen first
/// assert_eq!(oh.values, [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
/// assert_eq!(oh.counts, [2, 1, 1]);
/// assert!(one_hot(&channel, Some("小店")).is_err()); // the reference must occur
/// ```
pub fn one_hot(column: &[String], reference: Option<&str>) -> Result<OneHot> {
    validate::non_empty("column", column.len())?;
    validate::max_len("column", column.len(), validate::MAX_ELEMENTS)?;
    let mut levels: Vec<String> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut code = Vec::with_capacity(column.len());
    for (i, v) in column.iter().enumerate() {
        if v.chars().count() > MAX_NAME {
            return Err(Error::invalid(format!(
                "column[{i}] is longer than {MAX_NAME} characters"
            )));
        }
        let next = levels.len();
        // At most 65 levels: a linear search.
        let li = levels.iter().position(|l| l == v).unwrap_or(next);
        if li == next {
            if next > MAX_COLUMNS {
                return Err(Error::invalid(format!(
                    "column has more than {} distinct levels; group rare levels first",
                    MAX_COLUMNS + 1
                )));
            }
            levels.push(v.clone());
            counts.push(0);
        }
        if let Some(c) = counts.get_mut(li) {
            *c = c.saturating_add(1);
        }
        code.push(li);
    }
    // Most frequent first, ties by first appearance: an insertion sort of at
    // most 65 levels (stable; no further sort routine in the Wasm).
    let mut order: Vec<usize> = Vec::with_capacity(levels.len());
    for l in 0..levels.len() {
        let at = order
            .iter()
            .position(|&o| counts[o] < counts[l])
            .unwrap_or(order.len());
        order.insert(at, l);
    }
    let reference_level = match reference {
        Some(r) => order
            .iter()
            .copied()
            .find(|&l| levels[l] == r)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "reference {:?} is not a level of the column",
                    crate::text::clip(r).to_string()
                ))
            })?,
        None => order.first().copied().unwrap_or(0),
    };
    if levels.len() < 2 {
        return Err(Error::invalid(
            "column has a single level: there is nothing to compare it with",
        ));
    }
    let others: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&l| l != reference_level)
        .collect();
    let mut position = vec![usize::MAX; levels.len()];
    for (j, &l) in others.iter().enumerate() {
        position[l] = j;
    }
    let k = others.len();
    let mut values = vec![0.0; column.len() * k];
    for (i, &l) in code.iter().enumerate() {
        let j = position[l];
        if j != usize::MAX {
            values[i * k + j] = 1.0;
        }
    }
    Ok(OneHot {
        names: others.iter().map(|&l| levels[l].clone()).collect(),
        values,
        reference: levels[reference_level].clone(),
        levels: order.iter().map(|&l| levels[l].clone()).collect(),
        counts: order.iter().map(|&l| counts[l]).collect(),
    })
}
