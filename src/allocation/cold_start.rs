//! The reserved cold-start pool for new merchants (notes §5.2 step 3; the
//! 青云计划 of DOMAIN §2).
//!
//! * Merit `m_c = w_d·D̂_c + w_f·F̂_c + w_s·Ŝ_c`, each term a **percentile rank
//!   among the new merchants** (robust to units and scale): diligence,
//!   fan operation, and spend efficiency as a shrunk ROI
//!   `(GMV_c + ROI₀·S₀)/(spend_c + S₀)`, so a merchant with no spend gets the
//!   prior ROI₀ instead of 0/0.
//! * Allocation `y_c = f_new + min(h, ν·m_c^β)` with `Σ y_c = B_cs`
//!   (water-filled); if `B_cs < n·f_new`, everyone gets `B_cs/n`. When every
//!   merchant is at its ceiling, the leftover is returned to the caller.
//!
//! The formula is a design choice: no public source says how Kuaishou maps
//! these signals to traffic (notes §1.4).
//!
//! ```
//! use shijing::allocation::cold_start::{allocate, merit, ColdStartSettings, MeritSignals};
//! let s = ColdStartSettings::default();
//! let diligence = [6.0, 2.0, 4.0];
//! let m = merit(&[0, 1, 2], &MeritSignals { diligence: Some(&diligence), ..Default::default() }, &s);
//! let (y, left) = allocate(&m, 30_000.0, &s);
//! assert!(y.iter().all(|&v| v >= s.floor && v <= s.floor + s.ceiling));
//! assert!((y.iter().sum::<f64>() + left - 30_000.0).abs() < 1e-9);
//! assert!(y[0] > y[2] && y[2] > y[1]);
//! ```

use super::pools::water_fill;
use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::Result;

/// Settings of the cold-start pool. Every default is a **modelling assumption**.
///
/// ```
/// use shijing::allocation::cold_start::ColdStartSettings;
/// let s = ColdStartSettings::default();
/// assert_eq!((s.floor, s.ceiling, s.exponent), (1_000.0, 50_000.0, 1.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ColdStartSettings {
    /// `f_new`: guaranteed impressions per new merchant (default 1,000).
    pub floor: f64,
    /// `h`: most impressions above the floor per new merchant (default
    /// 50,000; `∞` for no ceiling).
    pub ceiling: f64,
    /// `β`: exponent on merit (default 1; larger favours the best more).
    pub exponent: f64,
    /// Weights of diligence, fan operation and spend efficiency (default ⅓ each).
    pub weights: [f64; 3],
    /// `ROI₀`: prior GMV per unit of spend (default 2).
    pub roi_prior: f64,
    /// `S₀`: prior spend the ROI is shrunk with, in the spend's unit (default 1,000).
    pub roi_prior_spend: f64,
}

impl Default for ColdStartSettings {
    fn default() -> Self {
        ColdStartSettings {
            floor: 1_000.0,
            ceiling: 50_000.0,
            exponent: 1.0,
            weights: [1.0 / 3.0; 3],
            roi_prior: 2.0,
            roi_prior_spend: 1_000.0,
        }
    }
}

impl ColdStartSettings {
    /// Checks every field; `prefix` is prepended to field names in messages.
    ///
    /// ```
    /// use shijing::allocation::cold_start::ColdStartSettings;
    /// let s = ColdStartSettings { ceiling: -1.0, ..Default::default() };
    /// assert_eq!(
    ///     s.validate("options.").unwrap_err().to_string(),
    ///     "options.coldStartCeiling must be ≥ 0 (Infinity for none), got -1"
    /// );
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        validate::finite_non_negative(&format!("{prefix}coldStartFloor"), self.floor)?;
        if self.ceiling.is_nan() || self.ceiling < 0.0 {
            return Err(crate::Error::invalid(format!(
                "{prefix}coldStartCeiling must be ≥ 0 (Infinity for none), got {}",
                num(self.ceiling)
            )));
        }
        validate::in_closed(&format!("{prefix}meritExponent"), self.exponent, 0.0, 10.0)?;
        validate::all_finite_non_negative(&format!("{prefix}meritWeights"), &self.weights)?;
        if self.weights.iter().sum::<f64>() <= 0.0 {
            return Err(crate::Error::invalid(format!(
                "{prefix}meritWeights must not all be 0"
            )));
        }
        validate::finite_non_negative(&format!("{prefix}roiPrior"), self.roi_prior)?;
        validate::finite_non_negative(&format!("{prefix}roiPriorSpend"), self.roi_prior_spend)
    }
}

