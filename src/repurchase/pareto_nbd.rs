//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie note 009):
//! purchase rate λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β).
//!
//! With n = r + x, a customer's likelihood is
//! `L = Γ(n)αʳβˢ/Γ(r) · B`, `B = (α+T)^−n (β+T)^−s + s ∫_{t_x}^T (α+τ)^−n (β+τ)^−(s+1) dτ`
//! (alive at T, or dropped out at some τ after the last purchase). Writing
//! the first term as an integral too gives a sum of two *positive* tail
//! integrals, one depending on (x, t_x) only and one on (x, T) only:
//!
//! `B = s·J(t_x) + n·K(T)`, `J(t) = I(t; n, s+1)`, `K(t) = I(t; n+1, s)`,
//! `I(t; p, q) = ∫_t^∞ (α+τ)^−p (β+τ)^−q dτ`
//!
//! (the rearrangement PyMC-Marketing also uses, without the subtraction of
//! Fader–Hardie's A₀). With M, m the larger and smaller of α, β and P, Q the
//! exponents on them, `I = (M+t)^−P (m+t)^(1−Q) / (P+Q−1) · G(P, P+Q, z)`,
//! `G(b, c, z) = ₂F₁(1, b; c; z) = Σ (b)ₖ/(c)ₖ zᵏ`, `z = (M−m)/(M+t)`: a
//! series of positive terms falling at least as fast as zᵏ. Where z ≤ ½ it is
//! summed (≤ 70 terms); where z > ½ (t small against |α − β|: the series
//! would need ~1/(1−z) terms, unbounded as α/β → 0 or ∞) the integral is
//! split at the τ where z = ½: beyond it, the series; before it, Gauss–Legendre
//! panels in `L = ln((m+τ)/(M−m))`, where the log-integrand
//! `(1−Q)L − P ln(1+e^L)` is concave, so its peak is known in closed form and
//! panels are sized to its slope. Every evaluation is thus bounded (at most
//! [`SERIES_CAP`] terms and [`MAX_PANELS`] panels of 16 nodes) for any
//! parameters, and everything is summed in logs.
//!
//! Derivatives: differentiating under the integral sign, `∂I/I` and `∂²I/I`
//! are moments of the derivatives of `ln((α+τ)^−p (β+τ)^−q)` (quadrature
//! part) or come from the series differentiated term by term (series part);
//! both are combined into the log-likelihood's analytic gradient and Hessian.
//! The log-coordinates (∂/∂r, ∂/∂s) are taken relative to a centre, so the
//! Hessian is a difference of small numbers, not of large ones.
//!
//! The row terms are exposed in θ = (r, α, s, β) coordinates
//! ([`theta_log_likelihood`]) so a model with covariates (customer-specific
//! α and β) can reuse them with its own chain rule.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::data::Rows;
use super::optimize::{Mat4, Objective, Vec4};
use super::special::{digamma_diff, exprel, gl16, ln_gamma_diff, trigamma_diff};
use crate::stats::clamp;

/// Parameters of the Pareto/NBD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate.
    pub alpha: f64,
    /// Gamma shape of the dropout rate.
    pub s: f64,
    /// Gamma rate of the dropout rate.
    pub beta: f64,
}

/// How much of an evaluation is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    /// The value only.
    Value,
    /// Value and gradient.
    Gradient,
    /// Value, gradient and Hessian.
    Hessian,
}

impl Want {
    fn of(grad: bool, hess: bool) -> Want {
        if hess {
            Want::Hessian
        } else if grad {
            Want::Gradient
        } else {
            Want::Value
        }
    }
}

/// A positive integral I(θ) over four coordinates: `ln I`, `∂I/I` and
/// `∂²I/I`, with the entries of the log-coordinates (0 and 2) taken relative
/// to a centre: the derivative of `ln(α+τ)`-type terms is reported as that
/// of `ln((α+τ)/(α+t))`, t the integral's lower end.
#[derive(Debug, Clone, Copy)]
pub struct Moments {
    /// `ln I`.
    pub ln: f64,
    /// `∂I/I` (centred).
    pub d1: Vec4,
    /// `∂²I/I` (centred), symmetric.
    pub d2: Mat4,
}

const ZERO4: Vec4 = [0.0; 4];
const ZERO44: Mat4 = [[0.0; 4]; 4];

impl Moments {
    /// The moments of `I_a + I_b` (same coordinates and centre).
    fn sum(a: &Moments, b: &Moments, want: Want) -> Moments {
        let (ln, wa, wb) = logaddexp_weights(a.ln, b.ln);
        let mut out = Moments {
            ln,
            d1: ZERO4,
            d2: ZERO44,
        };
        if want >= Want::Gradient {
            for i in 0..4 {
                out.d1[i] = wa * a.d1[i] + wb * b.d1[i];
            }
        }
        if want >= Want::Hessian {
            for i in 0..4 {
                for j in 0..4 {
                    out.d2[i][j] = wa * a.d2[i][j] + wb * b.d2[i][j];
                }
            }
        }
        out
    }

