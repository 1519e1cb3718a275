//! BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel &
//! Filiztekin 2007), which share every formula up to a shift:
//!
//! `L = Γ(r+x)αʳ/Γ(r) · B(a, b+x+m)/B(a, b) · [(α+T)^−(r+x) + δ·a/(b+x+m−1)·(α+t_x)^−(r+x)]`
//!
//! with m = 0, δ = 1 if x > 0 else 0 for BG/NBD and m = 1, δ = 1 for MBG/NBD (which lets
//! a customer drop out right after the first purchase). The log-likelihood is
//! evaluated with `(α+t_x)^−(r+x)` factored out (Hardie's note 027 form), so
//! the bracket is `ln(C₃ + D)` with `C₃ = ((α+t_x)/(α+T))^(r+x) ≤ 1`: no
//! overflow for any x. Gradient and Hessian are analytic.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::data::Rows;
use super::optimize::{Mat4, Objective, Vec4};
use super::special::{
    concave_panels, digamma_diff, exprel, gl16, gl8, ln_gamma_diff, logistic_neg, trigamma_diff,
    Panel, CUT, MAX_PANELS,
};
use crate::stats::clamp;

/// Which of the two models.
///
/// ```
/// # use shijing::repurchase::{BgParams, Variant};
/// let p = BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 };
/// // A customer who never bought again: under BG/NBD still alive for sure,
/// // under MBG/NBD possibly gone right after the first purchase.
/// assert_eq!(p.probability_alive(Variant::Bg, 0.0, 0.0, 30.0), 1.0);
/// assert!(p.probability_alive(Variant::Modified, 0.0, 0.0, 30.0) < 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// BG/NBD: dropout only after a repeat purchase.
    Bg,
    /// MBG/NBD: dropout possible after any purchase, including the first.
    Modified,
}

impl Variant {
    pub(crate) fn shift(self) -> f64 {
        match self {
            Variant::Bg => 0.0,
            Variant::Modified => 1.0,
        }
    }
    fn dropout_term(self, x: f64) -> bool {
        match self {
            Variant::Bg => x > 0.0,
            Variant::Modified => true,
        }
    }
}

/// Parameters: purchase rates λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b).
///
/// ```
/// # use shijing::repurchase::{BgParams, Model, ModelKind};
/// let p = BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 };
/// // The same model from its parameter list (r, alpha, a, b).
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// assert_eq!(m, Model::BgNbd(p));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate (in the data's time unit).
    pub alpha: f64,
    /// Beta shape a of the dropout probability.
    pub a: f64,
    /// Beta shape b of the dropout probability.
    pub b: f64,
}

/// The negative-free log-likelihood objective over φ = ln(r, α, a, b).
///
/// Its value is the customers' total log-likelihood:
///
/// ```
/// # use shijing::repurchase::{bgnbd::BgObjective, data::Rows, optimize::Objective, BgParams, Variant};
/// let (x, tx, t) = ([0.0, 2.0, 2.0], [0.0, 20.0, 20.0], [30.0, 30.0, 30.0]);
/// let rows = Rows::new(&x, &tx, &t, None);
/// let p = BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 };
/// let objective = BgObjective { rows: &rows, variant: Variant::Modified };
/// let phi = [p.r.ln(), p.alpha.ln(), p.a.ln(), p.b.ln()];
/// let total: f64 = (0..3).map(|i| p.log_likelihood(Variant::Modified, x[i], tx[i], t[i])).sum();
/// assert_eq!(objective.dim(), 4);
/// assert!((objective.eval(&phi, None, None) - total).abs() < 1e-12);
/// ```
pub struct BgObjective<'a> {
    /// Compressed customers.
    pub rows: &'a Rows,
    /// BG or MBG.
    pub variant: Variant,
}

impl Objective for BgObjective<'_> {
    fn dim(&self) -> usize {
        4
    }

    fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        self.eval_with(phi, grad, hess)
    }
}

/// Per distinct time `t` at the evaluation's α: `ln(α+t)`, `1/(α+t)`, `t`,
/// `t/α` and `ln(1+t/α)`.
#[derive(Clone, Copy, Default)]
struct AtTime {
    lt: f64,
    it: f64,
    tv: f64,
    tb: f64,
    l1p: f64,
}

