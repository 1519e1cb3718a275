//! Input checks shared by every area. Each check names the argument in its
//! message, using the JS (camelCase) name the caller passed it under. The
//! checks are `#[inline(never)]`: inlined, each of the ~140 call sites would
//! carry its own copy of the message formatting (Wasm size). The checks are
//! crate-internal; the module exports only [`MAX_ELEMENTS`].

use crate::text::num;
use crate::{Error, Result};

/// Largest number of elements any single array argument may have. Anything
/// larger is rejected before allocation, so absurd sizes fail with a message
/// instead of exhausting Wasm memory (4 GiB at most).
///
/// ```
/// # use shijing::{stats::gini, validate::MAX_ELEMENTS};
/// // Rejected by its length, before a value is read (a zeroed allocation the
/// // check never touches).
/// let too_many = vec![0.0; MAX_ELEMENTS + 1];
/// assert_eq!(
///     gini(&too_many).unwrap_err().message(),
///     "values has 20000001 elements; at most 20000000 are supported"
/// );
/// ```
pub const MAX_ELEMENTS: usize = 20_000_000;

/// Rejects an empty array.
#[inline(never)]
pub(crate) fn non_empty(name: &str, len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::invalid(format!("{name} is empty")));
    }
    Ok(())
}

/// Rejects arrays longer than [`MAX_ELEMENTS`] (or a caller-given limit).
#[inline(never)]
pub(crate) fn max_len(name: &str, len: usize, limit: usize) -> Result<()> {
    if len > limit {
        return Err(Error::invalid(format!(
            "{name} has {len} elements; at most {limit} are supported"
        )));
    }
    Ok(())
}

/// Rejects two arrays of different lengths.
#[inline(never)]
pub(crate) fn same_len(name_a: &str, len_a: usize, name_b: &str, len_b: usize) -> Result<()> {
    if len_a != len_b {
        return Err(Error::invalid(format!(
            "{name_b} has {len_b} elements but {name_a} has {len_a}; they must have the same length"
        )));
    }
    Ok(())
}

/// Rejects NaN and ±Infinity anywhere in `xs` (only the covariate
/// bindings' rows need it).
#[cfg(any(test, feature = "covariates"))]
pub(crate) fn all_finite(name: &str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|x| !x.is_finite()) {
        Some(i) => finite(&format!("{name}[{i}]"), xs[i]),
        None => Ok(()),
    }
}

/// Rejects NaN, ±Infinity and negative numbers anywhere in `xs`.
pub(crate) fn all_finite_non_negative(name: &str, xs: &[f64]) -> Result<()> {
    for (i, &x) in xs.iter().enumerate() {
        if !x.is_finite() || x < 0.0 {
            return finite_non_negative(&format!("{name}[{i}]"), x);
        }
    }
    Ok(())
}

/// Rejects a NaN or infinite scalar.
#[inline(never)]
pub(crate) fn finite(name: &str, x: f64) -> Result<()> {
    if x.is_nan() {
        return Err(Error::invalid(format!("{name} is NaN")));
    }
    if x.is_infinite() {
        return Err(Error::invalid(format!("{name} is infinite ({})", num(x))));
    }
    Ok(())
}

/// Rejects a NaN, infinite or negative scalar.
#[inline(never)]
pub(crate) fn finite_non_negative(name: &str, x: f64) -> Result<()> {
    finite(name, x)?;
    if x < 0.0 {
        return Err(Error::invalid(format!("{name} is negative ({})", num(x))));
    }
    Ok(())
}

/// Rejects a scalar that is not finite and strictly positive.
#[inline(never)]
pub(crate) fn positive(name: &str, x: f64) -> Result<()> {
    finite(name, x)?;
    if x <= 0.0 {
        return Err(Error::invalid(format!(
            "{name} must be > 0, got {}",
            num(x)
        )));
    }
    Ok(())
}

/// Rejects a scalar outside the closed interval `[lo, hi]`.
#[inline(never)]
pub(crate) fn in_closed(name: &str, x: f64, lo: f64, hi: f64) -> Result<()> {
    finite(name, x)?;
    if !(lo..=hi).contains(&x) {
        return Err(Error::invalid(format!(
            "{name} must be in [{}, {}], got {}",
            num(lo),
            num(hi),
            num(x)
        )));
    }
    Ok(())
}

/// Rejects a scalar outside the half-open interval `[lo, hi)`.
#[inline(never)]
pub(crate) fn in_half_open(name: &str, x: f64, lo: f64, hi: f64) -> Result<()> {
    finite(name, x)?;
    if !(x >= lo && x < hi) {
        return Err(Error::invalid(format!(
            "{name} must be in [{}, {}), got {}",
            num(lo),
            num(hi),
            num(x)
        )));
    }
    Ok(())
}

/// Rejects an integer outside `[lo, hi]`.
#[inline(never)]
pub(crate) fn count_in(name: &str, n: usize, lo: usize, hi: usize) -> Result<()> {
    if n < lo || n > hi {
        return Err(Error::invalid(format!(
            "{name} must be in [{lo}, {hi}], got {n}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_argument() {
        let e = all_finite_non_negative("values", &[1.0, f64::NAN]).unwrap_err();
        assert_eq!(e.to_string(), "values[1] is NaN");
        let e = all_finite_non_negative("values", &[1.0, -2.0]).unwrap_err();
        assert_eq!(e.to_string(), "values[1] is negative (-2)");
        let e = all_finite("x", &[f64::NEG_INFINITY]).unwrap_err();
        assert_eq!(e.to_string(), "x[0] is infinite (-Infinity)");
        let e = in_half_open("giniMax", 1.2, 0.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "giniMax must be in [0, 1), got 1.2");
        let e = same_len("frequency", 3, "recency", 2).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("recency has 2 elements but frequency has 3"));
        assert!(non_empty("values", 0).is_err());
        assert!(max_len("values", 11, 10).is_err());
        assert!(count_in("points", 1, 2, 10).is_err());
        assert!(positive("budget", 0.0).is_err());
        assert!(in_closed("share", 1.0, 0.0, 1.0).is_ok());
    }
}
