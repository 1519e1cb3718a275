//! Pareto/NBD fits over a grid of simulated data sets (issue 16 §1): every
//! fit converges (or returns a boundary optimum, saying which), and reaches
//! at least the likelihood an independent optimizer (multi-start
//! Nelder–Mead on log-parameters, as lifetimes fits Pareto/NBD) reaches.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::needless_range_loop)]

use shijing::repurchase::data::Rows;
use shijing::repurchase::optimize::Objective;
use shijing::repurchase::pareto_nbd::ParetoObjective;
use shijing::repurchase::{self, FitOptions};
use shijing::stats::random::{gamma, rng, uniform, uniform_open, Normals};

/// Customers `(x, t_x, T)` from a Pareto/NBD with parameters `p` (r, α, s,
/// β), observed for T uniform in [`t_lo`, `t_hi`] (the time unit of α and
/// β), times rounded down to 1/7 of the unit (days, if the unit is weeks) so
/// rows repeat as in real data; x capped at `x_cap` (the customer stops
/// buying there).
pub fn simulate(
    p: [f64; 4],
    n: usize,
    seed: u32,
    (t_lo, t_hi): (f64, f64),
    x_cap: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut g = rng(seed);
    let mut normals = Normals::new();
    let day = |v: f64| (v * 7.0).floor() / 7.0;
    let (mut xs, mut txs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let big_t = day(t_lo + (t_hi - t_lo) * uniform(&mut g));
        let lambda = gamma(&mut g, &mut normals, p[0]) / p[1];
        let mu = gamma(&mut g, &mut normals, p[2]) / p[3];
        let end = big_t.min(-uniform_open(&mut g).ln() / mu);
        let (mut x, mut tx, mut now) = (0.0, 0.0, 0.0);
        while x < x_cap {
            now += -uniform_open(&mut g).ln() / lambda;
            if now > end {
                break;
            }
            x += 1.0;
            tx = now;
        }
        xs.push(x);
        txs.push(if x > 0.0 { day(tx).min(big_t) } else { 0.0 });
        ts.push(big_t);
    }
    (xs, txs, ts)
}

/// The grid: r ∈ {0.1, 0.5, 2}, α ∈ {1, 10, 100}, s ∈ {0.3, 1, 3}, β ∈ {1, 10, 100}.
pub fn grid() -> Vec<[f64; 4]> {
    let mut out = vec![];
    for r in [0.1, 0.5, 2.0] {
        for alpha in [1.0, 10.0, 100.0] {
            for s in [0.3, 1.0, 3.0] {
                for beta in [1.0, 10.0, 100.0] {
                    out.push([r, alpha, s, beta]);
                }
            }
        }
    }
    out
}

