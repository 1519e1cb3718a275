//! The public merit pool (notes §5.2 step 2): a per-item floor for each
//! creator's best few items, then the rest in proportion to the score,
//! water-filled under each item's remaining tier quota:
//! `x_i = min(cap_i, f_i + ν·s_i)` with `ν` such that `Σ x_i` is the budget.
//!
//! ```
//! use shijing::allocation::pools::public_pool;
//! let p = public_pool(&[0.02, 0.05, 0.0], &[500.0; 3], &[true; 3], 100.0, 1_000.0);
//! assert!((p.exposure.iter().sum::<f64>() - 1_000.0).abs() < 1e-9);
//! assert_eq!(p.exposure[2], 100.0); // the floor only: score 0
//! assert!(p.exposure.iter().all(|&x| x <= 500.0));
//! ```

use crate::stats::inequality::unit_scale;
use crate::stats::sort;
use crate::stats::{max_of, min_of};

/// Water-filling: amounts `add_i = min(room_i, ν·w_i)` with `Σ add_i = extra`
/// when the rooms allow it (otherwise every item with positive weight is
/// filled to its room). `room_i` may be infinite; `w_i ≥ 0`. Returns the
/// amounts and their sum. Expected O(N): `ν` is found by repeated median
/// selection on the saturation levels `room_i/w_i`, not by sorting them.
///
/// ```
/// use shijing::allocation::pools::water_fill;
/// // Item 1 fills its room of 1; items 0 and 2 share the rest 1 : 3.
/// let (add, placed) = water_fill(&[1.0, 2.0, 3.0], &[10.0, 1.0, f64::INFINITY], 9.0);
/// assert_eq!(placed, 9.0);
/// assert_eq!(add, vec![2.0, 1.0, 6.0]);
/// ```
pub fn water_fill(weight: &[f64], room: &[f64], extra: f64) -> (Vec<f64>, f64) {
    let n = weight.len();
    let mut add = vec![0.0; n];
    if extra.is_nan() || extra <= 0.0 {
        return (add, 0.0);
    }
    // Items that can take anything at all.
    let active = |i: usize| weight[i] > 0.0 && room[i] > 0.0;
    let takers = Takers::of(weight.iter().copied().zip(room.iter().copied()));
    let w_sum = takers.weight;
    if w_sum <= 0.0 {
        return (add, 0.0);
    }
    if takers.all_fill(extra) {
        // Everything fills up.
        let mut placed = 0.0;
        for i in 0..n {
            if active(i) {
                add[i] = room[i];
                placed += room[i];
            }
        }
        return (add, placed);
    }
    let nu0 = extra / w_sum;
    let binds = (0..n).any(|i| active(i) && nu0 * weight[i] > room[i]);
    let level = if binds {
        solve_level(weight, room, extra)
    } else {
        Level::plain(nu0)
    };
    let mut placed = 0.0;
    for i in 0..n {
        if active(i) {
            let a = level.amount(weight[i], room[i]);
            add[i] = a;
            placed += a;
        }
    }
    (add, placed)
}

/// A water level: an item of weight `w` and room `r` gets `min(ν·w, r)`.
#[derive(Clone, Copy)]
struct Level {
    nu: f64,
    /// When `ν = left/weight` exceeds f64 (the unsaturated items' weight
    /// is a subnormal sliver of what they share): `(left, weight)`, and an
    /// item gets `min(left·(w/weight), r)` instead, with `w/weight` taken
    /// in a common power-of-two scale. `None` otherwise.
    wide: Option<(f64, f64)>,
}

impl Level {
    fn plain(nu: f64) -> Level {
        Level { nu, wide: None }
    }

    #[inline(always)]
    fn amount(&self, w: f64, r: f64) -> f64 {
        match self.wide {
            None => min_of(self.nu * w, r),
            Some((left, weight)) => {
                let unit = unit_scale(weight);
                min_of(left * (w * unit / (weight * unit)), r)
            }
        }
    }
}

/// What water-filling sums over the items that can take anything (weight
/// and room > 0), in item order: their weights and finite rooms, and
/// whether some room is unbounded.
#[derive(Default)]
struct Takers {
    weight: f64,
    finite_room: f64,
    unbounded: bool,
}

impl Takers {
    fn of(items: impl Iterator<Item = (f64, f64)>) -> Takers {
        let mut t = Takers::default();
        for (w, r) in items {
            if w > 0.0 && r > 0.0 {
                t.weight += w;
                if r.is_finite() {
                    t.finite_room += r;
                } else {
                    t.unbounded = true;
                }
            }
        }
        t
    }

