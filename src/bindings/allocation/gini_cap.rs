//! JS bindings for [`crate::allocation::gini_cap`]: `capGini`,
//! `capGiniDetailed` and the cached `GiniCapper`.

use wasm_bindgen::prelude::*;

use crate::allocation::gini_cap::{self, CapMode, CapPlan, CapSettings, GiniCapSolver};
use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read;
use crate::bindings::write::JsObject;

js_options! {
    /// Options for `capGini`, `capGiniDetailed` and `GiniCapper.solve`.
    options "CapGiniOptions" for CapSettings {
        "mode" => mode: parse(CapMode) as "CapMode", "`\"cap\"` (default): `min(τ, λ·E)`, head limited, everyone else gains. `\"floor\"`: mix with the uniform split. `\"blend\"`: `blend·cap + (1−blend)·floor`.";
        "blend" => blend: number, "Weight of the cap part in `\"blend\"` mode, in [0, 1] (default 0.5).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** What `capGiniDetailed` and `GiniCapper.solve` return. */
export interface CapGiniResult {
  /** New exposures: same order and total as the input. */
  exposure: Float64Array;
  /** What was applied: `"none"` (already under the cap; input returned unchanged),
   *  `"cap"`, `"floor"` or `"blend"`. */
  mode: "none" | CapMode;
  /** True when `"cap"` (or blend's cap part) was infeasible — `giniMax ≤ zeros/M` —
   *  and `"floor"` was used instead. */
  fellBack: boolean;
  /** Cap level τ (Infinity when nothing is capped). */
  tau: number;
  /** Multiplier λ ≥ 1 of uncapped creators (1 when nothing is capped). Infinity only when λ exceeds
   *  the largest double — the uncapped creators held less than 2⁻¹⁰²⁴ of the total before the cap;
   *  `exposure` is then computed from their shares and stays finite and exact. */
  lambda: number;
  /** Weight θ of the uniform part (floor and blend). */
  theta: number;
  /** Number of capped creators. */
  capped: number;
  /** Creators with input ≥ threshold are capped (Infinity when none). */
  threshold: number;
  /** Gini of the input. */
  giniBefore: number;
  /** Gini of the output. */
  gini: number;
}
"#;

/// `giniMax` and the options, checked.
fn cap_settings(gini_max: &JsValue, options: Option<JsValue>) -> JsResult<CapSettings> {
    let gini_max = read::number(At::arg("giniMax"), gini_max)?;
    let s = options::read(
        "options",
        &options.unwrap_or(JsValue::UNDEFINED),
        CapSettings {
            gini_max,
            ..CapSettings::default()
        },
    )?;
    crate::validate::in_half_open("giniMax", s.gini_max, 0.0, 1.0)?;
    crate::validate::in_closed("options.blend", s.blend, 0.0, 1.0)?;
    Ok(s)
}

/// The JS result of a solved cap: `solver.gini_after` is the only O(M) pass
/// beyond the apply, and only these detailed exports pay for it.
fn plan_object(solver: &GiniCapSolver, exposure: &[f64], plan: &CapPlan) -> JsValue {
    JsObject::new()
        .f64s("exposure", exposure)
        .set("mode", plan.applied.as_str())
        .set("fellBack", plan.fell_back)
        .set("tau", plan.tau)
        .set("lambda", plan.lambda)
        .set("theta", plan.theta)
        .set("capped", plan.capped as f64)
        .set("threshold", plan.threshold)
        .set("giniBefore", plan.gini_before)
        .set("gini", solver.gini_after(plan))
        .build()
}

/// Caps the Gini coefficient of creators' `exposure` at `giniMax` exactly,
/// keeping the total (to 1e-9 relative) and the order. Mode `"cap"`
/// (default) computes `min(τ, λ·E)` in closed form after one sort: the head
/// is limited and every other creator gains. When `"cap"` is infeasible —
/// with `z` zero entries it cannot go below `z/M` — it falls back to
/// `"floor"` (use `capGiniDetailed` to see which was used). Input already
/// under the cap comes back unchanged, bit for bit. Throws on NaN,
/// ±Infinity, negatives, an empty array, all zeros, or `giniMax` outside [0, 1).
#[wasm_bindgen(js_name = capGini)]
pub fn cap_gini(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] exposure: JsValue,
    #[wasm_bindgen(js_name = giniMax, unchecked_param_type = "number")] gini_max: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CapGiniOptions")] options: Option<JsValue>,
) -> JsResult<Vec<f64>> {
    let e = read::numbers(At::arg("exposure"), &exposure)?;
    let s = cap_settings(&gini_max, options)?;
    Ok(gini_cap::cap_gini("exposure", &e, &s)?.exposure)
}

/// Like `capGini`, also returning the mode actually applied, τ, λ, θ, the
/// number of capped creators and the Gini before and after.
#[wasm_bindgen(js_name = capGiniDetailed, unchecked_return_type = "CapGiniResult")]
pub fn cap_gini_detailed(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] exposure: JsValue,
    #[wasm_bindgen(js_name = giniMax, unchecked_param_type = "number")] gini_max: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CapGiniOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let e = read::numbers(At::arg("exposure"), &exposure)?;
    let s = cap_settings(&gini_max, options)?;
    let solver = GiniCapSolver::new("exposure", &e)?;
    let plan = solver.solve(&s)?;
    Ok(plan_object(&solver, &solver.apply(&plan, &e), &plan))
}

/// A Gini cap solver that sorts the exposures once: each `solve` for a new
/// `giniMax` then costs O(M) (for sliders). Call `free()` when done.
#[wasm_bindgen]
pub struct GiniCapper {
    solver: GiniCapSolver,
    exposure: Vec<f64>,
}

#[wasm_bindgen]
impl GiniCapper {
    /// Validates and sorts `exposure` (same rules as `capGini`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Numbers")] exposure: JsValue,
    ) -> JsResult<GiniCapper> {
        let e = read::numbers(At::arg("exposure"), &exposure)?;
        let solver = GiniCapSolver::new("exposure", &e)?;
        Ok(GiniCapper {
            solver,
            exposure: e,
        })
    }

    /// Gini of the exposures.
    #[wasm_bindgen(getter)]
    pub fn gini(&self) -> f64 {
        self.solver.gini()
    }

    /// Caps at `giniMax` (see `capGiniDetailed`).
    #[wasm_bindgen(unchecked_return_type = "CapGiniResult")]
    pub fn solve(
        &self,
        #[wasm_bindgen(js_name = giniMax, unchecked_param_type = "number")] gini_max: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CapGiniOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let s = cap_settings(&gini_max, options)?;
        let plan = self.solver.solve(&s)?;
        Ok(plan_object(
            &self.solver,
            &self.solver.apply(&plan, &self.exposure),
            &plan,
        ))
    }
}
