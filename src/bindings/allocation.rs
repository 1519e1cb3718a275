//! JS bindings for [`crate::allocation`]: `capGini`, `capGiniDetailed`, the
//! cached `GiniCapper`, `allocate`, and the stateful `TrafficPlatform`.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::{self, describe, Fields, IntoJs, JsObject};
use crate::allocation::cold_start::{ColdStartSettings, MeritSignals};
use crate::allocation::gini_cap::{self, CapMode, CapPlan, CapSettings, GiniCapSolver};
use crate::allocation::platform::{CreatorColumns, Platform, PlatformConfig, PromotionRule};
use crate::allocation::round::{self, Engagement, RoundInput, RoundResult, RoundSettings};
use crate::stats::random;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Integers in: a Uint32Array (fastest) or any array of non-negative integers. */
export type Integers = Uint32Array | ArrayLike<number>;
/** Flags in: a Uint8Array (non-zero = true) or an array of booleans / 0-1. */
export type Flags = Uint8Array | ArrayLike<boolean | number>;

/** How `capGini` lowers the Gini. */
export type CapMode = "cap" | "floor" | "blend";

/** Options for `capGini`, `capGiniDetailed` and `GiniCapper.solve`. */
export interface CapGiniOptions {
  /** `"cap"` (default): `min(τ, λ·E)`, head limited, everyone else gains.
   *  `"floor"`: mix with the uniform split. `"blend"`: `blend·cap + (1−blend)·floor`. */
  mode?: CapMode;
  /** Weight of the cap part in `"blend"` mode, in [0, 1] (default 0.5). */
  blend?: number;
}

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
  /** Multiplier λ ≥ 1 of uncapped creators. */
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

/** Per-item columns of an allocation request (all the same length). */
export interface AllocationItems {
  /** Owner of each item: a creator index in [0, creators.count). Required. */
  creator: Integers;
  /** Known engagement score per item (≥ 0). Wins over `alpha`/`beta` when both are given. */
  score?: Numbers;
  /** Beta posterior α per item (> 0): the score is a Thompson draw. Needs `beta`. */
  alpha?: Numbers;
  /** Beta posterior β per item (> 0). */
  beta?: Numbers;
  /** Value per engaged impression (default 1). */
  value?: Numbers;
  /** Tier per item, in [0, tierQuotas.length) (default 0). */
  tier?: Integers;
  /** Impressions already used in the current tier (default 0). */
  used?: Numbers;
}

/** Per-creator columns of an allocation request (all of length `count`). */
export interface AllocationCreators {
  /** Number of creators (default: the columns' length, else the largest owner + 1). */
  count?: number;
  /** Which creators are new merchants (eligible for the cold-start pool). */
  newMerchant?: Flags;
  /** Diligence signal (≥ 0; only its rank among new merchants matters). */
  diligence?: Numbers;
  /** Fan-operation signal (≥ 0; rank only). */
  fanOperation?: Numbers;
  /** Advertising spend (≥ 0). */
  spend?: Numbers;
  /** GMV from that spend (≥ 0). Spend efficiency is the shrunk ROI
   *  `(gmv + roiPrior·roiPriorSpend)/(spend + roiPriorSpend)`. */
  gmv?: Numbers;
}

/** Scalar settings of a round. Defaults marked (assumption) are modelling
 *  assumptions: no public source gives Kuaishou's numbers. */
export interface AllocationOptions {
  /** Daily budget in impressions, an integer in [1, 2^53] (default 1e8, assumption). */
  budget?: number;
  /** Share of the budget reserved for new merchants, [0, 1] (default 0.1, assumption). */
  coldStartShare?: number;
  /** Per-item floor in impressions (default 300, assumption). */
  floor?: number;
  /** At most this many floored items per creator (default 3, assumption). */
  flooredPerCreator?: number;
  /** Impression quota per tier; Infinity for none (default [500, 5000, 50000, 500000, Infinity], assumption). */
  tierQuotas?: number[];
  /** Score weight per tier (default 1 each). */
  tierWeights?: number[];
  /** Exponent γ on engagement·value, [0.1, 10] (default 1). */
  sharpen?: number;
  /** Gini cap over creators, [0, 1) (default 0.6, assumption). */
  giniMax?: number;
  /** Cap mechanism (default "cap"). */
  mode?: CapMode;
  /** Cap weight in "blend" mode (default 0.5). */
  blend?: number;
  /** Guaranteed impressions per new merchant (default 1000, assumption). */
  coldStartFloor?: number;
  /** Most impressions above the floor per new merchant (default 50000, assumption). */
  coldStartCeiling?: number;
  /** Exponent β on merit, [0, 10] (default 1). */
  meritExponent?: number;
  /** Weights of diligence, fan operation, spend efficiency (default [1/3, 1/3, 1/3], assumption). */
  meritWeights?: [number, number, number];
  /** Prior ROI (default 2, assumption). */
  roiPrior?: number;
  /** Prior spend the ROI is shrunk with (default 1000, assumption). */
  roiPriorSpend?: number;
  /** Re-solves allowed when rounding pushes the Gini over the cap, [0, 100] (default 5). Each lowers the
   *  solved target: the first by the excess plus 1e-7, each further one by 4× the step before. */
  maxRepairs?: number;
  /** When every item is at its tier quota, spread the rest of the budget by score beyond the quotas (default false: it is reported as `unallocated`). */
  overflow?: boolean;
  /** Seed (uint32) for the Thompson draws; without one, drawn from the platform's entropy. */
  seed?: number;
}

