//! Fitted models: one [`Model`] enum over the four models so bindings and the
//! simulation can predict generically, maximum-likelihood fitting with
//! standard errors and boundary detection, and parameter validation for
//! models built from published parameters.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::bgnbd::{BgObjective, BgParams, Variant};
use super::data::{self, Rows};
use super::gamma_gamma::{self, GammaGammaObjective, GammaGammaParams, SpendRows};
use super::optimize::{maximize, spd_inverse, Objective, Settings, Vec4, MAX_DIM, PHI_BOUND};
use super::pareto_nbd::{ParetoObjective, ParetoParams};
use crate::stats::clamp;
use crate::text::num;
use crate::{Error, Result};

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// BG/NBD.
    BgNbd,
    /// MBG/NBD.
    ModifiedBgNbd,
    /// Pareto/NBD.
    ParetoNbd,
    /// Gamma-Gamma spend.
    GammaGamma,
}

impl ModelKind {
    /// The model's name as used in the JS API: `"bgnbd"`, `"mbgnbd"`,
    /// `"paretonbd"`, `"gammagamma"`.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "bgnbd",
            ModelKind::ModifiedBgNbd => "mbgnbd",
            ModelKind::ParetoNbd => "paretonbd",
            ModelKind::GammaGamma => "gammagamma",
        }
    }

    /// Parses a model name (the names of [`ModelKind::name`]).
    pub fn parse(name: &str) -> Result<ModelKind> {
        match name {
            "bgnbd" => Ok(ModelKind::BgNbd),
            "mbgnbd" => Ok(ModelKind::ModifiedBgNbd),
            "paretonbd" => Ok(ModelKind::ParetoNbd),
            "gammagamma" => Ok(ModelKind::GammaGamma),
            other => Err(Error::invalid(format!(
                "model must be one of \"bgnbd\", \"mbgnbd\", \"paretonbd\", \"gammagamma\", got {other:?}"
            ))),
        }
    }

    /// Parameter names in order.
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            ModelKind::BgNbd | ModelKind::ModifiedBgNbd => &["r", "alpha", "a", "b"],
            ModelKind::ParetoNbd => &["r", "alpha", "s", "beta"],
            ModelKind::GammaGamma => &["p", "q", "v"],
        }
    }
}

/// A model with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// BG/NBD.
    BgNbd(BgParams),
    /// MBG/NBD.
    ModifiedBgNbd(BgParams),
    /// Pareto/NBD.
    ParetoNbd(ParetoParams),
    /// Gamma-Gamma.
    GammaGamma(GammaGammaParams),
}

/// Largest parameter value accepted from callers (e^30 ≈ 1e13).
const MAX_PARAM: f64 = 1e13;

impl Model {
    /// Builds a model from parameters in [`ModelKind::param_names`] order,
    /// each finite and in (0, 1e13].
    pub fn from_params(kind: ModelKind, params: &[f64]) -> Result<Model> {
        let names = kind.param_names();
        if params.len() != names.len() {
            return Err(Error::invalid(format!(
                "{} needs {} parameters ({}), got {}",
                kind.name(),
                names.len(),
                names.join(", "),
                params.len()
            )));
        }
        for (name, &v) in names.iter().zip(params) {
            crate::validate::positive(&format!("params.{name}"), v)?;
            if v > MAX_PARAM {
                return Err(Error::invalid(format!(
                    "params.{name} must be at most {}, got {}",
                    num(MAX_PARAM),
                    num(v)
                )));
            }
        }
        let p = |i: usize| params.get(i).copied().unwrap_or(1.0);
        Ok(match kind {
            ModelKind::BgNbd => Model::BgNbd(BgParams {
                r: p(0),
                alpha: p(1),
                a: p(2),
                b: p(3),
            }),
            ModelKind::ModifiedBgNbd => Model::ModifiedBgNbd(BgParams {
                r: p(0),
                alpha: p(1),
                a: p(2),
                b: p(3),
            }),
            ModelKind::ParetoNbd => Model::ParetoNbd(ParetoParams {
                r: p(0),
                alpha: p(1),
                s: p(2),
                beta: p(3),
            }),
            ModelKind::GammaGamma => Model::GammaGamma(GammaGammaParams {
                p: p(0),
                q: p(1),
                v: p(2),
            }),
        })
    }

