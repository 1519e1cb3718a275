//! JS bindings for [`crate::repurchase::cohort`]: `cohortRepurchase`, the
//! merchant's own repurchase rates (T30, T90) and the retention table by
//! month of first order.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::summary::read_customer_ids;
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options, number_array};
use crate::bindings::read;
use crate::bindings::write::{objects, JsObject};
use crate::repurchase::cohort::{WindowRate, MAX_WINDOWS};
use crate::repurchase::{self, CohortOptions};

js_options! {
    /// Options for `cohortRepurchase`.
    options "CohortRepurchaseOptions" for CohortOptions {
        "windows" => windows: opt_numbers(MAX_WINDOWS), "Windows in days, 1 to 32 values each in (0, 36600] (default [30, 90]: T30 and T90).";
        "end" => end: opt_number, "End of the log, a day number (default: the last order's day); orders after it are left out.";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** One month's cohort: the customers whose first order falls in it. Arrays are aligned with `windows`. */
export interface RepurchaseCohort {
  /** The month of the first orders, `yyyy-mm`. */
  month: string;
  /** Day number of the month's first day. */
  firstDay: number;
  /** Customers whose first order falls in the month. */
  customers: number;
  /** Per window: those whose first order is at least that many days before `end`. */
  eligible: number[];
  /** Per window: of the eligible, those who ordered again on a later day within the window. */
  repeated: number[];
  /** Per window: `repeated / eligible`; null when no customer is eligible. */
  rate: (number | null)[];
}

/** Observed repurchase rates (a shop backend's "30天复购率"): arrays are aligned with `windows`. */
export interface CohortRepurchase {
  /** The end used (day number). */
  end: number;
  /** Customers with a first order on or before `end`. */
  customers: number;
  /** The windows, in days. */
  windows: number[];
  /** Per window: `repeated / eligible`; null when no customer is eligible. */
  rate: (number | null)[];
  /** Per window: customers whose first order is at least that many days before `end`. */
  eligible: number[];
  /** Per window: of the eligible, those who ordered again on a later day within the window. */
  repeated: number[];
  /** The same by month of first order (a retention table), oldest first. */
  cohorts: RepurchaseCohort[];
}
"#;

/// `rate`, `eligible` and `repeated` of `rates` set on `o`.
fn rates(o: JsObject, rates: &[WindowRate]) -> JsObject {
    let rate: Array = rates
        .iter()
        .map(|w| w.rate.map_or(JsValue::NULL, JsValue::from_f64))
        .collect();
    o.set(
        "eligible",
        number_array(rates.iter().map(|w| w.eligible as f64)),
    )
    .set(
        "repeated",
        number_array(rates.iter().map(|w| w.repeated as f64)),
    )
    .set("rate", rate)
}

/// The merchant's observed repurchase rates, as shop backends and the seed
/// articles report them (莱润's T30 40%, T90 76%): of the customers whose
/// first order is at least `w` days before `end` (default: the last order
/// day), the share who ordered again on a later calendar day within `w`
/// days of their first order — for each window (`[30, 90]` by default),
/// with the counts behind each rate, and by monthly cohort of first order.
/// `customers`: one id per order (strings, or a Uint32Array such as
/// `readOrders`'s `customerIndex`); `days`: day numbers (a fraction is the
/// time of day). Not the model's forward-looking figure
/// (`merchantSummary`'s `shareBuyingNext30`).
#[wasm_bindgen(js_name = cohortRepurchase, unchecked_return_type = "CohortRepurchase")]
pub fn cohort_repurchase(
    #[wasm_bindgen(unchecked_param_type = "string[] | Uint32Array")] customers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] days: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CohortRepurchaseOptions")] options: Option<
        JsValue,
    >,
) -> JsResult<JsValue> {
    let (keys, _) = read_customer_ids("customers", &customers)?;
    let days = read::numbers(At::arg("days"), &days)?;
    let opts = options::read_optional::<CohortOptions>(options)?;
    let r = repurchase::cohort_repurchase(&keys, &days, &opts)?;
    let cohorts = objects(&r.cohorts, |o, c| {
        let o = o
            .set("month", c.month.as_str())
            .set("firstDay", c.first_day)
            .set("customers", c.customers as f64);
        rates(o, &c.windows)
    });
    let o = JsObject::new()
        .set("end", r.end)
        .set("customers", r.customers as f64)
        .set("windows", number_array(r.windows.iter().map(|w| w.window)));
    Ok(rates(o, &r.windows).set("cohorts", cohorts).build())
}
