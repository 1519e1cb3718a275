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
            return u * (-2.0 * libm::log(s) / s).sqrt();
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

/// Standard normals two at a time: the polar method yields a pair per
/// accepted point, and this keeps the second one for the next call, halving
/// the cost of a normal in loops that need many (Gamma and Beta sampling).
#[derive(Debug, Clone, Copy, Default)]
pub struct Normals {
    spare: f64,
    has_spare: bool,
}

impl Normals {
    /// A source with nothing cached.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next standard normal.
    #[inline]
    pub fn next(&mut self, rng: &mut Rng) -> f64 {
        if self.has_spare {
            self.has_spare = false;
            return self.spare;
        }
        loop {
            let u = 2.0 * uniform(rng) - 1.0;
            let v = 2.0 * uniform(rng) - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * libm::log(s) / s).sqrt();
                self.spare = v * f;
                self.has_spare = true;
                return u * f;
            }
        }
    }
}

/// Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost
/// `Gamma(a) = Gamma(a + 1)·U^(1/a)` for `a < 1`. Returns NaN when `shape`
/// is not finite and positive (so a bad parameter cannot loop forever).
pub fn gamma(rng: &mut Rng, normals: &mut Normals, shape: f64) -> f64 {
    if !(shape > 0.0 && shape.is_finite()) {
        return f64::NAN;
    }
    if shape < 1.0 {
        let g = gamma_at_least_one(rng, normals, shape + 1.0);
        return g * libm::pow(uniform_open(rng), 1.0 / shape);
    }
    gamma_at_least_one(rng, normals, shape)
}

/// `ln Gamma(shape, 1)`, accurate for tiny shapes where the variate itself
/// underflows to 0. NaN for a shape that is not finite and positive.
pub fn ln_gamma_variate(rng: &mut Rng, normals: &mut Normals, shape: f64) -> f64 {
    if !(shape > 0.0 && shape.is_finite()) {
        return f64::NAN;
    }
    if shape < 1.0 {
        let g = gamma_at_least_one(rng, normals, shape + 1.0);
        return libm::log(g) + libm::log(uniform_open(rng)) / shape;
    }
    libm::log(gamma_at_least_one(rng, normals, shape))
}

#[inline]
fn gamma_at_least_one(rng: &mut Rng, normals: &mut Normals, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normals.next(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = uniform_open(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 {
            return d * v;
        }
        if libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// Both Beta parameters at least this large: [`beta`] uses the normal
/// approximation `N(mean, mean·(1−mean)/(α+β+1))`, clamped to [0, 1]. The
/// skewness of Beta(α, β) is below `2/√min(α, β)` = 0.2 there. (The notes'
/// prototype switched on `α + β > 2000`; bounding the smaller parameter
/// bounds the skew, which is what the approximation gets wrong.)
pub const BETA_NORMAL_MIN_PARAM: f64 = 100.0;

/// Beta(a, b) from two Gamma variates (exact), or the normal approximation
/// when `min(a, b) ≥` [`BETA_NORMAL_MIN_PARAM`]. Parameters below 1 are
/// handled in log space, so tiny shapes give 0 or 1 rather than 0/0. Returns
/// NaN when a parameter is not finite and positive.
pub fn beta(rng: &mut Rng, normals: &mut Normals, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return f64::NAN;
    }
    if a >= BETA_NORMAL_MIN_PARAM && b >= BETA_NORMAL_MIN_PARAM {
        let n = a + b;
        let mean = a / n;
        let sd = (mean * (1.0 - mean) / (n + 1.0)).sqrt();
        return (mean + sd * normals.next(rng)).clamp(0.0, 1.0);
    }
    if a >= 1.0 && b >= 1.0 {
        let x = gamma_at_least_one(rng, normals, a);
        let y = gamma_at_least_one(rng, normals, b);
        return x / (x + y);
    }
    // ln X − ln Y, then the logistic function: no underflow to 0/0.
    let lx = ln_gamma_variate(rng, normals, a);
    let ly = ln_gamma_variate(rng, normals, b);
    let d = ly - lx;
    if d > 700.0 {
        0.0
    } else {
        1.0 / (1.0 + libm::exp(d))
    }
}

/// Binomial(n, p): inversion when `n·min(p, 1−p) < 10`, otherwise Hörmann's
/// BTRS transformed rejection (1993), exact, O(1) expected time. `p` outside
/// [0, 1] is clamped; NaN gives 0.
pub fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(rng, n, 1.0 - p);
    }
    let nf = n as f64;
    if nf * p < 10.0 {
        return binomial_inversion(rng, n, p);
    }
    binomial_btrs(rng, n, p)
}

fn binomial_inversion(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let r0 = libm::pow(q, n as f64);
    'restart: loop {
        let mut r = r0;
        let mut u = uniform(rng);
        let mut x: u64 = 0;
        loop {
            if u <= r {
                return x;
            }
            u -= r;
            x += 1;
            if x > n {
                continue 'restart;
            }
            r *= a / x as f64 - s;
        }
    }
}

/// `ln k! − [(k + ½)·ln(k + 1) − (k + 1) + ½·ln 2π]`, the Stirling tail.
fn stirling_tail(k: f64) -> f64 {
    const SMALL: [f64; 10] = [
        0.081_061_466_795_327_2,
        0.041_340_695_955_409_2,
        0.027_677_925_684_998_3,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_1,
        0.013_876_128_823_070_7,
        0.011_896_709_945_891_7,
        0.010_411_265_261_972_0,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k <= 9.0 {
        return SMALL[k as usize];
    }
    let kp1sq = (k + 1.0) * (k + 1.0);
    (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1sq) / kp1sq) / (k + 1.0)
}

