//! A small maximizer for smooth log-likelihoods of up to four parameters,
//! working on log-parameters φ = ln θ so every parameter stays positive.
//!
//! The method is Newton's with Levenberg–Marquardt damping on the models'
//! analytic Hessians: at each step it solves `(−H + λ·diag(|H|)) δ = g` by
//! Cholesky, raising λ until the system is positive definite and the step
//! increases the objective, and lowering it after success (so it ends in pure
//! Newton steps and quadratic convergence). No log-parameter moves by more
//! than 1.5 in one step (`MAX_STEP`). Log-parameters are confined to
//! ±[`PHI_BOUND`] (parameters in [1e-13, 1e13]); a coordinate at its bound
//! that the gradient pushes further out stays there (a projected step). A
//! walk towards a limit at infinity is recognised (see
//! [`Settings::stop_at_run_off`]) and left to the caller's boundary faces
//! ([`Affine`]); a search on a face that has a better result to beat stops
//! once it plainly cannot ([`Settings::give_up_below`]).
//!
//! Convergence is declared when the Newton decrement `g·δ` (the predicted gain
//! of a full Newton step, in log-likelihood units) falls below 1e-10, or the
//! largest free gradient component below 1e-9.
//!
//! Why not argmin: see the note at [`maximize`].

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use crate::stats::clamp;

/// Largest number of parameters of any model here.
///
/// ```
/// # use shijing::repurchase::{optimize::MAX_DIM, ModelKind};
/// let kinds = [ModelKind::BgNbd, ModelKind::ModifiedBgNbd, ModelKind::ParetoNbd, ModelKind::GammaGamma];
/// assert_eq!(kinds.iter().map(|k| k.param_names().len()).max(), Some(MAX_DIM));
/// ```
pub const MAX_DIM: usize = 4;
/// Largest change of any log-parameter in one Newton step.
pub(crate) const MAX_STEP: f64 = 1.5;
/// Bound on |φ|: parameters within [1e-13, 1e13], the range models accept
/// (just inside `ln(1e13)`, so e^±bound rounds inside the range).
///
/// ```
/// # use shijing::repurchase::{optimize::PHI_BOUND, MAX_PARAM, MIN_PARAM};
/// // e^±bound is inside [1e-13, 1e13], and only just.
/// assert!(PHI_BOUND.exp() <= MAX_PARAM && (-PHI_BOUND).exp() >= MIN_PARAM);
/// assert!(MAX_PARAM.ln() - PHI_BOUND < 1e-9);
/// ```
pub const PHI_BOUND: f64 = 29.933_606_208_9;

/// A fixed-size vector / matrix of the active dimension `n`.
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// # // f(φ) = 3 − (φ₀ − 1)² − 2(φ₁ + ½)²: its maximum 3 at (1, −½).
/// # struct Bowl;
/// # impl Objective for Bowl {
/// #     fn dim(&self) -> usize { 2 }
/// #     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
/// #         let (u, v) = (phi[0] - 1.0, phi[1] + 0.5);
/// #         if let Some(g) = grad { *g = [-2.0 * u, -4.0 * v, 0.0, 0.0]; }
/// #         if let Some(h) = hess { *h = [[0.0; 4]; 4]; h[0][0] = -2.0; h[1][1] = -4.0; }
/// #         3.0 - u * u - 2.0 * v * v
/// #     }
/// # }
/// // A two-parameter objective uses the first two entries; the others are
/// // carried along as given.
/// let start: Vec4 = [-4.0, 6.0, 7.0, 8.0];
/// let out = maximize(&Bowl, start, Settings::default());
/// assert_eq!((out.phi[2], out.phi[3]), (7.0, 8.0));
/// ```
pub type Vec4 = [f64; MAX_DIM];
/// Row-major 4×4 matrix.
///
/// ```
/// # use shijing::repurchase::optimize::{spd_inverse, Mat4};
/// // diag(2, 4) as the leading 2×2 block: its inverse is diag(½, ¼).
/// let mut a: Mat4 = [[0.0; 4]; 4];
/// (a[0][0], a[1][1]) = (2.0, 4.0);
/// let inv = spd_inverse(&a, 2).unwrap();
/// assert!((inv[0][0] - 0.5).abs() < 1e-15 && (inv[1][1] - 0.25).abs() < 1e-15);
/// assert_eq!(inv[0][1], 0.0);
/// ```
pub type Mat4 = [[f64; MAX_DIM]; MAX_DIM];

