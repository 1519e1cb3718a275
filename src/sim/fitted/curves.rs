//! The fitted process's curves on a geometric grid of horizons: the
//! customers' summed expectation and the new customer's, tabulated once per
//! run (see the module docs of `sim::fitted`).

use std::sync::Arc;

#[cfg(not(feature = "myshop"))]
use super::without_myshop;
#[cfg(feature = "myshop")]
use super::{transaction_kind, Customers, MerchantRepurchase, MAX_ORDER_VALUE};
use crate::repurchase::bgnbd::{expected_if_alive_at, PosteriorRules};
use crate::repurchase::Model;
#[cfg(feature = "myshop")]
use crate::repurchase::{GammaGammaParams, ModelKind};
use crate::sim::scenario::MerchantSettings;
#[cfg(feature = "myshop")]
use crate::stats::sort;
use crate::stats::{clamp, max_of};
#[cfg(feature = "myshop")]
use crate::Error;
use crate::Result;

// ---------------------------------------------------------------------------
// Curves on a geometric grid of horizons.

/// First horizon of the grid, days (below it a curve is linear from 0).
const GRID_START: f64 = 1.0 / 64.0;
/// `ln` of the grid's ratio (1.04): the lattices of `α+T` and of `x` share it.
const GRID_STEP: f64 = 0.039_220_713_153_281_3;
/// Counts `x` up to this get their own expectation; above it they are
/// placed on a lattice of `ln x` with the grid's step.
const EXACT_FREQUENCY: f64 = 32.0;
/// A customer's expected purchases are capped here (absurd parameters only).
const MAX_PURCHASES_PER_CUSTOMER: f64 = 1e9;
/// Lever factors are kept within `[1/MAX_FACTOR, MAX_FACTOR]` (the purchase
/// rate's down to 0).
pub(super) const MAX_FACTOR: f64 = 1e6;

/// Number of grid horizons for a run of `days` days: up to 256 times the run
/// plus ten years (far beyond what the levers move a run to; past the last
/// horizon a curve goes on as a power of τ with its last log-log slope).
pub(super) fn grid_len(days: u32) -> usize {
    let tau_max = 256.0 * f64::from(days.max(1)) + 3650.0;
    (libm::log(tau_max / GRID_START) / GRID_STEP).ceil() as usize + 1
}

pub(super) fn grid_tau(k: usize) -> f64 {
    libm::exp(libm::log(GRID_START) + k as f64 * GRID_STEP)
}

/// A non-decreasing curve `C(τ)` with `C(0) = 0`, tabulated at the grid's
/// horizons, read with monotone (Fritsch–Carlson) cubic Hermite
/// interpolation in `ln τ`.
#[derive(Debug, Clone)]
pub(super) struct Curve {
    values: Vec<f64>,
    /// dC/ds at the nodes, s = ln τ in grid steps.
    slopes: Vec<f64>,
    /// Log-log slope past the last horizon, in [0, 1].
    tail: f64,
}

impl Curve {
    /// From values at the grid's horizons (made finite, within `[0, cap]`
    /// and non-decreasing first).
    pub(super) fn new(mut values: Vec<f64>, cap: f64) -> Curve {
        let mut top = 0.0;
        for v in values.iter_mut() {
            let x = if v.is_finite() {
                clamp(*v, 0.0, cap)
            } else {
                0.0
            };
            top = max_of(top, x);
            *v = top;
        }
        let n = values.len();
        let mut slopes = vec![0.0; n];
        if n >= 2 {
            let delta: Vec<f64> = values.windows(2).map(|w| w[1] - w[0]).collect();
            slopes[0] = delta[0];
            slopes[n - 1] = delta[n - 2];
            for k in 1..n - 1 {
                let (a, b) = (delta[k - 1], delta[k]);
                slopes[k] = if a > 0.0 && b > 0.0 {
                    2.0 / (1.0 / a + 1.0 / b)
                } else {
                    0.0
                };
            }
        }
        let tail = if n >= 2 && values[n - 2] > 0.0 {
            clamp(
                libm::log(values[n - 1] / values[n - 2]) / GRID_STEP,
                0.0,
                1.0,
            )
        } else {
            0.0
        };
        Curve {
            values,
            slopes,
            tail,
        }
    }

