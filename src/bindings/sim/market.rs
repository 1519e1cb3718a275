//! JS bindings for [`crate::sim::market`]: `simulate`, `sweep` and the
//! `MarketModel` class (a simulated market that answers focus-merchant
//! what-ifs without re-running the market), and their results.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::scenario;
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::bindings::write::JsObject;
use crate::sim::{self, Market, MerchantTrajectory, SimulationResult, SweepGrid};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** The focus merchant's results; arrays are per day. */
export interface MerchantTrajectory {
  /** Discovery-page (公域) exposure per day: allocated and paid, short videos and the live room. */
  publicExposure: Float64Array;
  /** Follow-page (私域) exposure per day: free, outside the cap, short videos and the live room. */
  privateExposure: Float64Array;
  /** Followers at the end of each day. */
  followers: Float64Array;
  /** First purchases per day, from the discovery and follow pages. */
  firstPurchases: Float64Array;
  /** Repurchases per day. */
  repurchases: Float64Array;
  /** Repurchases by the customers given in `merchant.customers` (part of `repurchases`; all 0 without them): their expected repeat purchases by the fitted model, day by day. */
  existingRepurchases: Float64Array;
  /** GMV per day, yuan. */
  gmv: Float64Array;
  /** GMV of orders by followers (fans' first orders and following customers' repurchases); over `gmv`, the day's fan purchase rate (粉丝购买率). */
  privateGmv: Float64Array;
  /** Plays since posting of the merchant's most-played short video in the pool. */
  topItemPlays: Float64Array;
  /** 1 on days the merchant held a live session. */
  liveByDay: Float64Array;
  /** Discovery exposure of the live room (part of `publicExposure`). */
  liveExposure: Float64Array;
  /** Follow-page exposure of the live room (part of `privateExposure`). */
  livePrivateExposure: Float64Array;
  /** GMV in the live room (part of `gmv`). */
  liveGmv: Float64Array;
  /** GMV in the live room from followers (part of `liveGmv` and `privateGmv`). */
  livePrivateGmv: Float64Array;
  /** Cold-start pool exposure per day (before the cap). */
  coldStartExposure: Float64Array;
  /** 1 on days the merchant was at the head cap. */
  cappedByDay: Float64Array;
  /** The 30-day repurchase rate as a shop backend reports it (30天复购率): of the first-time buyers whose first order was at least 30 days before the end, the share who ordered again within 30 days. */
  repurchaseRate30: number;
  /** The same within 90 days. */
  repurchaseRate90: number;
  /** Not the backend's rate: the chance that a new customer buys again within 30 days under the last day's conditions (no live sessions or events). */
  repurchaseChance30: number;
  /** The same within 90 days. */
  repurchaseChance90: number;
  /** Share of merchants with less public exposure over the run, 0–1. */
  exposurePercentile: number;
  /** At the head cap on the last day. */
  capped: boolean;
  /** Days at the head cap. */
  cappedDays: number;
}

/** Population metrics per day. */
export interface PopulationMetrics {
  /** Gini of creators' public exposure that day. */
  gini: Float64Array;
  /** Share of the day's public exposure going to the top 10% of creators. */
  top10Share: Float64Array;
  /** Share going to the bottom 50% of creators. */
  bottom50Share: Float64Array;
  /** Share of plays going to merchants outside the top 1% by followers. */
  longTailPlayShare: Float64Array;
  /** Public exposure allocated (equals the budget). */
  allocated: Float64Array;
  /** Creators at the head cap that day. */
  cappedCreators: Float64Array;
  /** Most public exposure a creator may get that day (Infinity when the cap does not bind). */
  capLevel: Float64Array;
}

