//! Special functions the models need, accurate over the whole positive range:
//! log-gamma (libm), digamma, trigamma and their differences, `expm1(x)/x`,
//! Gauss–Legendre and Gauss–Laguerre rules, and Gauss–Legendre panels for
//! positive integrands with a concave logarithm. Every function is total: it
//! returns a number (possibly NaN for arguments outside its domain) and never
//! panics.

/// ln Γ(x) for x > 0.
///
/// ```
/// # use shijing::repurchase::special::ln_gamma;
/// assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-14); // Γ(5) = 4!
/// assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14); // Γ(½) = √π
/// ```
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// ψ(x) = d ln Γ(x) / dx for x > 0 (recurrence up to x ≥ 10, then the
/// asymptotic series through x⁻¹⁰; absolute error about 2e-14 for moderate
/// x, the first omitted term 691/(32760·x¹²) at x = 10).
///
/// ```
/// # use shijing::repurchase::special::digamma;
/// // ψ(1) = −γ (Euler–Mascheroni), within the series' truncation error,
/// assert!((digamma(1.0) + 0.577_215_664_901_532_9).abs() < 3e-14);
/// // and ψ(x + 1) = ψ(x) + 1/x.
/// assert!((digamma(4.0) - (digamma(1.0) + 1.0 + 0.5 + 1.0 / 3.0)).abs() < 1e-14);
/// assert!(digamma(0.0).is_nan() && digamma(-1.0).is_nan());
/// ```
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

/// ψ₁(x) = d² ln Γ(x) / dx² for x > 0 (recurrence up to x ≥ 10, then the
/// asymptotic series through x⁻¹¹; absolute error about 2.5e-14 for moderate
/// x, the first omitted term 691/(2730·x¹³) at x = 10).
///
/// ```
/// # use shijing::repurchase::special::trigamma;
/// use std::f64::consts::PI;
/// // ψ₁(1) = π²/6 and ψ₁(½) = π²/2; ψ₁(x + 1) = ψ₁(x) − 1/x².
/// // (within the series' truncation error, 2.5e-14)
/// assert!((trigamma(1.0) - PI * PI / 6.0).abs() < 3e-14);
/// assert!((trigamma(0.5) - PI * PI / 2.0).abs() < 3e-14);
/// assert!((trigamma(3.0) - (PI * PI / 6.0 - 1.0 - 0.25)).abs() < 3e-14);
/// ```
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

/// Below this argument the Γ-function differences are taken directly (the
/// values are small, so the difference loses nothing); from it on, by the
/// difference of Stirling series (truncation error below 1e-17 there).
const STIRLING_FROM: f64 = 15.0;

/// `ln Γ(x + m) − ln Γ(x)` for x > 0, m ≥ 0. The plain difference loses
/// everything when m ≪ x (at x = 1e13, ln Γ(x) ≈ 2.9e14 and one ulp is 0.06);
/// here the large parts cancel analytically.
///
/// ```
/// # use shijing::repurchase::special::ln_gamma_diff;
/// // Γ(x + 3)/Γ(x) = x(x+1)(x+2), here past the switch to the Stirling difference,
/// assert!((ln_gamma_diff(20.0, 3.0) - (20.0f64 * 21.0 * 22.0).ln()).abs() < 1e-13);
/// // and Γ(x + 1)/Γ(x) = x where ln Γ(x) itself is ~2.9e14.
/// assert!((ln_gamma_diff(1e13, 1.0) - 1e13f64.ln()).abs() < 1e-13);
/// assert_eq!(ln_gamma_diff(7.5, 0.0), 0.0);
/// ```
pub fn ln_gamma_diff(x: f64, m: f64) -> f64 {
    difference(x, m, ln_gamma, |y, ix, iy| {
        // (y−½)ln y − y − (x−½)ln x + x = (x−½)ln(1+m/x) + m(ln y − 1)
        let main = (x - 0.5) * (m / x).ln_1p() + m * (y.ln() - 1.0);
        // Σ B₂ₖ/(2k(2k−1)) (y^(1−2k) − x^(1−2k)); the first difference exactly.
        let (ix2, iy2) = (ix * ix, iy * iy);
        let higher = |i: f64, i2: f64| {
            i * i2
                * (-1.0 / 360.0
                    + i2 * (1.0 / 1260.0
                        + i2 * (-1.0 / 1680.0 + i2 * (1.0 / 1188.0 + i2 * (-691.0 / 360_360.0)))))
        };
        main - m * ix * iy / 12.0 + (higher(iy, iy2) - higher(ix, ix2))
    })
}

