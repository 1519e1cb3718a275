//! Exact creator-level Gini cap (notes §5.2 step 4).
//!
//! Given creators' exposures `E⁰` (total `B`, `M` creators) and a target
//! `G_max`, find a new vector `E` with the same total and `G(E) ≤ G_max`:
//!
//! * **cap** (default): `E_c = min(τ, λ·E⁰_c)` with `λ ≥ 1`. Sorting `E⁰`
//!   descending (`d₁ ≥ … ≥ d_M`) and capping the top `k` at `τ` gives
//!   `λ = (B − kτ)/S_k` and a Gini **linear in τ**,
//!   `G(τ; k) = (M+1)/M − 2·[τ·k(k+1)/2 + (B − kτ)·R_k/S_k]/(M·B)`,
//!   with `S_k = Σ_{r>k} d_r`, `R_k = Σ_{r>k} r·d_r`. A binary search over the
//!   segment boundaries `b_k = B·d_{k+1}/(S_k + k·d_{k+1})` finds `k`, then one
//!   linear equation gives `τ`. One sort plus O(M).
//!   *Infeasible* when `G_max ≤ z/M` (`z` creators at zero: capping cannot
//!   lift them). The solver then **falls back to floor** and says so
//!   ([`CapPlan::fell_back`]).
//! * **floor**: `E_c = (1−θ)·E⁰_c + θ·B/M` with `θ = 1 − G_max/G(E⁰)`, exact
//!   because mixing with uniform at equal total scales the Gini by `1−θ`.
//! * **blend(η)**: `η·E^cap + (1−η)·E^floor`. Both parts are ordered like `E⁰`,
//!   and the Gini is linear over vectors with a common order and total, so
//!   the blend hits `G_max` exactly too.
//!
//! When `G(E⁰) ≤ G_max` the input is returned unchanged, bit for bit.
//!
//! **At any scale** (every finite input, subnormals to `f64::MAX`, totals
//! above `f64::MAX` included) the outputs are finite, keep the total to
//! 1e-9 relative and hit `G_max` to 1e-9, and in cap mode every uncapped
//! creator gains. The solve works on the exposures times a power of two
//! ([`unit_scale`]), exactly, so ordinary inputs get the bits an unscaled
//! solve gives and `c·E⁰` gives `c·E` for any power of two `c` that keeps
//! both normal. The one limit is the representation: an output in the
//! subnormal range is rounded to its grid (2⁻¹⁰⁷⁴), which moves the Gini by
//! at most `4M·2⁻¹⁰⁷⁴/B`.
//!
//! ```
//! use shijing::allocation::{cap_gini, CapSettings};
//! let e = [1.0, 1.0, 1.0, 1.0, 6.0]; // Gini 0.4
//! let out = cap_gini("exposure", &e, &CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
//! let want = [1.5, 1.5, 1.5, 1.5, 4.0]; // min(τ, λ·e) with τ = 4, λ = 1.5
//! assert!(out.exposure.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12));
//! # Ok::<(), shijing::Error>(())
//! ```

use crate::stats::clamp;
use crate::stats::inequality::{unit_scale, Kahan, LaneMarks, SortedSums};
use crate::validate;
use crate::{Error, Result};

/// Which mechanism brings the Gini down.
///
/// ```
/// use shijing::allocation::{cap_gini, CapMode, CapSettings};
/// let e = [0.0, 2.0, 8.0];
/// for mode in [CapMode::Cap, CapMode::Floor, CapMode::Blend] {
///     let s = CapSettings { gini_max: 0.4, mode, ..CapSettings::default() };
///     let out = cap_gini("exposure", &e, &s)?.exposure;
///     assert!((shijing::stats::gini(&out)? - 0.4).abs() < 1e-12, "{mode:?}");
/// }
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CapMode {
    /// Head limit `min(τ, λ·E⁰)`: the default "growth slows after a line" story.
    #[default]
    Cap,
    /// Mix with the uniform allocation (everyone below the mean gains).
    Floor,
    /// Convex mix `η·cap + (1−η)·floor`.
    Blend,
}