    /// The same moments with the log-coordinates' centre moved by `shift`
    /// (`d − c_new = (d − c_old) + shift`).
    fn recentred(&self, shift: &Vec4, want: Want) -> Moments {
        let mut out = *self;
        if want >= Want::Gradient {
            for i in 0..4 {
                out.d1[i] = self.d1[i] + shift[i];
            }
        }
        if want >= Want::Hessian {
            for i in 0..4 {
                for j in 0..4 {
                    out.d2[i][j] = self.d2[i][j]
                        + shift[i] * self.d1[j]
                        + self.d1[i] * shift[j]
                        + shift[i] * shift[j];
                }
            }
        }
        out
    }

    /// Coordinates permuted: entry `i` of `self` becomes entry `perm[i]`.
    fn permuted(&self, perm: [usize; 4]) -> Moments {
        let mut out = Moments {
            ln: self.ln,
            d1: ZERO4,
            d2: ZERO44,
        };
        for i in 0..4 {
            out.d1[perm[i]] = self.d1[i];
            for j in 0..4 {
                out.d2[perm[i]][perm[j]] = self.d2[i][j];
            }
        }
        out
    }
}

/// `ln(e^a + e^b)` and the two weights `e^a`, `e^b` over it.
#[inline]
fn logaddexp_weights(a: f64, b: f64) -> (f64, f64, f64) {
    if a == f64::NEG_INFINITY && b == f64::NEG_INFINITY {
        return (f64::NEG_INFINITY, 0.5, 0.5);
    }
    if a >= b {
        let e = (b - a).exp();
        let inv = 1.0 / (1.0 + e);
        (a + e.ln_1p(), inv, e * inv)
    } else {
        let e = (a - b).exp();
        let inv = 1.0 / (1.0 + e);
        (b + e.ln_1p(), e * inv, inv)
    }
}

/// Largest series argument: beyond it the integral's near part is taken by quadrature.
const Z_SPLIT: f64 = 0.5;
/// Cap on series terms (at z ≤ ½ the terms fall below 1e-20 of the sum by k ≈ 70).
pub const SERIES_CAP: usize = 160;
/// Cap on quadrature panels per integral (the panel rule needs at most ~30).
pub const MAX_PANELS: usize = 96;
/// Largest fall of the log-integrand across one 16-node panel (error < 1e-16 for an exponential).
const PANEL_DROP: f64 = 14.0;
/// Widest panel in L (the log-integrand is analytic within ±π of the real axis).
const PANEL_WIDTH: f64 = 6.0;
/// Where the integrand has fallen by e^−46 from its peak the quadrature stops.
const CUT: f64 = 46.0;

/// `G(b, c, z) = Σ (b)ₖ/(c)ₖ zᵏ` (c > b > 0, 0 ≤ z ≤ ½) with its derivatives,
/// keeping the coefficients and their b- and c-derivative factors for reuse by
/// every customer with the same (b, c), i.e. the same x.
#[derive(Debug, Clone)]
pub struct GSeries {
    b: f64,
    c: f64,
    coef: Vec<f64>,
    sb: Vec<f64>,
    sc: Vec<f64>,
    sbb: Vec<f64>,
    scc: Vec<f64>,
}

impl Default for GSeries {
    fn default() -> Self {
        GSeries {
            b: f64::NAN,
            c: f64::NAN,
            coef: vec![1.0],
            sb: vec![0.0],
            sc: vec![0.0],
            sbb: vec![0.0],
            scc: vec![0.0],
        }
    }
}

impl GSeries {
    /// Starts over for (b, c) unless that is the current pair.
    fn prepare(&mut self, b: f64, c: f64) {
        if b == self.b && c == self.c {
            return;
        }
        self.b = b;
        self.c = c;
        self.coef.truncate(1);
        self.sb.truncate(1);
        self.sc.truncate(1);
        self.sbb.truncate(1);
        self.scc.truncate(1);
    }

    /// Makes sure coefficient `k` is cached.
    #[inline]
    fn ensure(&mut self, k: usize) {
        while self.coef.len() <= k {
            let j = (self.coef.len() - 1) as f64;
            let last = self.coef.len() - 1;
            let (ib, ic) = (1.0 / (self.b + j), 1.0 / (self.c + j));
            self.coef.push(self.coef[last] * (self.b + j) * ic);
            self.sb.push(self.sb[last] + ib);
            self.sc.push(self.sc[last] + ic);
            self.sbb.push(self.sbb[last] + ib * ib);
            self.scc.push(self.scc[last] + ic * ic);
        }
    }