/// `f(x + m) − f(x)` for one of the Γ-function family `f`: 0 for m = 0, the
/// plain difference below [`STIRLING_FROM`] or for m > x, else
/// `stirling(y, 1/x, 1/y)` with y = x + m (the difference of `f`'s Stirling
/// series, whose large parts cancel analytically).
#[inline(always)]
fn difference(
    x: f64,
    m: f64,
    f: fn(f64) -> f64,
    stirling: impl FnOnce(f64, f64, f64) -> f64,
) -> f64 {
    if m == 0.0 {
        return 0.0;
    }
    if x < STIRLING_FROM || m > x {
        return f(x + m) - f(x);
    }
    let y = x + m;
    stirling(y, 1.0 / x, 1.0 / y)
}

/// `ψ(x + m) − ψ(x)` for x > 0, m ≥ 0, accurate when m ≪ x (see [`ln_gamma_diff`]).
///
/// ```
/// # use shijing::repurchase::special::digamma_diff;
/// // ψ(x + 3) − ψ(x) = 1/x + 1/(x+1) + 1/(x+2).
/// assert!((digamma_diff(20.0, 3.0) - (1.0 / 20.0 + 1.0 / 21.0 + 1.0 / 22.0)).abs() < 1e-15);
/// assert!((digamma_diff(1e13, 1.0) - 1e-13).abs() < 1e-26);
/// ```
pub fn digamma_diff(x: f64, m: f64) -> f64 {
    difference(x, m, digamma, |_, ix, iy| {
        let (ix2, iy2) = (ix * ix, iy * iy);
        // ψ(x) = ln x − 1/(2x) − Σ B₂ₖ/(2k x^2k)
        let higher = |i2: f64| {
            i2 * (1.0 / 12.0
                - i2 * (1.0 / 120.0
                    - i2 * (1.0 / 252.0
                        - i2 * (1.0 / 240.0 - i2 * (1.0 / 132.0 - i2 * (691.0 / 32_760.0))))))
        };
        (m / x).ln_1p() + 0.5 * m * ix * iy - (higher(iy2) - higher(ix2))
    })
}

/// `ψ₁(x + m) − ψ₁(x)` for x > 0, m ≥ 0, accurate when m ≪ x (see [`ln_gamma_diff`]).
///
/// ```
/// # use shijing::repurchase::special::trigamma_diff;
/// // ψ₁(x + 3) − ψ₁(x) = −(1/x² + 1/(x+1)² + 1/(x+2)²).
/// let sum = 1.0 / 400.0 + 1.0 / 441.0 + 1.0 / 484.0;
/// assert!((trigamma_diff(20.0, 3.0) + sum).abs() < 1e-16);
/// assert!((trigamma_diff(1e13, 1.0) + 1e-26).abs() < 1e-38);
/// ```
pub fn trigamma_diff(x: f64, m: f64) -> f64 {
    difference(x, m, trigamma, |y, ix, iy| {
        let (ix2, iy2) = (ix * ix, iy * iy);
        // ψ₁(x) = 1/x + 1/(2x²) + Σ B₂ₖ/x^(2k+1)
        let higher = |i: f64, i2: f64| {
            i * i2
                * (1.0 / 6.0
                    - i2 * (1.0 / 30.0
                        - i2 * (1.0 / 42.0
                            - i2 * (1.0 / 30.0 - i2 * (5.0 / 66.0 - i2 * (691.0 / 2730.0))))))
        };
        -m * ix * iy - 0.5 * m * (x + y) * ix2 * iy2 + (higher(iy, iy2) - higher(ix, ix2))
    })
}

/// Positive nodes of the 16-point Gauss–Legendre rule on [−1, 1] (the
/// negative ones mirror them), and their weights.
pub(crate) const GL16_NODES: [f64; 8] = [
    0.09501250983763744,
    0.2816035507792589,
    0.45801677765722737,
    0.6178762444026438,
    0.755404408355003,
    0.8656312023878318,
    0.9445750230732326,
    0.9894009349916499,
];
/// Weights of [`GL16_NODES`].
pub(crate) const GL16_WEIGHTS: [f64; 8] = [
    0.18945061045506864,
    0.18260341504492364,
    0.16915651939500265,
    0.1495959888165767,
    0.12462897125553407,
    0.0951585116824926,
    0.062253523938647456,
    0.027152459411754176,
];