/// An objective (a log-likelihood to maximize) over log-parameters.
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// // One parameter θ = e^φ with log-likelihood −(θ − 3)²: maximal at θ = 3.
/// struct AtThree;
/// impl Objective for AtThree {
///     fn dim(&self) -> usize {
///         1
///     }
///     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
///         let theta = phi[0].exp();
///         let d = theta - 3.0;
///         if let Some(g) = grad {
///             *g = [-2.0 * d * theta, 0.0, 0.0, 0.0];
///         }
///         if let Some(h) = hess {
///             *h = [[0.0; 4]; 4];
///             h[0][0] = -2.0 * theta * theta - 2.0 * d * theta;
///         }
///         -d * d
///     }
/// }
/// let out = maximize(&AtThree, [0.0; 4], Settings::default());
/// assert!(out.converged && (out.phi[0].exp() - 3.0).abs() < 1e-8);
/// ```
pub trait Objective {
    /// Number of parameters (≤ [`MAX_DIM`]).
    fn dim(&self) -> usize;
    /// The value at `phi`; `grad` and `hess` (derivatives with respect to φ)
    /// are filled when given. A non-finite value means "outside the domain".
    fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64;
}

/// Options for [`maximize`].
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// # // f(φ) = 3 − (φ₀ − 1)² − 2(φ₁ + ½)²: its maximum 3 at (1, −½).
/// # struct Bowl;
/// # impl Objective for Bowl {
/// #     fn dim(&self) -> usize { 2 }
/// #     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
/// #         let (u, v) = (phi[0] - 1.0, phi[1] + 0.5);
/// #         if let Some(g) = grad { *g = [-2.0 * u, -4.0 * v, 0.0, 0.0]; }
/// #         if let Some(h) = hess { *h = [[0.0; 4]; 4]; h[0][0] = -2.0; h[1][1] = -4.0; }
/// #         3.0 - u * u - 2.0 * v * v
/// #     }
/// # }
/// let s = Settings::default();
/// assert_eq!((s.max_iterations, s.stop_at_run_off, s.give_up_below), (200, true, f64::NEG_INFINITY));
/// // The iteration cap holds.
/// let capped = maximize(&Bowl, [-4.0, 6.0, 0.0, 0.0], Settings { max_iterations: 1, ..s });
/// assert!(capped.iterations <= 1);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Iteration cap.
    pub max_iterations: u32,
    /// Stop, unconverged, once the search walks off towards a limit at
    /// infinity (four unit-length Newton steps along one direction, each
    /// gaining a constant fraction of the last): the caller then looks at
    /// the boundary. Off, the search follows the walk to the bounds.
    pub stop_at_run_off: bool,
    /// Give up, unconverged, once the search is far below this value and
    /// barely climbing — the caller then has a better result and this
    /// search could not beat it. Either of two signs: two (practically)
    /// undamped Newton steps in a row, each accepted at the first try and
    /// gaining no more than the one before, with the shortfall over 1,000
    /// times the larger gain (a walk whose gains do not grow has less than
    /// that left: within the bounds, at most ~40 full-length steps); or a
    /// value below this by more than 1e-3 (`GIVE_UP_GAP`) of its size after
    /// 10 (`STALL_STEPS`) steps that together gained less than 1e-12 of it
    /// (progress at rounding level). `−∞` (the default): never.
    pub give_up_below: f64,
    /// Count two log-parameters walking in lockstep for [`PAIR_WALK_STEPS`]
    /// accepted steps as a walk to infinity: both moving the same way by the
    /// same amount (within 1e-3 of the step), so their ratio is settled and
    /// their common scale runs off — the approach to a limit such as r, α →
    /// ∞ with r/α fixed, whose Newton steps are too short and too uneven in
    /// the other coordinates for the unit-step test above. With
    /// `stop_at_run_off` the search stops ([`Outcome::pair_walk`] names the
    /// pair; the caller looks at that face and, should it not be better,
    /// goes on with this off); without, the walk is taken to the bounds
    /// along the pair's direction in one step.
    pub pair_walks: bool,
}

/// Accepted steps in lockstep after which a pair's walk counts as a run-off
/// ([`Settings::pair_walks`]).
pub const PAIR_WALK_STEPS: u32 = 8;

