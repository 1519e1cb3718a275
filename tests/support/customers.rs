//! Customers drawn from the repurchase models, shared by the native tests
//! (`#[path = "support/customers.rs"] mod customers;`). Each test keeps its
//! own population (T, λ, dropout and their covariates); the purchase process
//! of one customer is here, so the tests draw it the same way. The order of
//! the random draws is part of each test's data: keep it. benches/repurchase.rs
//! reads the same file (`#[path = "../tests/support/customers.rs"]`) to fit
//! the same data sets.
#![allow(dead_code)] // each test target uses a part

use shijing::stats::random::{gamma, rng, uniform, uniform_open, Normals, Rng};

/// A time in weeks rounded down to whole days.
pub fn day(weeks: f64) -> f64 {
    (weeks * 7.0).floor() / 7.0
}

/// One customer's repeat purchases: a Poisson process at rate `lambda`
/// until `end` (T, or the end of a Pareto/NBD lifetime if sooner), at most
/// `x_cap` purchases; after each purchase `leaves` decides whether the
/// customer drops out (BG/NBD: with probability p; Pareto/NBD: never).
/// Returns (x, t_x), t_x unrounded (0 when x = 0).
pub fn purchases(
    g: &mut Rng,
    lambda: f64,
    end: f64,
    x_cap: f64,
    mut leaves: impl FnMut(&mut Rng) -> bool,
) -> (f64, f64) {
    let (mut x, mut tx, mut now) = (0.0, 0.0, 0.0);
    while x < x_cap {
        now += -uniform_open(g).ln() / lambda;
        if now > end {
            break;
        }
        x += 1.0;
        tx = now;
        if leaves(g) {
            break;
        }
    }
    (x, tx)
}

/// The end of a Pareto/NBD customer's observation: T, or the end of a
/// lifetime drawn from Exp(μ) if sooner.
pub fn lifetime_end(g: &mut Rng, mu: f64, big_t: f64) -> f64 {
    big_t.min(-uniform_open(g).ln() / mu)
}

/// Customers `(x, t_x, T)` from a Pareto/NBD with parameters `p` (r, α, s,
/// β), observed for T uniform in [`t_lo`, `t_hi`] (the time unit of α and
/// β) rounded down to days; x capped at `x_cap` (the customer stops buying
/// there); t_x rounded down to days as well if `round_tx` (heavy buyers buy
/// many times a day: rounding t_x down would open a gap before T that only
/// dropout explains).
pub fn pareto_customers(
    p: [f64; 4],
    n: usize,
    seed: u32,
    (t_lo, t_hi): (f64, f64),
    x_cap: f64,
    round_tx: bool,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut g = rng(seed);
    let mut normals = Normals::new();
    let (mut xs, mut txs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let big_t = day(t_lo + (t_hi - t_lo) * uniform(&mut g));
        let lambda = gamma(&mut g, &mut normals, p[0]) / p[1];
        let mu = gamma(&mut g, &mut normals, p[2]) / p[3];
        let end = lifetime_end(&mut g, mu, big_t);
        let (x, tx) = purchases(&mut g, lambda, end, x_cap, |_| false);
        let tx = if round_tx { day(tx) } else { tx };
        xs.push(x);
        txs.push(if x > 0.0 { tx.min(big_t) } else { 0.0 });
        ts.push(big_t);
    }
    (xs, txs, ts)
}

/// The Pareto/NBD grid of tests/native_pareto.rs: r ∈ {0.1, 0.5, 2},
/// α ∈ {1, 10, 100}, s ∈ {0.3, 1, 3}, β ∈ {1, 10, 100}.
pub fn pareto_grid() -> Vec<[f64; 4]> {
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

/// Grid set `k`: 5,000 customers, T in [20, 52] weeks, x at most 10,000.
pub fn pareto_grid_set(k: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let p = pareto_grid()[k];
    pareto_customers(p, 5000, 1000 + k as u32, (20.0, 52.0), 10_000.0, true)
}

/// `n` summary rows `(x, t_x, T, monetary)` not drawn from any model (for
/// predictions, which take any rows): T uniform in [1, 53], x a whole
/// number in [0, 19], t_x uniform in [0, T], monetary uniform in [10, 60]
/// (0 with x = 0).
pub fn random_rows(n: usize, seed: u32) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut g = rng(seed);
    let (mut x, mut tx, mut t, mut m) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let tt = 1.0 + 52.0 * uniform(&mut g);
        let xx = (uniform(&mut g) * 20.0).floor();
        x.push(xx);
        tx.push(if xx > 0.0 { tt * uniform(&mut g) } else { 0.0 });
        t.push(tt);
        m.push(if xx > 0.0 {
            10.0 + 50.0 * uniform(&mut g)
        } else {
            0.0
        });
    }
    (x, tx, t, m)
}