/// Shrunk spend efficiency `(gmv + roi_prior·prior_spend)/(spend + prior_spend)`.
/// With no spend and no prior spend it is `roi_prior` (never NaN).
///
/// ```
/// use shijing::allocation::cold_start::shrunk_roi;
/// assert_eq!(shrunk_roi(0.0, 0.0, 2.0, 1000.0), 2.0); // no spend: the prior
/// assert!((shrunk_roi(500.0, 100.0, 2.0, 1000.0) - 2500.0 / 1100.0).abs() < 1e-15);
/// assert_eq!(shrunk_roi(0.0, 0.0, 2.0, 0.0), 2.0); // never 0/0
/// ```
pub fn shrunk_roi(gmv: f64, spend: f64, roi_prior: f64, prior_spend: f64) -> f64 {
    let den = spend + prior_spend;
    if den > 0.0 {
        (gmv + roi_prior * prior_spend) / den
    } else {
        roi_prior
    }
}

/// Mid-rank percentiles in (0, 1]: `(#less + #equal/2)/n`. Equal values get
/// equal ranks; a larger value never gets a smaller rank.
///
/// ```
/// use shijing::allocation::cold_start::percentile_ranks;
/// assert_eq!(percentile_ranks(&[3.0, 1.0, 3.0, 2.0]), vec![0.75, 0.125, 0.75, 0.375]);
/// ```
pub fn percentile_ranks(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut keys: Vec<u128> = (0..n as u32)
        .map(|i| sort::asc_then_index(values[i as usize], i))
        .collect();
    sort::sort_wide(&mut keys);
    // Equal values have equal high halves (their total-order keys): the
    // groups of ties are read off the keys, the indices from their low bits.
    let mut out = vec![0.0; n];
    let mut start = 0;
    while start < n {
        let v = keys[start] >> 64;
        let mut end = start + 1;
        while end < n && keys[end] >> 64 == v {
            end += 1;
        }
        let p = (start as f64 + (end - start) as f64 / 2.0) / n as f64;
        for &k in &keys[start..end] {
            out[k as u32 as usize] = p;
        }
        start = end;
    }
    out
}

/// Raw merit signals of the new merchants (one entry per merchant; `None`
/// means the signal is unknown for everyone and ranks everyone equal).
///
/// ```
/// use shijing::allocation::cold_start::{merit, ColdStartSettings, MeritSignals};
/// let diligence = [1.0, 5.0, 3.0];
/// let signals = MeritSignals { diligence: Some(&diligence), ..Default::default() };
/// let m = merit(&[0, 1, 2], &signals, &ColdStartSettings::default());
/// assert!(m[1] > m[2] && m[2] > m[0]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MeritSignals<'a> {
    /// Diligence (e.g. active posting or live days in the last 7).
    pub diligence: Option<&'a [f64]>,
    /// Fan-operation ability (e.g. follower growth, fan-group replies).
    pub fan_operation: Option<&'a [f64]>,
    /// Advertising spend.
    pub spend: Option<&'a [f64]>,
    /// GMV attributed to that spend.
    pub gmv: Option<&'a [f64]>,
}

/// Merit per new merchant, in (0, 1], from the percentile ranks of the
/// signals of the merchants listed in `members`.
///
/// ```
/// use shijing::allocation::cold_start::{merit, ColdStartSettings, MeritSignals};
/// // Merchants 1 and 3 are the new ones; ranks are among them only.
/// let spend = [0.0, 100.0, 0.0, 100.0];
/// let gmv = [0.0, 900.0, 0.0, 100.0];
/// let signals = MeritSignals { spend: Some(&spend), gmv: Some(&gmv), ..Default::default() };
/// let m = merit(&[1, 3], &signals, &ColdStartSettings::default());
/// assert!(m[0] > m[1]); // the better ROI ranks higher
/// assert!(m.iter().all(|&x| x > 0.0 && x <= 1.0));
/// ```
pub fn merit(members: &[usize], signals: &MeritSignals, settings: &ColdStartSettings) -> Vec<f64> {
    let n = members.len();
    let pick = |col: Option<&[f64]>| -> Vec<f64> {
        match col {
            Some(c) => members.iter().map(|&m| c[m]).collect(),
            None => vec![0.0; n],
        }
    };
    let d = percentile_ranks(&pick(signals.diligence));
    let f = percentile_ranks(&pick(signals.fan_operation));
    let roi: Vec<f64> = members
        .iter()
        .map(|&m| {
            let g = signals.gmv.map_or(0.0, |c| c[m]);
            let s = signals.spend.map_or(0.0, |c| c[m]);
            shrunk_roi(g, s, settings.roi_prior, settings.roi_prior_spend)
        })
        .collect();
    let s = percentile_ranks(&roi);
    let [wd, wf, ws] = settings.weights;
    let wsum = wd + wf + ws;
    (0..n)
        .map(|i| (wd * d[i] + wf * f[i] + ws * s[i]) / wsum)
        .collect()
}

