//! The tail integral `∫_t^∞ (M+τ)^−P (m+τ)^−Q dτ` behind a Pareto/NBD
//! customer's likelihood, and its derivatives: a hypergeometric series where
//! it converges fast, Gauss quadrature on concave panels elsewhere.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use crate::repurchase::optimize::{Mat4, Vec4};
use crate::repurchase::special::{
    concave_panels, gl16, gl8, Panel, CUT, LAGUERRE12, LAGUERRE6, MAX_PANELS,
};
use crate::stats::clamp;

/// How much of an evaluation is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Want {
    /// The value only.
    Value,
    /// Value and gradient.
    Gradient,
    /// Value, gradient and Hessian.
    Hessian,
}

impl Want {
    pub(super) fn of(grad: bool, hess: bool) -> Want {
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
pub(crate) struct Moments {
    /// `ln I`.
    pub ln: f64,
    /// `∂I/I` (centred).
    pub d1: Vec4,
    /// `∂²I/I` (centred), symmetric.
    pub d2: Mat4,
}

pub(super) const ZERO4: Vec4 = [0.0; 4];
pub(super) const ZERO44: Mat4 = [[0.0; 4]; 4];

impl Moments {
    /// `ln I` alone, its derivatives zero (to be filled in).
    pub(super) fn of_ln(ln: f64) -> Moments {
        Moments {
            ln,
            d1: ZERO4,
            d2: ZERO44,
        }
    }

    /// The moments of `I_a + I_b` (same coordinates and centre).
    pub(super) fn sum(a: &Moments, b: &Moments, want: Want) -> Moments {
        let (ln, wa, wb) = logaddexp_weights(a.ln, b.ln);
        let mut out = Moments::of_ln(ln);
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
    pub(super) fn recentred(&self, shift: &Vec4, want: Want) -> Moments {
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
    pub(super) fn permuted(&self, perm: [usize; 4]) -> Moments {
        let mut out = Moments::of_ln(self.ln);
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
pub(super) fn logaddexp_weights(a: f64, b: f64) -> (f64, f64, f64) {
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

/// Widest quadrature panel in w (the log-integrand is analytic within ±π of
/// the real axis).
const PANEL_WIDTH: f64 = 6.0;
/// Largest series argument: beyond it the integral's near part is taken by quadrature.
const Z_SPLIT: f64 = 0.5;
/// Cap on series terms (at z ≤ ½ the terms fall below 1e-20 of the sum by k ≈ 70).
pub(crate) const SERIES_CAP: usize = 160;

/// `G(b, c, z) = Σ (b)ₖ/(c)ₖ zᵏ` (c > b > 0, 0 ≤ z ≤ ½) with its derivatives,
/// keeping the coefficients and their b- and c-derivative factors for reuse by
/// every customer with the same (b, c), i.e. the same x.
#[derive(Debug, Clone)]
pub(crate) struct GSeries {
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

/// The exponents of an integrand `M^ρ_M m^ρ_m (M+τ)^−(ρ_M+k_M) (m+τ)^−(ρ_m+k_m)`
/// (M ≥ m): shape parameters ρ, which the coordinates P and Q are, and fixed
/// offsets k (counts of purchases, or 0 and 1). Keeping the prefactor
/// `M^ρ_M m^ρ_m` inside the integral lets every term be computed without
/// cancellation when a shape and its rate are both huge (r, α → ∞ together):
/// `ρ ln M − ρ ln(M+τ)` is `−ρ ln(1+τ/M)`, `ρ/M − ρ/(M+τ)` is `ρτ/(M(M+τ))`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Exps {
    /// ρ_M.
    pub rb: f64,
    /// k_M.
    pub kb: f64,
    /// ρ_m.
    pub rs: f64,
    /// k_m.
    pub ks: f64,
}

impl Exps {
    pub(super) fn p(&self) -> f64 {
        self.rb + self.kb
    }
    pub(super) fn q(&self) -> f64 {
        self.rs + self.ks
    }
}

/// The part `∫_{t_eval}^∞` (z(t_eval) ≤ ½) of the integral of [`Exps`] by the
/// series, in coordinates (ρ_M, M, ρ_m, m), the log-coordinates centred at
/// `t_start` ≤ `t_eval`: `ln(M^ρ_M m^ρ_m I) = −ρ_M ln(1+t/M) − ρ_m ln(1+t/m)
/// − k_M ln(M+t) + (1−k_m) ln(m+t) − ln(P+Q−1) + ln G(P, P+Q, z)` at t = t_eval.
#[allow(clippy::too_many_arguments)]
pub(super) fn series_part(
    e: &Exps,
    big: f64,
    small: f64,
    t_start: f64,
    t_eval: f64,
    g: &mut GSeries,
    want: Want,
) -> Moments {
    let (pp, qq) = (e.p(), e.q());
    let t = t_eval;
    let (ab, as_) = (big + t, small + t);
    let rho = pp + qq - 1.0;
    let z = (big - small) / ab;
    g.prepare(pp, pp + qq);
    let gv = g.eval(z, want);
    let ln = -e.rb * (t / big).ln_1p() - e.rs * (t / small).ln_1p() - e.kb * ab.ln()
        + (1.0 - e.ks) * as_.ln()
        - rho.ln()
        + gv[0].ln();
    let mut out = Moments::of_ln(ln);
    if want == Want::Value {
        return out;
    }
    let ig = 1.0 / gv[0];
    let (gb, gc, gz) = (gv[1] * ig, gv[2] * ig, gv[3] * ig);
    let (ia, ib) = (1.0 / ab, 1.0 / as_);
    let z_big = (1.0 - z) * ia;
    let z_small = -ia;
    let irho = 1.0 / rho;
    // Centred: −ln((M+t_eval)/(M+t_start)) instead of −ln(1+t_eval/M).
    let dt = t_eval - t_start;
    let cm = (dt / (big + t_start)).ln_1p();
    let cs = (dt / (small + t_start)).ln_1p();
    let (tb, ts) = (t / big, t / small);
    let d1 = [
        -cm - irho + gb + gc,
        (e.rb * tb - e.kb) * ia + gz * z_big,
        -cs - irho + gc,
        (e.rs * ts + 1.0 - e.ks) * ib + gz * z_small,
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
        h[0][1] = (gbz + gcz) * z_big + tb * ia;
        h[0][3] = (gbz + gcz) * z_small;
        h[1][2] = gcz * z_big;
        h[2][3] = gcz * z_small + ts * ib;
        h[1][1] = -e.rb * tb * (2.0 + tb) * ia * ia + e.kb * ia * ia + gzz * z_big * z_big
            - 2.0 * gz * z_big * ia;
        h[1][3] = gzz * z_big * z_small + gz * ia * ia;
        h[3][3] =
            -e.rs * ts * (2.0 + ts) * ib * ib - (1.0 - e.ks) * ib * ib + gzz * z_small * z_small;
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

/// The part `∫_t^{t1}` (M ≥ m) of the integral of [`Exps`] by Gauss–Legendre
/// panels in `w = ln(m+τ)`, where the log-integrand `(1−Q)w − P ln(M−m+e^w)`
/// (up to a constant) is concave; coordinates (ρ_M, M, ρ_m, m), centred at t.
pub(super) fn quadrature_part(
    e: &Exps,
    big: f64,
    small: f64,
    t: f64,
    t1: f64,
    want: Want,
) -> Moments {
    let (pp, qq) = (e.p(), e.q());
    let d = big - small;
    let (mb, ms) = (big + t, small + t);
    // Offsets u = w − ln(m+t) from the lower end: with exponents of 1e13,
    // node positions must be exact relative to each other, which absolute
    // w ≈ 30 (ulp 4e-15) is not.
    let u1 = ((t1 - t) / ms).ln_1p();
    let a1 = 1.0 - qq;
    // (m+τ)/(M+τ) at u.
    let ratio = |u: f64| 1.0 / (1.0 + d / (ms * u.exp()));
    let dphi = |u: f64| a1 - pp * ratio(u);
    let peak = if dphi(0.0) <= 0.0 {
        0.0
    } else if dphi(u1) >= 0.0 {
        u1
    } else {
        // Here d > 0 (with M = m the slope is 1−Q−P < 0 everywhere).
        let sg = a1 / pp;
        clamp((d / ms).ln() + (sg / (1.0 - sg)).ln(), 0.0, u1)
    };
    // ln((M+τ)/(M+τ_ref)) at u, u_ref, without cancellation.
    let dlp = |u: f64, uref: f64| (ratio(uref) * (u - uref).exp_m1()).ln_1p();
    // The log-integrand relative to its value at `uref`.
    let rel = |u: f64, uref: f64| a1 * (u - uref) - pp * dlp(u, uref);
    let fall = |u: f64| -rel(u, peak);
    let mut list = [Panel::default(); MAX_PANELS];
    let count = concave_panels(0.0, u1, &fall, &dphi, peak, PANEL_WIDTH, &mut list);
    let (mut s0, mut s1, mut s2) = (0.0, ZERO4, ZERO44);
    // Per node: e^(u−peak) − 1 gives the weight, and with these constants
    // ln((M+τ)/(M+t)) and τ as well (three transcendental calls per node).
    let sg_peak = ratio(peak);
    let dlp_peak = dlp(peak, 0.0);
    let (e_peak, em_peak) = (peak.exp(), peak.exp_m1());
    // Nodes as (u, weight, log-weight shift).
    let mut nodes = [(0.0, 0.0, 0.0); 16];
    // A steep, barely curved fall from u = 0 (heavy buyers): the integrand is
    // e^(−k₀u) times a factor that changes by under e^±1 over 50/k₀, and is
    // gone (< e^−CUT) before u1: 12-point Gauss–Laguerre on y = k₀u is exact
    // to rounding, where panels would need ~40 nodes. With δ = curvature/k₀²
    // ≤ 1/2500 the n-point rule's error on that factor is about n!·(δ/2)ⁿ
    // (6 points: 5e-20), and on the moments' factors, smooth on the scale
    // u ~ 1, about (1/k₀)¹² — so from k₀ ≥ 200 (heavy buyers) 6 points do.
    let k0 = -dphi(0.0);
    let laguerre = peak == 0.0 && k0 > 0.0 && fall(u1) > CUT && {
        let reach = 50.0 / k0;
        let curvature = pp * ratio(reach.min(u1)).min(0.25);
        curvature * reach * reach <= 1.0
    };
    let groups = if laguerre { 1 } else { count };
    for gi in 0..groups {
        let used = if laguerre {
            let rule: &[(f64, f64)] = if k0 >= 200.0 { &LAGUERRE6 } else { &LAGUERRE12 };
            for (k, &(y, w)) in rule.iter().enumerate() {
                nodes[k] = (y / k0, w / k0, y);
            }
            rule.len()
        } else {
            let panel = &list[gi];
            if panel.coarse {
                for (k, (u, w)) in gl8(panel.lo, panel.hi).into_iter().enumerate() {
                    nodes[k] = (u, w, 0.0);
                }
                8
            } else {
                for (k, (u, w)) in gl16(panel.lo, panel.hi).into_iter().enumerate() {
                    nodes[k] = (u, w, 0.0);
                }
                16
            }
        };
        for &(u, w, shift) in &nodes[..used] {
            let dm = (u - peak).exp_m1();
            let dl = (sg_peak * dm).ln_1p();
            let wt = w * (a1 * (u - peak) - pp * dl + shift).exp();
            s0 += wt;
            if want == Want::Value {
                continue;
            }
            let tau = t + ms * (dm * e_peak + em_peak);
            let (ab, as_) = (big + tau, small + tau);
            let (ia, ib) = (1.0 / ab, 1.0 / as_);
            let (tb, ts) = (tau / big, tau / small);
            let dv = [
                -(dl + dlp_peak),
                (e.rb * tb - e.kb) * ia,
                -u,
                (e.rs * ts - e.ks) * ib,
            ];
            for i in 0..4 {
                s1[i] += wt * dv[i];
            }
            if want == Want::Hessian {
                for i in 0..4 {
                    for j in i..4 {
                        s2[i][j] += wt * dv[i] * dv[j];
                    }
                }
                s2[0][1] += wt * tb * ia;
                s2[1][1] += wt * (e.kb - e.rb * tb * (2.0 + tb)) * ia * ia;
                s2[2][3] += wt * ts * ib;
                s2[3][3] += wt * (e.ks - e.rs * ts * (2.0 + ts)) * ib * ib;
            }
        }
    }
    // ln(prefactor·(M+t)^−P (m+t)^−Q) + ln((m+t) ∫ e^(rel(u, 0)) du).
    let ln = -e.rb * (t / big).ln_1p() - e.rs * (t / small).ln_1p() - e.kb * mb.ln()
        + (1.0 - e.ks) * ms.ln()
        + rel(peak, 0.0)
        + s0.ln();
    let mut out = Moments::of_ln(ln);
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

/// `∫_t^∞ M^ρ_M m^ρ_m (M+τ)^−P (m+τ)^−Q dτ` (M ≥ m, P + Q > 1, see [`Exps`]),
/// coordinates (ρ_M, M, ρ_m, m) centred at t.
pub(super) fn tail_integral(
    e: &Exps,
    big: f64,
    small: f64,
    t: f64,
    g: &mut GSeries,
    want: Want,
) -> Moments {
    let z = (big - small) / (big + t);
    if z <= Z_SPLIT {
        return series_part(e, big, small, t, t, g, want);
    }
    // z(t1) = ½.
    let t1 = (big - small) / Z_SPLIT - big;
    let near = quadrature_part(e, big, small, t, t1, want);
    // The series part is at most its first factor times G ≤ 1/(1−z) = 2;
    // below e^−(CUT+8) of the near part (heavy buyers: the integrand has
    // long vanished by t1) it moves nothing the quadrature keeps, and is skipped.
    let far_bound =
        -e.rb * (t1 / big).ln_1p() - e.rs * (t1 / small).ln_1p() - e.kb * (big + t1).ln()
            + (1.0 - e.ks) * (small + t1).ln()
            - (e.p() + e.q() - 1.0).ln()
            + std::f64::consts::LN_2;
    if far_bound < near.ln - (CUT + 8.0) {
        return near;
    }
    let far = series_part(e, big, small, t, t1, g, want);
    Moments::sum(&near, &far, want)
}
