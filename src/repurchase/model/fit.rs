//! Maximum-likelihood fits of the models: the interior search, the
//! boundary faces and the limits a fit runs off to, standard errors from the
//! observed information.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::Model;
use crate::repurchase::bgnbd::{BgObjective, BgParams, Variant};
use crate::repurchase::data::{self, Rows};
use crate::repurchase::gamma_gamma::{self, GammaGammaObjective, GammaGammaParams, SpendRows};
use crate::repurchase::optimize::{
    maximize, spd_inverse, Affine, Mat4, Objective, Outcome, Settings, Vec4, MAX_DIM, PHI_BOUND,
};
use crate::repurchase::pareto_nbd::{ParetoObjective, ParetoParams};
use crate::stats::clamp;
use crate::text::num;
use crate::{Error, Result};

/// Fit options shared by every model.
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, FitOptions};
/// // A weight of 2 is the same as the row twice.
/// let (x, tx, t) = ([0.0, 1.0, 2.0, 5.0], [0.0, 10.0, 20.0, 28.0], [30.0; 4]);
/// let twice = fit_bg_nbd(&[0.0, 0.0, 1.0, 2.0, 5.0], &[0.0, 0.0, 10.0, 20.0, 28.0], &[30.0; 5], &FitOptions::default()).unwrap();
/// let weighted = FitOptions { weights: Some(vec![2.0, 1.0, 1.0, 1.0]), ..FitOptions::default() };
/// assert_eq!(fit_bg_nbd(&x, &tx, &t, &weighted).unwrap().model, twice.model);
/// let none = FitOptions { max_iterations: Some(0), ..FitOptions::default() };
/// let err = fit_bg_nbd(&x, &tx, &t, &none).unwrap_err();
/// assert_eq!(err.message(), "options.maxIterations must be in [1, 10000], got 0");
/// ```
#[derive(Debug, Clone, Default)]
pub struct FitOptions {
    /// Counts of identical rows (or any non-negative case weights).
    pub weights: Option<Vec<f64>>,
    /// Iteration cap (default 200).
    pub max_iterations: Option<u32>,
}

/// One parameter's direction at a boundary fit: the likelihood keeps rising
/// as `param` goes to 0 (`toward_infinity == false`) or to ∞.
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, FitOptions, Limit};
/// // Nobody bought again: the likelihood keeps rising as r → 0.
/// let (x, tx, t) = ([0.0; 3], [0.0; 3], [30.0, 20.0, 10.0]);
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// assert_eq!(fit.limits, vec![Limit { param: "r", toward_infinity: false }]);
/// assert!(fit.boundary);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The parameter's name (as in [`ModelKind::param_names`](super::ModelKind::param_names)).
    pub param: &'static str,
    /// Whether it goes to ∞ (else to 0).
    pub toward_infinity: bool,
}

/// A maximum-likelihood fit.
///
/// ```
/// # use shijing::repurchase::{fit_bg_nbd, FitOptions};
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/tests/data/cdnow_customers_summary.csv"
/// ))
/// .unwrap();
/// let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
/// for line in text.lines().skip(1) {
///     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
///     (x.push(f[1]), tx.push(f[2]), t.push(f[3]));
/// }
/// let fit = fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
/// assert!(fit.converged && !fit.boundary && fit.limits.is_empty());
/// assert_eq!(fit.customers, 2357.0);
/// // The standard errors and the log-parameters' covariance agree: at the
/// // maximum, se(θ) = θ·sd(ln θ) (the delta method is exact for a Hessian).
/// let p = fit.model.params();
/// for i in 0..4 {
///     let sd_log = fit.log_covariance[i * 4 + i].sqrt();
///     assert!((fit.standard_errors[i] - p[i] * sd_log).abs() < 1e-4 * fit.standard_errors[i]);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Fit {
    /// The fitted model.
    pub model: Model,
    /// Total log-likelihood at the estimate (data's time unit).
    pub log_likelihood: f64,
    /// Standard errors of the parameters (from the inverse observed
    /// information); NaN where the Hessian is not negative definite.
    pub standard_errors: Vec<f64>,
    /// Covariance of the log-parameters ln θ (the inverse observed
    /// information in log-coordinates), row-major n × n; empty where the
    /// standard errors are unavailable (a boundary fit, a Hessian that is
    /// not negative definite). What prediction intervals draw from
    /// ([`crate::repurchase::intervals`]).
    pub log_covariance: Vec<f64>,
    /// Newton iterations (of the interior search and, for a boundary fit,
    /// of the search along the boundary).
    pub iterations: u32,
    /// Whether the convergence test passed.
    pub converged: bool,
    /// Whether the maximum lies on the boundary of the parameter space.
    pub boundary: bool,
    /// For a boundary fit, the direction each limiting parameter takes (one
    /// per parameter; the returned values are at the limit: 1e-13 or 1e13,
    /// and for two parameters that go together, the one nearer its limit
    /// there and the other at their fitted ratio); empty otherwise.
    pub limits: Vec<Limit>,
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
    Ok(Settings {
        max_iterations,
        ..Settings::default()
    })
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