    pub(super) fn eval(&self, tau: f64) -> f64 {
        let n = self.values.len();
        if n == 0 || tau.is_nan() || tau <= 0.0 {
            return 0.0;
        }
        let s = (libm::log(tau) - libm::log(GRID_START)) / GRID_STEP;
        if s < 0.0 {
            return self.values[0] * tau / GRID_START;
        }
        if s >= (n - 1) as f64 {
            let last = self.values[n - 1];
            let r = libm::exp(self.tail * (s - (n - 1) as f64) * GRID_STEP);
            return if r.is_finite() { last * r } else { last };
        }
        let k = s as usize;
        let t = s - k as f64;
        let (t2, t3) = (t * t, t * t * t);
        let (v0, v1) = (self.values[k], self.values[k + 1]);
        let (m0, m1) = (self.slopes[k], self.slopes[k + 1]);
        let c = (2.0 * t3 - 3.0 * t2 + 1.0) * v0
            + (t3 - 2.0 * t2 + t) * m0
            + (-2.0 * t3 + 3.0 * t2) * v1
            + (t3 - t2) * m1;
        clamp(c, v0, v1)
    }
}

/// The model is evaluated at scales `z = h/(α+T)` up to this; past it a
/// curve goes on as a power of z with the log-log slope of its last two
/// points (within [0, 1]). Horizons 10,000 times a customer's time scale only
/// arise from absurd parameters or levers, where evaluating the model there
/// would cost seconds (its series converge slowly).
const MAX_SCALE: f64 = 1e4;

/// `f(z_i)` for the increasing scales `z`, evaluated up to [`MAX_SCALE`]
/// and extended past it by the last log-log slope.
pub(super) fn tabulate(z: &[f64], mut f: impl FnMut(f64) -> f64) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::with_capacity(z.len());
    for (i, &zi) in z.iter().enumerate() {
        if zi <= MAX_SCALE || i < 2 {
            out.push(f(zi));
            continue;
        }
        let (z1, z2) = (z[i - 2], z[i - 1]);
        let (g1, g2) = (out[i - 2], out[i - 1]);
        let slope = if g1 > 0.0 && g2 > 0.0 {
            clamp(libm::log(g2 / g1) / libm::log(z2 / z1), 0.0, 1.0)
        } else {
            0.0
        };
        let v = g2 * libm::exp(slope * libm::log(zi / z2));
        out.push(if v.is_finite() { v } else { g2 });
    }
    out
}

/// A customer's expected repeat purchases given alive, as a function of the
/// scale `z = h/(α+T)` (BG/NBD, MBG/NBD) or `z = h/(β+T)` (Pareto/NBD), for
/// `x` repeat purchases so far.
///
/// BG/NBD and MBG/NBD: given alive, λ ~ Gamma(r+x, α+T) and the dropout
/// p ~ Beta(a, b+x) (MBG/NBD: b+x+1), and a customer with (λ, p) makes
/// `(1 − e^{−λ·p·h})/p` purchases in expectation, so
/// `E = E_p[(1 − (1 + p·z)^{−(r+x)})/p]`: the repurchase module's
/// expectation given alive ([`expected_if_alive_at`]; its quadrature rules
/// made once per key). Pareto/NBD: `((1+z)^{1−s} − 1)/(1−s)`
/// (times `(r+x)(β+T)/(α+T)`, which `correlate` puts in the weights),
/// closed form.
pub(super) enum GivenAlive {
    /// BG/NBD, MBG/NBD: p ~ Beta(a, bp), n = r + x.
    Bg {
        a: f64,
        bp: f64,
        n: f64,
        rules: Box<PosteriorRules>,
    },
    /// Pareto/NBD.
    Pareto { s: f64 },
}

