//! Sorting non-negative floats fast: their IEEE bit patterns order like the
//! values, so an LSD radix sort on the `u64` bits (11-bit digits, passes whose
//! digit is the same for every key skipped) replaces a comparison sort. This
//! is the one sort each Gini-cap solve needs.

/// Bits per radix digit: 2,048 buckets keep the scatter inside L1/L2.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: u32 = 64_u32.div_ceil(DIGIT_BITS);

/// Below this length a comparison sort is faster than radix passes.
const SMALL: usize = 256;

/// Sorts `keys` ascending in place, using `scratch` (resized as needed).
pub fn radix_sort_u64(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let n = keys.len();
    if n <= SMALL {
        keys.sort_unstable();
        return;
    }
    // One read of the data builds every digit's histogram.
    let mut counts = vec![0usize; BUCKETS * PASSES as usize];
    for &k in keys.iter() {
        for p in 0..PASSES {
            let d = ((k >> (p * DIGIT_BITS)) as usize) & (BUCKETS - 1);
            counts[p as usize * BUCKETS + d] += 1;
        }
    }
    scratch.clear();
    scratch.resize(n, 0);
    let mut src_is_keys = true;
    for p in 0..PASSES {
        let hist = &mut counts[p as usize * BUCKETS..(p as usize + 1) * BUCKETS];
        if hist.iter().any(|&c| c == n) {
            continue; // every key has the same digit: the pass would not move anything
        }
        let mut sum = 0;
        for c in hist.iter_mut() {
            let here = *c;
            *c = sum;
            sum += here;
        }
        let shift = p * DIGIT_BITS;
        let (src, dst): (&[u64], &mut [u64]) = if src_is_keys {
            (keys.as_slice(), scratch.as_mut_slice())
        } else {
            (scratch.as_slice(), keys.as_mut_slice())
        };
        for &k in src {
            let d = ((k >> shift) as usize) & (BUCKETS - 1);
            // `hist[d]` < n: it starts at the count of smaller digits and grows
            // once per key with digit d.
            dst[hist[d]] = k;
            hist[d] += 1;
        }
        src_is_keys = !src_is_keys;
    }
    if !src_is_keys {
        std::mem::swap(keys, scratch);
    }
}

/// Non-negative finite values (not checked here) sorted ascending; `-0` sorts as `0`.
pub fn sort_non_negative(values: &[f64]) -> Vec<f64> {
    let mut bits: Vec<u64> = values.iter().map(|&x| (x + 0.0).to_bits()).collect();
    let mut scratch = Vec::new();
    radix_sort_u64(&mut bits, &mut scratch);
    bits.into_iter().map(f64::from_bits).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_sort() {
        let mut r = crate::stats::random::rng(9);
        for &n in &[0usize, 1, 5, 300, 10_000] {
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
            assert_eq!(sort_non_negative(&xs), want);
        }
        assert_eq!(
            sort_non_negative(&[-0.0, 0.0, 2.0, 1.0]),
            vec![0.0, 0.0, 1.0, 2.0]
        );
    }
}
