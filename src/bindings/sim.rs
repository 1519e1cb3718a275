//! JS bindings for [`crate::sim`]: `defaultScenario`, `presets`, `simulate`,
//! `sweep` and the `MarketModel` class (a simulated market that answers
//! focus-merchant what-ifs without re-running the market).

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::convert::{self, Fields, IntoJs, JsObject};
use crate::funnel::FunnelParams;
use crate::sim::{
    self, Events, Market, MerchantSettings, MerchantTrajectory, PlatformSettings,
    PopulationSettings, Scenario, SimulationResult, SweepGrid,
};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** The focus merchant: what the explorer's sliders set. */
export interface MerchantSettings {
  /** Content quality, 0–1 (drives click-through and learned engagement). */
  contentQuality: number;
  /** Share of clickers who follow, 0–1. */
  followRate: number;
  /** Order value, yuan. */
  price: number;
  /** Trust, 0–1 (reviews, after-sales; drives conversion and repurchase). */
  trust: number;
  /** Diligence, 0–1 (posting and live days: more items, more follow-page presence). */
  diligence: number;
  /** Followers on day 0. */
  followers: number;
  /** Ad spend, yuan per day (paid discovery exposure outside the cap). */
  adSpend: number;
  /** Age on day 0 in days; below `platform.newMerchantDays` it gets cold-start traffic. */
  ageDays: number;
}

/** How the other merchants are drawn (all modelling assumptions). */
export interface PopulationSettings {
  merchants: number; newShare: number; qualityMean: number; qualityConcentration: number;
  followersMedian: number; followersSigma: number; priceMedian: number; priceSigma: number;
  trustMean: number; followRateMean: number; adSpendMean: number;
}

/** The platform's allocation settings. */
export interface PlatformSettings {
  /** Discovery-page exposures per day for the whole population. */
  budget: number;
  /** Gini cap on creators' public exposure, in [0, 1). */
  giniMax: number;
  /** How the cap is enforced. */
  giniMode: "cap" | "floor" | "blend";
  /** Weight of `cap` in `blend` mode, 0–1. */
  blend: number;
  /** Share of the budget reserved for new merchants, 0–1. */
  coldStartShare: number;
  itemFloor: number; newMerchantDays: number; itemLifetimeDays: number; adCpm: number; trustWeight: number;
}

/** Funnel and repurchase rates (all modelling assumptions; see the README's model page). */
export interface FunnelParams {
  ctrMin: number; ctrMax: number; itemSaturation: number; orderRate: number; referencePrice: number;
  priceElasticity: number; trustWeight: number; visitRateMin: number; visitRateMax: number;
  fanOrderRate: number; repurchaseHazard: number; rateShape: number; dropoutMax: number; dropoutMin: number;
  followLift: number; buyerFollowMultiplier: number; valueExponent: number;
}

/** Marketing events of the focus merchant (0-based days). */
export interface ScenarioEvents { bigDays: number[]; bigDayMultiplier: number; campaignDays: number[]; campaignBoost: number; }

/** A complete scenario. */
export interface Scenario {
  /** Seed (uint32); without one a seed is drawn and reported in the result. */
  seed?: number;
  days: number;
  population: PopulationSettings;
  platform: PlatformSettings;
  funnel: FunnelParams;
  merchant: MerchantSettings;
  events: ScenarioEvents;
}

/** Any part of a scenario; the rest comes from `defaultScenario()`. */
export interface ScenarioInput {
  seed?: number;
  days?: number;
  population?: Partial<PopulationSettings>;
  platform?: Partial<PlatformSettings>;
  funnel?: Partial<FunnelParams>;
  merchant?: Partial<MerchantSettings>;
  events?: Partial<ScenarioEvents>;
}

/** A text in Chinese and English. */
export interface Bilingual { zh: string; en: string }

/** A seed preset (DOMAIN.md §3). */
export interface Preset { id: "default" | "womens-wear" | "quick-brand" | "trusted-brand"; name: Bilingual; description: Bilingual; scenario: Scenario }

/** The focus merchant's results; arrays are per day. */
export interface MerchantTrajectory {
  publicExposure: Float64Array;
  privateExposure: Float64Array;
  followers: Float64Array;
  firstPurchases: Float64Array;
  repurchases: Float64Array;
  gmv: Float64Array;
  /** Follow-page GMV: fans' first orders plus the repurchases the follow page adds. */
  privateGmv: Float64Array;
  /** Plays since posting of the merchant's most-played live item. */
  topItemPlays: Float64Array;
  coldStartExposure: Float64Array;
  /** 1 on days the merchant was at the head cap. */
  cappedByDay: Float64Array;
  repurchaseRate30: number;
  repurchaseRate90: number;
  /** Share of merchants with less public exposure over the run, 0–1. */
  exposurePercentile: number;
  /** At the head cap on the last day. */
  capped: boolean;
  cappedDays: number;
}

