//! What a round takes and gives: the items' inputs ([`RoundInput`],
//! [`Engagement`]), the platform's settings ([`RoundSettings`]) and the
//! result ([`RoundResult`]).

use crate::allocation::cold_start::{ColdStartSettings, MeritSignals};
use crate::allocation::gini_cap::{CapPlan, CapSettings};
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Largest budget accepted: integers above 2⁵³ are not exact in a JS number.
///
/// ```
/// use shijing::allocation::{round::MAX_BUDGET, RoundSettings};
/// assert!(RoundSettings { budget: MAX_BUDGET, ..Default::default() }.validate("").is_ok());
/// assert!(RoundSettings { budget: 2.0 * MAX_BUDGET, ..Default::default() }.validate("").is_err());
/// ```
pub const MAX_BUDGET: f64 = 9_007_199_254_740_992.0;

/// Default tier quotas: ×10 per tier (notes §5.1), a **modelling assumption**
/// from practitioner pages; the last tier is unlimited.
///
/// ```
/// use shijing::allocation::{round::DEFAULT_TIER_QUOTAS, RoundSettings};
/// assert_eq!(RoundSettings::default().tier_quotas, DEFAULT_TIER_QUOTAS.to_vec());
/// assert!(DEFAULT_TIER_QUOTAS.windows(2).all(|w| w[1] == 10.0 * w[0] || w[1].is_infinite()));
/// ```
pub const DEFAULT_TIER_QUOTAS: [f64; 5] = [500.0, 5_000.0, 50_000.0, 500_000.0, f64::INFINITY];

/// How items' engagement is given.
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// let (alpha, beta) = ([2.0, 1.0, 3.0, 1.0], [40.0, 60.0, 50.0, 45.0]);
/// let thompson = RoundInput { engagement: Engagement::Posterior { alpha: &alpha, beta: &beta }, ..input };
/// let a = allocate(&thompson, &settings, "")?;
/// let b = allocate(&thompson, &settings, "")?; // the same seed: the same draws
/// assert_eq!(a.score, b.score);
/// assert_eq!(allocate(&input, &settings, "")?.score, score.to_vec()); // given scores
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub enum Engagement<'a> {
    /// A known engagement rate (or any non-negative score): no sampling.
    Score(&'a [f64]),
    /// A Beta posterior per item: `θ_i` is a Thompson draw.
    Posterior {
        /// `α_i > 0`.
        alpha: &'a [f64],
        /// `β_i > 0`.
        beta: &'a [f64],
    },
}

/// The per-item and per-creator columns of a round.
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// let r = allocate(&input, &settings, "")?;
/// assert_eq!(r.item_exposure.len(), 4);
/// assert_eq!(r.creator_exposure[0], r.item_exposure[0] + r.item_exposure[1]);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RoundInput<'a> {
    /// Number of creators `M` (item owners are `0..M`).
    pub creators: usize,
    /// Owner of each item.
    pub item_creator: &'a [u32],
    /// Engagement score or posterior per item.
    pub engagement: Engagement<'a>,
    /// Value per engaged impression `v_i` (default 1).
    pub value: Option<&'a [f64]>,
    /// Tier per item (default 0).
    pub tier: Option<&'a [u32]>,
    /// Impressions already used in the current tier (default 0).
    pub used: Option<&'a [f64]>,
    /// New-merchant flag per creator (default: none are new).
    pub new_merchant: Option<&'a [bool]>,
    /// Cold-start merit signals per creator.
    pub merit: MeritSignals<'a>,
}

/// The scalar settings of a round. Every default is a **modelling
/// assumption** unless the notes give a source.
///
/// ```
/// use shijing::allocation::RoundSettings;
/// let s = RoundSettings::default();
/// assert_eq!((s.budget, s.cold_start_share, s.floor), (1e8, 0.1, 300.0));
/// assert_eq!(s.cap.gini_max, 0.6);
/// assert!(s.validate("").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RoundSettings {
    /// Daily public budget `B` in impressions (an integer ≥ 1, ≤ 2⁵³).
    pub budget: f64,
    /// Cold-start share `ρ` of the budget (default 0.1; DOMAIN's 800M a day
    /// is about a tenth of a platform-scale budget: an assumption).
    pub cold_start_share: f64,
    /// Per-item floor `f` (default 300, the "保量" test audience).
    pub floor: f64,
    /// At most this many floored items per creator (default 3, against
    /// duplication).
    pub floored_per_creator: usize,
    /// Tier quotas `Q_t` (default [`DEFAULT_TIER_QUOTAS`]); `∞` allowed.
    pub tier_quotas: Vec<f64>,
    /// Tier weights `w_t` (default 1 each).
    pub tier_weights: Vec<f64>,
    /// Sharpening exponent `γ` in [0.1, 10] (default 1; above 1 sharpens).
    pub sharpen: f64,
    /// The Gini cap.
    pub cap: CapSettings,
    /// The cold-start pool.
    pub cold_start: ColdStartSettings,
    /// Re-solves allowed when rounding pushes the Gini over the cap (default 5).
    pub max_repairs: usize,
    /// When every item is at its tier quota and budget is left, spread the
    /// rest over all items in proportion to score, beyond their quotas (the
    /// feed must be filled). Default false: the rest is reported as
    /// `unallocated`.
    pub overflow: bool,
    /// Seed for the Thompson draws (`None`: from the entropy source).
    pub seed: Option<u32>,
}