/// The 16 nodes and weights of Gauss–Legendre on [lo, hi], in order.
///
/// ```
/// # use shijing::repurchase::special::gl16;
/// // Exact for polynomials of degree ≤ 31: ∫₀¹ x³¹ dx = 1/32, ∫₁³ 1 dx = 2.
/// let rule = gl16(0.0, 1.0);
/// let integral: f64 = rule.iter().map(|&(x, w)| w * x.powi(31)).sum();
/// assert!((integral - 1.0 / 32.0).abs() < 1e-15);
/// assert!((gl16(1.0, 3.0).iter().map(|&(_, w)| w).sum::<f64>() - 2.0).abs() < 1e-14);
/// assert!(rule.windows(2).all(|p| p[0].0 < p[1].0)); // nodes in order
/// ```
#[inline]
pub fn gl16(lo: f64, hi: f64) -> [(f64, f64); 16] {
    on_interval(&GL16_NODES, &GL16_WEIGHTS, lo, hi)
}

/// The `N` = 2`H` nodes and weights on [lo, hi], in order, of the
/// Gauss–Legendre rule whose positive nodes on [−1, 1] are `nodes`.
#[inline]
fn on_interval<const H: usize, const N: usize>(
    nodes: &[f64; H],
    weights: &[f64; H],
    lo: f64,
    hi: f64,
) -> [(f64, f64); N] {
    const { assert!(N == 2 * H, "a rule of N nodes has N/2 positive ones") };
    let mid = 0.5 * (lo + hi);
    let half = 0.5 * (hi - lo);
    let mut out = [(0.0, 0.0); N];
    for k in 0..H {
        let (x, w) = (nodes[k], weights[k] * half);
        out[H - 1 - k] = (mid - half * x, w);
        out[H + k] = (mid + half * x, w);
    }
    out
}

/// Positive nodes of the 8-point Gauss–Legendre rule on [−1, 1] and their weights.
const GL8_NODES: [f64; 4] = [
    0.18343464249564978,
    0.525532409916329,
    0.7966664774136267,
    0.9602898564975362,
];
const GL8_WEIGHTS: [f64; 4] = [
    0.36268378337836166,
    0.3137066458778869,
    0.22238103445337443,
    0.10122853629037706,
];

/// The 8 nodes and weights of Gauss–Legendre on [lo, hi], in order.
///
/// ```
/// # use shijing::repurchase::special::gl8;
/// // Exact for polynomials of degree ≤ 15: ∫₀² x⁵ dx = 64/6, ∫₀¹ x¹⁵ dx = 1/16.
/// let quintic: f64 = gl8(0.0, 2.0).iter().map(|&(x, w)| w * x.powi(5)).sum();
/// assert!((quintic - 64.0 / 6.0).abs() < 1e-13);
/// let fifteen: f64 = gl8(0.0, 1.0).iter().map(|&(x, w)| w * x.powi(15)).sum();
/// assert!((fifteen - 1.0 / 16.0).abs() < 1e-15);
/// ```
#[inline]
pub fn gl8(lo: f64, hi: f64) -> [(f64, f64); 8] {
    on_interval(&GL8_NODES, &GL8_WEIGHTS, lo, hi)
}

// ---------------------------------------------------------------------------
// Gauss–Legendre panels for a positive integrand whose log is concave.

/// Cap on quadrature panels per integral (the panel rule needs at most ~25).
pub(crate) const MAX_PANELS: usize = 96;
/// Largest fall of the log-integrand across one 16-node panel (error below
/// 1e-16 of the panel's integral for an exponential).
const PANEL_DROP: f64 = 15.0;
/// Past this fall from the peak the integrand adds less than 1e-13 of the
/// integral, and 8 nodes per panel are enough.
const COARSE_FROM: f64 = 30.0;
/// A panel across which the log-integrand changes by at most this, and at
/// most [`SMALL_WIDTH`] wide, needs only 8 nodes (error below 1e-15 of its
/// integral; the width keeps the singularities of ln(M−m+e^w), at distance
/// π from the real axis, outside the rule's ellipse of convergence).
const SMALL_DROP: f64 = 3.0;
/// See [`SMALL_DROP`].
const SMALL_WIDTH: f64 = 1.2;
/// Where the integrand has fallen by e^−42 from its peak the quadrature stops.
pub(crate) const CUT: f64 = 42.0;

/// A quadrature panel `[lo, hi]`; `coarse` when 8 nodes are enough (the
/// integrand there is below e^−`COARSE_FROM` (30) of its peak, or changes by at
/// most e^`SMALL_DROP` (e³) across it).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Panel {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Whether 8 nodes are enough.
    pub coarse: bool,
}

