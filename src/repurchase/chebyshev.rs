//! A smooth positive function of ln w, tabulated once and then evaluated in
//! O(degree): the Chebyshev interpolant of ln f(e^s) on [ln lo, ln hi], the
//! degree doubled (16 … 256, the Lobatto points nest, so no value is computed
//! twice) until the coefficients' tail is below rounding, then checked
//! against f at points between the nodes. Used where one expectation curve
//! is needed at many horizons and each direct value costs hundreds of
//! quadrature nodes (a lifetime value's months under the direct Beta rule).
//!
//! Why not a crate: it is one DCT and one Clenshaw loop, about forty lines.

use crate::stats::clamp;

/// Largest degree tried.
const MAX_DEGREE: usize = 256;

/// The interpolant of ln f(w) in s = ln w over [lo, hi].
#[derive(Debug, Clone)]
pub(crate) struct LogCurve {
    /// ln lo and ln hi.
    s_lo: f64,
    s_hi: f64,
    /// Chebyshev coefficients, c₀ halved.
    coef: Vec<f64>,
}

impl LogCurve {
    /// Tabulates `f` (positive and finite on [lo, hi], 0 < lo < hi) to about
    /// 1e-13 of its value; None if f is not positive and finite at a node,
    /// if 256 points do not resolve it, or if it misses f by more than 1e-12
    /// (relative) at a check point between nodes.
    pub(crate) fn build(lo: f64, hi: f64, f: &mut dyn FnMut(f64) -> f64) -> Option<LogCurve> {
        if !(lo > 0.0 && hi > lo && hi.is_finite()) {
            return None;
        }
        let (s_lo, s_hi) = (lo.ln(), hi.ln());
        let at = |x: f64| {
            let s = 0.5 * (s_lo + s_hi) + 0.5 * (s_hi - s_lo) * x;
            clamp(s.exp(), lo, hi)
        };
        let mut ln_f = |x: f64| {
            let v = f(at(x));
            (v.is_finite() && v > 0.0).then(|| v.ln())
        };
        // Values at the Lobatto points cos(πj/N), j = 0..N.
        let mut n = 16;
        let mut values = Vec::with_capacity(n + 1);
        for j in 0..=n {
            values.push(ln_f(cos_pi(j, n))?);
        }
        loop {
            let coef = lobatto_coefficients(&values);
            let scale = coef.iter().fold(1.0f64, |m, c| m.max(c.abs()));
            let tail = coef[n - n / 8..].iter().fold(0.0f64, |m, c| m.max(c.abs()));
            if tail <= 1e-14 * scale {
                let curve = LogCurve { s_lo, s_hi, coef };
                // Between the nodes, where an interpolant errs most.
                for k in 0..4 {
                    // cos(π(j + ½)/N) = cos(π(2j+1)/2N), between nodes j and j+1.
                    let x = cos_pi(2 * (k * n / 4) + 1, 2 * n);
                    let w = at(x);
                    let want = f(w);
                    let close = (curve.value(w) - want).abs() <= 1e-12 * want;
                    if !close {
                        return None;
                    }
                }
                return Some(curve);
            }
            if n >= MAX_DEGREE {
                return None;
            }
            // Doubling: the old points are the even ones of the new set.
            let mut next = Vec::with_capacity(2 * n + 1);
            for j in 0..=2 * n {
                next.push(if j % 2 == 0 {
                    values[j / 2]
                } else {
                    ln_f(cos_pi(j, 2 * n))?
                });
            }
            values = next;
            n *= 2;
        }
    }

    /// Whether w lies in the tabulated range.
    pub(crate) fn covers(&self, w: f64) -> bool {
        let s = w.ln();
        s >= self.s_lo && s <= self.s_hi
    }

    /// f(w) for w in the range (Clenshaw's recurrence, then exp).
    pub(crate) fn value(&self, w: f64) -> f64 {
        let x = clamp(
            (2.0 * w.ln() - self.s_lo - self.s_hi) / (self.s_hi - self.s_lo),
            -1.0,
            1.0,
        );
        let (mut b1, mut b2) = (0.0, 0.0);
        for &c in self.coef[1..].iter().rev() {
            let b0 = 2.0 * x * b1 - b2 + c;
            b2 = b1;
            b1 = b0;
        }
        (x * b1 - b2 + self.coef[0]).exp()
    }
}

