//! Largest-remainder (Hamilton) rounding to an exact integer total, O(N):
//! every value is rounded down, then the units still missing go to the
//! largest fractional parts (ties to the lower index), found with
//! `select_nth_unstable` rather than a sort.
//!
//! ```
//! use shijing::allocation::rounding::round_to_total;
//! let x = [0.5, 1.5, 2.5, 3.5];
//! let r = round_to_total(&x, 8);
//! assert_eq!(r.iter().sum::<u64>(), 8);
//! assert!(r.iter().zip(&x).all(|(&q, &v)| (q as f64 - v).abs() < 1.0));
//! ```

use crate::stats::{clamp, max_of, sort};

/// Bits of a fractional part kept in the selection key (2⁻³⁹ of an
/// impression: far below anything that matters, and ties fall to the index).
const FRAC_BITS: u32 = 39;
/// Bits for the index in the key: 2²⁵ > [`crate::validate::MAX_ELEMENTS`].
const INDEX_BITS: u32 = 25;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;

/// Selection key of item `i` whose rescaled value `y` was rounded down to
/// `q`: its fractional part (`up`: larger first wins; otherwise smaller
/// first loses), then the lower index.
#[inline]
fn key(y: f64, q: u64, i: usize, up: bool) -> u64 {
    let frac = clamp(y - q as f64, 0.0, 1.0 - f64::EPSILON);
    let f = (frac * (1u64 << FRAC_BITS) as f64) as u64;
    let f = if up { f } else { ((1u64 << FRAC_BITS) - 1) - f };
    (f << INDEX_BITS) | (INDEX_MASK - (i as u64 & INDEX_MASK))
}

/// Bits of a key that [`largest_keys`] counts in its histogram.
const TOP: u32 = 11;
const SHIFT: u32 = 64 - TOP;
const BUCKETS: usize = 1 << TOP;

/// Rounds non-negative finite `x` to integers summing to exactly `total`.
///
/// `x` is first rescaled to sum to `total` (so a float total that drifted by
/// 1e-9 does not cost a unit). Each output is `⌊x_i⌋` or `⌈x_i⌉` of the
/// rescaled values. If every `x_i` is 0, the total is spread evenly, earlier
/// indices taking the remainder. Empty `x` with `total > 0` returns an empty
/// vector (nothing to round onto; the caller checks).
///
/// Not inlined: inlined into the allocation round it cost the round's own
/// loops more instructions than the call saves (callgrind).
///
/// ```
/// use shijing::allocation::rounding::round_to_total;
/// assert_eq!(round_to_total(&[2.4, 2.6, 5.0], 10), vec![2, 3, 5]);
/// assert_eq!(round_to_total(&[1.0, 1.0, 1.0], 2), vec![1, 1, 0]); // ties: lower index
/// assert_eq!(round_to_total(&[0.2, 0.3], 7).iter().sum::<u64>(), 7); // rescaled first
/// ```
#[inline(never)]
pub fn round_to_total(x: &[f64], total: u64) -> Vec<u64> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    let sum: f64 = x.iter().sum();
    if sum.is_nan() || sum <= 0.0 || !sum.is_finite() {
        let base = total / n as u64;
        let extra = (total % n as u64) as usize;
        return (0..n).map(|i| base + u64::from(i < extra)).collect();
    }
    let scale = total as f64 / sum;
    // `y ≥ 0`: truncation is the floor (and saturates at +∞ like it).
    let mut out: Vec<u64> = x.iter().map(|&v| max_of(v * scale, 0.0) as u64).collect();
    let assigned = out.iter().fold(0u64, |a, &q| a.saturating_add(q));
    // Round-up keys and the histogram of their top bits, built in the same
    // pass. (Collected, not pushed: a push per item kept the lengths and
    // the loop's state on the stack; `y` is recomputed, the same product.)
    let mut count = [0u32; BUCKETS];
    let mut up_keys: Vec<u64> = x
        .iter()
        .zip(&out)
        .enumerate()
        .map(|(i, (&v, &q))| {
            let k = key(max_of(v * scale, 0.0), q, i, true);
            count[(k >> SHIFT) as usize] += 1;
            k
        })
        .collect();
    // Round-down keys (only for items with a unit to give back).
    let down_keys = |out: &[u64]| -> Vec<u64> {
        x.iter()
            .zip(out)
            .enumerate()
            .filter(|(_, (_, &q))| q > 0)
            .map(|(i, (&v, &q))| key(max_of(v * scale, 0.0), q, i, false))
            .collect()
    };
    if assigned < total {
        let need = (total - assigned) as usize;
        if need >= n {
            // Only possible when the rescaling drifted by a whole unit per item.
            let base = (need / n) as u64;
            let extra = need % n;
            for (i, o) in out.iter_mut().enumerate() {
                *o += base + u64::from(i < extra);
            }
            return out;
        }
        largest_keys(&mut up_keys, &count, need, |k| {
            out[(INDEX_MASK - (k & INDEX_MASK)) as usize] += 1;
        });
    } else if assigned > total {
        // Float drift the other way: take units from the smallest fractions.
        let mut excess = assigned - total;
        while excess > 0 {
            let mut keys = down_keys(&out);
            if keys.is_empty() {
                break;
            }
            let take = (excess as usize).min(keys.len());
            let len = keys.len();
            sort::select_bits(&mut keys, len - take);
            for &k in &keys[len - take..] {
                out[(INDEX_MASK - (k & INDEX_MASK)) as usize] -= 1;
            }
            excess -= take as u64;
        }
    }
    out
}

