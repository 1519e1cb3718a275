//! The tiered traffic pools as the day loop keeps them: each merchant's
//! items (content slots) with their engagement posteriors, the tiers' quotas,
//! windows and capacity, promotion and retirement ([`settle`]), and the
//! Thompson draw an item's score starts from.

use crate::allocation::platform::DEFAULT_TIER_WINDOWS;
use crate::stats::random::{self, Normals, Rng};
use crate::stats::{clamp, max_of, min_of};

/// Prior mean engagement of a new merchant's first item (notes §5.1).
pub(super) const PRIOR_MEAN: f64 = 0.03;
/// Prior strength of a new merchant's first item's posterior (assumption;
/// notes §5.1 gives 30 as an example: at 30 a new merchant's first day
/// hung on one heavy-tailed draw, ±40% between seeds).
pub(super) const PRIOR_STRENGTH: f64 = 100.0;
/// Prior strength of a later item's posterior: the merchant's own click rate
/// so far is informative (empirical Bayes; assumption).
pub(super) const HISTORY_STRENGTH: f64 = 100.0;
/// Share of the day's budget each tier can hold at its daily room (its
/// capacity in items is this share over the room). Assumption: 1/15, so the
/// five tiers at their full quotas take a third of the budget and the rest
/// goes to every item by score; with 1/5 (all of it) the ladder's heads
/// alone would make the creators' Gini ≈ 0.8 before the cap.
pub(super) const TIER_BUDGET_SHARE: f64 = 1.0 / 15.0;
/// Tier quotas of the simulated platform (assumption: ×10 per tier, notes §5.1).
///
/// ```
/// # use shijing::sim::SIM_TIER_QUOTAS;
/// assert_eq!(SIM_TIER_QUOTAS[0], 500.0);
/// assert!(SIM_TIER_QUOTAS.windows(2).all(|q| q[1] == 10.0 * q[0]));
/// ```
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
    /// The simulated platform's tiers: each can hold [`TIER_BUDGET_SHARE`]
    /// of the day's budget at the tier's daily room (assumption).
    pub(super) fn new(quotas: &[f64], budget: f64, lifetime: u32) -> Self {
        let mut tiers = Tiers {
            quotas: quotas.to_vec(),
            windows: DEFAULT_TIER_WINDOWS.to_vec(),
            capacity: Vec::new(),
            lifetime,
        };
        tiers.capacity = (0..quotas.len())
            .map(|t| {
                let probe = Item {
                    tier: t as u32,
                    ..Item::fresh((PRIOR_MEAN, PRIOR_STRENGTH))
                };
                (budget * TIER_BUDGET_SHARE / tiers.room(&probe))
                    .floor()
                    .max(1.0)
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

    /// An established merchant's item as the warm-up finds it: in a tier
    /// drawn in proportion to the tiers' capacity, part-way through its
    /// window and quota, and of any age within its lifetime. Without this
    /// every item of the market would start fresh on the same day and climb
    /// the tiers in step, and a new merchant's first days would meet that
    /// wave instead of a market in its steady state.
    pub(super) fn steady_item(&self, prior: (f64, f64), rng: &mut Rng) -> Item {
        let total: f64 = self.capacity.iter().sum();
        let mut u = random::uniform(rng) * total;
        let mut tier = 0;
        while tier + 1 < self.capacity.len() && u >= self.capacity[tier] {
            u -= self.capacity[tier];
            tier += 1;
        }
        let window = self.windows[tier].max(1);
        let days_in_tier = (random::uniform(rng) * f64::from(window)) as u32 % window;
        let quota = self.quotas[tier];
        let used = random::uniform(rng) * quota;
        let lifetime = self.lifetime.max(1);
        let age = days_in_tier.max((random::uniform(rng) * f64::from(lifetime)) as u32 % lifetime);
        Item {
            tier: tier as u32,
            used,
            days_in_tier,
            age,
            ..Item::fresh(prior)
        }
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

/// Applies a promotion decision to a live room after its session: a room
/// that passes moves up a tier (at the top, its quota is renewed); one that
/// fails keeps its tier with a fresh quota (a room's traffic level carries
/// over between sessions). Its posterior is kept: a live room's engagement
/// is learned across sessions, and a room has no lifetime.
pub(super) fn settle_room(room: &mut Item, tiers: &Tiers, due: bool, promote: bool) {
    room.age += 1;
    room.days_in_tier += 1;
    if due {
        if promote {
            room.tier = (room.tier + 1).min(tiers.top());
        }
        room.used = 0.0;
        room.days_in_tier = 0;
    }
}

/// Both posterior parameters at least this large: Thompson draws use the
/// normal approximation to the Beta (one normal instead of two gammas).
const THOMPSON_NORMAL_MIN: f64 = 3.0;

/// Draws an engagement statistic from an item's posterior (a Thompson draw).
/// Inlined into the scoring pass: the Wasm build kept it a call per item
/// (in Node the default simulation took 2–3% longer, and 129 bytes more).
#[inline(always)]
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