impl GivenAlive {
    pub(super) fn new(model: &Model, x: f64) -> GivenAlive {
        let (r, a, bp) = match *model {
            Model::BgNbd(p) => (p.r, p.a, p.b + x),
            Model::ModifiedBgNbd(p) => (p.r, p.a, p.b + x + 1.0),
            Model::ParetoNbd(p) => return GivenAlive::Pareto { s: p.s },
            Model::GammaGamma(_) => (1.0, 1.0, 1.0),
        };
        GivenAlive::Bg {
            a,
            bp,
            n: r + x,
            rules: Box::default(),
        }
    }

    pub(super) fn at(&mut self, z: f64) -> f64 {
        match self {
            GivenAlive::Pareto { s } => {
                let l = libm::log1p(z);
                sane(l * exprel((1.0 - *s) * l), MAX_PURCHASES_PER_CUSTOMER)
            }
            GivenAlive::Bg { .. } if z <= 0.0 => 0.0,
            GivenAlive::Bg { a, bp, n, rules } => sane(
                expected_if_alive_at(*a, *bp, *n, z, Some(rules)),
                MAX_PURCHASES_PER_CUSTOMER,
            ),
        }
    }
}

/// `(e^y − 1)/y`, 1 at y = 0.
pub(super) fn exprel(y: f64) -> f64 {
    if y.abs() < 1e-8 {
        1.0 + 0.5 * y
    } else {
        libm::expm1(y) / y
    }
}

/// A finite value in `[0, hi]` (0 for NaN).
pub(super) fn sane(x: f64, hi: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        clamp(x, 0.0, hi)
    }
}

/// What a repeat purchase is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Worth {
    /// The merchant's price (no order-value model).
    Price,
    /// This many yuan at the baseline price.
    Yuan(f64),
}

/// The fitted process's curves and constants, computed once per run from a
/// merchant's `repurchase`, `customers` and `orderValue` (see the module docs).
#[cfg(feature = "myshop")]
#[derive(Debug, Clone)]
pub(in crate::sim) struct FittedCurves {
    pub(super) model: Model,
    /// Days per unit.
    pub(super) unit: f64,
    /// Σ over the customers of E[Y(τ)] (purchases), τ in days.
    pub(super) existing: Curve,
    /// Σ over the customers of E[Y(τ)]·(expected spend), with a Gamma-Gamma
    /// model and monetary values.
    pub(super) existing_value: Option<Curve>,
    /// E[X(τ)] of a new customer (repeat purchases since the first).
    pub(super) new: Curve,
    pub(super) existing_worth: Worth,
    pub(super) new_worth: Worth,
    /// Σ P(alive) over the customers, and the customers given.
    pub(super) alive0: f64,
    pub(super) customers: f64,
    /// Dropout per purchase (BG/NBD, MBG/NBD: posterior mean p of the alive
    /// customers, prior mean for new ones) or per day (Pareto/NBD: mean μ).
    pub(super) dropout_existing: f64,
    pub(super) dropout_new: f64,
    /// Whether dropout comes after purchases (BG/NBD, MBG/NBD) or in time.
    pub(super) per_purchase: bool,
    /// Share of new customers alive after their first purchase (MBG/NBD: b/(a+b)).
    pub(super) first_survival: f64,
}

#[cfg(feature = "myshop")]
impl FittedCurves {
    /// The curves of merchant `m` (validated) for a run of `days` days;
    /// `None` without `m.repurchase`.
    pub(in crate::sim) fn build(
        m: &MerchantSettings,
        days: u32,
    ) -> Result<Option<Arc<FittedCurves>>> {
        let Some(rep) = &m.repurchase else {
            return Ok(None);
        };
        Self::build_fitted(m, rep, days)
    }

