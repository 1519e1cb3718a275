//! Sorts go through here, on plain integer keys: each distinct comparator
//! closure would instantiate the standard library's sort again (several KB
//! of Wasm each), while `u64` and `u128` keys share two.
//!
//! Floats map to `u64` keys that order exactly like [`f64::total_cmp`]
//! ([`total_key`]); a value and an index pack into a `u128` key, so ties
//! break by index and the result is the one a comparator sort on
//! `(value, index)` gives. Non-negative floats need no mapping: their IEEE
//! bit patterns order like the values, so the inequality statistics and each
//! Gini-cap solve sort the bits directly (faster than comparing floats:
//! BENCHMARKS.md, "What dominates, and what was tried"); from 2¹⁵ values on, [`sort_checked`] sorts them by two levels of
//! distribution on their leading bits and an insertion pass, not by
//! comparisons.
//!
//! ```
//! use shijing::stats::sort::{desc_then_index, sort_wide};
//! // Descending by value, ties to the lower index, on integer keys.
//! let v = [2.0, 5.0, 2.0];
//! let mut keys: Vec<u128> = (0..3).map(|i| desc_then_index(v[i], i as u32)).collect();
//! sort_wide(&mut keys);
//! let order: Vec<u32> = keys.iter().map(|&k| k as u32).collect();
//! assert_eq!(order, [1, 0, 2]);
//! ```