/// Nelder–Mead minimization of `f` from `x0` (standard coefficients,
/// initial simplex ±0.5 per coordinate); stops when the simplex's values
/// span less than `ftol` or after `max_evals` evaluations.
fn nelder_mead(
    f: &dyn Fn(&[f64; 4]) -> f64,
    x0: [f64; 4],
    ftol: f64,
    max_evals: usize,
) -> ([f64; 4], f64) {
    let mut pts: Vec<([f64; 4], f64)> = vec![(x0, f(&x0))];
    for i in 0..4 {
        let mut x = x0;
        x[i] += 0.5;
        pts.push((x, f(&x)));
    }
    let mut evals = 5;
    while evals < max_evals {
        pts.sort_by(|a, b| a.1.total_cmp(&b.1));
        if (pts[4].1 - pts[0].1).abs() <= ftol {
            break;
        }
        let mut c = [0.0; 4];
        for p in &pts[..4] {
            for i in 0..4 {
                c[i] += p.0[i] / 4.0;
            }
        }
        let at = |k: f64| -> [f64; 4] { std::array::from_fn(|i| c[i] + k * (pts[4].0[i] - c[i])) };
        let xr = at(-1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < pts[0].1 {
            let xe = at(-2.0);
            let fe = f(&xe);
            evals += 1;
            pts[4] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < pts[3].1 {
            pts[4] = (xr, fr);
        } else {
            let xc = if fr < pts[4].1 { at(-0.5) } else { at(0.5) };
            let fc = f(&xc);
            evals += 1;
            if fc < fr.min(pts[4].1) {
                pts[4] = (xc, fc);
            } else {
                let best = pts[0].0;
                for p in pts.iter_mut().skip(1) {
                    p.0 = std::array::from_fn(|i| best[i] + 0.5 * (p.0[i] - best[i]));
                    p.1 = f(&p.0);
                }
                evals += 4;
            }
        }
    }
    pts.sort_by(|a, b| a.1.total_cmp(&b.1));
    pts[0]
}

/// The reference: the best of Nelder–Mead runs on φ = ln θ from the truth,
/// from all-ones and from a data-based guess, each restarted once from its end.
fn reference(rows: &Rows, truth: [f64; 4]) -> f64 {
    let obj = ParetoObjective { rows };
    let f = |phi: &[f64; 4]| {
        let v = obj.eval(phi, None, None);
        if v.is_finite() {
            -v
        } else {
            f64::INFINITY
        }
    };
    let rate = rows.mean_rate();
    let starts = [
        truth.map(f64::ln),
        [0.0; 4],
        [0.0, -rate.ln(), 0.0, -rate.ln()],
    ];
    let mut best = f64::NEG_INFINITY;
    for s in starts {
        let (x1, _) = nelder_mead(&f, s, 1e-9, 3000);
        let (_, v) = nelder_mead(&f, x1, 1e-10, 3000);
        best = best.max(-v);
    }
    best
}

#[test]
#[ignore]
fn explore_grid() {
    for (k, p) in grid().into_iter().enumerate() {
        let (x, tx, t) = simulate(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0);
        let t0 = std::time::Instant::now();
        let fit = repurchase::fit_pareto_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
        let el = t0.elapsed().as_secs_f64();
        let rows = Rows::new(&x, &tx, &t, None);
        let t1 = std::time::Instant::now();
        let r = reference(&rows, p);
        eprintln!(
            "{k:2} {p:?} rows {} ours {:.4} ref {:.4} diff {:.2e} it {} conv {} bnd {} {:.3}s ref {:.1}s {:?} {}",
            rows.len(),
            fit.log_likelihood,
            r,
            fit.log_likelihood - r,
            fit.iterations,
            fit.converged,
            fit.boundary,
            el,
            t1.elapsed().as_secs_f64(),
            fit.model.params(),
            fit.message
        );
    }
}

#[test]
#[ignore]
fn debug_set() {
    let k: usize = std::env::var("SET").unwrap().parse().unwrap();
    let p = grid()[k];
    let (x, tx, t) = simulate(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0);
    let rows = Rows::new(&x, &tx, &t, None);
    let obj = ParetoObjective { rows: &rows };
    let f = |phi: &[f64; 4]| {
        let v = obj.eval(phi, None, None);
        if v.is_finite() {
            -v
        } else {
            f64::INFINITY
        }
    };
    let rate = rows.mean_rate();
    for s in [p.map(f64::ln), [0.0; 4], [0.0, -rate.ln(), 0.0, -rate.ln()]] {
        let (x1, v1) = nelder_mead(&f, s, 1e-9, 3000);
        let (x2, v2) = nelder_mead(&f, x1, 1e-10, 3000);
        eprintln!(
            "start {s:?}: {x1:?} {v1} -> {x2:?} {v2} theta {:?}",
            x2.map(f64::exp)
        );
    }
}

#[test]
#[ignore]
fn time_evals() {
    for k in [29usize, 35, 56, 59, 62] {
        let p = grid()[k];
        let (x, tx, t) = simulate(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0);
        let rows = Rows::new(&x, &tx, &t, None);
        let obj = ParetoObjective { rows: &rows };
        let phi = p.map(f64::ln);
        let (mut g, mut h) = ([0.0; 4], [[0.0; 4]; 4]);
        let n = 20;
        let t0 = std::time::Instant::now();
        for _ in 0..n {
            obj.eval(&phi, Some(&mut g), Some(&mut h));
        }
        let full = t0.elapsed().as_secs_f64() / n as f64;
        let t0 = std::time::Instant::now();
        for _ in 0..n {
            obj.eval(&phi, Some(&mut g), None);
        }
        let grad = t0.elapsed().as_secs_f64() / n as f64;
        let t0 = std::time::Instant::now();
        for _ in 0..n {
            obj.eval(&phi, None, None);
        }
        let val = t0.elapsed().as_secs_f64() / n as f64;
        let t0 = std::time::Instant::now();
        let fit = repurchase::fit_pareto_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
        eprintln!(
            "{k} {p:?} rows {} groups {} times {}: full {:.2} ms grad {:.2} ms value {:.2} ms; fit {:.1} ms, {} it",
            rows.len(),
            rows.groups.len(),
            rows.times.len(),
            full * 1e3,
            grad * 1e3,
            val * 1e3,
            t0.elapsed().as_secs_f64() * 1e3,
            fit.iterations
        );
    }
}

type EvalLog = std::cell::RefCell<Vec<(String, [f64; 4], f64, f64)>>;

struct Counting<'a> {
    inner: ParetoObjective<'a>,
    log: EvalLog,
}
impl Objective for Counting<'_> {
    fn dim(&self) -> usize {
        4
    }
    fn analytic_hessian(&self) -> bool {
        true
    }
    fn eval(
        &self,
        phi: &[f64; 4],
        grad: Option<&mut [f64; 4]>,
        hess: Option<&mut [[f64; 4]; 4]>,
    ) -> f64 {
        let kind = format!(
            "{}{}",
            if grad.is_some() { "g" } else { "" },
            if hess.is_some() { "h" } else { "" }
        );
        let t0 = std::time::Instant::now();
        let v = self.inner.eval(phi, grad, hess);
        self.log
            .borrow_mut()
            .push((kind, *phi, v, t0.elapsed().as_secs_f64() * 1e3));
        v
    }
}

