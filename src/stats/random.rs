//! Seeded randomness. Every simulation draws from [`Rng`] (xoshiro256++), and
//! every transcendental function in a sampler goes through `libm`, so the
//! same seed gives the same numbers bit for bit natively and in Wasm (std's
//! `ln`/`exp` call the platform's libm natively and a different one in Wasm).

use rand_core::{Rng as _, SeedableRng};

use crate::{Error, Result};

/// The generator every simulation uses: small, fast, and identical on every target.
pub type Rng = rand_xoshiro::Xoshiro256PlusPlus;

/// The seed to use: `seed` if given, otherwise 32 bits from the platform's
/// entropy source (getrandom; `crypto.getRandomValues` in Wasm). Results
/// report the seed they used, so any run can be reproduced.
pub fn resolve_seed(seed: Option<u32>) -> Result<u32> {
    match seed {
        Some(s) => Ok(s),
        None => getrandom::u32().map_err(|e| {
            Error::Infeasible(format!(
                "no seed was given and the entropy source failed: {e}"
            ))
        }),
    }
}

/// A generator from a 32-bit seed (expanded with SplitMix64 by `seed_from_u64`).
pub fn rng(seed: u32) -> Rng {
    Rng::seed_from_u64(u64::from(seed))
}

/// A generator for stream `stream` of `seed`: independent sub-streams for
/// parallel parts of one run (one per merchant, per day, …).
pub fn rng_stream(seed: u32, stream: u64) -> Rng {
    Rng::seed_from_u64((u64::from(seed) << 32) ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Uniform on [0, 1) with 53 random bits.
#[inline]
pub fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform on (0, 1): never exactly 0, safe under `ln`.
#[inline]
pub fn uniform_open(rng: &mut Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Standard normal by Marsaglia's polar method.
pub fn standard_normal(rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * uniform(rng) - 1.0;
        let v = 2.0 * uniform(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}

/// Log-normal: `exp(mu + sigma·Z)`.
pub fn lognormal(rng: &mut Rng, mu: f64, sigma: f64) -> f64 {
    libm::exp(mu + sigma * standard_normal(rng))
}

/// `n` log-normal draws with median 1 and log-scale spread `sigma`: a
/// heavy-tailed exposure sample like creators' daily plays.
pub fn lognormal_sample(n: usize, sigma: f64, seed: u32) -> Vec<f64> {
    let mut r = rng(seed);
    (0..n).map(|_| lognormal(&mut r, 0.0, sigma)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        assert_eq!(lognormal_sample(100, 1.0, 7), lognormal_sample(100, 1.0, 7));
        assert_ne!(lognormal_sample(100, 1.0, 7), lognormal_sample(100, 1.0, 8));
        assert_eq!(resolve_seed(Some(5)).unwrap(), 5);
        assert!(resolve_seed(None).is_ok());
    }

    #[test]
    fn normal_moments() {
        let mut r = rng(1);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.01, "{var}");
        let u: Vec<f64> = (0..1000).map(|_| uniform_open(&mut r)).collect();
        assert!(u.iter().all(|&x| x > 0.0 && x < 1.0));
    }
}