/** The argument of `allocate`. */
export interface AllocationRequest {
  items: AllocationItems;
  creators?: AllocationCreators;
  options?: AllocationOptions;
}

/** One round's result. Impressions are integers; `itemExposure` sums with
 *  `unallocated` to the budget exactly. */
export interface AllocationResult {
  /** The seed the Thompson draws used. */
  seed: number;
  /** Integer impressions per item. */
  itemExposure: Float64Array;
  /** Float impressions per item after the cap, before rounding. */
  itemExpected: Float64Array;
  /** The score each item was allocated by. */
  score: Float64Array;
  /** Integer impressions per creator. */
  creatorExposure: Float64Array;
  /** Float impressions per creator before the Gini cap (both pools). */
  creatorBeforeCap: Float64Array;
  /** Cold-start impressions per creator (float, before the cap). */
  coldStart: Float64Array;
  /** 1 for creators the cap limited. */
  capped: Uint8Array;
  /** 1 for creators with at least one item (the Gini population). */
  inPopulation: Uint8Array;
  /** Cold-start pool as allocated (≤ coldStartShare·budget; the rest went to the public pool). */
  coldStartTotal: number;
  /** Public pool as allocated. */
  publicTotal: number;
  /** Impressions no item could take (every item at its tier quota). */
  unallocated: number;
  /** Cap mechanism applied: "none", "cap", "floor" or "blend". */
  mode: "none" | CapMode;
  /** True when "cap" was infeasible (too many zero creators) and "floor" was used. */
  fellBack: boolean;
  /** Cap level τ (Infinity when nothing is capped). */
  tau: number;
  /** Multiplier λ ≥ 1 of uncapped creators. */
  lambda: number;
  /** Weight of the uniform part (floor/blend). */
  theta: number;
  /** Number of capped creators. */
  cappedCount: number;
  /** Gini target of the last solve (below giniMax after rounding repairs). */
  solvedGiniMax: number;
  /** Gini of the creators' integer exposures. */
  gini: number;
  /** Gini before the cap. */
  giniBeforeCap: number;
  /** Share of the top 10% of creators. */
  top10Share: number;
  /** Share of the bottom 50% of creators. */
  bottom50Share: number;
  /** Creators in the Gini population. */
  population: number;
  /** Rounding repairs used. */
  repairs: number;
  /** Whether the integer Gini is within giniMax. */
  capMet: boolean;
}

/** Settings of a `TrafficPlatform`: every `AllocationOptions` field plus these. */
export interface TrafficPlatformOptions extends AllocationOptions {
  /** Prior mean engagement of a new item, (0, 1) (default 0.03). */
  priorMean?: number;
  /** Prior strength α+β of a new item (default 30). */
  priorStrength?: number;
  /** Days a merchant counts as new (default 30). */
  newMerchantDays?: number;
  /** A new merchant also graduates once its GMV reaches this (default Infinity). */
  graduationGmv?: number;
  /** Days an item may stay in each tier before a decision (default [1, 2, 3, 5, 7], assumption). */
  tierWindows?: number[];
  /** Items each tier can hold; Infinity for no limit (default ⌊budget/(tiers·quota)⌋, assumption). */
  tierCapacity?: number[];
  /** Promotion test: a posterior draw ("thompson", default) or the posterior mean ("mean")
   *  must beat the tier's previous-round mean engagement. */
  promotion?: "thompson" | "mean";
  /** Items retire after this many days (default 30, assumption). */
  maxItemAgeDays?: number;
}

/** Creators of a `TrafficPlatform`. */
export interface TrafficPlatformCreators {
  /** Number of creators. Required. */
  count: number;
  /** Days since each creator joined (default 0: all new). */
  ageDays?: Integers;
  diligence?: Numbers;
  fanOperation?: Numbers;
  spend?: Numbers;
  gmv?: Numbers;
}

