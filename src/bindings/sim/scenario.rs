//! The scenario's JS face ([`crate::sim::scenario`]): one table per
//! scenario struct (read by `simulate`, `sweep` and `MarketModel`, written
//! back by `defaultScenario`, `presets` and `MarketModel.scenario`), and
//! the exports `defaultScenario` and `presets`.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::bindings::js::JsResult;
use crate::bindings::options::{self, js_options};
use crate::bindings::write::JsObject;
use crate::funnel::FunnelParams;
use crate::sim::scenario::{MAX_DAYS, MAX_MERCHANTS};
use crate::sim::{
    self, Events, MerchantSettings, PlatformSettings, PopulationSettings, Preset, Scenario,
};

js_options! {
    /// A complete scenario.
    record "Scenario" for Scenario {
        "seed" => seed: opt_uint(0, u32::MAX), "Seed (uint32); without one a seed is drawn and reported in the result.";
        "days" => days: uint(1, MAX_DAYS), "Days to simulate, 1–730 (default 90).";
        "population" => population: nested as "PopulationSettings", "The other merchants.";
        "platform" => platform: nested as "PlatformSettings", "The platform's allocation settings.";
        "funnel" => funnel: nested as "FunnelParams", "Funnel and repurchase rates.";
        "merchant" => merchant: nested as "MerchantSettings", "The focus merchant the user controls.";
        "events" => events: nested as "ScenarioEvents", "Marketing events of the focus merchant.";
    }
}

js_options! {
    /// How the other merchants are drawn (all modelling assumptions).
    record "PopulationSettings" for PopulationSettings {
        "merchants" => merchants: uint(2, MAX_MERCHANTS), "Number of merchants, the focus merchant included, 2–1,000,000 (default 10,000).";
        "newShare" => new_share: number, "Share of merchants that are new on day 0, 0–1 (default 0.1).";
        "qualityMean" => quality_mean: number, "Mean content quality (Beta), 0.01–0.99 (default 0.4).";
        "qualityConcentration" => quality_concentration: number, "Concentration α+β of the quality Beta, 0.1–1000 (default 6).";
        "followersMedian" => followers_median: number, "Median followers (log-normal), 0–1e9 (default 3,000).";
        "followersSigma" => followers_sigma: number, "Log-scale spread of followers, 0–5 (default 2).";
        "priceMedian" => price_median: number, "Median order value in yuan (log-normal), 0.01–1e6 (default 90).";
        "priceSigma" => price_sigma: number, "Log-scale spread of order values, 0–5 (default 0.6).";
        "trustMean" => trust_mean: number, "Mean trust (Beta, concentration 6), 0.01–0.99 (default 0.5).";
        "followRateMean" => follow_rate_mean: number, "Mean follow rate of clickers, 0–1 (default 0.03).";
        "adSpendMean" => ad_spend_mean: number, "Mean daily ad spend in yuan, 0–1e9 (default 200).";
        "liveShare" => live_share: number, "Share of the other merchants who stream live sessions, 0–1 (default 0.3; assumption).";
        "liveEveryDays" => live_every_days: uint(1, MAX_DAYS), "Days between the other streamers' live sessions, 1–730, each with a random offset (default 2; assumption).";
        "liveHours" => live_hours: number, "Length of the other streamers' live sessions in hours, 0.5–24 (default 3; assumption).";
    }
}

js_options! {
    /// The platform's allocation settings.
    record "PlatformSettings" for PlatformSettings {
        "budget" => budget: number, "Discovery-page exposures per day for the whole population, 1–1e13 (default 1e8).";
        "giniMax" => gini_max: number, "Gini cap on creators' public exposure, in [0, 1) (default 0.6).";
        "giniMode" => gini_mode: name as "CapMode", "How the cap is enforced (default \"cap\").";
        "blend" => blend: number, "Weight of `cap` in `blend` mode, 0–1 (default 0.5).";
        "coldStartShare" => cold_start_share: number, "Share of the budget reserved for new merchants, 0–1 (default 0.1).";
        "itemFloor" => item_floor: number, "Guaranteed first exposures per new item, 0–1e9 (default 300).";
        "newMerchantDays" => new_merchant_days: uint(0, MAX_DAYS), "Days a merchant counts as new, 0–730 (default 30).";
        "itemLifetimeDays" => item_lifetime_days: uint(1, MAX_DAYS), "Most days an item stays in the public pool, 1–730 (default 30).";
        "adCpm" => ad_cpm: number, "Yuan per 1,000 paid exposures, 0.01–1e6 (default 30).";
        "trustWeight" => trust_weight: number, "Weight of the returning-customer index in the public score, 0–100 (default 1).";
    }
}