/// Calls `take` on each of the `need` largest of distinct `keys` (in no
/// particular order; `count` is the histogram of their top [`TOP`] bits):
/// every key in the buckets above the one where the cut falls, then a
/// selection inside that bucket. Two linear passes (the histogram comes with
/// the keys) instead of a selection over all of them; the keys are distinct,
/// so the set is the one any selection gives. `keys` is left reordered.
fn largest_keys(keys: &mut [u64], count: &[u32; BUCKETS], need: usize, mut take: impl FnMut(u64)) {
    let len = keys.len();
    if need == 0 {
        return;
    }
    if len < 1024 {
        sort::select_bits(keys, len - need);
        keys[len - need..].iter().for_each(|&k| take(k));
        return;
    }
    // The bucket where the cut falls, and how many of it are taken.
    let (mut bucket, mut above) = (BUCKETS - 1, 0usize);
    while above + (count[bucket] as usize) < need {
        above += count[bucket] as usize;
        bucket -= 1;
    }
    let from_cut = need - above;
    let mut cut = Vec::with_capacity(count[bucket] as usize);
    for &k in keys.iter() {
        let b = (k >> SHIFT) as usize;
        if b > bucket {
            take(k);
        } else if b == bucket {
            cut.push(k);
        }
    }
    let c = cut.len();
    if from_cut < c {
        sort::select_bits(&mut cut, c - from_cut);
    }
    cut[c - from_cut..].iter().for_each(|&k| take(k));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_keys_match_a_selection() {
        let mut r = crate::stats::random::rng(5);
        for &(n, spread) in &[(50usize, 64u32), (5_000, 64), (5_000, 50), (20_000, 30)] {
            let mut keys: Vec<u64> = (0..n)
                .map(|i| {
                    let hi = (crate::stats::random::uniform(&mut r) * (1u64 << 38) as f64) as u64;
                    ((hi << 25) >> (64 - spread)) << 25 | i as u64
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let len = keys.len();
            let mut count = [0u32; BUCKETS];
            for &k in &keys {
                count[(k >> SHIFT) as usize] += 1;
            }
            for need in [0, 1, len / 3, len / 2, len - 1, len] {
                let mut got = Vec::new();
                largest_keys(&mut keys.clone(), &count, need, |k| got.push(k));
                got.sort_unstable();
                assert_eq!(got, keys[len - need..].to_vec(), "n {n} need {need}");
            }
        }
    }

    #[test]
    fn exact_total_and_ties_by_index() {
        assert_eq!(round_to_total(&[1.0, 1.0, 1.0], 2), vec![1, 1, 0]);
        assert_eq!(round_to_total(&[0.5, 0.5, 0.5, 0.5], 2), vec![1, 1, 0, 0]);
        assert_eq!(round_to_total(&[2.4, 2.6, 5.0], 10), vec![2, 3, 5]);
        assert_eq!(round_to_total(&[0.0, 0.0, 0.0], 5), vec![2, 2, 1]);
        assert_eq!(round_to_total(&[], 5), Vec::<u64>::new());
        let x: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.37).sin().abs() * 10.0)
            .collect();
        let r = round_to_total(&x, 123_457);
        assert_eq!(r.iter().sum::<u64>(), 123_457);
        let s: f64 = x.iter().sum();
        for (a, &b) in x.iter().zip(&r) {
            let y = a * 123_457.0 / s;
            assert!((y - b as f64).abs() < 1.0);
        }
    }
}
