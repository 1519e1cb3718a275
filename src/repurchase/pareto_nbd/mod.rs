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
//! 160 terms (`SERIES_CAP`) and 96 panels of 16 nodes (`MAX_PANELS`)) for any
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
//! (`theta_log_likelihood`) so a model with covariates (customer-specific
//! α and β) can reuse them with its own chain rule.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices
mod integral;

use super::data::Rows;
use super::optimize::{Mat4, Objective, Vec4};
use super::special::{digamma_diff, exprel, gl16, ln_gamma_diff, trigamma_diff};
use crate::stats::clamp;
use integral::{logaddexp_weights, quadrature_part, tail_integral, Exps, Moments, ZERO4, ZERO44};
pub(crate) use integral::{GSeries, Want};

/// Parameters of the Pareto/NBD.
///
/// ```
/// # use shijing::repurchase::{Model, ModelKind, ParetoParams};
/// // Fader, Hardie & Lee's CDNOW Pareto/NBD. A new customer's expected
/// // purchases in t weeks: rβ/(α(s − 1))·(1 − (β/(β + t))^(s−1)).
/// let m = Model::from_params(ModelKind::ParetoNbd, &[0.55, 10.58, 0.61, 11.67]).unwrap();
/// let Model::ParetoNbd(p) = m else { unreachable!() };
/// assert_eq!(p, ParetoParams { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 });
/// let t = 39.0;
/// let want = p.r * p.beta / (p.alpha * (p.s - 1.0)) * (1.0 - (p.beta / (p.beta + t)).powf(p.s - 1.0));
/// let got = m.new_customer_expected_purchases(&[t]).unwrap()[0];
/// assert!((got - want).abs() < 1e-10 * want);
/// ```
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
/// Which of the two integrals of a customer's bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// `J(t) = I(t; n, s+1)` (dropout after the last purchase).
    J,
    /// `K(t) = I(t; n+1, s)` (a next purchase before dropout).
    K,
}

impl ParetoParams {
    /// `αʳβˢ·J` or `αʳβˢ·K` at t for customers with x repeat purchases, in
    /// θ = (r, α, s, β) coordinates, centred at t: the r and s entries are
    /// those of `−ln((α+τ)/(α+t))` and `−ln((β+τ)/(β+t))`, i.e. the scores
    /// minus `c(t) = (−ln(1+t/α), 0, −ln(1+t/β), 0)`.
    pub(crate) fn integral(
        &self,
        which: Which,
        x: f64,
        t: f64,
        g: &mut GSeries,
        want: Want,
    ) -> Moments {
        self.oriented(which, x, |e, big, small| {
            tail_integral(e, big, small, t, g, want)
        })
    }

    /// The part `∫_a^b` of what [`ParetoParams::integral`] integrates over
    /// [a, ∞), by quadrature, centred at a.
    pub(crate) fn piece(&self, which: Which, x: f64, a: f64, b: f64, want: Want) -> Moments {
        self.oriented(which, x, |e, big, small| {
            quadrature_part(e, big, small, a, b, want)
        })
    }

    /// `f(exponents, M, m)` of `which`'s integral with the larger scale `M`
    /// first (`(ρ_M, M, ρ_m, m)` is `(r, α, s, β)` or `(s, β, r, α)`), its
    /// moments returned in θ = (r, α, s, β) order.
    fn oriented(
        &self,
        which: Which,
        x: f64,
        f: impl FnOnce(&Exps, f64, f64) -> Moments,
    ) -> Moments {
        let (ka, kb) = match which {
            Which::J => (x, 1.0),
            Which::K => (x + 1.0, 0.0),
        };
        if self.alpha >= self.beta {
            let e = Exps {
                rb: self.r,
                kb: ka,
                rs: self.s,
                ks: kb,
            };
            f(&e, self.alpha, self.beta)
        } else {
            let e = Exps {
                rb: self.s,
                kb,
                rs: self.r,
                ks: ka,
            };
            f(&e, self.beta, self.alpha).permuted([2, 3, 0, 1])
        }
    }