js_options! {
    /// Funnel and repurchase rates (all modelling assumptions; see the README's model page).
    record "FunnelParams" for FunnelParams {
        "ctrMin" => ctr_min: number, "Click-through rate at content quality 0, 0–1 (default 0.01).";
        "ctrMax" => ctr_max: number, "Click-through rate at content quality 1, 0–1 (default 0.12).";
        "itemSaturation" => item_saturation: number, "Exposures per item at which clicks start to saturate, > 0 (default 30,000).";
        "orderRate" => order_rate: number, "Orders per click at the reference price and trust 0.5, 0–1 (default 0.028).";
        "referencePrice" => reference_price: number, "Reference order value in yuan for the price effect, > 0 (default 100).";
        "priceElasticity" => price_elasticity: number, "Price elasticity of discovery viewers' (strangers') order rate, 0–5 (default 1.8).";
        "fanPriceElasticity" => fan_price_elasticity: number, "Price elasticity of followers' order rate on the follow page and in the live room, 0–5 (default 0.3; assumption, calibrated).";
        "trustWeight" => trust_weight: number, "How strongly trust moves order and fan conversion, 0–1 (default 0.6).";
        "visitRateMin" => visit_rate_min: number, "Share of followers who see the merchant on their follow page per day at diligence 0, 0–1 (default 0.01).";
        "visitRateMax" => visit_rate_max: number, "The same at diligence 1, 0–1 (default 0.08).";
        "fanOrderRate" => fan_order_rate: number, "Orders per follow-page exposure at the reference price and trust 0.5, 0–1 (default 0.0006; calibrated to YeXin's ¥3,200 per 1,000 follow-page exposures).";
        "repurchaseHazard" => repurchase_hazard: number, "Daily repurchase hazard of an average alive customer, 0–1 (default 0.0092; calibrated to 莱润's 40% / 76%).";
        "rateShape" => rate_shape: number, "Shape of the gamma distribution of purchase rates, 0.05–1000 (default 20).";
        "dropoutMax" => dropout_max: number, "Dropout probability after a purchase at trust 0, 0–1 (default 0.6).";
        "dropoutMin" => dropout_min: number, "Dropout probability after a purchase at trust 1, 0–1 (default 0.02).";
        "followLift" => follow_lift: number, "Relative hazard lift per unit of daily follow-page visit probability, 0–1000 (default 3).";
        "buyerFollowMultiplier" => buyer_follow_multiplier: number, "Buyers follow at this multiple of the follow rate, 0–100 (default 4).";
        "valueExponent" => value_exponent: number, "Exponent of the experience/price ratio on the repurchase hazard, 0–5 (default 0.5).";
        "liveOrderLift" => live_order_lift: number, "Orders per live-room entry as a multiple of orders per short-video click, 0–100 (default 2.5; assumption, calibrated).";
        "liveFollowLift" => live_follow_lift: number, "Follows per live-room entry as a multiple of the short-video follow rate, 0–100 (default 2; assumption).";
        "liveReach" => live_reach: number, "Share of followers who see the live room per 4-hour session at diligence 1 (half at 0), 0–1 (default 0.5; assumption, calibrated to YeXin).";
        "liveSaturation" => live_saturation: number, "Discovery exposures per 4-hour session at which the room's entries saturate, > 0 (default 300,000; assumption).";
        "livePreheat" => live_preheat: number, "Share of the short-video clickers since the last session who come to the next one, 0–1 (default 0.05; assumption).";
        "liveRepurchaseLift" => live_repurchase_lift: number, "Relative rise of following customers' repurchase hazard on a live day, 0–100 (default 0.5; assumption, calibrated).";
    }
}

