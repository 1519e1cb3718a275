//! What a [`Platform`](super::Platform) is set up with: the tiers, their
//! windows and thresholds, the promotion rule and the round's settings.

use crate::allocation::round::RoundSettings;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// How a due item's engagement is compared with the tier threshold.
///
/// ```
/// use shijing::allocation::platform::{PlatformConfig, PromotionRule};
/// assert_eq!(PlatformConfig::default().promotion, PromotionRule::Thompson);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromotionRule {
    /// A posterior draw must beat the threshold (explores).
    #[default]
    Thompson,
    /// The posterior mean must beat the threshold (deterministic).
    Mean,
}

impl PromotionRule {
    /// The JS name.
    ///
    /// ```
    /// use shijing::allocation::platform::PromotionRule;
    /// assert_eq!(PromotionRule::Mean.as_str(), "mean");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PromotionRule::Thompson => "thompson",
            PromotionRule::Mean => "mean",
        }
    }

    /// Parses the JS name.
    ///
    /// ```
    /// use shijing::allocation::platform::PromotionRule;
    /// assert_eq!(PromotionRule::parse("promotion", "thompson")?, PromotionRule::Thompson);
    /// assert!(PromotionRule::parse("promotion", "best").is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, s: &str) -> Result<Self> {
        match s {
            "thompson" => Ok(PromotionRule::Thompson),
            "mean" => Ok(PromotionRule::Mean),
            _ => Err(Error::invalid(format!(
                "{name} must be \"thompson\" or \"mean\", got \"{s}\""
            ))),
        }
    }
}

/// Platform settings. Every default is a **modelling assumption** unless
/// the notes give a source.
///
/// ```
/// use shijing::allocation::platform::PlatformConfig;
/// let c = PlatformConfig::default();
/// assert_eq!((c.prior_mean, c.prior_strength, c.new_merchant_days), (0.03, 30.0, 30));
/// assert!(c.validate("").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformConfig {
    /// The per-round settings (budget, pools, cap). Its `seed` is unused:
    /// the platform's random numbers come from the caller's generator.
    pub round: RoundSettings,
    /// Prior mean engagement rate of a new item (default 0.03, notes §5.1).
    pub prior_mean: f64,
    /// Prior strength `α + β` of a new item (default 30, notes §5.1).
    pub prior_strength: f64,
    /// Days a merchant counts as new (default 30, notes §5.1).
    pub new_merchant_days: u32,
    /// A new merchant also graduates once its GMV reaches this (default ∞).
    pub graduation_gmv: f64,
    /// Days an item may stay in each tier before a decision (default
    /// 1, 2, 3, 5, 7: the "24 h – 7 d" window of the notes, stretched per tier).
    pub tier_windows: Vec<u32>,
    /// Items each tier can hold; `None` derives `max(1, ⌊B/(L·Q_t)⌋)` (with
    /// `Q_t` of an unlimited tier taken as 10× the previous quota), i.e.
    /// about an equal share of traffic per tier.
    pub tier_capacity: Option<Vec<f64>>,
    /// Promotion test (default Thompson).
    pub promotion: PromotionRule,
    /// Items retire after this many days in the pool (default 30).
    pub max_item_age_days: u32,
}

/// Default tier windows in days.
///
/// ```
/// use shijing::allocation::platform::{PlatformConfig, DEFAULT_TIER_WINDOWS};
/// assert_eq!(PlatformConfig::default().tier_windows, DEFAULT_TIER_WINDOWS.to_vec());
/// ```
pub const DEFAULT_TIER_WINDOWS: [u32; 5] = [1, 2, 3, 5, 7];

impl Default for PlatformConfig {
    fn default() -> Self {
        PlatformConfig {
            round: RoundSettings::default(),
            prior_mean: 0.03,
            prior_strength: 30.0,
            new_merchant_days: 30,
            graduation_gmv: f64::INFINITY,
            tier_windows: DEFAULT_TIER_WINDOWS.to_vec(),
            tier_capacity: None,
            promotion: PromotionRule::Thompson,
            max_item_age_days: 30,
        }
    }
}

impl PlatformConfig {
    /// Checks every field (`prefix` names them).
    ///
    /// ```
    /// use shijing::allocation::platform::PlatformConfig;
    /// let c = PlatformConfig { tier_windows: vec![1, 0, 1, 1, 1], ..Default::default() };
    /// assert_eq!(
    ///     c.validate("options.").unwrap_err().to_string(),
    ///     "options.tierWindows[1] must be ≥ 1 day, got 0"
    /// );
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        self.round.validate(prefix)?;
        let l = self.round.tier_quotas.len();
        validate::in_half_open(&format!("{prefix}priorMean"), self.prior_mean, 0.0, 1.0)?;
        if self.prior_mean <= 0.0 {
            return Err(Error::invalid(format!(
                "{prefix}priorMean must be in (0, 1), got {}",
                num(self.prior_mean)
            )));
        }
        validate::positive(&format!("{prefix}priorStrength"), self.prior_strength)?;
        if self.graduation_gmv.is_nan() || self.graduation_gmv < 0.0 {
            return Err(Error::invalid(format!(
                "{prefix}graduationGmv must be ≥ 0 (Infinity for never), got {}",
                num(self.graduation_gmv)
            )));
        }
        validate::same_len(
            &format!("{prefix}tierQuotas"),
            l,
            &format!("{prefix}tierWindows"),
            self.tier_windows.len(),
        )?;
        for (t, &w) in self.tier_windows.iter().enumerate() {
            if w == 0 {
                return Err(Error::invalid(format!(
                    "{prefix}tierWindows[{t}] must be ≥ 1 day, got 0"
                )));
            }
        }
        if let Some(c) = &self.tier_capacity {
            validate::same_len(
                &format!("{prefix}tierQuotas"),
                l,
                &format!("{prefix}tierCapacity"),
                c.len(),
            )?;
            for (t, &x) in c.iter().enumerate() {
                if x.is_nan() || x < 0.0 || (x.is_finite() && x.fract() != 0.0) {
                    return Err(Error::invalid(format!(
                        "{prefix}tierCapacity[{t}] must be a non-negative integer or Infinity, got {}",
                        num(x)
                    )));
                }
            }
        }
        if self.max_item_age_days == 0 {
            return Err(Error::invalid(format!(
                "{prefix}maxItemAgeDays must be ≥ 1, got 0"
            )));
        }
        Ok(())
    }

    /// Items each tier can hold (given or derived).
    ///
    /// ```
    /// use shijing::allocation::platform::PlatformConfig;
    /// // ⌊B/(L·Q_t)⌋ with B = 1e8, L = 5 and the unlimited tier as 10× the last quota.
    /// assert_eq!(PlatformConfig::default().capacities(), vec![40_000.0, 4_000.0, 400.0, 40.0, 4.0]);
    /// ```
    pub fn capacities(&self) -> Vec<f64> {
        if let Some(c) = &self.tier_capacity {
            return c.clone();
        }
        let q = &self.round.tier_quotas;
        let l = q.len() as f64;
        let mut prev = 1.0;
        q.iter()
            .map(|&qt| {
                let nominal = if qt.is_finite() { qt } else { 10.0 * prev };
                prev = nominal;
                (self.round.budget / (l * nominal)).floor().max(1.0)
            })
            .collect()
    }
}