/// Chebyshev coefficients of the degree-N interpolant through values at
/// cos(πj/N), j = 0..N (a DCT-I; O(N²), N ≤ 256), with c₀ halved so that
/// p(x) = Σ c_k T_k(x).
fn lobatto_coefficients(values: &[f64]) -> Vec<f64> {
    let n = values.len() - 1;
    // cos(πm/N) for m = 0..2N, once: the sum needs cos(πjk/N), jk mod 2N.
    let cosines: Vec<f64> = (0..2 * n).map(|m| cos_pi(m, n)).collect();
    let mut coef = vec![0.0; n + 1];
    for (k, c) in coef.iter_mut().enumerate() {
        let mut sum = 0.0;
        for (j, &v) in values.iter().enumerate() {
            let half = if j == 0 || j == n { 0.5 } else { 1.0 };
            sum += half * v * cosines[(j * k) % (2 * n)];
        }
        let edge = if k == 0 || k == n { 0.5 } else { 1.0 };
        *c = edge * 2.0 * sum / n as f64;
    }
    coef
}

/// cos(π·m/n), n ≥ 1, to about an ulp: reduced to an angle in [0, π/4]
/// by the symmetries of cos (each reduction exact in floating point), then
/// the Taylor series of cos or sin. Why not `f64::cos`: on wasm32 it links
/// libm's cos with its argument reduction (`rem_pio2`, `rem_pio2_large` and
/// their tables), which put the repurchase parts over their size budget.
fn cos_pi(m: usize, n: usize) -> f64 {
    let mut t = (m % (2 * n)) as f64 / n as f64; // [0, 2)
    if t > 1.0 {
        t = 2.0 - t; // cos(π(2 − t)) = cos(πt)
    }
    let mut sign = 1.0;
    if t > 0.5 {
        t = 1.0 - t; // cos(π(1 − t)) = −cos(πt)
        sign = -1.0;
    }
    // t ∈ [0, ½]: cos(πt), or sin(π(½ − t)) past ¼.
    let (x, sine) = if t > 0.25 {
        (std::f64::consts::PI * (0.5 - t), true)
    } else {
        (std::f64::consts::PI * t, false)
    };
    let x2 = x * x;
    // Σ (−x²)^k / (2k)! or x·Σ (−x²)^k / (2k+1)!; x ≤ π/4, so 12 terms
    // take the last below 1e-30 of the sum.
    let (mut term, mut sum) = (if sine { x } else { 1.0 }, 0.0);
    let first = if sine { 2.0 } else { 1.0 };
    for k in 0..12 {
        sum += term;
        let a = 2.0 * k as f64 + first;
        term *= -x2 / (a * (a + 1.0));
    }
    sign * sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabulates_smooth_curves_to_their_rounding() {
        // A saturating curve whose logarithm bends over many e-folds of w,
        // as an expectation over a horizon does: n·w for small w, then w^0.3.
        let mut f = |w: f64| w / (1.0 + w).powf(0.7);
        let curve = LogCurve::build(1e-6, 1e5, &mut f).unwrap();
        for k in 0..=1000 {
            let w = 1e-6 * 1e11f64.powf(k as f64 / 1000.0);
            let want = w / (1.0 + w).powf(0.7);
            assert!((curve.value(w) - want).abs() <= 2e-13 * want, "{w}");
            assert!(curve.covers(clamp(w, 1e-6, 1e5)));
        }
        assert!(!curve.covers(2e5) && !curve.covers(1e-7));
        // The exponential's logarithm is linear: degree 16 is exact.
        let lin = LogCurve::build(0.5, 4.0, &mut |w: f64| 3.0 * w * w).unwrap();
        assert_eq!(lin.coef.len(), 17);
        assert!((lin.value(2.0) - 12.0).abs() < 1e-13);
    }

    #[test]
    fn cos_pi_is_cos() {
        for n in [1, 2, 3, 16, 64, 512] {
            for m in 0..4 * n + 3 {
                // std's cos of the angle reduced by whole turns (π·m/n itself
                // rounds to within m/n ulps of π).
                let want = (std::f64::consts::PI * (m % (2 * n)) as f64 / n as f64).cos();
                // within the reference's own error (its angle rounds by up to 4e-16)
                assert!((cos_pi(m, n) - want).abs() < 1e-15, "{m}/{n}");
            }
        }
        assert_eq!(cos_pi(0, 7), 1.0);
        assert_eq!(cos_pi(7, 7), -1.0);
    }

    #[test]
    fn declines_what_it_cannot_resolve() {
        // A kink in ln f (not analytic) is not resolved by 256 points …
        assert!(LogCurve::build(0.1, 10.0, &mut |w: f64| (w - 1.0).abs() + 1.0).is_none());
        // … and a value that is not positive is refused.
        assert!(LogCurve::build(0.1, 10.0, &mut |w: f64| w - 1.0).is_none());
        assert!(LogCurve::build(1.0, 1.0, &mut |w: f64| w).is_none());
    }
}