/// Panels covering where a concave log-integrand with slope `dphi` is within
/// e^−[`CUT`] of its peak on [l0, l1] (`fall(l)`: its fall from the peak to
/// l), each spanning a fall of at most `PANEL_DROP` and at most `width`
/// wide (analyticity: a 16-node panel of width 6 keeps singularities at
/// distance π outside its ellipse of convergence); returns the number of
/// panels written.
pub(crate) fn concave_panels(
    l0: f64,
    l1: f64,
    fall: &dyn Fn(f64) -> f64,
    dphi: &dyn Fn(f64) -> f64,
    peak: f64,
    width: f64,
    out: &mut [Panel; MAX_PANELS],
) -> usize {
    let mut count = 0;
    for dir in [1.0f64, -1.0] {
        let end = if dir > 0.0 { l1 } else { l0 };
        let (mut a, mut fa) = (peak, 0.0);
        while (end - a) * dir > 0.0 && count < MAX_PANELS {
            let remaining = (end - a) * dir;
            let mut w = remaining.min(width);
            let mut far = if w == remaining { end } else { a + dir * w };
            // |φ'| grows away from the peak: its value at the far end bounds the fall.
            for _ in 0..60 {
                if w * dphi(far).abs() <= PANEL_DROP {
                    break;
                }
                w *= 0.5;
                far = a + dir * w;
            }
            let ff = fall(far);
            out[count] = Panel {
                lo: a.min(far),
                hi: a.max(far),
                coarse: fa > COARSE_FROM
                    || ((ff - fa).abs() <= SMALL_DROP && (far - a).abs() <= SMALL_WIDTH),
            };
            count += 1;
            a = far;
            fa = ff;
            if fa > CUT {
                break;
            }
        }
    }
    count
}

/// Nodes and weights of the 12-point Gauss–Laguerre rule (weight e^−y on [0, ∞)).
pub(crate) const LAGUERRE12: [(f64, f64); 12] = [
    (0.1157221173580205, 0.26473137105543654),
    (0.6117574845151308, 0.3777592758731421),
    (1.512610269776419, 0.24408201131987906),
    (2.833751337743507, 0.09044922221168182),
    (4.5992276394183484, 0.020102381154634218),
    (6.844525453115177, 0.0026639735418653335),
    (9.621316842456867, 0.0002032315926630013),
    (13.006054993306348, 8.365055856819926e-06),
    (17.116855187462257, 1.6684938765409212e-07),
    (22.151090379397004, 1.342391030515004e-09),
    (28.487967250984, 3.0616016350351023e-12),
    (37.09912104446692, 8.148077467426094e-16),
];

/// Nodes and weights of the 6-point Gauss–Laguerre rule (exact for
/// polynomials of degree ≤ 11 under e^−y; mpmath at 50 digits).
pub(crate) const LAGUERRE6: [(f64, f64); 6] = [
    (0.2228466041792607, 0.4589646739499636),
    (1.188932101672623, 0.41700083077212097),
    (2.992736326059314, 0.11337338207404497),
    (5.77514356910451, 0.010399197453149074),
    (9.83746741838259, 0.00026101720281493206),
    (15.982873980601703, 8.985479064296212e-07),
];

/// `expm1(x) / x`, equal to 1 at 0, without cancellation near 0.
///
/// ```
/// # use shijing::repurchase::special::exprel;
/// assert_eq!(exprel(0.0), 1.0);
/// assert!((exprel(1.0) - (std::f64::consts::E - 1.0)).abs() < 1e-15);
/// // Near 0, 1 + x/2 (where (eˣ − 1)/x computed plainly has lost half its digits).
/// assert!((exprel(1e-8) - (1.0 + 5e-9)).abs() < 1e-16);
/// ```
#[inline]
pub fn exprel(x: f64) -> f64 {
    if x.abs() < 1e-5 {
        1.0 + x * (0.5 + x / 6.0)
    } else {
        x.exp_m1() / x
    }
}

/// `1 / (1 + e^v)` without overflow.
///
/// ```
/// # use shijing::repurchase::special::logistic_neg;
/// assert_eq!(logistic_neg(0.0), 0.5);
/// assert!((logistic_neg(2.0) + logistic_neg(-2.0) - 1.0).abs() < 1e-15);
/// // e^1000 overflows; the result does not.
/// assert_eq!(logistic_neg(1000.0), 0.0);
/// assert_eq!(logistic_neg(-1000.0), 1.0);
/// ```
#[inline]
pub fn logistic_neg(v: f64) -> f64 {
    if v > 0.0 {
        let e = (-v).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + v.exp())
    }
}