/** A simulation's results. */
export interface SimulationResult {
  /** The seed the run used (the one given, or the one drawn when none was given): passing it again gives the same run. */
  seed: number;
  /** Days simulated. */
  days: number;
  /** The focus merchant's results. */
  merchant: MerchantTrajectory;
  /** The platform's metrics per day. */
  population: PopulationMetrics;
  /** Lorenz curve of merchants' public exposure over the run (101 points). */
  lorenz: LorenzCurve;
}

/** Whole-run totals over content quality (rows) × follow rate (columns), row-major. */
export interface SweepResult {
  /** Rows (content-quality values) and columns (follow-rate values). */
  shape: [number, number];
  /** Content-quality values of the rows. */
  contentQuality: Float64Array;
  /** Follow-rate values of the columns. */
  followRate: Float64Array;
  /** Total discovery-page exposure per cell. */
  publicExposure: Float64Array;
  /** Total follow-page exposure per cell. */
  privateExposure: Float64Array;
  /** Followers at the end, per cell. */
  followers: Float64Array;
  /** Total GMV per cell, yuan. */
  gmv: Float64Array;
}
"#;

fn trajectory(t: &MerchantTrajectory) -> JsValue {
    JsObject::new()
        .f64s("publicExposure", &t.public_exposure)
        .f64s("privateExposure", &t.private_exposure)
        .f64s("followers", &t.followers)
        .f64s("firstPurchases", &t.first_purchases)
        .f64s("repurchases", &t.repurchases)
        .f64s("existingRepurchases", &t.existing_repurchases)
        .f64s("gmv", &t.gmv)
        .f64s("privateGmv", &t.private_gmv)
        .f64s("topItemPlays", &t.top_item_plays)
        .f64s("liveByDay", &t.live_by_day)
        .f64s("liveExposure", &t.live_exposure)
        .f64s("livePrivateExposure", &t.live_private_exposure)
        .f64s("liveGmv", &t.live_gmv)
        .f64s("livePrivateGmv", &t.live_private_gmv)
        .f64s("coldStartExposure", &t.cold_start_exposure)
        .f64s("cappedByDay", &t.capped_by_day)
        .set("repurchaseRate30", t.repurchase_rate_30)
        .set("repurchaseRate90", t.repurchase_rate_90)
        .set("repurchaseChance30", t.repurchase_chance_30)
        .set("repurchaseChance90", t.repurchase_chance_90)
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

/// The axes of a sweep.
#[derive(Default)]
struct Axes {
    content_quality: Vec<f64>,
    follow_rate: Vec<f64>,
}

js_options! {
    /// The two sweep axes, each 1–100 values in [0, 1].
    options "SweepAxes" for Axes {
        "contentQuality" => content_quality: req_column, "Content qualities (the rows).";
        "followRate" => follow_rate: req_column, "Follow rates (the columns).";
    }
}

/// Reads sweep axes (`axes.contentQuality`, `axes.followRate`: 1–100 values each).
fn read_axes(value: &JsValue) -> JsResult<(Vec<f64>, Vec<f64>)> {
    let mut a = Axes::default();
    options::read_into("axes", value, &mut a)?;
    crate::validate::max_len("axes.contentQuality", a.content_quality.len(), 100)?;
    crate::validate::max_len("axes.followRate", a.follow_rate.len(), 100)?;
    Ok((a.content_quality, a.follow_rate))
}

/// Runs the day-by-day simulation of `scenario` (any part of it, merged over
/// `defaultScenario()`), returning the focus merchant's days, its
/// repurchase rates and percentile, and the population's metrics per day.
#[wasm_bindgen(js_name = simulate, unchecked_return_type = "SimulationResult")]
pub fn simulate(
    #[wasm_bindgen(unchecked_optional_param_type = "ScenarioInput")] scenario: Option<JsValue>,
) -> JsResult<JsValue> {
    let s = scenario::read("scenario", &scenario.unwrap_or(JsValue::UNDEFINED))?;
    Ok(result(&sim::simulate(&s)?))
}

/// Whole-run totals of the focus merchant over a content-quality ×
/// follow-rate grid (row-major Float64Arrays for heatmaps). Runs the market
/// once, then replays the merchant for each cell (see `MarketModel`).
#[wasm_bindgen(js_name = sweep, unchecked_return_type = "SweepResult")]
pub fn sweep(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput | undefined")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SweepAxes")] axes: JsValue,
) -> JsResult<JsValue> {
    let s = scenario::read("scenario", &scenario)?;
    let (q, f) = read_axes(&axes)?;
    let market = Market::run(&s)?;
    Ok(grid(&market.sweep(&s.merchant, &q, &f)?))
}