/// Sorts `keys` ascending in place.
///
/// `sort_unstable` (ipnsort) on the bit patterns. A plain LSD radix sort and
/// an adaptive MSD radix sort were tried and measured slower on the 2-core
/// test machine at M = 1e6, natively and in Wasm; the function stays the one
/// place to change if a faster sort is found. (For non-negative floats,
/// [`sort_checked`]'s cache-sized two-level distribution is faster.)
///
/// ```
/// let mut keys = vec![3u64, 1, 2];
/// shijing::stats::sort::sort_bits(&mut keys);
/// assert_eq!(keys, [1, 2, 3]);
/// ```
pub fn sort_bits(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// Sorts `keys` ascending in place: the wide keys of [`asc_then_index`] and
/// [`desc_then_index`].
///
/// ```
/// use shijing::stats::sort::{asc_then_index, sort_wide};
/// let mut keys = vec![asc_then_index(2.0, 0), asc_then_index(1.0, 1)];
/// sort_wide(&mut keys);
/// assert_eq!(keys[0] as u32, 1);
/// ```
pub fn sort_wide(keys: &mut [u128]) {
    keys.sort_unstable();
}

/// Sorts `keys` ascending by their bits from `shift` up, keeping the input
/// order among keys equal there (stable): one pass finds which 8-bit
/// digits of those bits differ between keys (and returns at once if the
/// keys are already in order), then an LSD radix sort distributes by each
/// such digit only. When the bits below `shift` hold an index that ascends
/// through the input, the result is [`sort_wide`]'s. Why not [`sort_wide`]
/// for grouping ids (readOrders' buyers and order numbers, ids of 16 to 19
/// digits in a narrow range: three digits differ): the 1M-line export's
/// 674,994 purchases sorted in about half the time in Wasm (profiled in Node).
///
/// ```
/// use shijing::stats::sort::{sort_wide, sort_wide_stable};
/// // Keys in the high bits, the input position in the low 32.
/// let keys: Vec<u128> = [7u128, 3, 7, 1 << 40, 3].iter().enumerate()
///     .map(|(i, &k)| k << 64 | i as u128).collect();
/// let (mut a, mut b) = (keys.clone(), keys);
/// sort_wide(&mut a);
/// sort_wide_stable(&mut b, 32);
/// assert_eq!(a, b);
/// assert_eq!(b.iter().map(|&k| k as u32).collect::<Vec<_>>(), [1, 4, 0, 2, 3]);
/// ```
pub fn sort_wide_stable(keys: &mut Vec<u128>, shift: u32) {
    let mask = u128::MAX.checked_shl(shift).unwrap_or(0);
    let Some(&first) = keys.first() else {
        return;
    };
    // The bits that differ from the first key's, and whether in order.
    let (mut differ, mut sorted, mut last) = (0u128, true, first & mask);
    for &k in keys.iter() {
        let k = k & mask;
        differ |= k ^ first;
        sorted &= last <= k;
        last = k;
    }
    if sorted {
        return;
    }
    // Digits start at multiples of 8 bits from `shift`.
    let digits: Vec<u32> = (shift.min(128)..128)
        .step_by(8)
        .filter(|&at| digit(differ & mask, at) != 0)
        .collect();
    let mut counts = vec![[0usize; 256]; digits.len()];
    for &k in keys.iter() {
        for (c, &at) in counts.iter_mut().zip(&digits) {
            c[digit(k, at)] += 1;
        }
    }
    let mut from = std::mem::take(keys);
    let mut to = vec![0u128; from.len()];
    for (count, &at) in counts.iter().zip(&digits) {
        let mut next = [0usize; 256];
        let mut start = 0;
        for (n, c) in next.iter_mut().zip(count) {
            (*n, start) = (start, start + c);
        }
        for &k in &from {
            let b = digit(k, at);
            if let Some(slot) = to.get_mut(next[b]) {
                *slot = k;
            }
            next[b] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *keys = from;
}

/// The 8 bits of `k` from bit `at` (< 128) up, by 64-bit shifts (a
/// variable `u128` shift is a library call in Wasm).
#[inline(always)]
fn digit(k: u128, at: u32) -> usize {
    let (lo, hi) = (k as u64, (k >> 64) as u64);
    let v = match at {
        0 => lo,
        1..=63 => (lo >> at) | (hi << (64 - at)),
        _ => hi >> (at - 64).min(63),
    };
    (v & 0xFF) as usize
}

/// Sorts `keys` ascending in place, as [`sort_bits`], for keys whose top
/// bits (from bit `shift` up) name a group of few enough values — ids of
/// customers, say: a counting pass by group, then each group's keys sorted
/// on their own. The same result as one sort, and faster for many groups
/// (the 1M-line export's 726,670 purchases of 193,313 customers in Node,
/// load 5: summarizeOrders 185 → 153 ms, cohortRepurchase 115 → 94 ms); one
/// sort when the groups are too many to count (more than 4 × len + 1024).
///
/// ```
/// let mut keys = vec![(2u64 << 32) | 1, (1 << 32) | 7, (2 << 32) | 0];
/// shijing::stats::sort::sort_grouped(&mut keys, 32);
/// assert_eq!(keys, [(1 << 32) | 7, 2 << 32, (2 << 32) | 1]);
/// ```
pub fn sort_grouped(keys: &mut Vec<u64>, shift: u32) {
    grouped(keys, |k| (k >> shift) as usize, sort_bits);
}

/// [`sort_grouped`] for wide keys (group from bit `shift` up), as [`sort_wide`].
///
/// ```
/// let mut keys = vec![(2u128 << 96) | 1, (1 << 96) | 7, (2 << 96) | 0];
/// shijing::stats::sort::sort_grouped_wide(&mut keys, 96);
/// assert_eq!(keys, [(1 << 96) | 7, 2 << 96, (2 << 96) | 1]);
/// ```
pub fn sort_grouped_wide(keys: &mut Vec<u128>, shift: u32) {
    grouped(
        keys,
        |k| usize::try_from(k >> shift).unwrap_or(usize::MAX),
        sort_wide,
    );
}

fn grouped<T: Copy + Default>(keys: &mut Vec<T>, group: impl Fn(T) -> usize, sort: fn(&mut [T])) {
    let n = keys.len();
    let most = keys.iter().map(|&k| group(k)).max().unwrap_or(0);
    if n < 1 << 12 || most > n.saturating_mul(4).saturating_add(1024) {
        sort(keys);
        return;
    }
    // starts[g + 1] counts group g, then (prefix sums) starts[g] is where it begins.
    let mut starts = vec![0usize; most + 2];
    for &k in keys.iter() {
        if let Some(c) = starts.get_mut(group(k) + 1) {
            *c += 1;
        }
    }
    for g in 1..starts.len() {
        starts[g] += starts[g - 1];
    }
    let mut out = vec![T::default(); n];
    let mut next = starts.clone();
    for &k in keys.iter() {
        if let Some(at) = next.get_mut(group(k)) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = k;
            }
            *at += 1;
        }
    }
    for w in starts.windows(2) {
        if w[1] - w[0] > 1 {
            if let Some(run) = out.get_mut(w[0]..w[1]) {
                sort(run);
            }
        }
    }
    *keys = out;
}

/// A `u64` that orders like `x` under [`f64::total_cmp`].
///
/// ```
/// use shijing::stats::sort::total_key;
/// assert!(total_key(-1.0) < total_key(-0.0));
/// assert!(total_key(-0.0) < total_key(0.0));
/// assert!(total_key(0.0) < total_key(f64::MIN_POSITIVE));
/// assert!(total_key(f64::INFINITY) < total_key(f64::NAN));
/// ```
#[inline]
pub fn total_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The float of a [`total_key`].
///
/// ```
/// use shijing::stats::sort::{from_total_key, total_key};
/// for x in [-2.5, -0.0, 0.0, 5e-324, f64::MAX] {
///     assert_eq!(from_total_key(total_key(x)).to_bits(), x.to_bits());
/// }
/// ```
#[inline]
pub fn from_total_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Key ordering by `value` ascending ([`f64::total_cmp`]), then `index`
/// ascending; the index is the low 32 bits (`key as u32`).
///
/// ```
/// use shijing::stats::sort::asc_then_index;
/// assert!(asc_then_index(1.0, 9) < asc_then_index(2.0, 0));
/// assert!(asc_then_index(1.0, 3) < asc_then_index(1.0, 4));
/// assert_eq!(asc_then_index(1.0, 3) as u32, 3);
/// ```
#[inline]
pub fn asc_then_index(value: f64, index: u32) -> u128 {
    (u128::from(total_key(value)) << 64) | u128::from(index)
}

/// Key ordering by `value` descending ([`f64::total_cmp`]), then `index`
/// ascending; the index is the low 32 bits (`key as u32`).
///
/// ```
/// use shijing::stats::sort::desc_then_index;
/// assert!(desc_then_index(2.0, 9) < desc_then_index(1.0, 0));
/// assert!(desc_then_index(1.0, 3) < desc_then_index(1.0, 4));
/// ```
#[inline]
pub fn desc_then_index(value: f64, index: u32) -> u128 {
    (u128::from(!total_key(value)) << 64) | u128::from(index)
}

/// The value of a [`desc_then_index`] key.
///
/// ```
/// use shijing::stats::sort::{desc_key_value, desc_then_index};
/// assert_eq!(desc_key_value(desc_then_index(-7.25, 12)), -7.25);
/// ```
#[inline]
pub fn desc_key_value(k: u128) -> f64 {
    from_total_key(!((k >> 64) as u64))
}

/// Sorts `xs` ascending by [`f64::total_cmp`] in place.
///
/// ```
/// let mut xs = [2.0, f64::NAN, -1.0, 0.0, -0.0];
/// shijing::stats::sort::sort_total(&mut xs);
/// assert_eq!(xs[..4].iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
///            [-1.0f64, -0.0, 0.0, 2.0].map(f64::to_bits));
/// assert!(xs[4].is_nan());
/// ```
pub fn sort_total(xs: &mut [f64]) {
    let mut keys: Vec<u64> = xs.iter().map(|&x| total_key(x)).collect();
    sort_bits(&mut keys);
    for (x, k) in xs.iter_mut().zip(keys) {
        *x = from_total_key(k);
    }
}

/// Non-negative finite values sorted ascending (`-0` as `0`), with the
/// check folded into the key pass: `None` when some value is negative, NaN
/// or infinite (the caller then names it). From `BUCKET_SORT_MIN` values
/// on, the keys are first distributed into buckets (`bucket_sort`).
///
/// ```
/// use shijing::stats::sort::sort_checked;
/// assert_eq!(sort_checked(&[3.0, -0.0, 1.0]), Some(vec![0.0, 1.0, 3.0]));
/// assert_eq!(sort_checked(&[1.0, -1.0]), None);
/// assert_eq!(sort_checked(&[1.0, f64::INFINITY]), None);
/// ```
pub fn sort_checked(values: &[f64]) -> Option<Vec<f64>> {
    let bits = if values.len() >= BUCKET_SORT_MIN {
        bucket_sort(values)?
    } else {
        let mut ok = true;
        let mut bits: Vec<u64> = values
            .iter()
            .map(|&x| {
                ok &= (0.0..f64::INFINITY).contains(&x);
                (x + 0.0).to_bits()
            })
            .collect();
        if !ok {
            return None;
        }
        sort_bits(&mut bits);
        bits
    };
    Some(bits.into_iter().map(f64::from_bits).collect())
}

/// From this many values on, [`sort_checked`] buckets before sorting.
const BUCKET_SORT_MIN: usize = 1 << 15;

/// The bit patterns of non-negative finite values are below this; those of
/// negative values (after `x + 0.0`, which maps −0 to +0), NaNs and
/// infinities are not.
const KEY_LIMIT: u64 = 0x7FF0 << 48;

/// [`bucket_sort`]'s first distribution is by the top 16 bits of a key
/// (sign, exponent and 4 leading mantissa bits): 16 cells per octave.
const CELL_SHIFT: u32 = 48;

/// A cell is distributed into at most 2¹⁴ sub-buckets a level.
const MAX_SUB_BITS: u32 = 14;

/// Runs of at most this many keys are insertion-sorted (16 measured faster
/// than 8, 32 and 64 on values spread over thousands of octaves, where most
/// cells are that small; the same on the log-normal benchmark).
const SMALL: usize = 16;

/// The bit patterns of non-negative finite `values`, ascending (`None` if
/// any is not). Two levels of distribution, then insertion sort:
///
/// 1. One pass counts the keys of each cell ([`CELL_SHIFT`]), which is also
///    the validation (bad values land in cells from [`KEY_LIMIT`] on); a
///    second scatters them into cells. The benchmark's 1e6 log-normal
///    exposures fill 308 cells (at most 16,133 keys each): few enough write
///    streams to stay in cache.
/// 2. Each cell, while it is in cache, is counting-sorted on its next bits
///    into about as many sub-buckets as keys ([`sort_span`]), and then
///    insertion-sorted (about one key per sub-bucket: few moves).
///
/// Faster than the one-level distribution into n/8 buckets it replaced and
/// than one `sort_unstable`, natively and in Wasm, on log-normal exposures
/// and on equal, few-valued, uniform and widely spread inputs alike; only
/// values all within 1e-6 of each other (one cell) were slower. The
/// figures and the probe are in BENCHMARKS.md ("What dominates, and what
/// was tried"). Sorted keys are unique as values, so the result is the
/// same bits whichever sort produced it.
fn bucket_sort(values: &[f64]) -> Option<Vec<u64>> {
    let key = |x: f64| (x + 0.0).to_bits();
    let mut next = vec![0u32; 1 << (u64::BITS - CELL_SHIFT)];
    for &x in values {
        next[(key(x) >> CELL_SHIFT) as usize] += 1;
    }
    if next[(KEY_LIMIT >> CELL_SHIFT) as usize..]
        .iter()
        .any(|&c| c > 0)
    {
        return None;
    }
    // Counts, then each cell's first slot; after the scatter, each cell's
    // end. `n` ≤ MAX_ELEMENTS fits in u32.
    let mut at = 0;
    for slot in next.iter_mut() {
        (*slot, at) = (at, at + *slot);
    }
    let mut out = vec![0u64; values.len()];
    for &x in values {
        let k = key(x);
        let c = (k >> CELL_SHIFT) as usize;
        out[next[c] as usize] = k;
        next[c] += 1;
    }
    let mut scratch = Vec::new();
    let mut from = 0;
    for (c, &end) in next.iter().enumerate() {
        let to = end as usize;
        if to - from > 1 {
            let cell = &mut out[from..to];
            sort_span(cell, &mut scratch, (c as u64) << CELL_SHIFT, CELL_SHIFT);
        }
        from = to;
    }
    Some(out)
}

/// Sorts `keys`, all in `[lo, lo + 2^span)`: unless all are equal, a
/// counting sort on the bits below `span` into about as many sub-buckets
/// as keys (from a copy in `scratch`), recursion into sub-buckets of more
/// than [`SMALL`] keys, then one insertion pass. When one sub-bucket would
/// hold them all, the range is first narrowed to the keys' own; each level
/// or narrowing shortens `span`, so the depth is bounded.
fn sort_span(keys: &mut [u64], scratch: &mut Vec<u64>, mut lo: u64, mut span: u32) {
    let m = keys.len();
    if m <= SMALL {
        insertion_sort(keys);
        return;
    }
    if keys.iter().all(|&k| k == keys[0]) {
        return;
    }
    let bits = (usize::BITS - m.leading_zeros()).min(MAX_SUB_BITS);
    let (mut ends, shift, most) = loop {
        let shift = span.saturating_sub(bits);
        let mut ends = vec![0u32; 1 << (span - shift)];
        for &k in keys.iter() {
            ends[((k - lo) >> shift) as usize] += 1;
        }
        let (mut at, mut most) = (0, 0);
        for slot in ends.iter_mut() {
            most = most.max(*slot);
            (*slot, at) = (at, at + *slot);
        }
        if most as usize == m {
            let (a, b) = keys
                .iter()
                .fold((u64::MAX, 0), |(a, b), &k| (a.min(k), b.max(k)));
            (lo, span) = (a, u64::BITS - (b - a).leading_zeros());
            continue;
        }
        break (ends, shift, most);
    };
    if scratch.len() < m {
        scratch.resize(m, 0);
    }
    let copy = &mut scratch[..m];
    copy.copy_from_slice(keys);
    for &k in copy.iter() {
        let b = ((k - lo) >> shift) as usize;
        keys[ends[b] as usize] = k;
        ends[b] += 1;
    }
    // Skipped when no sub-bucket is crowded (the usual case): a measured
    // saving on capGini at 1e6 in Wasm (BENCHMARKS.md).
    if most as usize > SMALL {
        let mut from = 0;
        for (b, &end) in ends.iter().enumerate() {
            let to = end as usize;
            if to - from > SMALL {
                sort_span(
                    &mut keys[from..to],
                    scratch,
                    lo + ((b as u64) << shift),
                    shift,
                );
            }
            from = to;
        }
    }
    insertion_sort(keys);
}

/// Insertion sort: linear on sorted input, and cheap when every key is
/// within a few places of its own.
fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let k = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > k {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = k;
    }
}