/// Gauss–Legendre nodes and weights on [−1, 1] (Newton on Pₙ).
///
/// ```
/// # use shijing::repurchase::special::gauss_legendre;
/// // The 3-point rule: nodes 0 and ±√(3/5), weights 8/9 and 5/9.
/// let (xs, ws) = gauss_legendre(3);
/// let mut rule: Vec<(f64, f64)> = xs.into_iter().zip(ws).collect();
/// rule.sort_by(|a, b| a.0.total_cmp(&b.0));
/// let node = (0.6f64).sqrt();
/// let want = [(-node, 5.0 / 9.0), (0.0, 8.0 / 9.0), (node, 5.0 / 9.0)];
/// for ((x, w), (wx, ww)) in rule.iter().zip(want) {
///     assert!((x - wx).abs() < 1e-15 && (w - ww).abs() < 1e-15);
/// }
/// ```
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
    fn gamma_differences_are_accurate_where_the_plain_difference_is_not() {
        // Small x: the plain difference.
        assert!(close(
            ln_gamma_diff(0.5, 3.0),
            (0.5f64 * 1.5 * 2.5).ln(),
            1e-14
        ));
        // Integer steps against sums of logs / reciprocals, over the switch and far beyond.
        for &x in &[14.9, 15.0, 15.1, 40.0, 1e3, 1e7, 1e13] {
            for &m in &[1.0, 2.0, 7.0, 14.0] {
                let lg: f64 = (0..m as usize).map(|j| (x + j as f64).ln()).sum();
                let dg: f64 = (0..m as usize).map(|j| 1.0 / (x + j as f64)).sum();
                let tg: f64 = (0..m as usize).map(|j| -1.0 / (x + j as f64).powi(2)).sum();
                assert!(close(ln_gamma_diff(x, m), lg, 1e-14), "lnΓ {x} {m}");
                assert!(close(digamma_diff(x, m), dg, 1e-13), "ψ {x} {m}");
                assert!(close(trigamma_diff(x, m), tg, 1e-12), "ψ₁ {x} {m}");
            }
        }
        // Non-integer steps: against the plain difference where that is exact enough.
        for &(x, m) in &[(20.0, 0.37), (15.5, 15.0), (100.0, 3.3)] {
            assert!(close(
                ln_gamma_diff(x, m),
                ln_gamma(x + m) - ln_gamma(x),
                1e-13
            ));
            assert!(close(
                digamma_diff(x, m),
                digamma(x + m) - digamma(x),
                1e-12
            ));
            assert!(close(
                trigamma_diff(x, m),
                trigamma(x + m) - trigamma(x),
                1e-10
            ));
        }
    }

    #[test]
    fn gl16_matches_the_computed_rule() {
        // gauss_legendre lists the nodes from +1 down.
        let (xs, ws) = gauss_legendre(16);
        let r = gl16(-1.0, 1.0);
        for k in 0..16 {
            let (x, w) = (xs[15 - k], ws[15 - k]);
            assert!((r[k].0 - x).abs() < 1e-15 && (r[k].1 - w).abs() < 1e-15);
        }
        // Laguerre: ∫ e^−y y^k = k! for k ≤ 23.
        let m: f64 = LAGUERRE12.iter().map(|(y, w)| w * y.powi(7)).sum();
        assert!(close(m, 5040.0, 1e-13));
        // and for k ≤ 11 with six nodes.
        let mut fact = 1.0;
        for k in 0..12 {
            if k > 0 {
                fact *= k as f64;
            }
            let m: f64 = LAGUERRE6.iter().map(|(y, w)| w * y.powi(k)).sum();
            assert!(close(m, fact, 1e-13), "{k}: {m} vs {fact}");
        }
        let v: f64 = gl16(0.0, 2.0).iter().map(|(x, w)| w * x.exp()).sum();
        assert!(close(v, 2f64.exp() - 1.0, 1e-15));
        let (xs, ws) = gauss_legendre(8);
        let r = gl8(-1.0, 1.0);
        for k in 0..8 {
            assert!((r[k].0 - xs[7 - k]).abs() < 1e-15 && (r[k].1 - ws[7 - k]).abs() < 1e-15);
        }
    }

    #[test]
    fn quadrature() {
        let rule = gauss_legendre(16);
        let v: f64 = rule
            .0
            .iter()
            .zip(&rule.1)
            .map(|(x, w)| w * (1.0 + x).exp())
            .sum();
        assert!(close(v, 2f64.exp() - 1.0, 1e-14));
        let w: f64 = rule.1.iter().sum();
        assert!(close(w, 2.0, 1e-14));
    }
}
