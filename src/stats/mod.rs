//! Statistics shared by every area: exposure inequality and seeded randomness.
//!
//! ```
//! use shijing::stats::{gini, random, top_share};
//! let plays = random::lognormal_sample(10_000, 2.0, 1);
//! let g = gini(&plays)?;
//! assert!(g > 0.7 && g < 0.9); // heavy-tailed, as creators' plays are
//! assert!(top_share(&plays, 0.1)? > 0.5);
//! # Ok::<(), shijing::Error>(())
//! ```

pub mod inequality;
pub mod random;
pub mod sort;

pub use inequality::{bottom_share, gini, lorenz, top_share, Lorenz, SortedShares};

/// `x.max(y)` with the rule of `libm::fmax`, inline: in Wasm `f64::max`
/// is a call to `fmax` (its NaN rule is not the `f64.max` instruction's),
/// which the hot loops of a round and of the simulation paid for on every item.
#[inline(always)]
pub(crate) fn max_of(x: f64, y: f64) -> f64 {
    if x.is_nan() || x < y {
        y
    } else {
        x
    }
}

/// `x.min(y)` with the rule of `libm::fmin`, inline (see [`max_of`]).
#[inline(always)]
pub(crate) fn min_of(x: f64, y: f64) -> f64 {
    if y.is_nan() || x < y {
        x
    } else {
        y
    }
}

/// `x.clamp(lo, hi)` without `f64::clamp`'s assertion (`lo ≤ hi`, neither
/// NaN): the assertion's panic message formats both bounds with `{:?}`,
/// which alone kept core's float formatting in the Wasm. For `lo ≤ hi` the
/// result is `f64::clamp`'s, bit for bit (NaN stays NaN; ±0 pass as given).
/// Written as the standard library writes it (two independent tests, which
/// compile to branch-free selects; an `else if` chain cost 0.8% more
/// instructions in the default simulation, callgrind).
#[inline(always)]
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    let mut x = x;
    if x < lo {
        x = lo;
    }
    if x > hi {
        x = hi;
    }
    x
}
