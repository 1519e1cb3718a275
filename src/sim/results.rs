//! What a run returns: the focus merchant's days ([`MerchantTrajectory`]),
//! the population's metrics per day ([`PopulationMetrics`]), and the whole
//! [`SimulationResult`] with its [`fingerprint`](SimulationResult::fingerprint).

use serde::Serialize;

use super::fitted::FittedState;
use super::merchant::{DayOutcome, MerchantRates};
use crate::funnel::{self, FunnelParams};
use crate::stats::Lorenz;

/// The focus merchant's day-by-day results.
///
/// ```
/// # use shijing::sim::{simulate, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let m = simulate(&scenario).unwrap().merchant;
/// assert_eq!(m.gmv.len(), 10); // one entry a day
/// // Followers' orders are part of all orders.
/// assert!(m.private_gmv.iter().zip(&m.gmv).all(|(fans, all)| *fans <= *all));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MerchantTrajectory {
    /// Discovery-page exposure per day (allocated + paid; short videos and the live room).
    pub public_exposure: Vec<f64>,
    /// Follow-page exposure per day (free, outside the cap; short videos and the live room).
    pub private_exposure: Vec<f64>,
    /// Followers at the end of each day.
    pub followers: Vec<f64>,
    /// First purchases (T0) per day, from the discovery and follow pages.
    pub first_purchases: Vec<f64>,
    /// Repurchases per day.
    pub repurchases: Vec<f64>,
    /// GMV per day, yuan.
    pub gmv: Vec<f64>,
    /// GMV of orders by followers per day: fans' first orders through the follow
    /// page (short videos and the live room) and following customers' repurchases.
    /// Over `gmv` it is the day's fan purchase rate (粉丝购买率: the share of
    /// the day's orders placed by followers).
    pub private_gmv: Vec<f64>,
    /// Plays since posting of the merchant's most-played short video in the pool, per day.
    pub top_item_plays: Vec<f64>,
    /// Whether the merchant held a live session each day (1/0).
    pub live_by_day: Vec<f64>,
    /// Discovery exposure of the live room per day (part of `public_exposure`).
    pub live_exposure: Vec<f64>,
    /// Follow-page exposure of the live room per day (part of `private_exposure`).
    pub live_private_exposure: Vec<f64>,
    /// GMV in the live room per day (part of `gmv`): its discovery and preheated
    /// entries, followers who come from the follow page, and following
    /// customers' repurchases on the day.
    pub live_gmv: Vec<f64>,
    /// GMV in the live room from followers per day (part of `live_gmv` and
    /// `private_gmv`); over `live_private_exposure`, the yuan per follow-page
    /// exposure of the live room.
    pub live_private_gmv: Vec<f64>,
    /// Repurchases per day by the customers given in `merchant.customers`
    /// (part of `repurchases`; 0 without them).
    pub existing_repurchases: Vec<f64>,
    /// Cold-start pool exposure per day (before the cap).
    pub cold_start_exposure: Vec<f64>,
    /// Whether the merchant was at the head cap each day (1/0).
    pub capped_by_day: Vec<f64>,
    /// The 30-day repurchase rate as a shop backend reports it: of the first-time
    /// buyers whose first order was at least 30 days before the end of the run,
    /// the share who ordered again within 30 days (cohorts weighted by size; the
    /// run's live and big days included). In a run shorter than 31 days the
    /// cohorts are completed past the end as days without events.
    pub repurchase_rate_30: f64,
    /// Same within 90 days.
    pub repurchase_rate_90: f64,
    /// A forward-looking figure, not the backend's rate: the chance that a new
    /// customer buys again within 30 days under the last day's conditions
    /// without live sessions or events.
    pub repurchase_chance_30: f64,
    /// Same within 90 days.
    pub repurchase_chance_90: f64,
    /// Share of merchants with less public exposure over the run (0–1).
    pub exposure_percentile: f64,
    /// At the head cap on the last day.
    pub capped: bool,
    /// Days at the head cap.
    pub capped_days: u32,
    /// Each day's multiplier on the customers' repurchase hazards (big days,
    /// live sessions), for the cohort rates.
    #[serde(skip)]
    hazard_multiplier: Vec<f64>,
}

impl MerchantTrajectory {
    pub(super) fn with_days(days: usize) -> Self {
        MerchantTrajectory {
            public_exposure: Vec::with_capacity(days),
            private_exposure: Vec::with_capacity(days),
            followers: Vec::with_capacity(days),
            first_purchases: Vec::with_capacity(days),
            repurchases: Vec::with_capacity(days),
            gmv: Vec::with_capacity(days),
            private_gmv: Vec::with_capacity(days),
            top_item_plays: Vec::with_capacity(days),
            existing_repurchases: Vec::with_capacity(days),
            cold_start_exposure: Vec::with_capacity(days),
            capped_by_day: Vec::with_capacity(days),
            live_by_day: Vec::with_capacity(days),
            live_exposure: Vec::with_capacity(days),
            live_private_exposure: Vec::with_capacity(days),
            live_gmv: Vec::with_capacity(days),
            live_private_gmv: Vec::with_capacity(days),
            repurchase_rate_30: 0.0,
            repurchase_rate_90: 0.0,
            repurchase_chance_30: 0.0,
            repurchase_chance_90: 0.0,
            exposure_percentile: 0.0,
            capped: false,
            capped_days: 0,
            hazard_multiplier: Vec::with_capacity(days),
        }
    }