impl CapMode {
    /// The JS name: `"cap"`, `"floor"` or `"blend"`.
    ///
    /// ```
    /// use shijing::allocation::CapMode;
    /// assert_eq!(CapMode::Floor.as_str(), "floor");
    /// assert_eq!(CapMode::parse("mode", CapMode::Blend.as_str())?, CapMode::Blend);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CapMode::Cap => "cap",
            CapMode::Floor => "floor",
            CapMode::Blend => "blend",
        }
    }

    /// Parses the JS name; `name` is the argument's name for the error.
    ///
    /// ```
    /// use shijing::allocation::CapMode;
    /// assert_eq!(CapMode::parse("options.mode", "cap")?, CapMode::Cap);
    /// let err = CapMode::parse("options.mode", "head").unwrap_err();
    /// assert_eq!(err.to_string(), r#"options.mode must be "cap", "floor" or "blend", got "head""#);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, s: &str) -> Result<Self> {
        match s {
            "cap" => Ok(CapMode::Cap),
            "floor" => Ok(CapMode::Floor),
            "blend" => Ok(CapMode::Blend),
            _ => Err(Error::invalid(format!(
                "{name} must be \"cap\", \"floor\" or \"blend\", got \"{s}\""
            ))),
        }
    }
}

/// What was actually applied.
///
/// ```
/// use shijing::allocation::{cap_gini, AppliedMode, CapSettings};
/// let s = CapSettings { gini_max: 0.5, ..CapSettings::default() };
/// // Already under the cap: unchanged.
/// assert_eq!(cap_gini("e", &[1.0, 2.0, 3.0], &s)?.plan.applied, AppliedMode::Unchanged);
/// // Three zeros of five: capping reaches at best 0.6, so floor is used.
/// let out = cap_gini("e", &[0.0, 0.0, 0.0, 1.0, 5.0], &s)?;
/// assert_eq!(out.plan.applied, AppliedMode::Floor);
/// assert!(out.plan.fell_back);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedMode {
    /// Already under the cap: the input was returned unchanged.
    Unchanged,
    /// Head limit.
    Cap,
    /// Uniform mix (requested, or the fallback when capping is infeasible).
    Floor,
    /// Convex mix of cap and floor.
    Blend,
}

impl AppliedMode {
    /// The JS name: `"none"`, `"cap"`, `"floor"` or `"blend"`.
    ///
    /// ```
    /// use shijing::allocation::AppliedMode;
    /// assert_eq!(AppliedMode::Unchanged.as_str(), "none");
    /// assert_eq!(AppliedMode::Cap.as_str(), "cap");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AppliedMode::Unchanged => "none",
            AppliedMode::Cap => "cap",
            AppliedMode::Floor => "floor",
            AppliedMode::Blend => "blend",
        }
    }
}

/// A validated cap request.
///
/// ```
/// use shijing::allocation::{gini_cap::DEFAULT_GINI_MAX, CapMode, CapSettings};
/// let s = CapSettings::default();
/// assert_eq!((s.gini_max, s.mode, s.blend), (DEFAULT_GINI_MAX, CapMode::Cap, 0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapSettings {
    /// Target Gini, in `[0, 1)`.
    pub gini_max: f64,
    /// Mechanism.
    pub mode: CapMode,
    /// Weight `η` of the cap part in `blend` mode, in `[0, 1]` (default 0.5).
    pub blend: f64,
}

impl Default for CapSettings {
    fn default() -> Self {
        CapSettings {
            gini_max: DEFAULT_GINI_MAX,
            mode: CapMode::Cap,
            blend: 0.5,
        }
    }
}

/// Default Gini cap: a **modelling assumption** (no public source gives
/// Kuaishou's number; unconstrained feeds land near 0.9, notes §1.1).
///
/// ```
/// use shijing::allocation::gini_cap::DEFAULT_GINI_MAX;
/// assert_eq!(DEFAULT_GINI_MAX, 0.6);
/// ```
pub const DEFAULT_GINI_MAX: f64 = 0.6;

impl CapSettings {
    /// Checks the ranges (`giniMax` in `[0, 1)`, `blend` in `[0, 1]`).
    ///
    /// ```
    /// use shijing::allocation::CapSettings;
    /// let s = CapSettings { gini_max: 1.0, ..CapSettings::default() };
    /// let err = s.validate("options.").unwrap_err();
    /// assert_eq!(err.to_string(), "options.giniMax must be in [0, 1), got 1");
    /// assert!(CapSettings::default().validate("").is_ok());
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        validate::in_half_open(&format!("{prefix}giniMax"), self.gini_max, 0.0, 1.0)?;
        validate::in_closed(&format!("{prefix}blend"), self.blend, 0.0, 1.0)
    }
}