/// How far below [`Settings::give_up_below`] (relative) a stalled search gives up.
pub(crate) const GIVE_UP_GAP: f64 = 1e-3;
/// Accepted steps over which a search's gain is measured for a stall.
pub(crate) const STALL_STEPS: usize = 10;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_iterations: 200,
            stop_at_run_off: true,
            give_up_below: f64::NEG_INFINITY,
            pair_walks: true,
        }
    }
}

/// What [`maximize`] found.
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// # // f(φ) = 3 − (φ₀ − 1)² − 2(φ₁ + ½)²: its maximum 3 at (1, −½).
/// # struct Bowl;
/// # impl Objective for Bowl {
/// #     fn dim(&self) -> usize { 2 }
/// #     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
/// #         let (u, v) = (phi[0] - 1.0, phi[1] + 0.5);
/// #         if let Some(g) = grad { *g = [-2.0 * u, -4.0 * v, 0.0, 0.0]; }
/// #         if let Some(h) = hess { *h = [[0.0; 4]; 4]; h[0][0] = -2.0; h[1][1] = -4.0; }
/// #         3.0 - u * u - 2.0 * v * v
/// #     }
/// # }
/// let out = maximize(&Bowl, [-4.0, 6.0, 0.0, 0.0], Settings::default());
/// // At the maximum: the gradient vanishes, the Hessian is Bowl's own.
/// assert!(out.converged && out.grad[0].abs() < 1e-9 && out.grad[1].abs() < 1e-9);
/// assert_eq!((out.hess[0][0], out.hess[1][1]), (-2.0, -4.0));
/// assert!(out.iterations >= 1);
/// ```
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Log-parameters at the end.
    pub phi: Vec4,
    /// Objective there.
    pub value: f64,
    /// Gradient there (with respect to φ).
    pub grad: Vec4,
    /// Hessian there (with respect to φ).
    pub hess: Mat4,
    /// Newton iterations taken.
    pub iterations: u32,
    /// Whether the convergence test passed.
    pub converged: bool,
    /// The two coordinates whose lockstep walk stopped the search
    /// ([`Settings::pair_walks`]), in index order, and whether they
    /// walked toward +∞ (else toward −∞: the parameters toward 0).
    pub pair_walk: Option<(usize, usize, bool)>,
}

/// Value, gradient and Hessian at `phi`.
pub(crate) fn full_eval(obj: &dyn Objective, phi: &Vec4) -> (f64, Vec4, Mat4) {
    let mut g = [0.0; MAX_DIM];
    let mut h = [[0.0; MAX_DIM]; MAX_DIM];
    let f = obj.eval(phi, Some(&mut g), Some(&mut h));
    (f, g, h)
}

/// Test support: asserts that `obj`'s analytic gradient and Hessian at `phi`
/// match central differences (step 1e-6; relative tolerances 1e-6 for the
/// gradient, 1e-5 for the Hessian, which is differenced from gradients).
/// `what` names the case in failures. Returns the value at `phi`.
#[cfg(test)]
pub(crate) fn assert_derivatives_match_differences(
    obj: &dyn Objective,
    phi: &Vec4,
    what: &str,
) -> f64 {
    let (f, g, h) = full_eval(obj, phi);
    let eps = 1e-6;
    for i in 0..obj.dim() {
        let (mut p, mut m) = (*phi, *phi);
        p[i] += eps;
        m[i] -= eps;
        let (mut gp, mut gm) = ([0.0; MAX_DIM], [0.0; MAX_DIM]);
        let fp = obj.eval(&p, Some(&mut gp), None);
        let fm = obj.eval(&m, Some(&mut gm), None);
        let num = (fp - fm) / (2.0 * eps);
        assert!(
            (num - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()),
            "{what}: g{i}: {num} vs {} at {phi:?}",
            g[i]
        );
        for j in 0..obj.dim() {
            let hn = (gp[j] - gm[j]) / (2.0 * eps);
            assert!(
                (hn - h[i][j]).abs() < 1e-5 * (1.0 + h[i][j].abs()),
                "{what}: h{i}{j}: {hn} vs {} at {phi:?}",
                h[i][j]
            );
        }
    }
    f
}

