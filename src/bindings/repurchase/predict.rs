//! JS bindings for [`crate::repurchase::predict`]: the predictions of a
//! `RepurchaseModel` (P(alive), expected purchases, repurchase
//! probabilities, new customers), the merchant summary, the holdout check,
//! expected spend and CLV, with their option tables.

use wasm_bindgen::prelude::*;

use super::{
    customer_methods, customers, horizon_customers, CustomerArgs, HorizonArgs, RepurchaseModel,
};
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::repurchase::{
    ClvOptions, HoldoutCheck, HoldoutOptions, MerchantOptions, MerchantSummary, Model,
};

js_options! {
    /// Options for `RepurchaseModel.merchantSummary`.
    options "MerchantSummaryOptions" for MerchantOptions {
        "unitDays" => unit_days: opt_number, "Days per time unit of the data (default 1; 7 for weeks).";
        "aliveThreshold" => alive_threshold: opt_number, "P(alive) above which a customer counts as likely alive (default 0.5).";
    }
}

js_options! {
    /// Merchant-level repurchase outlook.
    record "MerchantSummary" for MerchantSummary {
        "customers" => customers: uint(0, u32::MAX), "Customers summarized.";
        "shareBuyingNext30" => share_buying_next30: number, "Mean over customers of P(≥ 1 purchase in the next 30 days): the expected share of them who buy in the next 30 days (未来30天会回购的客户占比). Not a shop backend's 30天复购率: that is `cohortRepurchase`.";
        "shareBuyingNext90" => share_buying_next90: number, "The same for the next 90 days.";
        "expectedPurchases30" => expected_purchases30: number, "Mean expected purchases per customer in the next 30 days.";
        "expectedPurchases90" => expected_purchases90: number, "Mean expected purchases per customer in the next 90 days.";
        "shareAlive" => share_alive: number, "Share of customers with P(alive) above the threshold.";
        "meanProbabilityAlive" => mean_probability_alive: number, "Mean P(alive).";
    }
}

js_options! {
    /// Predicted vs actual holdout purchases by calibration frequency (the calibration/holdout chart's data).
    record "HoldoutCheck" for HoldoutCheck {
        "frequency" => frequency: req_column as "Float64Array", "Calibration frequency of each group (the last group is \"this or more\").";
        "customers" => customers: req_integers as "Uint32Array", "Customers per group.";
        "predicted" => predicted: req_column as "Float64Array", "Mean predicted holdout purchases per group (NaN if empty).";
        "actual" => actual: req_column as "Float64Array", "Mean actual holdout purchases per group (NaN if empty).";
        "predictedTotal" => predicted_total: number, "Predicted holdout purchases of all customers.";
        "actualTotal" => actual_total: number, "Actual holdout purchases of all customers.";
        "predictedPerCustomer" => predicted_per_customer: req_column as "Float64Array", "Predicted holdout purchases per customer.";
    }
}

js_options! {
    /// Options for `RepurchaseModel.holdoutCheck`.
    options "HoldoutCheckOptions" for HoldoutOptions {
        "maxFrequency" => max_frequency: opt_number, "Calibration frequency at which groups are capped, an integer in [1, 1000] (default 7: groups 0…6 and 7+).";
    }
}

js_options! {
    /// Options for `RepurchaseModel.customerLifetimeValue` (lifetimes' monthly discounting).
    options "ClvOptions" for ClvOptions {
        "months" => months: opt_number, "Months to sum over, an integer in [1, 120] (default 12).";
        "monthlyDiscountRate" => monthly_discount_rate: opt_number, "Discount rate per month (default 0.01).";
        "unitsPerMonth" => units_per_month: opt_number, "Time units per month (default 30 for days; 4.345 for weeks).";
    }
}

/// A brand-new customer's prediction at each horizon.
type ForNewCustomer = fn(&Model, &[f64]) -> crate::Result<Vec<f64>>;

/// A per-customer prediction.
type OfCustomers = fn(&Model, &[f64], &[f64], &[f64]) -> crate::Result<Vec<f64>>;