impl BgObjective<'_> {
    /// [`Objective::eval`], the Hessian's sums taken only when one is asked
    /// for (and the gradient's only when either is): the value and the
    /// gradient are the same bits either way. A flag, not a const generic,
    /// and `u`, `∂u/∂α` per row rather than cached per distinct (t_x, T):
    /// the two copies and the cache took the covariates part of the package
    /// to 123,366 bytes gzipped, over the explorer's 122,880 budget (122,495
    /// without them); without the cache the export's BG/NBD fit was no slower
    /// in Node (B/A 0.937 in one process).
    ///
    /// Every term is formed exactly as in the per-customer formula and every
    /// sum adds its rows in the same order, so the value and the derivatives
    /// are the same bits however the work is arranged: what depends only on
    /// a time is computed once per distinct time, what depends only on
    /// (x, t_x) once per run of rows sharing them (rows are sorted by x, then
    /// t_x), and the rows with a dropout term (all but BG/NBD's x = 0) go
    /// through in blocks of three passes (see the loop).
    fn eval_with(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        let hessian = hess.is_some();
        let rows = self.rows;
        let derivs = hessian || grad.is_some();
        let (r, alpha, a, b) = (phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp());
        let sh = self.variant.shift();
        // θ-space gradient g and Hessian h (r, α, a, b).
        let mut f = 0.0;
        let mut g = [0.0f64; 4];
        let mut h = [[0.0f64; 4]; 4];
        // ln(α + time), 1/(α + time), time/α and ln(1 + time/α), once per
        // distinct time (the same operations as per row, so the same bits:
        // 6 → 3 transcendentals per row; BENCHMARKS.md).
        let at: Vec<AtTime> = rows
            .times
            .iter()
            .map(|&tv| {
                let tb = tv / alpha;
                AtTime {
                    lt: (alpha + tv).ln(),
                    it: 1.0 / (alpha + tv),
                    tv,
                    tb,
                    l1p: tb.ln_1p(),
                }
            })
            .collect();
        for &(x, start, end, wg) in &rows.groups {
            // x-only terms, as differences that stay exact when r or a + b is huge.
            let m = x + sh;
            let lgr = ln_gamma_diff(r, x);
            let dr = digamma_diff(r, x);
            let drr = trigamma_diff(r, x);
            let beta_part = ln_gamma_diff(b, m) - ln_gamma_diff(a + b, m);
            let da = -digamma_diff(a + b, m);
            let daa = -trigamma_diff(a + b, m);
            let db = digamma_diff(b, m) + da;
            let dbb = trigamma_diff(b, m) + daa;
            f += wg * (lgr + beta_part);
            g[0] += wg * dr;
            g[2] += wg * da;
            g[3] += wg * db;
            if hessian {
                h[0][0] += wg * drr;
                h[2][2] += wg * daa;
                h[2][3] += wg * daa;
                h[3][3] += wg * dbb;
            }
            let has_d = self.variant.dropout_term(x);
            let den = b + x + sh - 1.0;
            let n = r + x;
            let (Some(w), Some(txs), Some(ts)) = (
                rows.w.get(start..end),
                rows.tx.get(start..end),
                rows.t.get(start..end),
            ) else {
                continue;
            };
            if !has_d {
                no_dropout_rows(hessian, &at, (w, txs, ts), r, x, n, &mut f, &mut g, &mut h);
                continue;
            }
            let d = a / den;
            let ld = d.ln();
            let (a_den, den_den, nn) = (a * den, den * den, n * n);
            // Terms of (x, t_x) alone, for the current run of t_x.
            let mut run_ix = u32::MAX;
            let mut c = RunTerms::default();
            // In blocks of rows, passes: each row's own values, its
            // exponential, its logarithm, then the value's and the
            // gradient's sums, then the Hessian's. Each sum still adds its
            // rows in order (the same bits), but no sum is live across a
            // call into libm, which would have to save and restore it every
            // time (all float registers are the caller's to save), the
            // loops around the calls carry little else, and the sums of each
            // later pass fit in registers together.
            let mut block = [Kept::default(); BLOCK];
            let chunks = w.chunks(BLOCK).zip(txs.chunks(BLOCK));
            for ((w, txs), ts) in chunks.zip(ts.chunks(BLOCK)) {
                let mut kept = 0;
                for ((&w, &ix), &i_t) in w.iter().zip(txs).zip(ts) {
                    if ix != run_ix {
                        let Some(&p) = at.get(ix as usize) else {
                            continue;
                        };
                        run_ix = ix;
                        c = RunTerms::new(p, r, x);
                    }
                    let (Some(&q), Some(k)) = (at.get(i_t as usize), block.get_mut(kept)) else {
                        continue;
                    };
                    let (u, ua) = log_ratio(c.at, q);
                    *k = Kept {
                        w,
                        u,
                        ua,
                        ln_s: 0.0,
                        wc: 0.0,
                        wd: 0.0,
                        s_a: 0.0,
                        s_b: 0.0,
                        i12: c.at.it + q.it,
                        f: c.f,
                        l1p: c.at.l1p,
                        g1: c.g1,
                        h01: c.h01,
                        h11: c.h11,
                    };
                    kept += 1;
                }
                let rows_kept = block.get_mut(..kept).unwrap_or_default();
                // The exponentials, then the logarithms: loops with nothing
                // else live across their calls.
                for k in rows_kept.iter_mut() {
                    // ln S = ln(C₃ + D), C₃ = e^(n·u) ≤ 1 (may underflow): as a
                    // log-sum with the weights wc = C₃/S, wd = D/S.
                    let lc = n * k.u;
                    // The larger term's exp is exp(0) = 1: one exp, not two
                    // (a NaN lc takes the second branch, as max(NaN, ld) = ld).
                    let (top, ec, ed) = if lc >= ld {
                        (lc, 1.0, (ld - lc).exp())
                    } else {
                        (ld, (lc - ld).exp(), 1.0)
                    };
                    // (Held in the slots of what they become.)
                    (k.ln_s, k.wc, k.wd) = (top, ec, ed);
                }
                for k in rows_kept.iter_mut() {
                    let (top, ec, ed) = (k.ln_s, k.wc, k.wd);
                    let (ln_s, wc, wd) = (top + (ec + ed).ln(), ec / (ec + ed), ed / (ec + ed));
                    (k.ln_s, k.wc, k.wd) = (ln_s, wc, wd);
                }
                if !derivs {
                    // The value alone (a trial step of the covariate fits).
                    for k in rows_kept.iter() {
                        f += k.w * (k.f + k.ln_s);
                    }
                    continue;
                }
                for k in rows_kept.iter_mut() {
                    let (w, u, wc, wd) = (k.w, k.u, k.wc, k.wd);
                    f += w * (k.f + k.ln_s);
                    // ∂S/S
                    let sr = wc * u;
                    let sa_ = wc * n * k.ua;
                    let s_a = wd / a;
                    let s_b = -wd / den;
                    g[0] += w * (-k.l1p + sr);
                    g[1] += w * (k.g1 + sa_);
                    g[2] += w * s_a;
                    g[3] += w * s_b;
                    (k.s_a, k.s_b) = (s_a, s_b);
                }
                if hessian {
                    for k in rows_kept.iter() {
                        let (w, u, ua, wc, wd, s_a, s_b) =
                            (k.w, k.u, k.ua, k.wc, k.wd, k.s_a, k.s_b);
                        let sr = wc * u;
                        let sa_ = wc * n * ua;
                        // ∂²S/S − (∂S/S)(∂S/S)ᵀ
                        let uaa = -ua * k.i12;
                        let srr = wc * u * u;
                        let sra = wc * ua * (1.0 + n * u);
                        let saa = wc * (nn * ua * ua + n * uaa);
                        let s_ab = -wd / a_den;
                        let s_bb = 2.0 * wd / den_den;
                        let s = [sr, sa_, s_a, s_b];
                        add_row_hessian(&mut h, w, s, [srr, k.h01 + sra, k.h11 + saa, s_ab, s_bb]);
                    }
                }
            }
        }
        let theta = [r, alpha, a, b];
        if let Some(gr) = grad {
            for i in 0..4 {
                gr[i] = theta[i] * g[i];
            }
        }
        if let Some(he) = hess {
            for i in 0..4 {
                for j in i..4 {
                    let v =
                        theta[i] * theta[j] * h[i][j] + if i == j { theta[i] * g[i] } else { 0.0 };
                    he[i][j] = v;
                    he[j][i] = v;
                }
            }
        }
        f
    }
}

/// Rows per block of [`BgObjective::eval_with`]'s two passes.
const BLOCK: usize = 128;