/** Merit columns for `TrafficPlatform.setMerit` (omitted columns are kept). */
export interface MeritColumns {
  diligence?: Numbers;
  fanOperation?: Numbers;
  spend?: Numbers;
  gmv?: Numbers;
}

/** The argument of `new TrafficPlatform`. */
export interface TrafficPlatformInit {
  creators: TrafficPlatformCreators;
  /** Items at start (may be empty); more with `addItems`. */
  items?: { creator: Integers };
  options?: TrafficPlatformOptions;
}

/** Posterior columns for `TrafficPlatform.addItems`. */
export interface ItemPosterior {
  alpha: Numbers;
  beta: Numbers;
}
"#;

// ---------------------------------------------------------------- helpers

/// `obj[key]`, `None` when undefined or null.
fn field(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Checks that `value` is a plain object whose keys are all in `known`.
fn plain_object(name: &str, value: &JsValue, known: &[&str]) -> Result<(), JsError> {
    if !value.is_object()
        || Array::is_array(value)
        || js_sys::ArrayBuffer::is_view(value)
        || value.is_function()
    {
        return Err(JsError::new(&format!(
            "{name} must be an object, got {}",
            describe(value)
        )));
    }
    if let Some(k) = convert::unknown_key(value, known) {
        return Err(JsError::new(&format!(
            "{name}.{k} is not a known field (expected one of: {})",
            known.join(", ")
        )));
    }
    Ok(())
}

fn number(name: &str, value: &JsValue) -> Result<f64, JsError> {
    value
        .as_f64()
        .ok_or_else(|| JsError::new(&format!("{name} must be a number, got {}", describe(value))))
}

fn opt_f64s(obj: &JsValue, prefix: &str, key: &str) -> Result<Option<Vec<f64>>, JsError> {
    field(obj, key)
        .map(|v| convert::f64s(&format!("{prefix}{key}"), &v))
        .transpose()
}

/// Reads an options object whose keys must all be in `fields` (worded like
/// this file's other key checks); `None` for `undefined`/`null`.
fn options_checked<'a>(
    name: &str,
    value: &'a JsValue,
    fields: &[&str],
) -> Result<Option<Fields<'a>>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    convert::require_object(name, value)?;
    plain_object(name, value, fields)?;
    Ok(Some(Fields::new(name, value)))
}

fn cap_settings(gini_max: &JsValue, options: Option<JsValue>) -> Result<CapSettings, JsError> {
    let g = number("giniMax", gini_max)?;
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let (mut mode, mut blend) = (None, None);
    if let Some(r) = options_checked("options", &options, &["mode", "blend"])? {
        mode = r.opt_string("mode")?;
        blend = r.opt_f64("blend")?;
    }
    let mode = match mode.as_deref() {
        Some(m) => CapMode::parse("options.mode", m).js()?,
        None => CapMode::Cap,
    };
    let s = CapSettings {
        gini_max: g,
        mode,
        blend: blend.unwrap_or(0.5),
    };
    crate::validate::in_half_open("giniMax", s.gini_max, 0.0, 1.0).js()?;
    crate::validate::in_closed("options.blend", s.blend, 0.0, 1.0).js()?;
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

// ---------------------------------------------------------------- capGini

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
    #[wasm_bindgen(unchecked_param_type = "CapGiniOptions")] options: Option<JsValue>,
) -> Result<Vec<f64>, JsError> {
    let e = convert::f64s("exposure", &exposure)?;
    let s = cap_settings(&gini_max, options)?;
    Ok(gini_cap::cap_gini("exposure", &e, &s).js()?.exposure)
}

/// Like `capGini`, also returning the mode actually applied, τ, λ, θ, the
/// number of capped creators and the Gini before and after.
#[wasm_bindgen(js_name = capGiniDetailed, unchecked_return_type = "CapGiniResult")]
pub fn cap_gini_detailed(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] exposure: JsValue,
    #[wasm_bindgen(js_name = giniMax, unchecked_param_type = "number")] gini_max: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CapGiniOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let e = convert::f64s("exposure", &exposure)?;
    let s = cap_settings(&gini_max, options)?;
    let solver = GiniCapSolver::new("exposure", &e).js()?;
    let plan = solver.solve(&s).js()?;
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
    ) -> Result<GiniCapper, JsError> {
        let e = convert::f64s("exposure", &exposure)?;
        let solver = GiniCapSolver::new("exposure", &e).js()?;
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
        #[wasm_bindgen(unchecked_param_type = "CapGiniOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let s = cap_settings(&gini_max, options)?;
        let plan = self.solver.solve(&s).js()?;
        Ok(plan_object(
            &self.solver,
            &self.solver.apply(&plan, &self.exposure),
            &plan,
        ))
    }
}

