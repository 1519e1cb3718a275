//! The tiered traffic pools as the day loop keeps them: each merchant's
//! items (content slots) with their engagement posteriors, the tiers' quotas,
//! windows and capacity, promotion and retirement ([`settle`]), and the
//! Thompson draw an item's score starts from.

use crate::allocation::platform::DEFAULT_TIER_WINDOWS;
use crate::stats::random::{self, Normals, Rng};
use crate::stats::{clamp, max_of, min_of};

/// Prior mean engagement of a new merchant's first item (notes §5.1).
pub(super) const PRIOR_MEAN: f64 = 0.03;
/// Prior strength of a new merchant's first item's posterior (notes §5.1).
pub(super) const PRIOR_STRENGTH: f64 = 30.0;
/// Prior strength of a later item's posterior: the merchant's own click rate
/// so far is informative (empirical Bayes; assumption).
pub(super) const HISTORY_STRENGTH: f64 = 100.0;
/// Tier quotas of the simulated platform (assumption: ×10 per tier, notes §5.1).
pub const SIM_TIER_QUOTAS: [f64; 5] = [500.0, 5_000.0, 50_000.0, 500_000.0, 5_000_000.0];

#[derive(Debug, Clone, Copy)]
pub(super) struct Item {
    pub(super) alpha: f64,
    pub(super) beta: f64,
    pub(super) tier: u32,
    pub(super) used: f64,
    pub(super) days_in_tier: u32,
    pub(super) age: u32,
    /// Impressions since the item was posted.
    pub(super) plays: f64,
}

impl Item {
    pub(super) fn fresh((prior_mean, strength): (f64, f64)) -> Item {
        let m = clamp(prior_mean, 1e-4, 0.9);
        Item {
            alpha: m * strength,
            beta: (1.0 - m) * strength,
            tier: 0,
            used: 0.0,
            days_in_tier: 0,
            age: 0,
            plays: 0.0,
        }
    }
}

/// The tiered-pool rules the day loop applies.
#[derive(Debug, Clone)]
pub(super) struct Tiers {
    pub(super) quotas: Vec<f64>,
    pub(super) windows: Vec<u32>,
    pub(super) capacity: Vec<f64>,
    pub(super) lifetime: u32,
}

impl Tiers {
    /// The simulated platform's tiers: each can hold about an equal share of
    /// the day's budget at the tier's daily room (assumption, as the
    /// platform's default).
    pub(super) fn new(quotas: &[f64], budget: f64, lifetime: u32) -> Self {
        let mut tiers = Tiers {
            quotas: quotas.to_vec(),
            windows: DEFAULT_TIER_WINDOWS.to_vec(),
            capacity: Vec::new(),
            lifetime,
        };
        let levels = quotas.len() as f64;
        tiers.capacity = (0..quotas.len())
            .map(|t| {
                let probe = Item {
                    tier: t as u32,
                    ..Item::fresh((PRIOR_MEAN, PRIOR_STRENGTH))
                };
                (budget / (levels * tiers.room(&probe))).floor().max(1.0)
            })
            .collect();
        tiers
    }

    /// Impressions the item may still take today: what is left of its tier's
    /// quota; in the top tier also paced over the window (`Q/W` a day at most),
    /// so a top item's traffic spreads over its days instead of one.
    pub(super) fn room(&self, it: &Item) -> f64 {
        let t = it.tier as usize;
        let q = self.quotas[t];
        let left = q - it.used;
        let paced = if it.tier == self.top() {
            min_of(left, q / f64::from(self.windows[t].max(1)))
        } else {
            left
        };
        max_of(paced, 0.0)
    }

    pub(super) fn due(&self, it: &Item) -> bool {
        let t = it.tier as usize;
        it.used >= self.quotas[t] || it.days_in_tier + 1 >= self.windows[t]
    }
    pub(super) fn top(&self) -> u32 {
        (self.quotas.len() - 1) as u32
    }
}

/// Applies a promotion decision to an item; a retired item is replaced by a
/// new one (the merchant posts new content in that slot).
pub(super) fn settle(it: &mut Item, tiers: &Tiers, due: bool, promote: bool, prior: (f64, f64)) {
    it.age += 1;
    it.days_in_tier += 1;
    let mut retire = false;
    if due {
        if promote {
            if it.tier < tiers.top() {
                it.tier += 1;
            }
            it.used = 0.0;
            it.days_in_tier = 0;
        } else {
            retire = true;
        }
    }
    if retire || it.age >= tiers.lifetime {
        *it = Item::fresh(prior);
    }
}

/// Both posterior parameters at least this large: Thompson draws use the
/// normal approximation to the Beta (one normal instead of two gammas).
const THOMPSON_NORMAL_MIN: f64 = 3.0;

/// Draws an engagement statistic from an item's posterior (a Thompson draw).
pub(super) fn thompson(rng: &mut Rng, normals: &mut Normals, it: &Item) -> f64 {
    if it.alpha >= THOMPSON_NORMAL_MIN && it.beta >= THOMPSON_NORMAL_MIN {
        let n = it.alpha + it.beta;
        let mean = it.alpha / n;
        let sd = (mean * (1.0 - mean) / (n + 1.0)).sqrt();
        return clamp(mean + sd * normals.next(rng), 0.0, 1.0);
    }
    let t = random::beta(rng, normals, it.alpha, it.beta);
    if t.is_finite() {
        t
    } else {
        0.0
    }
}
