//! JS bindings for [`crate::stats`]: `gini`, `lorenz`, `topShare` and
//! `bottomShare` (`stats/inequality.rs`) and `sampleExposure`
//! (`stats/random.rs`).

use wasm_bindgen::prelude::*;

use super::js::{At, JsResult};
use super::options::{self, js_options};
use super::read;
use super::write::JsObject;
use crate::stats::{self, inequality::LORENZ_POINTS, random};
use crate::validate::MAX_ELEMENTS;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A Lorenz curve: `share[k]` of the total is held by the poorest `population[k]`. */
export interface LorenzCurve {
  /** Population fractions from 0 to 1, evenly spaced. */
  population: Float64Array;
  /** Cumulative share of the total held by the poorest `population[k]`. */
  share: Float64Array;
}
"#;

/// The options of `sampleExposure` (the core takes them as arguments).
struct SampleOptions {
    sigma: f64,
    seed: Option<u32>,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            sigma: 1.5,
            seed: None,
        }
    }
}

js_options! {
    /// Options for `sampleExposure`.
    options "SampleExposureOptions" for SampleOptions {
        "sigma" => sigma: number, "Log-scale spread of the log-normal draws, [0, 10] (default 1.5; 0 gives equal values).";
        "seed" => seed: opt_uint(0, u32::MAX), "Seed (uint32). Without one, a seed is drawn from the platform's entropy source.";
    }
}

/// Gini coefficient of non-negative exposures, O(n log n). 0 when all are
/// equal, (n−1)/n when one holds everything. Throws on NaN, ±Infinity,
/// negatives, an empty array or all zeros.
#[wasm_bindgen(js_name = gini)]
pub fn gini(#[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue) -> JsResult<f64> {
    let v = read::numbers(At::arg("values"), &values)?;
    Ok(stats::gini(&v)?)
}

/// The Lorenz curve of `values` at `points` evenly spaced population
/// fractions from 0 to 1 (default 101).
#[wasm_bindgen(js_name = lorenz, unchecked_return_type = "LorenzCurve")]
pub fn lorenz(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] points: Option<JsValue>,
) -> JsResult<JsValue> {
    let v = read::numbers(At::arg("values"), &values)?;
    let points = match points {
        Some(p) => {
            let (lo, hi) = (LORENZ_POINTS.0 as f64, LORENZ_POINTS.1 as f64);
            read::integer(At::arg("points"), &p, lo, hi)? as usize
        }
        None => 101,
    };
    let curve = stats::lorenz(&v, points)?;
    Ok(JsObject::new()
        .f64s("population", &curve.population)
        .f64s("share", &curve.share)
        .build())
}

/// Share of the total held by the richest `fraction` (e.g. 0.1 for the top 10%).
#[wasm_bindgen(js_name = topShare)]
pub fn top_share(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] fraction: JsValue,
) -> JsResult<f64> {
    let v = read::numbers(At::arg("values"), &values)?;
    let fraction = read::number(At::arg("fraction"), &fraction)?;
    Ok(stats::top_share(&v, fraction)?)
}

/// Share of the total held by the poorest `fraction` (e.g. 0.5 for the bottom half).
#[wasm_bindgen(js_name = bottomShare)]
pub fn bottom_share(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] fraction: JsValue,
) -> JsResult<f64> {
    let v = read::numbers(At::arg("values"), &values)?;
    let fraction = read::number(At::arg("fraction"), &fraction)?;
    Ok(stats::bottom_share(&v, fraction)?)
}

/// A heavy-tailed (log-normal, median 1) sample of `creators` daily
/// exposures, for demos and tests.
#[wasm_bindgen(js_name = sampleExposure)]
pub fn sample_exposure(
    #[wasm_bindgen(unchecked_param_type = "number")] creators: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SampleExposureOptions")] options: Option<
        JsValue,
    >,
) -> JsResult<Vec<f64>> {
    let n = read::integer(At::arg("creators"), &creators, 1.0, MAX_ELEMENTS as f64)? as usize;
    let o = options::read_optional::<SampleOptions>(options)?;
    crate::validate::in_closed("options.sigma", o.sigma, 0.0, 10.0)?;
    let seed = random::resolve_seed(o.seed)?;
    Ok(random::lognormal_sample(n, o.sigma, seed))
}
