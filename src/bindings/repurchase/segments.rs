//! JS bindings for [`crate::repurchase::segments`]: `segmentCustomers`,
//! customer segments named for what a merchant does with them.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::customers;
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::bindings::write::{gather, objects, JsObject};
use crate::repurchase::segments::SEGMENTS;
use crate::repurchase::{self, Segment, SegmentOptions};

/// The options of `segmentCustomers`: the values per purchase and the
/// core's thresholds.
#[derive(Default)]
struct SegmentArgs {
    value: Option<Vec<f64>>,
    settings: SegmentOptions,
}

js_options! {
    /// Options for `segmentCustomers` (the thresholds of the rules, checked in order: new, active, lost, else win-back).
    options "SegmentCustomersOptions" for SegmentArgs {
        "value" => value: opt_column, "Per customer: expected value per purchase (e.g. Gamma-Gamma's `expectedSpend`); gives each segment's predicted value.";
        "unitDays" => settings.unit_days: number, "Days per time unit of `recency` and `T` (default 1; 7 for weeks).";
        "newDays" => settings.new_days: number, "A one-time buyer whose purchase is at most this many days old is new (default 30).";
        "activeAlive" => settings.active_alive: number, "P(alive) at or above which a customer can be active, in [0, 1] (default 0.7).";
        "activeExpected" => settings.active_expected: number, "Expected purchases in the next 30 days at or above which a customer can be active (default 0.15).";
        "lostAlive" => settings.lost_alive: number, "P(alive) below which a customer is likely lost, in [0, 1] (default 0.3; at most `activeAlive`).";
        "lostExpected" => settings.lost_expected: number, "Expected purchases in the next 30 days below which a customer is likely lost (default 0.03; at most `activeExpected`).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A customer segment: `active` 活跃, `winBack` 需要唤回, `lost` 可能流失, `new` 新客. */
export type SegmentName = "active" | "winBack" | "lost" | "new";

/** One segment's totals. */
export interface SegmentSummary {
  /** The segment. */
  segment: SegmentName;
  /** Its name for people: `zh` as the explorer shows it (活跃, 需要唤回, 可能流失, 新客), and `en`. */
  name: {
    /** In Chinese, as the explorer shows it: 活跃, 需要唤回, 可能流失, 新客. */
    zh: string;
    /** In English: Active, Win back, Likely lost, New. */
    en: string;
  };
  /** Customers in it. */
  customers: number;
  /** Σ expected purchases in the next 30 days. */
  expectedPurchases: number;
  /** Σ expected purchases × value per purchase (null without `options.value`). */
  value: number | null;
}

/** Customer segments and their totals. */
export interface CustomerSegments {
  /** Per customer: the segment. */
  segment: SegmentName[];
  /** Per segment, in the order active, winBack, lost, new. */
  summary: SegmentSummary[];
}
"#;

/// The English name of a segment (the Chinese is the core's).
fn label_en(s: Segment) -> &'static str {
    match s {
        Segment::Active => "Active",
        Segment::WinBack => "Win back",
        Segment::Lost => "Likely lost",
        Segment::New => "New",
    }
}

/// Customer segments from a model's predictions, named for what a merchant
/// does with each: `new` 新客 (one purchase within `newDays`), `active` 活跃
/// (P(alive) ≥ `activeAlive` and expected purchases in 30 days ≥
/// `activeExpected`), `lost` 可能流失 (P(alive) < `lostAlive` or expected <
/// `lostExpected`), else `winBack` 需要唤回 — the first rule that holds.
/// `pAlive` and `expected30` are the model's `probabilityAlive` and
/// `expectedPurchases` over the next 30 days (in the data's unit) for the
/// customers `(frequency, recency, T)`; with `options.value` (value per
/// purchase) each segment's predicted value is summed too.
#[wasm_bindgen(js_name = segmentCustomers, unchecked_return_type = "CustomerSegments")]
#[allow(non_snake_case)] // `pAlive` and `T` are the arguments' names in the .d.ts
pub fn segment_customers(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] pAlive: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] expected30: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] T: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SegmentCustomersOptions")] options: Option<
        JsValue,
    >,
) -> JsResult<JsValue> {
    let p = read::numbers(At::arg("pAlive"), &pAlive)?;
    let e = read::numbers(At::arg("expected30"), &expected30)?;
    let (x, tx, t) = customers(&frequency, &recency, &T)?;
    let args = options::read_optional::<SegmentArgs>(options)?;
    let s =
        repurchase::segment_customers(&p, &e, &x, &tx, &t, args.value.as_deref(), &args.settings)?;
    let names: Array = SEGMENTS
        .iter()
        .map(|g| JsValue::from_str(g.as_str()))
        .collect();
    let segment = gather(&names, &Uint8Array::from(&s.segment[..]).into());
    let summary = objects(&s.summary, |o, g| {
        let name = JsObject::new()
            .set("zh", g.segment.label_zh())
            .set("en", label_en(g.segment))
            .build();
        o.set("segment", g.segment.as_str())
            .set("name", name)
            .set("customers", g.customers as f64)
            .set("expectedPurchases", g.expected_purchases)
            .set("value", g.value.map_or(JsValue::NULL, JsValue::from_f64))
    });
    Ok(JsObject::new()
        .set("segment", segment)
        .set("summary", summary)
        .build())
}