    /// `[G, G_b, G_c, G_z, G_bb, G_bc, G_cc, G_bz, G_cz, G_zz]` at z (the
    /// derivatives only as far as `want` asks; the rest are 0).
    fn eval(&mut self, z: f64, want: Want) -> [f64; 10] {
        let mut o = [0.0; 10];
        o[0] = 1.0;
        let (mut zk1, mut zk2) = (1.0, 0.0); // z^(k−1), z^(k−2)
        for k in 1..SERIES_CAP {
            self.ensure(k);
            let kf = k as f64;
            let ck = self.coef[k];
            let zk = zk1 * z;
            let t = ck * zk;
            o[0] += t;
            if want >= Want::Gradient {
                let (sb, sc) = (self.sb[k], self.sc[k]);
                o[1] += t * sb;
                o[2] -= t * sc;
                o[3] += kf * ck * zk1;
                if want >= Want::Hessian {
                    let (sbb, scc) = (self.sbb[k], self.scc[k]);
                    let dz = kf * ck * zk1;
                    o[4] += t * (sb * sb - sbb);
                    o[5] -= t * sb * sc;
                    o[6] += t * (sc * sc + scc);
                    o[7] += dz * sb;
                    o[8] -= dz * sc;
                    o[9] += kf * (kf - 1.0) * ck * zk2;
                }
            }
            if k >= 2 && t <= 1e-20 * o[0] {
                break;
            }
            zk2 = zk1;
            zk1 = zk;
        }
        o
    }
}

/// `∫_{t_eval}^∞ (M+τ)^−P (m+τ)^−Q dτ` (M ≥ m, z(t_eval) ≤ ½) by the series, in
/// coordinates (P, M, Q, m), the log-coordinates centred at `t_start` ≤ `t_eval`.
#[allow(clippy::too_many_arguments)]
fn series_part(
    pp: f64,
    qq: f64,
    big: f64,
    small: f64,
    t_start: f64,
    t_eval: f64,
    g: &mut GSeries,
    want: Want,
) -> Moments {
    let (ab, as_) = (big + t_eval, small + t_eval);
    let (lm, ls) = (ab.ln(), as_.ln());
    let rho = pp + qq - 1.0;
    let z = (big - small) / ab;
    g.prepare(pp, pp + qq);
    let gv = g.eval(z, want);
    let ln = -pp * lm + (1.0 - qq) * ls - rho.ln() + gv[0].ln();
    let mut out = Moments {
        ln,
        d1: ZERO4,
        d2: ZERO44,
    };
    if want == Want::Value {
        return out;
    }
    let ig = 1.0 / gv[0];
    let (gb, gc, gz) = (gv[1] * ig, gv[2] * ig, gv[3] * ig);
    let (ia, ib) = (1.0 / ab, 1.0 / as_);
    let z_big = (1.0 - z) * ia;
    let z_small = -ia;
    let irho = 1.0 / rho;
    // Centred: −ln((M+t_eval)/(M+t_start)) instead of −ln(M+t_eval).
    let dt = t_eval - t_start;
    let cm = (dt / (big + t_start)).ln_1p();
    let cs = (dt / (small + t_start)).ln_1p();
    let d1 = [
        -cm - irho + gb + gc,
        -pp * ia + gz * z_big,
        -cs - irho + gc,
        (1.0 - qq) * ib + gz * z_small,
    ];
    out.d1 = d1;
    if want == Want::Hessian {
        let gbb = gv[4] * ig - gb * gb;
        let gbc = gv[5] * ig - gb * gc;
        let gcc = gv[6] * ig - gc * gc;
        let gbz = gv[7] * ig - gb * gz;
        let gcz = gv[8] * ig - gc * gz;
        let gzz = gv[9] * ig - gz * gz;
        let ir2 = irho * irho;
        let mut h = ZERO44;
        h[0][0] = ir2 + gbb + 2.0 * gbc + gcc;
        h[0][2] = ir2 + gbc + gcc;
        h[2][2] = ir2 + gcc;
        h[0][1] = (gbz + gcz) * z_big - ia;
        h[0][3] = (gbz + gcz) * z_small;
        h[1][2] = gcz * z_big;
        h[2][3] = gcz * z_small - ib;
        h[1][1] = pp * ia * ia + gzz * z_big * z_big - 2.0 * gz * z_big * ia;
        h[1][3] = gzz * z_big * z_small + gz * ia * ia;
        h[3][3] = -(1.0 - qq) * ib * ib + gzz * z_small * z_small;
        for i in 0..4 {
            for j in 0..i {
                h[i][j] = h[j][i];
            }
        }
        // ln-Hessian → ∂²I/I with the centred gradient.
        for i in 0..4 {
            for j in 0..4 {
                out.d2[i][j] = h[i][j] + d1[i] * d1[j];
            }
        }
    }
    out
}