// ---------------------------------------------------------------- options

const OPTION_FIELDS: [&str; 27] = [
    "budget",
    "coldStartShare",
    "floor",
    "flooredPerCreator",
    "tierQuotas",
    "tierWeights",
    "sharpen",
    "giniMax",
    "mode",
    "blend",
    "coldStartFloor",
    "coldStartCeiling",
    "meritExponent",
    "meritWeights",
    "roiPrior",
    "roiPriorSpend",
    "maxRepairs",
    "overflow",
    "seed",
    "priorMean",
    "priorStrength",
    "newMerchantDays",
    "graduationGmv",
    "tierWindows",
    "tierCapacity",
    "promotion",
    "maxItemAgeDays",
];

#[derive(Default)]
struct OptionsIn {
    budget: Option<f64>,
    cold_start_share: Option<f64>,
    floor: Option<f64>,
    floored_per_creator: Option<f64>,
    tier_quotas: Option<Vec<f64>>,
    tier_weights: Option<Vec<f64>>,
    sharpen: Option<f64>,
    gini_max: Option<f64>,
    mode: Option<String>,
    blend: Option<f64>,
    cold_start_floor: Option<f64>,
    cold_start_ceiling: Option<f64>,
    merit_exponent: Option<f64>,
    merit_weights: Option<Vec<f64>>,
    roi_prior: Option<f64>,
    roi_prior_spend: Option<f64>,
    max_repairs: Option<f64>,
    overflow: Option<bool>,
    seed: Option<f64>,
    // TrafficPlatform only
    prior_mean: Option<f64>,
    prior_strength: Option<f64>,
    new_merchant_days: Option<f64>,
    graduation_gmv: Option<f64>,
    tier_windows: Option<Vec<f64>>,
    tier_capacity: Option<Vec<f64>>,
    promotion: Option<String>,
    max_item_age_days: Option<f64>,
}

fn int_option(name: &str, x: Option<f64>, default: usize, hi: usize) -> Result<usize, JsError> {
    convert::count(name, x, default, 0, hi)
}

fn seed_option(name: &str, x: Option<f64>) -> Result<Option<u32>, JsError> {
    x.map(|s| convert::count(name, Some(s), 0, 0, u32::MAX as usize).map(|v| v as u32))
        .transpose()
}

impl OptionsIn {
    /// Reads the options object `value` named `name` (`undefined`/`null`: all defaults).
    fn read(name: &str, value: &JsValue) -> Result<OptionsIn, JsError> {
        let Some(r) = options_checked(name, value, &OPTION_FIELDS)? else {
            return Ok(OptionsIn::default());
        };
        Ok(OptionsIn {
            budget: r.opt_f64("budget")?,
            cold_start_share: r.opt_f64("coldStartShare")?,
            floor: r.opt_f64("floor")?,
            floored_per_creator: r.opt_f64("flooredPerCreator")?,
            tier_quotas: r.opt_f64s("tierQuotas")?,
            tier_weights: r.opt_f64s("tierWeights")?,
            sharpen: r.opt_f64("sharpen")?,
            gini_max: r.opt_f64("giniMax")?,
            mode: r.opt_string("mode")?,
            blend: r.opt_f64("blend")?,
            cold_start_floor: r.opt_f64("coldStartFloor")?,
            cold_start_ceiling: r.opt_f64("coldStartCeiling")?,
            merit_exponent: r.opt_f64("meritExponent")?,
            merit_weights: r.opt_f64s("meritWeights")?,
            roi_prior: r.opt_f64("roiPrior")?,
            roi_prior_spend: r.opt_f64("roiPriorSpend")?,
            max_repairs: r.opt_f64("maxRepairs")?,
            overflow: r.opt_bool("overflow")?,
            seed: r.opt_f64("seed")?,
            prior_mean: r.opt_f64("priorMean")?,
            prior_strength: r.opt_f64("priorStrength")?,
            new_merchant_days: r.opt_f64("newMerchantDays")?,
            graduation_gmv: r.opt_f64("graduationGmv")?,
            tier_windows: r.opt_f64s("tierWindows")?,
            tier_capacity: r.opt_f64s("tierCapacity")?,
            promotion: r.opt_string("promotion")?,
            max_item_age_days: r.opt_f64("maxItemAgeDays")?,
        })
    }

