//! JS bindings for [`crate::repurchase`]: `summarizeOrders`, `fitBgNbd`,
//! `fitModifiedBgNbd`, `fitParetoNbd`, `fitGammaGamma`, `repurchaseModel`
//! and the `RepurchaseModel` class that fits return (predictions, merchant
//! summary, holdout check, spend and CLV).

use std::collections::HashMap;

use js_sys::{Array, JsString, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{self, describe, Fields, IntoJs, JsObject};
use crate::repurchase::{
    self, ClvOptions, Fit, FitOptions, HoldoutOptions, MerchantOptions, Model, ModelKind,
    SummaryOptions,
};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Options for `summarizeOrders`. Times are day numbers: days since any fixed epoch (fractions allowed); from epoch milliseconds use `ms / 86400000`. */
export interface SummarizeOrdersOptions {
  /** End of calibration, a day number (inclusive). */
  calibrationEnd: number;
  /** End of the holdout period, a day number (inclusive); omit for no holdout. */
  observationEnd?: number;
  /** Orders in the same period of this many days (counted from day 0) are one purchase (default 1). */
  periodDays?: number;
  /** Output time unit in days (default `periodDays`; 7 gives weeks like the CDNOW summary). */
  unitDays?: number;
}

/** Per-customer RFM summary (lifetimes' `summary_data_from_transaction_data` semantics). */
export interface OrderSummary {
  /** Customers with an order on or before `calibrationEnd`, in first-seen order (same type as the ids passed in). */
  customers: string[] | Uint32Array;
  /** Repeat purchases x: distinct purchase periods − 1. */
  frequency: Float64Array;
  /** t_x: last purchase period − first purchase period, in units. */
  recency: Float64Array;
  /** T: calibration end's period − first purchase period, in units. */
  T: Float64Array;
  /** Mean value of the repeat purchases (first period excluded); 0 when x = 0. */
  monetary: Float64Array;
  /** Distinct purchase periods in (calibrationEnd, observationEnd], when `observationEnd` is given. */
  holdoutFrequency?: Float64Array;
  /** Length of the holdout in units, when `observationEnd` is given. */
  holdoutDuration?: number;
}

/** Options for every fit. */
export interface FitOptions {
  /** Non-negative weight per row, e.g. counts of identical customers. */
  weights?: Numbers;
  /** Iteration cap, 1…10000 (default 200). */
  maxIterations?: number;
}

/** Model names accepted by `repurchaseModel`. */
export type RepurchaseModelName = "bgnbd" | "mbgnbd" | "paretonbd" | "gammagamma";

/** BG/NBD and MBG/NBD: purchase rate ~ Gamma(r, alpha) (alpha per time unit), dropout probability ~ Beta(a, b). */
export interface BgNbdParams { r: number; alpha: number; a: number; b: number; }
/** Pareto/NBD: purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta). */
export interface ParetoNbdParams { r: number; alpha: number; s: number; beta: number; }
/** Gamma-Gamma: transaction value ~ Gamma(p, nu), nu ~ Gamma(q, v). */
export interface GammaGammaParams { p: number; q: number; v: number; }
/** Parameters of any of the models. */
export type RepurchaseParams = BgNbdParams | ParetoNbdParams | GammaGammaParams;

/** Options for `RepurchaseModel.merchantSummary`. */
export interface MerchantSummaryOptions {
  /** Days per time unit of the data (default 1; 7 for weeks). */
  unitDays?: number;
  /** P(alive) above which a customer counts as likely alive (default 0.5). */
  aliveThreshold?: number;
}

/** Merchant-level repurchase outlook. */
export interface MerchantSummary {
  customers: number;
  /** Mean over customers of P(≥ 1 purchase in the next 30 days). */
  repurchaseRate30: number;
  /** Mean over customers of P(≥ 1 purchase in the next 90 days). */
  repurchaseRate90: number;
  /** Mean expected purchases per customer in the next 30 days. */
  expectedPurchases30: number;
  /** Mean expected purchases per customer in the next 90 days. */
  expectedPurchases90: number;
  /** Share of customers with P(alive) above the threshold. */
  shareAlive: number;
  /** Mean P(alive). */
  meanProbabilityAlive: number;
}

/** Options for `RepurchaseModel.holdoutCheck`. */
export interface HoldoutCheckOptions {
  /** Calibration frequency at which groups are capped (default 7: groups 0…6 and 7+). */
  maxFrequency?: number;
}

/** Predicted vs actual holdout purchases by calibration frequency (the calibration/holdout chart's data). */
export interface HoldoutCheck {
  /** Calibration frequency of each group (the last group is "this or more"). */
  frequency: Float64Array;
  /** Customers per group. */
  customers: Uint32Array;
  /** Mean predicted holdout purchases per group (NaN if empty). */
  predicted: Float64Array;
  /** Mean actual holdout purchases per group (NaN if empty). */
  actual: Float64Array;
  predictedTotal: number;
  actualTotal: number;
  /** Predicted holdout purchases per customer. */
  predictedPerCustomer: Float64Array;
}

/** Options for `RepurchaseModel.customerLifetimeValue` (lifetimes' monthly discounting). */
export interface ClvOptions {
  /** Months to sum over, 1…1200 (default 12). */
  months?: number;
  /** Discount rate per month (default 0.01). */
  monthlyDiscountRate?: number;
  /** Time units per month (default 30 for days; 4.345 for weeks). */
  unitsPerMonth?: number;
}
"#;

fn f64s(name: &str, v: &JsValue) -> Result<Vec<f64>, JsError> {
    convert::f64s(name, v)
}

/// Reads an optional options object whose keys must all be in `fields`
/// (`None` for `undefined`/`null`).
fn known_options<'a>(value: &'a JsValue, fields: &[&str]) -> Result<Option<Fields<'a>>, JsError> {
    reject_unknown_options(value, fields)?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    convert::require_object("options", value)?;
    Ok(Some(Fields::new("options", value)))
}

