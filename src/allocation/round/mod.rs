//! One allocation round (notes §5.2 steps 1–5), stateless:
//!
//! 1. **scores** `s_i = w_t·(θ_i·v_i)^γ`, where `θ_i` is the item's given
//!    `score` or a Thompson draw from `Beta(α_i, β_i)`;
//! 2. **cold-start pool** `ρ·B` to new merchants by merit (floor and ceiling,
//!    [`super::cold_start`]), split over each merchant's items ∝ `s_i`;
//!    what the ceilings leave unused flows back to the public pool;
//! 3. **public pool**: a floor for each creator's best `n_f` items, the rest
//!    ∝ `s_i` within the tier quotas ([`super::pools`]);
//! 4. **exact creator Gini cap** on the per-creator totals of both pools
//!    ([`super::gini_cap`]), scaled back to items;
//! 5. **integers**: Hamilton rounding to the exact total, and if rounding
//!    pushes the creators' Gini over the cap, a re-solve with a slightly lower
//!    target (at most `max_repairs` times). The first re-solve lowers the
//!    target by the excess plus 1e-7, each further one by four times the step
//!    before: a step smaller than one integer unit of Gini (≈ 2/budget) can
//!    round to the same integers again.
//!
//! The Gini population is the creators with at least one item in the round.
//!
//! ```
//! # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
//! # let owner = [0u32, 0, 1, 2];
//! # let score = [0.05, 0.01, 0.03, 0.02];
//! # let input = RoundInput {
//! #     creators: 3,
//! #     item_creator: &owner,
//! #     engagement: Engagement::Score(&score),
//! #     value: None,
//! #     tier: None,
//! #     used: None,
//! #     new_merchant: None,
//! #     merit: Default::default(),
//! # };
//! # let settings = RoundSettings {
//! #     budget: 1_000_000.0,
//! #     tier_quotas: vec![f64::INFINITY],
//! #     tier_weights: vec![1.0],
//! #     seed: Some(7),
//! #     ..RoundSettings::default()
//! # };
//! let r = allocate(&input, &settings, "")?;
//! // Every impression is placed, in whole numbers, and the cap holds.
//! assert_eq!(r.item_exposure.iter().sum::<u64>() + r.unallocated, 1_000_000);
//! assert!(r.gini <= settings.cap.gini_max);
//! // The best-scored item gets the most.
//! assert!(r.item_exposure[0] > r.item_exposure[2]);
//! # Ok::<(), shijing::Error>(())
//! ```
mod checks;
mod input;

pub use checks::{all_positive, validate_input};
pub use input::{
    Engagement, RoundInput, RoundResult, RoundSettings, DEFAULT_TIER_QUOTAS, MAX_BUDGET, MAX_TIERS,
};

use super::cold_start;
use super::gini_cap::{AppliedMode, CapPlan, CapSettings, GiniCapSolver};
use super::pools;
use super::rounding::round_to_total;
use crate::stats::inequality;
use crate::stats::random::{self, Normals};
use crate::stats::sort;
use crate::stats::{clamp, max_of};
use crate::Result;

/// Step 1: the score of every item. `s_i = w_t·(θ_i·v_i)^γ`.
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// use shijing::allocation::round::scores;
/// use shijing::stats::random::rng;
/// let sharp = RoundSettings { sharpen: 2.0, ..settings };
/// let s = scores(&input, &sharp, &mut rng(1));
/// assert!((s[0] - 0.05 * 0.05).abs() < 1e-15); // (θ·v)^γ
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn scores(input: &RoundInput, settings: &RoundSettings, rng: &mut random::Rng) -> Vec<f64> {
    let n = input.item_creator.len();
    let mut s = vec![0.0; n];
    let mut normals = Normals::new();
    match input.engagement {
        Engagement::Score(sc) => s.copy_from_slice(sc),
        Engagement::Posterior { alpha, beta } => {
            for i in 0..n {
                let t = random::beta(rng, &mut normals, alpha[i], beta[i]);
                s[i] = if t.is_finite() { t } else { 0.0 };
            }
        }
    }
    let gamma = settings.sharpen;
    for i in 0..n {
        let mut x = s[i];
        if let Some(v) = input.value {
            x *= v[i];
        }
        if gamma != 1.0 {
            x = libm::pow(x, gamma);
        }
        if let Some(t) = input.tier {
            x *= settings.tier_weights[t[i] as usize];
        }
        s[i] = if x.is_finite() { max_of(x, 0.0) } else { 0.0 };
    }
    s
}

