//! BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel &
//! Filiztekin 2007), which share every formula up to a shift:
//!
//! `L = Γ(r+x)αʳ/Γ(r) · B(a, b+x+m)/B(a, b) · [(α+T)^−(r+x) + δ·a/(b+x+m−1)·(α+t_x)^−(r+x)]`
//!
//! with m = 0, δ = [x > 0] for BG/NBD and m = 1, δ = 1 for MBG/NBD (which lets
//! a customer drop out right after the first purchase). The log-likelihood is
//! evaluated with `(α+t_x)^−(r+x)` factored out (Hardie's note 027 form), so
//! the bracket is `ln(C₃ + D)` with `C₃ = ((α+t_x)/(α+T))^(r+x) ≤ 1`: no
//! overflow for any x. Gradient and Hessian are analytic.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices

use super::data::Rows;
use super::optimize::{Mat4, Objective, Vec4};
use super::special::{digamma, exprel, ln_gamma, logistic_neg, series_tail, trigamma};
use crate::stats::clamp;

/// Which of the two models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// BG/NBD: dropout only after a repeat purchase.
    Bg,
    /// MBG/NBD: dropout possible after any purchase, including the first.
    Modified,
}

impl Variant {
    fn shift(self) -> f64 {
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

    fn analytic_hessian(&self) -> bool {
        true
    }

    fn eval(&self, phi: &Vec4, grad: Option<&mut Vec4>, hess: Option<&mut Mat4>) -> f64 {
        let rows = self.rows;
        let (r, alpha, a, b) = (phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp());
        let sh = self.variant.shift();
        // θ-space gradient g and Hessian h (r, α, a, b).
        let mut f = 0.0;
        let mut g = [0.0f64; 4];
        let mut h = [[0.0f64; 4]; 4];
        // Terms shared by all rows: r ln α.
        let wt = rows.total_weight;
        let ln_alpha = alpha.ln();
        f += wt * r * ln_alpha;
        g[0] += wt * ln_alpha;
        g[1] += wt * r / alpha;
        h[0][1] += wt / alpha;
        h[1][1] -= wt * r / (alpha * alpha);
        // Logs of α + time, once per distinct time.
        let mut lt = Vec::with_capacity(rows.times.len());
        let mut it = Vec::with_capacity(rows.times.len());
        for &tv in &rows.times {
            lt.push((alpha + tv).ln());
            it.push(1.0 / (alpha + tv));
        }
        let (lg_ab, dg_ab, tg_ab) = (ln_gamma(a + b), digamma(a + b), trigamma(a + b));
        let (lg_b, dg_b, tg_b) = (ln_gamma(b), digamma(b), trigamma(b));
        let (lg_r, dg_r, tg_r) = (ln_gamma(r), digamma(r), trigamma(r));
        for &(x, start, end, wg) in &rows.groups {
            // x-only terms.
            let m = x + sh;
            let lgr = ln_gamma(r + x) - lg_r;
            let dr = digamma(r + x) - dg_r;
            let drr = trigamma(r + x) - tg_r;
            let beta_part = ln_gamma(b + m) - lg_b + lg_ab - ln_gamma(a + b + m);
            let da = dg_ab - digamma(a + b + m);
            let daa = tg_ab - trigamma(a + b + m);
            let db = digamma(b + m) - dg_b + da;
            let dbb = trigamma(b + m) - tg_b + daa;
            f += wg * (lgr + beta_part);
            g[0] += wg * dr;
            g[2] += wg * da;
            g[3] += wg * db;
            h[0][0] += wg * drr;
            h[2][2] += wg * daa;
            h[2][3] += wg * daa;
            h[3][3] += wg * dbb;
            let has_d = self.variant.dropout_term(x);
            let den = b + x + sh - 1.0;
            let d = if has_d { a / den } else { 0.0 };
            let n = r + x;
            for i in start..end {
                let (Some(&w), Some(&ix), Some(&i_t)) =
                    (rows.w.get(i), rows.tx.get(i), rows.t.get(i))
                else {
                    continue;
                };
                let (ix, i_t) = (ix as usize, i_t as usize);
                let (Some(&l1), Some(&l2), Some(&i1), Some(&i2)) =
                    (lt.get(ix), lt.get(i_t), it.get(ix), it.get(i_t))
                else {
                    continue;
                };
                let u = l1 - l2;
                let c3 = (n * u).exp();
                let s = c3 + d;
                let inv_s = 1.0 / s;
                f += w * (-n * l1 + s.ln());
                let ua = i1 - i2;
                let uaa = i2 * i2 - i1 * i1;
                // ∂S/S
                let sr = c3 * u * inv_s;
                let sa_ = c3 * n * ua * inv_s;
                let s_a = if has_d { inv_s / den } else { 0.0 };
                let s_b = if has_d { -d / den * inv_s } else { 0.0 };
                g[0] += w * (-l1 + sr);
                g[1] += w * (-n * i1 + sa_);
                g[2] += w * s_a;
                g[3] += w * s_b;
                // ∂²S/S − (∂S/S)(∂S/S)ᵀ
                let srr = c3 * u * u * inv_s;
                let sra = c3 * ua * (1.0 + n * u) * inv_s;
                let saa = c3 * (n * n * ua * ua + n * uaa) * inv_s;
                let s_ab = if has_d { -inv_s / (den * den) } else { 0.0 };
                let s_bb = if has_d {
                    2.0 * d / (den * den) * inv_s
                } else {
                    0.0
                };
                h[0][0] += w * (srr - sr * sr);
                h[0][1] += w * (sra - sr * sa_ - i1);
                h[1][1] += w * (saa - sa_ * sa_ + n * i1 * i1);
                h[0][2] -= w * sr * s_a;
                h[0][3] -= w * sr * s_b;
                h[1][2] -= w * sa_ * s_a;
                h[1][3] -= w * sa_ * s_b;
                h[2][2] -= w * s_a * s_a;
                h[2][3] += w * (s_ab - s_a * s_b);
                h[3][3] += w * (s_bb - s_b * s_b);
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

impl BgParams {
    /// `ln` of the odds term `δ·a/(b+x+m−1)·((α+T)/(α+t_x))^(r+x)`; −∞ when absent.
    fn ln_dropout_odds(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        if !v.dropout_term(x) {
            return f64::NEG_INFINITY;
        }
        let den = self.b + x + v.shift() - 1.0;
        self.a.ln() - den.ln() + (self.r + x) * ((self.alpha + t).ln() - (self.alpha + tx).ln())
    }

    /// P(alive at T | x, t_x, T).
    pub fn probability_alive(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        let lo = self.ln_dropout_odds(v, x, tx, t);
        if lo == f64::NEG_INFINITY {
            1.0
        } else {
            logistic_neg(lo)
        }
    }

    /// E[purchases in (T, T+h] | x, t_x, T].
    pub fn expected_purchases(&self, v: Variant, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        self.probability_alive(v, x, tx, t) * self.expected_if_alive(v, h, x, t)
    }

    /// E[purchases in (T, T+h] | alive at T]: with n = r+x, C = a+b+x+m−1,
    /// q = (α+T)/(α+T+h), it is `C/(a−1)·[1 − q^(a−1)·₂F₁(C−n, a−1; C; 1−q)]`
    /// (the Euler-transformed FHL eq. 10), rearranged so the factor (a−1)
    /// cancels analytically: `C·[−ln q·exprel((a−1)ln q) − q^(a−1)·S]`,
    /// `S = Σ_{k≥1} (C−n)_k (a)_{k−1} / ((C)_k k!) (1−q)^k`.
    pub fn expected_if_alive(&self, v: Variant, h: f64, x: f64, t: f64) -> f64 {
        let BgParams { r, alpha, a, b } = *self;
        let c = a + b + x + v.shift() - 1.0;
        let n = r + x;
        let big_a = alpha + t;
        let ln_q = -(h / big_a).ln_1p();
        let z = h / (big_a + h);
        if c >= 0.5 && z <= 0.99 {
            let ap = c - n;
            let first = ap / c * z; // k = 1 term: (C−n)·1/(C·1!)·z
            let s = series_tail(first, ap, a - 1.0, c, z);
            let value = c * (-ln_q * exprel((a - 1.0) * ln_q) - ((a - 1.0) * ln_q).exp() * s);
            if value.is_finite() && value >= 0.0 {
                return value;
            }
        }
        self.expected_if_alive_quadrature(v, h, x, t)
    }

    /// The same expectation as ∫₀ʰ E[λ·(1 + p·u/(α+T))^−(n+1)] du, i.e.
    /// `∫₀ʰ n/(α+T) · ₂F₁(n+1, a; a+b'; −u/(α+T)) du` (b' = b+x+m), by
    /// Gauss–Legendre in v = ln(1 + u/(α+T)); used where the series form is
    /// ill-conditioned (a+b' − 1 small, or h ≫ α+T).
    fn expected_if_alive_quadrature(&self, v: Variant, h: f64, x: f64, t: f64) -> f64 {
        let BgParams { r, alpha, a, b } = *self;
        let bp = b + x + v.shift();
        let n = r + x;
        let big_a = alpha + t;
        let vmax = (h / big_a).ln_1p();
        let rule = super::special::gauss_legendre(48);
        let panels = (vmax.ceil() as usize).clamp(1, 64);
        super::special::integrate(
            |vv| {
                // u/(α+T) = e^v − 1 = w; du = (α+T) e^v dv.
                let w = vv.exp_m1();
                let zz = w / (1.0 + w);
                // Pfaff: ₂F₁(n+1, a; c; −w) = (1+w)^−a ₂F₁(c−n−1, a; c; w/(1+w)).
                let cc = a + bp;
                let f =
                    (-a * w.ln_1p()).exp() * super::special::hyp2f1_series(cc - n - 1.0, a, cc, zz);
                n * vv.exp() * f
            },
            0.0,
            vmax,
            &rule,
            panels,
        )
        .max(0.0)
    }

    /// P(at least one purchase in (T, T+h] | x, t_x, T) =
    /// P(alive)·(1 − ((α+T)/(α+T+h))^(r+x)). For x = 0 under BG/NBD P(alive) = 1.
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
    pub fn log_likelihood(&self, v: Variant, x: f64, tx: f64, t: f64) -> f64 {
        let BgParams { r, alpha, a, b } = *self;
        let m = x + v.shift();
        let base = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(b + m) - ln_gamma(b)
            + ln_gamma(a + b)
            - ln_gamma(a + b + m);
        let n = r + x;
        let l1 = (alpha + tx).ln();
        let c3 = (n * (l1 - (alpha + t).ln())).exp();
        let d = if v.dropout_term(x) {
            a / (b + x + v.shift() - 1.0)
        } else {
            0.0
        };
        base - n * l1 + (c3 + d).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repurchase::optimize::full_eval;

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
            let (f, g, h) = full_eval(&obj, &phi);
            for i in 0..4 {
                let eps = 1e-6;
                let mut p = phi;
                p[i] += eps;
                let mut m = phi;
                m[i] -= eps;
                let mut gp = [0.0; 4];
                let mut gm = [0.0; 4];
                let fp = obj.eval(&p, Some(&mut gp), None);
                let fm = obj.eval(&m, Some(&mut gm), None);
                let num = (fp - fm) / (2.0 * eps);
                assert!(
                    (num - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()),
                    "{variant:?} g{i}"
                );
                for j in 0..4 {
                    let hn = (gp[j] - gm[j]) / (2.0 * eps);
                    assert!(
                        (hn - h[i][j]).abs() < 1e-5 * (1.0 + h[i][j].abs()),
                        "{variant:?} h{i}{j}: {hn} vs {}",
                        h[i][j]
                    );
                }
            }
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