/// What a boundary face of the parameter space holds at its limit.
#[derive(Debug, Clone, Copy)]
enum Hold {
    /// Coordinate i at its bound (toward ∞ if `true`, else 0) with its
    /// partner j held where the interior search ended: of two parameters
    /// whose ratio is a mean (a/(a+b), s/β), one alone at its limit, so the
    /// other cannot keep the mean finite by following it.
    One(usize, bool, usize),
    /// The same limit model reached either way — `One(i, inf_i, j)` or
    /// `One(j, inf_j, i)` (no dropout: s → 0 or β → ∞) — fitted once, named
    /// after the one the interior search went further toward.
    Either(usize, bool, usize, bool),
    /// Coordinates i and j together toward ∞ (`true`) or 0, their ratio free.
    Pair(usize, usize, bool),
}

/// A data set with no repeat purchase at all: the likelihood's supremum (0,
/// every customer surely makes none) is approached as r → 0 whatever the
/// other parameters; returned as such without a search.
fn no_repeat_purchases(
    obj: &dyn Objective,
    start: Vec4,
    customers: f64,
    make: &dyn Fn(&Vec4) -> Model,
) -> Fit {
    let mut phi = start;
    phi[0] = -PHI_BOUND;
    let model = make(&phi);
    let n = obj.dim().min(MAX_DIM);
    Fit {
        model,
        log_likelihood: obj.eval(&phi, None, None),
        standard_errors: vec![f64::NAN; n],
        log_covariance: Vec::new(),
        iterations: 0,
        converged: true,
        boundary: true,
        limits: vec![Limit {
            param: "r",
            toward_infinity: false,
        }],
        message: "no customer has a repeat purchase: the likelihood rises to its supremum 0 as r → 0 (no repeat purchases), and the other parameters are not identified".into(),
        customers,
    }
}

/// BG/NBD's faces: no dropout (p → 0: a → 0 or b → ∞), dropout at the
/// first chance (p → 1: b → 0 or a → ∞), a fixed dropout probability (a,
/// b → ∞ together), a two-point mixture of p = 0 and p = 1 (a, b → 0
/// together), a fixed purchase rate (r, α → ∞ together).
const BG_FACES: [Hold; 5] = [
    Hold::Either(2, false, 3, true),
    Hold::Either(3, false, 2, true),
    Hold::Pair(2, 3, true),
    Hold::Pair(2, 3, false),
    Hold::Pair(0, 1, true),
];

/// BG/NBD or MBG/NBD at log-parameters `phi` (r, α, a, b).
fn bg_model(variant: Variant, phi: &Vec4) -> Model {
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
}