/// A row's values between [`BgObjective::eval_with`]'s passes: its weight,
/// u and ∂u/∂α, ln S and the log-sum's weights, ∂S/S in a and b, 1/(α+t_x)
/// + 1/(α+T), and its (x, t_x) terms ([`RunTerms`]).
#[derive(Clone, Copy, Default)]
struct Kept {
    w: f64,
    u: f64,
    ua: f64,
    ln_s: f64,
    wc: f64,
    wd: f64,
    s_a: f64,
    s_b: f64,
    i12: f64,
    f: f64,
    l1p: f64,
    g1: f64,
    h01: f64,
    h11: f64,
}

/// The terms of a row that depend on (x, t_x) alone, formed as in the row's
/// own sums (`c.f + ln_s` is `−r·ln(1+t_x/α) − x·ln(α+t_x) + ln S`, …).
#[derive(Clone, Copy, Default)]
struct RunTerms {
    at: AtTime,
    f: f64,
    g1: f64,
    h01: f64,
    h11: f64,
}

impl RunTerms {
    fn new(p: AtTime, r: f64, x: f64) -> RunTerms {
        // rʳ… : r ln α − n ln(α+t_x) = −r ln(1+t_x/α) − x ln(α+t_x),
        // with tb = t_x/α.
        let (l1, i1, tb, l1p) = (p.lt, p.it, p.tb, p.l1p);
        RunTerms {
            at: p,
            f: -r * l1p - x * l1,
            g1: (r * tb - x) * i1,
            h01: tb * i1,
            h11: (x - r * tb * (2.0 + tb)) * i1 * i1,
        }
    }
}

/// `u = ln((α+t_x)/(α+T))` and `∂u/∂α = (T−t_x)/((α+t_x)(α+T))` of a row
/// whose t_x and T are `p` and `q`.
#[inline(always)]
fn log_ratio(p: AtTime, q: AtTime) -> (f64, f64) {
    let (i1, tx, i2, tt) = (p.it, p.tv, q.it, q.tv);
    (-((tt - tx) * i1).ln_1p(), (tt - tx) * i1 * i2)
}

/// One row's terms of the θ-space Hessian sums, for both kinds of row (with
/// and without a dropout term): `s` = ∂S/S in (r, α, a, b); `d` = the
/// second-order parts of (r,r), (r,α), (α,α), (a,b), (b,b). The sums take
/// the same operations in the same order as when they were written out in
/// each loop, so the bits are the same.
#[inline(always)]
fn add_row_hessian(h: &mut [[f64; 4]; 4], w: f64, s: [f64; 4], d: [f64; 5]) {
    let [sr, sa_, s_a, s_b] = s;
    let [srr, d01, d11, s_ab, s_bb] = d;
    h[0][0] += w * (srr - sr * sr);
    h[0][1] += w * (d01 - sr * sa_);
    h[1][1] += w * (d11 - sa_ * sa_);
    h[0][2] -= w * sr * s_a;
    h[0][3] -= w * sr * s_b;
    h[1][2] -= w * sa_ * s_a;
    h[1][3] -= w * sa_ * s_b;
    h[2][2] -= w * s_a * s_a;
    h[2][3] += w * (s_ab - s_a * s_b);
    h[3][3] += w * (s_bb - s_b * s_b);
}

/// BG/NBD's rows without a dropout term (x = 0): S = C₃.
#[allow(clippy::too_many_arguments)]
fn no_dropout_rows(
    hessian: bool,
    at: &[AtTime],
    (w, txs, ts): (&[f64], &[u32], &[u32]),
    r: f64,
    x: f64,
    n: f64,
    f: &mut f64,
    g: &mut [f64; 4],
    h: &mut [[f64; 4]; 4],
) {
    for ((&w, &ix), &i_t) in w.iter().zip(txs).zip(ts) {
        let (Some(&p), Some(&q)) = (at.get(ix as usize), at.get(i_t as usize)) else {
            continue;
        };
        let c = RunTerms::new(p, r, x);
        let (u, ua) = log_ratio(p, q);
        let uaa = -ua * (p.it + q.it);
        let (ln_s, wc) = (n * u, 1.0);
        *f += w * (c.f + ln_s);
        let sr = wc * u;
        let sa_ = wc * n * ua;
        // No dropout term: ∂S/S in a and b are 0, added as such (the sums'
        // bits then match the rows with one, zero signs and all).
        let (s_a, s_b, s_ab, s_bb) = (0.0, 0.0, 0.0, 0.0);
        g[0] += w * (-p.l1p + sr);
        g[1] += w * (c.g1 + sa_);
        g[2] += w * s_a;
        g[3] += w * s_b;
        if hessian {
            let srr = wc * u * u;
            let sra = wc * ua * (1.0 + n * u);
            let saa = wc * (n * n * ua * ua + n * uaa);
            add_row_hessian(
                h,
                w,
                [sr, sa_, s_a, s_b],
                [srr, c.h01 + sra, c.h11 + saa, s_ab, s_bb],
            );
        }
    }
}

impl BgParams {
    /// `ln` of the odds term `δ·a/(b+x+m−1)·((α+T)/(α+t_x))^(r+x)`; −∞ when absent.
    fn ln_dropout_odds(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        if !v.dropout_term(x) {
            return f64::NEG_INFINITY;
        }
        let den = self.b + x + v.shift() - 1.0;
        self.a.ln() - den.ln() + (self.r + x) * ((t - tx) / (self.alpha + tx)).ln_1p()
    }