/// Cholesky solve of `a x = b` for symmetric positive definite `a` (n ≤ 4).
/// `None` when `a` is not positive definite.
///
/// ```
/// # use shijing::repurchase::optimize::cholesky_solve;
/// // [[4, 2], [2, 3]]·(1, 1) = (6, 5); entries past n are not read.
/// let a = [[4.0, 2.0, 9.0, 9.0], [2.0, 3.0, 9.0, 9.0], [9.0; 4], [9.0; 4]];
/// let x = cholesky_solve(&a, &[6.0, 5.0, 9.0, 9.0], 2).unwrap();
/// assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15);
/// // [[1, 2], [2, 1]] has eigenvalues 3 and −1.
/// let indefinite = [[1.0, 2.0, 0.0, 0.0], [2.0, 1.0, 0.0, 0.0], [0.0; 4], [0.0; 4]];
/// assert_eq!(cholesky_solve(&indefinite, &[1.0; 4], 2), None);
/// ```
pub fn cholesky_solve(a: &Mat4, b: &Vec4, n: usize) -> Option<Vec4> {
    let mut l = [[0.0; MAX_DIM]; MAX_DIM];
    let mut x = [0.0; MAX_DIM];
    let solved = cholesky_solve_in(a, &b[..n], &mut l, &mut x[..n]);
    (solved && x[..n].iter().all(|v| v.is_finite())).then_some(x)
}

/// Cholesky solve of `a x = b` for the leading `n`×`n` block of a
/// symmetric `a` (`n = b.len()`), into `x` (length `n`), with `l` (at
/// least `n`×`n`) as scratch; false if `a` is not positive definite. Rows
/// of any length: the 4×4 arrays of [`cholesky_solve`] and the covariate
/// fits' `Vec`s.
pub(crate) fn cholesky_solve_in<A: AsRef<[f64]>, L: AsRef<[f64]> + AsMut<[f64]>>(
    a: &[A],
    b: &[f64],
    l: &mut [L],
    x: &mut [f64],
) -> bool {
    let n = b.len();
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i].as_ref()[j];
            for k in 0..j {
                s -= l[i].as_ref()[k] * l[j].as_ref()[k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return false;
                }
                l[i].as_mut()[i] = s.sqrt();
            } else {
                l[i].as_mut()[j] = s / l[j].as_ref()[j];
            }
        }
    }
    // L y = b, then Lᵀ x = y, in the one buffer (x[i] is still y[i] when it
    // is solved for).
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i].as_ref()[k] * x[k];
        }
        x[i] = s / l[i].as_ref()[i];
    }
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in i + 1..n {
            s -= l[k].as_ref()[i] * x[k];
        }
        x[i] = s / l[i].as_ref()[i];
    }
    true
}

/// Inverse of a symmetric positive definite matrix (n ≤ 4), if it is one.
///
/// ```
/// # use shijing::repurchase::optimize::spd_inverse;
/// // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]]/8, and A·A⁻¹ = I.
/// let a = [[4.0, 2.0, 0.0, 0.0], [2.0, 3.0, 0.0, 0.0], [0.0; 4], [0.0; 4]];
/// let inv = spd_inverse(&a, 2).unwrap();
/// let want = [[0.375, -0.25], [-0.25, 0.5]];
/// for i in 0..2 {
///     for j in 0..2 {
///         assert!((inv[i][j] - want[i][j]).abs() < 1e-15);
///         let product: f64 = (0..2).map(|k| a[i][k] * inv[k][j]).sum();
///         assert!((product - if i == j { 1.0 } else { 0.0 }).abs() < 1e-15);
///     }
/// }
/// assert_eq!(spd_inverse(&[[0.0; 4]; 4], 2), None);
/// ```
pub fn spd_inverse(a: &Mat4, n: usize) -> Option<Mat4> {
    let mut inv = [[0.0; MAX_DIM]; MAX_DIM];
    for j in 0..n {
        let mut e = [0.0; MAX_DIM];
        e[j] = 1.0;
        let col = cholesky_solve(a, &e, n)?;
        for i in 0..n {
            inv[i][j] = col[i];
        }
    }
    Some(inv)
}

