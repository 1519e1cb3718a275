//! Special functions the models need, accurate over the whole positive range:
//! log-gamma (libm), digamma, trigamma, `expm1(x)/x`, the Gauss
//! hypergeometric series and Gauss–Legendre quadrature. Every function is
//! total: it returns a number (possibly NaN for arguments outside its domain)
//! and never panics.

/// ln Γ(x) for x > 0.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// ψ(x) = d ln Γ(x) / dx for x > 0 (recurrence up to x ≥ 10, then the
/// asymptotic series; absolute error below 1e-15 for moderate x).
pub fn digamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return if x == f64::INFINITY {
            f64::INFINITY
        } else {
            f64::NAN
        };
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0)))));
    acc + x.ln() - 0.5 * inv - series
}

/// ψ₁(x) = d² ln Γ(x) / dx² for x > 0.
pub fn trigamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return if x == f64::INFINITY { 0.0 } else { f64::NAN };
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // 1/x + 1/(2x²) + Σ B_2k / x^(2k+1)
    let series = inv
        * (1.0
            + inv * 0.5
            + inv2
                * (1.0 / 6.0
                    - inv2
                        * (1.0 / 30.0
                            - inv2 * (1.0 / 42.0 - inv2 * (1.0 / 30.0 - inv2 * (5.0 / 66.0))))));
    acc + series
}

/// `expm1(x) / x`, equal to 1 at 0, without cancellation near 0.
#[inline]
pub fn exprel(x: f64) -> f64 {
    if x.abs() < 1e-5 {
        1.0 + x * (0.5 + x / 6.0)
    } else {
        x.exp_m1() / x
    }
}

/// Numerically stable `ln(1 / (1 + e^v))` (= −softplus(v)).
#[inline]
pub fn ln_logistic_neg(v: f64) -> f64 {
    if v > 0.0 {
        -v - (-v).exp().ln_1p()
    } else {
        -(v.exp().ln_1p())
    }
}

/// `1 / (1 + e^v)` without overflow.
#[inline]
pub fn logistic_neg(v: f64) -> f64 {
    if v > 0.0 {
        let e = (-v).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + v.exp())
    }
}

/// Hard cap on series terms: a pathological argument costs time, never a hang.
pub const MAX_TERMS: usize = 200_000;

/// The tail `Σ_{k≥1} t_k` of a hypergeometric-type series with
/// `t_1 = first` and `t_{k+1} = t_k · (p + k)(q + k) / ((c + k)(k + 1)) · z`,
/// for 0 ≤ z < 1. Terms may change sign (negative `p` or `q`); summation stops
/// when a term is negligible against the running sum and the ratio has
/// settled below 1.
pub fn series_tail(first: f64, p: f64, q: f64, c: f64, z: f64) -> f64 {
    let mut term = first;
    let mut sum = 0.0;
    let mut k = 1usize;
    while k < MAX_TERMS {
        sum += term;
        let kf = k as f64;
        let ratio = (p + kf) * (q + kf) / ((c + kf) * (kf + 1.0)) * z;
        term *= ratio;
        if term == 0.0 || !term.is_finite() {
            break;
        }
        if term.abs() <= 1e-17 * sum.abs() && ratio.abs() < 1.0 {
            break;
        }
        k += 1;
    }
    sum
}

/// ₂F₁(a, b; c; z) by its power series, for |z| < 1 and c not a
/// non-positive integer (callers pick a transformed form that converges).
pub fn hyp2f1_series(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if z == 0.0 {
        return 1.0;
    }
    1.0 + series_tail(a * b / c * z, a, b, c, z)
}

/// Gauss–Legendre nodes and weights on [−1, 1] (Newton on Pₙ).
pub fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let n = n.max(1);
    let mut xs = vec![0.0; n];
    let mut ws = vec![0.0; n];
    let nf = n as f64;
    for i in 0..n.div_ceil(2) {
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
        let mut dp = 1.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, x);
            for k in 2..=n {
                let kf = k as f64;
                let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
                p0 = p1;
                p1 = p2;
            }
            let pn = if n == 1 { x } else { p1 };
            let pm = if n == 1 { 1.0 } else { p0 };
            dp = nf * (x * pn - pm) / (x * x - 1.0);
            let dx = pn / dp;
            x -= dx;
            if dx.abs() < 1e-16 {
                break;
            }
        }
        let w = 2.0 / ((1.0 - x * x) * dp * dp);
        if let (Some(a), Some(b)) = (xs.get_mut(i), ws.get_mut(i)) {
            *a = x;
            *b = w;
        }
        if let (Some(a), Some(b)) = (xs.get_mut(n - 1 - i), ws.get_mut(n - 1 - i)) {
            *a = -x;
            *b = w;
        }
    }
    if n == 1 {
        return (vec![0.0], vec![2.0]);
    }
    (xs, ws)
}

/// ∫ f over [lo, hi] with `panels` equal panels of the given Gauss–Legendre rule.
pub fn integrate(
    f: impl Fn(f64) -> f64,
    lo: f64,
    hi: f64,
    rule: &(Vec<f64>, Vec<f64>),
    panels: usize,
) -> f64 {
    let panels = panels.max(1);
    let h = (hi - lo) / panels as f64;
    let mut total = 0.0;
    for p in 0..panels {
        let a = lo + h * p as f64;
        let mid = a + 0.5 * h;
        for (x, w) in rule.0.iter().zip(&rule.1) {
            total += w * f(mid + 0.5 * h * x);
        }
    }
    total * 0.5 * h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn digamma_and_trigamma() {
        // ψ(1) = −γ, ψ₁(1) = π²/6, ψ(1/2) = −γ − 2 ln 2
        let euler = 0.577_215_664_901_532_9;
        assert!(close(digamma(1.0), -euler, 1e-13));
        assert!(close(
            digamma(0.5),
            -euler - 2.0 * std::f64::consts::LN_2,
            1e-13
        ));
        let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
        assert!(close(trigamma(1.0), pi2_6, 1e-13));
        assert!(close(trigamma(0.5), 3.0 * pi2_6, 1e-13));
        // recurrence at a large argument
        let x = 12345.678;
        assert!(close(digamma(x + 1.0) - digamma(x), 1.0 / x, 1e-9));
        assert!(close(trigamma(x) - trigamma(x + 1.0), 1.0 / (x * x), 1e-7));
        assert!(digamma(-1.0).is_nan());
    }

    #[test]
    fn hypergeometric_closed_forms() {
        // ₂F₁(1,1;2;z) = −ln(1−z)/z
        for &z in &[0.1, 0.5, 0.9, 0.99] {
            let f = hyp2f1_series(1.0, 1.0, 2.0, z);
            assert!(close(f, -(1.0 - z).ln() / z, 1e-13), "z={z} {f}");
        }
        // ₂F₁(a,b;b;z) = (1−z)^−a
        assert!(close(
            hyp2f1_series(2.5, 3.0, 3.0, 0.3),
            0.7f64.powf(-2.5),
            1e-14
        ));
    }

    #[test]
    fn quadrature() {
        let rule = gauss_legendre(16);
        let v = integrate(|x| x.exp(), 0.0, 2.0, &rule, 1);
        assert!(close(v, 2f64.exp() - 1.0, 1e-14));
        let w: f64 = rule.1.iter().sum();
        assert!(close(w, 2.0, 1e-14));
    }
}