    /// P(alive at T | x, t_x, T).
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, Variant};
    /// // CDNOW's BG/NBD (weeks) and Fader, Hardie & Lee's customer.
    /// let p = BgParams { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    /// let (x, tx, t) = (2.0, 30.43, 38.86);
    /// // FHL (2005) eq. 13: 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
    /// let odds = ((p.alpha + t) / (p.alpha + tx)).powf(p.r + x);
    /// let want = 1.0 / (1.0 + p.a / (p.b + x - 1.0) * odds);
    /// assert!((p.probability_alive(Variant::Bg, x, tx, t) - want).abs() < 1e-12);
    /// // MBG/NBD: a/(b+x) in place of a/(b+x−1).
    /// let want = 1.0 / (1.0 + p.a / (p.b + x) * odds);
    /// assert!((p.probability_alive(Variant::Modified, x, tx, t) - want).abs() < 1e-12);
    /// ```
    pub fn probability_alive(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        let lo = self.ln_dropout_odds(v, x, tx, t);
        if lo == f64::NEG_INFINITY {
            1.0
        } else {
            logistic_neg(lo)
        }
    }

    /// E[purchases in (T, T+h] | x, t_x, T].
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, Variant};
    /// // CDNOW's BG/NBD (weeks) and Fader, Hardie & Lee's customer.
    /// let p = BgParams { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    /// let (x, tx, t) = (2.0, 30.43, 38.86);
    /// // FHL's figure for this customer over 39 weeks: 1.226.
    /// assert!((p.expected_purchases(Variant::Bg, 39.0, x, tx, t) - 1.226).abs() < 1e-3);
    /// // Over a short h: P(alive) times the posterior mean rate (r+x)/(α+T), times h.
    /// let h = 1e-6;
    /// let rate = p.probability_alive(Variant::Bg, x, tx, t) * (p.r + x) / (p.alpha + t);
    /// assert!((p.expected_purchases(Variant::Bg, h, x, tx, t) / h - rate).abs() < 1e-6 * rate);
    /// ```
    pub fn expected_purchases(&self, v: Variant, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        self.probability_alive(v, x, tx, t) * self.expected_if_alive(v, h, x, t)
    }

    /// E[purchases in (T, T+h] | alive at T]. Given alive with x repeat
    /// purchases, λ ~ Gamma(n, α+T) (n = r+x) and the dropout probability
    /// p ~ Beta(a, b'), b' = b+x+m; a customer with (λ, p) then buys
    /// `(1 − e^(−pλh))/p` times on average, so the expectation is
    /// `E_p[g(p)]`, `g(p) = (1 − (1 + p·w)^−n)/p`, w = h/(α+T).
    ///
    /// Five evaluations, the first that applies and is well conditioned:
    /// * a ≥ 50: 16-point Gauss–Jacobi for the Beta weight (`gauss_jacobi`):
    ///   the Beta is then concentrated within a/√a of its mean, far from g's
    ///   singularity at p = −1/w, so the rule is exact to rounding — and it
    ///   tends to g(a/(a+b')) as a, b' → ∞ with their ratio fixed (the
    ///   fitter's a, b → ∞ boundary, where the closed form below cancels);
    /// * p small (b' ≫ a·n·w): g's Taylor series averaged over the Beta
    ///   (`small_p_form`; the no-dropout boundary a → 0 or b → ∞);
    /// * w ≤ 49: the closed form (FHL eq. 10, Euler-transformed), `closed_form`;
    /// * w ≥ 1: its expansion in q = 1/(1+w) (the 1−z connection of ₂F₁)
    ///   `long_horizon_form`;
    /// * a and b' tiny: two point masses at p = 0 and 1, when its error bound
    ///   is under 1e-11 of the value (`two_point_form`);
    /// * else the direct integral over p (`BetaRule`), which holds everywhere.
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, Variant};
    /// // CDNOW's BG/NBD (weeks) and Fader, Hardie & Lee's customer.
    /// let p = BgParams { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    /// let (x, tx, t) = (2.0, 30.43, 38.86);
    /// let no_dropout = (p.r + x) / (p.alpha + t) * 10.0; // purchases at the posterior mean rate
    /// // Dropout (p > 0) can only lower it …
    /// assert!(p.expected_if_alive(Variant::Bg, 10.0, x, t) < no_dropout);
    /// // … and with b → ∞ (p → 0) there is none.
    /// let almost_none = BgParams { b: 1e12, ..p };
    /// assert!((almost_none.expected_if_alive(Variant::Bg, 10.0, x, t) - no_dropout).abs() < 1e-9);
    /// // Times P(alive), the unconditional expectation.
    /// let alive = p.probability_alive(Variant::Bg, x, tx, t);
    /// let e = p.expected_purchases(Variant::Bg, 10.0, x, tx, t);
    /// assert_eq!(e, alive * p.expected_if_alive(Variant::Bg, 10.0, x, t));
    /// ```
    pub fn expected_if_alive(&self, v: Variant, h: f64, x: f64, t: f64) -> f64 {
        let BgParams { r, alpha, a, b } = *self;
        let bp = b + x + v.shift();
        let n = r + x;
        let w = h / (alpha + t);
        if h <= 0.0 {
            return 0.0;
        }
        expected_if_alive_at(a, bp, n, w, None)
    }

    /// P(at least one purchase in (T, T+h] | x, t_x, T) =
    /// P(alive)·(1 − ((α+T)/(α+T+h))^(r+x)). For x = 0 under BG/NBD P(alive) = 1.
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, Variant};
    /// // CDNOW's BG/NBD (weeks) and Fader, Hardie & Lee's customer.
    /// let p = BgParams { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    /// let (x, tx, t) = (2.0, 30.43, 38.86);
    /// // A customer drops out only right after a purchase, so one alive at T buys
    /// // again within h unless a Poisson(λh) count is 0, λ ~ Gamma(r+x, α+T):
    /// // P(none) = E[e^(−λh)] = ((α+T)/(α+T+h))^(r+x).
    /// let h = 13.0;
    /// let none = ((p.alpha + t) / (p.alpha + t + h)).powf(p.r + x);
    /// let want = p.probability_alive(Variant::Bg, x, tx, t) * (1.0 - none);
    /// let got = p.probability_of_repurchase(Variant::Bg, h, x, tx, t);
    /// assert!((got - want).abs() < 1e-12);
    /// assert!(got < p.expected_purchases(Variant::Bg, h, x, tx, t)); // P(N ≥ 1) ≤ E[N]
    /// ```
    pub fn probability_of_repurchase(&self, v: Variant, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        let n = self.r + x;
        let none = -n * (h / (self.alpha + t)).ln_1p();
        clamp(
            self.probability_alive(v, x, tx, t) * -none.exp_m1(),
            0.0,
            1.0,
        )
    }

    /// Per-customer log-likelihood (for tests and reporting).
    ///
    /// ```
    /// # use shijing::repurchase::{BgParams, Variant};
    /// let p = BgParams { r: 0.25, alpha: 4.0, a: 0.8, b: 2.4 };
    /// // No repeat purchase in T = 12: no purchase at rate λ ~ Gamma(r, α),
    /// // probability (α/(α+T))^r; MBG/NBD adds dropping out at once, E[p] = a/(a+b).
    /// let q = (p.alpha / (p.alpha + 12.0)).powf(p.r);
    /// assert!((p.log_likelihood(Variant::Bg, 0.0, 0.0, 12.0) - q.ln()).abs() < 1e-12);
    /// let want = (p.b / (p.a + p.b) * q + p.a / (p.a + p.b)).ln();
    /// assert!((p.log_likelihood(Variant::Modified, 0.0, 0.0, 12.0) - want).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        let BgParams { r, alpha, a, b } = *self;
        let m = x + v.shift();
        let base = ln_gamma_diff(r, x) + ln_gamma_diff(b, m) - ln_gamma_diff(a + b, m);
        let n = r + x;
        // ln(C₃ + D), C₃ = ((α+t_x)/(α+T))ⁿ (may underflow), as a log-sum.
        let lc = -n * ((t - tx) / (alpha + tx)).ln_1p();
        let ln_s = if v.dropout_term(x) {
            let ld = (a / (b + x + v.shift() - 1.0)).ln();
            let top = lc.max(ld);
            top + ((lc - top).exp() + (ld - top).exp()).ln()
        } else {
            lc
        };
        base - r * (tx / alpha).ln_1p() - x * (alpha + tx).ln() + ln_s
    }
}