    /// The integral at every time `times[i]`, `i` in `idx` (ascending, distinct),
    /// into `cache[i]` stamped with `stamp`: directly at the largest, then
    /// downwards as the short piece to the next time plus the integral there
    /// (a sum of positive parts), so each further time costs one short
    /// quadrature instead of a whole integral.
    #[allow(clippy::too_many_arguments)]
    fn integrals_at(
        &self,
        which: Which,
        x: f64,
        times: &[f64],
        idx: &[u32],
        g: &mut GSeries,
        want: Want,
        stamp: usize,
        cache: &mut [(usize, Moments)],
    ) {
        let time = |k: usize| idx.get(k).and_then(|&i| times.get(i as usize)).copied();
        let Some(top) = idx.len().checked_sub(1) else {
            return;
        };
        let Some(t_top) = time(top) else { return };
        let mut cur = self.integral(which, x, t_top, g, want);
        if let Some(slot) = cache.get_mut(idx[top] as usize) {
            *slot = (stamp, cur);
        }
        let mut above = t_top;
        let (big, small) = (self.alpha.max(self.beta), self.alpha.min(self.beta));
        for k in (0..top).rev() {
            let Some(t) = time(k) else { continue };
            // Where the series needs few terms (z ≤ ¼: ≤ 35) it is cheaper
            // than the piece's quadrature.
            if (big - small) / (big + t) <= 0.25 {
                cur = self.integral(which, x, t, g, want);
                if let Some(slot) = cache.get_mut(idx[k] as usize) {
                    *slot = (stamp, cur);
                }
                above = t;
                continue;
            }
            let part = self.piece(which, x, t, above, want);
            // Centre of `cur` moved from `above` to t.
            let shift = [
                -((above - t) / (self.alpha + t)).ln_1p(),
                0.0,
                -((above - t) / (self.beta + t)).ln_1p(),
                0.0,
            ];
            cur = Moments::sum(&part, &cur.recentred(&shift, want), want);
            if let Some(slot) = cache.get_mut(idx[k] as usize) {
                *slot = (stamp, cur);
            }
            above = t;
        }
    }

    /// `(ln(s·αʳβˢJ(t_x)), ln(n·αʳβˢK(T)))`: the two parts of `αʳβˢ·B`.
    fn bracket_parts(&self, x: f64, tx: f64, t: f64) -> (f64, f64) {
        let mut g = GSeries::default();
        let j = self.integral(Which::J, x, tx, &mut g, Want::Value);
        let k = self.integral(Which::K, x, t, &mut g, Want::Value);
        (self.s.ln() + j.ln, (self.r + x).ln() + k.ln)
    }