    /// [`Self::build`] with the merchant's model `rep`.
    fn build_fitted(
        m: &MerchantSettings,
        rep: &MerchantRepurchase,
        days: u32,
    ) -> Result<Option<Arc<FittedCurves>>> {
        let kind = transaction_kind(&rep.model)
            .ok_or_else(|| Error::invalid("repurchase.model is not a transaction model"))?;
        let model = Model::from_params(kind, &rep.params)?;
        let gg = match m.order_value.as_ref().and_then(|v| v.params.as_ref()) {
            Some(p) => match Model::from_params(ModelKind::GammaGamma, p)? {
                Model::GammaGamma(g) => Some(g),
                _ => None,
            },
            None => None,
        };
        let average = m.order_value.as_ref().and_then(|v| v.average);
        let mean_value = match (gg, average) {
            (Some(g), _) => Worth::Yuan(sane(g.p * g.v / (g.q - 1.0), MAX_ORDER_VALUE)),
            (None, Some(a)) => Worth::Yuan(a),
            _ => Worth::Price,
        };
        let unit = rep.unit_days;
        let k = grid_len(days);
        let taus: Vec<f64> = (0..k).map(grid_tau).collect();
        // The new customer's scale: α (BG/NBD, MBG/NBD), β (Pareto/NBD).
        let scale = match model {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => p.alpha,
            Model::ParetoNbd(p) => p.beta,
            Model::GammaGamma(_) => 1.0,
        };
        let z: Vec<f64> = taus.iter().map(|&tau| tau / unit / scale).collect();
        // A new customer: x = 0, T = 0, alive after its first purchase with
        // the model's P(alive) at (0, 0, 0) (MBG/NBD: b/(a+b)).
        // Pareto/NBD's expectation given alive carries (r+x)(β+T)/(α+T).
        let alive_new = sane(model.alive_one(0.0, 0.0, 0.0), 1.0);
        let coef = match model {
            Model::ParetoNbd(p) => p.r * p.beta / p.alpha,
            _ => 1.0,
        };
        let mut given = GivenAlive::new(&model, 0.0);
        let new_values = tabulate(&z, |zi| alive_new * coef * given.at(zi));
        let new = Curve::new(new_values, MAX_PURCHASES_PER_CUSTOMER);
        let (per_purchase, first_survival, dropout_new) = match model {
            Model::BgNbd(p) => (true, 1.0, p.a / (p.a + p.b)),
            Model::ModifiedBgNbd(p) => (true, p.b / (p.a + p.b), p.a / (p.a + p.b)),
            Model::ParetoNbd(p) => (false, 1.0, p.s / p.beta / unit),
            Model::GammaGamma(_) => (true, 1.0, 0.0),
        };
        let mut curves = FittedCurves {
            model,
            unit,
            existing: Curve::new(vec![0.0; k], 0.0),
            existing_value: None,
            new,
            existing_worth: mean_value,
            new_worth: mean_value,
            alive0: 0.0,
            customers: 0.0,
            dropout_existing: sane(dropout_new, 1.0),
            dropout_new: sane(dropout_new, 1.0),
            per_purchase,
            first_survival: sane(first_survival, 1.0),
        };
        if let Some(c) = &m.customers {
            let spend = match (gg, &c.monetary) {
                (Some(g), Some(mon)) => Some((g, mon.as_slice())),
                _ => None,
            };
            curves.add_customers(c, spend, k);
        }
        Ok(Some(Arc::new(curves)))
    }

    /// The customers' curve(s), `P(alive)` sum and mean dropout.
    fn add_customers(
        &mut self,
        c: &Customers,
        spend: Option<(GammaGammaParams, &[f64])>,
        k: usize,
    ) {
        let n = c.frequency.len();
        if n == 0 {
            return;
        }
        // Identical (x, T, t_x) rows next to each other: ordered by (x, T),
        // then each run of equal (x, T) by t_x, ties by row.
        let order = grouped_order(c);
        // (x, T, Σ P(alive), Σ P(alive)·spend) per distinct (x, T).
        let mut pairs: Vec<(f64, f64, f64, f64)> = Vec::new();
        let (mut alive0, mut dropout) = (0.0, 0.0);
        let mut start = 0;
        while start < n {
            let i = order[start] as usize;
            let (x, t, tx) = (c.frequency[i], c.t[i], c.recency[i]);
            let mut end = start;
            let mut value = 0.0;
            while end < n {
                let j = order[end] as usize;
                if c.frequency[j] != x || c.t[j] != t || c.recency[j] != tx {
                    break;
                }
                if let Some((g, mon)) = spend {
                    value += sane(g.expected_spend(x, mon[j]), MAX_ORDER_VALUE);
                }
                end += 1;
            }
            let w = (end - start) as f64;
            let alive = sane(self.model.alive_one(x, tx, t), 1.0);
            alive0 += w * alive;
            dropout += w * alive * self.dropout_given(x, t);
            match pairs.last_mut() {
                Some(last) if last.0 == x && last.1 == t => {
                    last.2 += w * alive;
                    last.3 += value * alive;
                }
                _ => pairs.push((x, t, w * alive, value * alive)),
            }
            start = end;
        }
        self.customers = n as f64;
        self.alive0 = alive0;
        if alive0 > 0.0 {
            self.dropout_existing = sane(dropout / alive0, 1.0);
        }
        let cap = MAX_PURCHASES_PER_CUSTOMER * self.customers;
        let (values, weighted) = self.correlate(&pairs, k, spend.is_some());
        self.existing = Curve::new(values, cap);
        if let Some(v) = weighted {
            self.existing_value = Some(Curve::new(v, cap * MAX_ORDER_VALUE));
        }
    }