/// The unknown-field check of [`known_options`].
#[inline(never)]
fn reject_unknown_options(value: &JsValue, allowed: &[&str]) -> Result<(), JsError> {
    if let Some(k) = convert::unknown_key(value, allowed) {
        let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
        return Err(JsError::new(&format!(
            "options.{k}: unknown field `{k}`, expected one of {}",
            list.join(", ")
        )));
    }
    Ok(())
}

/// Reads fit options: `{ weights?: Numbers, maxIterations?: number }`,
/// unknown fields rejected.
fn fit_options(value: &JsValue) -> Result<FitOptions, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(FitOptions::default());
    }
    convert::require_object("options", value)?;
    if let Some(k) = convert::unknown_key(value, &["weights", "maxIterations"]) {
        return Err(JsError::new(&format!(
            "options.{k}: unknown field, expected `weights` or `maxIterations`"
        )));
    }
    let obj: &Object = value.unchecked_ref();
    let mut out = FitOptions::default();
    let w = Reflect::get(obj, &"weights".into()).unwrap_or(JsValue::UNDEFINED);
    if !w.is_undefined() && !w.is_null() {
        out.weights = Some(f64s("weights", &w)?);
    }
    let it = Reflect::get(obj, &"maxIterations".into()).unwrap_or(JsValue::UNDEFINED);
    if !it.is_undefined() && !it.is_null() {
        let n = convert::count(
            "options.maxIterations",
            it.as_f64().or(Some(f64::NAN)),
            200,
            1,
            10_000,
        )?;
        out.max_iterations = Some(n as u32);
    }
    Ok(out)
}

/// Reads a string or Uint32Array of customer ids into dense keys.
enum Ids {
    Strings(Vec<String>),
    Numbers,
}

fn read_customer_ids(value: &JsValue) -> Result<(Vec<u32>, Ids), JsError> {
    if let Some(a) = value.dyn_ref::<Uint32Array>() {
        if a.length() as usize > crate::validate::MAX_ELEMENTS {
            return Err(JsError::new(&format!(
                "customerIds has {} elements; at most {} are supported",
                a.length(),
                crate::validate::MAX_ELEMENTS
            )));
        }
        return Ok((a.to_vec(), Ids::Numbers));
    }
    if !Array::is_array(value) {
        return Err(JsError::new(&format!(
            "customerIds must be an array of strings or a Uint32Array, got {}",
            describe(value)
        )));
    }
    let arr: &Array = value.unchecked_ref();
    if arr.length() as usize > crate::validate::MAX_ELEMENTS {
        return Err(JsError::new(&format!(
            "customerIds has {} elements; at most {} are supported",
            arr.length(),
            crate::validate::MAX_ELEMENTS
        )));
    }
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut keys = Vec::with_capacity(arr.length() as usize);
    for (i, v) in arr.iter().enumerate() {
        let Some(s) = v.as_string() else {
            return Err(JsError::new(&format!(
                "customerIds[{i}] must be a string, got {}",
                describe(&v)
            )));
        };
        let next = names.len() as u32;
        let k = *index.entry(s.clone()).or_insert_with(|| {
            names.push(s);
            next
        });
        keys.push(k);
    }
    Ok((keys, Ids::Strings(names)))
}

