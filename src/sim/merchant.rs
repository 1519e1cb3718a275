//! One merchant's day in the funnel, as both the full run and the replay
//! apply it: its state carried from day to day (followers, customer base,
//! items, live room, returning-customer index), its rates (functions of its
//! static traits), and [`merchant_day`], which turns a day's exposure into
//! clicks, orders, follows and repurchases.
//!
//! **Live sessions** (the live room is the "super node", seed 003). On a
//! live day the merchant's live room is one more item in the day's
//! allocation (see the day loop): its discovery exposure brings entries at
//! the merchant's click-through; a share of the short-video clickers since
//! the last session come too (a viral video raises the next session's
//! audience); followers see the room on their follow page. Entries order and
//! follow at the live room's own rates (`liveOrderLift`, `liveFollowLift`
//! times the short-video rates, which rise with trust), and following
//! customers repurchase more that day (`liveRepurchaseLift`). The session's
//! GMV lands on that day.

use super::fitted::FittedState;
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
/// Session length (hours) at which the live room's discovery quota is its
/// tier's quota and its follow-page reach is `liveReach` (assumption: the
/// 4-hour sessions of seed 004).
pub(super) const LIVE_REFERENCE_HOURS: f64 = 4.0;

/// What changes about a merchant from day to day.
#[derive(Debug, Clone)]
pub(super) struct MerchantState {
    pub(super) followers: f64,
    pub(super) base: CustomerBase,
    /// Share of the alive customers who follow the merchant.
    pub(super) fan_customers: f64,
    pub(super) items: Vec<Item>,
    /// The live room: its engagement posterior (entries per discovery
    /// exposure) and its tier, carried from session to session.
    pub(super) room: Item,
    /// Short-video clicks since the last live session.
    pub(super) preheat: f64,
    pub(super) clicks_total: f64,
    pub(super) exposure_total: f64,
    pub(super) rci: f64,
    pub(super) gmv_total: f64,
    pub(super) spend_total: f64,
    pub(super) fan_signal: f64,
    /// The merchant's own fitted repurchase process (the focus merchant with
    /// `repurchase` set), in place of `base`.
    pub(super) fitted: Option<Box<FittedState>>,
}

impl MerchantState {
    /// The state of a merchant with these traits and their rates (`mr`,
    /// computed once per run: `MerchantRates::new(params, traits)`).
    pub(super) fn new(
        traits: &funnel::Traits,
        mr: &MerchantRates,
        followers: f64,
        age: f64,
        new_days: f64,
    ) -> Self {
        let (rates, w) = (&mr.rates, &mr.weights);
        let mut base = CustomerBase::default();
        let established = age >= new_days;
        if established {
            base.acquire(followers * INITIAL_CUSTOMERS_PER_FOLLOWER, 0.0, w);
        }
        let prior = if established {
            // An established merchant's items start from its own click rate.
            (rates.ctr, HISTORY_STRENGTH)
        } else {
            (PRIOR_MEAN, PRIOR_STRENGTH)
        };
        MerchantState {
            followers,
            base,
            // An established merchant's past customers are drawn from its followers.
            fan_customers: if established { 1.0 } else { 0.0 },
            items: vec![Item::fresh(prior); population::slots(traits.diligence)],
            room: Item::fresh(prior),
            preheat: 0.0,
            clicks_total: 0.0,
            exposure_total: 0.0,
            rci: if established { 0.3 * traits.trust } else { 0.0 },
            gmv_total: 0.0,
            spend_total: 0.0,
            fan_signal: 0.0,
            fitted: None,
        }
    }

    /// The state with the merchant's own repurchase process: its customers
    /// (if any) instead of the platform model's starting base; the share of
    /// them who follow is the followers over the alive customers, at most 1
    /// (followers are assumed to be customers first).
    pub(super) fn with_fitted(mut self, fitted: FittedState) -> Self {
        self.base = CustomerBase::default();
        let alive = fitted.alive_at_start();
        if alive > 0.0 {
            self.fan_customers = clamp(self.followers / alive, 0.0, 1.0);
        }
        self.fitted = Some(Box::new(fitted));
        self
    }