    fn round(&self, p: &str) -> Result<RoundSettings, JsError> {
        let d = RoundSettings::default();
        let quotas = self.tier_quotas.clone().unwrap_or(d.tier_quotas);
        let weights = self
            .tier_weights
            .clone()
            .unwrap_or_else(|| vec![1.0; quotas.len()]);
        let mode = match self.mode.as_deref() {
            Some(m) => CapMode::parse(&format!("{p}mode"), m).js()?,
            None => CapMode::Cap,
        };
        let cs = ColdStartSettings::default();
        let weights3 = match &self.merit_weights {
            Some(w) if w.len() == 3 => [w[0], w[1], w[2]],
            Some(w) => {
                return Err(JsError::new(&format!(
                    "{p}meritWeights must have 3 elements (diligence, fanOperation, spend efficiency), got {}",
                    w.len()
                )))
            }
            None => cs.weights,
        };
        let s = RoundSettings {
            budget: self.budget.unwrap_or(d.budget),
            cold_start_share: self.cold_start_share.unwrap_or(d.cold_start_share),
            floor: self.floor.unwrap_or(d.floor),
            floored_per_creator: int_option(
                &format!("{p}flooredPerCreator"),
                self.floored_per_creator,
                d.floored_per_creator,
                crate::validate::MAX_ELEMENTS,
            )?,
            tier_quotas: quotas,
            tier_weights: weights,
            sharpen: self.sharpen.unwrap_or(d.sharpen),
            cap: CapSettings {
                gini_max: self.gini_max.unwrap_or(d.cap.gini_max),
                mode,
                blend: self.blend.unwrap_or(d.cap.blend),
            },
            cold_start: ColdStartSettings {
                floor: self.cold_start_floor.unwrap_or(cs.floor),
                ceiling: self.cold_start_ceiling.unwrap_or(cs.ceiling),
                exponent: self.merit_exponent.unwrap_or(cs.exponent),
                weights: weights3,
                roi_prior: self.roi_prior.unwrap_or(cs.roi_prior),
                roi_prior_spend: self.roi_prior_spend.unwrap_or(cs.roi_prior_spend),
            },
            max_repairs: int_option(
                &format!("{p}maxRepairs"),
                self.max_repairs,
                d.max_repairs,
                100,
            )?,
            overflow: self.overflow.unwrap_or(d.overflow),
            seed: seed_option(&format!("{p}seed"), self.seed)?,
        };
        s.validate(p).js()?;
        Ok(s)
    }

    fn reject_platform_fields(&self, p: &str) -> Result<(), JsError> {
        let present = [
            ("priorMean", self.prior_mean.is_some()),
            ("priorStrength", self.prior_strength.is_some()),
            ("newMerchantDays", self.new_merchant_days.is_some()),
            ("graduationGmv", self.graduation_gmv.is_some()),
            ("tierWindows", self.tier_windows.is_some()),
            ("tierCapacity", self.tier_capacity.is_some()),
            ("promotion", self.promotion.is_some()),
            ("maxItemAgeDays", self.max_item_age_days.is_some()),
        ];
        if let Some((k, _)) = present.iter().find(|(_, on)| *on) {
            return Err(JsError::new(&format!(
                "{p}{k} is a TrafficPlatform option, not an allocate option"
            )));
        }
        Ok(())
    }

    fn platform(&self, p: &str) -> Result<PlatformConfig, JsError> {
        let d = PlatformConfig::default();
        let round = self.round(p)?;
        let windows = match &self.tier_windows {
            Some(w) => w
                .iter()
                .enumerate()
                .map(|(t, &x)| {
                    convert::count(&format!("{p}tierWindows[{t}]"), Some(x), 1, 1, 100_000)
                        .map(|v| v as u32)
                })
                .collect::<Result<Vec<u32>, JsError>>()?,
            None if round.tier_quotas.len() == d.tier_windows.len() => d.tier_windows.clone(),
            None => vec![3; round.tier_quotas.len()],
        };
        let promotion = match self.promotion.as_deref() {
            Some(s) => PromotionRule::parse(&format!("{p}promotion"), s).js()?,
            None => PromotionRule::Thompson,
        };
        let c = PlatformConfig {
            round,
            prior_mean: self.prior_mean.unwrap_or(d.prior_mean),
            prior_strength: self.prior_strength.unwrap_or(d.prior_strength),
            new_merchant_days: convert::count(
                &format!("{p}newMerchantDays"),
                self.new_merchant_days,
                d.new_merchant_days as usize,
                0,
                100_000,
            )? as u32,
            graduation_gmv: self.graduation_gmv.unwrap_or(d.graduation_gmv),
            tier_windows: windows,
            tier_capacity: self.tier_capacity.clone(),
            promotion,
            max_item_age_days: convert::count(
                &format!("{p}maxItemAgeDays"),
                self.max_item_age_days,
                d.max_item_age_days as usize,
                1,
                100_000,
            )? as u32,
        };
        c.validate(p).js()?;
        Ok(c)
    }
}

// ---------------------------------------------------------------- allocate