/// Fits BG/NBD (`Variant::Bg`) or MBG/NBD to customers `(x, t_x, T)`
/// ([`crate::repurchase::fit_bg_nbd`] and [`crate::repurchase::fit_modified_bg_nbd`] call it).
///
/// ```
/// # use shijing::repurchase::{fit_bg, FitOptions, ModelKind, Variant};
/// // Nobody bought again: the fit lies on the boundary r → 0.
/// let (x, tx, t) = ([0.0; 3], [0.0; 3], [30.0, 20.0, 10.0]);
/// let fit = fit_bg(Variant::Modified, &x, &tx, &t, &FitOptions::default()).unwrap();
/// assert_eq!(fit.model.kind(), ModelKind::ModifiedBgNbd);
/// assert!(fit.boundary);
/// assert_eq!((fit.limits[0].param, fit.limits[0].toward_infinity), ("r", false));
/// assert_eq!(fit.customers, 3.0);
/// ```
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
    let make = |phi: &Vec4| bg_model(variant, phi);
    if !rows.x.iter().any(|&x| x > 0.0) {
        return Ok(no_repeat_purchases(&obj, start, rows.total_weight, &make));
    }
    // As for Pareto/NBD: every face on small data, else when the interior
    // search does not end cleanly (CDNOW: 4.7 → 1.0 ms).
    run(
        &obj,
        &[start],
        settings,
        rows.total_weight,
        &BG_FACES,
        rows.len() <= 600,
        &[(2, 3)],
        &make,
    )
}

/// Fits Pareto/NBD to customers `(x, t_x, T)` ([`crate::repurchase::fit_pareto_nbd`]
/// calls it).
///
/// ```
/// # use shijing::repurchase::{fit_pareto, FitOptions, ModelKind};
/// let (x, tx, t) = ([0.0; 2], [0.0; 2], [30.0, 20.0]);
/// let options = FitOptions { weights: Some(vec![3.0, 1.0]), ..FitOptions::default() };
/// let fit = fit_pareto(&x, &tx, &t, &options).unwrap();
/// assert_eq!(fit.model.kind(), ModelKind::ParetoNbd);
/// assert_eq!(fit.customers, 4.0); // the sum of the weights
/// assert!(fit.boundary && fit.limits[0].param == "r");
/// ```
pub fn fit_pareto(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &FitOptions,
) -> Result<Fit> {
    let (rows, settings) = customer_rows(frequency, recency, t, options)?;
    let obj = ParetoObjective { rows: &rows };
    let rate = rows.mean_rate();
    let default = [0.0, (1.0 / rate).ln(), 0.0, (1.0 / rate).ln()];
    let make = |phi: &Vec4| {
        Model::ParetoNbd(ParetoParams {
            r: phi[0].exp(),
            alpha: phi[1].exp(),
            s: phi[2].exp(),
            beta: phi[3].exp(),
        })
    };
    if !rows.x.iter().any(|&x| x > 0.0) {
        return Ok(no_repeat_purchases(&obj, default, rows.total_weight, &make));
    }
    // A second start from BG/NBD, which is cheap to fit and describes the
    // purchase process alike: its r and α, and a mean dropout rate s/β of
    // (dropout probability per purchase) × (purchase rate), with s = 1.
    let bg = maximize(
        &BgObjective {
            rows: &rows,
            variant: Variant::Bg,
        },
        [0.0, (1.0 / rate).ln(), 0.0, 0.0],
        Settings {
            max_iterations: 50,
            ..Settings::default()
        },
    );
    let mut starts = vec![default];
    if bg.value.is_finite() {
        let p_drop = 1.0 / (1.0 + (bg.phi[3] - bg.phi[2]).exp());
        let mu = p_drop * (bg.phi[0] - bg.phi[1]).exp();
        let beta = clamp(-mu.ln(), -PHI_BOUND, PHI_BOUND);
        starts.push([bg.phi[0], bg.phi[1], 0.0, beta]);
    }
    // Faces: no dropout (s → 0 or β → ∞), a fixed dropout rate (s, β → ∞
    // together), a fixed purchase rate (r, α → ∞ together).
    let faces = [
        Hold::Either(2, false, 3, true),
        Hold::Pair(2, 3, true),
        Hold::Pair(0, 1, true),
    ];
    // Every face is checked on small data (up to 600 distinct rows, where
    // boundary optima and local maxima are common and evaluations cheap; in
    // the grid of tests/native_pareto.rs a clean interior maximum was beaten
    // by a face only there), on larger data only when the interior search
    // does not end cleanly.
    run(
        &obj,
        &starts,
        settings,
        rows.total_weight,
        &faces,
        rows.len() <= 600,
        &[],
        &make,
    )
}