/// Maximizes `obj` from `start` (log-parameters). One copy for every
/// model: the objective is called through a trait object (each call is a
/// pass over the data, so the indirect call costs nothing measurable).
///
/// Why not argmin: its `TrustRegion<Steihaug>` on the same analytic
/// objectives reaches CDNOW's optimum in as many iterations but asks for
/// cost, gradient and Hessian as three passes over the data (BG/NBD 24
/// passes, 5.5 ms vs 2.1 ms here; Pareto/NBD 21, 20.9 ms vs 7.9 ms; measured
/// natively with argmin 0.10 in a scratch crate), stops only on an iteration
/// cap unless given criteria, and has neither the projected steps at the
/// bounds nor the walk-off detection the boundary faces rely on.
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// // f(φ) = 3 − (φ₀ − 1)² − 2(φ₁ + ½)²: its maximum 3 at (1, −½).
/// struct Bowl;
/// impl Objective for Bowl {
///     fn dim(&self) -> usize {
///         2
///     }
///     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
///         let (u, v) = (phi[0] - 1.0, phi[1] + 0.5);
///         if let Some(g) = grad {
///             *g = [-2.0 * u, -4.0 * v, 0.0, 0.0];
///         }
///         if let Some(h) = hess {
///             *h = [[0.0; 4]; 4];
///             h[0][0] = -2.0;
///             h[1][1] = -4.0;
///         }
///         3.0 - u * u - 2.0 * v * v
///     }
/// }
/// let out = maximize(&Bowl, [-4.0, 6.0, 0.0, 0.0], Settings::default());
/// assert!(out.converged);
/// assert!((out.phi[0] - 1.0).abs() < 1e-9 && (out.phi[1] + 0.5).abs() < 1e-9);
/// assert!((out.value - 3.0).abs() < 1e-12);
/// ```
pub fn maximize(obj: &dyn Objective, start: Vec4, settings: Settings) -> Outcome {
    let n = obj.dim().min(MAX_DIM);
    let mut phi = start;
    for p in phi.iter_mut().take(n) {
        *p = clamp(*p, -PHI_BOUND, PHI_BOUND);
    }
    let (mut f, mut g, mut h) = full_eval(obj, &phi);
    let mut lambda = 0.0f64;
    let mut iterations = 0;
    let mut converged = false;
    // Newton walking off towards a limit at infinity (f → sup like −e^−u)
    // takes unit steps along one direction, each gaining a constant fraction
    // of the last (see `Settings::stop_at_run_off`).
    let (mut last_step, mut last_gain, mut streak) = ([0.0; MAX_DIM], f64::INFINITY, 0);
    // For `Settings::give_up_below`: the last accepted step's gain and damping.
    let (mut prev_gain, mut prev_undamped, mut give_up) = (f64::INFINITY, false, false);
    // The values after the last STALL_STEPS accepted steps (a ring).
    let mut recent = [f64::NEG_INFINITY; STALL_STEPS];
    let mut accepted_steps = 0usize;
    // Per pair (i < j): accepted steps in a row that moved φ_i and φ_j the
    // same way by the same amount (`Settings::pair_walks`).
    let mut lockstep = [[0u32; MAX_DIM]; MAX_DIM];
    let mut pair_walk = None;
    if !f.is_finite() {
        return Outcome {
            phi,
            value: f,
            grad: g,
            hess: h,
            iterations,
            converged,
            pair_walk: None,
        };
    }
    while iterations < settings.max_iterations {
        iterations += 1;
        // Coordinates at a bound that the gradient pushes further out stay
        // there (a projected Newton step): the maximum over the box is what
        // is sought.
        let held: [bool; MAX_DIM] = std::array::from_fn(|i| {
            i < n
                && ((phi[i] >= PHI_BOUND - 1e-12 && g[i] > 0.0)
                    || (phi[i] <= -PHI_BOUND + 1e-12 && g[i] < 0.0))
        });
        let gfree: Vec4 = std::array::from_fn(|i| if held[i] { 0.0 } else { g[i] });
        let gmax = gfree[..n].iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < 1e-9 {
            converged = true;
            break;
        }
        // Damped Newton step; retry with more damping until it improves f.
        let mut accepted = false;
        let mut tries = 0;
        while tries < 60 {
            tries += 1;
            let mut a = [[0.0; MAX_DIM]; MAX_DIM];
            for i in 0..n {
                for j in 0..n {
                    a[i][j] = if held[i] || held[j] { 0.0 } else { -h[i][j] };
                }
                if held[i] {
                    a[i][i] = 1.0;
                    continue;
                }
                let d = h[i][i].abs().max(1e-3 * (1.0 + f.abs().sqrt()));
                a[i][i] += lambda * d;
            }
            let Some(mut step) = cholesky_solve(&a, &gfree, n) else {
                lambda = if lambda == 0.0 { 1e-4 } else { lambda * 8.0 };
                continue;
            };
            // Never jump more than a factor e^1.5 in one parameter at once in a
            // Newton step: far from the optimum a longer step is accepted as
            // soon as it improves at all, and lands on a ridge it then takes
            // several iterations to walk back along (BG/NBD on CDNOW: 11
            // iterations with e^4, 7 with e^1.5).
            let big = step[..n].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let cap = MAX_STEP;
            if big > cap {
                for s in step.iter_mut().take(n) {
                    *s *= cap / big;
                }
            }
            let decrement: f64 = (0..n).map(|i| g[i] * step[i]).sum();
            let mut trial = phi;
            for i in 0..n {
                trial[i] = clamp(phi[i] + step[i], -PHI_BOUND, PHI_BOUND);
            }
            let (ft, gt, ht) = full_eval(obj, &trial);
            if ft.is_finite() && ft >= f - 1e-12 * f.abs().max(1.0) {
                let gain = ft - f;
                let moved = (0..n).any(|i| trial[i] != phi[i]);
                let len = |v: &Vec4| v[..n].iter().map(|x| x * x).sum::<f64>().sqrt();
                let (l1, l0) = (len(&step), len(&last_step));
                let dot: f64 = (0..n).map(|i| step[i] * last_step[i]).sum();
                let along =
                    l1 >= 0.5 && l0 > 0.0 && dot > 0.99 * l1 * l0 && l1 > 0.7 * l0 && l1 < 1.5 * l0;
                // A walk to infinity: unit Newton steps gaining a constant
                // fraction each time (the approach e^−u); or, followed on a
                // face, any run of full-length steps in one direction with
                // gains that shrink (slower approaches, like a power of u).
                let capped = step[..n].iter().fold(0.0f64, |m, v| m.max(v.abs())) >= 0.999 * cap;
                let walking = if settings.stop_at_run_off {
                    along && gain > 0.0 && gain < 0.6 * last_gain
                } else {
                    (along || (capped && dot > 0.95 * l1 * l0)) && gain > 0.0 && gain <= last_gain
                };
                streak = if walking { streak + 1 } else { 0 };
                // (Counted only when such walks are looked for.)
                if settings.pair_walks {
                    for i in 0..n {
                        for j in i + 1..n {
                            let (si, sj) = (trial[i] - phi[i], trial[j] - phi[j]);
                            let together = gain > 0.0
                                && si * sj > 0.0
                                && (si - sj).abs() <= 1e-3 * si.abs().max(sj.abs());
                            lockstep[i][j] = if together { lockstep[i][j] + 1 } else { 0 };
                            if lockstep[i][j] >= PAIR_WALK_STEPS && pair_walk.is_none() {
                                pair_walk = Some((i, j, si > 0.0));
                            }
                        }
                    }
                }
                last_step = step;
                last_gain = gain;
                phi = trial;
                f = ft;
                g = gt;
                h = ht;
                let undamped = tries == 1 && lambda < 1e-4;
                if undamped && iterations >= 2 && gain <= prev_gain && prev_undamped {
                    // (Shortfalls within rounding of the bar never count.)
                    let floor = 1e-9 * f.abs() + 1e-6;
                    give_up = settings.give_up_below - f > 1e3 * prev_gain + floor;
                }
                prev_gain = gain;
                prev_undamped = undamped;
                lambda = if lambda < 1e-6 { 0.0 } else { lambda / 8.0 };
                accepted = true;
                if decrement.abs() < 1e-10 || (!moved) || (gain.abs() < 1e-13 && lambda == 0.0) {
                    converged = decrement.abs() < 1e-8 || !moved || gain.abs() < 1e-13;
                }
                break;
            }
            lambda = if lambda == 0.0 { 1e-3 } else { lambda * 8.0 };
        }
        if !accepted {
            // No improving step at any damping: we sit at a (numerical) maximum.
            converged = g[..n].iter().fold(0.0f64, |m, v| m.max(v.abs())) < 1e-4;
            break;
        }
        if converged || give_up {
            pair_walk = None;
            break;
        }
        // On a face (no stop at a run-off), a pair's lockstep walk is
        // followed to the bounds like any other walk (below), along the
        // pair's own direction.
        let mut pair_jump = None;
        if let Some((i, j, up)) = pair_walk {
            if settings.stop_at_run_off {
                break;
            }
            let unit = if up { 1.0 } else { -1.0 };
            pair_jump = Some(std::array::from_fn(|k| {
                if k == i || k == j {
                    unit
                } else {
                    0.0
                }
            }));
            pair_walk = None;
            lockstep = [[0; MAX_DIM]; MAX_DIM];
        }
        // A search stalled far below what it must reach: its remaining
        // iterations cannot change the caller's choice (on the 1M-line
        // export, BG/NBD's two-point-mixture face crawled 200 iterations at
        // gains of 1e-14 of |f|, 65% below the interior value: 60% of the fit).
        let oldest = recent[accepted_steps % STALL_STEPS];
        recent[accepted_steps % STALL_STEPS] = f;
        accepted_steps += 1;
        if f < settings.give_up_below - GIVE_UP_GAP * settings.give_up_below.abs()
            && f - oldest < 1e-12 * f.abs()
        {
            break;
        }
        if streak >= 4 || pair_jump.is_some() {
            if settings.stop_at_run_off {
                break;
            }
            if let Some(e) = pair_jump {
                last_step = e;
            }
            // Take the walk to the bounds in one step — the coordinates that
            // lead it straight to their bounds, the others left where they
            // are — then go on with the rest.
            // Or, where several coordinates walk together (a pair of
            // parameters toward a limit with their ratio fixed), the walk's
            // own direction extended until one coordinate reaches its bound.
            let lead = last_step[..n].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let mut jump = phi;
            for i in 0..n {
                if last_step[i].abs() >= 0.5 * lead {
                    jump[i] = if last_step[i] > 0.0 {
                        PHI_BOUND
                    } else {
                        -PHI_BOUND
                    };
                }
            }
            let reach = (0..n)
                .filter(|&i| last_step[i] != 0.0)
                .map(|i| (PHI_BOUND * last_step[i].signum() - phi[i]) / last_step[i])
                .fold(f64::INFINITY, f64::min);
            let along: Vec4 = std::array::from_fn(|i| {
                if i < n && reach.is_finite() {
                    clamp(phi[i] + reach * last_step[i], -PHI_BOUND, PHI_BOUND)
                } else {
                    phi[i]
                }
            });
            let together = (0..n).filter(|&i| last_step[i].abs() >= 0.5 * lead).count() >= 2;
            let candidates: &[Vec4] = if together { &[jump, along] } else { &[jump] };
            for c in candidates {
                let (fj, gj, hj) = full_eval(obj, c);
                if fj.is_finite() && fj >= f - 1e-12 * f.abs().max(1.0) {
                    phi = *c;
                    f = fj;
                    g = gj;
                    h = hj;
                    lambda = 0.0;
                }
            }
            streak = 0;
            last_step = [0.0; MAX_DIM];
            last_gain = f64::INFINITY;
        }
    }
    Outcome {
        phi,
        value: f,
        grad: g,
        hess: h,
        iterations,
        converged,
        pair_walk,
    }
}