/// A per-customer prediction over a horizon `t`.
type AtHorizon = fn(&Model, f64, &[f64], &[f64], &[f64]) -> crate::Result<Vec<f64>>;

impl RepurchaseModel {
    /// Reads the horizons `t`, then predicts with `f` for a brand-new customer.
    fn new_customer(&self, f: ForNewCustomer, t: &JsValue) -> JsResult<Vec<f64>> {
        let t = read::numbers(At::arg("t"), t)?;
        Ok(f(&self.model, &t)?)
    }

    /// Reads the customers, then predicts with `f`.
    fn of_customers(&self, f: OfCustomers, [x, tx, tt]: CustomerArgs) -> JsResult<Vec<f64>> {
        let (x, tx, tt) = customers(x, tx, tt)?;
        Ok(f(&self.model, &x, &tx, &tt)?)
    }

    /// Reads the horizon and the customers, then predicts with `f`.
    fn at_horizon(&self, f: AtHorizon, args: HorizonArgs) -> JsResult<Vec<f64>> {
        let (h, (x, tx, tt)) = horizon_customers(args)?;
        Ok(f(&self.model, h, &x, &tx, &tt)?)
    }
}

customer_methods! {
    RepurchaseModel(Model) {
        probabilityAlive() -> Vec<f64> => probability_alive,
            "P(alive at T) per customer.";
        expectedPurchases(t) -> Vec<f64> => expected_purchases,
            "Expected purchases in the next `t` time units, per customer,"
            "conditional on each customer's history.";
        probabilityOfRepurchase(t) -> Vec<f64> => probability_of_repurchase,
            "P(at least one purchase in the next `t` time units), per customer —"
            "the T30/T90 repurchase probability (t = 30/7 for 30 days in weeks)."
            "Correct for one-time buyers (x = 0).";
        newCustomerRepurchase[t] -> Vec<f64> => new_customer_repurchase,
            "For a brand-new customer: P(a repeat purchase within each horizon in"
            "`t` of the first purchase).";
        newCustomerExpectedPurchases[t] -> Vec<f64> => new_customer_expected_purchases,
            "For a brand-new customer: expected repeat purchases within each horizon in `t`.";
    }
}

#[wasm_bindgen(js_class = RepurchaseModel)]
impl RepurchaseModel {
    /// Merchant-level outlook: mean 30- and 90-day repurchase probability,
    /// expected purchases, and the share of customers likely alive.
    #[wasm_bindgen(js_name = merchantSummary, unchecked_return_type = "MerchantSummary")]
    pub fn merchant_summary(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MerchantSummaryOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        let o = options::read_optional::<MerchantOptions>(options)?;
        let s = self.model.merchant_summary(&x, &tx, &tt, &o)?;
        Ok(options::write(&s))
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
        #[wasm_bindgen(unchecked_param_type = "number")] duration: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "HoldoutCheckOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        let hf = read::numbers(At::arg("holdoutFrequency"), &holdout_frequency)?;
        let duration = read::number(At::arg("duration"), &duration)?;
        let o = options::read_optional::<HoldoutOptions>(options)?;
        let h = self.model.holdout_check(&x, &tx, &tt, &hf, duration, &o)?;
        Ok(options::write(&h))
    }

    /// Gamma-Gamma: expected mean transaction value per customer from
    /// repeat purchases and their mean value (x = 0 → population mean).
    #[wasm_bindgen(js_name = expectedSpend)]
    pub fn expected_spend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
    ) -> JsResult<Vec<f64>> {
        let x = read::numbers(At::arg("frequency"), &frequency)?;
        let m = read::numbers(At::arg("monetary"), &monetary)?;
        Ok(self.model.expected_spend(&x, &m)?)
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
        #[wasm_bindgen(unchecked_optional_param_type = "ClvOptions")] options: Option<JsValue>,
    ) -> JsResult<Vec<f64>> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        let m = read::numbers(At::arg("monetary"), &monetary)?;
        let o = options::read_optional::<ClvOptions>(options)?;
        Ok(self
            .model
            .customer_lifetime_value(&transactions.model, &x, &tx, &tt, &m, &o)?)
    }
}