/// Fits the Gamma-Gamma spend model to repeat customers' mean
/// repeat-transaction values (`monetary`); customers with x = 0 are ignored.
///
/// CDNOW's repeat buyers give Fader, Hardie & Lee's spend model:
///
/// ```
/// # use shijing::repurchase::{fit_gamma_gamma, FitOptions};
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/tests/data/cdnow_customers_summary_with_transactions.csv"
/// ))
/// .unwrap();
/// let (mut x, mut m) = (vec![], vec![]);
/// for line in text.lines().skip(1) {
///     let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
///     if f[1] > 0.0 {
///         (x.push(f[1]), m.push(f[4]));
///     }
/// }
/// let fit = fit_gamma_gamma(&x, &m, &FitOptions::default()).unwrap();
/// let p = fit.model.params(); // p, q, v
/// assert!((p[0] - 6.25).abs() < 0.01 && (p[1] - 3.74).abs() < 0.01 && (p[2] - 15.44).abs() < 0.05);
/// ```
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
    // Face: no heterogeneity in the customers' mean spend (q, v → ∞ together).
    run(
        &obj,
        &[start],
        settings,
        total,
        &[Hold::Pair(1, 2, true)],
        true,
        &[],
        &make,
    )
}

/// Whether an interior maximum is beyond doubt: converged, away from the
/// bounds, and curved in every direction (no log-parameter with a standard
/// error above 10, i.e. no direction the data leave practically free).
fn clean(out: &Outcome, n: usize) -> Option<Mat4> {
    if !out.converged || out.phi[..n].iter().any(|v| v.abs() > PHI_BOUND - 2.0) {
        return None;
    }
    let mut neg = [[0.0; MAX_DIM]; MAX_DIM];
    for i in 0..n {
        for j in 0..n {
            neg[i][j] = -out.hess[i][j];
        }
    }
    let inv = spd_inverse(&neg, n)?;
    (0..n).all(|i| inv[i][i] < 100.0).then_some(inv)
}

/// The search along one boundary face, from the interior search's end.
struct FaceFit {
    hold: Hold,
    phi: Vec4,
    value: f64,
    iterations: u32,
    converged: bool,
}

/// `bar`: the value the face's result must exceed to be chosen (the search
/// gives up when it stalls far below it: [`Settings::give_up_below`]).
fn fit_face(obj: &dyn Objective, hold: Hold, from: &Vec4, settings: Settings, bar: f64) -> FaceFit {
    let n = obj.dim().min(MAX_DIM);
    let mut c = [0.0; MAX_DIM];
    let mut a = [[0.0; MAX_DIM]; MAX_DIM];
    let mut psi = [0.0; MAX_DIM];
    let mut k = 0;
    let hold = match hold {
        Hold::Either(i, inf_i, j, inf_j) => {
            let toward = |k: usize, inf: bool| if inf { from[k] } else { -from[k] };
            if toward(i, inf_i) >= toward(j, inf_j) {
                Hold::One(i, inf_i, j)
            } else {
                Hold::One(j, inf_j, i)
            }
        }
        other => other,
    };
    let (fixed, pair) = match hold {
        Hold::One(i, inf, j) | Hold::Either(i, inf, j, _) => {
            c[i] = if inf { PHI_BOUND } else { -PHI_BOUND };
            c[j] = from[j];
            ([i, j], None)
        }
        Hold::Pair(i, j, inf) => {
            // The one nearer its limit (at the search's end) at the bound, the
            // other at the bound plus their log-ratio, which is free.
            let (lead, other) = if (from[i] >= from[j]) == inf {
                (i, j)
            } else {
                (j, i)
            };
            let bound = if inf { PHI_BOUND } else { -PHI_BOUND };
            c[lead] = bound;
            c[other] = bound;
            ([i, j], Some((lead, other)))
        }
    };
    for i in 0..n {
        if !fixed.contains(&i) {
            a[i][k] = 1.0;
            psi[k] = from[i];
            k += 1;
        }
    }
    if let Some((lead, other)) = pair {
        // φ_other = bound + u, u = φ_other − φ_lead.
        a[other][k] = 1.0;
        psi[k] = from[other] - from[lead];
        k += 1;
    }
    let face = Affine {
        inner: obj,
        c,
        a,
        k,
    };
    // On a face a further walk to infinity is followed to the bounds (and
    // the parameters that take it are named).
    // A face that falls far short of `bar` and barely climbs is left early
    // (see `Settings::give_up_below`): it cannot be the best.
    let cap = Settings {
        max_iterations: settings.max_iterations.min(200),
        stop_at_run_off: false,
        give_up_below: bar,
        pair_walks: true,
    };
    let out = maximize(&face, psi, cap);
    let at = face.phi(&out.phi);
    let mut phi = at;
    for v in phi.iter_mut().take(n) {
        *v = clamp(*v, -PHI_BOUND, PHI_BOUND);
    }
    // The search's own value where the bounds moved nothing.
    let value = if phi == at {
        out.value
    } else {
        obj.eval(&phi, None, None)
    };
    FaceFit {
        hold,
        phi,
        value,
        iterations: out.iterations,
        converged: out.converged,
    }
}

