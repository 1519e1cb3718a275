//! A stateful platform that runs allocation rounds over days (notes §5.2
//! step 7): Beta posteriors per item from observed engagement, tiered traffic
//! pools with promotion, retirement of stale items, graduation of new
//! merchants.
//!
//! A day is [`Platform::allocate_day`] (one [`round`] over the
//! active items) followed by [`Platform::observe`] with the engaged
//! impressions per item, which updates the posteriors and then:
//!
//! * an item is **due** when it has used its tier quota or spent the tier's
//!   window (days) in the tier;
//! * a due item **passes** when its engagement beats the tier's threshold
//!   `h_t`, the impression-weighted mean engagement rate of the tier in the
//!   **previous** round (the prior mean before any data): a Thompson test
//!   (`θ̃ ~ Beta(α, β)`, `θ̃ > h_t`) by default, or the posterior mean;
//! * passing items are promoted, best `θ̃` first (ties to the lower index),
//!   while the next tier has capacity (items it can hold); in the top tier a
//!   passing item stays (its window restarts);
//! * due items that are not promoted, and items older than `max_item_age_days`,
//!   retire (they leave the public pool);
//! * creators age by a day; a new merchant graduates after
//!   `new_merchant_days` days or once its GMV reaches `graduation_gmv`.
//!
//! Item and creator indices are stable: retired items keep their index and
//! get 0 impressions.
//!
//! ```
//! # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
//! # use shijing::stats::random::rng;
//! # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
//! # let creators = CreatorColumns { count: 5, ..Default::default() };
//! # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
//! # let mut r = rng(1);
//! for _ in 0..7 {
//!     let day = p.allocate_day(&mut r)?;
//!     let engaged: Vec<f64> = day.item_exposure.iter().map(|&x| (x / 30) as f64).collect();
//!     p.observe(&engaged, &mut r, "engaged")?;
//! }
//! // A week on: items were decided on, promoted or retired.
//! assert!(p.items().iter().any(|it| it.tier > 0 || !it.active));
//! # Ok::<(), shijing::Error>(())
//! ```
mod config;

pub use config::{PlatformConfig, PromotionRule, DEFAULT_TIER_WINDOWS};

use super::cold_start::MeritSignals;
use super::round::{self, Engagement, RoundInput, RoundResult};
use crate::stats::random::{self, Normals, Rng};
use crate::stats::sort;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// Per-creator inputs at registration.
///
/// ```
/// use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
/// let creators = CreatorColumns { count: 2, age_days: Some(vec![0, 100]), ..Default::default() };
/// let p = Platform::new(PlatformConfig::default(), creators, &[0, 1], "")?;
/// assert_eq!(p.new_merchants(), vec![true, false]);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CreatorColumns {
    /// Number of creators.
    pub count: usize,
    /// Days since each creator joined (default 0: everyone new).
    pub age_days: Option<Vec<u32>>,
    /// Diligence signal.
    pub diligence: Option<Vec<f64>>,
    /// Fan-operation signal.
    pub fan_operation: Option<Vec<f64>>,
    /// Advertising spend.
    pub spend: Option<Vec<f64>>,
    /// GMV (also compared with `graduation_gmv`).
    pub gmv: Option<Vec<f64>>,
}

/// The state of one item.
///
/// ```
/// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
/// # use shijing::stats::random::rng;
/// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
/// # let creators = CreatorColumns { count: 5, ..Default::default() };
/// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
/// # let mut r = rng(1);
/// let it = p.items()[0];
/// assert_eq!((it.tier, it.used, it.active), (0, 0.0, true));
/// assert!((it.alpha / (it.alpha + it.beta) - 0.03).abs() < 1e-15); // the prior mean
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemState {
    /// Owner.
    pub creator: u32,
    /// Posterior `α`.
    pub alpha: f64,
    /// Posterior `β`.
    pub beta: f64,
    /// Current tier.
    pub tier: u32,
    /// Impressions used in the current tier.
    pub used: f64,
    /// Days in the current tier.
    pub days_in_tier: u32,
    /// Days since the item entered the pool.
    pub age: u32,
    /// Still in the public pool.
    pub active: bool,
}

