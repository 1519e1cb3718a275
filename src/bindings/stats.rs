//! JS bindings for [`crate::stats`]: `gini`, `lorenz`, `topShare`,
//! `bottomShare`, `sampleExposure`.

use wasm_bindgen::prelude::*;

use super::convert::{self, IntoJs, JsObject};
use crate::stats::{self, inequality::LORENZ_POINTS, random};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A Lorenz curve: `share[k]` of the total is held by the poorest `population[k]`. */
export interface LorenzCurve {
  /** Population fractions from 0 to 1, evenly spaced. */
  population: Float64Array;
  /** Cumulative share of the total held by the poorest `population[k]`. */
  share: Float64Array;
}

/** Options for `sampleExposure`. */
export interface SampleExposureOptions {
  /** Log-scale spread of the log-normal draws (default 1.5; 0 gives equal values). */
  sigma?: number;
  /** Seed (uint32). Without one, a seed is drawn from the platform's entropy source. */
  seed?: number;
}
"#;

/// Gini coefficient of non-negative exposures, O(n log n). 0 when all are
/// equal, (n−1)/n when one holds everything. Throws on NaN, ±Infinity,
/// negatives, an empty array or all zeros.
#[wasm_bindgen(js_name = gini)]
pub fn gini(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
) -> Result<f64, JsError> {
    let v = convert::f64s("values", &values)?;
    stats::gini(&v).js()
}

/// The Lorenz curve of `values` at `points` evenly spaced population
/// fractions from 0 to 1 (default 101).
#[wasm_bindgen(js_name = lorenz, unchecked_return_type = "LorenzCurve")]
pub fn lorenz(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    points: Option<f64>,
) -> Result<JsValue, JsError> {
    let v = convert::f64s("values", &values)?;
    let points = convert::count("points", points, 101, LORENZ_POINTS.0, LORENZ_POINTS.1)?;
    let curve = stats::lorenz(&v, points).js()?;
    Ok(JsObject::new()
        .f64s("population", &curve.population)
        .f64s("share", &curve.share)
        .build())
}

/// Share of the total held by the richest `fraction` (e.g. 0.1 for the top 10%).
#[wasm_bindgen(js_name = topShare)]
pub fn top_share(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    fraction: f64,
) -> Result<f64, JsError> {
    let v = convert::f64s("values", &values)?;
    stats::top_share(&v, fraction).js()
}

/// Share of the total held by the poorest `fraction` (e.g. 0.5 for the bottom half).
#[wasm_bindgen(js_name = bottomShare)]
pub fn bottom_share(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    fraction: f64,
) -> Result<f64, JsError> {
    let v = convert::f64s("values", &values)?;
    stats::bottom_share(&v, fraction).js()
}

/// A heavy-tailed (log-normal, median 1) sample of `creators` daily
/// exposures, for demos and tests.
#[wasm_bindgen(js_name = sampleExposure)]
pub fn sample_exposure(
    creators: f64,
    #[wasm_bindgen(unchecked_param_type = "SampleExposureOptions")] options: Option<JsValue>,
) -> Result<Vec<f64>, JsError> {
    let n = convert::count(
        "creators",
        Some(creators),
        0,
        1,
        crate::validate::MAX_ELEMENTS,
    )?;
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let (mut sigma, mut seed) = (None, None);
    if !options.is_undefined() && !options.is_null() {
        convert::object_arg("options", &options, &["sigma", "seed"])?;
        let r = convert::Fields::new("options", &options);
        sigma = r.opt_f64("sigma")?;
        seed = r.opt_u32("seed")?;
    }
    let sigma = sigma.unwrap_or(1.5);
    crate::validate::in_closed("options.sigma", sigma, 0.0, 10.0).js()?;
    let seed = random::resolve_seed(seed).js()?;
    Ok(random::lognormal_sample(n, sigma, seed))
}