/// Panels `[lo, hi]` covering where a concave log-integrand with slope `dphi`
/// is within e^−[`CUT`] of its peak on [l0, l1], each spanning a fall of at
/// most [`PANEL_DROP`] and a width of at most [`PANEL_WIDTH`]; returns the
/// number of panels written and the peak.
fn panels(
    l0: f64,
    l1: f64,
    phi: &dyn Fn(f64) -> f64,
    dphi: &dyn Fn(f64) -> f64,
    peak: f64,
    out: &mut [(f64, f64); MAX_PANELS],
) -> usize {
    let fmax = phi(peak);
    let mut count = 0;
    for dir in [1.0f64, -1.0] {
        let end = if dir > 0.0 { l1 } else { l0 };
        let mut a = peak;
        while (end - a) * dir > 0.0 && count < MAX_PANELS {
            let remaining = (end - a) * dir;
            let mut w = remaining.min(PANEL_WIDTH);
            let mut far = if w == remaining { end } else { a + dir * w };
            for _ in 0..60 {
                if w * dphi(far).abs() <= PANEL_DROP {
                    break;
                }
                w *= 0.5;
                far = a + dir * w;
            }
            out[count] = if dir > 0.0 { (a, far) } else { (far, a) };
            count += 1;
            a = far;
            if fmax - phi(a) > CUT {
                break;
            }
        }
    }
    count
}

/// `∫_t^{t1} (M+τ)^−P (m+τ)^−Q dτ` (M > m) by Gauss–Legendre panels in
/// `L = ln((m+τ)/(M−m))`, coordinates (P, M, Q, m) centred at t.
fn quadrature_part(pp: f64, qq: f64, big: f64, small: f64, t: f64, t1: f64, want: Want) -> Moments {
    let d = big - small;
    let ld = d.ln();
    let l0 = ((small + t) / d).ln();
    let l1 = ((small + t1) / d).ln();
    let a1 = 1.0 - qq;
    let phi = |l: f64| a1 * l - pp * l.exp().ln_1p();
    let sigmoid = |l: f64| {
        if l < 0.0 {
            let e = l.exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + (-l).exp())
        }
    };
    let dphi = |l: f64| a1 - pp * sigmoid(l);
    let peak = if dphi(l0) <= 0.0 {
        l0
    } else if dphi(l1) >= 0.0 {
        l1
    } else {
        let sg = a1 / pp;
        clamp((sg / (1.0 - sg)).ln(), l0, l1)
    };
    let mut list = [(0.0, 0.0); MAX_PANELS];
    let count = panels(l0, l1, &phi, &dphi, peak, &mut list);
    let fmax = phi(peak);
    let lp0 = l0.exp().ln_1p();
    let (mut s0, mut s1, mut s2) = (0.0, ZERO4, ZERO44);
    for &(lo, hi) in &list[..count] {
        for (l, w) in gl16(lo, hi) {
            let e = l.exp();
            let lp = e.ln_1p();
            let wt = w * (a1 * l - pp * lp - fmax).exp();
            s0 += wt;
            if want == Want::Value {
                continue;
            }
            let ia = 1.0 / (d * (1.0 + e)); // 1/(M+τ)
            let ib = 1.0 / (d * e); // 1/(m+τ)
            let dv = [-(lp - lp0), -pp * ia, -(l - l0), -qq * ib];
            for i in 0..4 {
                s1[i] += wt * dv[i];
            }
            if want == Want::Hessian {
                for i in 0..4 {
                    for j in i..4 {
                        s2[i][j] += wt * dv[i] * dv[j];
                    }
                }
                s2[0][1] -= wt * ia;
                s2[1][1] += wt * pp * ia * ia;
                s2[2][3] -= wt * ib;
                s2[3][3] += wt * qq * ib * ib;
            }
        }
    }
    let mut out = Moments {
        ln: (1.0 - pp - qq) * ld + fmax + s0.ln(),
        d1: ZERO4,
        d2: ZERO44,
    };
    if want >= Want::Gradient {
        for i in 0..4 {
            out.d1[i] = s1[i] / s0;
        }
    }
    if want == Want::Hessian {
        for i in 0..4 {
            for j in i..4 {
                out.d2[i][j] = s2[i][j] / s0;
                out.d2[j][i] = out.d2[i][j];
            }
        }
    }
    out
}

/// `∫_t^∞ (M+τ)^−P (m+τ)^−Q dτ` (M ≥ m, P + Q > 1), coordinates (P, M, Q, m)
/// centred at t.
fn tail_integral(
    pp: f64,
    qq: f64,
    big: f64,
    small: f64,
    t: f64,
    g: &mut GSeries,
    want: Want,
) -> Moments {
    let z = (big - small) / (big + t);
    if z <= Z_SPLIT {
        return series_part(pp, qq, big, small, t, t, g, want);
    }
    // z(t1) = ½.
    let t1 = (big - small) / Z_SPLIT - big;
    let near = quadrature_part(pp, qq, big, small, t, t1, want);
    let far = series_part(pp, qq, big, small, t, t1, g, want);
    Moments::sum(&near, &far, want)
}