/// The quadrature rules of one Beta(a, b') posterior, built the first time
/// they are needed and kept for every later horizon (see [`expected_if_alive_at`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct PosteriorRules {
    /// The Gauss–Jacobi rule (a ≥ 50), once built.
    jacobi: Option<Option<Jacobi>>,
    /// The direct Beta rule and the `(n+1)·w` it was built for: good for any
    /// horizon with a smaller `(n+1)·w` (its p → 0 point mass only shrinks).
    beta: Option<(f64, BetaRule)>,
}

/// `E_p[(1 − (1 + p·w)^−n)/p]` for p ~ Beta(a, bp) (see
/// [`BgParams::expected_if_alive`]); `rules` may keep the quadrature rules of
/// (a, bp) from one horizon to the next.
pub(crate) fn expected_if_alive_at(
    a: f64,
    bp: f64,
    n: f64,
    w: f64,
    rules: Option<&mut PosteriorRules>,
) -> f64 {
    let mut own = PosteriorRules::default();
    let rules = rules.unwrap_or(&mut own);
    if a >= 50.0 {
        if let Some(rule) = rules.jacobi.get_or_insert_with(|| gauss_jacobi(a, bp)) {
            return rule.mean(w, n);
        }
    }
    if let Some(value) = small_p_form(a, bp, n, w) {
        return value;
    }
    // Past w ≈ 4 the expansion in q = 1/(1+w) needs fewer terms than the
    // closed form's series in 1−q.
    if w > 4.0 {
        if let Some(value) = long_horizon_form(a, bp, n, w) {
            return value;
        }
    }
    if let Some(value) = closed_form(a, bp, n, w) {
        return value;
    }
    if let Some(value) = long_horizon_form(a, bp, n, w) {
        return value;
    }
    if let Some(value) = two_point_form(a, bp, n, w) {
        return value;
    }
    let left = (n + 1.0) * w;
    match &rules.beta {
        Some((built_for, rule)) if *built_for >= left => rule.mean(w, n),
        _ => {
            // Built for 4× the reach asked for, so a run of growing horizons
            // (a lifetime value's months) rebuilds it only a few times.
            let rule = BetaRule::for_g(a, bp, 4.0 * left);
            let value = rule.mean(w, n);
            rules.beta = Some((4.0 * left, rule));
            value
        }
    }
}

/// [`BgParams::expected_if_alive`] when a and b' are so small that the Beta
/// is two point masses, b'/(a+b') at p = 0 and a/(a+b') at p = 1 (the
/// a, b → 0 corner, where the Beta rule needs hundreds of nodes), with its
/// error bounded, else None. g(p) = n∫₀ʷ(1+ps)^−(n+1) ds is convex and
/// decreasing, so ψ = g − chord (the chord through g(0) = nw and g(1)) is
/// ≤ 0 and convex, |ψ| ≤ min(Δ, s₀p, Δ(1−p)) with Δ = g(0) − g(1) and
/// s₀ = |g'(0)| = n(n+1)w²/2; E[g] = chord's mean + E[ψ], and
/// `|E[ψ]| ≤ ∫|ψ|/(p(1−p))/B(a, b') ≤ Δ·(3 + 2·ln⁺(s₀/2Δ))/B(a, b')`.
/// Taken when that bound is under 1e-11 of the value.
fn two_point_form(a: f64, bp: f64, n: f64, w: f64) -> Option<f64> {
    let (g0, g1) = (n * w, g_of(1.0, w, n));
    let value = g0 * (bp / (a + bp)) + g1 * (a / (a + bp));
    let delta = g0 - g1;
    // ln(1/B(a, b')) = ln Γ(a+b') − ln Γ(b') − ln Γ(a).
    let ln_inv_beta = ln_gamma_diff(bp, a) - libm::lgamma(a);
    let ln_s0 = n.ln() + (n + 1.0).ln() + 2.0 * w.ln() - std::f64::consts::LN_2;
    let spread = 3.0 + 2.0 * (ln_s0 - (2.0 * delta).ln()).max(0.0);
    let bound = (ln_inv_beta + delta.ln() + spread.ln()).exp();
    (value.is_finite() && value > 0.0 && (delta <= 0.0 || bound <= 1e-11 * value)).then_some(value)
}

/// [`BgParams::expected_if_alive`] when the dropout probability is small
/// (b' ≫ a·w·n, e.g. the no-dropout boundary b → ∞ or a → 0): g's Taylor
/// series at p = 0, `g(p) = n·w·Σ_j (−pw)^j (n+1)_j/(j+1)!`, averaged with
/// `E[p^j] = (a)_j/(a+b')_j`: `n·w·Σ_j (−w)^j (n+1)_j (a)_j/((j+1)!(a+b')_j)`.
/// None unless its terms fall by half or more each step from the start (no
/// cancellation) and it converges within 60 terms.
fn small_p_form(a: f64, bp: f64, n: f64, w: f64) -> Option<f64> {
    let c = a + bp;
    let (mut term, mut sum) = (1.0, 1.0);
    for j in 0..60 {
        let jf = j as f64;
        let ratio = -w * (n + 1.0 + jf) * (a + jf) / ((jf + 2.0) * (c + jf));
        if ratio.abs() > 0.5 {
            return None;
        }
        term *= ratio;
        sum += term;
        if term.abs() <= 1e-17 * sum.abs() {
            return Some(n * w * sum);
        }
    }
    None
}

/// `(1 − (1 + p·w)^−n)/p`.
#[inline]
fn g_of(p: f64, w: f64, n: f64) -> f64 {
    if p <= 0.0 {
        return n * w;
    }
    -(-n * (p * w).ln_1p()).exp_m1() / p
}

