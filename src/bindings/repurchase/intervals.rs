//! JS bindings for [`crate::repurchase::intervals`]: a fitted
//! `RepurchaseModel`'s predictions with intervals from its parameters'
//! uncertainty — `merchantSummaryIntervals`, `expectedPurchasesIntervals`
//! and (Gamma-Gamma) `customerLifetimeValueIntervals` — with their option
//! tables.

use wasm_bindgen::prelude::*;

use super::{customers, RepurchaseModel};
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::bindings::write::JsObject;
use crate::repurchase::intervals::{self, CustomerIntervals, IntervalOptions};
use crate::repurchase::{ClvOptions, Fit, MerchantOptions};
use crate::Error;

js_options! {
    /// Options of every interval: drawn from the asymptotic normal of the fit's log-parameters.
    options "IntervalOptions" for IntervalOptions {
        "level" => level: opt_number, "Interval level in [0.5, 0.999] (default 0.9: from the 5% to the 95% quantile of the draws).";
        "draws" => draws: opt_uint(intervals::MIN_DRAWS, intervals::MAX_DRAWS), "Parameter draws, an integer in [20, 10000] (default 200), taken through a quadratic surrogate of each prediction (fitted from 15 prediction passes for four parameters).";
        "seed" => seed: opt_uint(0, u32::MAX), "Seed (uint32) of the draws (default 1): the same seed gives the same intervals.";
    }
}