/** Population metrics per day. */
export interface PopulationMetrics {
  gini: Float64Array;
  top10Share: Float64Array;
  bottom50Share: Float64Array;
  /** Share of plays going to merchants outside the top 1% by followers. */
  longTailPlayShare: Float64Array;
  /** Public exposure allocated (equals the budget). */
  allocated: Float64Array;
  cappedCreators: Float64Array;
  /** Most public exposure a creator may get that day (Infinity when the cap does not bind). */
  capLevel: Float64Array;
}

/** A simulation's results. */
export interface SimulationResult {
  seed: number;
  days: number;
  merchant: MerchantTrajectory;
  population: PopulationMetrics;
  /** Lorenz curve of merchants' public exposure over the run (101 points). */
  lorenz: LorenzCurve;
}

/** The two sweep axes, each 1–100 values in [0, 1]. */
export interface SweepAxes { contentQuality: number[] | Float64Array; followRate: number[] | Float64Array }

/** Whole-run totals over content quality (rows) × follow rate (columns), row-major. */
export interface SweepResult {
  shape: [number, number];
  contentQuality: Float64Array;
  followRate: Float64Array;
  publicExposure: Float64Array;
  privateExposure: Float64Array;
  followers: Float64Array;
  gmv: Float64Array;
}
"#;

const SCENARIO_FIELDS: [&str; 7] = [
    "seed",
    "days",
    "population",
    "platform",
    "funnel",
    "merchant",
    "events",
];
const POPULATION_FIELDS: [&str; 11] = [
    "merchants",
    "newShare",
    "qualityMean",
    "qualityConcentration",
    "followersMedian",
    "followersSigma",
    "priceMedian",
    "priceSigma",
    "trustMean",
    "followRateMean",
    "adSpendMean",
];
const PLATFORM_FIELDS: [&str; 10] = [
    "budget",
    "giniMax",
    "giniMode",
    "blend",
    "coldStartShare",
    "itemFloor",
    "newMerchantDays",
    "itemLifetimeDays",
    "adCpm",
    "trustWeight",
];
const FUNNEL_FIELDS: [&str; 17] = [
    "ctrMin",
    "ctrMax",
    "itemSaturation",
    "orderRate",
    "referencePrice",
    "priceElasticity",
    "trustWeight",
    "visitRateMin",
    "visitRateMax",
    "fanOrderRate",
    "repurchaseHazard",
    "rateShape",
    "dropoutMax",
    "dropoutMin",
    "followLift",
    "buyerFollowMultiplier",
    "valueExponent",
];
const MERCHANT_FIELDS: [&str; 8] = [
    "contentQuality",
    "followRate",
    "price",
    "trust",
    "diligence",
    "followers",
    "adSpend",
    "ageDays",
];
const EVENTS_FIELDS: [&str; 4] = [
    "bigDays",
    "bigDayMultiplier",
    "campaignDays",
    "campaignBoost",
];

/// The population's numbers after `merchants`, in field order.
fn population_values(p: &PopulationSettings) -> [f64; 10] {
    [
        p.new_share,
        p.quality_mean,
        p.quality_concentration,
        p.followers_median,
        p.followers_sigma,
        p.price_median,
        p.price_sigma,
        p.trust_mean,
        p.follow_rate_mean,
        p.ad_spend_mean,
    ]
}

fn funnel_values(f: &FunnelParams) -> [f64; 17] {
    [
        f.ctr_min,
        f.ctr_max,
        f.item_saturation,
        f.order_rate,
        f.reference_price,
        f.price_elasticity,
        f.trust_weight,
        f.visit_rate_min,
        f.visit_rate_max,
        f.fan_order_rate,
        f.repurchase_hazard,
        f.rate_shape,
        f.dropout_max,
        f.dropout_min,
        f.follow_lift,
        f.buyer_follow_multiplier,
        f.value_exponent,
    ]
}

fn merchant_values(m: &MerchantSettings) -> [f64; 8] {
    [
        m.content_quality,
        m.follow_rate,
        m.price,
        m.trust,
        m.diligence,
        m.followers,
        m.ad_spend,
        m.age_days,
    ]
}

