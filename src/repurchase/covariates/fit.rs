//! The covariate fit: the plain model's fit as the start, the free columns
//! and groups, Newton from there, the coefficients with their standard
//! errors and the limits they run off to.

#![allow(clippy::needless_range_loop)] // dense matrix code reads best with indices

use super::objective::{newton, not_for_spend, objective, spd_inverse};
use super::{Coefficient, CovariateFit, CovariateModel, Covariates, Process, RUN_OFF};
use crate::repurchase::bgnbd::Variant;
use crate::repurchase::data;
use crate::repurchase::model::{fit_bg, fit_pareto, Fit, FitOptions, Model, ModelKind};
use crate::repurchase::optimize::PHI_BOUND;
use crate::text::num;
use crate::{Error, Result};

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