/// `obj` restricted to the affine subspace `φ = c + A ψ` (ψ of dimension
/// `k`; column j of `A` is `a[·][j]`): a boundary face of the parameter space
/// with some coordinates, or combinations, held at a limit.
///
/// ```
/// # use shijing::repurchase::optimize::{maximize, Mat4, Objective, Settings, Vec4};
/// # // f(φ) = 3 − (φ₀ − 1)² − 2(φ₁ + ½)²: its maximum 3 at (1, −½).
/// # struct Bowl;
/// # impl Objective for Bowl {
/// #     fn dim(&self) -> usize { 2 }
/// #     fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
/// #         let (u, v) = (phi[0] - 1.0, phi[1] + 0.5);
/// #         if let Some(g) = grad { *g = [-2.0 * u, -4.0 * v, 0.0, 0.0]; }
/// #         if let Some(h) = hess { *h = [[0.0; 4]; 4]; h[0][0] = -2.0; h[1][1] = -4.0; }
/// #         3.0 - u * u - 2.0 * v * v
/// #     }
/// # }
/// # use shijing::repurchase::optimize::Affine;
/// // Bowl on the line φ₁ = −φ₀ (ψ ↦ (ψ, −ψ)): 3 − (ψ − 1)² − 2(½ − ψ)²,
/// // maximal at ψ = ⅔ with value 3 − ⅙.
/// let mut a = [[0.0; 4]; 4];
/// (a[0][0], a[1][0]) = (1.0, -1.0);
/// let line = Affine { inner: &Bowl, c: [0.0; 4], a, k: 1 };
/// let out = maximize(&line, [0.0; 4], Settings::default());
/// assert!((out.phi[0] - 2.0 / 3.0).abs() < 1e-9);
/// assert!((out.value - (3.0 - 1.0 / 6.0)).abs() < 1e-12);
/// assert_eq!(line.phi(&out.phi)[1], -out.phi[0]);
/// ```
pub struct Affine<'a> {
    /// The full objective.
    pub inner: &'a dyn Objective,
    /// φ at ψ = 0.
    pub c: Vec4,
    /// `a[i][j]` = ∂φ_i/∂ψ_j.
    pub a: Mat4,
    /// Dimension of ψ.
    pub k: usize,
}

