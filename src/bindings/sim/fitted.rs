//! The JS face of [`crate::sim::fitted`]: the focus merchant's own fitted
//! repurchase model (`scenario.merchant.repurchase`), its customers
//! (`customers`) and what a repeat purchase is worth (`orderValue`).
//!
//! `customers` is an option table. `repurchase` and `orderValue` are read
//! and written by hand (why not a table: their `params` is the object a
//! fit's `params` is, `{ r, alpha, a, b }` or `{ r, alpha, s, beta }` by the
//! model, or the same numbers as an array; which names depends on `model`,
//! and the scenario gives them back as the fit's object).

#[cfg(feature = "myshop")]
use js_sys::Object;
use wasm_bindgen::prelude::*;

#[cfg(feature = "myshop")]
use crate::bindings::js::{self, required, threw, At, JsResult, Thrown};
#[cfg(feature = "myshop")]
use crate::bindings::options::{js_options, set, JsFields, JsRecord};
#[cfg(feature = "myshop")]
use crate::bindings::read::{self, Fields, Seq};
#[cfg(feature = "myshop")]
use crate::sim::{Customers, MerchantRepurchase, OrderValue};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A fitted model's parameters as a fit's `params` gives them (the shapes of the repurchase half's `RepurchaseParams`), or the same numbers as an array in that order. */
export type ModelParams =
  | {
      /** Shape of the purchase rates' gamma distribution. */ r: number;
      /** Its scale (in `unitDays`). */ alpha: number;
      /** BG/NBD, MBG/NBD: the dropout probability's beta distribution, a. */ a: number;
      /** Its b. */ b: number;
    }
  | {
      /** Shape of the purchase rates' gamma distribution. */ r: number;
      /** Its scale (in `unitDays`). */ alpha: number;
      /** Pareto/NBD: shape of the dropout rates' gamma distribution. */ s: number;
      /** Its scale (in `unitDays`). */ beta: number;
    }
  | {
      /** Gamma-Gamma: shape of each purchase's value. */ p: number;
      /** Shape of the customers' value scale (> 1 for a finite mean). */ q: number;
      /** Its scale. */ v: number;
    }
  | number[];

/** The merchant's own repurchase model, as fitted to its order log (`fitBgNbd`, `fitModifiedBgNbd`, `fitParetoNbd`): its customers and its new customers from the funnel repurchase by it instead of the platform-wide process of `funnel`, and the merchant's settings in the scenario are where it was measured (the sliders scale it from there). */
export interface MerchantRepurchase {
  /** The transaction model, as a fit's `model` names it: "bgnbd", "mbgnbd" or "paretonbd" ("gammagamma", a spend model, belongs in `orderValue` and is a RangeError here). */
  model: "bgnbd" | "mbgnbd" | "paretonbd" | "gammagamma";
  /** Its parameters, a fit's `params`: `{ r, alpha, a, b }` (Pareto/NBD `{ r, alpha, s, beta }`) or the same numbers as an array in that order; each in (0, 1e13], rates per `unitDays`. Given back as the object. */
  params: ModelParams;
  /** Days per time unit of the fit: the `unitDays` of `summarizeOrders` (1 for days, 7 for weeks), in (0, 3660] (default 1). */
  unitDays?: number;
}

/** What a repeat purchase of the merchant's is worth (default: its `price`): exactly one of a Gamma-Gamma model and an average. */
export interface MerchantOrderValue {
  /** A Gamma-Gamma model's parameters, `fitGammaGamma(...).params` (`{ p, q, v }` or `[p, q, v]`), q > 1: each customer's repeat purchases at its expected spend given `customers.monetary`, new customers' at the model's mean. Given back as the object. */
  params?: ModelParams;
  /** Or the average value of a repeat purchase, yuan, 0.01–1,000,000. */
  average?: number;
}
"#;

#[cfg(feature = "myshop")]
js_options! {
    /// The merchant's customers at day 0 of the run: the summary its model was fitted to (`summarizeOrders` with its `calibrationEnd` the day before the run starts), in the model's `unitDays`; they repurchase by the model's conditional expectation given each one's history (`existingRepurchases` in the trajectory). At most 5,000,000.
    record "MerchantCustomers" for Customers {
        "frequency" => frequency: req_column, "Repeat purchases per customer (integers ≥ 0): the summary's `frequency`.";
        "recency" => recency: req_column, "Time of the last repeat purchase after the first (0 when frequency is 0): the summary's `recency`.";
        "T" => t: req_column, "Time from the first purchase to day 0 of the run (≥ recency): the summary's `T`.";
        "monetary" => monetary: opt_column, "Mean value of each customer's repeat purchases, yuan (0 when frequency is 0): the summary's `monetary`, valued by `orderValue.params`.";
    }
}

/// Parameters a fit gives: an object with exactly the fields `names` (in
/// this order in the result) or an array or typed array of numbers; the
/// core checks the count and the values.
#[cfg(feature = "myshop")]
fn params(at: At, value: &JsValue, names: &[&str]) -> JsResult<Vec<f64>> {
    if js::is_plain_object(value).map_err(|e| threw(at, e))? {
        js::known_object(at, value, &[], names)?;
        let path = at.to_string();
        let r = Fields::new(&path, value);
        let mut out = Vec::with_capacity(names.len());
        for &n in names {
            out.push(r.number(n)?.ok_or_else(|| required(r.at(n)))?);
        }
        return Ok(out);
    }
    let seq = Seq {
        expected: "an object of parameters or an array of numbers",
        max: 8,
        walk: read::sequence,
    };
    read::numbers_as(at, value, seq)
}

/// The parameters `values` as an object named by `names`.
#[cfg(feature = "myshop")]
fn params_object(names: &[&str], values: &[f64]) -> JsValue {
    let out = Object::new();
    for (n, &v) in names.iter().zip(values) {
        set(&out, n, &JsValue::from_f64(v));
    }
    out.into()
}

/// The parameter names of a transaction model, `None` for another name.
#[cfg(feature = "myshop")]
fn transaction_names(model: &str) -> Option<&'static [&'static str]> {
    match model {
        "bgnbd" | "mbgnbd" => Some(&["r", "alpha", "a", "b"]),
        "paretonbd" => Some(&["r", "alpha", "s", "beta"]),
        _ => None,
    }
}

