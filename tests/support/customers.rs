//! Customers drawn from the repurchase models, shared by the native tests
//! (`#[path = "support/customers.rs"] mod customers;`). Each test keeps its
//! own population (T, λ, dropout and their covariates); the purchase process
//! of one customer is here, so the tests draw it the same way. The order of
//! the random draws is part of each test's data: keep it.
#![allow(dead_code)] // each test target uses a part

use shijing::stats::random::{uniform_open, Rng};

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
