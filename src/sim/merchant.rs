//! One merchant's day in the funnel, as both the full run and the replay
//! apply it: its state carried from day to day (followers, customer base,
//! items, returning-customer index), its rates (functions of its static
//! traits), and [`merchant_day`], which turns a day's exposure into clicks,
//! orders, follows and repurchases.

use super::population;
use super::tiers::{Item, HISTORY_STRENGTH, PRIOR_MEAN, PRIOR_STRENGTH};
use crate::funnel::{self, CustomerBase, FunnelParams};
use crate::stats::{clamp, max_of, min_of};

/// Followers lost per day (assumption).
const FOLLOWER_CHURN: f64 = 0.002;
/// Paid (ad) impressions click at this share of the organic rate (assumption).
const AD_CTR_FACTOR: f64 = 0.7;
/// Smoothing of the returning-customer index (assumption).
const RCI_SMOOTHING: f64 = 0.1;
/// An established merchant starts with this share of its followers as alive past customers (assumption).
const INITIAL_CUSTOMERS_PER_FOLLOWER: f64 = 0.25;

/// What changes about a merchant from day to day.
#[derive(Debug, Clone)]
pub(super) struct MerchantState {
    pub(super) followers: f64,
    pub(super) base: CustomerBase,
    pub(super) items: Vec<Item>,
    pub(super) clicks_total: f64,
    pub(super) exposure_total: f64,
    pub(super) rci: f64,
    pub(super) gmv_total: f64,
    pub(super) spend_total: f64,
    pub(super) fan_signal: f64,
}

impl MerchantState {
    pub(super) fn new(
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
    pub(super) fn item_prior(&self) -> (f64, f64) {
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
    pub(super) fn value(&self, trust: f64, trust_weight: f64) -> f64 {
        (0.5 + trust) * (1.0 + trust_weight * self.rci)
    }
}

/// Integer exposures below this take the funnel's saturation factor from a table.
const SATURATION_TABLE_LEN: usize = 1 << 14;

/// [`FunnelParams::saturation`] tabulated at the integer exposures
/// `0..SATURATION_TABLE_LEN` once per run: the day loop's exposures are
/// integers, and a table entry is the same libm call on the same argument,
/// so the same bits. Larger exposures call libm.
pub(super) struct SaturationTable(Vec<f64>);

impl SaturationTable {
    pub(super) fn new(params: &FunnelParams) -> Self {
        SaturationTable(
            (0..SATURATION_TABLE_LEN)
                .map(|k| params.saturation(k as f64))
                .collect(),
        )
    }

    /// The factor at integer exposure `e` (compared as `u64`: on wasm32 a
    /// `usize` cast would truncate).
    pub(super) fn at(&self, params: &FunnelParams, e: u64) -> f64 {
        if e < self.0.len() as u64 {
            self.0[e as usize]
        } else {
            params.saturation(e as f64)
        }
    }
}

/// One merchant-day of the funnel.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DayOutcome {
    pub(super) public: f64,
    pub(super) paid: f64,
    pub(super) private: f64,
    pub(super) first: f64,
    pub(super) repurchases: f64,
    pub(super) gmv: f64,
    pub(super) private_gmv: f64,
    pub(super) top_item: f64,
}

/// A merchant's funnel rates and repurchase classes: functions of its static
/// traits, computed once per run.
#[derive(Debug, Clone, Copy)]
pub(super) struct MerchantRates {
    pub(super) rates: funnel::Rates,
    pub(super) hazards: [f64; funnel::RATE_CLASSES],
    pub(super) weights: [f64; funnel::RATE_CLASSES],
    /// Share of repurchases that the follow page adds (its lift over no follow page).
    pub(super) follow_share: f64,
    pub(super) price: f64,
}

impl MerchantRates {
    pub(super) fn new(params: &FunnelParams, traits: &funnel::Traits) -> Self {
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
pub(super) fn merchant_day(
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