fn read_population(r: &Fields) -> Result<PopulationSettings, JsError> {
    let d = PopulationSettings::default();
    let merchants = r.u32_or("merchants", d.merchants)?;
    let mut v = population_values(&d);
    r.f64s_into(&POPULATION_FIELDS[1..], &mut v)?;
    Ok(PopulationSettings {
        merchants,
        new_share: v[0],
        quality_mean: v[1],
        quality_concentration: v[2],
        followers_median: v[3],
        followers_sigma: v[4],
        price_median: v[5],
        price_sigma: v[6],
        trust_mean: v[7],
        follow_rate_mean: v[8],
        ad_spend_mean: v[9],
        ..d
    })
}

fn read_platform(r: &Fields) -> Result<PlatformSettings, JsError> {
    let d = PlatformSettings::default();
    Ok(PlatformSettings {
        budget: r.f64_or("budget", d.budget)?,
        gini_max: r.f64_or("giniMax", d.gini_max)?,
        gini_mode: r.string_or("giniMode", d.gini_mode)?,
        blend: r.f64_or("blend", d.blend)?,
        cold_start_share: r.f64_or("coldStartShare", d.cold_start_share)?,
        item_floor: r.f64_or("itemFloor", d.item_floor)?,
        new_merchant_days: r.u32_or("newMerchantDays", d.new_merchant_days)?,
        item_lifetime_days: r.u32_or("itemLifetimeDays", d.item_lifetime_days)?,
        ad_cpm: r.f64_or("adCpm", d.ad_cpm)?,
        trust_weight: r.f64_or("trustWeight", d.trust_weight)?,
    })
}

fn read_funnel(r: &Fields) -> Result<FunnelParams, JsError> {
    let mut v = funnel_values(&FunnelParams::default());
    r.f64s_into(&FUNNEL_FIELDS, &mut v)?;
    Ok(FunnelParams {
        ctr_min: v[0],
        ctr_max: v[1],
        item_saturation: v[2],
        order_rate: v[3],
        reference_price: v[4],
        price_elasticity: v[5],
        trust_weight: v[6],
        visit_rate_min: v[7],
        visit_rate_max: v[8],
        fan_order_rate: v[9],
        repurchase_hazard: v[10],
        rate_shape: v[11],
        dropout_max: v[12],
        dropout_min: v[13],
        follow_lift: v[14],
        buyer_follow_multiplier: v[15],
        value_exponent: v[16],
        ..FunnelParams::default()
    })
}

/// A merchant's fields over `base`.
fn read_merchant(r: &Fields, base: &MerchantSettings) -> Result<MerchantSettings, JsError> {
    let mut v = merchant_values(base);
    r.f64s_into(&MERCHANT_FIELDS, &mut v)?;
    Ok(MerchantSettings {
        content_quality: v[0],
        follow_rate: v[1],
        price: v[2],
        trust: v[3],
        diligence: v[4],
        followers: v[5],
        ad_spend: v[6],
        age_days: v[7],
        ..base.clone()
    })
}

fn read_events(r: &Fields) -> Result<Events, JsError> {
    let d = Events::default();
    Ok(Events {
        big_days: r.u32s_or("bigDays", d.big_days)?,
        big_day_multiplier: r.f64_or("bigDayMultiplier", d.big_day_multiplier)?,
        campaign_days: r.u32s_or("campaignDays", d.campaign_days)?,
        campaign_boost: r.f64_or("campaignBoost", d.campaign_boost)?,
    })
}

/// Reads a partial object over the defaults, rejecting unknown fields at
/// every level of the scenario: the top level's first, then the fields'
/// types in order, then the nested objects' keys.
fn read_scenario(name: &str, value: &JsValue) -> Result<Scenario, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Scenario::default());
    }
    convert::object_arg(name, value, &SCENARIO_FIELDS)?;
    let r = Fields::new(name, value);
    let d = Scenario::default();
    let seed = r.opt_u32_or("seed", d.seed)?;
    let days = r.u32_or("days", d.days)?;
    let population = r.nested_or(
        "population",
        "PopulationSettings",
        d.population,
        read_population,
    )?;
    let platform = r.nested_or("platform", "PlatformSettings", d.platform, read_platform)?;
    let funnel = r.nested_or("funnel", "FunnelParams", d.funnel, read_funnel)?;
    let merchant = r.nested_or("merchant", "MerchantSettings", d.merchant, |f| {
        read_merchant(f, &MerchantSettings::default())
    })?;
    let events = r.nested_or("events", "Events", d.events, read_events)?;
    for (field, fields) in [
        ("population", &POPULATION_FIELDS[..]),
        ("platform", &PLATFORM_FIELDS),
        ("funnel", &FUNNEL_FIELDS),
        ("merchant", &MERCHANT_FIELDS),
        ("events", &EVENTS_FIELDS),
    ] {
        let sub =
            js_sys::Reflect::get(value, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
        convert::check_fields(&format!("{name}.{field}"), &sub, fields)?;
    }
    Ok(Scenario {
        seed,
        days,
        population,
        platform,
        funnel,
        merchant,
        events,
    })
}