    pub(super) fn push(&mut self, o: &DayOutcome, followers: f64, cold_start: f64, capped: bool) {
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
        self.live_by_day.push(if o.live { 1.0 } else { 0.0 });
        self.live_exposure.push(o.live_public);
        self.live_private_exposure.push(o.live_private);
        self.live_gmv.push(o.live_gmv);
        self.live_private_gmv.push(o.live_private_gmv);
        self.hazard_multiplier.push(o.hazard_multiplier);
        self.existing_repurchases.push(o.existing_repurchases);
        self.capped = capped;
        self.capped_days += u32::from(capped);
    }

    /// The run's summary figures; `fitted` is the merchant's own fitted
    /// process when it has one (its state at any day: only its model and
    /// lever factors are read).
    pub(super) fn finish(
        &mut self,
        params: &FunnelParams,
        traits: &funnel::Traits,
        others_sorted: &[f64],
        fitted: Option<&FittedState>,
    ) {
        if let Some(f) = fitted {
            self.repurchase_chance_30 = f.chance(30.0);
            self.repurchase_chance_90 = f.chance(90.0);
            self.repurchase_rate_30 =
                f.cohort_rate(&self.first_purchases, &self.hazard_multiplier, 30);
            self.repurchase_rate_90 =
                f.cohort_rate(&self.first_purchases, &self.hazard_multiplier, 90);
        } else {
            let rates = params.rates(traits);
            self.repurchase_chance_30 =
                funnel::repurchase_probability(&rates, params.rate_shape, 30.0);
            self.repurchase_chance_90 =
                funnel::repurchase_probability(&rates, params.rate_shape, 90.0);
            let mr = MerchantRates::new(params, traits);
            let cohort = |window| {
                funnel::cohort_repurchase_rate(
                    &mr.hazards,
                    &mr.weights,
                    rates.dropout,
                    &self.first_purchases,
                    &self.hazard_multiplier,
                    window,
                )
            };
            self.repurchase_rate_30 = cohort(30);
            self.repurchase_rate_90 = cohort(90);
        }
        let mine: f64 = self.public_exposure.iter().sum();
        let less = others_sorted.partition_point(|&v| v < mine);
        let not_more = others_sorted.partition_point(|&v| v <= mine);
        let n = others_sorted.len().max(1) as f64;
        self.exposure_percentile = (less as f64 + (not_more - less) as f64 / 2.0) / n;
    }
}

/// Population metrics per day.
///
/// ```
/// # use shijing::sim::{simulate, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let p = simulate(&scenario).unwrap().population;
/// for d in 0..10 {
///     // Any distribution: the top 10% hold at least 10%, the bottom half at
///     // most half, and the Gini is in [0, 1).
///     assert!(p.top10_share[d] >= 0.1 && p.bottom50_share[d] <= 0.5);
///     assert!((0.0..1.0).contains(&p.gini[d]));
/// }
/// ```
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
///
/// ```
/// # use shijing::sim::{simulate, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// scenario.seed = Some(7);
/// let r = simulate(&scenario).unwrap();
/// assert_eq!((r.seed, r.days), (7, 10));
/// assert_eq!(r.merchant.gmv.len(), 10);
/// // The run's Lorenz curve goes from (0, 0) to (1, 1) in 101 points.
/// assert_eq!(r.lorenz.share.len(), 101);
/// assert_eq!((r.lorenz.share[0], r.lorenz.share[100]), (0.0, 1.0));
/// ```
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
    ///
    /// ```
    /// # use shijing::sim::{simulate, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 200;
    /// scenario.days = 10;
    /// let a = simulate(&scenario).unwrap();
    /// assert_eq!(simulate(&scenario).unwrap().fingerprint(), a.fingerprint());
    /// scenario.seed = Some(scenario.seed.unwrap_or(0).wrapping_add(1));
    /// assert_ne!(simulate(&scenario).unwrap().fingerprint(), a.fingerprint());
    /// ```
    pub fn fingerprint(&self) -> u64 {
        let m = &self.merchant;
        let p = &self.population;
        let arrays: [&[f64]; 21] = [
            &m.public_exposure,
            &m.private_exposure,
            &m.followers,
            &m.first_purchases,
            &m.repurchases,
            &m.gmv,
            &m.private_gmv,
            &m.top_item_plays,
            &m.cold_start_exposure,
            &m.live_by_day,
            &m.live_exposure,
            &m.live_private_exposure,
            &m.live_gmv,
            &m.live_private_gmv,
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
                m.repurchase_chance_30,
                m.repurchase_chance_90,
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