/// Sorts integers ascending: an LSD radix sort on 11-bit digits, as many
/// passes as the largest value needs (3 for budgets below 2³³), for 256 or
/// more values; `sort_unstable` otherwise or when more than 4 passes would
/// be needed. Integers have no ties to break, so the result is the same.
/// The largest value and the histograms of the three low digits come from
/// one pass; the sorted values may end up in the other buffer (the vectors
/// are swapped, not copied).
///
/// ```
/// let mut v: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1009).collect();
/// let mut want = v.clone();
/// want.sort_unstable();
/// shijing::stats::sort::sort_integers(&mut v);
/// assert_eq!(v, want);
/// ```
pub fn sort_integers(values: &mut Vec<u64>) {
    const BITS: usize = 11;
    const BUCKETS: usize = 1 << BITS;
    const MASK: u64 = BUCKETS as u64 - 1;
    let n = values.len();
    if n < 256 || n > u32::MAX as usize {
        values.sort_unstable();
        return;
    }
    let mut counts = vec![[0u32; BUCKETS]; 4];
    let mut max = 0;
    for &v in values.iter() {
        max = max.max(v);
        for (p, c) in counts[..3].iter_mut().enumerate() {
            c[((v >> (BITS * p)) & MASK) as usize] += 1;
        }
    }
    let passes = (64 - max.leading_zeros() as usize).div_ceil(BITS);
    if passes > 4 {
        values.sort_unstable();
        return;
    }
    if passes == 4 {
        for &v in values.iter() {
            counts[3][((v >> (BITS * 3)) & MASK) as usize] += 1;
        }
    }
    let mut buf = vec![0u64; n];
    let (mut src, mut dst): (&mut [u64], &mut [u64]) = (values, &mut buf);
    let mut in_values = true;
    for (p, c) in counts[..passes].iter_mut().enumerate() {
        if c.contains(&(n as u32)) {
            continue; // every value has the same digit here
        }
        let mut at = 0;
        for k in c.iter_mut() {
            let here = *k;
            *k = at;
            at += here;
        }
        let shift = BITS * p;
        for &v in src.iter() {
            let d = ((v >> shift) & MASK) as usize;
            dst[c[d] as usize] = v;
            c[d] += 1;
        }
        std::mem::swap(&mut src, &mut dst);
        in_values = !in_values;
    }
    if !in_values {
        // The sorted data is in `buf`.
        std::mem::swap(values, &mut buf);
    }
}