    /// Which model this is.
    pub fn kind(&self) -> ModelKind {
        match self {
            Model::BgNbd(_) => ModelKind::BgNbd,
            Model::ModifiedBgNbd(_) => ModelKind::ModifiedBgNbd,
            Model::ParetoNbd(_) => ModelKind::ParetoNbd,
            Model::GammaGamma(_) => ModelKind::GammaGamma,
        }
    }

    /// Parameter values in [`ModelKind::param_names`] order.
    pub fn params(&self) -> Vec<f64> {
        match self {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => vec![p.r, p.alpha, p.a, p.b],
            Model::ParetoNbd(p) => vec![p.r, p.alpha, p.s, p.beta],
            Model::GammaGamma(p) => vec![p.p, p.q, p.v],
        }
    }

    /// Total log-likelihood of customers under a transaction model, in the
    /// data's own time unit (the Fader–Hardie convention).
    pub fn log_likelihood(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<f64> {
        self.require_transactions("logLikelihood")?;
        data::check_customers(frequency, recency, t)?;
        data::check_weights(weights, frequency.len())?;
        let mut total = 0.0;
        for i in 0..frequency.len() {
            let w = weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
            if w > 0.0 {
                total += w * self.row_ll(frequency[i], recency[i], t[i]);
            }
        }
        Ok(total)
    }

    fn row_ll(&self, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Model::BgNbd(p) => p.log_likelihood(Variant::Bg, x, tx, t),
            Model::ModifiedBgNbd(p) => p.log_likelihood(Variant::Modified, x, tx, t),
            Model::ParetoNbd(p) => p.log_likelihood(x, tx, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    pub(crate) fn require_transactions(&self, what: &str) -> Result<()> {
        if let Model::GammaGamma(_) = self {
            return Err(Error::wrong_type(format!(
                "{what} needs a transaction model (bgnbd, mbgnbd or paretonbd); this is a gammagamma model"
            )));
        }
        Ok(())
    }

    pub(crate) fn require_spend(&self, what: &str) -> Result<GammaGammaParams> {
        match self {
            Model::GammaGamma(p) => Ok(*p),
            other => Err(Error::wrong_type(format!(
                "{what} needs a gammagamma model; this is a {} model",
                other.kind().name()
            ))),
        }
    }
}

/// Fit options shared by every model.
#[derive(Debug, Clone, Default)]
pub struct FitOptions {
    /// Counts of identical rows (or any non-negative case weights).
    pub weights: Option<Vec<f64>>,
    /// Iteration cap (default 200).
    pub max_iterations: Option<u32>,
}

/// A maximum-likelihood fit.
#[derive(Debug, Clone)]
pub struct Fit {
    /// The fitted model.
    pub model: Model,
    /// Total log-likelihood at the estimate (data's time unit).
    pub log_likelihood: f64,
    /// Standard errors of the parameters (from the inverse observed
    /// information); NaN where the Hessian is not negative definite.
    pub standard_errors: Vec<f64>,
    /// Newton iterations.
    pub iterations: u32,
    /// Whether the convergence test passed.
    pub converged: bool,
    /// Whether the maximum lies on the boundary of the parameter space.
    pub boundary: bool,
    /// Human-readable notes on convergence or the boundary (empty if none).
    pub message: String,
    /// Number of customers (sum of weights) the fit used.
    pub customers: f64,
}

fn settings(options: &FitOptions) -> Result<Settings> {
    let max_iterations = options.max_iterations.unwrap_or(200);
    if !(1..=10_000).contains(&max_iterations) {
        return Err(Error::invalid(format!(
            "options.maxIterations must be in [1, 10000], got {max_iterations}"
        )));
    }
    Ok(Settings { max_iterations })
}

/// Validates customers `(x, t_x, T)` and the fit options, and compresses the
/// customers into weighted distinct rows.
fn customer_rows(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<(Rows, Settings)> {
    let weights = options.weights.as_deref();
    data::check_customers(frequency, recency, t)?;
    data::check_weights(weights, frequency.len())?;
    let settings = settings(options)?;
    Ok((Rows::new(frequency, recency, t, weights), settings))
}

/// Fits BG/NBD (`Variant::Bg`) or MBG/NBD to customers `(x, t_x, T)`.
pub fn fit_bg(
    variant: Variant,
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    let (rows, settings) = customer_rows(frequency, recency, t, options)?;
    let obj = BgObjective {
        rows: &rows,
        variant,
    };
    let rate = rows.mean_rate();
    let start = [0.0, (1.0 / rate).ln(), 0.0, 0.0];
    let make = |phi: &Vec4| {
        let p = BgParams {
            r: phi[0].exp(),
            alpha: phi[1].exp(),
            a: phi[2].exp(),
            b: phi[3].exp(),
        };
        match variant {
            Variant::Bg => Model::BgNbd(p),
            Variant::Modified => Model::ModifiedBgNbd(p),
        }
    };
    run(
        &obj,
        start,
        settings,
        rows.total_weight,
        &[&[0, 1], &[2, 3]],
        &make,
    )
}

/// Fits Pareto/NBD to customers `(x, t_x, T)`.
pub fn fit_pareto(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    let (rows, settings) = customer_rows(frequency, recency, t, options)?;
    let obj = ParetoObjective { rows: &rows };
    let rate = rows.mean_rate();
    let start = [0.0, (1.0 / rate).ln(), 0.0, (1.0 / rate).ln()];
    let make = |phi: &Vec4| {
        Model::ParetoNbd(ParetoParams {
            r: phi[0].exp(),
            alpha: phi[1].exp(),
            s: phi[2].exp(),
            beta: phi[3].exp(),
        })
    };
    run(
        &obj,
        start,
        settings,
        rows.total_weight,
        &[&[0, 1], &[2, 3]],
        &make,
    )
}

/// Fits the Gamma-Gamma spend model to repeat customers' mean
/// repeat-transaction values (`monetary`); customers with x = 0 are ignored.
pub fn fit_gamma_gamma(frequency: &[f64], monetary: &[f64], options: &FitOptions) -> Result<Fit> {
    let weights = options.weights.as_deref();
    gamma_gamma::check_spend(frequency, monetary, weights)?;
    let settings = settings(options)?;
    let rows = SpendRows::new(frequency, monetary, weights);
    if rows.x.is_empty() {
        return Err(Error::invalid(
            "frequency has no customer with a repeat purchase (x > 0); Gamma-Gamma needs some",
        ));
    }
    let total: f64 = rows.w.iter().sum();
    let obj = GammaGammaObjective { rows: &rows };
    let start = [0.0, 3f64.ln(), (2.0 * rows.mean()).ln(), 0.0];
    let make = |phi: &Vec4| {
        Model::GammaGamma(GammaGammaParams {
            p: phi[0].exp(),
            q: phi[1].exp(),
            v: phi[2].exp(),
        })
    };
    run(&obj, start, settings, total, &[&[1, 2]], &make)
}

/// Maximizes, then checks for a boundary maximum and computes standard
/// errors (one copy for every model).
fn run(
    obj: &dyn Objective,
    start: Vec4,
    settings: Settings,
    customers: f64,
    rays: &[&[usize]],
    make: &dyn Fn(&Vec4) -> Model,
) -> Result<Fit> {
    let n = obj.dim().min(MAX_DIM);
    let out = maximize(obj, start, settings);
    if !out.value.is_finite() {
        return Err(Error::Infeasible(
            "the log-likelihood is not finite at any parameter value tried; check the data".into(),
        ));
    }
    let model = make(&out.phi);
    let names = model.kind().param_names();
    // Boundary: the likelihood does not drop (by 1e-3) when a parameter, or a
    // pair that only matters through its ratio, moves by a factor e^4 towards
    // 0 or ∞ — or a parameter sits at the bound itself.
    let mut notes: Vec<String> = Vec::new();
    let tol = 1e-3;
    for i in 0..n {
        let name = names.get(i).copied().unwrap_or("?");
        if out.phi[i].abs() >= PHI_BOUND - 1e-9 {
            let dir = if out.phi[i] > 0.0 { "∞" } else { "0" };
            notes.push(format!("{name} → {dir}"));
            continue;
        }
        // A maximum at a finite interior point is curved there; only a
        // (nearly) flat direction can hide a boundary maximum.
        if out.hess[i][i].abs() > 1.0 {
            continue;
        }
        for dir in [-1.0, 1.0] {
            let mut p = out.phi;
            p[i] = clamp(p[i] + 4.0 * dir, -PHI_BOUND, PHI_BOUND);
            let f = obj.eval(&p, None, None);
            if f.is_finite() && f > out.value - tol {
                notes.push(format!("{name} → {}", if dir < 0.0 { "0" } else { "∞" }));
            }
        }
    }
    if notes.is_empty() {
        for ray in rays {
            let curvature: f64 = ray
                .iter()
                .flat_map(|&i| ray.iter().map(move |&j| (i, j)))
                .filter(|&(i, j)| i < n && j < n)
                .map(|(i, j)| out.hess[i][j])
                .sum();
            if curvature.abs() > 1.0 {
                continue;
            }
            let mut p = out.phi;
            for &i in ray.iter() {
                if i < n {
                    p[i] = clamp(p[i] + 4.0, -PHI_BOUND, PHI_BOUND);
                }
            }
            let f = obj.eval(&p, None, None);
            if f.is_finite() && f > out.value - tol {
                let pair: Vec<&str> = ray.iter().filter_map(|&i| names.get(i).copied()).collect();
                notes.push(format!("{} → ∞ together", pair.join(" and ")));
            }
        }
    }
    let boundary = !notes.is_empty();
    // Standard errors: θ_i·sqrt([(−H_φ)⁻¹]_ii) (the gradient term vanishes at an interior optimum).
    let mut neg = [[0.0; MAX_DIM]; MAX_DIM];
    for i in 0..n {
        for j in 0..n {
            neg[i][j] = -out.hess[i][j];
        }
    }
    let theta = model.params();
    let standard_errors: Vec<f64> = match (boundary, spd_inverse(&neg, n)) {
        (false, Some(inv)) => (0..n)
            .map(|i| theta.get(i).copied().unwrap_or(f64::NAN) * inv[i][i].max(0.0).sqrt())
            .collect(),
        _ => vec![f64::NAN; n],
    };
    let mut message = String::new();
    if boundary {
        message = format!(
            "the maximum likelihood lies on the boundary of the parameter space ({}): the likelihood keeps rising, by less than {}, in that direction, so the estimates are limits and have no standard errors",
            notes.join(", "),
            num(tol)
        );
    } else if !out.converged {
        message = format!(
            "did not converge in {} iterations (largest gradient component {})",
            out.iterations,
            num(out.grad[..n].iter().fold(0.0f64, |m, v| m.max(v.abs())))
        );
    } else if standard_errors.iter().any(|s| s.is_nan()) {
        message =
            "the Hessian is not negative definite at the estimate; standard errors are unavailable"
                .into();
    }
    Ok(Fit {
        model,
        log_likelihood: out.value,
        standard_errors,
        iterations: out.iterations,
        converged: out.converged,
        boundary,
        message,
        customers,
    })
}