/// Which of the two integrals of a customer's bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `J(t) = I(t; n, s+1)` (dropout after the last purchase).
    J,
    /// `K(t) = I(t; n+1, s)` (a next purchase before dropout).
    K,
}

impl ParetoParams {
    /// `J` or `K` at t for customers with x repeat purchases, in θ = (r, α, s, β)
    /// coordinates, centred at t: the r and s entries are those of
    /// `ln((α+τ)/(α+t))` and `ln((β+τ)/(β+t))`.
    pub fn integral(&self, which: Which, x: f64, t: f64, g: &mut GSeries, want: Want) -> Moments {
        let n = self.r + x;
        let (p, q) = match which {
            Which::J => (n, self.s + 1.0),
            Which::K => (n + 1.0, self.s),
        };
        if self.alpha >= self.beta {
            tail_integral(p, q, self.alpha, self.beta, t, g, want)
        } else {
            // (P, M, Q, m) = (q, β, p, α): s, β, r, α.
            tail_integral(q, p, self.beta, self.alpha, t, g, want).permuted([2, 3, 0, 1])
        }
    }

    /// `(ln(s·J(t_x)), ln(n·K(T)))`: the two parts of the bracket B.
    fn bracket_parts(&self, x: f64, tx: f64, t: f64) -> (f64, f64) {
        let mut g = GSeries::default();
        let j = self.integral(Which::J, x, tx, &mut g, Want::Value);
        let k = self.integral(Which::K, x, t, &mut g, Want::Value);
        (self.s.ln() + j.ln, (self.r + x).ln() + k.ln)
    }

    /// Per-customer log-likelihood.
    pub fn log_likelihood(&self, x: f64, tx: f64, t: f64) -> f64 {
        let (lj, lk) = self.bracket_parts(x, tx, t);
        ln_gamma_diff(self.r, x)
            + self.r * self.alpha.ln()
            + self.s * self.beta.ln()
            + logaddexp_weights(lj, lk).0
    }

    /// P(alive at T | x, t_x, T) = (α+T)^−n (β+T)^−s / B, in logs.
    pub fn probability_alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        let (lj, lk) = self.bracket_parts(x, tx, t);
        let ln_alive = -(self.r + x) * (self.alpha + t).ln() - self.s * (self.beta + t).ln();
        clamp((ln_alive - logaddexp_weights(lj, lk).0).exp(), 0.0, 1.0)
    }

    /// E[purchases in (T, T+h] | x, t_x, T] = P(alive)·E[… | alive at T].
    pub fn expected_purchases(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        self.probability_alive(x, tx, t) * self.expected_if_alive(h, x, t)
    }

    /// E[purchases in (T, T+h] | alive at T] =
    /// (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+h))^(s−1)], the bracket over
    /// (s−1) computed as `−ln q·exprel((s−1)ln q)` (exact at s = 1).
    pub fn expected_if_alive(&self, h: f64, x: f64, t: f64) -> f64 {
        let big_b = self.beta + t;
        let ln_q = -(h / big_b).ln_1p();
        (self.r + x) / (self.alpha + t) * big_b * (-ln_q) * exprel((self.s - 1.0) * ln_q)
    }

    /// P(at least one purchase in (T, T+h] | x, t_x, T) = P(alive)·P(… | alive at T).
    pub fn probability_of_repurchase(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        clamp(
            self.probability_alive(x, tx, t) * self.repurchase_if_alive(h, x, t),
            0.0,
            1.0,
        )
    }

    /// P(≥ 1 purchase in (T, T+h] | alive at T): the chance that the next
    /// purchase comes before dropout and within h,
    /// `n(α+T)ⁿ(β+T)ˢ ∫_T^{T+h} (α+τ)^−(n+1) (β+τ)^−s dτ = n(α+T)ⁿ(β+T)ˢ [K(T) − K(T+h)]`.
    /// When K(T+h) > K(T)/2 (short h) the difference would cancel, and the
    /// integral over (T, T+h] is taken directly instead.
    pub fn repurchase_if_alive(&self, h: f64, x: f64, t: f64) -> f64 {
        let n = self.r + x;
        let s = self.s;
        let big_a = self.alpha + t;
        let big_b = self.beta + t;
        let mut g = GSeries::default();
        let k0 = self.integral(Which::K, x, t, &mut g, Want::Value).ln;
        let k1 = self.integral(Which::K, x, t + h, &mut g, Want::Value).ln;
        let ln_pref = n.ln() + n * big_a.ln() + s * big_b.ln();
        let ratio_ln = k1 - k0;
        if ratio_ln < -std::f64::consts::LN_2 {
            let value = (ln_pref + k0).exp() * -ratio_ln.exp_m1();
            return clamp(value, 0.0, 1.0);
        }
        // Short horizon: the integrand falls by at most a factor ~2 over (0, h],
        // so a few panels are exact.
        let drop = h * (n + 1.0) / big_a + h * s / big_b;
        let count = (drop.ceil() as usize).clamp(1, 64);
        let width = h / count as f64;
        let mut p = 0.0;
        for i in 0..count {
            let lo = width * i as f64;
            for (u, w) in gl16(lo, lo + width) {
                p += w
                    * (n / big_a)
                    * (-(n + 1.0) * (u / big_a).ln_1p() - s * (u / big_b).ln_1p()).exp();
            }
        }
        clamp(p, 0.0, 1.0)
    }
}