/// Order log → per-customer RFM summary (repeat-purchase semantics of
/// lifetimes' `summary_data_from_transaction_data` /
/// `calibration_and_holdout_data`). `customerIds`: one id per order, strings
/// or a Uint32Array; `times`: day numbers (days since any epoch; epoch ms ÷
/// 86400000); `amounts`: order values (≥ 0), or null/undefined.
#[wasm_bindgen(js_name = summarizeOrders, unchecked_return_type = "OrderSummary")]
#[allow(non_snake_case)] // `customerIds` is the argument's name in the .d.ts
pub fn summarize_orders(
    #[wasm_bindgen(unchecked_param_type = "string[] | Uint32Array")] customerIds: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] times: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers | null | undefined")] amounts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SummarizeOrdersOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (keys, ids) = read_customer_ids(&customerIds)?;
    let times = f64s("times", &times)?;
    let amounts = if amounts.is_undefined() || amounts.is_null() {
        None
    } else {
        Some(f64s("amounts", &amounts)?)
    };
    const FIELDS: [&str; 4] = ["calibrationEnd", "observationEnd", "periodDays", "unitDays"];
    convert::object_arg("options", &options, &FIELDS)?;
    let r = Fields::new("options", &options);
    let calibration_end = r.f64_if_present("calibrationEnd")?;
    let observation_end = r.opt_f64("observationEnd")?;
    let period_days = r.opt_f64("periodDays")?;
    let unit_days = r.opt_f64("unitDays")?;
    let opts = SummaryOptions {
        calibration_end: calibration_end
            .ok_or_else(|| JsError::new("options: missing field `calibrationEnd`"))?,
        observation_end,
        period_days,
        unit_days,
    };
    let s = repurchase::summarize(&keys, &times, amounts.as_deref(), &opts).js()?;
    let customers: JsValue = match ids {
        Ids::Numbers => Uint32Array::from(&s.customers[..]).into(),
        Ids::Strings(names) => {
            let out = Array::new_with_length(s.customers.len() as u32);
            for (i, &k) in s.customers.iter().enumerate() {
                let name = names.get(k as usize).map(String::as_str).unwrap_or("");
                out.set(i as u32, JsString::from(name).into());
            }
            out.into()
        }
    };
    let mut o = JsObject::new()
        .set("customers", customers)
        .f64s("frequency", &s.frequency)
        .f64s("recency", &s.recency)
        .f64s("T", &s.t)
        .f64s("monetary", &s.monetary);
    if let Some(h) = &s.holdout_frequency {
        o = o.f64s("holdoutFrequency", h);
    }
    if let Some(d) = s.holdout_duration {
        o = o.set("holdoutDuration", d);
    }
    Ok(o.build())
}

/// A fitted (or given) repurchase model. Create one with `fitBgNbd`,
/// `fitModifiedBgNbd`, `fitParetoNbd`, `fitGammaGamma` or `repurchaseModel`;
/// call `free()` when done. Times are in the data's own unit (the unit the
/// model was fitted in).
#[wasm_bindgen(js_name = RepurchaseModel)]
pub struct RepurchaseModel {
    model: Model,
    fit: Option<Fit>,
}

fn params_object(kind: ModelKind, values: &[f64]) -> JsValue {
    let mut o = JsObject::new();
    for (name, v) in kind.param_names().iter().zip(values) {
        o = o.set(name, *v);
    }
    o.build()
}

/// `(frequency, recency, T)` read from JS.
type Customers = (Vec<f64>, Vec<f64>, Vec<f64>);

fn three(frequency: &JsValue, recency: &JsValue, t: &JsValue) -> Result<Customers, JsError> {
    Ok((
        f64s("frequency", frequency)?,
        f64s("recency", recency)?,
        f64s("T", t)?,
    ))
}