impl Affine<'_> {
    /// φ at ψ.
    ///
    /// ```
    /// # use shijing::repurchase::optimize::{Affine, Mat4, Objective, Vec4};
    /// # struct Flat;
    /// # impl Objective for Flat {
    /// #     fn dim(&self) -> usize { 4 }
    /// #     fn eval(&self, _: &Vec4, _: Option<&mut Vec4>, _: Option<&mut Mat4>) -> f64 { 0.0 }
    /// # }
    /// // φ₂ and φ₃ held at 5 ± ψ₁/2 (a face where their sum is fixed).
    /// let face = Affine {
    ///     inner: &Flat,
    ///     c: [0.0, 0.0, 5.0, 5.0],
    ///     a: [
    ///         [1.0, 0.0, 0.0, 0.0],
    ///         [0.0, 0.0, 0.0, 0.0],
    ///         [0.0, 0.5, 0.0, 0.0],
    ///         [0.0, -0.5, 0.0, 0.0],
    ///     ],
    ///     k: 2,
    /// };
    /// assert_eq!(face.phi(&[2.0, 4.0, 0.0, 0.0]), [2.0, 0.0, 7.0, 3.0]);
    /// ```
    pub fn phi(&self, psi: &Vec4) -> Vec4 {
        let n = self.inner.dim().min(MAX_DIM);
        let mut phi = self.c;
        for i in 0..n {
            for j in 0..self.k.min(MAX_DIM) {
                phi[i] += self.a[i][j] * psi[j];
            }
        }
        phi
    }
}