    /// Per-customer log-likelihood.
    ///
    /// With α = β the bracket integrates in closed form,
    /// `B = (α+T)^−(n+s) + s/(n+s)·[(α+t_x)^−(n+s) − (α+T)^−(n+s)]`:
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 1.5, beta: 2.0 };
    /// let (x, tx, t) = (2.0, 3.0, 6.0);
    /// let k = 4.0; // n + s, n = r + x = 2.5; α + t_x = 5, α + T = 8
    /// let b = 8f64.powf(-k) + p.s / k * (5f64.powf(-k) - 8f64.powf(-k));
    /// let gamma_ratio = 1.5 * 0.5; // Γ(2.5)/Γ(0.5)
    /// let want = (gamma_ratio * 2f64.powf(p.r + p.s) * b).ln(); // Γ(n)/Γ(r)·αʳβˢ·B
    /// assert!((p.log_likelihood(x, tx, t) - want).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(&self, x: f64, tx: f64, t: f64) -> f64 {
        let (lj, lk) = self.bracket_parts(x, tx, t);
        ln_gamma_diff(self.r, x) + logaddexp_weights(lj, lk).0
    }

    /// P(alive at T | x, t_x, T) = (α+T)^−n (β+T)^−s / B, in logs (both times αʳβˢ).
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// // With α = β and no repeat purchase, B·α^(r+s) = r/(r+s)·q + s/(r+s),
    /// // q = (α/(α+T))^(r+s) = (2/8)² = 1/16: P(alive) = q/(49/64) = 4/49.
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 1.5, beta: 2.0 };
    /// assert!((p.probability_alive(0.0, 0.0, 6.0) - 4.0 / 49.0).abs() < 1e-14);
    /// // A purchase at T itself: no time to have dropped out since.
    /// let q = ParetoParams { r: 0.5, alpha: 1.0, s: 0.7, beta: 5.0 };
    /// assert!((q.probability_alive(3.0, 10.0, 10.0) - 1.0).abs() < 1e-12);
    /// ```
    pub fn probability_alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        let (lj, lk) = self.bracket_parts(x, tx, t);
        let ln_alive = -self.r * (t / self.alpha).ln_1p()
            - x * (self.alpha + t).ln()
            - self.s * (t / self.beta).ln_1p();
        clamp((ln_alive - logaddexp_weights(lj, lk).0).exp(), 0.0, 1.0)
    }

    /// E[purchases in (T, T+h] | x, t_x, T] = P(alive)·E[… | alive at T].
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// // With hardly any dropout (s → 0) the NBD's (r+x)/(α+T)·h.
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 1e-9, beta: 4.0 };
    /// assert!((p.expected_purchases(8.0, 2.0, 3.0, 6.0) - 2.5 / 8.0 * 8.0).abs() < 1e-6);
    /// assert_eq!(p.expected_purchases(0.0, 2.0, 3.0, 6.0), 0.0);
    /// ```
    pub fn expected_purchases(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        self.probability_alive(x, tx, t) * self.expected_if_alive(h, x, t)
    }

    /// E[purchases in (T, T+h] | alive at T] =
    /// (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+h))^(s−1)], the bracket over
    /// (s−1) computed as `−ln q·exprel((s−1)ln q)` (exact at s = 1).
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// // s = 2: the bracket over (s−1) is h/(β+T+h), so (r+x)/(α+T)·(β+T)h/(β+T+h).
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 2.0, beta: 4.0 };
    /// let want = 2.5 / 8.0 * 10.0 * 10.0 / 20.0;
    /// assert!((p.expected_if_alive(10.0, 2.0, 6.0) - want).abs() < 1e-14);
    /// // s = 1: the limit (r+x)(β+T)/(α+T)·ln(1 + h/(β+T)).
    /// let p = ParetoParams { s: 1.0, ..p };
    /// let want = 2.5 / 8.0 * 10.0 * 2f64.ln();
    /// assert!((p.expected_if_alive(10.0, 2.0, 6.0) - want).abs() < 1e-14);
    /// ```
    pub fn expected_if_alive(&self, h: f64, x: f64, t: f64) -> f64 {
        let big_b = self.beta + t;
        let ln_q = -(h / big_b).ln_1p();
        (self.r + x) / (self.alpha + t) * big_b * (-ln_q) * exprel((self.s - 1.0) * ln_q)
    }

    /// P(at least one purchase in (T, T+h] | x, t_x, T) = P(alive)·P(… | alive at T).
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// // With hardly any dropout (s → 0): λ ~ Gamma(r+x, α+T) given the
    /// // history, so P(≥ 1 purchase in h) = 1 − ((α+T)/(α+T+h))^(r+x).
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 1e-9, beta: 4.0 };
    /// let want = 1.0 - 0.5f64.powf(2.5);
    /// assert!((p.probability_of_repurchase(8.0, 2.0, 3.0, 6.0) - want).abs() < 1e-6);
    /// ```
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
    ///
    /// ```
    /// # use shijing::repurchase::ParetoParams;
    /// // With α = β = A − T the integral is n/(n+s)·[1 − (A/(A+h))^(n+s)],
    /// // here n = 2.5, s = 1.5, A = 8, by the difference of K and (short h)
    /// // by quadrature.
    /// let p = ParetoParams { r: 0.5, alpha: 2.0, s: 1.5, beta: 2.0 };
    /// let want = |h: f64| 2.5 / 4.0 * (1.0 - (8.0 / (8.0 + h)).powi(4));
    /// assert!((p.repurchase_if_alive(8.0, 2.0, 6.0) - want(8.0)).abs() < 1e-14);
    /// assert!((p.repurchase_if_alive(0.5, 2.0, 6.0) - want(0.5)).abs() < 1e-14);
    /// ```
    pub fn repurchase_if_alive(&self, h: f64, x: f64, t: f64) -> f64 {
        let n = self.r + x;
        let s = self.s;
        let big_a = self.alpha + t;
        let big_b = self.beta + t;
        let mut g = GSeries::default();
        let k0 = self.integral(Which::K, x, t, &mut g, Want::Value).ln;
        let k1 = self.integral(Which::K, x, t + h, &mut g, Want::Value).ln;
        // n(α+T)ⁿ(β+T)ˢ/(αʳβˢ), as K here carries αʳβˢ.
        let ln_pref = n.ln()
            + self.r * (t / self.alpha).ln_1p()
            + x * big_a.ln()
            + s * (t / self.beta).ln_1p();
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
pub(crate) fn theta_log_likelihood(rows: &Rows, p: &ParetoParams, want: Want) -> (f64, Vec4, Mat4) {
    let ParetoParams { r, alpha, s, beta } = *p;
    let ln_s = s.ln();
    let mut f = 0.0;
    let mut g = ZERO4;
    let mut h = ZERO44;
    let mut gj = GSeries::default();
    let mut gk = GSeries::default();
    // J depends on (x, t_x), K on (x, T): per x group, all at once, cached
    // by time index and stamped with the group.
    let blank = Moments::of_ln(0.0);
    let mut j_cache: Vec<(usize, Moments)> = vec![(usize::MAX, blank); rows.times.len()];
    let mut k_cache: Vec<(usize, Moments)> = vec![(usize::MAX, blank); rows.times.len()];
    let mut idx: Vec<u32> = Vec::new();
    for (gi, &(x, start, end, wg)) in rows.groups.iter().enumerate() {
        let n = r + x;
        let ln_n = n.ln();
        // x-only terms: lnΓ(r+x) − lnΓ(r) (αʳβˢ is inside the integrals).
        f += wg * ln_gamma_diff(r, x);
        if want >= Want::Gradient {
            g[0] += wg * digamma_diff(r, x);
        }
        if want == Want::Hessian {
            h[0][0] += wg * trigamma_diff(r, x);
        }
        // Rows are sorted by t_x within x, so their t_x indices ascend.
        idx.clear();
        idx.extend(rows.tx.get(start..end).unwrap_or(&[]));
        idx.dedup();
        p.integrals_at(
            Which::J,
            x,
            &rows.times,
            &idx,
            &mut gj,
            want,
            gi,
            &mut j_cache,
        );
        idx.clear();
        idx.extend(rows.t.get(start..end).unwrap_or(&[]));
        idx.sort_unstable();
        idx.dedup();
        p.integrals_at(
            Which::K,
            x,
            &rows.times,
            &idx,
            &mut gk,
            want,
            gi,
            &mut k_cache,
        );
        for i in start..end {
            let (Some(&w), Some(&ix), Some(&it)) = (rows.w.get(i), rows.tx.get(i), rows.t.get(i))
            else {
                continue;
            };
            let (Some(&tx), Some(&tt)) = (rows.times.get(ix as usize), rows.times.get(it as usize))
            else {
                continue;
            };
            let (Some(jm), Some(km)) = (j_cache.get(ix as usize), k_cache.get(it as usize)) else {
                continue;
            };
            let (jm, km) = (&jm.1, km.1);
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
            // ∂B/B (centred at t_x): B = s·J + n·K (both times αʳβˢ), ∂s/∂s = 1, ∂n/∂r = 1.
            let mut gb = ZERO4;
            for k in 0..4 {
                gb[k] = wj * jm.d1[k] + wk * km.d1[k];
            }
            gb[2] += wj / s;
            gb[0] += wk / n;
            // Un-centred gradient of ln(αʳβˢB): + c(t_x) = (−ln(1+t_x/α), 0, −ln(1+t_x/β), 0).
            g[0] += w * (gb[0] - (tx / alpha).ln_1p());
            g[1] += w * gb[1];
            g[2] += w * (gb[2] - (tx / beta).ln_1p());
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
///
/// ```
/// # use shijing::repurchase::{data::Rows, optimize::Objective, pareto_nbd::ParetoObjective, Model, ModelKind};
/// let (x, tx, t) = ([0.0, 2.0, 5.0, 2.0], [0.0, 20.0, 28.0, 20.0], [30.0; 4]);
/// let rows = Rows::new(&x, &tx, &t, None); // the two identical customers are one row
/// let theta = [0.55, 10.58, 0.61, 11.67];
/// // Its value at φ = ln θ is the customers' total log-likelihood.
/// let ll = ParetoObjective { rows: &rows }.eval(&theta.map(f64::ln), None, None);
/// let model = Model::from_params(ModelKind::ParetoNbd, &theta).unwrap();
/// let direct = model.log_likelihood(&x, &tx, &t, None).unwrap();
/// assert!((ll - direct).abs() <= 1e-12 * direct.abs());
/// ```
pub struct ParetoObjective<'a> {
    /// Compressed customers.
    pub rows: &'a Rows,
}

impl Objective for ParetoObjective<'_> {
    fn dim(&self) -> usize {
        4
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
pub(crate) fn to_log_coordinates(
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
    use crate::repurchase::optimize::assert_derivatives_match_differences;

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
        // (ρ_M, k_M, ρ_m, k_m, M, m, t): z ≈ 0, z = ½ exactly, z → 1 (ratio
        // 1e6, 1e12), heavy buyers (k ≈ 1e4 on either base), a
        // rising-then-falling integrand (Q < 1), tiny shapes.
        let cases = [
            (0.6, 0.0, 0.6, 1.0, 11.7, 10.6, 0.0),
            (1.0, 1.0, 0.3, 1.0, 3.0, 1.0, 1.0),
            (0.6, 0.0, 0.6, 1.0, 100.0, 1.0, 0.0),
            (0.6, 0.0, 0.6, 1.0, 100.0, 1.0, 30.0),
            (0.3, 1.0, 0.5, 0.0, 1e6, 1.0, 0.0),
            (0.3, 1.0, 0.5, 0.0, 1e6, 1.0, 7.0),
            (0.5, 1.0, 0.1, 0.0, 1e12, 1e-1, 0.0),
            (0.5, 10_000.0, 0.3, 1.0, 50.0, 1.0, 2.0),
            (0.3, 1.0, 0.5, 10_000.0, 50.0, 1.0, 2.0),
            (0.3, 1.0, 0.5, 300.0, 50.0, 1.0, 0.0),
            (0.3, 1.0, 0.7, 3000.0, 5e4, 1.0, 9.0),
            (1e-9, 0.0, 0.3, 1.0, 1e4, 1.0, 0.0),
            (1.0, 1.0, 1e-9, 0.0, 1e4, 1.0, 0.5),
        ];
        for &(rb, kb, rs, ks, big, small, t) in &cases {
            let e = Exps { rb, kb, rs, ks };
            let got = tail_integral(&e, big, small, t, &mut g, Want::Value).ln;
            let want = brute(rb + kb, rs + ks, big, small, t) + rb * big.ln() + rs * small.ln();
            assert!(
                (got - want).abs() < 2e-13 * want.abs().max(1.0),
                "{rb} {kb} {rs} {ks} M {big} m {small} t {t}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn tail_integral_derivatives_match_differences() {
        let mut g = GSeries::default();
        for &(rb, kb, rs, ks, big, small, t) in &[
            (0.6, 0.0, 0.6, 1.0, 11.7, 10.6, 3.0),
            (0.6, 0.0, 0.6, 1.0, 100.0, 1.0, 0.0),
            (0.3, 1.0, 0.5, 0.0, 1e4, 1.0, 2.0),
            (0.5, 30.0, 0.3, 1.0, 50.0, 1.0, 2.0),
            (0.3, 1.0, 0.5, 12.0, 50.0, 1.0, 2.0),
            // steep and barely curved: the Gauss–Laguerre path
            (0.3, 1.0, 0.5, 3000.0, 50.0, 1.0, 2.0),
            // a shape and its rate both huge: the scores are differences of large terms
            (4e9, 2.0, 0.7, 1.0, 1e10, 3.0, 5.0),
        ] {
            let x = [rb, big, rs, small];
            let eval = |x: &[f64; 4], g: &mut GSeries, want| {
                let e = Exps {
                    rb: x[0],
                    kb,
                    rs: x[2],
                    ks,
                };
                tail_integral(&e, x[1], x[3], t, g, want)
            };
            let m = eval(&x, &mut g, Want::Hessian);
            // ∂ ln I = d1 + centre, centre = (−ln(1+t/M), 0, −ln(1+t/m), 0).
            let centre = |xx: &[f64; 4]| [-(t / xx[1]).ln_1p(), 0.0, -(t / xx[3]).ln_1p(), 0.0];
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
                let ana = m.d1[i] + centre(&x)[i];
                // relative to the scale of the coordinate's own derivative
                let scale = 1.0 / x[i] + ana.abs();
                assert!(
                    (num - ana).abs() < 1e-6 * scale,
                    "d{i} {num} vs {ana} at {x:?}"
                );
                for j in 0..4 {
                    let hn =
                        ((mp.d1[j] + centre(&xp)[j]) - (mm.d1[j] + centre(&xm)[j])) / (2.0 * e);
                    let ha = m.d2[i][j] - m.d1[i] * m.d1[j];
                    let scale = 1.0 / (x[i] * x[j]) + ha.abs();
                    assert!(
                        (hn - ha).abs() < 2e-5 * scale,
                        "h{i}{j} {hn} vs {ha} at {x:?}"
                    );
                }
            }
        }
    }

    /// Brute-force ∫_a^b f over 2,000 panels of 16 nodes.
    fn finite(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
        let n = 2000;
        let w = (b - a) / n as f64;
        (0..n)
            .map(|i| {
                gl16(a + w * i as f64, a + w * (i + 1) as f64)
                    .iter()
                    .map(|(u, q)| q * f(*u))
                    .sum::<f64>()
            })
            .sum()
    }

    #[test]
    fn homogeneous_limits_are_reached() {
        // r, α → ∞ with r/α = λ: a fixed purchase rate; s, β → ∞ with s/β = μ:
        // a fixed dropout rate. The row log-likelihood tends to the limit
        // model's, computed here directly on [t_x, T].
        let (lambda, mu) = (0.8, 0.05);
        for &(x, tx, t) in &[(0.0, 0.0, 30.0), (3.0, 12.5, 30.0), (40.0, 29.0, 31.0)] {
            let (s, beta) = (0.7, 9.0);
            let surv = |u: f64| (-s * (u / beta).ln_1p()).exp();
            let dens = |u: f64| s / beta * (-(s + 1.0) * (u / beta).ln_1p()).exp();
            let lim_l = x * f64::ln(lambda)
                + ((-lambda * t).exp() * surv(t)
                    + finite(&|u| (-lambda * u).exp() * dens(u), tx, t))
                .ln();
            let (r, alpha): (f64, f64) = (0.6, 4.0);
            // αʳ(α+τ)^−(r+x)
            let pa = |u: f64| (-r * (u / alpha).ln_1p() - x * (alpha + u).ln()).exp();
            let lim_m = ln_gamma_diff(r, x)
                + (pa(t) * (-mu * t).exp() + finite(&|u| mu * pa(u) * (-mu * u).exp(), tx, t)).ln();
            for k in [1e6, 1e9, 1e12] {
                let a = ParetoParams {
                    r: lambda * k,
                    alpha: k,
                    s,
                    beta,
                };
                let b = ParetoParams {
                    r,
                    alpha,
                    s: mu * k,
                    beta: k,
                };
                let (la, lb) = (a.log_likelihood(x, tx, t), b.log_likelihood(x, tx, t));
                let tol = 1e-8 + 1e3 / k;
                assert!((la - lim_l).abs() < tol, "λ limit at {k}: {la} vs {lim_l}");
                assert!((lb - lim_m).abs() < tol, "μ limit at {k}: {lb} vs {lim_m}");
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
            let f = assert_derivatives_match_differences(&obj, &phi, "pareto");
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
        }
    }
}