fn finite_arg(name: &str, t: f64) -> Result<f64, JsError> {
    crate::repurchase::data::check_horizon(name, t).js()?;
    Ok(t)
}

#[wasm_bindgen(js_class = RepurchaseModel)]
impl RepurchaseModel {
    /// The model: `"bgnbd"`, `"mbgnbd"`, `"paretonbd"` or `"gammagamma"`.
    #[wasm_bindgen(getter, unchecked_return_type = "RepurchaseModelName")]
    pub fn model(&self) -> String {
        self.model.kind().name().to_string()
    }

    /// Parameter values by name (`{ r, alpha, a, b }`, `{ r, alpha, s, beta }` or `{ p, q, v }`).
    #[wasm_bindgen(getter, unchecked_return_type = "RepurchaseParams")]
    pub fn params(&self) -> JsValue {
        params_object(self.model.kind(), &self.model.params())
    }

    /// Total log-likelihood of the fitted data in its own time unit
    /// (Fader–Hardie convention); undefined for a model built from parameters.
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    /// Standard errors by parameter name (inverse observed information; NaN
    /// when unavailable, e.g. at a boundary); undefined for a given model.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "RepurchaseParams | undefined")]
    pub fn standard_errors(&self) -> JsValue {
        match &self.fit {
            Some(f) => params_object(self.model.kind(), &f.standard_errors),
            None => JsValue::UNDEFINED,
        }
    }

