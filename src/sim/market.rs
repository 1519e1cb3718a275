//! The day loop that joins allocation, funnel and repurchase.
//!
//! Each day: every merchant's items get the day's discovery budget through the
//! allocation round (Thompson-sampled scores, cold-start pool, floors and
//! tier quotas, the exact creator Gini cap); the funnel turns each merchant's
//! exposure into clicks, first orders and followers; followers bring free
//! follow-page exposure, first orders from fans, and repurchases from the
//! merchant's customer base; the returning-customer index feeds tomorrow's
//! score; items are promoted through the tiered pools or retired and replaced.
//!
//! The funnel uses expected counts given exposure (a mean-field model): the
//! randomness of a run comes from the drawn population and from exploration
//! (Thompson draws). That keeps the focus merchant's response to its own
//! settings smooth.
//!
//! [`Market`] keeps, for every day, what the focus merchant met on the
//! platform (the public pool's water level, the cold-start pool, the cap plan,
//! tier thresholds), so [`Market::run_merchant`] can replay the focus merchant
//! alone against the frozen market in microseconds. The replay ignores the
//! merchant's own effect on the market; see `tests/native_sim.rs` for how far
//! it is from a full re-run.

use ndarray::Array2;
use serde::Serialize;

use super::population::{self, Population};
use super::scenario::{MerchantSettings, Scenario};
use crate::allocation::cold_start::{shrunk_roi, ColdStartSettings, MeritSignals};
use crate::allocation::gini_cap::{CapPlan, CapSettings, GiniCapSolver};
use crate::allocation::platform::DEFAULT_TIER_WINDOWS;
use crate::allocation::round::{self, Engagement, RoundInput, RoundSettings};
use crate::funnel::{self, CustomerBase, FunnelParams};
use crate::stats::random::{self, Normals, Rng};
use crate::stats::{clamp, max_of, min_of, sort, Lorenz, SortedShares};
use crate::validate;
use crate::{Error, Result};

/// Days the market runs before day 0 so tiers, posteriors and customer bases
/// settle (not reported; the focus merchant joins on day 0).
pub const WARMUP_DAYS: i64 = 7;
/// Prior mean engagement of a new merchant's first item (notes §5.1).
const PRIOR_MEAN: f64 = 0.03;
/// Prior strength of a new merchant's first item's posterior (notes §5.1).
const PRIOR_STRENGTH: f64 = 30.0;
/// Prior strength of a later item's posterior: the merchant's own click rate
/// so far is informative (empirical Bayes; assumption).
const HISTORY_STRENGTH: f64 = 100.0;
/// Followers lost per day (assumption).
const FOLLOWER_CHURN: f64 = 0.002;
/// Paid (ad) impressions click at this share of the organic rate (assumption).
const AD_CTR_FACTOR: f64 = 0.7;
/// Smoothing of the returning-customer index (assumption).
const RCI_SMOOTHING: f64 = 0.1;
/// An established merchant starts with this share of its followers as alive past customers (assumption).
const INITIAL_CUSTOMERS_PER_FOLLOWER: f64 = 0.25;
/// Tier quotas of the simulated platform (assumption: ×10 per tier, notes §5.1).
pub const SIM_TIER_QUOTAS: [f64; 5] = [500.0, 5_000.0, 50_000.0, 500_000.0, 5_000_000.0];
/// Share of merchants by followers whose plays are not "long tail".
const HEAD_SHARE: f64 = 0.01;

#[derive(Debug, Clone, Copy)]
struct Item {
    alpha: f64,
    beta: f64,
    tier: u32,
    used: f64,
    days_in_tier: u32,
    age: u32,
    /// Impressions since the item was posted.
    plays: f64,
}

