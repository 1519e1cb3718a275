//! JS bindings for [`crate::allocation::platform`]: the stateful
//! `TrafficPlatform`, its option tables, and its state as typed arrays.

use std::cell::{RefCell, RefMut};

use wasm_bindgen::prelude::*;

use super::round::{result_object, Merit};
use crate::allocation::platform::{
    CreatorColumns, ItemState, Platform, PlatformConfig, PromotionRule, DEFAULT_TIER_WINDOWS,
};
use crate::allocation::round::{RoundSettings, MAX_TIERS};
use crate::bindings::js::{At, JsResult, Thrown};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::stats::random;
use crate::validate::MAX_ELEMENTS;

js_options! {
    /// Settings of a `TrafficPlatform`: every `AllocationOptions` field plus these.
    options "TrafficPlatformOptions" extends "AllocationOptions" (round: RoundSettings) for PlatformConfig {
        "priorMean" => prior_mean: number, "Prior mean engagement of a new item, (0, 1) (default 0.03).";
        "priorStrength" => prior_strength: number, "Prior strength α+β of a new item (default 30).";
        "newMerchantDays" => new_merchant_days: uint(0, 100_000), "Days a merchant counts as new (default 30).";
        "graduationGmv" => graduation_gmv: number, "A new merchant also graduates once its GMV reaches this (default Infinity).";
        "tierWindows" => tier_windows: u32s(MAX_TIERS, 1, 100_000) or |c: &PlatformConfig| default_windows(c.round.tier_quotas.len()), "Days an item may stay in each tier before a decision (default [1, 2, 3, 5, 7] for 5 tiers, else 3 each; assumption).";
        "tierCapacity" => tier_capacity: opt_numbers(MAX_TIERS), "Items each tier can hold; Infinity for no limit (default ⌊budget/(tiers·quota)⌋, assumption).";
        "promotion" => promotion: parse(PromotionRule) as "\"thompson\" | \"mean\"", "Promotion test: a posterior draw (\"thompson\", default) or the posterior mean (\"mean\") must beat the tier's previous-round mean engagement.";
        "maxItemAgeDays" => max_item_age_days: uint(1, 100_000), "Items retire after this many days (default 30, assumption).";
    }
}

/// Tier windows when none are given: the defaults for as many tiers, else 3 days each.
fn default_windows(tiers: usize) -> Vec<u32> {
    if tiers == DEFAULT_TIER_WINDOWS.len() {
        DEFAULT_TIER_WINDOWS.to_vec()
    } else {
        vec![3; tiers]
    }
}

js_options! {
    /// Creators of a `TrafficPlatform`.
    options "TrafficPlatformCreators" for CreatorColumns {
        "count" => count: req_count(1, MAX_ELEMENTS), "Number of creators. Required.";
        "ageDays" => age_days: opt_integers, "Days since each creator joined (default 0: all new).";
        "diligence" => diligence: opt_column, "Diligence signal (≥ 0; rank only).";
        "fanOperation" => fan_operation: opt_column, "Fan-operation signal (≥ 0; rank only).";
        "spend" => spend: opt_column, "Advertising spend (≥ 0).";
        "gmv" => gmv: opt_column, "GMV from that spend (≥ 0).";
    }
}

/// The items a platform starts with.
#[derive(Default)]
struct Items {
    creator: Vec<u32>,
}

js_options! {
    /// Items at the start of a `TrafficPlatform`.
    options "TrafficPlatformItems" for Items {
        "creator" => creator: req_integers, "Owner of each item (a creator index).";
    }
}

/// The argument of `new TrafficPlatform`.
#[derive(Default)]
struct Init {
    creators: CreatorColumns,
    items: Items,
    options: PlatformConfig,
}

js_options! {
    /// The argument of `new TrafficPlatform`.
    options "TrafficPlatformInit" for Init {
        "creators" => creators: req_nested as "TrafficPlatformCreators", "The creators.";
        "items" => items: nested as "TrafficPlatformItems", "Items at start (may be empty); more with `addItems`.";
        "options" => options: nested as "TrafficPlatformOptions", "Settings.";
    }
}