    /// Newton iterations of the fit (0 for a given model).
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.fit.as_ref().map_or(0, |f| f.iterations)
    }

    /// Whether the fit's convergence test passed (true for a given model).
    #[wasm_bindgen(getter)]
    pub fn converged(&self) -> bool {
        self.fit.as_ref().is_none_or(|f| f.converged)
    }

    /// Whether the maximum likelihood lies on the boundary of the parameter
    /// space (e.g. no dropout identified: a → 0); `message` explains.
    #[wasm_bindgen(getter)]
    pub fn boundary(&self) -> bool {
        self.fit.as_ref().is_some_and(|f| f.boundary)
    }

    /// Notes on convergence or the boundary ("" when there are none).
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.fit
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default()
    }

    /// Number of customers (sum of weights) the fit used (0 for a given model).
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> f64 {
        self.fit.as_ref().map_or(0.0, |f| f.customers)
    }

    /// P(alive at T) per customer.
    #[wasm_bindgen(js_name = probabilityAlive)]
    pub fn probability_alive(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let (x, tx, tt) = three(&frequency, &recency, &t)?;
        self.model.probability_alive(&x, &tx, &tt).js()
    }

    /// Expected purchases in the next `t` time units, per customer,
    /// conditional on each customer's history.
    #[wasm_bindgen(js_name = expectedPurchases)]
    pub fn expected_purchases(
        &self,
        t: f64,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] big_t: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let t = finite_arg("t", t)?;
        let (x, tx, tt) = three(&frequency, &recency, &big_t)?;
        self.model.expected_purchases(t, &x, &tx, &tt).js()
    }

    /// P(at least one purchase in the next `t` time units), per customer —
    /// the T30/T90 repurchase probability (t = 30/7 for 30 days in weeks).
    /// Correct for one-time buyers (x = 0).
    #[wasm_bindgen(js_name = probabilityOfRepurchase)]
    pub fn probability_of_repurchase(
        &self,
        t: f64,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] big_t: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let t = finite_arg("t", t)?;
        let (x, tx, tt) = three(&frequency, &recency, &big_t)?;
        self.model.probability_of_repurchase(t, &x, &tx, &tt).js()
    }

    /// For a brand-new customer: P(a repeat purchase within each horizon in
    /// `t` of the first purchase).
    #[wasm_bindgen(js_name = newCustomerRepurchase)]
    pub fn new_customer_repurchase(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] t: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let t = f64s("t", &t)?;
        self.model.new_customer_repurchase(&t).js()
    }

    /// For a brand-new customer: expected repeat purchases within each horizon in `t`.
    #[wasm_bindgen(js_name = newCustomerExpectedPurchases)]
    pub fn new_customer_expected_purchases(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] t: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let t = f64s("t", &t)?;
        self.model.new_customer_expected_purchases(&t).js()
    }

    /// Total log-likelihood of customers under this transaction model, in
    /// the data's time unit.
    #[wasm_bindgen(js_name = logLikelihoodOf)]
    pub fn log_likelihood_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    ) -> Result<f64, JsError> {
        let (x, tx, tt) = three(&frequency, &recency, &t)?;
        self.model.log_likelihood(&x, &tx, &tt, None).js()
    }

    /// Merchant-level outlook: mean 30- and 90-day repurchase probability,
    /// expected purchases, and the share of customers likely alive.
    #[wasm_bindgen(js_name = merchantSummary, unchecked_return_type = "MerchantSummary")]
    pub fn merchant_summary(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MerchantSummaryOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let (x, tx, tt) = three(&frequency, &recency, &t)?;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let mut o = MerchantOptions::default();
        if let Some(r) = known_options(&options, &["unitDays", "aliveThreshold"])? {
            o.unit_days = r.opt_f64("unitDays")?;
            o.alive_threshold = r.opt_f64("aliveThreshold")?;
        }
        let s = self.model.merchant_summary(&x, &tx, &tt, &o).js()?;
        Ok(JsObject::new()
            .set("customers", s.customers)
            .set("repurchaseRate30", s.repurchase_rate30)
            .set("repurchaseRate90", s.repurchase_rate90)
            .set("expectedPurchases30", s.expected_purchases30)
            .set("expectedPurchases90", s.expected_purchases90)
            .set("shareAlive", s.share_alive)
            .set("meanProbabilityAlive", s.mean_probability_alive)
            .build())
    }

    /// Calibration/holdout check: mean predicted vs actual holdout purchases
    /// by calibration frequency, and totals. `duration`: holdout length in
    /// the data's unit.
    #[wasm_bindgen(js_name = holdoutCheck, unchecked_return_type = "HoldoutCheck")]
    pub fn holdout_check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(js_name = holdoutFrequency, unchecked_param_type = "Numbers")]
        holdout_frequency: JsValue,
        duration: f64,
        #[wasm_bindgen(unchecked_param_type = "HoldoutCheckOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let (x, tx, tt) = three(&frequency, &recency, &t)?;
        let hf = f64s("holdoutFrequency", &holdout_frequency)?;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let mut o = HoldoutOptions::default();
        if let Some(r) = known_options(&options, &["maxFrequency"])? {
            o.max_frequency = r.opt_f64("maxFrequency")?;
        }
        let h = self
            .model
            .holdout_check(&x, &tx, &tt, &hf, duration, &o)
            .js()?;
        Ok(JsObject::new()
            .f64s("frequency", &h.frequency)
            .u32s("customers", &h.customers)
            .f64s("predicted", &h.predicted)
            .f64s("actual", &h.actual)
            .set("predictedTotal", h.predicted_total)
            .set("actualTotal", h.actual_total)
            .f64s("predictedPerCustomer", &h.predicted_per_customer)
            .build())
    }

    /// Gamma-Gamma: expected mean transaction value per customer from
    /// repeat purchases and their mean value (x = 0 → population mean).
    #[wasm_bindgen(js_name = expectedSpend)]
    pub fn expected_spend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let x = f64s("frequency", &frequency)?;
        let m = f64s("monetary", &monetary)?;
        self.model.expected_spend(&x, &m).js()
    }

    /// Gamma-Gamma: discounted customer lifetime value with `transactions`
    /// (a BG/NBD, MBG/NBD or Pareto/NBD model), monthly steps as in
    /// lifetimes' `customer_lifetime_value`.
    #[wasm_bindgen(js_name = customerLifetimeValue)]
    #[allow(clippy::too_many_arguments)]
    pub fn customer_lifetime_value(
        &self,
        transactions: &RepurchaseModel,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ClvOptions")] options: Option<JsValue>,
    ) -> Result<Vec<f64>, JsError> {
        let (x, tx, tt) = three(&frequency, &recency, &t)?;
        let m = f64s("monetary", &monetary)?;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let mut o = ClvOptions::default();
        if let Some(r) = known_options(
            &options,
            &["months", "monthlyDiscountRate", "unitsPerMonth"],
        )? {
            o.months = r.opt_f64("months")?;
            o.monthly_discount_rate = r.opt_f64("monthlyDiscountRate")?;
            o.units_per_month = r.opt_f64("unitsPerMonth")?;
        }
        self.model
            .customer_lifetime_value(&transactions.model, &x, &tx, &tt, &m, &o)
            .js()
    }
}

