//! Sorts go through here, on plain integer keys: each distinct comparator
//! closure would instantiate the standard library's sort again (several KB
//! of Wasm each), while `u64` and `u128` keys share two.
//!
//! Floats map to `u64` keys that order exactly like [`f64::total_cmp`]
//! ([`total_key`]); a value and an index pack into a `u128` key, so ties
//! break by index and the result is the one a comparator sort on
//! `(value, index)` gives. Non-negative floats need no mapping: their IEEE
//! bit patterns order like the values, so the inequality statistics and each
//! Gini-cap solve sort the bits directly (about twice as fast as comparing
//! floats).

/// Sorts `keys` ascending in place.
///
/// `sort_unstable` (ipnsort) on the bit patterns. LSD and adaptive MSD radix
/// sorts were tried and measured slower on the 2-core test machine at
/// M = 1e6, natively and in Wasm (memory bandwidth, not comparisons, is the
/// limit there); the function stays the one place to change if a faster sort
/// is found.
pub fn sort_bits(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// Sorts `keys` ascending in place: the wide keys of [`asc_then_index`] and
/// [`desc_then_index`].
pub fn sort_wide(keys: &mut [u128]) {
    keys.sort_unstable();
}

/// A `u64` that orders like `x` under [`f64::total_cmp`].
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
#[inline]
pub fn from_total_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Key ordering by `value` ascending ([`f64::total_cmp`]), then `index`
/// ascending; the index is the low 32 bits (`key as u32`).
#[inline]
pub fn asc_then_index(value: f64, index: u32) -> u128 {
    (u128::from(total_key(value)) << 64) | u128::from(index)
}

/// Key ordering by `value` descending ([`f64::total_cmp`]), then `index`
/// ascending; the index is the low 32 bits (`key as u32`).
#[inline]
pub fn desc_then_index(value: f64, index: u32) -> u128 {
    (u128::from(!total_key(value)) << 64) | u128::from(index)
}

/// The value of a [`desc_then_index`] key.
#[inline]
pub fn desc_key_value(k: u128) -> f64 {
    from_total_key(!((k >> 64) as u64))
}

/// Sorts `xs` ascending by [`f64::total_cmp`] in place.
pub fn sort_total(xs: &mut [f64]) {
    let mut keys: Vec<u64> = xs.iter().map(|&x| total_key(x)).collect();
    sort_bits(&mut keys);
    for (x, k) in xs.iter_mut().zip(keys) {
        *x = from_total_key(k);
    }
}

/// Non-negative finite values sorted ascending (`-0` as `0`), with the
/// check folded into the key pass: `None` when some value is negative, NaN
/// or infinite (the caller then names it). From [`BUCKET_SORT_MIN`] values
/// on, the keys are first distributed into buckets ([`bucket_sort`]).
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
const BUCKET_SORT_MIN: usize = 1 << 14;

/// At most 2¹⁷ buckets (512 KB of counts): more measured slower at 1e6.
const MAX_BUCKET_BITS: u32 = 17;

/// The bit patterns of non-negative finite `values`, ascending (`None` if
/// any is not): one MSD distribution on the leading bits of `key − min`
/// into about `n/8` buckets (a counting pass and a scatter), then
/// `sort_unstable` within each bucket. Heavy-tailed exposures spread over
/// many octaves, so the buckets are small and the sorts within them cheap:
/// at 1e6 log-normal values this is ≈ 20% faster than one `sort_unstable`
/// of all the keys in Wasm (natively, within the noise of this machine). A skewed input (one bucket
/// holding nearly everything) costs the two extra passes and then sorts as
/// before. Sorted keys are unique as values, so the result is the same bits
/// whichever sort produced it.
fn bucket_sort(values: &[f64]) -> Option<Vec<u64>> {
    let n = values.len();
    let (mut ok, mut lo, mut hi) = (true, u64::MAX, 0u64);
    for &x in values {
        ok &= (0.0..f64::INFINITY).contains(&x);
        let b = (x + 0.0).to_bits();
        lo = lo.min(b);
        hi = hi.max(b);
    }
    if !ok {
        return None;
    }
    let range = hi - lo;
    let want = (usize::BITS - (n / 8).leading_zeros()).min(MAX_BUCKET_BITS);
    let shift = (u64::BITS - range.leading_zeros()).saturating_sub(want);
    let bucket = |x: f64| ((((x + 0.0).to_bits()) - lo) >> shift) as usize;
    // Counts, then each bucket's first slot; after the scatter, each
    // bucket's end. `n` ≤ MAX_ELEMENTS fits in u32.
    let mut next = vec![0u32; (range >> shift) as usize + 1];
    for &x in values {
        next[bucket(x)] += 1;
    }
    let mut at = 0;
    for slot in next.iter_mut() {
        (*slot, at) = (at, at + *slot);
    }
    let mut out = vec![0u64; n];
    for &x in values {
        let b = bucket(x);
        out[next[b] as usize] = (x + 0.0).to_bits();
        next[b] += 1;
    }
    let mut from = 0;
    for &end in &next {
        let to = end as usize;
        if to - from > 1 {
            out[from..to].sort_unstable();
        }
        from = to;
    }
    Some(out)
}

/// Sorts integers ascending: an LSD radix sort on 11-bit digits, as many
/// passes as the largest value needs (3 for budgets below 2³³), for 256 or
/// more values; `sort_unstable` otherwise or when more than 4 passes would
/// be needed. Integers have no ties to break, so the result is the same.
/// The largest value and the histograms of the three low digits come from
/// one pass; the sorted values may end up in the other buffer (the vectors
/// are swapped, not copied).
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
pub fn select_wide(keys: &mut [u128], k: usize) {
    keys.select_nth_unstable(k);
}

/// [`select_wide`] on `u64` keys, widened to share its code (one selection
/// instantiation less in the Wasm): the comparisons are the same, so the
/// keys end in the order `keys.select_nth_unstable(k)` leaves them.
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