impl Item {
    fn fresh((prior_mean, strength): (f64, f64)) -> Item {
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

/// What changes about a merchant from day to day.
#[derive(Debug, Clone)]
struct MerchantState {
    followers: f64,
    base: CustomerBase,
    items: Vec<Item>,
    clicks_total: f64,
    exposure_total: f64,
    rci: f64,
    gmv_total: f64,
    spend_total: f64,
    fan_signal: f64,
}

impl MerchantState {
    fn new(
        traits: &funnel::Traits,
        followers: f64,
        age: f64,
        params: &FunnelParams,
        new_days: f64,
    ) -> Self {
        let rates = params.rates(traits);
        let (_, w) = funnel::rate_classes(rates.hazard, params.rate_shape);
        let mut base = CustomerBase::default();
        if age >= new_days {
            base.acquire(followers * INITIAL_CUSTOMERS_PER_FOLLOWER, 0.0, &w);
        }
        let prior = if age >= new_days {
            // An established merchant's items start from its own click rate.
            (rates.ctr, HISTORY_STRENGTH)
        } else {
            (PRIOR_MEAN, PRIOR_STRENGTH)
        };
        MerchantState {
            followers,
            base,
            items: vec![Item::fresh(prior); population::slots(traits.diligence)],
            clicks_total: 0.0,
            exposure_total: 0.0,
            rci: if age >= new_days {
                0.3 * traits.trust
            } else {
                0.0
            },
            gmv_total: 0.0,
            spend_total: 0.0,
            fan_signal: 0.0,
        }
    }

    /// Prior (mean, strength) of a newly posted item: the merchant's own click
    /// rate so far, shrunk to the platform prior while it has little history.
    fn item_prior(&self) -> (f64, f64) {
        let mean = (self.clicks_total + PRIOR_STRENGTH * PRIOR_MEAN)
            / (self.exposure_total + PRIOR_STRENGTH);
        let strength = if self.exposure_total > 0.0 {
            HISTORY_STRENGTH
        } else {
            PRIOR_STRENGTH
        };
        (mean, strength)
    }

    /// Value per engaged impression: trust and the returning-customer index.
    fn value(&self, trust: f64, trust_weight: f64) -> f64 {
        (0.5 + trust) * (1.0 + trust_weight * self.rci)
    }
}

/// Integer exposures below this take the funnel's saturation factor from a table.
const SATURATION_TABLE_LEN: usize = 1 << 14;

/// [`FunnelParams::saturation`] tabulated at the integer exposures
/// `0..SATURATION_TABLE_LEN` once per run: the day loop's exposures are
/// integers, and a table entry is the same libm call on the same argument,
/// so the same bits. Larger exposures call libm.
struct SaturationTable(Vec<f64>);

impl SaturationTable {
    fn new(params: &FunnelParams) -> Self {
        SaturationTable(
            (0..SATURATION_TABLE_LEN)
                .map(|k| params.saturation(k as f64))
                .collect(),
        )
    }

    /// The factor at integer exposure `e` (compared as `u64`: on wasm32 a
    /// `usize` cast would truncate).
    fn at(&self, params: &FunnelParams, e: u64) -> f64 {
        if e < self.0.len() as u64 {
            self.0[e as usize]
        } else {
            params.saturation(e as f64)
        }
    }
}

/// One merchant-day of the funnel.
#[derive(Debug, Clone, Copy, Default)]
struct DayOutcome {
    public: f64,
    paid: f64,
    private: f64,
    first: f64,
    repurchases: f64,
    gmv: f64,
    private_gmv: f64,
    top_item: f64,
}

/// A merchant's funnel rates and repurchase classes: functions of its static
/// traits, computed once per run.
#[derive(Debug, Clone, Copy)]
struct MerchantRates {
    rates: funnel::Rates,
    hazards: [f64; funnel::RATE_CLASSES],
    weights: [f64; funnel::RATE_CLASSES],
    /// Share of repurchases that the follow page adds (its lift over no follow page).
    follow_share: f64,
    price: f64,
}

impl MerchantRates {
    fn new(params: &FunnelParams, traits: &funnel::Traits) -> Self {
        let rates = params.rates(traits);
        let (hazards, weights) = funnel::rate_classes(rates.hazard, params.rate_shape);
        let lift = params.follow_lift(traits);
        MerchantRates {
            rates,
            hazards,
            weights,
            follow_share: (lift - 1.0) / lift,
            price: traits.price,
        }
    }
}

/// The funnel for one merchant and day, given its items' public exposure
/// (after the cap) with its [`FunnelParams::saturation`] factors, and its
/// paid exposure. Updates the merchant's state and its items' posteriors;
/// writes each item's clicks to `item_clicks`.
#[allow(clippy::too_many_arguments)]
fn merchant_day(
    state: &mut MerchantState,
    mr: &MerchantRates,
    params: &FunnelParams,
    item_exposure: &[f64],
    item_saturation: &[f64],
    paid: f64,
    ad_spend: f64,
    order_multiplier: f64,
    item_clicks: &mut [f64],
) -> DayOutcome {
    let rates = &mr.rates;
    let mut public = 0.0;
    let mut clicks = 0.0;
    let mut top_item: f64 = 0.0;
    for (k, it) in state.items.iter_mut().enumerate() {
        let x = item_exposure[k];
        let c = params.clicks_at(rates.ctr, item_saturation[k]);
        it.alpha += c;
        it.beta += max_of(x - c, 0.0);
        it.used += x;
        it.plays += x;
        item_clicks[k] = c;
        public += x;
        clicks += c;
        top_item = max_of(top_item, it.plays);
    }
    clicks += paid * rates.ctr * AD_CTR_FACTOR;
    let orders = clicks * rates.order_rate * order_multiplier;
    let follows = clicks * rates.follow_rate;
    let private = state.followers * rates.visit_rate;
    let non_customers = if state.followers > 0.0 {
        clamp(1.0 - state.base.alive_total() / state.followers, 0.0, 1.0)
    } else {
        0.0
    };
    let fan_first = private * rates.fan_order_rate * non_customers * order_multiplier;
    let mut rep = state.base.expected_repurchases(&mr.hazards);
    for (k, r) in rep.iter_mut().enumerate() {
        *r = min_of(*r * order_multiplier, state.base.alive[k]);
    }
    let repurchases: f64 = rep.iter().sum();
    state.base.after_purchases(&rep, rates.dropout);
    state
        .base
        .acquire(orders + fan_first, rates.dropout, &mr.weights);
    let all_orders = orders + fan_first + repurchases;
    let gmv = all_orders * mr.price;
    // Follow-page GMV: fans' first orders plus the repurchases the follow page adds.
    let private_gmv = (fan_first + repurchases * mr.follow_share) * mr.price;
    state.followers = state.followers * (1.0 - FOLLOWER_CHURN) + follows;
    if all_orders > 0.0 {
        state.rci = (1.0 - RCI_SMOOTHING) * state.rci + RCI_SMOOTHING * repurchases / all_orders;
    }
    state.clicks_total += clicks;
    state.exposure_total += public + paid;
    state.gmv_total += gmv;
    state.spend_total += ad_spend;
    state.fan_signal = follows + repurchases;
    DayOutcome {
        public,
        paid,
        private,
        first: orders + fan_first,
        repurchases,
        gmv,
        private_gmv,
        top_item,
    }
}

/// The tiered-pool rules the day loop applies.
#[derive(Debug, Clone)]
struct Tiers {
    quotas: Vec<f64>,
    windows: Vec<u32>,
    capacity: Vec<f64>,
    lifetime: u32,
}

impl Tiers {
    /// The simulated platform's tiers: each can hold about an equal share of
    /// the day's budget at the tier's daily room (assumption, as the
    /// platform's default).
    fn new(quotas: &[f64], budget: f64, lifetime: u32) -> Self {
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
    fn room(&self, it: &Item) -> f64 {
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

    fn due(&self, it: &Item) -> bool {
        let t = it.tier as usize;
        it.used >= self.quotas[t] || it.days_in_tier + 1 >= self.windows[t]
    }
    fn top(&self) -> u32 {
        (self.quotas.len() - 1) as u32
    }
}

/// Applies a promotion decision to an item; a retired item is replaced by a
/// new one (the merchant posts new content in that slot).
fn settle(it: &mut Item, tiers: &Tiers, due: bool, promote: bool, prior: (f64, f64)) {
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

/// The focus merchant's items in the day's public pool at water level
/// `level`: floors for its best items, then `min(room, floor + level·score)`.
/// Writes each item's amount to `x` and returns their sum.
fn public_part(
    level: f64,
    score: &[f64],
    room: &[f64],
    floored: usize,
    floor: f64,
    x: &mut [f64],
) -> f64 {
    let n = score.len();
    let mut order = [0usize, 1, 2, 3];
    let order = &mut order[..n.min(4)];
    // By score descending, ties to the lower index (insertion sort: at most 4).
    for j in 1..order.len() {
        let mut k = j;
        while k > 0 && score[order[k - 1]].total_cmp(&score[order[k]]).is_lt() {
            order.swap(k - 1, k);
            k -= 1;
        }
    }
    let mut total = 0.0;
    for (rank, &k) in order.iter().enumerate() {
        let base = if rank < floored {
            floor.min(room[k])
        } else {
            0.0
        };
        let add = if level.is_finite() {
            level * score[k]
        } else {
            f64::INFINITY
        };
        x[k] = (base + add).min(room[k]);
        total += x[k];
    }
    total
}

/// Cold-start pool of a day, as the focus merchant's replay needs it.
#[derive(Debug, Clone)]
struct ColdStartDay {
    /// Sorted signals of the other new merchants.
    diligence: Vec<f64>,
    fan: Vec<f64>,
    roi: Vec<f64>,
    /// `ν` of `floor + min(h, ν·m^β)`, or the equal share when the pool is below the floors.
    level: f64,
    equal_share: Option<f64>,
}

/// What the focus merchant met on the platform on one day.
#[derive(Debug, Clone)]
struct MarketDay {
    plan: CapPlan,
    mean: f64,
    public_level: f64,
    /// How fast the other items' total moves with the level (their unsaturated scores).
    others_active_score: f64,
    /// The focus merchant's public-pool amount in the full run.
    focus_public: f64,
    overflow_level: f64,
    cold_start: Option<ColdStartDay>,
    thresholds: Vec<f64>,
    cutoffs: Vec<f64>,
}

/// The focus merchant's day-by-day results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MerchantTrajectory {
    /// Discovery-page exposure per day (allocated + paid).
    pub public_exposure: Vec<f64>,
    /// Follow-page exposure per day (free, outside the cap).
    pub private_exposure: Vec<f64>,
    /// Followers at the end of each day.
    pub followers: Vec<f64>,
    /// First purchases (T0) per day, from the discovery and follow pages.
    pub first_purchases: Vec<f64>,
    /// Repurchases per day.
    pub repurchases: Vec<f64>,
    /// GMV per day, yuan.
    pub gmv: Vec<f64>,
    /// GMV through the follow page per day (fans' first orders and following customers' repurchases).
    pub private_gmv: Vec<f64>,
    /// Plays since posting of the merchant's most-played live item, per day.
    pub top_item_plays: Vec<f64>,
    /// Cold-start pool exposure per day (before the cap).
    pub cold_start_exposure: Vec<f64>,
    /// Whether the merchant was at the head cap each day (1/0).
    pub capped_by_day: Vec<f64>,
    /// Expected share of a new customer (at the end of the run) buying again within 30 days.
    pub repurchase_rate_30: f64,
    /// Same within 90 days.
    pub repurchase_rate_90: f64,
    /// Share of merchants with less public exposure over the run (0–1).
    pub exposure_percentile: f64,
    /// At the head cap on the last day.
    pub capped: bool,
    /// Days at the head cap.
    pub capped_days: u32,
}

impl MerchantTrajectory {
    fn with_days(days: usize) -> Self {
        MerchantTrajectory {
            public_exposure: Vec::with_capacity(days),
            private_exposure: Vec::with_capacity(days),
            followers: Vec::with_capacity(days),
            first_purchases: Vec::with_capacity(days),
            repurchases: Vec::with_capacity(days),
            gmv: Vec::with_capacity(days),
            private_gmv: Vec::with_capacity(days),
            top_item_plays: Vec::with_capacity(days),
            cold_start_exposure: Vec::with_capacity(days),
            capped_by_day: Vec::with_capacity(days),
            repurchase_rate_30: 0.0,
            repurchase_rate_90: 0.0,
            exposure_percentile: 0.0,
            capped: false,
            capped_days: 0,
        }
    }

    fn push(&mut self, o: &DayOutcome, followers: f64, cold_start: f64, capped: bool) {
        self.public_exposure.push(o.public + o.paid);
        self.private_exposure.push(o.private);
        self.followers.push(followers);
        self.first_purchases.push(o.first);
        self.repurchases.push(o.repurchases);
        self.gmv.push(o.gmv);
        self.private_gmv.push(o.private_gmv);
        self.top_item_plays.push(o.top_item);
        self.cold_start_exposure.push(cold_start);
        self.capped_by_day.push(if capped { 1.0 } else { 0.0 });
        self.capped = capped;
        self.capped_days += u32::from(capped);
    }

    fn finish(&mut self, params: &FunnelParams, traits: &funnel::Traits, others_sorted: &[f64]) {
        let rates = params.rates(traits);
        self.repurchase_rate_30 = funnel::repurchase_probability(&rates, params.rate_shape, 30.0);
        self.repurchase_rate_90 = funnel::repurchase_probability(&rates, params.rate_shape, 90.0);
        let mine: f64 = self.public_exposure.iter().sum();
        let less = others_sorted.partition_point(|&v| v < mine);
        let not_more = others_sorted.partition_point(|&v| v <= mine);
        let n = others_sorted.len().max(1) as f64;
        self.exposure_percentile = (less as f64 + (not_more - less) as f64 / 2.0) / n;
    }
}

/// Population metrics per day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PopulationMetrics {
    /// Gini of creators' public exposure.
    pub gini: Vec<f64>,
    /// Share of the top 10% of creators.
    pub top10_share: Vec<f64>,
    /// Share of the bottom 50% of creators.
    pub bottom50_share: Vec<f64>,
    /// Share of all plays (public + paid + follow page) going to merchants outside the top 1% by followers.
    pub long_tail_play_share: Vec<f64>,
    /// Public exposure allocated (integers; equals the budget unless every item was at its quota).
    pub allocated: Vec<f64>,
    /// Creators at the head cap.
    pub capped_creators: Vec<f64>,
    /// The head-cap level `τ`: most public exposure a creator may get that day (∞ when the cap does not bind).
    pub cap_level: Vec<f64>,
}

/// A full simulation's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResult {
    /// The seed used.
    pub seed: u32,
    /// Days simulated.
    pub days: u32,
    /// The focus merchant.
    pub merchant: MerchantTrajectory,
    /// The whole population.
    pub population: PopulationMetrics,
    /// Lorenz curve of merchants' public exposure over the run (101 points).
    #[serde(skip)]
    pub lorenz: Lorenz,
}

impl SimulationResult {
    /// FNV-1a hash over the bits of every number the run returned: equal
    /// fingerprints mean bit-identical runs (used to check that a seed gives
    /// the same run natively and in Wasm).
    pub fn fingerprint(&self) -> u64 {
        let m = &self.merchant;
        let p = &self.population;
        let arrays: [&[f64]; 16] = [
            &m.public_exposure,
            &m.private_exposure,
            &m.followers,
            &m.first_purchases,
            &m.repurchases,
            &m.gmv,
            &m.private_gmv,
            &m.top_item_plays,
            &m.cold_start_exposure,
            &p.gini,
            &p.top10_share,
            &p.bottom50_share,
            &p.long_tail_play_share,
            &p.allocated,
            &p.cap_level,
            &self.lorenz.share,
        ];
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for x in arrays.iter().flat_map(|a| a.iter()).chain(
            [
                m.repurchase_rate_30,
                m.repurchase_rate_90,
                m.exposure_percentile,
            ]
            .iter(),
        ) {
            for b in x.to_bits().to_le_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }
}

/// 90-day (whole-run) totals over a grid of content quality × follow rate,
/// row-major with rows = content quality.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepGrid {
    /// Content-quality values (rows).
    pub content_quality: Vec<f64>,
    /// Follow-rate values (columns).
    pub follow_rate: Vec<f64>,
    /// Total public exposure.
    pub public_exposure: Array2<f64>,
    /// Total follow-page exposure.
    pub private_exposure: Array2<f64>,
    /// Followers at the end.
    pub followers: Array2<f64>,
    /// Total GMV.
    pub gmv: Array2<f64>,
}

/// Largest sweep grid accepted (cells).
pub const MAX_SWEEP_CELLS: usize = 10_000;

/// A simulated market: the full run's results plus what the focus merchant
/// met on each day, for replays.
#[derive(Debug, Clone)]
pub struct Market {
    scenario: Scenario,
    seed: u32,
    population: Population,
    tiers: Tiers,
    floor: f64,
    floored_per_creator: usize,
    cold_start: ColdStartSettings,
    days: Vec<MarketDay>,
    others_public_sorted: Vec<f64>,
    result: SimulationResult,
}

fn round_settings(s: &Scenario) -> RoundSettings {
    let pl = &s.platform;
    RoundSettings {
        budget: pl.budget.round(),
        cold_start_share: pl.cold_start_share,
        floor: pl.item_floor,
        cap: CapSettings {
            gini_max: pl.gini_max,
            mode: s.cap_mode(),
            blend: pl.blend,
        },
        seed: Some(0),
        overflow: true,
        // ×10 per tier as the notes' defaults, but the top pool is finite too:
        // with an unlimited top tier its few items soak up every impression the
        // quotas leave over. What no quota can take is spread by score (overflow).
        tier_quotas: SIM_TIER_QUOTAS.to_vec(),
        tier_weights: vec![1.0; SIM_TIER_QUOTAS.len()],
        ..RoundSettings::default()
    }
}

/// Reference sets for a mid-rank percentile: rank of `v` when it joins `sorted`.
fn rank_joining(sorted: &[f64], v: f64) -> f64 {
    let less = sorted.partition_point(|&x| x < v);
    let not_more = sorted.partition_point(|&x| x <= v);
    (less as f64 + (not_more - less + 1) as f64 / 2.0) / (sorted.len() + 1) as f64
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    sort::sort_total(&mut v);
    v
}

/// Both posterior parameters at least this large: Thompson draws use the
/// normal approximation to the Beta (one normal instead of two gammas).
const THOMPSON_NORMAL_MIN: f64 = 3.0;

/// Draws an engagement statistic from an item's posterior (a Thompson draw).
fn thompson(rng: &mut Rng, normals: &mut Normals, it: &Item) -> f64 {
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

/// The day loop of a full run: the market's state carried from day to day,
/// and the scratch columns reused every day.
///
/// Each pass over the merchants or items is its own function, kept out of
/// line (`#[inline(never)]`) on purpose. V8 runs a Wasm function's first
/// calls in baseline code and swaps in optimized code only for later calls
/// (there is no on-stack replacement): a day loop inlined into one function
/// called once per run would run every day of a page's first run in
/// baseline code, and that one large function would also be the slowest to
/// optimize. Called once a day, each pass is optimized after the first days.
/// (`scripts/build-pkg.sh` tells binaryen not to inline them back.)
struct DayLoop<'a> {
    scenario: &'a Scenario,
    population: &'a Population,
    // Owned copies of what the passes read in their loops: as fields of the
    // loop itself, the compiler knows writes to its columns leave them
    // unchanged (as references they were reloaded: +2% instructions).
    params: FunnelParams,
    settings: &'a RoundSettings,
    tiers: Tiers,
    seed: u32,
    new_days: f64,
    paid_per_yuan: f64,
    rates: Vec<MerchantRates>,
    saturation: SaturationTable,
    /// Each merchant's content slots (the length of its items).
    slots: Vec<usize>,
    // Plain copies of the population's columns the passes read per merchant.
    diligence: Vec<f64>,
    age0: Vec<f64>,
    trust: Vec<f64>,
    ad_spend: Vec<f64>,
    /// Every merchant that can be new, by diligence (a static signal): the
    /// replays' sorted diligence of the day's new merchants is a filter of it.
    by_diligence: Vec<usize>,

    states: Vec<Option<MerchantState>>,
    pop_rng: Rng,
    focus_rng: Rng,
    pop_normals: Normals,
    focus_normals: Normals,
    /// Whether each merchant has joined (its state is `Some`): the
    /// new-merchant checks read these flags instead of the states.
    present: Vec<bool>,
    is_new: Vec<bool>,
    /// The merchants yet to join, and those that can still be new (a
    /// merchant's age only grows): the daily checks visit only these.
    absent: Vec<usize>,
    maybe_new: Vec<usize>,
    /// Tier thresholds: yesterday's tier means.
    thresholds: Vec<f64>,
    // Merit columns, written after each merchant's funnel.
    fan: Vec<f64>,
    spend: Vec<f64>,
    gmv: Vec<f64>,

    // Item columns: items are numbered merchant by merchant over the
    // merchants on the platform, each with its slots (at least one).
    owner: Vec<u32>,
    score: Vec<f64>,
    tier: Vec<u32>,
    used: Vec<f64>,
    item_clicks: Vec<f64>,
    due: Vec<bool>,
    promote: Vec<bool>,
    /// Each item's exposure as a float and its saturation factor.
    x_all: Vec<f64>,
    sat_all: Vec<f64>,
    // Per tier: the day's clicks, exposure, items, and items that passed.
    tier_clicks: Vec<f64>,
    tier_exposure: Vec<f64>,
    occupancy: Vec<usize>,
    pass_by_tier: Vec<Vec<(f64, usize)>>,

    // Recorded days.
    market_days: Vec<MarketDay>,
    trajectory: MerchantTrajectory,
    metrics: PopulationMetrics,
    public_totals: Vec<f64>,
    plays: Vec<f64>,
    /// Followers at the end of each recorded day (0 before joining).
    followers: Vec<f64>,
    head_keys: Vec<u128>,
}

impl<'a> DayLoop<'a> {
    fn new(
        scenario: &'a Scenario,
        population: &'a Population,
        settings: &'a RoundSettings,
        tiers: Tiers,
        seed: u32,
    ) -> Self {
        let params = &scenario.funnel;
        let m = population.len();
        let days = scenario.days as usize;
        let new_days = f64::from(scenario.platform.new_merchant_days);
        let levels = tiers.quotas.len();
        let diligence: Vec<f64> = population.diligence.to_vec();
        let age0 = population.age.to_vec();
        let maybe_new: Vec<usize> = (0..m)
            .filter(|&c| age0[c] + (-WARMUP_DAYS as f64) < new_days)
            .collect();
        let by_diligence: Vec<usize> = {
            let mut keys: Vec<u128> = maybe_new
                .iter()
                .map(|&c| sort::asc_then_index(diligence[c], c as u32))
                .collect();
            sort::sort_wide(&mut keys);
            keys.iter().map(|&k| k as u32 as usize).collect()
        };
        let thresholds = vec![PRIOR_MEAN; levels];
        DayLoop {
            scenario,
            population,
            params: params.clone(),
            settings,
            tiers,
            seed,
            new_days,
            paid_per_yuan: 1000.0 / scenario.platform.ad_cpm,
            rates: (0..m)
                .map(|c| MerchantRates::new(params, &population.traits(c)))
                .collect(),
            saturation: SaturationTable::new(params),
            slots: diligence.iter().map(|&d| population::slots(d)).collect(),
            diligence,
            age0,
            trust: population.trust.to_vec(),
            ad_spend: population.ad_spend.to_vec(),
            by_diligence,
            states: vec![None; m],
            pop_rng: random::rng_stream(seed, 1),
            focus_rng: random::rng_stream(seed, 2),
            pop_normals: Normals::new(),
            focus_normals: Normals::new(),
            present: vec![false; m],
            is_new: vec![false; m],
            absent: (0..m).collect(),
            maybe_new,
            thresholds,
            fan: vec![0.0; m],
            spend: vec![0.0; m],
            gmv: vec![0.0; m],
            owner: Vec::new(),
            score: Vec::new(),
            tier: Vec::new(),
            used: Vec::new(),
            item_clicks: Vec::new(),
            due: Vec::new(),
            promote: Vec::new(),
            x_all: Vec::new(),
            sat_all: Vec::new(),
            tier_clicks: vec![0.0; levels],
            tier_exposure: vec![0.0; levels],
            occupancy: vec![0; levels],
            pass_by_tier: vec![Vec::new(); levels],
            market_days: Vec::with_capacity(days),
            trajectory: MerchantTrajectory::with_days(days),
            metrics: PopulationMetrics {
                gini: Vec::with_capacity(days),
                top10_share: Vec::with_capacity(days),
                bottom50_share: Vec::with_capacity(days),
                long_tail_play_share: Vec::with_capacity(days),
                allocated: Vec::with_capacity(days),
                capped_creators: Vec::with_capacity(days),
                cap_level: Vec::with_capacity(days),
            },
            public_totals: vec![0.0; m],
            plays: vec![0.0; m],
            followers: vec![0.0; m],
            head_keys: Vec::new(),
        }
    }

    /// One day (days before 0 are the unrecorded warm-up).
    fn day(&mut self, day: i64) -> Result<()> {
        let recording = day >= 0;
        let sc = self.scenario;
        self.join(day, recording);

        // Step 1: scores, focus merchant from its own stream.
        let campaign = recording && sc.events.campaign_days.contains(&(day as u32));
        self.score_items(campaign);
        if self.owner.is_empty() {
            return Err(Error::Infeasible("no merchant is on the platform".into()));
        }

        // Steps 2–5: the allocation round. The merit columns `fan`, `spend`
        // and `gmv` were written after each merchant's funnel yesterday (a
        // merchant that joined today has zeros, as its fresh state).
        let merit = MeritSignals {
            diligence: Some(&self.diligence),
            fan_operation: Some(&self.fan),
            spend: Some(&self.spend),
            gmv: Some(&self.gmv),
        };
        // `allocate_scored` takes the scores by value (and hands them back
        // in `r.score`) and reads no `engagement`: no copy of them.
        let input = RoundInput {
            creators: self.states.len(),
            item_creator: &self.owner,
            engagement: Engagement::Score(&[]),
            value: None,
            tier: Some(&self.tier),
            used: Some(&self.used),
            new_merchant: Some(&self.is_new),
            merit,
        };
        let score = std::mem::take(&mut self.score);
        let mut r = round::allocate_scored(&input, self.settings, score, self.seed);
        // The cold-start pool for replays, from today's merit signals (the
        // funnel below overwrites `fan`, `spend` and `gmv` with tomorrow's).
        let cold = if recording {
            cold_start_day(
                &r,
                &merit,
                &self.is_new,
                &self.by_diligence,
                &self.settings.cold_start,
            )
        } else {
            None
        };
        // What the focus merchant took from the public pool, for replays.
        let (focus_public, focus_active) = if recording {
            self.focus_public(&r)
        } else {
            (0.0, 0.0)
        };

        let focus_mult = if recording && sc.events.big_days.contains(&(day as u32)) {
            sc.events.big_day_multiplier
        } else {
            1.0
        };
        self.funnel(&r, recording, focus_mult);
        let cutoffs = self.promote_and_settle();
        if recording {
            self.record(&r, cold, focus_public, focus_active, cutoffs);
        }
        // Tomorrow's tier thresholds: today's tier means.
        for t in 0..self.thresholds.len() {
            if self.tier_exposure[t] > 0.0 {
                self.thresholds[t] = self.tier_clicks[t] / self.tier_exposure[t];
            }
        }
        // The round handed back the scores: tomorrow's buffer.
        self.score = std::mem::take(&mut r.score);
        Ok(())
    }

    /// Who is on the platform today (the focus merchant joins on day 0) and
    /// who is new. The item columns keep their length and owners while
    /// nobody joins.
    #[inline(never)]
    fn join(&mut self, day: i64, recording: bool) {
        let joiners = self.absent.len();
        let (population, params, new_days) = (self.population, &self.params, self.new_days);
        let (age0, states, present) = (&self.age0, &mut self.states, &mut self.present);
        self.absent.retain(|&c| {
            let age = age0[c] + day as f64;
            let joined = if c == 0 { recording } else { age >= 0.0 };
            if joined {
                let t = population.traits(c);
                states[c] = Some(MerchantState::new(
                    &t,
                    population.followers[c],
                    age,
                    params,
                    new_days,
                ));
                present[c] = true;
            }
            !joined
        });
        let joined_today = self.absent.len() < joiners;
        // Past the new-merchant window a merchant stays established.
        let is_new = &mut self.is_new;
        self.maybe_new.retain(|&c| {
            let young = age0[c] + (day as f64) < new_days;
            is_new[c] = present[c] && young;
            young
        });
        if joined_today {
            self.owner.clear();
            for (c, &k) in self.slots.iter().enumerate() {
                if present[c] {
                    self.owner.extend(std::iter::repeat_n(c as u32, k));
                }
            }
            let n = self.owner.len();
            self.score.resize(n, 0.0);
            self.tier.resize(n, 0);
            self.used.resize(n, 0.0);
        }
    }

    /// Each item's Thompson-sampled score times its merchant's value, its
    /// tier, and what its tier's quota has used (the round's room is
    /// quota − used: the paced room passes through it).
    #[inline(never)]
    fn score_items(&mut self, campaign: bool) {
        let sc = self.scenario;
        let (trust_weight, boost) = (sc.platform.trust_weight, sc.events.campaign_boost);
        let tiers = &self.tiers;
        let mut start = 0;
        for (c, st) in self.states.iter().enumerate() {
            let Some(st) = st else { continue };
            let mut v = st.value(self.trust[c], trust_weight);
            if c == 0 && campaign {
                v *= boost;
            }
            let (rng, normals) = if c == 0 {
                (&mut self.focus_rng, &mut self.focus_normals)
            } else {
                (&mut self.pop_rng, &mut self.pop_normals)
            };
            let end = start + st.items.len();
            let columns = self.score[start..end]
                .iter_mut()
                .zip(&mut self.tier[start..end])
                .zip(&mut self.used[start..end]);
            for (it, ((s, t), u)) in st.items.iter().zip(columns) {
                *s = thompson(rng, normals, it) * v;
                *t = it.tier;
                *u = tiers.quotas[it.tier as usize] - tiers.room(it);
            }
            start = end;
        }
    }

    /// The focus merchant's public-pool amount and its unsaturated score.
    fn focus_public(&self, r: &round::RoundResult) -> (f64, f64) {
        let k = self.states[0].as_ref().map_or(0, |s| s.items.len());
        let room: Vec<f64> = (0..k)
            .map(|i| self.tiers.quotas[self.tier[i] as usize] - self.used[i])
            .collect();
        let mut x = vec![0.0; k];
        let total = public_part(
            r.public_level,
            &r.score[..k],
            &room,
            self.settings.floored_per_creator,
            self.settings.floor,
            &mut x,
        );
        let active: f64 = (0..k)
            .filter(|&i| x[i] < room[i] * (1.0 - 1e-12))
            .map(|i| r.score[i])
            .sum();
        (total, active)
    }

    /// The funnel for every merchant, and then whether each of its items is
    /// due for a promotion decision and passes the tier's threshold (see
    /// [`DayLoop::promote_and_settle`]); the day's tier statistics.
    #[inline(never)]
    fn funnel(&mut self, r: &round::RoundResult, recording: bool, focus_mult: f64) {
        let (params, tiers) = (&self.params, &self.tiers);
        let n = self.owner.len();
        // Each item's clicks are written by its merchant's funnel before
        // they are read: only the length changes.
        self.item_clicks.resize(n, 0.0);
        self.tier_clicks.fill(0.0);
        self.tier_exposure.fill(0.0);
        self.occupancy.fill(0);
        self.pass_by_tier.iter_mut().for_each(Vec::clear);
        self.due.clear();
        self.due.resize(n, false);
        // Each item's exposure as a float and its saturation factor, for
        // all items at once; merchants take their slices below.
        self.x_all.clear();
        self.x_all.extend(r.item_exposure.iter().map(|&e| e as f64));
        self.sat_all.clear();
        let saturation = &self.saturation;
        self.sat_all
            .extend(r.item_exposure.iter().map(|&e| saturation.at(params, e)));
        // Plain locals for the columns the loop writes (a write through a
        // column could otherwise make the compiler reload the others).
        let (x_all, sat_all, item_clicks) = (
            &self.x_all[..],
            &self.sat_all[..],
            &mut self.item_clicks[..],
        );
        let (tier, due, thresholds) = (&self.tier[..], &mut self.due[..], &self.thresholds[..]);
        let (tier_clicks, tier_exposure, occupancy, pass_by_tier) = (
            &mut self.tier_clicks[..],
            &mut self.tier_exposure[..],
            &mut self.occupancy[..],
            &mut self.pass_by_tier[..],
        );
        let (fan, spend, gmv) = (&mut self.fan[..], &mut self.spend[..], &mut self.gmv[..]);
        let (public_totals, plays, followers) = (
            &mut self.public_totals[..],
            &mut self.plays[..],
            &mut self.followers[..],
        );
        let mut start = 0;
        for (c, st) in self.states.iter_mut().enumerate() {
            let Some(st) = st.as_mut() else { continue };
            let end = start + st.items.len();
            let x = &x_all[start..end];
            let ad = self.ad_spend[c];
            let mult = if c == 0 { focus_mult } else { 1.0 };
            let o = merchant_day(
                st,
                &self.rates[c],
                params,
                x,
                &sat_all[start..end],
                ad * self.paid_per_yuan,
                ad,
                mult,
                &mut item_clicks[start..end],
            );
            fan[c] = st.fan_signal;
            spend[c] = st.spend_total;
            gmv[c] = st.gmv_total;
            for (i, it) in (start..end).zip(&st.items) {
                let t = tier[i] as usize;
                tier_clicks[t] += item_clicks[i];
                tier_exposure[t] += x[i - start];
                occupancy[t] += 1;
                if !tiers.due(it) {
                    continue;
                }
                due[i] = true;
                let stat = it.alpha / (it.alpha + it.beta);
                if stat > thresholds[t] {
                    pass_by_tier[t].push((stat, i));
                }
            }
            if recording {
                public_totals[c] += o.public + o.paid;
                plays[c] = o.public + o.paid + o.private;
                followers[c] = st.followers;
                if c == 0 {
                    self.trajectory
                        .push(&o, st.followers, r.cold_start[0], r.capped[0]);
                }
            }
            start = end;
        }
    }

    /// Promotions and retirements: an item that is due passes when its
    /// posterior mean engagement beats the tier's threshold (the notes'
    /// conservative variant: deterministic, no draw; collected by
    /// [`DayLoop::funnel`]); then per tier (top first, so capacity freed
    /// above is available below) the passing items up to the next tier's
    /// free capacity. Returns each tier's cutoff (−∞ when all passed).
    #[inline(never)]
    fn promote_and_settle(&mut self) -> Vec<f64> {
        let tiers = &self.tiers;
        let levels = tiers.quotas.len();
        self.promote.clear();
        self.promote.resize(self.owner.len(), false);
        let mut cutoffs = vec![f64::NEG_INFINITY; levels];
        for t in (0..levels).rev() {
            let pass = &mut self.pass_by_tier[t];
            if t + 1 < levels {
                let room = (tiers.capacity[t + 1] - self.occupancy[t + 1] as f64).max(0.0) as usize;
                if pass.len() > room {
                    // The `room` best by (stat desc, index): a selection, not a sort
                    // (the set and its last member are the same).
                    if room > 0 {
                        let mut keys: Vec<u128> = pass
                            .iter()
                            .map(|&(stat, i)| sort::desc_then_index(stat, i as u32))
                            .collect();
                        sort::select_wide(&mut keys, room - 1);
                        for (p, &k) in pass.iter_mut().zip(&keys[..room]) {
                            *p = (sort::desc_key_value(k), k as u32 as usize);
                        }
                    }
                    pass.truncate(room);
                    cutoffs[t] = pass.last().map_or(f64::INFINITY, |p| p.0);
                }
                self.occupancy[t + 1] += pass.len();
            }
            for &(_, i) in pass.iter() {
                self.promote[i] = true;
            }
        }
        // Items are numbered merchant by merchant, as in the scores; a
        // merchant's prior for new items is the same for all of its slots.
        let mut i = 0;
        for st in self.states.iter_mut().flatten() {
            let prior = st.item_prior();
            for it in st.items.iter_mut() {
                settle(it, tiers, self.due[i], self.promote[i], prior);
                i += 1;
            }
        }
        cutoffs
    }

    /// What a recorded day keeps: the market the focus merchant met, for
    /// replays, and the population's metrics.
    #[inline(never)]
    fn record(
        &mut self,
        r: &round::RoundResult,
        cold: Option<ColdStartDay>,
        focus_public: f64,
        focus_active: f64,
        cutoffs: Vec<f64>,
    ) {
        let mut count = 0usize;
        let sum: f64 = (0..self.states.len())
            .filter(|&c| r.in_population[c])
            .inspect(|_| count += 1)
            .map(|c| r.creator_before_cap[c])
            .sum();
        let mean = if count == 0 { 0.0 } else { sum / count as f64 };
        self.market_days.push(MarketDay {
            plan: r.plan.clone(),
            mean,
            public_level: r.public_level,
            others_active_score: (r.public_active_score - focus_active).max(0.0),
            focus_public,
            overflow_level: r.overflow_level,
            cold_start: cold,
            thresholds: self.thresholds.clone(),
            cutoffs,
        });
        let metrics = &mut self.metrics;
        metrics.gini.push(r.gini);
        metrics.top10_share.push(r.top10_share);
        metrics.bottom50_share.push(r.bottom50_share);
        metrics
            .allocated
            .push(r.item_exposure.iter().sum::<u64>() as f64);
        metrics
            .capped_creators
            .push(r.capped.iter().filter(|&&b| b).count() as f64);
        metrics.cap_level.push(r.plan.tau);
        metrics.long_tail_play_share.push(long_tail_share(
            &self.plays,
            &self.followers,
            &mut self.head_keys,
        ));
    }
}

impl Market {
    /// Runs the full simulation of `scenario` (validated here).
    pub fn run(scenario: &Scenario) -> Result<Market> {
        scenario.validate()?;
        let seed = random::resolve_seed(scenario.seed)?;
        let mut scenario = scenario.clone();
        scenario.seed = Some(seed);
        let population = Population::draw(&scenario, &mut random::rng_stream(seed, 0));
        Market::run_with(scenario, seed, population)
    }

    fn run_with(scenario: Scenario, seed: u32, population: Population) -> Result<Market> {
        let settings = round_settings(&scenario);
        let tiers = Tiers::new(
            &settings.tier_quotas,
            settings.budget,
            scenario.platform.item_lifetime_days,
        );
        let days = scenario.days as usize;
        let mut run = DayLoop::new(&scenario, &population, &settings, tiers, seed);
        for day in -WARMUP_DAYS..days as i64 {
            run.day(day)?;
        }
        let DayLoop {
            tiers,
            mut trajectory,
            metrics,
            public_totals,
            market_days,
            ..
        } = run;

        let others_public_sorted = sorted(public_totals[1..].to_vec());
        let focus_traits = population.traits(0);
        trajectory.finish(&scenario.funnel, &focus_traits, &others_public_sorted);
        let lorenz = SortedShares::new("public exposure", &public_totals)
            .map(|s| s.lorenz(101))
            .unwrap_or(Lorenz {
                population: vec![0.0, 1.0],
                share: vec![0.0, 1.0],
            });
        let result = SimulationResult {
            seed,
            days: scenario.days,
            merchant: trajectory,
            population: metrics,
            lorenz,
        };
        Ok(Market {
            floor: settings.floor,
            floored_per_creator: settings.floored_per_creator,
            cold_start: settings.cold_start.clone(),
            scenario,
            seed,
            population,
            tiers,
            days: market_days,
            others_public_sorted,
            result,
        })
    }

    /// The full run's results.
    pub fn result(&self) -> &SimulationResult {
        &self.result
    }

    /// The scenario (with the seed that was used).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Replays the focus merchant with other settings against the frozen
    /// market (see the module docs for what this approximation ignores).
    pub fn run_merchant(&self, merchant: &MerchantSettings) -> Result<MerchantTrajectory> {
        merchant.validate("merchant.")?;
        Ok(self.replay(merchant))
    }

    fn replay(&self, merchant: &MerchantSettings) -> MerchantTrajectory {
        let s = &self.scenario;
        let params = &s.funnel;
        let mut pop = self.population.clone();
        pop.set_focus(merchant);
        let traits = pop.traits(0);
        let mr = MerchantRates::new(params, &traits);
        let new_days = f64::from(s.platform.new_merchant_days);
        let mut st = MerchantState::new(
            &traits,
            merchant.followers,
            merchant.age_days,
            params,
            new_days,
        );
        let mut rng = random::rng_stream(self.seed, 2);
        let mut normals = Normals::new();
        let mut traj = MerchantTrajectory::with_days(self.days.len());
        let paid = merchant.ad_spend * 1000.0 / s.platform.ad_cpm;
        let n = st.items.len();
        let mut x = vec![0.0; n];
        let mut score = vec![0.0; n];
        let mut room = vec![0.0; n];
        let mut clicks = vec![0.0; n];
        let mut sat = vec![0.0; n];
        for (d, md) in self.days.iter().enumerate() {
            let mut v = st.value(traits.trust, s.platform.trust_weight);
            if s.events.campaign_days.contains(&(d as u32)) {
                v *= s.events.campaign_boost;
            }
            for (k, it) in st.items.iter().enumerate() {
                score[k] = thompson(&mut rng, &mut normals, it) * v;
            }
            // Public pool: the day's water level, re-solved with this merchant's own
            // demand: the other items' total moves by others_active_score per unit of
            // level, so S·(ν′ − ν) = F_full(ν) − F(ν′).
            for (k, it) in st.items.iter().enumerate() {
                room[k] = self.tiers.room(it);
            }
            let (fl, f) = (self.floored_per_creator, self.floor);
            let mut level = md.public_level;
            if level.is_finite() && md.others_active_score > 0.0 {
                let s_o = md.others_active_score;
                let mut g = |nu: f64| {
                    s_o * (nu - md.public_level) + public_part(nu, &score, &room, fl, f, &mut x)
                        - md.focus_public
                };
                let (mut lo, mut hi) = (0.0, md.public_level + md.focus_public / s_o);
                if g(lo) < 0.0 && g(hi) > 0.0 {
                    for _ in 0..60 {
                        let mid = 0.5 * (lo + hi);
                        if g(mid) > 0.0 {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    level = 0.5 * (lo + hi);
                }
            }
            let mut public = public_part(level, &score, &room, fl, f, &mut x);
            for k in 0..n {
                x[k] += md.overflow_level * score[k];
                public += md.overflow_level * score[k];
            }
            // Cold-start pool while new.
            let age = merchant.age_days + d as f64;
            let mut cold = 0.0;
            if age < new_days {
                if let Some(cs) = &md.cold_start {
                    cold = match cs.equal_share {
                        Some(e) => e,
                        None => {
                            let roi = shrunk_roi(
                                st.gmv_total,
                                st.spend_total,
                                self.cold_start.roi_prior,
                                self.cold_start.roi_prior_spend,
                            );
                            let [wd, wf, ws] = self.cold_start.weights;
                            let m = (wd * rank_joining(&cs.diligence, traits.diligence)
                                + wf * rank_joining(&cs.fan, st.fan_signal)
                                + ws * rank_joining(&cs.roi, roi))
                                / (wd + wf + ws);
                            self.cold_start.floor
                                + self
                                    .cold_start
                                    .ceiling
                                    .min(cs.level * libm::pow(m, self.cold_start.exponent))
                        }
                    };
                }
            }
            let total_score: f64 = score.iter().sum();
            for k in 0..n {
                x[k] += if total_score > 0.0 {
                    cold * score[k] / total_score
                } else {
                    cold / n as f64
                };
            }
            let e0 = public + cold;
            let capped = e0 > 0.0 && GiniCapSolver::is_capped(&md.plan, e0);
            if e0 > 0.0 {
                let ratio = GiniCapSolver::map(&md.plan, md.mean, e0) / e0;
                x.iter_mut().for_each(|v| *v *= ratio);
            }
            let mult = if s.events.big_days.contains(&(d as u32)) {
                s.events.big_day_multiplier
            } else {
                1.0
            };
            for (f, &v) in sat.iter_mut().zip(&x) {
                *f = params.saturation(v);
            }
            let o = merchant_day(
                &mut st,
                &mr,
                params,
                &x,
                &sat,
                paid,
                merchant.ad_spend,
                mult,
                &mut clicks,
            );
            traj.push(&o, st.followers, cold, capped);
            // Promotions against the day's thresholds and capacity cut-offs.
            let prior = st.item_prior();
            for it in st.items.iter_mut() {
                let t = it.tier as usize;
                let due = self.tiers.due(it);
                let stat = it.alpha / (it.alpha + it.beta);
                let promote = due && stat > md.thresholds[t] && stat >= md.cutoffs[t];
                settle(it, &self.tiers, due, promote, prior);
            }
        }
        traj.finish(params, &traits, &self.others_public_sorted);
        traj
    }

    /// Whole-run totals of the focus merchant over a grid of content quality
    /// (rows) × follow rate (columns), other settings from `base`.
    pub fn sweep(
        &self,
        base: &MerchantSettings,
        content_quality: &[f64],
        follow_rate: &[f64],
    ) -> Result<SweepGrid> {
        base.validate("merchant.")?;
        validate::non_empty("axes.contentQuality", content_quality.len())?;
        validate::non_empty("axes.followRate", follow_rate.len())?;
        let cells = content_quality.len().saturating_mul(follow_rate.len());
        if cells > MAX_SWEEP_CELLS {
            return Err(Error::invalid(format!(
                "axes span {cells} cells; at most {MAX_SWEEP_CELLS} are supported"
            )));
        }
        for (name, axis) in [
            ("axes.contentQuality", content_quality),
            ("axes.followRate", follow_rate),
        ] {
            for (i, &v) in axis.iter().enumerate() {
                validate::in_closed(&format!("{name}[{i}]"), v, 0.0, 1.0)?;
            }
        }
        let shape = (content_quality.len(), follow_rate.len());
        let mut grid = SweepGrid {
            content_quality: content_quality.to_vec(),
            follow_rate: follow_rate.to_vec(),
            public_exposure: Array2::zeros(shape),
            private_exposure: Array2::zeros(shape),
            followers: Array2::zeros(shape),
            gmv: Array2::zeros(shape),
        };
        for (i, &q) in content_quality.iter().enumerate() {
            for (j, &f) in follow_rate.iter().enumerate() {
                let m = MerchantSettings {
                    content_quality: q,
                    follow_rate: f,
                    ..base.clone()
                };
                let t = self.replay(&m);
                grid.public_exposure[[i, j]] = t.public_exposure.iter().sum();
                grid.private_exposure[[i, j]] = t.private_exposure.iter().sum();
                grid.followers[[i, j]] = t.followers.last().copied().unwrap_or(0.0);
                grid.gmv[[i, j]] = t.gmv.iter().sum();
            }
        }
        Ok(grid)
    }
}

/// The cold-start pool of a round, for replays: the other new merchants'
/// signals (sorted) and the pool's level. `by_diligence` lists every merchant
/// that can be new, by its diligence signal (ascending in total order), so
/// the members' sorted diligence is read off it.
#[inline(never)]
fn cold_start_day(
    r: &round::RoundResult,
    signals: &MeritSignals,
    is_new: &[bool],
    by_diligence: &[usize],
    settings: &ColdStartSettings,
) -> Option<ColdStartDay> {
    let members: Vec<usize> = by_diligence
        .iter()
        .copied()
        .filter(|&c| is_new[c] && r.in_population[c])
        .collect();
    let others: Vec<usize> = members.iter().copied().filter(|&c| c != 0).collect();
    if others.is_empty() {
        return None;
    }
    let col = |s: Option<&[f64]>, c: usize| s.map_or(0.0, |s| s[c]);
    let diligence = others.iter().map(|&c| col(signals.diligence, c)).collect();
    let fan = sorted(
        others
            .iter()
            .map(|&c| col(signals.fan_operation, c))
            .collect(),
    );
    let roi = sorted(
        others
            .iter()
            .map(|&c| {
                shrunk_roi(
                    col(signals.gmv, c),
                    col(signals.spend, c),
                    settings.roi_prior,
                    settings.roi_prior_spend,
                )
            })
            .collect(),
    );
    let floors = settings.floor * members.len() as f64;
    if r.cold_start_total <= floors * (1.0 + 1e-12) {
        return Some(ColdStartDay {
            diligence,
            fan,
            roi,
            level: 0.0,
            equal_share: Some(r.cold_start_total / members.len() as f64),
        });
    }
    Some(ColdStartDay {
        diligence,
        fan,
        roi,
        level: r.cold_start_level,
        equal_share: None,
    })
}

/// Share of plays going to merchants outside the top 1% by followers.
/// `keys` is scratch. The head is selected on (followers descending, index)
/// keys: the selection makes the same comparisons as one on the indices with
/// that comparator, so it leaves the head in the same order, and the head's
/// plays are summed in that order.
fn long_tail_share(plays: &[f64], followers: &[f64], keys: &mut Vec<u128>) -> f64 {
    let m = plays.len();
    let head = ((m as f64 * HEAD_SHARE).ceil() as usize).clamp(1, m);
    keys.clear();
    keys.extend(
        followers
            .iter()
            .enumerate()
            .map(|(c, &f)| sort::desc_then_index(f, c as u32)),
    );
    sort::select_wide(keys, head - 1);
    let total: f64 = plays.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let head_plays: f64 = keys[..head].iter().map(|&k| plays[k as u32 as usize]).sum();
    1.0 - head_plays / total
}

/// Runs a full simulation (see [`Market::run`]).
pub fn simulate(scenario: &Scenario) -> Result<SimulationResult> {
    Ok(Market::run(scenario)?.result)
}