/// The solved parameters of one cap; apply with [`GiniCapSolver::apply`].
///
/// ```
/// use shijing::allocation::{AppliedMode, CapSettings, GiniCapSolver};
/// // Gini 0.4; capping the head at τ = 4 and lifting the rest by λ = 1.5
/// // brings it to 0.2 with the same total.
/// let solver = GiniCapSolver::new("exposure", &[1.0, 1.0, 1.0, 1.0, 6.0])?;
/// let plan = solver.solve(&CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
/// let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
/// assert_eq!(plan.applied, AppliedMode::Cap);
/// assert!(near(plan.tau, 4.0) && near(plan.lambda, 1.5));
/// assert_eq!((plan.capped, plan.threshold), (1, 6.0));
/// assert!(near(plan.gini_before, 0.4));
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CapPlan {
    /// What was applied.
    pub applied: AppliedMode,
    /// True when `cap` (or the cap part of `blend`) was requested but is
    /// infeasible (`G_max ≤ z/M` with `z` zero creators), so floor was used.
    pub fell_back: bool,
    /// Cap level `τ` (infinite when nothing is capped).
    pub tau: f64,
    /// Multiplier `λ ≥ 1` of uncapped creators (1 when nothing is capped).
    /// `+∞` when it exceeds `f64::MAX`, which needs the uncapped creators
    /// to hold less than 2⁻¹⁰²⁴ of the total before the cap; their outputs
    /// are then computed from their share of the uncapped sum instead, and
    /// stay finite and right.
    pub lambda: f64,
    /// Weight `θ` of the uniform part in floor mode (0 otherwise).
    pub theta: f64,
    /// Weight `η` of the cap part (1 for cap, 0 for floor).
    pub eta: f64,
    /// Creators with `E⁰ ≥ threshold` are capped (infinite when none are).
    pub threshold: f64,
    /// Number of capped creators.
    pub capped: usize,
    /// Gini of the input.
    pub gini_before: f64,
    /// How an uncapped creator's output is computed when `lambda` is `+∞`.
    wide: WideUncapped,
}

/// An uncapped creator's output without `λ`:
/// `((e·unit)/tail)·left/scale`, where `tail` is the uncapped creators'
/// sum times `unit`, and `left = (B − kτ)·scale` the budget they share.
/// Each factor stays in range whatever `λ` is. Unused while `λ` is finite.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WideUncapped {
    unit: f64,
    tail: f64,
    left: f64,
    scale: f64,
}

impl WideUncapped {
    const UNUSED: WideUncapped = WideUncapped {
        unit: 1.0,
        tail: 1.0,
        left: 1.0,
        scale: 1.0,
    };

    #[inline]
    fn map(&self, e: f64) -> f64 {
        e * self.unit / self.tail * self.left / self.scale
    }
}

impl CapPlan {
    /// The plan that changes nothing, for an input whose Gini is `gini`.
    ///
    /// ```
    /// use shijing::allocation::{AppliedMode, CapPlan};
    /// let plan = CapPlan::unchanged(0.3);
    /// assert_eq!(plan.applied, AppliedMode::Unchanged);
    /// assert_eq!((plan.tau, plan.lambda, plan.capped), (f64::INFINITY, 1.0, 0));
    /// ```
    pub fn unchanged(gini: f64) -> CapPlan {
        CapPlan {
            applied: AppliedMode::Unchanged,
            fell_back: false,
            tau: f64::INFINITY,
            lambda: 1.0,
            theta: 0.0,
            eta: 0.0,
            threshold: f64::INFINITY,
            capped: 0,
            gini_before: gini,
            wide: WideUncapped::UNUSED,
        }
    }
}