js_options! {
    /// Merit columns for `TrafficPlatform.setMerit` (omitted columns are kept).
    options "MeritColumns" for Merit {
        "diligence" => diligence: opt_column, "Diligence signal per creator.";
        "fanOperation" => fan_operation: opt_column, "Fan-operation signal per creator.";
        "spend" => spend: opt_column, "Advertising spend per creator.";
        "gmv" => gmv: opt_column, "GMV from that spend per creator.";
    }
}

/// Posterior columns for `addItems`.
#[derive(Default)]
struct Posterior {
    alpha: Vec<f64>,
    beta: Vec<f64>,
}

js_options! {
    /// Posterior columns for `TrafficPlatform.addItems`.
    options "ItemPosterior" for Posterior {
        "alpha" => alpha: req_column, "Beta posterior α per new item (> 0).";
        "beta" => beta: req_column, "Beta posterior β per new item (> 0).";
    }
}

/// What a `TrafficPlatform` changes from call to call.
struct State {
    platform: Platform,
    rng: random::Rng,
}

/// A platform that runs allocation rounds over days: Beta posteriors per
/// item from observed engagement, tiered traffic pools (×10 quotas by
/// default) with promotion against the previous round's tier mean,
/// retirement of stale items, graduation of new merchants. A day is
/// `runRound()` then `observe(engaged)`. Call `free()` when done.
///
/// Every method reads its arguments before it touches the state, which it
/// holds only while the core runs (no JS runs then): a getter that throws
/// or calls back into the platform cannot leave it borrowed.
#[wasm_bindgen]
pub struct TrafficPlatform {
    state: RefCell<State>,
    seed: u32,
}

/// The error when the state is in use (cannot happen: no JS runs while it is).
#[cold]
fn busy() -> Thrown {
    crate::Error::state("the TrafficPlatform is in use by another call").into()
}

impl TrafficPlatform {
    /// `f` of the state; `default` if it is in use (cannot happen: no JS
    /// runs while it is). Getters stay infallible, as they were.
    fn peek<T>(&self, default: T, f: impl FnOnce(&State) -> T) -> T {
        self.state.try_borrow().map_or(default, |s| f(&s))
    }

    /// `f` of every item.
    fn items<T>(&self, f: impl Fn(&ItemState) -> T) -> Vec<T> {
        self.peek(Vec::new(), |s| s.platform.items().iter().map(f).collect())
    }

    fn state_mut(&self) -> JsResult<RefMut<'_, State>> {
        self.state.try_borrow_mut().map_err(|_| busy())
    }
}