    /// Whether `extra` fills every room (all finite).
    fn all_fill(&self, extra: f64) -> bool {
        !self.unbounded && self.finite_room <= extra
    }
}

/// The level `ν` with `Σ min(room_i, ν·w_i) = extra`, by selection.
fn solve_level(weight: &[f64], room: &[f64], extra: f64) -> Level {
    // (saturation level, room, weight) of items with finite room.
    let mut cands: Vec<(f64, f64, f64)> = Vec::new();
    let mut acc_w = 0.0; // weight of items known to be unsaturated at ν*
    let mut acc_room = 0.0; // room of items known to be saturated at ν*
    for i in 0..weight.len() {
        let (w, r) = (weight[i], room[i]);
        if w > 0.0 && r > 0.0 {
            if r.is_finite() {
                cands.push((r / w, r, w));
            } else {
                acc_w += w;
            }
        }
    }
    let mut slice: &mut [(f64, f64, f64)] = &mut cands;
    while !slice.is_empty() {
        let s = std::mem::take(&mut slice);
        let mid = s.len() / 2;
        s.select_nth_unstable_by(mid, |a, b| a.0.total_cmp(&b.0));
        let t = s[mid].0;
        let (left, right) = s.split_at_mut(mid + 1);
        let left_room: f64 = left.iter().map(|c| c.1).sum();
        let right_w: f64 = right.iter().map(|c| c.2).sum();
        let g = acc_room + left_room + t * (acc_w + right_w);
        if g >= extra {
            // ν* ≤ t: everything from the pivot up stays unsaturated.
            acc_w += right_w + left[mid].2;
            slice = &mut left[..mid];
        } else {
            acc_room += left_room;
            slice = right;
        }
    }
    if acc_w > 0.0 {
        let left = extra - acc_room;
        let nu = (left / acc_w).max(0.0);
        Level {
            nu,
            wide: (nu == f64::INFINITY).then_some((left, acc_w)),
        }
    } else {
        Level::plain(f64::INFINITY)
    }
}

/// Which items get the floor: each creator's `per_creator` highest-scored
/// items (ties to the lower index). `items_of[c]` is creator `c`'s number of
/// items. O(N + M) plus a selection per creator; every item, without
/// ranking, when no creator has more than `per_creator`.
///
/// ```
/// use shijing::allocation::pools::floored_items;
/// // Creator 0 owns items 0–2 (one floor each for its best 2), creator 1 item 3.
/// let f = floored_items(&[0, 0, 0, 1], &[1.0, 3.0, 2.0, 0.0], &[3, 1], 2);
/// assert_eq!(f, vec![false, true, true, true]);
/// ```
pub fn floored_items(
    creator: &[u32],
    score: &[f64],
    items_of: &[u32],
    per_creator: usize,
) -> Vec<bool> {
    let n = creator.len();
    if per_creator == 0 {
        return vec![false; n];
    }
    if items_of.iter().all(|&k| k as usize <= per_creator) {
        return vec![true; n];
    }
    let creators = items_of.len();
    if per_creator <= 8 {
        return floored_small(creator, score, creators, per_creator);
    }
    // Counting sort of items by creator.
    let mut start = vec![0usize; creators + 1];
    for c in 0..creators {
        start[c + 1] = start[c] + items_of[c] as usize;
    }
    let mut pos = start.clone();
    let mut order = vec![0u32; n];
    for (i, &c) in creator.iter().enumerate() {
        order[pos[c as usize]] = i as u32;
        pos[c as usize] += 1;
    }
    let mut out = vec![false; n];
    for c in 0..creators {
        let group = &mut order[start[c]..start[c + 1]];
        if group.len() > per_creator {
            let mut keys: Vec<u128> = group
                .iter()
                .map(|&i| sort::desc_then_index(score[i as usize], i))
                .collect();
            sort::select_wide(&mut keys, per_creator - 1);
            for &k in &keys[..per_creator] {
                out[k as u32 as usize] = true;
            }
        } else {
            for &i in group.iter() {
                out[i as usize] = true;
            }
        }
    }
    out
}