/// The best of `faces` searched from the interior search's end `out`, if
/// one beats it: a clean interior maximum (`clean`) by more than rounding,
/// else (within rounding) where the search ended. Only when the interior
/// search did not end cleanly, or `always_faces`. Also each face searched
/// with the value its search reached.
fn best_face(
    obj: &dyn Objective,
    out: &Outcome,
    clean: bool,
    faces: &[Hold],
    always_faces: bool,
    settings: Settings,
) -> (Option<FaceFit>, Vec<(Hold, f64)>) {
    let mut tried = Vec::with_capacity(faces.len());
    if clean && !always_faces {
        return (None, tried);
    }
    let tol = 1e-9 * out.value.abs() + 1e-6;
    let interior_bar = if !out.value.is_finite() {
        f64::NEG_INFINITY
    } else if clean {
        out.value + tol
    } else {
        out.value - tol
    };
    let mut face: Option<FaceFit> = None;
    for &hold in faces {
        let bar = face.as_ref().map_or(interior_bar, |b| b.value);
        let f = fit_face(obj, hold, &out.phi, settings, bar);
        tried.push((f.hold, f.value));
        if f.value.is_finite() && f.value > bar {
            face = Some(f);
        }
    }
    (face, tried)
}

/// Maximizes from the best of `starts`; unless that ends at a clean interior
/// maximum, also along each boundary face in `faces`, and returns the best
/// (a face when it reaches at least the interior search's likelihood). The
/// message of a face fit names one direction per parameter, matching the
/// returned values; `ratios` lists the pairs whose ratio the message quotes.
#[allow(clippy::too_many_arguments)]
fn run(
    obj: &dyn Objective,
    starts: &[Vec4],
    settings: Settings,
    customers: f64,
    faces: &[Hold],
    always_faces: bool,
    ratios: &[(usize, usize)],
    make: &dyn Fn(&Vec4) -> Model,
) -> Result<Fit> {
    let n = obj.dim().min(MAX_DIM);
    let mut start = starts.first().copied().unwrap_or([0.0; MAX_DIM]);
    let mut best = f64::NEG_INFINITY;
    // One start is where the search begins whatever its value: no pass over
    // the data to compare it with none.
    for s in starts.iter().filter(|_| starts.len() > 1) {
        let v = obj.eval(s, None, None);
        if v > best {
            best = v;
            start = *s;
        }
    }
    let mut out = maximize(obj, start, settings);
    let mut inv = clean(&out, n);
    let (mut face, tried) = best_face(obj, &out, inv.is_some(), faces, always_faces, settings);
    if let Some((i, j, up)) = out.pair_walk {
        // The search stopped on a pair's walk toward a limit: it stands when
        // that pair's face lies above where the walk stopped (the walk was
        // climbing to it) and a face beats the stop. Otherwise the search
        // goes on as it would have without that stop.
        let toward = tried.iter().find(|(hold, _)| {
            matches!(*hold, Hold::Pair(fi, fj, inf) if inf == up && (fi.min(fj), fi.max(fj)) == (i, j))
        });
        if face.is_none() || !toward.is_some_and(|&(_, v)| v >= out.value) {
            let before = out.iterations;
            let on = Settings {
                pair_walks: false,
                ..settings
            };
            out = maximize(obj, out.phi, on);
            out.iterations += before;
            inv = clean(&out, n);
            face = best_face(obj, &out, inv.is_some(), faces, always_faces, settings).0;
        }
    }
    let Some(face) = face else {
        return interior(obj, out, inv, customers, make);
    };
    let model = make(&face.phi);
    let names = model.kind().param_names();
    let name = |i: usize| names.get(i).copied().unwrap_or("?");
    let mut limits: Vec<Limit> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    match face.hold {
        Hold::One(i, inf, _) | Hold::Either(i, inf, _, _) => {
            limits.push(Limit {
                param: name(i),
                toward_infinity: inf,
            });
            notes.push(format!("{} → {}", name(i), if inf { "∞" } else { "0" }));
        }
        Hold::Pair(i, j, inf) => {
            let to = if inf { "∞" } else { "0" };
            limits.push(Limit {
                param: name(i),
                toward_infinity: inf,
            });
            limits.push(Limit {
                param: name(j),
                toward_infinity: inf,
            });
            let mut note = format!("{} → {to} and {} → {to} together", name(i), name(j));
            let (ti, tj) = (face.phi[i].exp(), face.phi[j].exp());
            if ratios.contains(&(i, j)) {
                note += &format!(
                    ", {}/({}+{}) = {}",
                    name(i),
                    name(i),
                    name(j),
                    num(ti / (ti + tj))
                );
            } else {
                note += &format!(", {}/{} = {}", name(i), name(j), num(ti / tj));
            }
            notes.push(note);
        }
    }
    // Free parameters that ran far out on the face too (beyond e^±22).
    for i in 0..n {
        if limits.iter().any(|l| l.param == name(i)) || face.phi[i].abs() < PHI_BOUND - 8.0 {
            continue;
        }
        let inf = face.phi[i] > 0.0;
        limits.push(Limit {
            param: name(i),
            toward_infinity: inf,
        });
        notes.push(format!("{} → {}", name(i), if inf { "∞" } else { "0" }));
    }
    let message = format!(
        "the maximum likelihood lies on the boundary of the parameter space ({}): the likelihood keeps rising toward that limit, so the estimates stand for it and have no standard errors",
        notes.join(", ")
    );
    Ok(Fit {
        model,
        log_likelihood: face.value,
        standard_errors: vec![f64::NAN; n],
        log_covariance: Vec::new(),
        iterations: out.iterations + face.iterations,
        converged: face.converged,
        boundary: true,
        limits,
        message,
        customers,
    })
}