/// Sorts the exposures once and answers any number of cap requests: each
/// solve is O(log M) and each apply O(M) (for a `giniMax` slider).
///
/// Every sum is taken scaled: of the exposures times `scale`, the power of
/// two that brings the largest into `[1, 2)` ([`unit_scale`]), so no
/// intermediate overflows or underflows at any scale, from subnormals to
/// `f64::MAX`, and inputs whose sums do not overflow get the bits they would
/// get unscaled. When the input spans so wide a range that its smallest
/// positive value is subnormal once scaled (a ratio over 2¹⁰²²), the solve
/// sums the uncapped tail in its own scale instead (O(M) per step of the
/// search, only then).
///
/// ```
/// use shijing::allocation::{CapSettings, GiniCapSolver};
/// let e = [1.0, 1.0, 1.0, 1.0, 6.0];
/// let solver = GiniCapSolver::new("exposure", &e)?; // one sort
/// for g in [0.3, 0.2, 0.1] {
///     // each target: O(log M) to solve, O(M) to apply
///     let plan = solver.solve(&CapSettings { gini_max: g, ..CapSettings::default() })?;
///     let out = solver.apply(&plan, &e);
///     assert!((shijing::stats::gini(&out)? - g).abs() < 1e-12);
///     assert!((out.iter().sum::<f64>() - 10.0).abs() < 1e-12);
/// }
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GiniCapSolver {
    /// Exposures ascending.
    asc: Vec<f64>,
    /// `Σ_{i<j} asc[i]·scale` and `Σ_{i<j} (M−i)·asc[i]·scale` at any `j`:
    /// `(S_k, R_k)` at `j = M−k`. Marks, not arrays: a solve reads them at
    /// O(log M) places, and the arrays cost more to fill than the marks.
    sums: LaneMarks,
    /// The total times `scale`.
    total: f64,
    /// [`unit_scale`] of the largest exposure.
    scale: f64,
    /// Whether the smallest positive exposure is subnormal times `scale`
    /// (the marks then lose it, and tails are summed in their own scale).
    wide: bool,
    positives: usize,
    gini: f64,
}

/// `(S_k, R_k)` of one `k` times `unit`.
#[derive(Debug, Clone, Copy)]
struct Tail {
    sum: f64,
    rank: f64,
    unit: f64,
}

impl GiniCapSolver {
    /// Validates (`name` non-empty, finite, non-negative, not all zero) and
    /// sorts. The Gini is the one [`SortedShares::gini`](crate::stats::SortedShares::gini)
    /// computes, bit for bit (the same `SortedSums`); a test checks this.
    ///
    /// ```
    /// use shijing::allocation::GiniCapSolver;
    /// assert!(GiniCapSolver::new("exposure", &[1.0, 3.0]).is_ok());
    /// let err = GiniCapSolver::new("exposure", &[1.0, f64::NAN]).unwrap_err();
    /// assert_eq!(err.to_string(), "exposure[1] is NaN");
    /// ```
    pub fn new(name: &str, exposure: &[f64]) -> Result<Self> {
        let sums = SortedSums::new(name, exposure, true)?;
        let gini = sums.gini();
        let total = sums.total();
        let scale = sums.scale;
        let first = sums.asc.partition_point(|&x| x <= 0.0);
        let positives = sums.asc.len() - first;
        let wide = sums
            .asc
            .get(first)
            .is_some_and(|&x| x * scale < f64::MIN_POSITIVE);
        Ok(GiniCapSolver {
            total,
            scale,
            wide,
            sums: sums.marks.expect("asked for marks"),
            asc: sums.asc,
            positives,
            gini,
        })
    }