fn merchant_object(m: &MerchantSettings) -> JsObject {
    JsObject::new().numbers(&MERCHANT_FIELDS, &merchant_values(m))
}

fn trajectory(t: &MerchantTrajectory) -> JsValue {
    JsObject::new()
        .f64s("publicExposure", &t.public_exposure)
        .f64s("privateExposure", &t.private_exposure)
        .f64s("followers", &t.followers)
        .f64s("firstPurchases", &t.first_purchases)
        .f64s("repurchases", &t.repurchases)
        .f64s("gmv", &t.gmv)
        .f64s("privateGmv", &t.private_gmv)
        .f64s("topItemPlays", &t.top_item_plays)
        .f64s("coldStartExposure", &t.cold_start_exposure)
        .f64s("cappedByDay", &t.capped_by_day)
        .set("repurchaseRate30", t.repurchase_rate_30)
        .set("repurchaseRate90", t.repurchase_rate_90)
        .set("exposurePercentile", t.exposure_percentile)
        .set("capped", t.capped)
        .set("cappedDays", t.capped_days)
        .build()
}

fn result(r: &SimulationResult) -> JsValue {
    let p = &r.population;
    JsObject::new()
        .set("seed", r.seed)
        .set("days", r.days)
        .set("merchant", trajectory(&r.merchant))
        .set(
            "population",
            JsObject::new()
                .f64s("gini", &p.gini)
                .f64s("top10Share", &p.top10_share)
                .f64s("bottom50Share", &p.bottom50_share)
                .f64s("longTailPlayShare", &p.long_tail_play_share)
                .f64s("allocated", &p.allocated)
                .f64s("cappedCreators", &p.capped_creators)
                .f64s("capLevel", &p.cap_level)
                .build(),
        )
        .set(
            "lorenz",
            JsObject::new()
                .f64s("population", &r.lorenz.population)
                .f64s("share", &r.lorenz.share)
                .build(),
        )
        .build()
}

fn grid(g: &SweepGrid) -> JsValue {
    let flat = |a: &ndarray::Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    let shape = Array::of2(
        &JsValue::from(g.content_quality.len() as u32),
        &JsValue::from(g.follow_rate.len() as u32),
    );
    JsObject::new()
        .set("shape", shape)
        .f64s("contentQuality", &g.content_quality)
        .f64s("followRate", &g.follow_rate)
        .f64s("publicExposure", &flat(&g.public_exposure))
        .f64s("privateExposure", &flat(&g.private_exposure))
        .f64s("followers", &flat(&g.followers))
        .f64s("gmv", &flat(&g.gmv))
        .build()
}

/// Reads sweep axes (`axes.contentQuality`, `axes.followRate`: 1–100 values each).
fn read_axes(value: &JsValue) -> Result<(Vec<f64>, Vec<f64>), JsError> {
    let get =
        |f: &str| js_sys::Reflect::get(value, &JsValue::from_str(f)).unwrap_or(JsValue::UNDEFINED);
    if !value.is_object() {
        return Err(JsError::new(&format!(
            "axes must be an object, got {}",
            convert::describe(value)
        )));
    }
    convert::check_fields("axes", value, &["contentQuality", "followRate"])?;
    let q = convert::f64s("axes.contentQuality", &get("contentQuality"))?;
    let f = convert::f64s("axes.followRate", &get("followRate"))?;
    for (name, axis) in [("axes.contentQuality", &q), ("axes.followRate", &f)] {
        crate::validate::max_len(name, axis.len(), 100).js()?;
    }
    Ok((q, f))
}

/// The default scenario: 10,000 merchants, 90 days, the platform's default
/// settings and a typical focus merchant. Every field is documented as a
/// modelling assumption or a seed figure in the README's model page.
#[wasm_bindgen(js_name = defaultScenario, unchecked_return_type = "Scenario")]
pub fn default_scenario() -> Result<JsValue, JsError> {
    convert::to_js(&Scenario::default())
}