/// The total log-likelihood of compressed customers and, as `want` asks, its
/// gradient and Hessian in θ = (r, α, s, β) coordinates.
pub fn theta_log_likelihood(rows: &Rows, p: &ParetoParams, want: Want) -> (f64, Vec4, Mat4) {
    let ParetoParams { r, alpha, s, beta } = *p;
    let (ln_alpha, ln_beta) = (alpha.ln(), beta.ln());
    let ln_s = s.ln();
    let mut f = 0.0;
    let mut g = ZERO4;
    let mut h = ZERO44;
    let mut gj = GSeries::default();
    let mut gk = GSeries::default();
    // K depends on (x, T): cached per T index, stamped with its x group.
    let blank = Moments {
        ln: 0.0,
        d1: ZERO4,
        d2: ZERO44,
    };
    let mut k_cache: Vec<(usize, Moments)> = vec![(usize::MAX, blank); rows.times.len()];
    for (gi, &(x, start, end, wg)) in rows.groups.iter().enumerate() {
        let n = r + x;
        let ln_n = n.ln();
        // x-only terms: lnΓ(r+x) − lnΓ(r) + r ln α + s ln β.
        f += wg * (ln_gamma_diff(r, x) + r * ln_alpha + s * ln_beta);
        if want >= Want::Gradient {
            g[0] += wg * (digamma_diff(r, x) + ln_alpha);
            g[1] += wg * r / alpha;
            g[2] += wg * ln_beta;
            g[3] += wg * s / beta;
        }
        if want == Want::Hessian {
            h[0][0] += wg * trigamma_diff(r, x);
            h[0][1] += wg / alpha;
            h[1][1] -= wg * r / (alpha * alpha);
            h[2][3] += wg / beta;
            h[3][3] -= wg * s / (beta * beta);
        }
        // J depends on (x, t_x): rows are sorted by t_x within x.
        let mut j_last: (u32, Moments) = (u32::MAX, blank);
        for i in start..end {
            let (Some(&w), Some(&ix), Some(&it)) = (rows.w.get(i), rows.tx.get(i), rows.t.get(i))
            else {
                continue;
            };
            let (Some(&tx), Some(&tt)) = (rows.times.get(ix as usize), rows.times.get(it as usize))
            else {
                continue;
            };
            if j_last.0 != ix {
                j_last = (ix, p.integral(Which::J, x, tx, &mut gj, want));
            }
            let km = match k_cache.get_mut(it as usize) {
                Some(slot) => {
                    if slot.0 != gi {
                        *slot = (gi, p.integral(Which::K, x, tt, &mut gk, want));
                    }
                    slot.1
                }
                None => p.integral(Which::K, x, tt, &mut gk, want),
            };
            let jm = &j_last.1;
            let (lnb, wj, wk) = logaddexp_weights(ln_s + jm.ln, ln_n + km.ln);
            f += w * lnb;
            if want == Want::Value {
                continue;
            }
            // K's moments re-centred from T to t_x.
            let shift = [
                -((tt - tx) / (alpha + tx)).ln_1p(),
                0.0,
                -((tt - tx) / (beta + tx)).ln_1p(),
                0.0,
            ];
            let km = km.recentred(&shift, want);
            // ∂B/B (centred at t_x): B = s·J + n·K, ∂s/∂s = 1, ∂n/∂r = 1.
            let mut gb = ZERO4;
            for k in 0..4 {
                gb[k] = wj * jm.d1[k] + wk * km.d1[k];
            }
            gb[2] += wj / s;
            gb[0] += wk / n;
            // Un-centred gradient of ln B: + (−ln(α+t_x), 0, −ln(β+t_x), 0).
            g[0] += w * (gb[0] - (alpha + tx).ln());
            g[1] += w * gb[1];
            g[2] += w * (gb[2] - (beta + tx).ln());
            g[3] += w * gb[3];
            if want == Want::Hessian {
                for a in 0..4 {
                    for b in a..4 {
                        let mut v = wj * jm.d2[a][b] + wk * km.d2[a][b];
                        if a == 2 {
                            v += wj * jm.d1[b] / s;
                        }
                        if b == 2 {
                            v += wj * jm.d1[a] / s;
                        }
                        if a == 0 {
                            v += wk * km.d1[b] / n;
                        }
                        if b == 0 {
                            v += wk * km.d1[a] / n;
                        }
                        h[a][b] += w * (v - gb[a] * gb[b]);
                    }
                }
            }
        }
    }
    for a in 0..4 {
        for b in 0..a {
            h[a][b] = h[b][a];
        }
    }
    (f, g, h)
}