    /// Posterior mean dropout of an alive customer with `x` repeat purchases
    /// and age `t` (units): per purchase (BG/NBD, MBG/NBD) or per day (Pareto/NBD).
    fn dropout_given(&self, x: f64, t: f64) -> f64 {
        match self.model {
            Model::BgNbd(p) => p.a / (p.a + p.b + x),
            Model::ModifiedBgNbd(p) => p.a / (p.a + p.b + x + 1.0),
            Model::ParetoNbd(p) => p.s / (p.beta + t) / self.unit,
            Model::GammaGamma(_) => 0.0,
        }
    }

    /// `Σ_pairs weight · E[Y(τ_i) | alive, x, T]` at every grid horizon, for
    /// the `P(alive)` weights and (with `values`) the spend-weighted ones.
    fn correlate(
        &self,
        pairs: &[(f64, f64, f64, f64)],
        k: usize,
        values: bool,
    ) -> (Vec<f64>, Option<Vec<f64>>) {
        // Each key: an expectation given alive g(z) of the scale z = h/(c+T)
        // (h in units), and its pairs' weights on the lattice of ln(c+T).
        // BG/NBD, MBG/NBD: one key per x (lattice above EXACT_FREQUENCY),
        // c = α, weight 1. Pareto/NBD: one key, c = β, g(z) = ((1+z)^{1−s} − 1)/(1−s),
        // weight (r+x)(β+T)/(α+T).
        let mut out = vec![0.0; k];
        let mut out_v = if values { Some(vec![0.0; k]) } else { None };
        let c = match self.model {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => p.alpha,
            Model::ParetoNbd(p) => p.beta,
            Model::GammaGamma(_) => return (out, out_v),
        };
        let ln_c = libm::log(c);
        // Keys with their (lattice index, weight, value weight).
        let mut keys: Vec<(f64, Lattice)> = Vec::new();
        let mut push = |key: f64, t: f64, w: f64, wv: f64| {
            if !(w > 0.0 || wv > 0.0) {
                return;
            }
            let pos = max_of((libm::log(c + t) - ln_c) / GRID_STEP, 0.0);
            let j = pos as usize;
            let f = pos - j as f64;
            let slot = match keys.iter().position(|(kx, _)| *kx == key) {
                Some(s) => s,
                None => {
                    keys.push((key, Vec::new()));
                    keys.len() - 1
                }
            };
            let list = &mut keys[slot].1;
            list.push((j, w * (1.0 - f), wv * (1.0 - f)));
            if f > 0.0 {
                list.push((j + 1, w * f, wv * f));
            }
        };
        for &(x, t, w, wv) in pairs {
            match self.model {
                Model::ParetoNbd(p) => {
                    let coef = (p.r + x) * (p.beta + t) / (p.alpha + t);
                    push(0.0, t, w * coef, wv * coef);
                }
                _ if x <= EXACT_FREQUENCY => push(x, t, w, wv),
                _ => {
                    let pos = libm::log(x / EXACT_FREQUENCY) / GRID_STEP;
                    let lo = pos.floor();
                    let f = pos - lo;
                    let x_lo = EXACT_FREQUENCY * libm::exp(lo * GRID_STEP);
                    let x_hi = EXACT_FREQUENCY * libm::exp((lo + 1.0) * GRID_STEP);
                    push(x_lo, t, w * (1.0 - f), wv * (1.0 - f));
                    if f > 0.0 {
                        push(x_hi, t, w * f, wv * f);
                    }
                }
            }
        }
        let zeta0 = libm::log(GRID_START) - libm::log(self.unit) - ln_c;
        for (key, list) in &keys {
            let jmax = list.iter().map(|e| e.0).max().unwrap_or(0);
            let mut lat = vec![(0.0, 0.0); jmax + 1];
            for &(j, w, wv) in list {
                lat[j].0 += w;
                lat[j].1 += wv;
            }
            // g at z_m = e^{ζ0 + m·step}, m = i − j ∈ [−jmax, k−1].
            let mut given = GivenAlive::new(&self.model, *key);
            let z: Vec<f64> = (0..k + jmax)
                .map(|idx| libm::exp(zeta0 + (idx as f64 - jmax as f64) * GRID_STEP))
                .collect();
            let g = tabulate(&z, |zi| given.at(zi));
            for (i, o) in out.iter_mut().enumerate() {
                let mut sum = 0.0;
                for (j, &(w, _)) in lat.iter().enumerate() {
                    sum += w * g[i + jmax - j];
                }
                *o += sum;
            }
            if let Some(ov) = out_v.as_mut() {
                for (i, o) in ov.iter_mut().enumerate() {
                    let mut sum = 0.0;
                    for (j, &(_, wv)) in lat.iter().enumerate() {
                        sum += wv * g[i + jmax - j];
                    }
                    *o += sum;
                }
            }
        }
        (out, out_v)
    }
}