    /// Expected alive customers.
    #[inline(always)]
    fn alive_customers(&self) -> f64 {
        match &self.fitted {
            Some(f) => f.alive_total(),
            None => self.base.alive_total(),
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
    /// Discovery exposure of the short videos and the live room.
    pub(super) public: f64,
    pub(super) paid: f64,
    /// Follow-page exposure of the short videos and the live room.
    pub(super) private: f64,
    pub(super) first: f64,
    pub(super) repurchases: f64,
    pub(super) gmv: f64,
    /// GMV of orders by followers.
    pub(super) private_gmv: f64,
    pub(super) top_item: f64,
    pub(super) live: bool,
    /// Discovery exposure of the live room (part of `public`).
    pub(super) live_public: f64,
    /// Follow-page exposure of the live room (part of `private`).
    pub(super) live_private: f64,
    /// GMV in the live room.
    pub(super) live_gmv: f64,
    /// GMV in the live room by followers (part of `live_gmv` and `private_gmv`).
    pub(super) live_private_gmv: f64,
    /// The day's multiplier on every customer's repurchase hazard (big day,
    /// live session), for the cohort repurchase rates (with a fitted
    /// process: its day factor).
    pub(super) hazard_multiplier: f64,
    /// Repurchases by the merchant's own customers given at day 0 (part of
    /// `repurchases`; 0 without a fitted process).
    pub(super) existing_repurchases: f64,
}

/// A merchant's funnel rates and repurchase classes: functions of its static
/// traits, computed once per run.
#[derive(Debug, Clone, Copy)]
pub(super) struct MerchantRates {
    pub(super) rates: funnel::Rates,
    pub(super) hazards: [f64; funnel::RATE_CLASSES],
    pub(super) weights: [f64; funnel::RATE_CLASSES],
    /// Share of discovery buyers who follow.
    pub(super) buyer_follow: f64,
    /// Orders and follows per live-room entry.
    pub(super) live_order_rate: f64,
    pub(super) live_follow_rate: f64,
    /// First orders per follow-page exposure of the live room (of a follower who is not a customer yet).
    pub(super) live_fan_order_rate: f64,
    /// Share of followers who see the live room on the follow page in a session of the reference length.
    pub(super) live_reach: f64,
    pub(super) price: f64,
}

impl MerchantRates {
    pub(super) fn new(params: &FunnelParams, traits: &funnel::Traits) -> Self {
        let rates = params.rates(traits);
        let (hazards, weights) = funnel::rate_classes(rates.hazard, params.rate_shape);
        MerchantRates {
            rates,
            hazards,
            weights,
            buyer_follow: (traits.follow_rate * params.buyer_follow_multiplier).min(1.0),
            live_order_rate: (rates.order_rate * params.live_order_lift).min(1.0),
            live_follow_rate: (rates.follow_rate * params.live_follow_lift).min(1.0),
            live_fan_order_rate: (rates.fan_order_rate * params.live_order_lift).min(1.0),
            live_reach: (params.live_reach * (0.5 + 0.5 * traits.diligence)).min(1.0),
            price: traits.price,
        }
    }
}

/// The live room on a live day: its discovery exposure (after the cap), the
/// session's length over the reference, and the effective impressions its
/// entries come from ([`FunnelParams::live_entries`] at click-through 1).
#[derive(Debug, Clone, Copy)]
pub(super) struct LiveSession {
    pub(super) exposure: f64,
    pub(super) hours_factor: f64,
    pub(super) effective: f64,
}

impl LiveSession {
    pub(super) fn new(params: &FunnelParams, exposure: f64, hours_factor: f64) -> Self {
        LiveSession {
            exposure,
            hours_factor,
            effective: params.live_entries(1.0, exposure, hours_factor),
        }
    }
}

/// The funnel for one merchant and day, given its items' public exposure
/// (after the cap) with its [`FunnelParams::saturation`] factors, its live
/// session if it streams today, and its paid exposure. Updates the
/// merchant's state and its items' and live room's posteriors; calls
/// `each_item(k, item, clicks, effective)` on item `k` once its posterior
/// is updated (`effective`: the effective impressions its clicks came
/// from, `itemSaturation` times its saturation factor), so the day loop
/// gathers its tier statistics in the same pass; returns the live room's
/// discovery entries with the day's outcome.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn merchant_day(
    state: &mut MerchantState,
    mr: &MerchantRates,
    params: &FunnelParams,
    item_exposure: &[f64],
    item_saturation: &[f64],
    live: Option<LiveSession>,
    paid: f64,
    ad_spend: f64,
    order_multiplier: f64,
    mut each_item: impl FnMut(usize, &Item, f64, f64),
) -> (DayOutcome, f64) {
    let rates = &mr.rates;
    let mut public = 0.0;
    let mut clicks = 0.0;
    let mut top_item: f64 = 0.0;
    for (k, it) in state.items.iter_mut().enumerate() {
        let x = item_exposure[k];
        let c = params.clicks_at(rates.ctr, item_saturation[k]);
        // The platform judges engagement per effective impression: the
        // saturating audience `s·(1 − e^{−x/s})` the clicks came from, so an
        // item's posterior learns its click-through, not how widely it was shown.
        let effective = params.item_saturation * item_saturation[k];
        it.alpha += c;
        it.beta += max_of(effective - c, 0.0);
        it.used += x;
        it.plays += x;
        each_item(k, it, c, effective);
        public += x;
        clicks += c;
        top_item = max_of(top_item, it.plays);
    }
    clicks += paid * rates.ctr * AD_CTR_FACTOR;
    let orders = clicks * rates.order_rate * order_multiplier;
    let mut follows = clicks * rates.follow_rate;
    let mut private = state.followers * rates.visit_rate;
    let non_customers = if state.followers > 0.0 {
        clamp(1.0 - state.alive_customers() / state.followers, 0.0, 1.0)
    } else {
        0.0
    };
    let fan_first = private * rates.fan_order_rate * non_customers * order_multiplier;
    state.preheat += clicks;

    // The live session: discovery entries, the preheated audience, followers.
    let mut live_orders = 0.0;
    let mut live_fan_first = 0.0;
    let mut live_public = 0.0;
    let mut live_private = 0.0;
    let mut room_clicks = 0.0;
    let mut reach = 0.0;
    if let Some(l) = live {
        let room = &mut state.room;
        room_clicks = rates.ctr * l.effective;
        room.alpha += room_clicks;
        room.beta += max_of(l.effective - room_clicks, 0.0);
        // The room's quota was scaled by the session's length: count its use in reference sessions.
        room.used += l.exposure / l.hours_factor;
        room.plays += l.exposure;
        live_public = l.exposure;
        let entries = room_clicks + params.live_preheat * state.preheat;
        state.preheat = 0.0;
        live_orders = entries * mr.live_order_rate * order_multiplier;
        follows += entries * mr.live_follow_rate;
        reach = min_of(mr.live_reach * l.hours_factor, 1.0);
        live_private = state.followers * reach;
        live_fan_first = live_private * mr.live_fan_order_rate * non_customers * order_multiplier;
    }
    public += live_public;
    private += live_private;

    // Repurchases: following customers who see the live room on their
    // follow page (a share `reach`) buy again more that day.
    let lift = params.live_repurchase_lift;
    let phi = state.fan_customers;
    let room_lift = 1.0 + lift * reach * phi;
    let mut hazard_multiplier = order_multiplier * room_lift;
    let repurchases: f64;
    // With a fitted process: the value of the day's repurchases (`None`:
    // worth the price) and those by the customers given.
    let mut fitted_value = None;
    let mut existing_repurchases = 0.0;
    if let Some(f) = state.fitted.as_deref_mut() {
        let day = f.day(order_multiplier, reach, phi);
        repurchases = day.repurchases;
        existing_repurchases = day.existing;
        hazard_multiplier = day.factor;
        fitted_value = Some(day.value);
    } else {
        let mut rep = state.base.expected_repurchases(&mr.hazards);
        for (k, r) in rep.iter_mut().enumerate() {
            *r = min_of(*r * hazard_multiplier, state.base.alive[k]);
        }
        repurchases = rep.iter().sum();
        state.base.after_purchases(&rep, rates.dropout);
    }
    // Following customers' repurchases, and those made in the live room
    // (without a session: a share `phi`, none in the room).
    let (fan_repurchases, room_repurchases) = if reach > 0.0 {
        let per_lift = repurchases * phi / room_lift;
        (
            per_lift * (1.0 + lift * reach),
            per_lift * reach * (1.0 + lift),
        )
    } else {
        (repurchases * phi, 0.0)
    };

    // New customers: discovery buyers follow at the buyers' follow rate,
    // follow-page buyers already follow; a share `dropout` never returns.
    let discovery_buyers = orders + live_orders;
    let fan_buyers = fan_first + live_fan_first;
    let new_buyers = discovery_buyers + fan_buyers;
    if new_buyers > 0.0 {
        let alive = if let Some(f) = state.fitted.as_deref_mut() {
            let survive = f.first_survival();
            let fans =
                phi * f.alive_total() + (discovery_buyers * mr.buyer_follow + fan_buyers) * survive;
            f.acquire(new_buyers);
            (fans, f.alive_total())
        } else {
            let fans = phi * state.base.alive_total()
                + (discovery_buyers * mr.buyer_follow + fan_buyers) * (1.0 - rates.dropout);
            state.base.acquire(new_buyers, rates.dropout, &mr.weights);
            (fans, state.base.alive_total())
        };
        if alive.1 > 0.0 {
            state.fan_customers = clamp(alive.0 / alive.1, 0.0, 1.0);
        }
    }

    let first = discovery_buyers + fan_buyers;
    let all_orders = first + repurchases;
    let (gmv, private_gmv, live_gmv, live_private_gmv) = match fitted_value {
        None => {
            let (live_gmv, live_private_gmv) = if live.is_some() {
                (
                    (live_orders + live_fan_first + room_repurchases) * mr.price,
                    (live_fan_first + room_repurchases) * mr.price,
                )
            } else {
                (0.0, 0.0)
            };
            (
                all_orders * mr.price,
                (fan_buyers + fan_repurchases) * mr.price,
                live_gmv,
                live_private_gmv,
            )
        }
        // A fitted process: first orders at the price, repurchases at their
        // own value (the price without an order-value model).
        Some(value) => {
            let rep_gmv = value.unwrap_or(repurchases * mr.price);
            let per = if repurchases > 0.0 {
                rep_gmv / repurchases
            } else {
                mr.price
            };
            let (live_gmv, live_private_gmv) = if live.is_some() {
                (
                    (live_orders + live_fan_first) * mr.price + room_repurchases * per,
                    live_fan_first * mr.price + room_repurchases * per,
                )
            } else {
                (0.0, 0.0)
            };
            (
                first * mr.price + rep_gmv,
                fan_buyers * mr.price + fan_repurchases * per,
                live_gmv,
                live_private_gmv,
            )
        }
    };
    state.followers = state.followers * (1.0 - FOLLOWER_CHURN) + follows;
    if all_orders > 0.0 {
        state.rci = (1.0 - RCI_SMOOTHING) * state.rci + RCI_SMOOTHING * repurchases / all_orders;
    }
    state.clicks_total += clicks + room_clicks;
    state.exposure_total += public + paid;
    state.gmv_total += gmv;
    state.spend_total += ad_spend;
    state.fan_signal = follows + repurchases;
    let outcome = DayOutcome {
        public,
        paid,
        private,
        first,
        repurchases,
        gmv,
        private_gmv,
        top_item,
        live: live.is_some(),
        live_public,
        live_private,
        live_gmv,
        live_private_gmv,
        hazard_multiplier,
        existing_repurchases,
    };
    (outcome, room_clicks)
}