/// Mid-rank percentile of a value `v` joining `others` (sorted ascending):
/// the rank [`percentile_ranks`] gives `v` among `others` and `v` together.
///
/// ```
/// use shijing::allocation::cold_start::{percentile_ranks, rank_joining};
/// // 2 ties with 2 among [1, 2, 3]: mid-rank (1 + 2/2)/4.
/// assert_eq!(rank_joining(&[1.0, 2.0, 3.0], 2.0), 0.5);
/// // The same rank as ranking all four together.
/// let all = percentile_ranks(&[1.0, 2.0, 3.0, 10.0]);
/// assert_eq!(rank_joining(&[1.0, 2.0, 3.0], 10.0), all[3]);
/// ```
pub fn rank_joining(others: &[f64], v: f64) -> f64 {
    let less = others.partition_point(|&x| x < v);
    let not_more = others.partition_point(|&x| x <= v);
    (less as f64 + (not_more - less + 1) as f64 / 2.0) / (others.len() + 1) as f64
}

/// Merit of one more merchant joining the members whose signals are
/// `others` (diligence, fan operation and [`shrunk_roi`], each sorted
/// ascending), with its own signals `own`: the [`merit`] it would get in
/// that group, without re-ranking the group.
///
/// ```
/// use shijing::allocation::cold_start::{merit, merit_joining, ColdStartSettings, MeritSignals};
/// let s = ColdStartSettings::default();
/// let diligence = [1.0, 5.0, 3.0];
/// let signals = MeritSignals { diligence: Some(&diligence), ..Default::default() };
/// let group = merit(&[0, 1, 2], &signals, &s);
/// // Merchant 2 joining merchants 0 and 1 (the other signals unknown: all equal).
/// let joined = merit_joining([&[1.0, 5.0], &[0.0, 0.0], &[0.0, 0.0]], [3.0, 0.0, 0.0], &s);
/// assert!((joined - group[2]).abs() < 1e-15);
/// ```
pub fn merit_joining(others: [&[f64]; 3], own: [f64; 3], settings: &ColdStartSettings) -> f64 {
    let [wd, wf, ws] = settings.weights;
    (wd * rank_joining(others[0], own[0])
        + wf * rank_joining(others[1], own[1])
        + ws * rank_joining(others[2], own[2]))
        / (wd + wf + ws)
}

/// `m^β`, the weight of merit `m` in the pool (`m` itself when `β = 1`).
fn merit_weight(m: f64, settings: &ColdStartSettings) -> f64 {
    if settings.exponent == 1.0 {
        m
    } else {
        libm::pow(m, settings.exponent)
    }
}

/// What a merchant with merit `m` gets from a pool at level `level` (see
/// [`level`]): `f_new + min(h, ν·m^β)`.
///
/// ```
/// use shijing::allocation::cold_start::{allocate, level, share_at_level, ColdStartSettings};
/// let s = ColdStartSettings::default(); // floor 1,000, β = 1
/// let merit = [0.25, 0.75];
/// let (y, _) = allocate(&merit, 5_000.0, &s);
/// let nu = level(&merit, &y, &s); // 3,000
/// assert!((share_at_level(0.25, nu, &s) - y[0]).abs() < 1e-9);
/// assert_eq!(share_at_level(0.5, 3_000.0, &s), 2_500.0);
/// ```
pub fn share_at_level(m: f64, level: f64, settings: &ColdStartSettings) -> f64 {
    settings.floor + settings.ceiling.min(level * merit_weight(m, settings))
}

/// Splits `budget` over merchants with the given merit:
/// `f_new + min(h, ν·m^β)`. Returns the allocation and the unused budget.
///
/// ```
/// use shijing::allocation::cold_start::{allocate, ColdStartSettings};
/// let s = ColdStartSettings::default(); // floor 1,000
/// let (y, left) = allocate(&[0.25, 0.75], 5_000.0, &s);
/// assert_eq!((y, left), (vec![1_750.0, 3_250.0], 0.0)); // 1,000 + ν·m, ν = 3,000
/// // Below the floors: an equal split.
/// assert_eq!(allocate(&[0.25, 0.75], 1_000.0, &s).0, vec![500.0, 500.0]);
/// ```
pub fn allocate(merit: &[f64], budget: f64, settings: &ColdStartSettings) -> (Vec<f64>, f64) {
    let n = merit.len();
    if n == 0 || budget.is_nan() || budget <= 0.0 {
        return (vec![0.0; n], budget.max(0.0));
    }
    let floors = settings.floor * n as f64;
    if budget <= floors {
        return (vec![budget / n as f64; n], 0.0);
    }
    let weight: Vec<f64> = merit.iter().map(|&m| merit_weight(m, settings)).collect();
    let room = vec![settings.ceiling; n];
    let extra = budget - floors;
    let (add, placed) = water_fill(&weight, &room, extra);
    let y = add.iter().map(|a| settings.floor + a).collect();
    (y, (extra - placed).max(0.0))
}