/// Runs one round (see the module docs). `prefix` names arguments in errors
/// (`"request."` for the JS `allocate`).
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// let capped = RoundSettings { cap: shijing::allocation::CapSettings { gini_max: 0.1, ..Default::default() }, ..settings };
/// let r = allocate(&input, &capped, "")?;
/// assert!(r.gini <= 0.1 && r.cap_met);
/// assert_eq!(r.item_exposure.iter().sum::<u64>(), 1_000_000);
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn allocate(input: &RoundInput, settings: &RoundSettings, prefix: &str) -> Result<RoundResult> {
    let opt_prefix = format!("{prefix}options.");
    settings.validate(&opt_prefix)?;
    validate_input(input, settings, prefix)?;
    let seed = random::resolve_seed(settings.seed)?;
    let mut rng = random::rng(seed);
    let score = scores(input, settings, &mut rng);
    Ok(allocate_scored(input, settings, score, seed))
}

/// Steps 2–5 for validated input and precomputed scores. `input.engagement`
/// and `input.value` are not read: `score` holds the scores (handed back in
/// [`RoundResult::score`]).
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// use shijing::allocation::round::{allocate_scored, scores};
/// use shijing::stats::random::rng;
/// let s = scores(&input, &settings, &mut rng(7));
/// let r = allocate_scored(&input, &settings, s, 7);
/// assert_eq!(r.item_exposure, allocate(&input, &settings, "")?.item_exposure);
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn allocate_scored(
    input: &RoundInput,
    settings: &RoundSettings,
    score: Vec<f64>,
    seed: u32,
) -> RoundResult {
    let n = input.item_creator.len();
    let m = input.creators;
    let owner = input.item_creator;
    let budget = settings.budget;

    let (items_of, score_of) = creator_totals(owner, &score, m);
    // Only the scores' ratios matter. When their total is out of
    // [`SCORE_RANGE`], the creators' shares and the overflow spread use them
    // times a power of two ([`pools::safe_scale`] of the largest), exactly,
    // and the overflow level is scaled back. (The public pool scales its
    // active scores itself when it must.)
    let scaled: Vec<f64>;
    let total_score: f64 = score_of.iter().sum();
    let (score_in, score_of, back) =
        if (SCORE_RANGE.0..=SCORE_RANGE.1).contains(&total_score) || total_score == 0.0 {
            (&score[..], score_of, 1.0)
        } else {
            let unit = pools::safe_scale(score.iter().fold(0.0, |m, &s| max_of(m, s)));
            scaled = score.iter().map(|&s| s * unit).collect();
            (&scaled[..], creator_totals(owner, &scaled, m).1, unit)
        };

    // Step 2: cold-start pool.
    let cs_budget = budget * settings.cold_start_share;
    let (cold_start, cs_left, cold_start_level) =
        cold_start_pool(input, settings, &items_of, cs_budget);
    let cold_start_total = cs_budget - cs_left;

    // Step 3: public pool.
    let public_budget = budget - cold_start_total;
    let cap = item_room(input, &settings.tier_quotas);
    let floored = pools::floored_items(owner, &score, &items_of, settings.floored_per_creator);
    let mut public = pools::public_pool(&score, &cap, &floored, settings.floor, public_budget);
    drop(cap);
    drop(floored);
    // With `overflow`, what no quota could take is spread in proportion to
    // score (evenly when every score is 0), added in the pass below.
    let mut overflow_level = 0.0;
    let mut spread = Spread::Nothing;
    if settings.overflow && public.unplaced > 0.0 {
        let total: f64 = score_in.iter().sum();
        spread = if total > 0.0 {
            let level = public.unplaced / total;
            overflow_level = level * back;
            Spread::ByScore(level)
        } else {
            Spread::Evenly(public.unplaced / n as f64)
        };
        public.unplaced = 0.0;
    }
    let public_total = public_budget - public.unplaced;
    let public_level = public.level;
    let public_active_score = public.active_score;

    let mut x0 = public.exposure;
    let before = add_shares(
        &mut x0,
        owner,
        score_in,
        (&items_of, &score_of),
        &cold_start,
        spread,
    );
    let float_total: f64 = before.iter().sum();
    let int_total = clamp((float_total + 0.5).floor(), 0.0, budget) as u64;
    let unallocated = budget as u64 - int_total;

    // Step 4 and 5. The Gini population is every creator unless some have
    // no items: only then are the population's columns gathered.
    let in_population: Vec<bool> = items_of.iter().map(|&k| k > 0).collect();
    let population = in_population.iter().filter(|&&b| b).count();
    let pop_index: Option<Vec<usize>> =
        (population < m).then(|| (0..m).filter(|&c| in_population[c]).collect());
    let e0: Vec<f64>;
    let e0 = match &pop_index {
        Some(ix) => {
            e0 = ix.iter().map(|&c| before[c]).collect();
            &e0[..]
        }
        None => &before[..],
    };
    let solver = GiniCapSolver::new("creator exposure", e0).ok();
    let g_max = settings.cap.gini_max;
    let mut target = g_max;
    let mut repairs = 0;
    let mut plan;
    let mut item_expected;
    let mut item_exposure;
    let mut creator_exposure;
    let mut shares;
    loop {
        plan = match &solver {
            Some(s) => s
                .solve(&CapSettings {
                    gini_max: target,
                    ..settings.cap
                })
                .unwrap_or_else(|_| CapPlan::unchanged(s.gini())),
            None => CapPlan::unchanged(0.0),
        };
        if plan.applied == AppliedMode::Unchanged {
            // Every ratio is 1 and `x·1 = x` (no `x0` is NaN): a copy.
            item_expected = x0.clone();
        } else {
            let mean = solver.as_ref().map_or(0.0, |s| s.mean());
            item_expected = apply_plan(&plan, mean, &x0, owner, &before, &items_of);
        }
        item_exposure = round_to_total(&item_expected, int_total);
        creator_exposure = creator_sums(&item_exposure, owner, m);
        let mut ints: Vec<u64> = match &pop_index {
            Some(ix) => ix.iter().map(|&c| creator_exposure[c]).collect(),
            None => creator_exposure.clone(),
        };
        shares = integer_shares(&mut ints);
        if shares.0 <= g_max || repairs >= settings.max_repairs || solver.is_none() {
            break;
        }
        target = (target - (shares.0 - g_max + 1e-7) * 4f64.powi(repairs as i32)).max(0.0);
        repairs += 1;
    }
    let capped: Vec<bool> = (0..m)
        .map(|c| in_population[c] && GiniCapSolver::is_capped(&plan, before[c]))
        .collect();
    RoundResult {
        seed,
        item_exposure,
        item_expected,
        score,
        creator_exposure,
        creator_before_cap: before,
        cold_start,
        capped,
        in_population,
        cold_start_total,
        public_total,
        public_level,
        cold_start_level,
        public_active_score,
        overflow_level,
        unallocated,
        gini_before_cap: solver.as_ref().map_or(0.0, |s| s.gini()),
        plan,
        solved_gini_max: target,
        gini: shares.0,
        top10_share: shares.1,
        bottom50_share: shares.2,
        population,
        repairs,
        cap_met: shares.0 <= g_max,
    }
}