fn binomial_btrs(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let stddev = (nf * p * (1.0 - p)).sqrt();
    let b = 1.15 + 2.53 * stddev;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    let r = p / (1.0 - p);
    let alpha = (2.83 + 5.1 / b) * stddev;
    let m = libm::floor((nf + 1.0) * p);
    loop {
        let u = uniform(rng) - 0.5;
        let mut v = uniform(rng);
        let us = 0.5 - u.abs();
        let k = libm::floor((2.0 * a / us + b) * u + c);
        if us >= 0.07 && v <= v_r {
            if (0.0..=nf).contains(&k) {
                return k as u64;
            }
            continue;
        }
        if k < 0.0 || k > nf {
            continue;
        }
        v = libm::log(v * alpha / (a / (us * us) + b));
        let bound = (m + 0.5) * libm::log((m + 1.0) / (r * (nf - m + 1.0)))
            + (nf + 1.0) * libm::log((nf - m + 1.0) / (nf - k + 1.0))
            + (k + 0.5) * libm::log(r * (nf - k + 1.0) / (k + 1.0))
            + stirling_tail(m)
            + stirling_tail(nf - m)
            - stirling_tail(k)
            - stirling_tail(nf - k);
        if v <= bound {
            return k as u64;
        }
    }
}

/// Poisson(λ): multiplication of uniforms for `λ < 10`, otherwise Hörmann's
/// PTRS transformed rejection (1993). λ that is not finite and positive gives 0.
pub fn poisson(rng: &mut Rng, lambda: f64) -> u64 {
    if !(lambda > 0.0 && lambda.is_finite()) {
        return 0;
    }
    if lambda < 10.0 {
        let limit = libm::exp(-lambda);
        let mut prod = uniform(rng);
        let mut k = 0u64;
        while prod > limit {
            prod *= uniform(rng);
            k += 1;
        }
        return k;
    }
    let slam = (lambda).sqrt();
    let loglam = libm::log(lambda);
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = uniform(rng) - 0.5;
        let v = uniform_open(rng);
        let us = 0.5 - u.abs();
        let k = libm::floor((2.0 * a / us + b) * u + lambda + 0.43);
        if us >= 0.07 && v <= v_r {
            if k >= 0.0 {
                return k as u64;
            }
            continue;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        if libm::log(v) + libm::log(inv_alpha) - libm::log(a / (us * us) + b)
            <= -lambda + k * loglam - libm::lgamma(k + 1.0)
        {
            return k as u64;
        }
    }
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

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn gamma_moments() {
        let mut r = rng(3);
        let mut z = Normals::new();
        for &shape in &[0.3, 0.9, 1.0, 2.5, 30.0] {
            let xs: Vec<f64> = (0..100_000).map(|_| gamma(&mut r, &mut z, shape)).collect();
            let (m, v) = mean_var(&xs);
            assert!(
                (m - shape).abs() < 5.0 * (shape / 1e5).sqrt(),
                "{shape}: {m}"
            );
            assert!((v / shape - 1.0).abs() < 0.05, "{shape}: {v}");
        }
        assert!(gamma(&mut r, &mut z, f64::NAN).is_nan());
        assert!(gamma(&mut r, &mut z, 0.0).is_nan());
    }

    #[test]
    fn beta_moments() {
        let mut r = rng(4);
        let mut z = Normals::new();
        for &(a, b) in &[
            (0.9, 29.1),
            (0.2, 0.3),
            (3.0, 5.0),
            (150.0, 4000.0),
            (0.05, 2.0),
        ] {
            let xs: Vec<f64> = (0..100_000).map(|_| beta(&mut r, &mut z, a, b)).collect();
            assert!(xs.iter().all(|x| (0.0..=1.0).contains(x)));
            let (m, v) = mean_var(&xs);
            let mean = a / (a + b);
            let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
            assert!(
                (m - mean).abs() < 5.0 * (var / 1e5).sqrt() + 1e-12,
                "{a},{b}: {m}"
            );
            assert!((v / var - 1.0).abs() < 0.05, "{a},{b}: {v} vs {var}");
        }
        assert!(beta(&mut r, &mut z, 1.0, f64::INFINITY).is_nan());
    }

    #[test]
    fn binomial_and_poisson_moments() {
        let mut r = rng(5);
        for &(n, p) in &[
            (10u64, 0.3),
            (1000, 0.003),
            (1000, 0.3),
            (100_000, 0.7),
            (50, 0.99),
        ] {
            let xs: Vec<f64> = (0..100_000)
                .map(|_| binomial(&mut r, n, p) as f64)
                .collect();
            assert!(xs.iter().all(|&x| x <= n as f64));
            let (m, v) = mean_var(&xs);
            let var = n as f64 * p * (1.0 - p);
            assert!(
                (m - n as f64 * p).abs() < 5.0 * (var / 1e5).sqrt(),
                "{n},{p}: {m}"
            );
            assert!((v / var - 1.0).abs() < 0.05, "{n},{p}: {v}");
        }
        assert_eq!(binomial(&mut r, 10, f64::NAN), 0);
        assert_eq!(binomial(&mut r, 10, 1.0), 10);
        for &lam in &[0.5, 7.0, 12.0, 1e4] {
            let xs: Vec<f64> = (0..100_000).map(|_| poisson(&mut r, lam) as f64).collect();
            let (m, v) = mean_var(&xs);
            assert!((m - lam).abs() < 5.0 * (lam / 1e5).sqrt(), "{lam}: {m}");
            assert!((v / lam - 1.0).abs() < 0.05, "{lam}: {v}");
        }
        assert_eq!(poisson(&mut r, f64::NAN), 0);
    }
}
