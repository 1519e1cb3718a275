//! JS bindings for [`crate::allocation::round`]: `allocate` (one stateless
//! round), its request and option tables (the options table is also the
//! base of `TrafficPlatform`'s) and the round's result.

use wasm_bindgen::prelude::*;

use crate::allocation::cold_start::MeritSignals;
use crate::allocation::gini_cap::CapMode;
use crate::allocation::round::{
    self, Engagement, RoundInput, RoundResult, RoundSettings, MAX_TIERS,
};
use crate::bindings::js::{JsResult, Thrown};
use crate::bindings::options::{self, js_options};
use crate::bindings::write::JsObject;
use crate::validate::MAX_ELEMENTS;

js_options! {
    /// Scalar settings of a round. Defaults marked (assumption) are modelling
    /// assumptions: no public source gives Kuaishou's numbers.
    options "AllocationOptions" for RoundSettings {
        "budget" => budget: number, "Daily budget in impressions, an integer in [1, 2^53] (default 1e8, assumption).";
        "coldStartShare" => cold_start_share: number, "Share of the budget reserved for new merchants, [0, 1] (default 0.1, assumption).";
        "floor" => floor: number, "Per-item floor in impressions (default 300, assumption).";
        "flooredPerCreator" => floored_per_creator: count(0, MAX_ELEMENTS), "At most this many floored items per creator (default 3, assumption).";
        "tierQuotas" => tier_quotas: numbers(MAX_TIERS), "Impression quota per tier, at most 64 tiers; Infinity for none (default [500, 5000, 50000, 500000, Infinity], assumption).";
        "tierWeights" => tier_weights: numbers(MAX_TIERS) or |s: &RoundSettings| vec![1.0; s.tier_quotas.len()], "Score weight per tier (default 1 each).";
        "sharpen" => sharpen: number, "Exponent γ on engagement·value, [0.1, 10] (default 1).";
        "giniMax" => cap.gini_max: number, "Gini cap over creators, [0, 1) (default 0.6, assumption).";
        "mode" => cap.mode: parse(CapMode) as "CapMode", "Cap mechanism (default \"cap\").";
        "blend" => cap.blend: number, "Cap weight in \"blend\" mode (default 0.5).";
        "coldStartFloor" => cold_start.floor: number, "Guaranteed impressions per new merchant (default 1000, assumption).";
        "coldStartCeiling" => cold_start.ceiling: number, "Most impressions above the floor per new merchant (default 50000, assumption).";
        "meritExponent" => cold_start.exponent: number, "Exponent β on merit, [0, 10] (default 1).";
        "meritWeights" => cold_start.weights: array as "[number, number, number]", "Weights of diligence, fan operation, spend efficiency (default [1/3, 1/3, 1/3], assumption).";
        "roiPrior" => cold_start.roi_prior: number, "Prior ROI (default 2, assumption).";
        "roiPriorSpend" => cold_start.roi_prior_spend: number, "Prior spend the ROI is shrunk with (default 1000, assumption).";
        "maxRepairs" => max_repairs: count(0, 100), "Re-solves allowed when rounding pushes the Gini over the cap, [0, 100] (default 5). Each lowers the solved target: the first by the excess plus 1e-7, each further one by 4× the step before.";
        "overflow" => overflow: boolean, "When every item is at its tier quota, spread the rest of the budget by score beyond the quotas (default false: it is reported as `unallocated`).";
        "seed" => seed: opt_uint(0, u32::MAX), "Seed (uint32) for the Thompson draws; without one, drawn from the platform's entropy.";
    }
}

/// The per-item columns of a request.
#[derive(Default)]
struct Items {
    creator: Vec<u32>,
    score: Option<Vec<f64>>,
    alpha: Option<Vec<f64>>,
    beta: Option<Vec<f64>>,
    value: Option<Vec<f64>>,
    tier: Option<Vec<u32>>,
    used: Option<Vec<f64>>,
}

js_options! {
    /// Per-item columns of an allocation request (all the same length).
    options "AllocationItems" for Items {
        "creator" => creator: req_integers, "Owner of each item: a creator index in [0, creators.count). Required.";
        "score" => score: opt_column, "Known engagement score per item (≥ 0). Wins over `alpha`/`beta` when both are given.";
        "alpha" => alpha: opt_column, "Beta posterior α per item (> 0): the score is a Thompson draw. Needs `beta`.";
        "beta" => beta: opt_column, "Beta posterior β per item (> 0).";
        "value" => value: opt_column, "Value per engaged impression (default 1).";
        "tier" => tier: opt_integers, "Tier per item, in [0, tierQuotas.length) (default 0).";
        "used" => used: opt_column, "Impressions already used in the current tier (default 0).";
    }
}