const ITEM_FIELDS: [&str; 7] = ["creator", "score", "alpha", "beta", "value", "tier", "used"];
const CREATOR_FIELDS: [&str; 6] = [
    "count",
    "newMerchant",
    "diligence",
    "fanOperation",
    "spend",
    "gmv",
];

fn result_object(r: &RoundResult) -> JsValue {
    let f = |v: &[u64]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    JsObject::new()
        .set("seed", r.seed)
        .f64s("itemExposure", &f(&r.item_exposure))
        .f64s("itemExpected", &r.item_expected)
        .f64s("score", &r.score)
        .f64s("creatorExposure", &f(&r.creator_exposure))
        .f64s("creatorBeforeCap", &r.creator_before_cap)
        .f64s("coldStart", &r.cold_start)
        .flags("capped", &r.capped)
        .flags("inPopulation", &r.in_population)
        .set("coldStartTotal", r.cold_start_total)
        .set("publicTotal", r.public_total)
        .set("unallocated", r.unallocated as f64)
        .set("mode", r.plan.applied.as_str())
        .set("fellBack", r.plan.fell_back)
        .set("tau", r.plan.tau)
        .set("lambda", r.plan.lambda)
        .set("theta", r.plan.theta)
        .set("cappedCount", r.plan.capped as f64)
        .set("solvedGiniMax", r.solved_gini_max)
        .set("gini", r.gini)
        .set("giniBeforeCap", r.gini_before_cap)
        .set("top10Share", r.top10_share)
        .set("bottom50Share", r.bottom50_share)
        .set("population", r.population as f64)
        .set("repairs", r.repairs as f64)
        .set("capMet", r.cap_met)
        .build()
}

/// One stateless allocation round: Thompson-sampled (or given) scores →
/// cold-start pool for new merchants by percentile-ranked merit (floor and
/// ceiling) → public pool (per-item floor, score-proportional within tier
/// quotas) → exact creator Gini cap → integer impressions with the exact
/// budget total (re-solving if rounding pushes the Gini over the cap).
/// Per-item and per-creator columns are typed arrays; scalars go in
/// `request.options`. Every error names the offending field, e.g.
/// `request.items.creator[5] is 7 but there are only 5 creators`.
#[wasm_bindgen(js_name = allocate, unchecked_return_type = "AllocationResult")]
pub fn allocate(
    #[wasm_bindgen(unchecked_param_type = "AllocationRequest")] request: JsValue,
) -> Result<JsValue, JsError> {
    plain_object("request", &request, &["items", "creators", "options"])?;
    let items =
        field(&request, "items").ok_or_else(|| JsError::new("request.items is required"))?;
    plain_object("request.items", &items, &ITEM_FIELDS)?;
    let ip = "request.items.";
    let creator_v = field(&items, "creator")
        .ok_or_else(|| JsError::new("request.items.creator is required"))?;
    let owner = convert::u32s("request.items.creator", &creator_v)?;
    let score = opt_f64s(&items, ip, "score")?;
    let alpha = opt_f64s(&items, ip, "alpha")?;
    let beta = opt_f64s(&items, ip, "beta")?;
    let value = opt_f64s(&items, ip, "value")?;
    let used = opt_f64s(&items, ip, "used")?;
    let tier = field(&items, "tier")
        .map(|v| convert::u32s("request.items.tier", &v))
        .transpose()?;
    let engagement = match (&score, &alpha, &beta) {
        (Some(s), _, _) => Engagement::Score(s),
        (None, Some(a), Some(b)) => Engagement::Posterior { alpha: a, beta: b },
        (None, Some(_), None) => {
            return Err(JsError::new("request.items.beta is required with alpha"))
        }
        (None, None, Some(_)) => {
            return Err(JsError::new("request.items.alpha is required with beta"))
        }
        (None, None, None) => {
            return Err(JsError::new(
                "request.items needs a score column or alpha and beta columns",
            ))
        }
    };

    let cp = "request.creators.";
    let creators = field(&request, "creators");
    let (mut count, mut new_merchant) = (None, None);
    let (mut dil, mut fan, mut spend, mut gmv) = (None, None, None, None);
    if let Some(c) = &creators {
        plain_object("request.creators", c, &CREATOR_FIELDS)?;
        if let Some(v) = field(c, "count") {
            let x = number("request.creators.count", &v)?;
            count = Some(convert::count(
                "request.creators.count",
                Some(x),
                0,
                1,
                crate::validate::MAX_ELEMENTS,
            )?);
        }
        new_merchant = field(c, "newMerchant")
            .map(|v| convert::flags("request.creators.newMerchant", &v))
            .transpose()?;
        dil = opt_f64s(c, cp, "diligence")?;
        fan = opt_f64s(c, cp, "fanOperation")?;
        spend = opt_f64s(c, cp, "spend")?;
        gmv = opt_f64s(c, cp, "gmv")?;
    }
    let inferred = new_merchant
        .as_ref()
        .map(|v| v.len())
        .or(dil.as_ref().map(|v| v.len()))
        .or(fan.as_ref().map(|v| v.len()))
        .or(spend.as_ref().map(|v| v.len()))
        .or(gmv.as_ref().map(|v| v.len()))
        .unwrap_or_else(|| owner.iter().map(|&c| c as usize + 1).max().unwrap_or(0));
    let m = count.unwrap_or(inferred);

    let o = OptionsIn::read(
        "request.options",
        &field(&request, "options").unwrap_or(JsValue::UNDEFINED),
    )?;
    o.reject_platform_fields("request.options.")?;
    let settings = o.round("request.options.")?;
    let input = RoundInput {
        creators: m,
        item_creator: &owner,
        engagement,
        value: value.as_deref(),
        tier: tier.as_deref(),
        used: used.as_deref(),
        new_merchant: new_merchant.as_deref(),
        merit: MeritSignals {
            diligence: dil.as_deref(),
            fan_operation: fan.as_deref(),
            spend: spend.as_deref(),
            gmv: gmv.as_deref(),
        },
    };
    let r = round::allocate(&input, &settings, "request.").js()?;
    Ok(result_object(&r))
}