// The round's phases below are kept out of line on purpose: V8 optimizes a
// Wasm function for its later calls only, and compiles a large function
// slowly, so one function holding the whole round would run a page's first
// simulation days unoptimized for longer. Each phase runs once per round.

/// The range (2⁻⁹⁰⁰ to 2⁹⁶⁰) of the scores' total within which they are
/// used as they are: no sum of them overflows, nor a cold-start share
/// times one (≤ 2⁵³·2⁹⁶⁰), nor the level `unplaced/total`.
const SCORE_RANGE: (f64, f64) = (
    f64::from_bits((1023 - 900) << 52),
    f64::from_bits((1023 + 960) << 52),
);

/// Each creator's item count and score total.
#[inline(never)]
fn creator_totals(owner: &[u32], score: &[f64], m: usize) -> (Vec<u32>, Vec<f64>) {
    let mut items_of = vec![0u32; m];
    let mut score_of = vec![0.0f64; m];
    for (&c, &s) in owner.iter().zip(score) {
        let c = c as usize;
        items_of[c] += 1;
        score_of[c] += s;
    }
    (items_of, score_of)
}

/// The cold-start pool (step 2): each creator's share (0 unless a new
/// merchant with items), what is left of `budget`, and the pool's level.
#[inline(never)]
fn cold_start_pool(
    input: &RoundInput,
    settings: &RoundSettings,
    items_of: &[u32],
    budget: f64,
) -> (Vec<f64>, f64, f64) {
    let m = items_of.len();
    let members: Vec<usize> = match input.new_merchant {
        Some(f) => (0..m).filter(|&c| f[c] && items_of[c] > 0).collect(),
        None => Vec::new(),
    };
    let mut cold_start = vec![0.0; m];
    if members.is_empty() {
        return (cold_start, budget, 0.0);
    }
    let merit = cold_start::merit(&members, &input.merit, &settings.cold_start);
    let (y, left) = cold_start::allocate(&merit, budget, &settings.cold_start);
    let level = cold_start::level(&merit, &y, &settings.cold_start);
    for (k, &c) in members.iter().enumerate() {
        cold_start[c] = y[k];
    }
    (cold_start, left, level)
}