fn wrap(fit: Fit) -> RepurchaseModel {
    RepurchaseModel {
        model: fit.model,
        fit: Some(fit),
    }
}

/// Fits BG/NBD by maximum likelihood (analytic gradient and Hessian) to
/// customers `(frequency, recency, T)` in any one time unit.
#[wasm_bindgen(js_name = fitBgNbd)]
pub fn fit_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
    #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FitOptions")] options: Option<JsValue>,
) -> Result<RepurchaseModel, JsError> {
    let (x, tx, tt) = three(&frequency, &recency, &t)?;
    let o = fit_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    repurchase::fit_bg_nbd(&x, &tx, &tt, &o).js().map(wrap)
}

/// Fits MBG/NBD (dropout possible right after the first purchase).
#[wasm_bindgen(js_name = fitModifiedBgNbd)]
pub fn fit_modified_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
    #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FitOptions")] options: Option<JsValue>,
) -> Result<RepurchaseModel, JsError> {
    let (x, tx, tt) = three(&frequency, &recency, &t)?;
    let o = fit_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    repurchase::fit_modified_bg_nbd(&x, &tx, &tt, &o)
        .js()
        .map(wrap)
}

/// Fits Pareto/NBD (₂F₁ terms rearranged to positive series, log space;
/// analytic gradient, quasi-Newton).
#[wasm_bindgen(js_name = fitParetoNbd)]
pub fn fit_pareto_nbd(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
    #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FitOptions")] options: Option<JsValue>,
) -> Result<RepurchaseModel, JsError> {
    let (x, tx, tt) = three(&frequency, &recency, &t)?;
    let o = fit_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    repurchase::fit_pareto_nbd(&x, &tx, &tt, &o).js().map(wrap)
}

/// Fits the Gamma-Gamma spend model to repeat customers (x > 0) from their
/// mean repeat-transaction value `monetary`; x = 0 rows are ignored.
#[wasm_bindgen(js_name = fitGammaGamma)]
pub fn fit_gamma_gamma(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FitOptions")] options: Option<JsValue>,
) -> Result<RepurchaseModel, JsError> {
    let x = f64s("frequency", &frequency)?;
    let m = f64s("monetary", &monetary)?;
    let o = fit_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    repurchase::fit_gamma_gamma(&x, &m, &o).js().map(wrap)
}

/// A model from known parameters (e.g. published ones), for prediction:
/// `repurchaseModel("bgnbd", { r, alpha, a, b })`, `"mbgnbd"` (same
/// names), `"paretonbd"` (`{ r, alpha, s, beta }`), `"gammagamma"`
/// (`{ p, q, v }`). Each parameter finite and in (0, 1e13].
#[wasm_bindgen(js_name = repurchaseModel)]
pub fn repurchase_model(
    #[wasm_bindgen(unchecked_param_type = "RepurchaseModelName")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RepurchaseParams")] params: JsValue,
) -> Result<RepurchaseModel, JsError> {
    let Some(name) = model.as_string() else {
        return Err(JsError::new(&format!(
            "model must be a string (\"bgnbd\", \"mbgnbd\", \"paretonbd\" or \"gammagamma\"), got {}",
            describe(&model)
        )));
    };
    let kind = ModelKind::parse(&name).js()?;
    convert::require_object("params", &params)?;
    // Read in entry order; a repeated key keeps its last value, and the
    // first unknown key in sorted order is reported.
    let given = convert::number_map("params", &params)?;
    let names = kind.param_names();
    if let Some(k) = given
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !names.contains(&k.as_str()))
        .min()
    {
        return Err(JsError::new(&format!(
            "params.{k} is not a parameter of {name} ({})",
            names.join(", ")
        )));
    }
    let mut values = Vec::with_capacity(names.len());
    for n in names {
        match given.iter().rev().find(|(k, _)| k == n) {
            Some((_, v)) => values.push(*v),
            None => {
                return Err(JsError::new(&format!(
                    "params.{n} is missing ({name} needs {})",
                    names.join(", ")
                )))
            }
        }
    }
    let model = Model::from_params(kind, &values).js()?;
    Ok(RepurchaseModel { model, fit: None })
}