/// The pool's level `ν` after [`allocate`]: a merchant with merit `m` below
/// its ceiling got `floor + ν·m^β` (∞ when every merchant is at its ceiling,
/// 0 when the pool was below the floors and split equally). Lets a caller
/// place one more merchant against the same pool without re-running it.
///
/// ```
/// use shijing::allocation::cold_start::{allocate, level, ColdStartSettings};
/// let s = ColdStartSettings::default();
/// let merit = [0.25, 0.75];
/// let (y, _) = allocate(&merit, 5_000.0, &s);
/// assert!((level(&merit, &y, &s) - 3_000.0).abs() < 1e-9);
/// ```
pub fn level(merit: &[f64], y: &[f64], settings: &ColdStartSettings) -> f64 {
    let mut level = f64::NEG_INFINITY;
    for (&m, &yc) in merit.iter().zip(y) {
        let add = yc - settings.floor;
        let w = merit_weight(m, settings);
        if w > 0.0 && add < settings.ceiling * (1.0 - 1e-9) {
            level = crate::stats::max_of(level, add / w);
        }
    }
    if level.is_finite() {
        level.max(0.0)
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_roi() {
        assert_eq!(
            percentile_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![0.75, 0.125, 0.75, 0.375]
        );
        assert_eq!(shrunk_roi(0.0, 0.0, 2.0, 1000.0), 2.0);
        assert_eq!(shrunk_roi(0.0, 0.0, 2.0, 0.0), 2.0);
        assert!((shrunk_roi(5000.0, 1000.0, 2.0, 1000.0) - 3.5).abs() < 1e-12);
        // Joining ranks are the ranks of the joined group.
        let others = [1.0, 2.0, 3.0];
        for v in [0.5, 1.0, 2.5, 3.0, 4.0] {
            let all = percentile_ranks(&[1.0, 2.0, 3.0, v]);
            assert_eq!(rank_joining(&others, v), all[3], "{v}");
        }
    }

    #[test]
    fn one_more_merchant_against_a_solved_pool() {
        let s = ColdStartSettings {
            floor: 100.0,
            ceiling: 1000.0,
            exponent: 2.0,
            ..Default::default()
        };
        let merits = [0.2, 0.5, 0.9];
        let (y, _) = allocate(&merits, 1500.0, &s);
        let nu = level(&merits, &y, &s);
        for (&m, &yc) in merits.iter().zip(&y) {
            assert!((share_at_level(m, nu, &s) - yc).abs() < 1e-9, "{m}: {yc}");
        }
        let signals = MeritSignals {
            diligence: Some(&[0.1, 0.9, 0.5]),
            fan_operation: Some(&[3.0, 1.0, 2.0]),
            ..Default::default()
        };
        let full = merit(&[0, 1, 2], &signals, &s);
        let roi = shrunk_roi(0.0, 0.0, s.roi_prior, s.roi_prior_spend);
        let joined = merit_joining([&[0.1, 0.9], &[1.0, 3.0], &[roi, roi]], [0.5, 2.0, roi], &s);
        assert!((joined - full[2]).abs() < 1e-15, "{joined} vs {}", full[2]);
    }

    #[test]
    fn floor_and_ceiling() {
        let s = ColdStartSettings {
            floor: 100.0,
            ceiling: 1000.0,
            ..Default::default()
        };
        let (y, left) = allocate(&[0.1, 0.5, 1.0], 1500.0, &s);
        assert!((y.iter().sum::<f64>() - 1500.0).abs() < 1e-9 && left == 0.0);
        assert!(y[0] <= y[1] && y[1] <= y[2] && y[0] >= 100.0);
        let (y, left) = allocate(&[0.1, 0.5, 1.0], 1e6, &s);
        assert!(y.iter().all(|&v| v == 1100.0));
        assert!((left - (1e6 - 3300.0)).abs() < 1e-6);
        let (y, _) = allocate(&[0.1, 0.5], 100.0, &s);
        assert_eq!(y, vec![50.0, 50.0]);
    }
}