#[cfg(feature = "myshop")]
const GAMMA_GAMMA: &[&str] = &["p", "q", "v"];

/// The value `opt_nested` reads a `repurchase` over: nothing given yet.
#[cfg(feature = "myshop")]
pub fn new_repurchase() -> MerchantRepurchase {
    MerchantRepurchase {
        model: String::new(),
        params: Vec::new(),
        unit_days: 1.0,
    }
}

#[cfg(feature = "myshop")]
impl JsFields for MerchantRepurchase {
    const KEYS: &'static [&'static str] = &["model", "params", "unitDays"];

    fn read_fields(&mut self, r: &Fields) -> JsResult<()> {
        let model = r.name("model")?.ok_or_else(|| required(r.at("model")))?;
        let names = transaction_names(&model).ok_or_else(|| {
            Thrown::range_error(format!(
                "{} must be one of \"bgnbd\", \"mbgnbd\", \"paretonbd\", got {model:?}",
                r.at("model")
            ))
        })?;
        let p = r.get("params")?.ok_or_else(|| required(r.at("params")))?;
        self.params = params(r.at("params"), &p, names)?;
        self.model = model;
        if let Some(u) = r.number("unitDays")? {
            self.unit_days = u;
        }
        Ok(())
    }
}

#[cfg(feature = "myshop")]
impl JsRecord for MerchantRepurchase {
    fn write_fields(&self, out: &Object) {
        set(out, "model", &JsValue::from_str(&self.model));
        let names = transaction_names(&self.model).unwrap_or(&[]);
        set(out, "params", &params_object(names, &self.params));
        set(out, "unitDays", &JsValue::from_f64(self.unit_days));
    }
}

#[cfg(feature = "myshop")]
impl JsFields for OrderValue {
    const KEYS: &'static [&'static str] = &["params", "average"];

    fn read_fields(&mut self, r: &Fields) -> JsResult<()> {
        if let Some(p) = r.get("params")? {
            self.params = Some(params(r.at("params"), &p, GAMMA_GAMMA)?);
        }
        if let Some(a) = r.number("average")? {
            self.average = Some(a);
        }
        Ok(())
    }
}

#[cfg(feature = "myshop")]
impl JsRecord for OrderValue {
    fn write_fields(&self, out: &Object) {
        if let Some(p) = &self.params {
            set(out, "params", &params_object(GAMMA_GAMMA, p));
        }
        if let Some(a) = self.average {
            set(out, "average", &JsValue::from_f64(a));
        }
    }
}

// Without `myshop` (shijing/traffic) the three fields are not read
// (`myshop_nested`: an error when given); only their typings stay.
#[cfg(not(feature = "myshop"))]
#[wasm_bindgen(typescript_custom_section)]
const TS_CUSTOMERS: &'static str = r#"
/** The merchant's customers at day 0 (`summarizeOrders`' columns). Not in `shijing/traffic`: setting it throws; the full package `shijing` has the merchant's fitted process. */
export interface MerchantCustomers {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary?: ArrayLike<number>;
}
"#;