js_options! {
    /// The focus merchant: what the explorer's sliders set.
    record "MerchantSettings" for MerchantSettings {
        "contentQuality" => content_quality: number, "Content quality, 0–1 (drives click-through and learned engagement).";
        "followRate" => follow_rate: number, "Share of clickers who follow, 0–1.";
        "price" => price: number, "Order value, yuan, 0.01–1e6.";
        "trust" => trust: number, "Trust, 0–1 (reviews, after-sales; drives conversion and repurchase).";
        "diligence" => diligence: number, "Diligence, 0–1 (posting and live days: more items, more follow-page presence).";
        "followers" => followers: number, "Followers on day 0, 0–1e10.";
        "adSpend" => ad_spend: number, "Ad spend, yuan per day, 0–1e9 (paid discovery exposure outside the cap).";
        "ageDays" => age_days: number, "Age on day 0 in days, 0–1e5; below `platform.newMerchantDays` it gets cold-start traffic.";
        "liveEveryDays" => live_every_days: uint(0, MAX_DAYS), "Days between live sessions: 1 = daily, 0 = never, 0–730 (default 2; big days are always live days; assumption).";
        "liveStartDay" => live_start_day: uint(0, MAX_DAYS), "Day (0-based) of the first live session, 0–730 (default 0).";
        "liveHours" => live_hours: number, "Length of a live session in hours, 0.5–24; the room's reach scales with hours/4 (default 3; assumption).";
        "repurchase" => repurchase: myshop_nested(super::fitted::new_repurchase) as "MerchantRepurchase | null", "The merchant's own repurchase model, as fitted to its order log (default none: the platform-wide process of `funnel`). Read whole, not merged; `null` removes one (e.g. in `runMerchant` over a scenario that has one, with `customers` and `orderValue`).";
        "customers" => customers: myshop_nested(sim::Customers::default) as "MerchantCustomers | null", "The merchant's customers at day 0, summarized in `repurchase.unitDays` (needs `repurchase`). Read whole; `null` removes them.";
        "orderValue" => order_value: myshop_nested(sim::OrderValue::default) as "MerchantOrderValue | null", "What a repeat purchase is worth (needs `repurchase`; default: `price`). Read whole; `null` removes it.";
    }
}

js_options! {
    /// Marketing events of the focus merchant (0-based days).
    record "ScenarioEvents" for Events {
        "bigDays" => big_days: u32s(MAX_DAYS as usize, 0, u32::MAX), "Days of marketing big events (营销大场).";
        "bigDayMultiplier" => big_day_multiplier: number, "Order multiplier on a big day, 0–100 (default 2.5).";
        "campaignDays" => campaign_days: u32s(MAX_DAYS as usize, 0, u32::MAX), "Days of a platform campaign boost for the focus merchant.";
        "campaignBoost" => campaign_boost: number, "Multiplier on the focus merchant's public score on campaign days, 0–100 (default 2).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Any part of a scenario; the rest comes from `defaultScenario()`. */
export type ScenarioInput = { [K in keyof Scenario]?: Partial<Scenario[K]> };

/** A text in Chinese and English. */
export interface Bilingual {
  /** Chinese. */
  zh: string;
  /** English. */
  en: string;
}

/** A seed preset (DOMAIN.md §3). */
export interface Preset {
  /** The preset's key (what `simulate({ preset })` and the explorer's URL take). */
  id: "default" | "womens-wear" | "quick-brand" | "trusted-brand";
  /** Its merchant's name, as the source articles give it (e.g. 若衣轻奢). */
  name: Bilingual;
  /** What the preset reproduces, and from which article. */
  description: Bilingual;
  /** The full scenario. */
  scenario: Scenario;
}
"#;

/// Reads a partial scenario (`undefined`/`null`: the default one) named
/// `name` over the defaults.
pub fn read(name: &str, value: &JsValue) -> JsResult<Scenario> {
    options::read(name, value, Scenario::default())
}

/// Reads a partial merchant named `name` over `base`.
pub fn read_merchant(
    name: &str,
    value: &JsValue,
    base: MerchantSettings,
) -> JsResult<MerchantSettings> {
    options::read(name, value, base)
}

fn preset(p: &Preset) -> JsValue {
    let text = |zh: &str, en: &str| JsObject::new().set("zh", zh).set("en", en).build();
    JsObject::new()
        .set("id", p.id)
        .set("name", text(p.name.zh, p.name.en))
        .set("description", text(p.description.zh, p.description.en))
        .set("scenario", options::write(&p.scenario))
        .build()
}

/// The default scenario: 10,000 merchants, 90 days, the platform's default
/// settings and a typical focus merchant. Every field is documented as a
/// modelling assumption or a seed figure in the README's model page.
#[wasm_bindgen(js_name = defaultScenario, unchecked_return_type = "Scenario")]
pub fn default_scenario() -> JsValue {
    options::write(&Scenario::default())
}

/// The seed presets: `default`, `womens-wear` (cold start to millions a
/// month), `quick-brand` (叶歆's quick brand YeXin: follow-page value) and
/// `trusted-brand` (莱润 Lairun: 40%/76% repurchase), each a full scenario.
#[wasm_bindgen(js_name = presets, unchecked_return_type = "Preset[]")]
pub fn presets() -> JsValue {
    sim::presets().iter().map(preset).collect::<Array>().into()
}