impl Default for RoundSettings {
    fn default() -> Self {
        RoundSettings {
            budget: 1e8,
            cold_start_share: 0.1,
            floor: 300.0,
            floored_per_creator: 3,
            tier_quotas: DEFAULT_TIER_QUOTAS.to_vec(),
            tier_weights: vec![1.0; DEFAULT_TIER_QUOTAS.len()],
            sharpen: 1.0,
            cap: CapSettings::default(),
            cold_start: ColdStartSettings::default(),
            max_repairs: 5,
            overflow: false,
            seed: None,
        }
    }
}

/// Most tiers accepted.
///
/// ```
/// use shijing::allocation::{round::MAX_TIERS, RoundSettings};
/// let n = MAX_TIERS + 1;
/// let s = RoundSettings { tier_quotas: vec![1e3; n], tier_weights: vec![1.0; n], ..Default::default() };
/// assert!(s.validate("").is_err());
/// ```
pub const MAX_TIERS: usize = 64;

impl RoundSettings {
    /// Checks every field; `prefix` (e.g. `"request.options."`) names them.
    ///
    /// ```
    /// use shijing::allocation::RoundSettings;
    /// let s = RoundSettings { budget: 1.5, ..Default::default() };
    /// let msg = s.validate("request.options.").unwrap_err().to_string();
    /// assert!(msg.starts_with("request.options.budget must be an integer"));
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let b = self.budget;
        validate::finite(&format!("{prefix}budget"), b)?;
        if !(1.0..=MAX_BUDGET).contains(&b) || b.fract() != 0.0 {
            return Err(Error::invalid(format!(
                "{prefix}budget must be an integer in [1, 2^53], got {}",
                num(b)
            )));
        }
        validate::in_closed(
            &format!("{prefix}coldStartShare"),
            self.cold_start_share,
            0.0,
            1.0,
        )?;
        validate::finite_non_negative(&format!("{prefix}floor"), self.floor)?;
        validate::count_in(
            &format!("{prefix}flooredPerCreator"),
            self.floored_per_creator,
            0,
            validate::MAX_ELEMENTS,
        )?;
        let q = &self.tier_quotas;
        validate::non_empty(&format!("{prefix}tierQuotas"), q.len())?;
        validate::max_len(&format!("{prefix}tierQuotas"), q.len(), MAX_TIERS)?;
        for (t, &x) in q.iter().enumerate() {
            if x.is_nan() || x <= 0.0 {
                return Err(Error::invalid(format!(
                    "{prefix}tierQuotas[{t}] must be > 0 (Infinity for no limit), got {}",
                    num(x)
                )));
            }
        }
        validate::same_len(
            &format!("{prefix}tierQuotas"),
            q.len(),
            &format!("{prefix}tierWeights"),
            self.tier_weights.len(),
        )?;
        validate::all_finite_non_negative(&format!("{prefix}tierWeights"), &self.tier_weights)?;
        validate::in_closed(&format!("{prefix}sharpen"), self.sharpen, 0.1, 10.0)?;
        self.cap.validate(prefix)?;
        self.cold_start.validate(prefix)?;
        validate::count_in(&format!("{prefix}maxRepairs"), self.max_repairs, 0, 100)
    }
}

/// What one round produced.
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// let r = allocate(&input, &settings, "")?;
/// assert_eq!(r.item_exposure.iter().sum::<u64>() + r.unallocated, 1_000_000);
/// assert!(r.cap_met && r.gini <= 0.6);
/// assert!((r.item_expected.iter().sum::<f64>() - r.creator_before_cap.iter().sum::<f64>()).abs() < 1e-6);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RoundResult {
    /// The seed the Thompson draws used.
    pub seed: u32,
    /// Integer impressions per item; with `unallocated`, sums to the budget exactly.
    pub item_exposure: Vec<u64>,
    /// Float impressions per item after the cap, before rounding.
    pub item_expected: Vec<f64>,
    /// The score `s_i` each item was allocated by.
    pub score: Vec<f64>,
    /// Integer impressions per creator (sum of its items).
    pub creator_exposure: Vec<u64>,
    /// Float impressions per creator before the cap (both pools).
    pub creator_before_cap: Vec<f64>,
    /// Cold-start impressions per creator (float, before the cap).
    pub cold_start: Vec<f64>,
    /// Whether each creator was capped.
    pub capped: Vec<bool>,
    /// Whether each creator had at least one item (the Gini population).
    pub in_population: Vec<bool>,
    /// Total of the cold-start pool as allocated (≤ `ρ·B`).
    pub cold_start_total: f64,
    /// Total of the public pool as allocated.
    pub public_total: f64,
    /// Water level `ν` of the public pool (see [`pools::PublicPool::level`](crate::allocation::pools::PublicPool::level)).
    pub public_level: f64,
    /// Level `ν` of the cold-start pool (see [`cold_start::level`](crate::allocation::cold_start::level)).
    pub cold_start_level: f64,
    /// Sum of the scores of the public pool's items below their quota (`∂Σx/∂ν`).
    pub public_active_score: f64,
    /// With `overflow`: impressions per unit of score given beyond the quotas.
    pub overflow_level: f64,
    /// Impressions no item could take (every item at its tier quota).
    pub unallocated: u64,
    /// The cap's solved parameters (of the last repair).
    pub plan: CapPlan,
    /// The Gini target actually solved for (below `giniMax` after repairs).
    pub solved_gini_max: f64,
    /// Gini of the creators' integer exposures.
    pub gini: f64,
    /// Gini before the cap (float).
    pub gini_before_cap: f64,
    /// Share of the top 10% of creators.
    pub top10_share: f64,
    /// Share of the bottom 50% of creators.
    pub bottom50_share: f64,
    /// Creators in the Gini population.
    pub population: usize,
    /// Re-solves used after rounding.
    pub repairs: usize,
    /// Whether the integer Gini is within the cap.
    pub cap_met: bool,
}
