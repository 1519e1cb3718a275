//! JS bindings for [`crate::repurchase::summary`]: `summarizeOrders`.

use std::collections::HashMap;

use js_sys::{Array, JsString, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::bindings::js::{self, wrong_type, At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read::{self, Seq, COLUMN};
use crate::bindings::write::JsObject;
use crate::repurchase::{self, SummaryOptions};

js_options! {
    /// Options for `summarizeOrders`. Times are day numbers: days since any
    /// fixed epoch (fractions allowed); from epoch milliseconds use `ms / 86400000`.
    options "SummarizeOrdersOptions" for SummaryOptions {
        "calibrationEnd" => calibration_end: req_number, "End of calibration, a day number (inclusive).";
        "observationEnd" => observation_end: opt_number, "End of the holdout period, a day number (inclusive); omit for no holdout.";
        "periodDays" => period_days: opt_number, "Orders in the same period of this many days (counted from day 0) are one purchase (default 1).";
        "unitDays" => unit_days: opt_number, "Output time unit in days (default `periodDays`; 7 gives weeks like the CDNOW summary).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
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
"#;

/// A customer id exactly as JS holds it: a well-formed string as text, an
/// ill-formed one (a lone UTF-16 surrogate) by its code units, so that
/// `'\uD800'` and `'\uDC00'` stay two customers (as UTF-8 both would read
/// as `"\uFFFD"`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum Id {
    Text(String),
    Units(Box<[u16]>),
}

impl Id {
    fn read(at: At, v: &JsValue) -> JsResult<Id> {
        let text = read::string(at, v)?;
        if has_replacement_char(&text) {
            let s: &JsString = v.unchecked_ref();
            if !s.is_valid_utf16() {
                return Ok(Id::Units(s.iter().collect()));
            }
        }
        Ok(Id::Text(text))
    }

    fn to_js(&self) -> JsValue {
        match self {
            Id::Text(s) => JsValue::from_str(s),
            Id::Units(u) => JsString::from_char_code(u).into(),
        }
    }
}

/// Whether `s` holds U+FFFD, which is what a lone surrogate reads as
/// (a byte scan: `str::contains` brings in the substring searcher, +2 KB).
fn has_replacement_char(s: &str) -> bool {
    s.as_bytes().windows(3).any(|w| w == [0xEF, 0xBF, 0xBD])
}

/// The customers (the argument `name`): dense keys per order, and the
/// distinct string ids in first-seen order (`None` for a Uint32Array of
/// ids, which are the keys). Also `cohortRepurchase`'s reader.
pub(crate) fn read_customer_ids(
    name: &str,
    value: &JsValue,
) -> JsResult<(Vec<u32>, Option<Vec<Id>>)> {
    const EXPECTED: &str = "an array of strings or a Uint32Array";
    let at = At::arg(name);
    if let Some((tag, _)) = js::typed_array(value) {
        if tag != "Uint32Array" {
            return Err(wrong_type(at, EXPECTED, value));
        }
        return Ok((read::u32s(at, value)?, None));
    }
    let mut index: HashMap<Id, u32> = HashMap::new();
    let mut names: Vec<Id> = Vec::new();
    let mut keys = Vec::new();
    let seq = Seq {
        expected: EXPECTED,
        ..COLUMN
    };
    read::sequence(at, value, seq, &mut |at, v| {
        let id = Id::read(at, v)?;
        let next = names.len() as u32;
        let k = *index.entry(id).or_insert_with_key(|id| {
            names.push(id.clone());
            next
        });
        keys.push(k);
        Ok(())
    })?;
    Ok((keys, Some(names)))
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
) -> JsResult<JsValue> {
    let (keys, names) = read_customer_ids("customerIds", &customerIds)?;
    let times = read::numbers(At::arg("times"), &times)?;
    let amounts = match read::is_nullish(&amounts) {
        true => None,
        false => Some(read::numbers(At::arg("amounts"), &amounts)?),
    };
    let mut opts = SummaryOptions::default();
    options::read_into("options", &options, &mut opts)?;
    let s = repurchase::summarize(&keys, &times, amounts.as_deref(), &opts)?;
    let customers: JsValue = match names {
        None => Uint32Array::from(&s.customers[..]).into(),
        Some(names) => s
            .customers
            .iter()
            .map(|&k| names.get(k as usize).map_or(JsValue::UNDEFINED, Id::to_js))
            .collect::<Array>()
            .into(),
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
