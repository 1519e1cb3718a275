//! The covariate log-likelihood over customer groups, with its analytic
//! gradient and Hessian from the plain models' row terms, and the damped
//! Newton search that maximizes it.

#![allow(clippy::needless_range_loop)] // dense matrix code reads best with indices

use super::Covariates;
use crate::repurchase::bgnbd::{BgObjective, Variant};
use crate::repurchase::data::{self, Rows};
use crate::repurchase::model::ModelKind;
use crate::repurchase::optimize::{self, Mat4, Objective, Vec4, MAX_STEP, PHI_BOUND};
use crate::repurchase::pareto_nbd::ParetoObjective;
use crate::{Error, Result};

/// Customers sharing one covariate row.
pub(super) struct Group {
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
pub(super) fn cholesky_solve(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let (mut l, mut x) = (vec![vec![0.0; n]; n], vec![0.0; n]);
    optimize::cholesky_solve_in(a, b, &mut l, &mut x).then_some(x)
}

/// Inverse of a symmetric positive definite matrix; `None` if it is not.
pub(super) fn spd_inverse(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
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

pub(super) struct Newton {
    pub(super) p: Vec<f64>,
    pub(super) f: f64,
    pub(super) g: Vec<f64>,
    pub(super) h: Vec<Vec<f64>>,
    pub(super) iterations: u32,
    pub(super) converged: bool,
}

/// Damped Newton (Levenberg–Marquardt on the analytic Hessian, steps capped
/// at [`MAX_STEP`] per coordinate), as [`crate::repurchase::optimize::maximize`] but in
/// any dimension and without its boundary walk (the fit starts at an
/// interior maximum of the plain model).
pub(super) fn newton(obj: &CovariateObjective, start: Vec<f64>, max_iterations: u32) -> Newton {
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

pub(super) fn not_for_spend() -> Error {
    Error::invalid(
        "covariates apply to the transaction models (bgnbd, mbgnbd, paretonbd), not gammagamma",
    )
}

/// Builds the objective: free (non-constant) columns and customer groups.
pub(super) fn objective(
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