/// `floored_items` for small `k`: one pass keeping each creator's best `k`
/// (by score, then lower index) in a flat array. O(N·k), no sorting.
fn floored_small(creator: &[u32], score: &[f64], creators: usize, k: usize) -> Vec<bool> {
    const NONE: u32 = u32::MAX;
    let mut best = vec![NONE; creators * k];
    // The kept items' scores beside them: no indirect load per comparison.
    let mut best_score = vec![0.0f64; creators * k];
    for (i, (&c, &s)) in creator.iter().zip(score).enumerate() {
        let at = c as usize * k;
        let slots = &mut best[at..at + k];
        let scores = &mut best_score[at..at + k];
        // Items arrive in index order, so an equal score never displaces.
        let mut pos = k;
        for (j, (&b, &bs)) in slots.iter().zip(scores.iter()).enumerate() {
            if b == NONE || s > bs {
                pos = j;
                break;
            }
        }
        if pos < k {
            // Shift by hand: `copy_within` is a `memmove` call in Wasm.
            for j in (pos + 1..k).rev() {
                slots[j] = slots[j - 1];
                scores[j] = scores[j - 1];
            }
            slots[pos] = i as u32;
            scores[pos] = s;
        }
    }
    let mut out = vec![false; creator.len()];
    for &b in &best {
        if b != NONE {
            out[b as usize] = true;
        }
    }
    out
}

/// Adds `water_fill(&[1.0; n], &room, extra)` to `x`, where
/// `room_i = max(cap_i − x_i, 0)`, and returns what is left of `extra`
/// (`extra > 0`, no `x_i` is `-0.0`). When the rooms sum to at most `extra`
/// (every room fills: the usual case) it makes the same additions in the
/// same order as `water_fill`, without its three vectors; otherwise it calls
/// it. Items without room get `+0.0` there, which leaves them unchanged.
fn fill_uniform(x: &mut [f64], cap: &[f64], extra: f64) -> f64 {
    let room = |c: f64, v: f64| max_of(c - v, 0.0);
    let takers = Takers::of(cap.iter().zip(x.iter()).map(|(&c, &v)| (1.0, room(c, v))));
    if takers.weight <= 0.0 {
        // `water_fill`'s weight sum is 0: it places nothing.
        return extra;
    }
    if takers.all_fill(extra) {
        let mut placed = 0.0;
        for (v, &c) in x.iter_mut().zip(cap) {
            let r = room(c, *v);
            if r > 0.0 {
                *v += r;
                placed += r;
            }
        }
        return max_of(extra - placed, 0.0);
    }
    let rooms: Vec<f64> = cap
        .iter()
        .zip(x.iter())
        .map(|(&c, &v)| room(c, v))
        .collect();
    let (add, placed) = water_fill(&vec![1.0; x.len()], &rooms, extra);
    x.iter_mut().zip(&add).for_each(|(v, a)| *v += a);
    max_of(extra - placed, 0.0)
}

/// The power of two that weights up to `top` are multiplied by when their
/// sum overflows or is too small to divide by: down to at most 2⁹⁶⁰ when
/// `top` is above (the sum of 2²⁵ of them and a budget of 2⁵³ times one
/// stay finite, and the small ones lose as little as they can), else up
/// into `[1, 2)` ([`unit_scale`]).
pub(crate) fn safe_scale(top: f64) -> f64 {
    const HIGH: f64 = f64::from_bits((1023 + 960) << 52);
    if top > HIGH {
        libm::scalbn(unit_scale(top), 960)
    } else {
        unit_scale(top)
    }
}

/// [`public_pool`] for active scores (score and room > 0) whose sum
/// overflows, or is so small that the level `budget/sum` would: the same
/// pool on the active scores times [`safe_scale`] of the largest (exact;
/// the others get 0, which they had in effect), with the level and the
/// active score scaled back.
#[cold]
fn scaled_pool(
    score: &[f64],
    room: &[f64],
    cap: &[f64],
    floored: &[bool],
    floor: f64,
    budget: f64,
) -> PublicPool {
    let active = |s: f64, r: f64| s > 0.0 && r > 0.0;
    let top = score
        .iter()
        .zip(room)
        .filter(|&(&s, &r)| active(s, r))
        .fold(0.0, |m, (&s, _)| max_of(m, s));
    let unit = safe_scale(top);
    let weight: Vec<f64> = score
        .iter()
        .zip(room)
        .map(|(&s, &r)| if active(s, r) { s * unit } else { 0.0 })
        .collect();
    let mut pool = public_pool(&weight, cap, floored, floor, budget);
    pool.level *= unit;
    pool.active_score /= unit;
    pool
}