/// The fit at the interior search's end, with standard errors
/// θ_i·sqrt([(−H_φ)⁻¹]_ii) (the gradient term vanishes at an interior optimum).
fn interior(
    obj: &dyn Objective,
    out: Outcome,
    inv: Option<Mat4>,
    customers: f64,
    make: &dyn Fn(&Vec4) -> Model,
) -> Result<Fit> {
    let n = obj.dim().min(MAX_DIM);
    if !out.value.is_finite() {
        return Err(Error::Infeasible(
            "the log-likelihood is not finite at any parameter value tried; check the data".into(),
        ));
    }
    let model = make(&out.phi);
    let theta = model.params();
    let mut neg = [[0.0; MAX_DIM]; MAX_DIM];
    for i in 0..n {
        for j in 0..n {
            neg[i][j] = -out.hess[i][j];
        }
    }
    let inv = inv.or_else(|| spd_inverse(&neg, n));
    let standard_errors: Vec<f64> = match inv {
        Some(inv) => (0..n)
            .map(|i| theta.get(i).copied().unwrap_or(f64::NAN) * inv[i][i].max(0.0).sqrt())
            .collect(),
        None => vec![f64::NAN; n],
    };
    let log_covariance = match inv {
        Some(inv) if standard_errors.iter().all(|s| s.is_finite()) => {
            // Symmetrized: the inverse is solved column by column.
            (0..n * n)
                .map(|k| 0.5 * (inv[k / n][k % n] + inv[k % n][k / n]))
                .collect()
        }
        _ => Vec::new(),
    };
    let message = if !out.converged {
        format!(
            "did not converge in {} iterations (largest gradient component {})",
            out.iterations,
            num(out.grad[..n].iter().fold(0.0f64, |m, v| m.max(v.abs())))
        )
    } else if standard_errors.iter().any(|s| s.is_nan()) {
        "the Hessian is not negative definite at the estimate; standard errors are unavailable"
            .into()
    } else {
        String::new()
    };
    Ok(Fit {
        model,
        log_likelihood: out.value,
        standard_errors,
        log_covariance,
        iterations: out.iterations,
        converged: out.converged,
        boundary: false,
        limits: Vec::new(),
        message,
        customers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Customers of one shared purchase rate who never drop out (orders at
    /// uniformly random days over two years, as in `make_exports.py --big`):
    /// BG/NBD's likelihood rises toward r, α → ∞ with r/α fixed.
    fn homogeneous(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        // Why not `stats::random`: with its stream (seed 12345) the interior
        // search ends on the unit-step run-off test before any lockstep walk;
        // this xorshift's data exercise the pair walk.
        let mut s: u64 = 12345;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut days: Vec<Vec<u64>> = vec![Vec::new(); n];
        for _ in 0..4 * n {
            let c = (next() % n as u64) as usize;
            let d = next() % 730;
            days[c].push(d);
        }
        let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
        for mut d in days.into_iter().filter(|d| !d.is_empty()) {
            d.sort_unstable();
            d.dedup();
            let (first, last) = (d[0], d[d.len() - 1]);
            x.push((d.len() - 1) as f64);
            tx.push((last - first) as f64 / 7.0);
            t.push((729 - first) as f64 / 7.0);
        }
        (x, tx, t)
    }

    #[test]
    fn a_pair_walking_in_lockstep_stops_the_interior_search_for_its_face() {
        let (x, tx, t) = homogeneous(2000);
        let rows = Rows::new(&x, &tx, &t, None);
        assert!(
            rows.len() > 600,
            "faces only where the interior search does not settle"
        );
        let obj = BgObjective {
            rows: &rows,
            variant: Variant::Bg,
        };
        let start = [0.0, (1.0 / rows.mean_rate()).ln(), 0.0, 0.0];
        let make = |phi: &Vec4| bg_model(Variant::Bg, phi);
        let on = Settings::default();
        let off = Settings {
            pair_walks: false,
            ..on
        };
        // The interior search stops on r and α walking up together …
        let interior = maximize(&obj, start, on);
        assert_eq!(interior.pair_walk, Some((0, 1, true)), "{interior:?}");
        assert!(!interior.converged);
        let walked_on = maximize(&obj, start, off);
        assert!(
            walked_on.iterations > interior.iterations + 10,
            "{walked_on:?}"
        );
        // … and the fit from there reaches at least the likelihood of the
        // walk followed to its end, in fewer iterations.
        let w = rows.total_weight;
        let fit = |s| run(&obj, &[start], s, w, &BG_FACES, false, &[(2, 3)], &make).unwrap();
        let (early, full) = (fit(on), fit(off));
        assert!(early.boundary && full.boundary);
        let tol = 1e-9 * full.log_likelihood.abs();
        assert!(
            early.log_likelihood >= full.log_likelihood - tol,
            "{} < {}",
            early.log_likelihood,
            full.log_likelihood
        );
        assert!(
            early.iterations < full.iterations,
            "{} ≥ {}",
            early.iterations,
            full.iterations
        );
        assert!(early
            .limits
            .iter()
            .any(|l| l.param == "r" && l.toward_infinity));
    }
}