#[test]
#[ignore]
fn trace_fit() {
    use shijing::repurchase::optimize::{maximize, Settings};
    let k: usize = std::env::var("SET").unwrap().parse().unwrap();
    let p = grid()[k];
    let (x, tx, t) = simulate(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0);
    let rows = Rows::new(&x, &tx, &t, None);
    let obj = Counting {
        inner: ParetoObjective { rows: &rows },
        log: Default::default(),
    };
    let rate = rows.mean_rate();
    let start = [0.0, (1.0 / rate).ln(), 0.0, (1.0 / rate).ln()];
    let out = maximize(&obj, start, Settings::default());
    for (kind, phi, v, ms) in obj.log.borrow().iter() {
        eprintln!(
            "{kind:3} {:?} {v:.6} {ms:.2} ms",
            phi.map(|v| (v * 1000.0).round() / 1000.0)
        );
    }
    eprintln!("{out:?}");
}

#[test]
#[ignore]
fn issue19_examples() {
    use shijing::repurchase::{Model, ModelKind};
    let bg = Model::from_params(ModelKind::BgNbd, &[0.205, 0.304, 1240.0, 10400.0]).unwrap();
    for t in [7.0, 30.0, 90.0, 120.0, 365.0] {
        let e = bg
            .expected_purchases(t, &[3.0], &[1.544], &[2.638])
            .unwrap()[0];
        eprintln!("bg t={t}: {e}");
    }
    let m = Model::from_params(
        ModelKind::ModifiedBgNbd,
        &[0.24328, 0.19226, 1615195.25, 13282535.4],
    )
    .unwrap();
    let t0 = std::time::Instant::now();
    eprintln!(
        "mbg new {:?}",
        m.new_customer_expected_purchases(&[5.0, 11.0, 17.0, 20.0, 23.0, 29.0, 35.0, 100_000.0])
            .unwrap()
    );
    eprintln!("{:?}", t0.elapsed());
}

/// Pareto/NBD with a fixed purchase rate λ (the r, α → ∞ face), per customer,
/// by brute-force quadrature in w = ln(β+τ).
fn ll_fixed_rate(lambda: f64, s: f64, beta: f64, x: f64, tx: f64, t: f64) -> f64 {
    let surv = |u: f64| (-s * (u / beta).ln_1p()).exp();
    let (w0, w1) = ((beta + tx).ln(), (beta + t).ln());
    let n = 20_000;
    let h = (w1 - w0) / n as f64;
    let mut acc = 0.0;
    for i in 0..n {
        for (w, q) in shijing::repurchase::special::gl16(w0 + h * i as f64, w0 + h * (i + 1) as f64)
        {
            let tau = w.exp() - beta;
            // f_μ(τ) dτ = s β^s (β+τ)^−(s+1) (β+τ) dw
            acc += q * (-lambda * tau).exp() * s * (s * beta.ln() - s * w).exp();
        }
    }
    x * lambda.ln() + ((-lambda * t).exp() * surv(t) + acc).ln()
}

#[test]
#[ignore]
fn check_set42_face() {
    let k = 42;
    let p = grid()[k];
    let (x, tx, t) = simulate(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0);
    let fit = repurchase::fit_pareto_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
    let th = fit.model.params();
    let rows = Rows::new(&x, &tx, &t, None);
    let mut ll = 0.0;
    for i in 0..rows.len() {
        let (xi, txi, ti) = (
            rows.x[i],
            rows.times[rows.tx[i] as usize],
            rows.times[rows.t[i] as usize],
        );
        ll += rows.w[i] * ll_fixed_rate(th[0] / th[1], th[2], th[3], xi, txi, ti);
    }
    eprintln!("ours {} brute limit {} {:?}", fit.log_likelihood, ll, th);
}