/// Merit columns per creator: the signals new merchants' cold-start
/// traffic is ranked by (`allocate`'s creators, `TrafficPlatform.setMerit`).
#[derive(Default)]
pub(super) struct Merit {
    pub(super) diligence: Option<Vec<f64>>,
    pub(super) fan_operation: Option<Vec<f64>>,
    pub(super) spend: Option<Vec<f64>>,
    pub(super) gmv: Option<Vec<f64>>,
}

impl Merit {
    /// The columns given, as the core reads them.
    pub(super) fn signals(&self) -> MeritSignals<'_> {
        MeritSignals {
            diligence: self.diligence.as_deref(),
            fan_operation: self.fan_operation.as_deref(),
            spend: self.spend.as_deref(),
            gmv: self.gmv.as_deref(),
        }
    }
}

/// The per-creator columns of a request.
#[derive(Default)]
struct Creators {
    count: Option<usize>,
    new_merchant: Option<Vec<bool>>,
    merit: Merit,
}

js_options! {
    /// Per-creator columns of an allocation request (all of length `count`).
    options "AllocationCreators" for Creators {
        "count" => count: opt_count(1, MAX_ELEMENTS), "Number of creators (default: the columns' length, else the largest owner + 1).";
        "newMerchant" => new_merchant: opt_flags, "Which creators are new merchants (eligible for the cold-start pool).";
        "diligence" => merit.diligence: opt_column, "Diligence signal (≥ 0; only its rank among new merchants matters).";
        "fanOperation" => merit.fan_operation: opt_column, "Fan-operation signal (≥ 0; rank only).";
        "spend" => merit.spend: opt_column, "Advertising spend (≥ 0).";
        "gmv" => merit.gmv: opt_column, "GMV from that spend (≥ 0). Spend efficiency is the shrunk ROI `(gmv + roiPrior·roiPriorSpend)/(spend + roiPriorSpend)`.";
    }
}

/// The argument of `allocate`.
#[derive(Default)]
struct Request {
    items: Items,
    creators: Creators,
    options: RoundSettings,
}

js_options! {
    /// The argument of `allocate`.
    options "AllocationRequest" for Request {
        "items" => items: req_nested as "AllocationItems", "The items to allocate to.";
        "creators" => creators: nested as "AllocationCreators", "Their creators.";
        "options" => options: nested as "AllocationOptions", "Scalar settings.";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
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
"#;

/// A round's result as JS (also `TrafficPlatform.runRound`'s).
pub fn result_object(r: &RoundResult) -> JsValue {
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

/// The engagement the items give: scores, or Beta posteriors to draw from.
fn engagement(items: &Items) -> JsResult<Engagement<'_>> {
    match (&items.score, &items.alpha, &items.beta) {
        (Some(s), _, _) => Ok(Engagement::Score(s)),
        (None, Some(a), Some(b)) => Ok(Engagement::Posterior { alpha: a, beta: b }),
        (None, Some(_), None) => Err(Thrown::type_error(
            "request.items.beta is required with alpha".into(),
        )),
        (None, None, Some(_)) => Err(Thrown::type_error(
            "request.items.alpha is required with beta".into(),
        )),
        (None, None, None) => Err(Thrown::type_error(
            "request.items needs a score column or alpha and beta columns".into(),
        )),
    }
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
) -> JsResult<JsValue> {
    let mut req = Request::default();
    options::read_into("request", &request, &mut req)?;
    let (items, c) = (&req.items, &req.creators);
    let engagement = engagement(items)?;
    let inferred = c
        .new_merchant
        .as_ref()
        .map(|v| v.len())
        .or(c.merit.diligence.as_ref().map(|v| v.len()))
        .or(c.merit.fan_operation.as_ref().map(|v| v.len()))
        .or(c.merit.spend.as_ref().map(|v| v.len()))
        .or(c.merit.gmv.as_ref().map(|v| v.len()))
        .unwrap_or_else(|| {
            items
                .creator
                .iter()
                .map(|&c| c as usize + 1)
                .max()
                .unwrap_or(0)
        });
    let settings = &req.options;
    let input = RoundInput {
        creators: c.count.unwrap_or(inferred),
        item_creator: &items.creator,
        engagement,
        value: items.value.as_deref(),
        tier: items.tier.as_deref(),
        used: items.used.as_deref(),
        new_merchant: c.new_merchant.as_deref(),
        merit: c.merit.signals(),
    };
    Ok(result_object(&round::allocate(
        &input, settings, "request.",
    )?))
}