/// A key's weights on the lattice of `ln(c+T)`: (index, weight, value weight).
pub(super) type Lattice = Vec<(usize, f64, f64)>;

/// Without `myshop` (the package's traffic half) there is no fitted
/// process: the curves and the state are empty types, no value of them
/// exists ([`FittedCurves::build`] gives none or the error), so every fitted
/// branch of a run is unreachable and its code compiled out.
#[cfg(not(feature = "myshop"))]
#[derive(Debug, Clone)]
pub(in crate::sim) enum FittedCurves {}

#[cfg(not(feature = "myshop"))]
impl FittedCurves {
    /// `None` without `m.repurchase`; with one, the error of [`without_myshop`].
    pub(in crate::sim) fn build(
        m: &MerchantSettings,
        _days: u32,
    ) -> Result<Option<Arc<FittedCurves>>> {
        match m.repurchase {
            None => Ok(None),
            Some(_) => Err(without_myshop("merchant.repurchase")),
        }
    }
}

/// The rows of `c` ordered by (x, T, t_x) (ties by row), through the u128
/// key sort the allocation already links in (why not `sort_unstable_by`
/// on the triple: a third sort instantiation in the traffic half's Wasm,
/// measured: 2,450 bytes gzipped). x (validated: an integer ≤ 1e7) takes the top
/// 32 bits, T's total-order key the next 64, the row the low 32.
#[cfg(feature = "myshop")]
pub(super) fn grouped_order(c: &Customers) -> Vec<u32> {
    let mut keys: Vec<u128> = (0..c.frequency.len())
        .map(|i| {
            (u128::from(c.frequency[i] as u32) << 96)
                | (u128::from(sort::total_key(c.t[i])) << 32)
                | i as u128
        })
        .collect();
    sort::sort_wide(&mut keys);
    let mut run = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let group = keys[start] >> 32;
        let end = start + keys[start..].partition_point(|&k| k >> 32 == group);
        if end - start > 1 {
            run.clear();
            run.extend(keys[start..end].iter().map(|&k| {
                let i = k as u32;
                sort::asc_then_index(c.recency[i as usize], i)
            }));
            sort::sort_wide(&mut run);
            keys[start..end].copy_from_slice(&run);
        }
        start = end;
    }
    keys.iter().map(|&k| k as u32).collect()
}