#[wasm_bindgen]
impl TrafficPlatform {
    /// Creates a platform from `{ creators, items?, options? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrafficPlatformInit")] init: JsValue,
    ) -> JsResult<TrafficPlatform> {
        let mut i = Init::default();
        options::read_into("init", &init, &mut i)?;
        let seed = random::resolve_seed(i.options.round.seed)?;
        let platform = Platform::new(i.options, i.creators, &i.items.creator, "init.")?;
        Ok(TrafficPlatform {
            state: RefCell::new(State {
                platform,
                rng: random::rng(seed),
            }),
            seed,
        })
    }

    /// Runs today's round over the active items. Item columns cover every
    /// registered item (0 impressions for retired ones).
    #[wasm_bindgen(js_name = runRound, unchecked_return_type = "AllocationResult")]
    pub fn run_round(&self) -> JsResult<JsValue> {
        let mut s = self.state_mut()?;
        let State { platform, rng } = &mut *s;
        let mut r = platform.allocate_day(rng)?;
        r.seed = self.seed;
        Ok(result_object(&r))
    }

    /// Feeds back today's engaged impressions per item (integers, each at
    /// most the item's impressions today; length = `itemCount`) and ends the
    /// day: posteriors, promotions, retirements, graduations.
    pub fn observe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] engaged: JsValue,
    ) -> JsResult<()> {
        let e = read::numbers(At::arg("engaged"), &engaged)?;
        let mut s = self.state_mut()?;
        let State { platform, rng } = &mut *s;
        Ok(platform.observe(&e, rng, "engaged")?)
    }

    /// Adds items owned by `creator` (tier 0, prior posterior unless
    /// `posterior` gives α and β). Returns the index of the first new item.
    #[wasm_bindgen(js_name = addItems)]
    pub fn add_items(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Integers")] creator: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ItemPosterior")] posterior: Option<JsValue>,
    ) -> JsResult<u32> {
        let owner = read::u32s(At::arg("creator"), &creator)?;
        let post = match posterior {
            Some(p) => {
                let mut post = Posterior::default();
                options::read_into("posterior", &p, &mut post)?;
                Some(post)
            }
            None => None,
        };
        let columns = post
            .as_ref()
            .map(|p| (p.alpha.as_slice(), p.beta.as_slice()));
        let first = self
            .state_mut()?
            .platform
            .add_items(&owner, columns, "", "posterior.")?;
        Ok(first as u32)
    }

    /// Replaces creators' merit columns (omitted columns are kept).
    #[wasm_bindgen(js_name = setMerit)]
    pub fn set_merit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MeritColumns")] merit: JsValue,
    ) -> JsResult<()> {
        let mut m = Merit::default();
        options::read_into("merit", &merit, &mut m)?;
        Ok(self
            .state_mut()?
            .platform
            .set_merit(m.signals(), "merit.")?)
    }

    /// Days completed.
    #[wasm_bindgen(getter)]
    pub fn day(&self) -> u32 {
        self.peek(0, |s| s.platform.day())
    }

    /// The seed of the platform's random numbers.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> u32 {
        self.seed
    }

    /// Items registered (including retired ones).
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> u32 {
        self.peek(0, |s| s.platform.items().len() as u32)
    }

    /// Creators registered.
    #[wasm_bindgen(getter, js_name = creatorCount)]
    pub fn creator_count(&self) -> u32 {
        self.peek(0, |s| s.platform.creator_count() as u32)
    }

    /// Whether a round is waiting for `observe`.
    #[wasm_bindgen(getter, js_name = awaitingObservation)]
    pub fn awaiting_observation(&self) -> bool {
        self.peek(false, |s| s.platform.awaiting_observation())
    }

    /// Tier of every item.
    pub fn tiers(&self) -> Vec<u32> {
        self.items(|i| i.tier)
    }

    /// 1 for items still in the public pool.
    pub fn active(&self) -> Vec<u8> {
        self.items(|i| u8::from(i.active))
    }

    /// Posterior mean engagement `α/(α+β)` of every item.
    #[wasm_bindgen(js_name = posteriorMean)]
    pub fn posterior_mean(&self) -> Vec<f64> {
        self.items(|i| i.alpha / (i.alpha + i.beta))
    }

    /// Posterior α of every item.
    pub fn alpha(&self) -> Vec<f64> {
        self.items(|i| i.alpha)
    }

    /// Posterior β of every item.
    pub fn beta(&self) -> Vec<f64> {
        self.items(|i| i.beta)
    }

    /// Impressions each item has used in its current tier.
    pub fn used(&self) -> Vec<f64> {
        self.items(|i| i.used)
    }

    /// Tier thresholds the next promotion decisions use (previous round's tier means).
    pub fn thresholds(&self) -> Vec<f64> {
        self.peek(Vec::new(), |s| s.platform.thresholds().to_vec())
    }

    /// Items each tier can hold.
    pub fn capacities(&self) -> Vec<f64> {
        self.peek(Vec::new(), |s| s.platform.capacities().to_vec())
    }

    /// 1 for creators that are new merchants today.
    #[wasm_bindgen(js_name = newMerchants)]
    pub fn new_merchants(&self) -> Vec<u8> {
        self.peek(Vec::new(), |s| {
            s.platform
                .new_merchants()
                .into_iter()
                .map(u8::from)
                .collect()
        })
    }
}