/// Declares the options of a prediction with intervals — a struct of the
/// plain prediction's options and the intervals', and its table: every
/// field of the plain prediction's table plus the same three intervals' rows.
macro_rules! with_intervals {
    ($(#[doc = $doc:literal])* $ts:literal extends $base_ts:literal
        ($base:ident: $base_ty:ty) for $ty:ident) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $ty {
            $base: $base_ty,
            interval: IntervalOptions,
        }

        js_options! {
            $(#[doc = $doc])*
            options $ts extends $base_ts ($base: $base_ty) for $ty {
                "level" => interval.level: opt_number, "Interval level in [0.5, 0.999] (default 0.9).";
                "draws" => interval.draws: opt_uint(intervals::MIN_DRAWS, intervals::MAX_DRAWS), "Parameter draws, an integer in [20, 10000] (default 200).";
                "seed" => interval.seed: opt_uint(0, u32::MAX), "Seed (uint32) of the draws (default 1).";
            }
        }
    };
}

with_intervals! {
    /// Options for `RepurchaseModel.merchantSummaryIntervals`: every `MerchantSummaryOptions` field plus the intervals'.
    "MerchantSummaryIntervalsOptions" extends "MerchantSummaryOptions" (summary: MerchantOptions) for MerchantIntervalArgs
}

with_intervals! {
    /// Options for `RepurchaseModel.customerLifetimeValueIntervals`: every `ClvOptions` field plus the intervals'.
    "ClvIntervalsOptions" extends "ClvOptions" (clv: ClvOptions) for ClvIntervalArgs
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A figure with its interval: `value` is the prediction at the fitted parameters (what the plain method returns), `low`–`high` the range over the parameters' uncertainty at the chosen level — shown as "18% (16–20%)". */
export interface Interval {
  /** The prediction at the fitted parameters. */
  value: number;
  /** The lower end: the (1 − level)/2 quantile over the parameter draws. */
  low: number;
  /** The upper end: the (1 + level)/2 quantile over the parameter draws. */
  high: number;
}

/** `MerchantSummary` with an interval on every figure. */
export interface MerchantSummaryIntervals {
  /** Customers summarized. */
  customers: number;
  /** The intervals' level (e.g. 0.9). */
  level: number;
  /** Parameter draws the intervals rest on. */
  draws: number;
  /** Mean over customers of P(≥ 1 purchase in the next 30 days). */
  shareBuyingNext30: Interval;
  /** Mean over customers of P(≥ 1 purchase in the next 90 days). */
  shareBuyingNext90: Interval;
  /** Mean expected purchases per customer in the next 30 days. */
  expectedPurchases30: Interval;
  /** Mean expected purchases per customer in the next 90 days. */
  expectedPurchases90: Interval;
  /** Share of customers with P(alive) above the threshold. */
  shareAlive: Interval;
  /** Mean P(alive). */
  meanProbabilityAlive: Interval;
}

/** Per-customer predictions with intervals; the arrays are aligned with the customers. */
export interface CustomerIntervals {
  /** The intervals' level (e.g. 0.9). */
  level: number;
  /** Parameter draws the intervals rest on. */
  draws: number;
  /** The prediction at the fitted parameters (what the plain method returns). */
  value: Float64Array;
  /** Per customer, the lower end: the (1 − level)/2 quantile over the parameter draws. */
  low: Float64Array;
  /** Per customer, the upper end: the (1 + level)/2 quantile over the parameter draws. */
  high: Float64Array;
}
"#;

impl RepurchaseModel {
    /// The fit intervals draw from, or the error saying there is none.
    fn fit_for(&self, what: &str, arg: &str) -> JsResult<&Fit> {
        self.fit.as_ref().ok_or_else(|| {
            Error::invalid(format!(
                "{what} needs {arg} fitted by fitBgNbd, fitModifiedBgNbd, fitParetoNbd or fitGammaGamma (the parameters' uncertainty comes from the fit); a repurchaseModel(…) has none"
            ))
            .into()
        })
    }
}

fn customer_intervals(c: &CustomerIntervals) -> JsValue {
    JsObject::new()
        .set("level", c.level)
        .set("draws", c.draws)
        .f64s("value", &c.value)
        .f64s("low", &c.low)
        .f64s("high", &c.high)
        .build()
}

#[wasm_bindgen(js_class = RepurchaseModel)]
impl RepurchaseModel {
    /// `merchantSummary` with intervals from the fit's parameter
    /// uncertainty: `{ value, low, high }` per figure.
    #[wasm_bindgen(
        js_name = merchantSummaryIntervals,
        unchecked_return_type = "MerchantSummaryIntervals"
    )]
    pub fn merchant_summary_intervals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MerchantSummaryIntervalsOptions")]
        options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        let o = options::read_optional::<MerchantIntervalArgs>(options)?;
        let fit = self.fit_for("merchantSummaryIntervals", "a model")?;
        let s = intervals::merchant_summary_intervals(fit, &x, &tx, &tt, &o.summary, &o.interval)?;
        // Why serde-wasm-bindgen here: nested plain records of numbers, written
        // from the core's #[derive(Serialize)] (size: BENCHMARKS.md, the
        // repurchase half's Wasm).
        Ok(serde_wasm_bindgen::to_value(&s)
            .map_err(|e| Error::invalid(format!("merchantSummaryIntervals: {e}")))?)
    }

    /// `expectedPurchases` with intervals from the fit's parameter
    /// uncertainty: per customer `value`, `low`, `high`.
    #[wasm_bindgen(
        js_name = expectedPurchasesIntervals,
        unchecked_return_type = "CustomerIntervals"
    )]
    pub fn expected_purchases_intervals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] t: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] big_t: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "IntervalOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let t = read::number(At::arg("t"), &t)?;
        let (x, tx, tt) = customers(&frequency, &recency, &big_t)?;
        let o = options::read_optional::<IntervalOptions>(options)?;
        let fit = self.fit_for("expectedPurchasesIntervals", "a model")?;
        let c = intervals::expected_purchases_intervals(fit, t, &x, &tx, &tt, &o)?;
        Ok(customer_intervals(&c))
    }

    /// Gamma-Gamma: `customerLifetimeValue` with intervals from both fits'
    /// parameter uncertainty (this spend model's and `transactions`').
    #[wasm_bindgen(
        js_name = customerLifetimeValueIntervals,
        unchecked_return_type = "CustomerIntervals"
    )]
    #[allow(clippy::too_many_arguments)]
    pub fn customer_lifetime_value_intervals(
        &self,
        transactions: &RepurchaseModel,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClvIntervalsOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        let m = read::numbers(At::arg("monetary"), &monetary)?;
        let o = options::read_optional::<ClvIntervalArgs>(options)?;
        // The checks the plain CLV makes (model kinds, arguments) first.
        self.model.require_spend("customerLifetimeValueIntervals")?;
        transactions
            .model
            .require_transactions("customerLifetimeValueIntervals (transactions)")?;
        let spend = self.fit_for("customerLifetimeValueIntervals", "a spend model")?;
        let tr = transactions.fit_for("customerLifetimeValueIntervals", "transactions")?;
        let c = intervals::customer_lifetime_value_intervals(
            spend,
            tr,
            &x,
            &tx,
            &tt,
            &m,
            &o.clv,
            &o.interval,
        )?;
        Ok(customer_intervals(&c))
    }
}