/// Puts the `k + 1` smallest keys first (`keys[k]` is the `k`-th smallest,
/// 0-based), in no particular order otherwise: a selection, O(n), where only
/// the best few of a ranking are needed.
///
/// ```
/// let mut keys = vec![5u128, 1, 4, 2, 3];
/// shijing::stats::sort::select_wide(&mut keys, 1);
/// assert_eq!(keys[1], 2);
/// assert!(keys[..1].iter().all(|&k| k < 2));
/// ```
pub fn select_wide(keys: &mut [u128], k: usize) {
    keys.select_nth_unstable(k);
}

/// [`select_wide`] on `u64` keys, widened to share its code (one selection
/// instantiation less in the Wasm): the comparisons are the same, so the
/// keys end in the order `keys.select_nth_unstable(k)` leaves them.
///
/// ```
/// let mut keys = vec![5u64, 1, 4, 2, 3];
/// shijing::stats::sort::select_bits(&mut keys, 3);
/// assert_eq!(keys[3], 4);
/// assert!(keys[4..].iter().all(|&k| k > 4));
/// ```
pub fn select_bits(keys: &mut [u64], k: usize) {
    let mut wide: Vec<u128> = keys.iter().map(|&x| u128::from(x)).collect();
    select_wide(&mut wide, k);
    for (x, w) in keys.iter_mut().zip(wide) {
        *x = w as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_radix_sort_matches_one_sort() {
        let mut r = crate::stats::random::rng(12);
        let mut u = || crate::stats::random::uniform(&mut r);
        // Narrow ids (few digits differ), hashes (all differ), equal keys,
        // sorted and reverse-sorted input, a flag bit beside the key.
        for (n, kind) in [
            (0, 0),
            (1, 0),
            (1000, 0),
            (50_000, 0),
            (50_000, 1),
            (5_000, 2),
            (5_000, 3),
            (5_000, 4),
            (5_000, 5),
        ] {
            let keys: Vec<u128> = (0..n)
                .map(|i| {
                    let k: u128 = match kind {
                        0 => 2_088_100_000_000_000 + (u() * 200_000.0) as u128,
                        1 => ((u() * 2f64.powi(53)) as u128) << 11 ^ (u() * 2048.0) as u128,
                        2 => 42,
                        3 => i as u128 * 7919,
                        4 => (n - i) as u128 * 7919 / 2,
                        _ => (u() * 64.0) as u128,
                    };
                    let flag = u128::from(kind == 5 && u() < 0.5);
                    (k << 64) | (flag << 32) | i as u128
                })
                .collect();
            let (mut a, mut b) = (keys.clone(), keys);
            sort_wide(&mut a);
            sort_wide_stable(&mut b, 32);
            assert_eq!(a, b, "n {n}, kind {kind}");
        }
        // Stable by the key alone, whatever the low bits.
        let mut keys: Vec<u128> = vec![(5 << 8) | 9, (1 << 8) | 7, (5 << 8) | 1, (1 << 8) | 8];
        sort_wide_stable(&mut keys, 8);
        assert_eq!(
            keys,
            [(1 << 8) | 7, (1 << 8) | 8, (5 << 8) | 9, (5 << 8) | 1]
        );
    }

    #[test]
    fn grouped_sorts_match_one_sort() {
        let mut r = crate::stats::random::rng(11);
        // below the counting threshold, dense groups, sparse groups (one sort), one group
        for &(n, groups) in &[
            (100usize, 10u64),
            (50_000, 12_000),
            (50_000, 1 << 30),
            (20_000, 1),
        ] {
            let narrow: Vec<u64> = (0..n)
                .map(|i| {
                    let g = (crate::stats::random::uniform(&mut r) * groups as f64) as u64;
                    (g << 32) | (i as u64 * 2_654_435_761 % n as u64)
                })
                .collect();
            let wide: Vec<u128> = narrow
                .iter()
                .map(|&k| (u128::from(k >> 32) << 96) | (u128::from(k) << 80 >> 80) | 1 << 64)
                .collect();
            let (mut a, mut b) = (narrow.clone(), narrow);
            sort_bits(&mut a);
            sort_grouped(&mut b, 32);
            assert_eq!(a, b, "n {n}, {groups} groups");
            let (mut a, mut b) = (wide.clone(), wide);
            sort_wide(&mut a);
            sort_grouped_wide(&mut b, 96);
            assert_eq!(a, b, "wide: n {n}, {groups} groups");
        }
    }

    #[test]
    fn matches_std_sort() {
        let mut r = crate::stats::random::rng(9);
        for &n in &[0usize, 1, 5, 300, 10_000, BUCKET_SORT_MIN, 100_000] {
            let xs: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 7 == 0 {
                        0.0
                    } else {
                        crate::stats::random::lognormal(&mut r, 0.0, 3.0)
                    }
                })
                .collect();
            let mut want = xs.clone();
            want.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(sort_checked(&xs).unwrap(), want);
        }
        assert_eq!(
            sort_checked(&[-0.0, 0.0, 2.0, 1.0]),
            Some(vec![0.0, 0.0, 1.0, 2.0])
        );
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert_eq!(sort_checked(&[1.0, bad]), None);
        }
    }

    #[test]
    fn bucket_path_handles_skew_ties_and_bad_values() {
        let n = BUCKET_SORT_MIN + 3;
        let check = |xs: Vec<f64>| {
            let mut want: Vec<f64> = xs.iter().map(|&x| x + 0.0).collect();
            want.sort_by(f64::total_cmp);
            let got = sort_checked(&xs).unwrap();
            assert_eq!(
                got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        };
        check(vec![2.5; n]); // one bucket, range 0
        check(
            (0..n)
                .map(|i| if i == 7 { 1e300 } else { (i % 13) as f64 })
                .collect(),
        );
        check(
            (0..n)
                .map(|i| if i % 2 == 0 { -0.0 } else { 0.0 })
                .collect(),
        );
        check(
            (0..n)
                .map(|i| if i % 3 == 0 { 0.0 } else { 5e-324 * i as f64 })
                .collect(),
        );
        check((0..n).map(|i| f64::MAX / (1 + i % 5) as f64).collect());
        for bad in [f64::NAN, -1.0, f64::INFINITY, -f64::MIN_POSITIVE] {
            let mut xs = vec![1.0; n];
            xs[n - 1] = bad;
            assert_eq!(sort_checked(&xs), None);
        }
    }

    /// The bits `sort_unstable` gives, after `+ 0.0` (−0 as 0).
    fn std_bits(xs: &[f64]) -> Vec<u64> {
        let mut want: Vec<u64> = xs.iter().map(|&x| (x + 0.0).to_bits()).collect();
        want.sort_unstable();
        want
    }

    #[test]
    fn two_level_sort_matches_sort_unstable_on_the_bits() {
        let mut r = crate::stats::random::rng(3);
        let mut u = move || crate::stats::random::uniform(&mut r);
        type Gen<'a> = Box<dyn FnMut(usize, usize) -> f64 + 'a>;
        let gens: Vec<(&str, Gen)> = vec![
            (
                "log-normal σ 1.5",
                Box::new(|_, _| (2.0 * u() - 1.0).exp().powf(3.0)),
            ),
            ("equal", Box::new(|_, _| 2.5)),
            (
                "zeros and −0",
                Box::new(|i, _| if i % 2 == 0 { -0.0 } else { 0.0 }),
            ),
            (
                "two values",
                Box::new(|i, _| if i % 3 == 0 { 1.0 } else { 7.0 }),
            ),
            ("small integers", Box::new(|i, _| (i * 7919 % 101) as f64)),
            ("integers", Box::new(|i, n| (i * 7919 % n) as f64)),
            (
                "uniform",
                Box::new(|i, n| ((i * 7919 % n) as f64 + 0.5) / n as f64),
            ),
            (
                "clustered",
                Box::new(|i, n| 1000.0 + 1e-9 * ((i * 7919 % n) as f64)),
            ),
            (
                "consecutive floats",
                Box::new(|i, n| f64::from_bits(1f64.to_bits() + (i * 7919 % n) as u64)),
            ),
            ("ascending", Box::new(|i, _| i as f64)),
            ("descending", Box::new(|i, n| (n - i) as f64 * 0.25)),
            (
                "subnormals and zeros",
                Box::new(|i, _| {
                    if i % 3 == 0 {
                        0.0
                    } else {
                        5e-324 * (i % 1000) as f64
                    }
                }),
            ),
            (
                "huge range",
                Box::new(|i, _| match i % 4 {
                    0 => f64::MAX / (1 + i % 5) as f64,
                    1 => 5e-324,
                    2 => f64::MIN_POSITIVE * (i % 9) as f64,
                    _ => (i % 77) as f64,
                }),
            ),
            (
                "one outlier",
                Box::new(|i, _| if i == 7 { 1e300 } else { (i % 13) as f64 }),
            ),
            (
                "thousands of octaves",
                Box::new(|i, n| ((i * 7919 % n) as f64 / n as f64 * 1400.0 - 700.0).exp()),
            ),
            (
                // SMALL + 1 keys a cell (then twice that, after the cells
                // repeat), differing only in the last bits: the narrowing path.
                "near keys a cell",
                Box::new(|i, _| {
                    let cell = (i / (SMALL + 1)) % 600;
                    let low = (i * 31) % (SMALL + 1);
                    f64::from_bits((((cell as u64) + 900) << CELL_SHIFT) + low as u64)
                }),
            ),
            (
                // Groups of 4·SMALL + 1 close values: sub-buckets to recurse into.
                "groups of close values",
                Box::new(|i, _| {
                    let g = 4 * SMALL + 1;
                    1.0 + ((i / g) as f64) * 1e-3 + ((i % g) as f64) * 1e-12
                }),
            ),
        ];
        let sizes = [
            0,
            1,
            2,
            SMALL,
            SMALL + 1,
            1000,
            BUCKET_SORT_MIN - 1,
            BUCKET_SORT_MIN,
            BUCKET_SORT_MIN + 1,
            100_003,
        ];
        for (name, mut g) in gens {
            for &n in &sizes {
                let xs: Vec<f64> = (0..n).map(|i| g(i, n)).collect();
                let want = std_bits(&xs);
                let got = sort_checked(&xs).unwrap();
                assert!(
                    got.iter().map(|x| x.to_bits()).eq(want.iter().copied()),
                    "{name}, n = {n}"
                );
                // The two-level path itself, whatever the size.
                assert_eq!(bucket_sort(&xs).unwrap(), want, "{name}, n = {n}");
            }
        }
    }

    #[test]
    fn two_level_sort_rejects_every_bad_value_anywhere() {
        let n = BUCKET_SORT_MIN + 5;
        for bad in [
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            -5e-324,
            -f64::MIN_POSITIVE,
            -f64::MAX,
        ] {
            for at in [0, n / 2, n - 1] {
                let mut xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
                xs[at] = bad;
                assert_eq!(sort_checked(&xs), None, "{bad} at {at}");
            }
        }
        let edge = [f64::MAX, -0.0, 5e-324, f64::MIN_POSITIVE];
        let xs: Vec<f64> = (0..n).map(|i| edge[i % 4]).collect();
        assert!(sort_checked(&xs)
            .unwrap()
            .iter()
            .map(|x| x.to_bits())
            .eq(std_bits(&xs)));
    }

    /// Random vectors mixing the awkward cases, straight into the two-level
    /// path (which sort_checked takes only from BUCKET_SORT_MIN values on).
    #[cfg(not(target_arch = "wasm32"))]
    mod random_vectors {
        use super::{bucket_sort, std_bits};
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = f64> {
            prop_oneof![
                3 => (-30.0f64..30.0).prop_map(f64::exp),
                2 => (0u32..50).prop_map(f64::from),
                1 => Just(0.0),
                1 => Just(-0.0),
                1 => (1u64..1 << 52).prop_map(f64::from_bits),
                1 => (0u64..200).prop_map(|k| f64::from_bits(1f64.to_bits() + k)),
                1 => 0.0f64..f64::MAX,
                1 => (0u64..0x7FF0 << 48).prop_map(f64::from_bits),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]
            #[test]
            fn bucket_sort_is_sort_unstable_on_the_bits(
                xs in prop::collection::vec(value(), 0..3000)
            ) {
                prop_assert_eq!(bucket_sort(&xs).unwrap(), std_bits(&xs));
            }
        }
    }

    #[test]
    fn select_bits_leaves_the_order_of_a_selection() {
        let mut r = crate::stats::random::rng(4);
        for &n in &[1usize, 2, 17, 100, 5_000] {
            let xs: Vec<u64> = (0..n)
                .map(|_| (crate::stats::random::uniform(&mut r) * 50.0) as u64)
                .collect();
            for k in [0, n / 3, n - 1] {
                let (mut a, mut b) = (xs.clone(), xs.clone());
                a.select_nth_unstable(k);
                select_bits(&mut b, k);
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn keys_order_like_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -3.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            2.5,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for &a in &xs {
            assert_eq!(from_total_key(total_key(a)).to_bits(), a.to_bits());
            for &b in &xs {
                assert_eq!(total_key(a).cmp(&total_key(b)), a.total_cmp(&b));
                for (i, j) in [(0u32, 1u32), (1, 0), (3, 3)] {
                    let want = a.total_cmp(&b).then(i.cmp(&j));
                    assert_eq!(asc_then_index(a, i).cmp(&asc_then_index(b, j)), want);
                    let want = b.total_cmp(&a).then(i.cmp(&j));
                    assert_eq!(desc_then_index(a, i).cmp(&desc_then_index(b, j)), want);
                }
            }
        }
        let mut got = xs.to_vec();
        sort_total(&mut got);
        let mut want = xs.to_vec();
        want.sort_by(f64::total_cmp);
        assert_eq!(
            got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn radix_sort_matches_the_standard_sort() {
        let mut r = crate::stats::random::rng(11);
        for &(n, max) in &[
            (0usize, 10u64),
            (100, 1_000),
            (5_000, 1 << 20),
            (5_000, 1_000_000_000),
            (3_000, 7),
            (3_000, 1 << 40),
            (3_000, 1 << 50),
        ] {
            let xs: Vec<u64> = (0..n)
                .map(|_| (crate::stats::random::uniform(&mut r) * max as f64) as u64)
                .collect();
            let mut want = xs.clone();
            want.sort_unstable();
            let mut got = xs.clone();
            sort_integers(&mut got);
            assert_eq!(got, want, "n = {n}, max = {max}");
        }
        // One digit the same everywhere (a skipped pass), then an odd number of passes.
        let mut xs: Vec<u64> = (0..1000u64).map(|i| (i * 7919 % 1000) << 11).collect();
        let mut want = xs.clone();
        want.sort_unstable();
        sort_integers(&mut xs);
        assert_eq!(xs, want);
    }
}