/// The public pool's result.
///
/// ```
/// use shijing::allocation::pools::public_pool;
/// let p = public_pool(&[1.0, 3.0], &[f64::INFINITY; 2], &[true, true], 100.0, 1_000.0);
/// assert_eq!(p.floor_total, 200.0);
/// assert_eq!(p.exposure, vec![300.0, 700.0]); // 100 + ν·s with ν = 200
/// assert_eq!((p.level, p.active_score, p.unplaced), (200.0, 4.0, 0.0));
/// ```
#[derive(Debug, Clone)]
pub struct PublicPool {
    /// Float exposure per item.
    pub exposure: Vec<f64>,
    /// Sum of the floors handed out.
    pub floor_total: f64,
    /// Budget that found no room (every item at its quota).
    pub unplaced: f64,
    /// The water level `ν` of the score-proportional part: an item with
    /// score `s` and room to spare got `floor + ν·s` (∞ when every scored
    /// item is at its quota, or when `ν` exceeds `f64::MAX`, which takes
    /// active scores summing below 2⁻⁹⁷⁰). Lets a caller place one more item against the
    /// same pool without re-running it.
    pub level: f64,
    /// Sum of the scores of the items below their quota: how fast the pool's
    /// total moves with `level` (`∂Σx/∂ν`).
    pub active_score: f64,
}