/// The Pareto/NBD log-likelihood objective over φ = ln(r, α, s, β).
pub struct ParetoObjective<'a> {
    /// Compressed customers.
    pub rows: &'a Rows,
}

impl Objective for ParetoObjective<'_> {
    fn dim(&self) -> usize {
        4
    }

    fn analytic_hessian(&self) -> bool {
        true
    }

    fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        let theta = [phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp()];
        let p = ParetoParams {
            r: theta[0],
            alpha: theta[1],
            s: theta[2],
            beta: theta[3],
        };
        let want = Want::of(grad.is_some(), hess.is_some());
        let (f, g, h) = theta_log_likelihood(self.rows, &p, want);
        to_log_coordinates(&theta, &g, &h, grad, hess);
        f
    }
}

/// θ-space gradient and Hessian → φ = ln θ: `θᵢgᵢ` and `θᵢθⱼHᵢⱼ + δᵢⱼθᵢgᵢ`.
pub fn to_log_coordinates(
    theta: &Vec4,
    g: &Vec4,
    h: &Mat4,
    grad: Option<&mut Vec4>,
    hess: Option<&mut Mat4>,
) {
    if let Some(gr) = grad {
        for i in 0..4 {
            gr[i] = theta[i] * g[i];
        }
    }
    if let Some(he) = hess {
        for i in 0..4 {
            for j in 0..4 {
                he[i][j] =
                    theta[i] * theta[j] * h[i][j] + if i == j { theta[i] * g[i] } else { 0.0 };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repurchase::optimize::full_eval;

    /// `∫_t^∞ (M+τ)^−P (m+τ)^−Q dτ` by brute force, independently of the
    /// code under test: Gauss–Legendre panels in w = ln(m+τ), each at most
    /// 0.05 wide and spanning a log-integrand change of at most 0.5, up to
    /// where the integrand has fallen by e^−60 past the knee, plus the
    /// power-law tail beyond (where M+τ ≈ m+τ to e^−40). Returns the log.
    fn brute(pp: f64, qq: f64, big: f64, small: f64, t: f64) -> f64 {
        let d = big - small;
        let rho = pp + qq - 1.0;
        let w0 = (small + t).ln();
        let wmax = w0.max(d.max(1e-300).ln()) + 60.0 / rho + 40.0;
        let slope = |w: f64| (1.0 - qq) - pp * w.exp() / (d + w.exp());
        let lf = |w: f64| (1.0 - qq) * w - pp * (d + w.exp()).ln();
        // Σ in logs (running maximum), as heavy buyers' integrands underflow.
        let (mut s, mut top) = (0.0, lf(w0));
        let mut add = |l: f64, q: f64| {
            if l > top {
                s *= (top - l).exp();
                top = l;
            }
            s += q * (l - top).exp();
        };
        let mut w = w0;
        while w < wmax {
            let step = (0.5 / slope(w).abs().max(1e-9)).min(0.05).min(wmax - w);
            for (v, q) in gl16(w, w + step) {
                add(lf(v), q);
            }
            w += step;
        }
        add(-rho * wmax - rho.ln(), 1.0);
        top + s.ln()
    }

    #[test]
    fn tail_integral_matches_brute_force_in_every_regime() {
        let mut g = GSeries::default();
        // (P, Q, M, m, t): z ≈ 0, z = ½ exactly, z → 1 (ratio 1e6, 1e12), heavy
        // buyers (P or Q ≈ 1e4), a rising-then-falling integrand (Q < 1), tiny P.
        let cases = [
            (0.6, 1.6, 11.7, 10.6, 0.0),
            (2.0, 1.3, 3.0, 1.0, 1.0),
            (0.6, 1.6, 100.0, 1.0, 0.0),
            (0.6, 1.6, 100.0, 1.0, 30.0),
            (1.3, 0.5, 1e6, 1.0, 0.0),
            (1.3, 0.5, 1e6, 1.0, 7.0),
            (1.5, 0.1, 1e12, 1e-1, 0.0),
            (10_000.5, 1.3, 50.0, 1.0, 2.0),
            (1.3, 10_000.5, 50.0, 1.0, 2.0),
            (1e-9, 1.3, 1e4, 1.0, 0.0),
            (2.0, 1e-9, 1e4, 1.0, 0.5),
        ];
        for &(pp, qq, big, small, t) in &cases {
            let got = tail_integral(pp, qq, big, small, t, &mut g, Want::Value).ln;
            let want = brute(pp, qq, big, small, t);
            assert!(
                (got - want).abs() < 2e-13 * want.abs().max(1.0),
                "P {pp} Q {qq} M {big} m {small} t {t}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn tail_integral_derivatives_match_differences() {
        let mut g = GSeries::default();
        for &(pp, qq, big, small, t) in &[
            (0.6, 1.6, 11.7, 10.6, 3.0),
            (0.6, 1.6, 100.0, 1.0, 0.0),
            (1.3, 0.5, 1e4, 1.0, 2.0),
            (30.5, 1.3, 50.0, 1.0, 2.0),
        ] {
            let x = [pp, big, qq, small];
            let eval = |x: &[f64; 4], g: &mut GSeries, want| {
                tail_integral(x[0], x[2], x[1], x[3], t, g, want)
            };
            let m = eval(&x, &mut g, Want::Hessian);
            // Centred ln-derivatives: ∂ ln I = d1 + centre, centre = (−ln(M+t), 0, −ln(m+t), 0).
            let centre = [-(big + t).ln(), 0.0, -(small + t).ln(), 0.0];
            for i in 0..4 {
                let e = 1e-6 * x[i];
                let (mut xp, mut xm) = (x, x);
                xp[i] += e;
                xm[i] -= e;
                let (mp, mm) = (
                    eval(&xp, &mut g, Want::Gradient),
                    eval(&xm, &mut g, Want::Gradient),
                );
                let num = (mp.ln - mm.ln) / (2.0 * e);
                let ana = m.d1[i] + centre[i];
                assert!(
                    (num - ana).abs() < 1e-6 * (1.0 + ana.abs()),
                    "d{i} {num} vs {ana} at {x:?}"
                );
                for j in 0..4 {
                    // ∂(∂ ln I/∂x_j)/∂x_i, with ∂ ln I/∂x_j = d1_j + centre_j (centre_j depends on M or m).
                    let cj = |xx: &[f64; 4]| match j {
                        0 => -(xx[1] + t).ln(),
                        2 => -(xx[3] + t).ln(),
                        _ => 0.0,
                    };
                    let hn = ((mp.d1[j] + cj(&xp)) - (mm.d1[j] + cj(&xm))) / (2.0 * e);
                    let ha = m.d2[i][j] - m.d1[i] * m.d1[j];
                    assert!(
                        (hn - ha).abs() < 2e-5 * (1.0 + ha.abs()),
                        "h{i}{j} {hn} vs {ha} at {x:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn gradient_and_hessian_match_differences_on_both_branches() {
        // Rows sharing (x, t_x) and (x, T), so the cached integrals are reused;
        // a heavy buyer; t_x = 0 rows.
        let rows = Rows::new(
            &[0.0, 2.0, 2.0, 2.0, 26.0, 1.0, 300.0],
            &[0.0, 30.4, 30.4, 3.0, 30.9, 3.0, 38.0],
            &[38.9, 38.9, 31.0, 38.9, 31.0, 10.0, 38.9],
            Some(&[3.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0]),
        );
        let obj = ParetoObjective { rows: &rows };
        for phi in [
            [-0.6f64, 2.36, -0.5, 2.46],
            [-0.6, 2.46, -0.5, 2.36],
            [0.3, 4.6, 1.0, 0.0],
            [0.3, 0.0, -1.2, 4.6],
        ] {
            let (f, g, h) = full_eval(&obj, &phi);
            let p = ParetoParams {
                r: phi[0].exp(),
                alpha: phi[1].exp(),
                s: phi[2].exp(),
                beta: phi[3].exp(),
            };
            let direct = 3.0 * p.log_likelihood(0.0, 0.0, 38.9)
                + p.log_likelihood(2.0, 30.4, 38.9)
                + p.log_likelihood(2.0, 30.4, 31.0)
                + p.log_likelihood(2.0, 3.0, 38.9)
                + 2.0 * p.log_likelihood(26.0, 30.9, 31.0)
                + p.log_likelihood(1.0, 3.0, 10.0)
                + p.log_likelihood(300.0, 38.0, 38.9);
            assert!((direct - f).abs() < 1e-10 * f.abs(), "{direct} vs {f}");
            for i in 0..4 {
                let e = 1e-6;
                let (mut pp, mut pm) = (phi, phi);
                pp[i] += e;
                pm[i] -= e;
                let (mut gp, mut gm) = ([0.0; 4], [0.0; 4]);
                let fp = obj.eval(&pp, Some(&mut gp), None);
                let fm = obj.eval(&pm, Some(&mut gm), None);
                let num = (fp - fm) / (2.0 * e);
                assert!(
                    (num - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()),
                    "g{i}: {num} vs {} at {phi:?}",
                    g[i]
                );
                for j in 0..4 {
                    let hn = (gp[j] - gm[j]) / (2.0 * e);
                    assert!(
                        (hn - h[i][j]).abs() < 1e-5 * (1.0 + h[i][j].abs()),
                        "h{i}{j}: {hn} vs {} at {phi:?}",
                        h[i][j]
                    );
                }
            }
        }
    }
}
