//! JS bindings for [`crate::sim::backend`]: the focus merchant's settings
//! from the numbers its shop backend shows (`merchantFromBackend`,
//! `MarketModel.merchantFromBackend`) and the numbers a merchant's settings
//! show (`MarketModel.backendNumbers`).

use wasm_bindgen::prelude::*;

use super::market::MarketModel;
use super::scenario;
use crate::bindings::js::JsResult;
use crate::bindings::options::{self, js_options};
use crate::bindings::write::{objects, JsObject};
use crate::sim::{BackendFit, BackendNumbers, Market};

js_options! {
    /// Numbers a merchant reads off its shop backend (生意参谋, 抖店罗盘 …), each optional.
    record "BackendNumbers" for BackendNumbers {
        "dailyExposure" => daily_exposure: opt_number, "Discovery-page exposures a day, short videos and the live room, paid ones included (a backend's last 7 days), 0–1e13: sets `adSpend` (the exposure beyond what the market gives the merchant without ads is bought).";
        "ctr" => ctr: opt_number, "Click-through rate of a typical short video, clicks per exposure, 0–1: sets `contentQuality` (`funnel.ctrMin`–`ctrMax`).";
        "orderRate" => order_rate: opt_number, "Conversion: orders per short-video click, 0–1: sets `trust` at the merchant's price.";
        "followers" => followers: opt_number, "Followers now, 0–1e10: sets `followers`.";
        "averageOrderValue" => average_order_value: opt_number, "Average order value, yuan, 0.01–1,000,000: sets `price`.";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A merchant setting a backend number set. */
export interface BackendSetting {
  /** The number. */
  number: "dailyExposure" | "ctr" | "orderRate" | "followers" | "averageOrderValue";
  /** The setting it set. */
  setting: "adSpend" | "contentQuality" | "trust" | "followers" | "price";
  /** The setting's new value. */
  value: number;
}

/** A backend number no value of its setting shows in the model: the setting is left at the end of its range. */
export interface BackendUnmatched {
  /** The number. */
  number: "dailyExposure" | "ctr" | "orderRate";
  /** Whether it is above what the setting's top shows or below what its bottom shows. */
  side: "above" | "below";
  /** The backend's value. */
  target: number;
  /** The closest the model shows. */
  closest: number;
  /** Why, in words (English). */
  reason: string;
}

/** The focus merchant's settings from its backend numbers. */
export interface BackendFit {
  /** The merchant with the settings the numbers set; the others as given. */
  merchant: MerchantSettings;
  /** Which setting each number given set, in the order of `BackendNumbers`' fields. */
  set: BackendSetting[];
  /** The numbers no value of their setting shows (empty when all are matched). */
  unmatched: BackendUnmatched[];
  /** The five numbers `merchant` shows in the model (all present). */
  achieved: BackendNumbers;
}
"#;

fn fit(f: &BackendFit) -> JsValue {
    let set = objects(&f.set, |o, k| {
        o.set("number", k.number)
            .set("setting", k.setting)
            .set("value", k.value)
    });
    let unmatched = objects(&f.unmatched, |o, u| {
        o.set("number", u.number)
            .set("side", u.side)
            .set("target", u.target)
            .set("closest", u.closest)
            .set("reason", u.reason.as_str())
    });
    JsObject::new()
        .set("merchant", options::write(&f.merchant))
        .set("set", set)
        .set("unmatched", unmatched)
        .set("achieved", options::write(&f.achieved))
        .build()
}

/// Reads and checks the backend numbers (`numbers`).
fn read_numbers(value: &JsValue) -> JsResult<BackendNumbers> {
    let mut n = BackendNumbers::default();
    options::read_into("numbers", value, &mut n)?;
    n.validate()?;
    Ok(n)
}

/// The focus merchant's settings from the numbers its shop backend shows,
/// by inverting the funnel: `averageOrderValue` sets `price`, `followers`
/// `followers`, `ctr` `contentQuality`, `orderRate` `trust` (at that price),
/// and `dailyExposure` `adSpend` (against a run of `scenario`, any part of
/// it merged over `defaultScenario()`; its merchant is the starting point,
/// e.g. with its fitted `repurchase`). Says which setting each number set,
/// and which numbers no setting shows. Runs the market once; with a
/// `MarketModel` at hand, its `merchantFromBackend` skips that.
#[wasm_bindgen(js_name = merchantFromBackend, unchecked_return_type = "BackendFit")]
pub fn merchant_from_backend(
    #[wasm_bindgen(unchecked_param_type = "BackendNumbers")] numbers: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ScenarioInput")] scenario: Option<JsValue>,
) -> JsResult<JsValue> {
    let n = read_numbers(&numbers)?;
    let s = scenario::read("scenario", &scenario.unwrap_or(JsValue::UNDEFINED))?;
    let market = Market::run(&s)?;
    Ok(fit(&market.merchant_from_backend(&s.merchant, &n)?))
}

#[wasm_bindgen(js_class = MarketModel)]
impl MarketModel {
    /// The focus merchant's settings from its backend numbers against this
    /// market (see `merchantFromBackend`), starting from `merchant` (any part
    /// of it, merged over the scenario's merchant).
    #[wasm_bindgen(js_name = merchantFromBackend, unchecked_return_type = "BackendFit")]
    pub fn merchant_from_backend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BackendNumbers")] numbers: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<MerchantSettings>")]
        merchant: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let n = read_numbers(&numbers)?;
        let m = self.merchant(&merchant.unwrap_or(JsValue::UNDEFINED))?;
        Ok(fit(&self.market.merchant_from_backend(&m, &n)?))
    }

    /// The numbers a backend shows for `merchant` (any part of it, merged
    /// over the scenario's merchant) in this market: its mean daily
    /// discovery exposure over the replay's first 7 days (paid included), its
    /// click-through, orders per click, followers and order value. The
    /// inverse of `merchantFromBackend`.
    #[wasm_bindgen(js_name = backendNumbers, unchecked_return_type = "BackendNumbers")]
    pub fn backend_numbers(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<MerchantSettings>")]
        merchant: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let m = self.merchant(&merchant.unwrap_or(JsValue::UNDEFINED))?;
        Ok(options::write(&self.market.backend_numbers(&m)?))
    }
}