// ---------------------------------------------------------------- TrafficPlatform

/// A platform that runs allocation rounds over days: Beta posteriors per
/// item from observed engagement, tiered traffic pools (×10 quotas by
/// default) with promotion against the previous round's tier mean,
/// retirement of stale items, graduation of new merchants. A day is
/// `runRound()` then `observe(engaged)`. Call `free()` when done.
#[wasm_bindgen]
pub struct TrafficPlatform {
    platform: Platform,
    rng: random::Rng,
    seed: u32,
}

#[wasm_bindgen]
impl TrafficPlatform {
    /// Creates a platform from `{ creators, items?, options? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrafficPlatformInit")] init: JsValue,
    ) -> Result<TrafficPlatform, JsError> {
        plain_object("init", &init, &["creators", "items", "options"])?;
        let c =
            field(&init, "creators").ok_or_else(|| JsError::new("init.creators is required"))?;
        plain_object(
            "init.creators",
            &c,
            &[
                "count",
                "ageDays",
                "diligence",
                "fanOperation",
                "spend",
                "gmv",
            ],
        )?;
        let count_v =
            field(&c, "count").ok_or_else(|| JsError::new("init.creators.count is required"))?;
        let count = convert::count(
            "init.creators.count",
            Some(number("init.creators.count", &count_v)?),
            0,
            1,
            crate::validate::MAX_ELEMENTS,
        )?;
        let cp = "init.creators.";
        let creators = CreatorColumns {
            count,
            age_days: field(&c, "ageDays")
                .map(|v| convert::u32s("init.creators.ageDays", &v))
                .transpose()?,
            diligence: opt_f64s(&c, cp, "diligence")?,
            fan_operation: opt_f64s(&c, cp, "fanOperation")?,
            spend: opt_f64s(&c, cp, "spend")?,
            gmv: opt_f64s(&c, cp, "gmv")?,
        };
        let owner = match field(&init, "items") {
            Some(items) => {
                plain_object("init.items", &items, &["creator"])?;
                let v = field(&items, "creator")
                    .ok_or_else(|| JsError::new("init.items.creator is required"))?;
                convert::u32s("init.items.creator", &v)?
            }
            None => Vec::new(),
        };
        let o = OptionsIn::read(
            "init.options",
            &field(&init, "options").unwrap_or(JsValue::UNDEFINED),
        )?;
        let config = o.platform("init.options.")?;
        let seed = random::resolve_seed(config.round.seed).js()?;
        let platform = Platform::new(config, creators, &owner, "init.").js()?;
        Ok(TrafficPlatform {
            platform,
            rng: random::rng(seed),
            seed,
        })
    }

    /// Runs today's round over the active items. Item columns cover every
    /// registered item (0 impressions for retired ones).
    #[wasm_bindgen(js_name = runRound, unchecked_return_type = "AllocationResult")]
    pub fn run_round(&mut self) -> Result<JsValue, JsError> {
        let mut r = self.platform.allocate_day(&mut self.rng).js()?;
        r.seed = self.seed;
        Ok(result_object(&r))
    }

    /// Feeds back today's engaged impressions per item (integers, each at
    /// most the item's impressions today; length = `itemCount`) and ends the
    /// day: posteriors, promotions, retirements, graduations.
    pub fn observe(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] engaged: JsValue,
    ) -> Result<(), JsError> {
        let e = convert::f64s("engaged", &engaged)?;
        self.platform.observe(&e, &mut self.rng, "engaged").js()
    }

    /// Adds items owned by `creator` (tier 0, prior posterior unless
    /// `posterior` gives α and β). Returns the index of the first new item.
    #[wasm_bindgen(js_name = addItems)]
    pub fn add_items(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Integers")] creator: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ItemPosterior")] posterior: Option<JsValue>,
    ) -> Result<u32, JsError> {
        let owner = convert::u32s("creator", &creator)?;
        let post = match posterior.filter(|p| !p.is_undefined() && !p.is_null()) {
            Some(p) => {
                plain_object("posterior", &p, &["alpha", "beta"])?;
                let a = field(&p, "alpha")
                    .ok_or_else(|| JsError::new("posterior.alpha is required"))?;
                let b =
                    field(&p, "beta").ok_or_else(|| JsError::new("posterior.beta is required"))?;
                Some((
                    convert::f64s("posterior.alpha", &a)?,
                    convert::f64s("posterior.beta", &b)?,
                ))
            }
            None => None,
        };
        let first = self
            .platform
            .add_items(
                &owner,
                post.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice())),
                "",
                "posterior.",
            )
            .js()?;
        Ok(first as u32)
    }

    /// Replaces creators' merit columns (omitted columns are kept).
    #[wasm_bindgen(js_name = setMerit)]
    pub fn set_merit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MeritColumns")] merit: JsValue,
    ) -> Result<(), JsError> {
        plain_object(
            "merit",
            &merit,
            &["diligence", "fanOperation", "spend", "gmv"],
        )?;
        let p = "merit.";
        let (d, f, s, g) = (
            opt_f64s(&merit, p, "diligence")?,
            opt_f64s(&merit, p, "fanOperation")?,
            opt_f64s(&merit, p, "spend")?,
            opt_f64s(&merit, p, "gmv")?,
        );
        self.platform
            .set_merit(
                MeritSignals {
                    diligence: d.as_deref(),
                    fan_operation: f.as_deref(),
                    spend: s.as_deref(),
                    gmv: g.as_deref(),
                },
                p,
            )
            .js()
    }

    /// Days completed.
    #[wasm_bindgen(getter)]
    pub fn day(&self) -> u32 {
        self.platform.day()
    }

    /// The seed of the platform's random numbers.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> u32 {
        self.seed
    }

    /// Items registered (including retired ones).
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> u32 {
        self.platform.items().len() as u32
    }

    /// Creators registered.
    #[wasm_bindgen(getter, js_name = creatorCount)]
    pub fn creator_count(&self) -> u32 {
        self.platform.creator_count() as u32
    }

    /// Whether a round is waiting for `observe`.
    #[wasm_bindgen(getter, js_name = awaitingObservation)]
    pub fn awaiting_observation(&self) -> bool {
        self.platform.awaiting_observation()
    }

    /// Tier of every item.
    pub fn tiers(&self) -> Vec<u32> {
        self.platform.items().iter().map(|i| i.tier).collect()
    }

    /// 1 for items still in the public pool.
    pub fn active(&self) -> Vec<u8> {
        self.platform
            .items()
            .iter()
            .map(|i| u8::from(i.active))
            .collect()
    }

    /// Posterior mean engagement `α/(α+β)` of every item.
    #[wasm_bindgen(js_name = posteriorMean)]
    pub fn posterior_mean(&self) -> Vec<f64> {
        self.platform
            .items()
            .iter()
            .map(|i| i.alpha / (i.alpha + i.beta))
            .collect()
    }

    /// Posterior α of every item.
    pub fn alpha(&self) -> Vec<f64> {
        self.platform.items().iter().map(|i| i.alpha).collect()
    }

    /// Posterior β of every item.
    pub fn beta(&self) -> Vec<f64> {
        self.platform.items().iter().map(|i| i.beta).collect()
    }

    /// Impressions each item has used in its current tier.
    pub fn used(&self) -> Vec<f64> {
        self.platform.items().iter().map(|i| i.used).collect()
    }

    /// Tier thresholds the next promotion decisions use (previous round's tier means).
    pub fn thresholds(&self) -> Vec<f64> {
        self.platform.thresholds().to_vec()
    }

    /// Items each tier can hold.
    pub fn capacities(&self) -> Vec<f64> {
        self.platform.capacities().to_vec()
    }

    /// 1 for creators that are new merchants today.
    #[wasm_bindgen(js_name = newMerchants)]
    pub fn new_merchants(&self) -> Vec<u8> {
        self.platform
            .new_merchants()
            .into_iter()
            .map(u8::from)
            .collect()
    }
}