/// A platform running rounds over days.
///
/// ```
/// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
/// # use shijing::stats::random::rng;
/// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
/// # let creators = CreatorColumns { count: 5, ..Default::default() };
/// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
/// # let mut r = rng(1);
/// for _ in 0..3 {
///     let day = p.allocate_day(&mut r)?;
///     let engaged: Vec<f64> = day.item_exposure.iter().map(|&x| (x / 30) as f64).collect();
///     p.observe(&engaged, &mut r, "engaged")?;
/// }
/// assert_eq!(p.day(), 3);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Platform {
    config: PlatformConfig,
    capacity: Vec<f64>,
    day: u32,
    creator_age: Vec<u32>,
    diligence: Vec<f64>,
    fan_operation: Vec<f64>,
    spend: Vec<f64>,
    gmv: Vec<f64>,
    items: Vec<ItemState>,
    thresholds: Vec<f64>,
    pending: Option<Vec<u64>>,
}

fn column(name: &str, col: Option<Vec<f64>>, n: usize) -> Result<Vec<f64>> {
    match col {
        Some(c) => {
            if c.len() != n {
                return Err(Error::invalid(format!(
                    "{name} has {} elements but there are {n} creators",
                    c.len()
                )));
            }
            validate::all_finite_non_negative(name, &c)?;
            Ok(c)
        }
        None => Ok(vec![0.0; n]),
    }
}

impl Platform {
    /// A platform with `creators` and items owned by `item_creator` (prior
    /// posteriors, tier 0). `prefix` names arguments in errors.
    ///
    /// ```
    /// use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// let creators = CreatorColumns { count: 2, ..Default::default() };
    /// let err = Platform::new(PlatformConfig::default(), creators, &[0, 2], "").unwrap_err();
    /// assert_eq!(err.to_string(), "items.creator[1] is 2 but there are only 2 creators");
    /// ```
    pub fn new(
        config: PlatformConfig,
        creators: CreatorColumns,
        item_creator: &[u32],
        prefix: &str,
    ) -> Result<Self> {
        config.validate(&format!("{prefix}options."))?;
        let m = creators.count;
        let cp = format!("{prefix}creators.");
        validate::count_in(&format!("{cp}count"), m, 1, validate::MAX_ELEMENTS)?;
        let creator_age = match creators.age_days {
            Some(a) => {
                if a.len() != m {
                    return Err(Error::invalid(format!(
                        "{cp}ageDays has {} elements but there are {m} creators",
                        a.len()
                    )));
                }
                a
            }
            None => vec![0; m],
        };
        let mut p = Platform {
            capacity: config.capacities(),
            thresholds: vec![config.prior_mean; config.round.tier_quotas.len()],
            config,
            day: 0,
            creator_age,
            diligence: column(&format!("{cp}diligence"), creators.diligence, m)?,
            fan_operation: column(&format!("{cp}fanOperation"), creators.fan_operation, m)?,
            spend: column(&format!("{cp}spend"), creators.spend, m)?,
            gmv: column(&format!("{cp}gmv"), creators.gmv, m)?,
            items: Vec::new(),
            pending: None,
        };
        p.add_items(item_creator, None, &format!("{prefix}items."), "")?;
        Ok(p)
    }