/// Floor plus score-proportional water-fill under the quotas.
///
/// * `cap[i]`: the item's remaining quota (`Q_t − u_i`, may be infinite);
/// * `floored[i]`: whether the item gets the floor `min(floor, cap_i)`; if
///   the floors alone exceed the budget, they shrink in proportion;
/// * the rest goes ∝ `score` (uniformly among items with room when every
///   score is 0).
///
/// Any finite scores work, whatever their scale: when the active scores'
/// sum overflows, is below 2⁻⁹⁰⁰ or too small to divide the budget by, they are used
/// times `safe_scale` of the largest (exact, except that a score below
/// 2⁻¹⁰⁰⁰ of the largest can land on the subnormal grid and be rounded
/// there); when the level `ν` itself exceeds `f64::MAX`, each unsaturated
/// item gets its share of what is left directly.
///
/// ```
/// use shijing::allocation::pools::public_pool;
/// // Item 0 is at its quota of 50; the rest goes to item 1.
/// let p = public_pool(&[1e300, 1e-300], &[50.0, f64::INFINITY], &[false; 2], 0.0, 1e6);
/// assert_eq!(p.exposure, vec![50.0, 1e6 - 50.0]);
/// // A quota everywhere: what does not fit is reported.
/// let q = public_pool(&[1.0, 1.0], &[10.0, 10.0], &[false; 2], 0.0, 100.0);
/// assert_eq!(q.unplaced, 80.0);
/// ```
pub fn public_pool(
    score: &[f64],
    cap: &[f64],
    floored: &[bool],
    floor: f64,
    budget: f64,
) -> PublicPool {
    let n = score.len();
    // The floors (into `exposure`) and their total.
    let mut exposure: Vec<f64> = floored
        .iter()
        .zip(cap)
        .map(|(&f, &c)| if f { min_of(floor, c) } else { 0.0 })
        .collect();
    let mut floor_total: f64 = exposure.iter().sum();
    if floor_total > budget && floor_total > 0.0 {
        let s = budget / floor_total;
        exposure.iter_mut().for_each(|b| *b *= s);
        floor_total = budget;
    }
    let extra = max_of(budget - floor_total, 0.0);
    // Each item's room above its floor, and what `water_fill` sums over the
    // items that can take anything (score and room > 0).
    let room: Vec<f64> = cap
        .iter()
        .zip(&exposure)
        .map(|(&c, &b)| max_of(c - b, 0.0))
        .collect();
    let takers = Takers::of(score.iter().copied().zip(room.iter().copied()));
    let w_sum = takers.weight;
    // Below 2⁻⁹⁰⁰ the level `extra/w_sum` is finite but the quota search's
    // room/score ratios can overflow: the same scaled pool (the round uses
    // its scores as they are within [2⁻⁹⁰⁰, 2⁹⁶⁰] too).
    const TINY: f64 = f64::from_bits((1023 - 900) << 52);
    if (w_sum > 0.0 && (w_sum < TINY || !(extra / w_sum).is_finite())) || w_sum == f64::INFINITY {
        return scaled_pool(score, &room, cap, floored, floor, budget);
    }
    if w_sum <= 0.0 {
        // No scored item has room: spread uniformly over the items with room.
        let (add, placed) = water_fill(&vec![1.0; n], &room, extra);
        exposure.iter_mut().zip(&add).for_each(|(x, a)| *x += a);
        return PublicPool {
            exposure,
            floor_total,
            unplaced: max_of(extra - placed, 0.0),
            level: 0.0,
            active_score: 0.0,
        };
    }
    // `water_fill(score, room, extra)`, fused with the passes around it
    // (same arithmetic, same order). Its three outcomes are one formula,
    // `min(ν·s_i, room_i)`: ν = 0 places nothing, ν = ∞ fills every (then
    // finite) room.
    let nu = if extra.is_nan() || extra <= 0.0 {
        Level::plain(0.0)
    } else if takers.all_fill(extra) {
        Level::plain(f64::INFINITY)
    } else {
        let nu0 = extra / w_sum;
        let binds = (0..n).any(|i| score[i] > 0.0 && room[i] > 0.0 && nu0 * score[i] > room[i]);
        if binds {
            solve_level(score, &room, extra)
        } else {
            Level::plain(nu0)
        }
    };
    let (mut placed, mut level, mut active_score) = (0.0, f64::NEG_INFINITY, 0.0);
    for ((&w, &r), x) in score.iter().zip(&room).zip(exposure.iter_mut()) {
        let mut a = 0.0;
        if w > 0.0 && r > 0.0 {
            if nu.nu != 0.0 {
                a = nu.amount(w, r);
            }
            placed += a;
            if a < r * (1.0 - 1e-12) {
                level = max_of(level, a / w);
                active_score += w;
            }
        }
        *x += a;
    }
    let mut unplaced = max_of(extra - placed, 0.0);
    if unplaced > extra * 1e-12 {
        // Scored items are full: spread the remainder over zero-score items with room.
        unplaced = fill_uniform(&mut exposure, cap, unplaced);
    }
    PublicPool {
        exposure,
        floor_total,
        unplaced,
        active_score,
        level: if level.is_finite() {
            level
        } else {
            f64::INFINITY
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn water_fill_matches_sorting() {
        let w = [1.0, 2.0, 3.0, 4.0, 0.0];
        let room = [10.0, 1.0, f64::INFINITY, 2.0, 5.0];
        let (add, placed) = water_fill(&w, &room, 20.0);
        assert!((placed - 20.0).abs() < 1e-12);
        // items 1 and 3 saturate; ν·(1 + 3) = 17 → ν = 4.25
        assert!((add[0] - 4.25).abs() < 1e-12);
        assert_eq!(add[1], 1.0);
        assert!((add[2] - 12.75).abs() < 1e-12);
        assert_eq!(add[3], 2.0);
        assert_eq!(add[4], 0.0);
        let (_, placed) = water_fill(&[1.0, 1.0], &[1.0, 2.0], 10.0);
        assert_eq!(placed, 3.0);
    }

    #[test]
    fn small_and_general_floors_agree() {
        let mut r = crate::stats::random::rng(2);
        let creator: Vec<u32> = (0..2000)
            .map(|_| (crate::stats::random::uniform(&mut r) * 50.0) as u32)
            .collect();
        let score: Vec<f64> = (0..2000).map(|i| ((i * 37) % 11) as f64).collect();
        for k in 1..=8 {
            let fast = floored_small(&creator, &score, 50, k);
            // the general path, by a full sort per creator
            let general = {
                let mut out = vec![false; creator.len()];
                for c in 0..50u32 {
                    let mut g: Vec<usize> =
                        (0..creator.len()).filter(|&i| creator[i] == c).collect();
                    g.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
                    for &i in g.iter().take(k) {
                        out[i] = true;
                    }
                }
                out
            };
            assert_eq!(fast, general, "k = {k}");
        }
    }

    #[test]
    fn floors_per_creator() {
        let f = floored_items(&[0, 0, 0, 1], &[1.0, 3.0, 2.0, 0.0], &[3, 1], 2);
        assert_eq!(f, vec![false, true, true, true]);
        let f = floored_items(&[0, 0, 0], &[1.0, 1.0, 1.0], &[3], 1);
        assert_eq!(f, vec![true, false, false]);
    }

    #[test]
    fn pool_total() {
        let p = public_pool(
            &[1.0, 2.0, 0.0],
            &[500.0, 500.0, 500.0],
            &[true; 3],
            300.0,
            1200.0,
        );
        let s: f64 = p.exposure.iter().sum();
        assert!((s - 1200.0).abs() < 1e-9);
        assert_eq!(p.unplaced, 0.0);
        let p = public_pool(
            &[1.0, 2.0, 0.0],
            &[500.0, 500.0, 500.0],
            &[true; 3],
            300.0,
            2000.0,
        );
        assert!((p.unplaced - 500.0).abs() < 1e-9);
    }
}