    /// Number of creators `M`.
    ///
    /// ```
    /// let solver = shijing::allocation::GiniCapSolver::new("e", &[1.0, 3.0])?;
    /// assert_eq!(solver.len(), 2);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.asc.len()
    }

    /// Always false (construction rejects empty input).
    ///
    /// ```
    /// let solver = shijing::allocation::GiniCapSolver::new("e", &[1.0])?;
    /// assert!(!solver.is_empty());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.asc.is_empty()
    }

    /// Total exposure `B`: `+∞` when it exceeds `f64::MAX` (the solve and
    /// its outputs are computed scaled and stay finite).
    ///
    /// ```
    /// use shijing::allocation::GiniCapSolver;
    /// assert_eq!(GiniCapSolver::new("e", &[1.0, 3.0])?.total(), 4.0);
    /// assert_eq!(GiniCapSolver::new("e", &[f64::MAX, f64::MAX])?.total(), f64::INFINITY);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn total(&self) -> f64 {
        self.total / self.scale
    }

    /// Gini of the input.
    ///
    /// ```
    /// use shijing::allocation::GiniCapSolver;
    /// let e = [1.0, 1.0, 1.0, 1.0, 6.0];
    /// assert_eq!(GiniCapSolver::new("e", &e)?.gini(), shijing::stats::gini(&e)?);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn gini(&self) -> f64 {
        self.gini
    }

    /// Number of creators with zero exposure.
    ///
    /// ```
    /// let solver = shijing::allocation::GiniCapSolver::new("e", &[0.0, 0.0, 1.0, 3.0])?;
    /// assert_eq!(solver.zeros(), 2); // capping cannot go below 2/4
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn zeros(&self) -> usize {
        self.asc.len() - self.positives
    }

    /// The `r`-th largest value, 1-based (not scaled).
    #[inline]
    fn d(&self, r: usize) -> f64 {
        self.asc[self.asc.len() - r]
    }

    /// `(S_k, R_k)`: the sum and the rank-weighted sum of all but the top
    /// `k`, times `scale` (from the marks) or, for a wide input, times the
    /// [`unit_scale`] of the largest of them (summed here, O(M)).
    fn tail(&self, k: usize) -> Tail {
        let j = self.asc.len() - k;
        if !self.wide {
            let (sum, rank) = self.sums.at(&self.asc, j);
            return Tail {
                sum,
                rank,
                unit: self.scale,
            };
        }
        let unit = unit_scale(self.d(k + 1));
        let (mut sum, mut rank) = (Kahan::default(), Kahan::default());
        for (i, &x) in self.asc[..j].iter().enumerate() {
            let x = x * unit;
            sum.add(x);
            rank.add((self.asc.len() - i) as f64 * x);
        }
        Tail {
            sum: sum.sum,
            rank: rank.sum,
            unit,
        }
    }

    /// Gini with the top `k` at `tau` (times `scale`) and the rest scaled
    /// to fill the budget.
    fn gini_capped(&self, k: usize, tail: Tail, tau: f64) -> f64 {
        let m = self.asc.len() as f64;
        let b = self.total;
        let kf = k as f64;
        let q = tail.rank / tail.sum;
        (m + 1.0) / m - 2.0 * (tau * kf * (kf + 1.0) / 2.0 + (b - kf * tau) * q) / (m * b)
    }

    /// Segment boundary, times `scale`: the cap level at which creator
    /// `k+1` reaches the cap.
    fn boundary(&self, k: usize, tail: Tail) -> f64 {
        if k == 0 {
            return self.d(1) * self.scale;
        }
        let next = self.d(k + 1) * tail.unit;
        if self.wide {
            // `tail.unit` is not `scale`: only the ratio is in common.
            return self.total * (next / (tail.sum + k as f64 * next));
        }
        self.total * next / (tail.sum + k as f64 * next)
    }

    /// Solves a request. Errors only on invalid settings.
    ///
    /// ```
    /// use shijing::allocation::{CapSettings, GiniCapSolver};
    /// let solver = GiniCapSolver::new("e", &[1.0, 1.0, 1.0, 1.0, 6.0])?;
    /// let plan = solver.solve(&CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
    /// assert!((solver.gini_after(&plan) - 0.2).abs() < 1e-12);
    /// let bad = CapSettings { gini_max: -0.1, ..CapSettings::default() };
    /// assert!(solver.solve(&bad).is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn solve(&self, settings: &CapSettings) -> Result<CapPlan> {
        settings.validate("")?;
        let g_max = settings.gini_max;
        let mut plan = CapPlan::unchanged(self.gini);
        if self.gini <= g_max {
            return Ok(plan);
        }
        let m = self.asc.len();
        let want_cap = match settings.mode {
            CapMode::Cap => true,
            CapMode::Floor => false,
            CapMode::Blend => settings.blend > 0.0,
        };
        let cap_feasible = g_max > self.zeros() as f64 / m as f64;
        if want_cap && cap_feasible {
            let (tau, k, tail) = self.solve_cap(g_max);
            plan.tau = tau / self.scale;
            let left = self.total - k as f64 * tau;
            // λ = left/(S_k·scale), with S_k·unit summed: in range unless it
            // is not representable at all.
            let shift = libm::ilogb(tail.unit) - libm::ilogb(self.scale);
            let lambda = libm::scalbn(left / tail.sum, shift);
            plan.lambda = lambda.max(1.0);
            if !plan.lambda.is_finite() {
                plan.wide = WideUncapped {
                    unit: tail.unit,
                    tail: tail.sum,
                    left,
                    scale: self.scale,
                };
            }
            plan.threshold = self.d(k);
            plan.capped = k;
        } else if want_cap {
            plan.fell_back = true;
        }
        let theta = 1.0 - g_max / self.gini;
        match (settings.mode, want_cap && cap_feasible) {
            (CapMode::Cap, true) => {
                plan.applied = AppliedMode::Cap;
                plan.eta = 1.0;
            }
            (CapMode::Blend, true) if settings.blend >= 1.0 => {
                plan.applied = AppliedMode::Cap;
                plan.eta = 1.0;
            }
            (CapMode::Blend, true) => {
                plan.applied = AppliedMode::Blend;
                plan.eta = settings.blend;
                plan.theta = theta;
            }
            _ => {
                plan.applied = AppliedMode::Floor;
                plan.eta = 0.0;
                plan.theta = theta;
                plan.tau = f64::INFINITY;
                plan.lambda = 1.0;
                plan.threshold = f64::INFINITY;
                plan.capped = 0;
            }
        }
        Ok(plan)
    }

    /// `(τ·scale, k, the tail of k)` for a feasible cap (`G(E⁰) > g_max > z/M`).
    fn solve_cap(&self, g_max: f64) -> (f64, usize, Tail) {
        let m = self.asc.len();
        let p = self.positives.max(2);
        // Smallest k in [1, p−1] with G(b_k; k) ≤ g_max; G(b_{p−1}; p−1) = z/M < g_max.
        let (mut lo, mut hi) = (1usize, p - 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let tail = self.tail(mid);
            if self.gini_capped(mid, tail, self.boundary(mid, tail)) <= g_max {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let k = lo;
        let (mf, b, kf) = (m as f64, self.total, k as f64);
        let tail = self.tail(k);
        let q = tail.rank / tail.sum;
        let num = ((mf + 1.0) - g_max * mf) * b / 2.0 - b * q;
        let den = kf * (kf + 1.0) / 2.0 - kf * q;
        let t_lo = self.boundary(k, tail);
        let t_hi = match k - 1 {
            0 => self.d(1) * self.scale,
            up => self.boundary(up, self.tail(up)),
        };
        let mut tau = num / den;
        if !tau.is_finite() {
            tau = t_lo;
        }
        let tau = clamp(tau, t_lo.min(t_hi), t_hi.max(t_lo));
        (tau, k, tail)
    }

    /// The output value for an input value `e` under `plan`.
    ///
    /// ```
    /// use shijing::allocation::{CapSettings, GiniCapSolver};
    /// let solver = GiniCapSolver::new("e", &[1.0, 1.0, 1.0, 1.0, 6.0])?;
    /// let plan = solver.solve(&CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
    /// let mean = solver.mean();
    /// assert!((GiniCapSolver::map(&plan, mean, 1.0) - 1.5).abs() < 1e-12); // λ·e
    /// assert!((GiniCapSolver::map(&plan, mean, 6.0) - 4.0).abs() < 1e-12); // τ
    /// # Ok::<(), shijing::Error>(())
    /// ```
    #[inline]
    pub fn map(plan: &CapPlan, mean: f64, e: f64) -> f64 {
        match plan.applied {
            AppliedMode::Unchanged => e,
            AppliedMode::Cap => cap_value(plan, e),
            AppliedMode::Floor => (1.0 - plan.theta) * e + plan.theta * mean,
            AppliedMode::Blend => {
                plan.eta * cap_value(plan, e)
                    + (1.0 - plan.eta) * ((1.0 - plan.theta) * e + plan.theta * mean)
            }
        }
    }

    /// Mean exposure `B/M` (the uniform level of floor mode).
    ///
    /// ```
    /// use shijing::allocation::GiniCapSolver;
    /// assert_eq!(GiniCapSolver::new("e", &[1.0, 2.0, 6.0])?.mean(), 3.0);
    /// // Finite though the total is not.
    /// assert_eq!(GiniCapSolver::new("e", &[f64::MAX; 2])?.mean(), f64::MAX);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.total / self.asc.len() as f64 / self.scale
    }

    /// Applies `plan` to `exposure` (the same vector the solver was built
    /// from, or one with the same values in another order). `Unchanged`
    /// returns an exact copy.
    ///
    /// ```
    /// use shijing::allocation::{CapSettings, GiniCapSolver};
    /// let e = [6.0, 1.0, 1.0, 1.0, 1.0];
    /// let solver = GiniCapSolver::new("e", &e)?;
    /// let plan = solver.solve(&CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
    /// let out = solver.apply(&plan, &e); // in the input's order
    /// assert!((out[0] - 4.0).abs() < 1e-12 && (out[1] - 1.5).abs() < 1e-12);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn apply(&self, plan: &CapPlan, exposure: &[f64]) -> Vec<f64> {
        let mean = self.mean();
        // One loop per mode, so the mode is not re-tested per element.
        match plan.applied {
            AppliedMode::Unchanged => exposure.to_vec(),
            AppliedMode::Cap if plan.lambda.is_finite() => exposure
                .iter()
                .map(|&e| capped_or(plan, e, plan.lambda * e))
                .collect(),
            _ => exposure.iter().map(|&e| Self::map(plan, mean, e)).collect(),
        }
    }

    /// Gini of the output of `plan`, from the sorted input in O(M) (the map
    /// preserves order). Not part of [`solve`](Self::solve): the allocation
    /// round and the simulation never read it, so only the exports that
    /// report it pay for the pass.
    ///
    /// ```
    /// use shijing::allocation::{CapMode, CapSettings, GiniCapSolver};
    /// let solver = GiniCapSolver::new("e", &[0.0, 2.0, 8.0])?;
    /// let s = CapSettings { gini_max: 0.25, mode: CapMode::Floor, ..CapSettings::default() };
    /// assert!((solver.gini_after(&solver.solve(&s)?) - 0.25).abs() < 1e-12);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn gini_after(&self, plan: &CapPlan) -> f64 {
        if plan.applied == AppliedMode::Unchanged {
            return plan.gini_before;
        }
        let mean = self.mean();
        let m = self.asc.len() as f64;
        let (mut weighted, mut total) = (Kahan::default(), Kahan::default());
        for (i, &e) in self.asc.iter().enumerate() {
            // Summed scaled (the outputs are at most the largest input).
            let y = Self::map(plan, mean, e) * self.scale;
            weighted.add((i + 1) as f64 * y);
            total.add(y);
        }
        if total.sum <= 0.0 {
            return 0.0;
        }
        let g = 2.0 * weighted.sum / (m * total.sum) - (m + 1.0) / m;
        clamp(g, 0.0, (m - 1.0) / m)
    }

    /// Whether a creator with input `e` is capped under `plan`.
    ///
    /// ```
    /// use shijing::allocation::{CapSettings, GiniCapSolver};
    /// let solver = GiniCapSolver::new("e", &[1.0, 1.0, 1.0, 1.0, 6.0])?;
    /// let plan = solver.solve(&CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
    /// assert!(GiniCapSolver::is_capped(&plan, 6.0));
    /// assert!(!GiniCapSolver::is_capped(&plan, 1.0));
    /// # Ok::<(), shijing::Error>(())
    /// ```
    #[inline]
    pub fn is_capped(plan: &CapPlan, e: f64) -> bool {
        matches!(plan.applied, AppliedMode::Cap | AppliedMode::Blend) && e >= plan.threshold
    }
}