impl Objective for Affine<'_> {
    fn dim(&self) -> usize {
        self.k.min(MAX_DIM)
    }

    fn eval(&self, psi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        let n = self.inner.dim().min(MAX_DIM);
        let k = self.k.min(MAX_DIM);
        let phi = self.phi(psi);
        let mut g = [0.0; MAX_DIM];
        let mut h = [[0.0; MAX_DIM]; MAX_DIM];
        let want_h = hess.is_some();
        let f = self.inner.eval(
            &phi,
            grad.is_some().then_some(&mut g),
            want_h.then_some(&mut h),
        );
        if let Some(gr) = grad {
            *gr = [0.0; MAX_DIM];
            for j in 0..k {
                gr[j] = (0..n).map(|i| self.a[i][j] * g[i]).sum();
            }
        }
        if let Some(he) = hess {
            *he = [[0.0; MAX_DIM]; MAX_DIM];
            for p in 0..k {
                for q in 0..k {
                    let mut v = 0.0;
                    for i in 0..n {
                        for j in 0..n {
                            v += self.a[i][p] * h[i][j] * self.a[j][q];
                        }
                    }
                    he[p][q] = v;
                }
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// −Σ (θ_i − c_i)² with θ = e^φ: maximum at φ = ln c. (The stopping rule is
    /// absolute — a Newton decrement below 1e-10 log-likelihood units — so on
    /// this O(1)-scaled objective θ is only good to ~1e-6.)
    struct Quad;
    impl Objective for Quad {
        fn dim(&self) -> usize {
            3
        }
        fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
            let c = [2.0, 0.5, 10.0];
            let mut f = 0.0;
            let mut g = [0.0; 4];
            let mut h = [[0.0; 4]; 4];
            for i in 0..3 {
                let t = phi[i].exp();
                f -= (t - c[i]) * (t - c[i]);
                g[i] = -2.0 * (t - c[i]) * t;
                h[i][i] = -2.0 * t * t - 2.0 * (t - c[i]) * t;
            }
            if let Some(gr) = grad {
                *gr = g;
            }
            if let Some(he) = hess {
                *he = h;
            }
            f
        }
    }

    #[test]
    fn finds_the_maximum() {
        let out = maximize(&Quad, [0.0; 4], Settings::default());
        assert!(out.converged, "{out:?}");
        assert!((out.phi[0].exp() - 2.0).abs() < 1e-5);
        assert!((out.phi[1].exp() - 0.5).abs() < 1e-5);
        assert!((out.phi[2].exp() - 10.0).abs() < 1e-5);
    }
}