/// The seed presets: `default`, `womens-wear` (cold start to millions a
/// month), `quick-brand` (YeXin-like follow-page value) and `trusted-brand`
/// (Lairun-like 40%/76% repurchase), each a full scenario.
#[wasm_bindgen(js_name = presets, unchecked_return_type = "Preset[]")]
pub fn presets() -> Result<JsValue, JsError> {
    convert::to_js(&sim::presets())
}

/// Runs the day-by-day simulation of `scenario` (any part of it, merged over
/// `defaultScenario()`), returning the focus merchant's days, its
/// repurchase rates and percentile, and the population's metrics per day.
#[wasm_bindgen(js_name = simulate, unchecked_return_type = "SimulationResult")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput")] scenario: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let s = read_scenario("scenario", &scenario.unwrap_or(JsValue::UNDEFINED))?;
    Ok(result(&sim::simulate(&s).js()?))
}

/// Whole-run totals of the focus merchant over a content-quality ×
/// follow-rate grid (row-major Float64Arrays for heatmaps). Runs the market
/// once, then replays the merchant for each cell (see `MarketModel`).
#[wasm_bindgen(js_name = sweep, unchecked_return_type = "SweepResult")]
pub fn sweep(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput | undefined")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SweepAxes")] axes: JsValue,
) -> Result<JsValue, JsError> {
    let s = read_scenario("scenario", &scenario)?;
    let (q, f) = read_axes(&axes)?;
    let market = Market::run(&s).js()?;
    Ok(grid(&market.sweep(&s.merchant, &q, &f).js()?))
}

/// A simulated market (one full run of a scenario) that answers what-ifs for
/// the focus merchant in about a millisecond: one merchant barely moves a
/// market of thousands, so the market's day-by-day state is kept and the
/// merchant alone is replayed against it. Free it with `free()` (or `using`).
#[wasm_bindgen(js_name = MarketModel)]
pub struct MarketModel {
    market: Market,
}

#[wasm_bindgen(js_class = MarketModel)]
impl MarketModel {
    /// Runs the market for `scenario` (any part of it, merged over the defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ScenarioInput")] scenario: Option<JsValue>,
    ) -> Result<MarketModel, JsError> {
        let s = read_scenario("scenario", &scenario.unwrap_or(JsValue::UNDEFINED))?;
        Ok(MarketModel {
            market: Market::run(&s).js()?,
        })
    }

    /// The full run's results (the focus merchant as simulated in the market).
    #[wasm_bindgen(unchecked_return_type = "SimulationResult")]
    pub fn result(&self) -> JsValue {
        result(self.market.result())
    }

    /// The scenario the market ran (defaults filled in, seed included).
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(&self) -> Result<JsValue, JsError> {
        convert::to_js(self.market.scenario())
    }

    /// Replays the focus merchant with `merchant` (any part of it, merged over
    /// the scenario's merchant) against this market.
    #[wasm_bindgen(js_name = runMerchant, unchecked_return_type = "MerchantTrajectory")]
    pub fn run_merchant(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<MerchantSettings>")] merchant: JsValue,
    ) -> Result<JsValue, JsError> {
        let m = self.merchant("merchant", &merchant)?;
        Ok(trajectory(&self.market.run_merchant(&m).js()?))
    }

    /// Whole-run totals over a content-quality × follow-rate grid, other
    /// settings from `merchant` (default: the scenario's merchant).
    #[wasm_bindgen(unchecked_return_type = "SweepResult")]
    pub fn sweep(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SweepAxes")] axes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Partial<MerchantSettings>")] merchant: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsError> {
        let (q, f) = read_axes(&axes)?;
        let m = self.merchant("merchant", &merchant.unwrap_or(JsValue::UNDEFINED))?;
        Ok(grid(&self.market.sweep(&m, &q, &f).js()?))
    }
}

impl MarketModel {
    /// A partial merchant merged over the scenario's merchant.
    fn merchant(&self, name: &str, value: &JsValue) -> Result<MerchantSettings, JsError> {
        let base = self.market.scenario().merchant.clone();
        if value.is_undefined() || value.is_null() {
            return Ok(base);
        }
        convert::check_fields(name, value, &MERCHANT_FIELDS)?;
        // Own enumerable keys of `value` over the base, as `Object.assign` copies them.
        let merged = merchant_object(&base).build();
        let target: &js_sys::Object = merged.unchecked_ref();
        js_sys::Object::assign(target, value.unchecked_ref());
        read_merchant(&Fields::new(name, &merged), &base)
    }
}