/// The cap's output for `e`: `τ` for a capped creator, else `λ·e`.
#[inline]
fn cap_value(plan: &CapPlan, e: f64) -> f64 {
    let scaled = if plan.lambda.is_finite() {
        plan.lambda * e
    } else {
        plan.wide.map(e)
    };
    capped_or(plan, e, scaled)
}

/// `τ` for a capped creator, else `scaled` (its `λ·e`), at most `τ`.
#[inline]
fn capped_or(plan: &CapPlan, e: f64, scaled: f64) -> f64 {
    // Two selects, no branches: capped creators sit at random positions.
    let below = crate::stats::min_of(scaled, plan.tau);
    if e >= plan.threshold {
        plan.tau
    } else {
        below
    }
}

/// The result of [`cap_gini`].
///
/// ```
/// use shijing::allocation::{cap_gini, CapSettings};
/// let out = cap_gini("e", &[6.0, 1.0, 1.0, 1.0, 1.0], &CapSettings { gini_max: 0.2, ..CapSettings::default() })?;
/// assert_eq!(out.exposure.len(), 5);
/// assert_eq!(out.plan.capped, 1);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CapOutcome {
    /// New exposures, same order and total as the input.
    pub exposure: Vec<f64>,
    /// The solved parameters.
    pub plan: CapPlan,
}