/// A 16-point Gauss–Jacobi rule for expectations under Beta(a, b): nodes in
/// (0, 1) and weights summing to 1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Jacobi {
    /// `(p, weight)`; the first `len` are used.
    pub nodes: [(f64, f64); 16],
    /// Number of nodes.
    pub len: usize,
}

impl Jacobi {
    /// `E_p[(1 − (1 + p·w)^−n)/p]`.
    pub(crate) fn mean(&self, w: f64, n: f64) -> f64 {
        self.nodes[..self.len.min(16)]
            .iter()
            .map(|&(p, q)| q * g_of(p, w, n))
            .sum()
    }
}

/// The Golub–Welsch rule for Beta(a, b) (a, b > 1): the eigenvalues of the
/// Jacobi matrix of the polynomials orthogonal under `(1+x)^(a−1)(1−x)^(b−1)`
/// on [−1, 1], mapped to p = (1+x)/2, weighted by the squared first
/// components of the eigenvectors. None if the eigenvalue iteration fails.
pub(crate) fn gauss_jacobi(a: f64, b: f64) -> Option<Jacobi> {
    // The error falls like (√(1/a))^(2N): 16 nodes from a = 50, 8 from a = 500.
    let len = if a >= 500.0 { 8 } else { 16 };
    const N: usize = 16;
    let mut d = [0.0f64; N];
    let mut e = [0.0f64; N];
    let (al, be) = (b - 1.0, a - 1.0);
    for k in 0..len {
        let kf = k as f64;
        let s = 2.0 * kf + al + be;
        d[k] = (be - al) / (s + 2.0) * ((be + al) / s);
        if k + 1 < len {
            let k1 = kf + 1.0;
            let s1 = 2.0 * k1 + al + be;
            let v = 4.0 * k1 * (k1 + al) * (k1 + be) * (k1 + al + be)
                / (s1 * s1 * (s1 + 1.0) * (s1 - 1.0));
            e[k] = v.max(0.0).sqrt();
        }
    }
    // Implicit QL with shifts on the tridiagonal (d, e), accumulating the
    // eigenvectors (their first components give the weights).
    let mut zr = [[0.0f64; N]; N];
    for i in 0..N {
        zr[i][i] = 1.0;
    }
    for l in 0..len {
        let mut iter = 0;
        loop {
            let mut m = l;
            while m + 1 < len {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            iter += 1;
            if iter > 60 {
                return None;
            }
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = g.hypot(1.0);
            g = d[m] - d[l] + e[l] / (g + if g >= 0.0 { r } else { -r });
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut i = m;
            let mut underflow = false;
            while i > l {
                i -= 1;
                let f = s * e[i];
                let bb = c * e[i];
                r = f.hypot(g);
                e[i + 1] = r;
                if r == 0.0 {
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * bb;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - bb;
                for row in zr.iter_mut() {
                    let fz = row[i + 1];
                    row[i + 1] = s * row[i] + c * fz;
                    row[i] = c * row[i] - s * fz;
                }
            }
            if underflow {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
    let mut nodes = [(0.0, 0.0); N];
    let mut total = 0.0;
    for k in 0..len {
        let wq = zr[0][k] * zr[0][k];
        total += wq;
        nodes[k] = (0.5 * (1.0 + d[k]), wq);
    }
    if total.is_nan()
        || total <= 0.0
        || nodes[..len]
            .iter()
            .any(|&(p, q)| !(p.is_finite() && q.is_finite()))
    {
        return None;
    }
    for node in nodes[..len].iter_mut() {
        node.1 /= total;
        node.0 = clamp(node.0, 0.0, 1.0);
    }
    Some(Jacobi { nodes, len })
}

/// `ln|Γ(x)|` and the sign of Γ(x), for any real x that is not a pole.
fn ln_gamma_signed(x: f64) -> (f64, f64) {
    let (l, s) = libm::lgamma_r(x);
    (l, if s < 0 { -1.0 } else { 1.0 })
}

/// [`BgParams::expected_if_alive`] for long horizons (w ≥ 1), where the
/// Euler-transformed series needs ~1/(1−z) terms: with C = a+b'−1,
/// δ = a−1−n, q = 1/(1+w), the connection formula of ₂F₁ at 1−z = q gives
/// `C/(a−1)·[1 − A₁qⁿ·₂F₁(n, b'; 1−δ; q) − A₂q^(a−1)·₂F₁(C−n, a−1; 1+δ; q)]`,
/// `A₁ = Γ(C)Γ(δ)/(Γ(C−n)Γ(a−1))`, `A₂ = Γ(C)Γ(−δ)/(Γ(n)Γ(b'))`: two
/// series in q ≤ ½. None near the poles (δ or a−1 near an integer, where
/// the two terms cancel), when a series would need over 400 terms or its
/// terms grow far past its sum, or when the bracket cancels by more than
/// three digits.
fn long_horizon_form(a: f64, bp: f64, n: f64, w: f64) -> Option<f64> {
    // Moderate parameters only (large ones make the series' terms swing).
    if w < 1.0 || a > 20.0 || n > 50.0 || bp > 1e4 {
        return None;
    }
    let c = a + bp - 1.0;
    let delta = a - 1.0 - n;
    let near_int = |v: f64| (v - v.round()).abs() < 0.05;
    if near_int(delta) || near_int(a - 1.0) || c <= 0.0 || near_int(c - n) && c - n <= 0.0 {
        return None;
    }
    let ln_q = -w.ln_1p();
    let q = ln_q.exp();
    if n * bp * q > 20.0 || ((c - n) * (a - 1.0) * q).abs() > 20.0 {
        return None;
    }
    let series = |p: f64, r: f64, s: f64| -> Option<(f64, f64)> {
        let (mut term, mut sum, mut abs) = (1.0, 1.0, 1.0);
        for k in 0..400 {
            let kf = k as f64;
            term *= (p + kf) * (r + kf) / ((s + kf) * (kf + 1.0)) * q;
            sum += term;
            abs += term.abs();
            if term.abs() <= 1e-17 * abs {
                // A series whose terms grow far past its sum (large
                // parameters, a Pochhammer symbol passing near 0) has lost
                // its digits.
                return (abs <= 1e3 * sum.abs()).then_some((sum, abs));
            }
            if !term.is_finite() || term.abs() > 1e12 {
                return None;
            }
        }
        None
    };
    let (s1, s1a) = series(n, bp, 1.0 - delta)?;
    let (s2, s2a) = series(c - n, a - 1.0, 1.0 + delta)?;
    // Γ(C)/Γ(C−n) and Γ(C)/Γ(b') as differences (their logs are large and
    // close: b' can be thousands).
    let (l_c_cn, s_c_cn) = if c - n > 0.0 {
        (ln_gamma_diff(c - n, n), 1.0)
    } else {
        let (lc, sc) = ln_gamma_signed(c);
        let (lcn, scn) = ln_gamma_signed(c - n);
        (lc - lcn, sc * scn)
    };
    let l_c_b = if a >= 1.0 {
        ln_gamma_diff(bp, a - 1.0)
    } else {
        -ln_gamma_diff(c, 1.0 - a)
    };
    let (ld, sd) = ln_gamma_signed(delta);
    let (la1, sa1) = ln_gamma_signed(a - 1.0);
    let (lmd, smd) = ln_gamma_signed(-delta);
    let (ln_n, sn) = ln_gamma_signed(n);
    let l1 = l_c_cn + ld - la1 + n * ln_q;
    let l2 = l_c_b + lmd - ln_n + (a - 1.0) * ln_q;
    let (t1, t2) = (s_c_cn * sd * sa1 * l1.exp(), smd * sn * l2.exp());
    let bracket = 1.0 - t1 * s1 - t2 * s2;
    let cond = (1.0 + (t1 * s1a).abs() + (t2 * s2a).abs()) / bracket.abs();
    let value = c / (a - 1.0) * bracket;
    (value.is_finite() && value >= 0.0 && cond < 1e2).then_some(value)
}

/// The closed form of [`BgParams::expected_if_alive`] where it is well
/// conditioned (None elsewhere): a ≤ 20 and w ≤ 49 (z ≤ 0.98) keep the
/// series under ~3,000 terms, and the two terms it subtracts must not cancel
/// by more than three digits.
fn closed_form(a: f64, bp: f64, n: f64, w: f64) -> Option<f64> {
    let c = a + bp - 1.0;
    let z = w / (1.0 + w);
    if !(a <= 20.0 && z <= 0.98 && c >= 0.5) {
        return None;
    }
    let ln_q = -w.ln_1p();
    let ap = c - n;
    let (s, s_abs) = series_tail_capped(ap / c * z, ap, a - 1.0, c, z, 4000)?;
    let t1 = -ln_q * exprel((a - 1.0) * ln_q);
    let qa = ((a - 1.0) * ln_q).exp();
    let value = c * (t1 - qa * s);
    let cond = (t1.abs() + qa * s_abs) / (t1 - qa * s).abs();
    (value.is_finite() && value >= 0.0 && cond < 1e3).then_some(value)
}

/// `Σ_{k≥1} t_k` with `t_1 = first`, `t_{k+1} = t_k·(p+k)(q+k)/((c+k)(k+1))·z`
/// (0 ≤ z < 1), and `Σ |t_k|`; None if it needs more than `cap` terms.
fn series_tail_capped(
    first: f64,
    p: f64,
    q: f64,
    c: f64,
    z: f64,
    cap: usize,
) -> Option<(f64, f64)> {
    let (mut term, mut sum, mut abs) = (first, 0.0, 0.0);
    for k in 1..=cap {
        sum += term;
        abs += term.abs();
        let kf = k as f64;
        let ratio = (p + kf) * (q + kf) / ((c + kf) * (kf + 1.0)) * z;
        term *= ratio;
        if term == 0.0 || (term.abs() <= 1e-17 * abs && ratio.abs() < 1.0) {
            return Some((sum, abs));
        }
        if !term.is_finite() {
            return None;
        }
    }
    None
}

/// A quadrature rule for expectations under p ~ Beta(a, b), any a, b in
/// [1e-13, 1e13+x]: Gauss–Legendre panels in u = logit p, where the density
/// `e^(au)(1+e^u)^−(a+b)` is log-concave (panels sized to its slope, up to
/// where it has fallen by e^−42), plus point masses at p = 0 and p = 1 for
/// the tails beyond p_lo and 1 − q_hi, chosen so small that g is constant
/// there to 1e-17 (`left`, `right` bound |g'/g| near 0 and 1). Normalized by
/// its own total, so no Beta function (whose logarithm cancels
/// catastrophically for huge a, b) is needed.
#[derive(Debug, Clone, Default)]
pub(crate) struct BetaRule {
    /// `(p, weight)` of the interior nodes.
    pub nodes: Vec<(f64, f64)>,
    /// Probability mass taken at p = 0.
    pub at_zero: f64,
    /// Probability mass taken at p = 1.
    pub at_one: f64,
}

impl BetaRule {
    /// The rule for `E_p[g(p)]`, `g(p) = (1 − (1 + p·w)^−n)/p`, under
    /// Beta(a, b), for every w, n with `(n+1)·w ≤ reach`: near p = 0,
    /// |g'/g| ≤ (n+1)w/2·…, bounded by `reach`; near p = 1, d ln g/dp lies in
    /// [−1/p, 0] (the ln(1 − (1+pw)^−n) part is at most 1/p), so 2 bounds it
    /// on p ≥ ½ whatever n and w.
    pub(crate) fn for_g(a: f64, b: f64, reach: f64) -> BetaRule {
        BetaRule::new(a, b, reach, 2.0)
    }

    /// The rule for Beta(a, b).
    pub(crate) fn new(a: f64, b: f64, left: f64, right: f64) -> BetaRule {
        let c = a + b;
        // Offsets v = u − peak from the density's peak u* = logit(a/c): with
        // a + b up to 1e13 the nodes must be exact relative to the peak.
        let peak = a.ln() - b.ln();
        let sp = a / c;
        // ln density at v relative to the peak, without cancellation.
        let rel = |v: f64| a * v - c * (sp * v.exp_m1()).ln_1p();
        let slope = |v: f64| a - c * logistic(peak + v);
        let fall = |v: f64| -rel(v);
        let p_lo = 1e-17 / left.max(b).max(1.0);
        let q_hi = 1e-17 / right.max(a).max(1.0);
        let (v_lo, v_hi) = ((p_lo.ln() - peak).min(0.0), (-q_hi.ln() - peak).max(0.0));
        let mut list = [Panel::default(); MAX_PANELS];
        let count = concave_panels(v_lo, v_hi, &fall, &slope, 0.0, 4.0, &mut list);
        let mut rule = BetaRule::default();
        let mut total = 0.0;
        for panel in &list[..count] {
            let mut add = |v: f64, w: f64| {
                let wt = w * rel(v).exp();
                total += wt;
                rule.nodes.push((logistic(peak + v), wt));
            };
            if panel.coarse {
                for (v, w) in gl8(panel.lo, panel.hi) {
                    add(v, w);
                }
            } else {
                for (v, w) in gl16(panel.lo, panel.hi) {
                    add(v, w);
                }
            }
        }
        // Tails: ∫ beyond u_lo ≈ e^ℓ(u_lo)/a, beyond u_hi ≈ e^ℓ(u_hi)/b.
        if fall(v_lo) <= CUT {
            rule.at_zero = rel(v_lo).exp() / a;
        }
        if fall(v_hi) <= CUT {
            rule.at_one = rel(v_hi).exp() / b;
        }
        total += rule.at_zero + rule.at_one;
        for node in rule.nodes.iter_mut() {
            node.1 /= total;
        }
        rule.at_zero /= total;
        rule.at_one /= total;
        rule
    }

    /// `E_p[(1 − (1 + p·w)^−n)/p]`.
    pub(crate) fn mean(&self, w: f64, n: f64) -> f64 {
        let mut e = self.at_zero * n * w + self.at_one * g_of(1.0, w, n);
        for &(p, wt) in &self.nodes {
            e += wt * g_of(p, w, n);
        }
        e
    }
}

/// `1/(1+e^−u)` without overflow.
#[inline]
fn logistic(u: f64) -> f64 {
    logistic_neg(-u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repurchase::optimize::assert_derivatives_match_differences;

    /// Every evaluation of E[(1 − (1+pw)^−n)/p] agrees with the direct
    /// integral over p (the Beta rule, exact everywhere) wherever it applies.
    #[test]
    fn expectation_paths_agree_with_the_direct_integral() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut unit = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut used = [0usize; 4];
        for _ in 0..3000 {
            let a = (unit() * 14.0 - 5.0).exp(); // 7e-3 … 8e3
            let bp = (unit() * 16.0 - 4.0).exp();
            let n = (unit() * 10.0 - 3.0).exp();
            let w = (unit() * 22.0 - 8.0).exp();
            let reference = BetaRule::new(a, bp, (n + 1.0) * w, n + 1.0).mean(w, n);
            let tol = 1e-10 * reference.abs() + 1e-300;
            // The rule built for a longer reach and the tight p → 1 bound.
            let reused = BetaRule::for_g(a, bp, 4.0 * (n + 1.0) * w).mean(w, n);
            assert!(
                (reused - reference).abs() < 1e-12 * reference,
                "for_g a {a} b {bp} n {n} w {w}: {reused} vs {reference}"
            );
            let gj = |a: f64, bp: f64, n: f64, w: f64| {
                (a >= 50.0).then(|| gauss_jacobi(a, bp).unwrap().mean(w, n))
            };
            type Path<'a> = &'a dyn Fn(f64, f64, f64, f64) -> Option<f64>;
            let paths: [(&str, Path); 4] = [
                ("GJ", &gj),
                ("closed", &closed_form),
                ("long", &long_horizon_form),
                ("small", &small_p_form),
            ];
            for ((name, path), used) in paths.into_iter().zip(&mut used) {
                if let Some(got) = path(a, bp, n, w) {
                    assert!(
                        (got - reference).abs() < tol,
                        "{name} a {a} b {bp} n {n} w {w}: {got} vs {reference}"
                    );
                    *used += 1;
                }
            }
        }
        assert!(used.iter().all(|&u| u > 200), "{used:?}");
    }

    /// The two-point form of the a, b' → 0 corner agrees with the direct
    /// integral wherever its error bound lets it apply, applies at the
    /// corner whatever n and w, and declines once a or b' is not small.
    #[test]
    fn two_point_form_agrees_with_the_direct_integral() {
        let mut taken = 0;
        for a in [1e-13, 1e-11, 1e-9, 1e-6, 1e-3] {
            for bp in [1e-13, 1e-10, 1e-6, 1.0, 7.0, 40.0] {
                for n in [0.3, 2.0, 1e4, 1e13] {
                    for nw in [0.01, 1.0, 30.0, 521.0, 1e5] {
                        let w = nw / n;
                        let Some(got) = two_point_form(a, bp, n, w) else {
                            continue;
                        };
                        let reference = BetaRule::new(a, bp, (n + 1.0) * w, n + 1.0).mean(w, n);
                        assert!(
                            (got - reference).abs() <= 1e-11 * reference,
                            "a {a} b' {bp} n {n} w {w}: {got} vs {reference}"
                        );
                        taken += 1;
                    }
                }
            }
        }
        assert!(taken >= 40, "{taken}");
        for (n, nw) in [(1e13, 4.345), (1e13, 521.0), (0.3, 1e3)] {
            assert!(
                two_point_form(1e-13, 1e-13, n, nw / n).is_some(),
                "{n} {nw}"
            );
        }
        assert!(two_point_form(0.3, 0.3, 1e13, 521.0 / 1e13).is_none());
    }

    #[test]
    fn analytic_derivatives_match_differences() {
        let rows = Rows::new(
            &[0.0, 2.0, 5.0, 1.0, 0.0],
            &[0.0, 30.4, 20.0, 3.0, 0.0],
            &[38.9, 38.9, 27.0, 10.0, 2.0],
            Some(&[3.0, 1.0, 2.0, 1.0, 1.0]),
        );
        for variant in [Variant::Bg, Variant::Modified] {
            let obj = BgObjective {
                rows: &rows,
                variant,
            };
            let phi = [(-1.2f64), 1.4, -0.2, 0.9];
            let f = assert_derivatives_match_differences(&obj, &phi, &format!("{variant:?}"));
            // value agrees with the per-customer formula
            let p = BgParams {
                r: phi[0].exp(),
                alpha: phi[1].exp(),
                a: phi[2].exp(),
                b: phi[3].exp(),
            };
            let direct = 3.0 * p.log_likelihood(variant, 0.0, 0.0, 38.9)
                + p.log_likelihood(variant, 2.0, 30.4, 38.9)
                + 2.0 * p.log_likelihood(variant, 5.0, 20.0, 27.0)
                + p.log_likelihood(variant, 1.0, 3.0, 10.0)
                + p.log_likelihood(variant, 0.0, 0.0, 2.0);
            assert!((direct - f).abs() < 1e-9 * f.abs());
        }
    }
}