/// Each item's room in the public pool: its tier's quota less what it used.
#[inline(never)]
fn item_room(input: &RoundInput, q: &[f64]) -> Vec<f64> {
    match (input.tier, input.used) {
        // The simulation's case, without the per-item `Option` tests.
        (Some(t), Some(u)) => t
            .iter()
            .zip(u)
            .map(|(&t, &u)| max_of(q[t as usize] - u, 0.0))
            .collect(),
        (tier, used) => (0..input.item_creator.len())
            .map(|i| {
                let t = tier.map_or(0, |t| t[i] as usize);
                let used = used.map_or(0.0, |u| u[i]);
                max_of(q[t] - used, 0.0)
            })
            .collect(),
    }
}

/// How the public pool's overflow (what no quota could take) is spread.
#[derive(Clone, Copy)]
enum Spread {
    Nothing,
    /// This much per item (when every score is 0).
    Evenly(f64),
    /// This level times the item's score.
    ByScore(f64),
}

/// Adds each item's overflow share and cold-start share on top of its
/// public amount in `x0`; returns the creators' totals, summed in the same
/// pass (items in index order).
#[inline(never)]
fn add_shares(
    x0: &mut [f64],
    owner: &[u32],
    score: &[f64],
    (items_of, score_of): (&[u32], &[f64]),
    cold_start: &[f64],
    spread: Spread,
) -> Vec<f64> {
    let mut before = vec![0.0; items_of.len()];
    for i in 0..x0.len() {
        let c = owner[i] as usize;
        match spread {
            Spread::Nothing => {}
            Spread::Evenly(each) => x0[i] += each,
            Spread::ByScore(level) => x0[i] += level * score[i],
        }
        let y = cold_start[c];
        if y > 0.0 {
            x0[i] += if score_of[c] > 0.0 {
                y * score[i] / score_of[c]
            } else {
                y / f64::from(items_of[c])
            };
        }
        before[c] += x0[i];
    }
    before
}

/// Items' exposure after the cap `plan`: each creator's items scaled by
/// its capped total over its total (a creator with nothing gets its
/// mapped 0 in equal parts).
#[inline(never)]
fn apply_plan(
    plan: &CapPlan,
    mean: f64,
    x0: &[f64],
    owner: &[u32],
    before: &[f64],
    items_of: &[u32],
) -> Vec<f64> {
    let ratio: Vec<f64> = before
        .iter()
        .map(|&e| {
            if e <= 0.0 {
                1.0
            } else {
                GiniCapSolver::map(plan, mean, e) / e
            }
        })
        .collect();
    let empty = |c: usize| GiniCapSolver::map(plan, mean, 0.0) / f64::from(items_of[c]);
    if ratio.iter().any(|r| !r.is_finite()) {
        // A creator lifted by more than f64 can hold (its exposure a
        // subnormal sliver of the total): its items get their share of its
        // capped total, `(x/e)·map(e)`, instead of `x·(map(e)/e)`.
        return x0
            .iter()
            .zip(owner)
            .map(|(&x, &c)| {
                let c = c as usize;
                match before[c] {
                    e if e <= 0.0 => empty(c),
                    _ if ratio[c].is_finite() => x * ratio[c],
                    e => x / e * GiniCapSolver::map(plan, mean, e),
                }
            })
            .collect();
    }
    x0.iter()
        .zip(owner)
        .map(|(&x, &c)| {
            let c = c as usize;
            if before[c] > 0.0 {
                x * ratio[c]
            } else {
                empty(c)
            }
        })
        .collect()
}

/// Each creator's total of its items' integer exposures.
#[inline(never)]
fn creator_sums(item_exposure: &[u64], owner: &[u32], m: usize) -> Vec<u64> {
    let mut sums = vec![0u64; m];
    for (&e, &c) in item_exposure.iter().zip(owner) {
        sums[c as usize] += e;
    }
    sums
}

/// `(gini, top-10% share, bottom-50% share)` of integer exposures (sorted
/// in place), zeros when everything is 0: what
/// [`SortedShares`](crate::stats::SortedShares) gives, on one sort of the
/// integers themselves, without its validation (the values are integers),
/// its float sort and its arrays.
fn integer_shares(values: &mut Vec<u64>) -> (f64, f64, f64) {
    sort::sort_integers(values);
    inequality::sorted_shares(values.len(), |i| values[i] as f64, 0.1, 0.5)
        .unwrap_or((0.0, 0.0, 0.0))
}