/// A simulated market (one full run of a scenario) that answers what-ifs for
/// the focus merchant in about a millisecond: one merchant barely moves a
/// market of thousands, so the market's day-by-day state is kept and the
/// merchant alone is replayed against it. Free it with `free()` (or `using`).
#[wasm_bindgen(js_name = MarketModel)]
pub struct MarketModel {
    pub(super) market: Market,
}

#[wasm_bindgen(js_class = MarketModel)]
impl MarketModel {
    /// Runs the market for `scenario` (any part of it, merged over the defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ScenarioInput")] scenario: Option<JsValue>,
    ) -> JsResult<MarketModel> {
        let s = scenario::read("scenario", &scenario.unwrap_or(JsValue::UNDEFINED))?;
        Ok(MarketModel {
            market: Market::run(&s)?,
        })
    }

    /// The full run's results (the focus merchant as simulated in the market).
    #[wasm_bindgen(unchecked_return_type = "SimulationResult")]
    pub fn result(&self) -> JsValue {
        result(self.market.result())
    }

    /// The scenario the market ran (defaults filled in, seed included).
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(&self) -> JsValue {
        options::write(self.market.scenario())
    }

    /// Replays the focus merchant with `merchant` (any part of it, merged over
    /// the scenario's merchant) against this market.
    #[wasm_bindgen(js_name = runMerchant, unchecked_return_type = "MerchantTrajectory")]
    pub fn run_merchant(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<MerchantSettings>")] merchant: JsValue,
    ) -> JsResult<JsValue> {
        let m = self.merchant(&merchant)?;
        Ok(trajectory(&self.market.run_merchant(&m)?))
    }

    /// Whether running this scenario with `platform.giniMax` set to
    /// `giniMax` (everything else the same) would give this very run, bit for
    /// bit, so a caller can keep this market instead of building another:
    /// true for its own `giniMax`, and when the cap bound on no day and
    /// `giniMax` is at least every day's Gini (core:
    /// `Market::same_run_with_gini_max`).
    #[wasm_bindgen(js_name = sameRunWithGiniMax)]
    pub fn same_run_with_gini_max(
        &self,
        #[wasm_bindgen(js_name = giniMax)] gini_max: JsValue,
    ) -> JsResult<bool> {
        let g = read::number(At::arg("giniMax"), &gini_max)?;
        crate::validate::in_half_open("giniMax", g, 0.0, 1.0)?;
        Ok(self.market.same_run_with_gini_max(g))
    }

    /// Whole-run totals over a content-quality × follow-rate grid, other
    /// settings from `merchant` (default: the scenario's merchant).
    #[wasm_bindgen(unchecked_return_type = "SweepResult")]
    pub fn sweep(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SweepAxes")] axes: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<MerchantSettings>")]
        merchant: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let (q, f) = read_axes(&axes)?;
        let m = self.merchant(&merchant.unwrap_or(JsValue::UNDEFINED))?;
        Ok(grid(&self.market.sweep(&m, &q, &f)?))
    }
}

impl MarketModel {
    /// A partial merchant (`merchant`) merged over the scenario's merchant.
    pub(super) fn merchant(&self, value: &JsValue) -> JsResult<crate::sim::MerchantSettings> {
        let base = self.market.scenario().merchant.clone();
        scenario::read_merchant("merchant", value, base)
    }
}