    /// Adds items (prior posteriors unless `posterior` gives `(α, β)`
    /// columns) in tier 0. Returns the index of the first new item. Errors
    /// name the owners `{prefix}creator` and the posterior columns
    /// `{posterior_prefix}alpha`/`beta`.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// let first = p.add_items(&[4, 4], Some((&[3.0, 3.0], &[50.0, 50.0])), "", "")?;
    /// assert_eq!(first, 20);
    /// assert_eq!(p.items()[21].alpha, 3.0);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn add_items(
        &mut self,
        item_creator: &[u32],
        posterior: Option<(&[f64], &[f64])>,
        prefix: &str,
        posterior_prefix: &str,
    ) -> Result<usize> {
        let m = self.creator_age.len();
        let n = item_creator.len();
        let name = format!("{prefix}creator");
        validate::max_len(&name, self.items.len() + n, validate::MAX_ELEMENTS)?;
        for (i, &c) in item_creator.iter().enumerate() {
            if c as usize >= m {
                return Err(Error::invalid(format!(
                    "{name}[{i}] is {c} but there are only {m} creators"
                )));
            }
        }
        if let Some((a, b)) = posterior {
            for (nm, col) in [("alpha", a), ("beta", b)] {
                let nm = format!("{posterior_prefix}{nm}");
                if col.len() != n {
                    return Err(Error::invalid(format!(
                        "{nm} has {} elements but {name} has {n}; they must have the same length",
                        col.len()
                    )));
                }
                round::all_positive(&nm, col)?;
            }
        }
        if self.pending.is_some() {
            return Err(Error::state(
                "items cannot be added between a round and its observe(); call observe() first",
            ));
        }
        let first = self.items.len();
        let a0 = self.config.prior_mean * self.config.prior_strength;
        let b0 = (1.0 - self.config.prior_mean) * self.config.prior_strength;
        for (i, &c) in item_creator.iter().enumerate() {
            let (alpha, beta) = posterior.map_or((a0, b0), |(a, b)| (a[i], b[i]));
            self.items.push(ItemState {
                creator: c,
                alpha,
                beta,
                tier: 0,
                used: 0.0,
                days_in_tier: 0,
                age: 0,
                active: true,
            });
        }
        Ok(first)
    }

    /// Replaces the creators' merit signals (any `None` keeps the current column).
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// use shijing::allocation::cold_start::MeritSignals;
    /// let diligence = [1.0, 2.0, 3.0, 4.0, 5.0];
    /// p.set_merit(MeritSignals { diligence: Some(&diligence), ..Default::default() }, "")?;
    /// assert!(p.set_merit(MeritSignals { spend: Some(&[1.0]), ..Default::default() }, "").is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn set_merit(&mut self, signals: MeritSignals, prefix: &str) -> Result<()> {
        let m = self.creator_age.len();
        let mut next = [
            self.diligence.clone(),
            self.fan_operation.clone(),
            self.spend.clone(),
            self.gmv.clone(),
        ];
        for (k, (name, col)) in [
            ("diligence", signals.diligence),
            ("fanOperation", signals.fan_operation),
            ("spend", signals.spend),
            ("gmv", signals.gmv),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(c) = col {
                next[k] = column(&format!("{prefix}{name}"), Some(c.to_vec()), m)?;
            }
        }
        let [d, f, s, g] = next;
        self.diligence = d;
        self.fan_operation = f;
        self.spend = s;
        self.gmv = g;
        Ok(())
    }

    /// Days completed.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert_eq!(p.day(), 0);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn day(&self) -> u32 {
        self.day
    }

    /// The configuration.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert_eq!(p.config().round.budget, 1e8);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn config(&self) -> &PlatformConfig {
        &self.config
    }

    /// Items (all, including retired).
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert_eq!(p.items().len(), 20);
    /// assert_eq!(p.items()[7].creator, 2);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn items(&self) -> &[ItemState] {
        &self.items
    }

    /// Number of creators.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert_eq!(p.creator_count(), 5);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn creator_count(&self) -> usize {
        self.creator_age.len()
    }

    /// Tier thresholds `h_t` the next decisions use.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// // Before any data, every tier's threshold is the prior mean.
    /// assert!(p.thresholds().iter().all(|&h| h == 0.03));
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }

    /// Items each tier can hold.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert_eq!(p.capacities(), p.config().capacities().as_slice());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn capacities(&self) -> &[f64] {
        &self.capacity
    }

    /// Whether each creator is a new merchant today.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// assert!(p.new_merchants().iter().all(|&b| b)); // everyone joined today
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn new_merchants(&self) -> Vec<bool> {
        (0..self.creator_age.len())
            .map(|c| {
                self.creator_age[c] < self.config.new_merchant_days
                    && self.gmv[c] < self.config.graduation_gmv
            })
            .collect()
    }

    /// Whether a round is waiting for its `observe`.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// let day = p.allocate_day(&mut r)?;
    /// assert!(p.awaiting_observation());
    /// assert!(p.allocate_day(&mut r).is_err()); // observe first
    /// let engaged: Vec<f64> = day.item_exposure.iter().map(|&x| (x / 30) as f64).collect();
    /// p.observe(&engaged, &mut r, "engaged")?;
    /// assert!(!p.awaiting_observation());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn awaiting_observation(&self) -> bool {
        self.pending.is_some()
    }

    /// Runs today's round over the active items. Item vectors in the result
    /// cover every registered item (0 for retired ones).
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// let day = p.allocate_day(&mut r)?;
    /// assert_eq!(day.item_exposure.len(), 20);
    /// assert_eq!(day.item_exposure.iter().sum::<u64>() + day.unallocated, 100_000_000);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn allocate_day(&mut self, rng: &mut Rng) -> Result<RoundResult> {
        if self.pending.is_some() {
            return Err(Error::state(
                "the previous round has not been observed; call observe() first",
            ));
        }
        let active: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.items[i].active)
            .collect();
        if active.is_empty() {
            return Err(Error::Infeasible(
                "no active items: every item has retired; add items first".into(),
            ));
        }
        let owner: Vec<u32> = active.iter().map(|&i| self.items[i].creator).collect();
        let alpha: Vec<f64> = active.iter().map(|&i| self.items[i].alpha).collect();
        let beta: Vec<f64> = active.iter().map(|&i| self.items[i].beta).collect();
        let tier: Vec<u32> = active.iter().map(|&i| self.items[i].tier).collect();
        let used: Vec<f64> = active.iter().map(|&i| self.items[i].used).collect();
        let new_merchant = self.new_merchants();
        let input = RoundInput {
            creators: self.creator_age.len(),
            item_creator: &owner,
            engagement: Engagement::Posterior {
                alpha: &alpha,
                beta: &beta,
            },
            value: None,
            tier: Some(&tier),
            used: Some(&used),
            new_merchant: Some(&new_merchant),
            merit: MeritSignals {
                diligence: Some(&self.diligence),
                fan_operation: Some(&self.fan_operation),
                spend: Some(&self.spend),
                gmv: Some(&self.gmv),
            },
        };
        let score = round::scores(&input, &self.config.round, rng);
        let mut r = round::allocate_scored(&input, &self.config.round, score, 0);
        // Back to every registered item.
        let n = self.items.len();
        let mut exposure = vec![0u64; n];
        let mut expected = vec![0.0; n];
        let mut score = vec![0.0; n];
        for (k, &i) in active.iter().enumerate() {
            exposure[i] = r.item_exposure[k];
            expected[i] = r.item_expected[k];
            score[i] = r.score[k];
        }
        r.item_exposure = exposure;
        r.item_expected = expected;
        r.score = score;
        self.pending = Some(r.item_exposure.clone());
        Ok(r)
    }

    /// Feeds back today's engaged impressions per item (integers, each at
    /// most the item's impressions today) and ends the day. `name` is the
    /// argument's name for errors.
    ///
    /// ```
    /// # use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig};
    /// # use shijing::stats::random::rng;
    /// # let owner: Vec<u32> = (0..20).map(|i| i % 5).collect();
    /// # let creators = CreatorColumns { count: 5, ..Default::default() };
    /// # let mut p = Platform::new(PlatformConfig::default(), creators, &owner, "")?;
    /// # let mut r = rng(1);
    /// let day = p.allocate_day(&mut r)?;
    /// let mut too_many: Vec<f64> = day.item_exposure.iter().map(|&x| x as f64).collect();
    /// too_many[0] += 1.0;
    /// assert!(p.observe(&too_many, &mut r, "engaged").is_err());
    /// let engaged: Vec<f64> = day.item_exposure.iter().map(|&x| (x / 30) as f64).collect();
    /// p.observe(&engaged, &mut r, "engaged")?;
    /// assert_eq!(p.day(), 1);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn observe(&mut self, engaged: &[f64], rng: &mut Rng, name: &str) -> Result<()> {
        let Some(exposure) = self.pending.as_ref() else {
            return Err(Error::state(
                "there is no round to observe; call runRound() first",
            ));
        };
        let n = self.items.len();
        if engaged.len() != n {
            return Err(Error::invalid(format!(
                "{name} has {} elements but there are {n} items",
                engaged.len()
            )));
        }
        for (i, &e) in engaged.iter().enumerate() {
            if e.is_finite() && e >= 0.0 && e.fract() == 0.0 && e <= exposure[i] as f64 {
                continue;
            }
            let nm = format!("{name}[{i}]");
            validate::finite_non_negative(&nm, e)?;
            if e.fract() != 0.0 {
                return Err(Error::invalid(format!(
                    "{nm} must be an integer, got {}",
                    num(e)
                )));
            }
            if e > exposure[i] as f64 {
                return Err(Error::invalid(format!(
                    "{nm} is {} but item {i} had only {} impressions",
                    num(e),
                    exposure[i]
                )));
            }
        }
        let exposure = self.pending.take().unwrap_or_default();
        let l = self.config.round.tier_quotas.len();
        // Posterior update and this round's tier means.
        let mut tier_eng = vec![0.0; l];
        let mut tier_imp = vec![0.0; l];
        for (i, it) in self.items.iter_mut().enumerate() {
            if !it.active {
                continue;
            }
            let x = exposure[i] as f64;
            let e = engaged[i];
            it.alpha += e;
            it.beta += x - e;
            it.used += x;
            tier_eng[it.tier as usize] += e;
            tier_imp[it.tier as usize] += x;
        }
        self.decide(rng);
        for t in 0..l {
            if tier_imp[t] > 0.0 {
                self.thresholds[t] = tier_eng[t] / tier_imp[t];
            }
        }
        for c in 0..self.creator_age.len() {
            self.creator_age[c] = self.creator_age[c].saturating_add(1);
        }
        self.day += 1;
        Ok(())
    }

    /// Promotions and retirements, top tier first so that capacity freed
    /// above is available below.
    fn decide(&mut self, rng: &mut Rng) {
        let l = self.config.round.tier_quotas.len();
        let mut normals = Normals::new();
        // Draw (or compute) the test statistic for every active item in index order.
        let stat: Vec<f64> = self
            .items
            .iter()
            .map(|it| {
                if !it.active {
                    return 0.0;
                }
                match self.config.promotion {
                    PromotionRule::Thompson => {
                        let t = random::beta(rng, &mut normals, it.alpha, it.beta);
                        if t.is_finite() {
                            t
                        } else {
                            0.0
                        }
                    }
                    PromotionRule::Mean => it.alpha / (it.alpha + it.beta),
                }
            })
            .collect();
        let mut occupancy = vec![0usize; l];
        for it in self.items.iter_mut().filter(|it| it.active) {
            occupancy[it.tier as usize] += 1;
            // Today is over for every active item.
            it.age = it.age.saturating_add(1);
            it.days_in_tier = it.days_in_tier.saturating_add(1);
        }
        let quotas = self.config.round.tier_quotas.clone();
        for t in (0..l).rev() {
            let due: Vec<usize> = (0..self.items.len())
                .filter(|&i| {
                    let it = &self.items[i];
                    it.active
                        && it.tier as usize == t
                        && (it.used >= quotas[t] || it.days_in_tier >= self.config.tier_windows[t])
                })
                .collect();
            let h = self.thresholds[t];
            let mut pass: Vec<usize> = due.iter().copied().filter(|&i| stat[i] > h).collect();
            if t + 1 == l {
                for &i in &due {
                    let it = &mut self.items[i];
                    if stat[i] > h {
                        it.days_in_tier = 0;
                        it.used = 0.0;
                    } else {
                        it.active = false;
                        occupancy[t] -= 1;
                    }
                }
                continue;
            }
            let room = (self.capacity[t + 1] - occupancy[t + 1] as f64).max(0.0);
            let take = if room >= pass.len() as f64 {
                pass.len()
            } else {
                room as usize
            };
            if take < pass.len() {
                let mut keys: Vec<u128> = pass
                    .iter()
                    .map(|&i| sort::desc_then_index(stat[i], i as u32))
                    .collect();
                sort::sort_wide(&mut keys);
                for (p, k) in pass.iter_mut().zip(keys) {
                    *p = k as u32 as usize;
                }
            }
            let mut promote = vec![false; due.len()];
            for &i in &pass[..take] {
                if let Ok(k) = due.binary_search(&i) {
                    promote[k] = true;
                }
            }
            for (k, &i) in due.iter().enumerate() {
                let it = &mut self.items[i];
                occupancy[t] -= 1;
                if promote[k] {
                    it.tier += 1;
                    it.used = 0.0;
                    it.days_in_tier = 0;
                    occupancy[t + 1] += 1;
                } else {
                    it.active = false;
                }
            }
        }
        let max_age = self.config.max_item_age_days;
        for it in self.items.iter_mut().filter(|it| it.active) {
            if it.age >= max_age {
                it.active = false;
            }
        }
    }
}