/// Caps the Gini of `exposure` at `settings.gini_max` (see the module docs).
/// `name` is the argument's name for error messages.
///
/// ```
/// use shijing::allocation::{cap_gini, CapSettings};
/// let s = CapSettings { gini_max: 0.1, ..CapSettings::default() };
/// // Totals beyond f64::MAX are fine: the solve is scaled.
/// let out = cap_gini("exposure", &[1e308, 1e308, 1.0], &s)?.exposure;
/// assert!(out.iter().all(|x| x.is_finite()));
/// assert!((shijing::stats::gini(&out)? - 0.1).abs() < 1e-12);
/// // So are subnormal ones (to their grid: 3·4·2⁻¹⁰⁷⁴/total here).
/// let tiny = cap_gini("exposure", &[3e-310, 1e-310, 1e-310], &s)?.exposure;
/// let slack = 12.0 * 5e-324 / 5e-310;
/// assert!((shijing::stats::gini(&tiny)? - 0.1).abs() < 1e-9 + slack);
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn cap_gini(name: &str, exposure: &[f64], settings: &CapSettings) -> Result<CapOutcome> {
    settings.validate("")?;
    let solver = GiniCapSolver::new(name, exposure)?;
    let plan = solver.solve(settings)?;
    Ok(CapOutcome {
        exposure: solver.apply(&plan, exposure),
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats;

    fn settings(g: f64, mode: CapMode) -> CapSettings {
        CapSettings {
            gini_max: g,
            mode,
            blend: 0.5,
        }
    }

    #[test]
    fn cap_hits_target() {
        let e = crate::stats::random::lognormal_sample(10_000, 2.0, 1);
        for &g in &[0.0001, 0.1, 0.35, 0.6, 0.8] {
            for mode in [CapMode::Cap, CapMode::Floor, CapMode::Blend] {
                let out = cap_gini("exposure", &e, &settings(g, mode)).unwrap();
                let got = stats::gini(&out.exposure).unwrap();
                assert!((got - g).abs() < 1e-9, "{g} {mode:?}: {got}");
                let solver = GiniCapSolver::new("exposure", &e).unwrap();
                assert!((solver.gini_after(&out.plan) - g).abs() < 1e-9);
                let t0: f64 = e.iter().sum();
                let t1: f64 = out.exposure.iter().sum();
                assert!((t1 / t0 - 1.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn solver_gini_is_the_exported_gini() {
        for seed in 0..20 {
            let n = 1 + seed as usize * 137;
            let e = crate::stats::random::lognormal_sample(n, 1.0 + seed as f64 / 5.0, seed);
            let solver = GiniCapSolver::new("exposure", &e).unwrap();
            assert_eq!(solver.gini().to_bits(), stats::gini(&e).unwrap().to_bits());
        }
    }

    #[test]
    fn zeros_make_cap_fall_back() {
        let e = [0.0, 0.0, 0.0, 1.0, 5.0];
        let out = cap_gini("exposure", &e, &settings(0.5, CapMode::Cap)).unwrap();
        assert_eq!(out.plan.applied, AppliedMode::Floor);
        assert!(out.plan.fell_back);
        assert!((stats::gini(&out.exposure).unwrap() - 0.5).abs() < 1e-12);
        // just above z/M = 0.6 the cap is feasible: equal split among positives is 0.6
        let out = cap_gini("exposure", &e, &settings(0.61, CapMode::Cap)).unwrap();
        assert_eq!(out.plan.applied, AppliedMode::Cap);
        assert!((stats::gini(&out.exposure).unwrap() - 0.61).abs() < 1e-12);
    }

    #[test]
    fn unchanged_and_errors() {
        let e = [1.0, 2.0, 3.0];
        let out = cap_gini("exposure", &e, &settings(0.5, CapMode::Cap)).unwrap();
        assert_eq!(out.exposure, e.to_vec());
        assert_eq!(out.plan.applied, AppliedMode::Unchanged);
        assert_eq!(
            cap_gini("exposure", &e, &settings(1.2, CapMode::Cap))
                .unwrap_err()
                .to_string(),
            "giniMax must be in [0, 1), got 1.2"
        );
        assert_eq!(
            cap_gini("exposure", &[1.0, f64::NAN], &settings(0.3, CapMode::Cap))
                .unwrap_err()
                .to_string(),
            "exposure[1] is NaN"
        );
        assert!(cap_gini("exposure", &[0.0, 0.0], &settings(0.3, CapMode::Cap)).is_err());
    }
}
