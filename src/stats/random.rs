//! Seeded randomness. Every simulation draws from [`Rng`] (xoshiro256++), and
//! every transcendental function in a sampler goes through `libm`, so the
//! same seed gives the same numbers bit for bit natively and in Wasm (std's
//! `ln`/`exp` call the platform's libm natively and a different one in Wasm).
//!
//! Why not rand_distr: ndarray's `std` feature turns on `num-traits/std`,
//! which switches rand_distr's math from libm to std's, so its draws would
//! differ natively and in Wasm (glibc's `ln`/`exp` differ from libm's in the
//! last bit on ~5–10% of inputs).
//!
//! ```
//! use shijing::stats::random::{beta, rng, Normals};
//! // The same seed gives the same draws, natively and in Wasm.
//! let draw = |seed| beta(&mut rng(seed), &mut Normals::new(), 2.0, 30.0);
//! assert_eq!(draw(2021).to_bits(), draw(2021).to_bits());
//! ```

use rand_core::{Rng as _, SeedableRng};

use crate::stats::clamp;
use crate::{Error, Result};

/// The generator every simulation uses: small, fast, and identical on every target.
///
/// ```
/// use shijing::stats::random::{rng, uniform, Rng};
/// let mut a: Rng = rng(7);
/// let mut b: Rng = rng(7);
/// assert_eq!(uniform(&mut a), uniform(&mut b));
/// ```
pub type Rng = rand_xoshiro::Xoshiro256PlusPlus;

/// The seed to use: `seed` if given, otherwise 32 bits from the platform's
/// entropy source (getrandom; `crypto.getRandomValues` in Wasm). Results
/// report the seed they used, so any run can be reproduced.
///
/// ```
/// use shijing::stats::random::resolve_seed;
/// assert_eq!(resolve_seed(Some(42))?, 42);
/// let drawn = resolve_seed(None)?; // from the entropy source: any u32
/// let _ = drawn;
/// # Ok::<(), shijing::Error>(())
/// ```
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
///
/// ```
/// use shijing::stats::random::{rng, uniform};
/// let (mut a, mut c) = (rng(1), rng(2));
/// assert_ne!(uniform(&mut a), uniform(&mut c));
/// ```
pub fn rng(seed: u32) -> Rng {
    Rng::seed_from_u64(u64::from(seed))
}

/// A generator for stream `stream` of `seed`: independent sub-streams for
/// parallel parts of one run (one per merchant, per day, …).
///
/// ```
/// use shijing::stats::random::{rng_stream, uniform};
/// let x = uniform(&mut rng_stream(5, 0));
/// assert_eq!(x, uniform(&mut rng_stream(5, 0)));
/// assert_ne!(x, uniform(&mut rng_stream(5, 1)));
/// ```
pub fn rng_stream(seed: u32, stream: u64) -> Rng {
    Rng::seed_from_u64((u64::from(seed) << 32) ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Uniform on [0, 1) with 53 random bits.
///
/// ```
/// use shijing::stats::random::{rng, uniform};
/// let mut r = rng(3);
/// let xs: Vec<f64> = (0..10_000).map(|_| uniform(&mut r)).collect();
/// assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
/// let mean = xs.iter().sum::<f64>() / 1e4;
/// assert!((mean - 0.5).abs() < 0.02);
/// ```
#[inline]
pub fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform on (0, 1): never exactly 0, safe under `ln`.
///
/// ```
/// use shijing::stats::random::{rng, uniform_open};
/// let mut r = rng(3);
/// assert!((0..10_000).all(|_| { let u = uniform_open(&mut r); u > 0.0 && u < 1.0 }));
/// ```
#[inline]
pub fn uniform_open(rng: &mut Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Standard normal by the ziggurat method (see `Ziggurat`).
///
/// ```
/// use shijing::stats::random::{rng, standard_normal};
/// let mut r = rng(11);
/// let xs: Vec<f64> = (0..20_000).map(|_| standard_normal(&mut r)).collect();
/// let mean = xs.iter().sum::<f64>() / 2e4;
/// let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 2e4;
/// assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05);
/// ```
#[inline]
pub fn standard_normal(rng: &mut Rng) -> f64 {
    ziggurat_normal(rng, ziggurat())
}

/// Number of layers of the normal ziggurat (a power of two: the layer index
/// is the low 8 bits of one 64-bit draw).
const ZIG_LAYERS: usize = 256;

/// Right edge `R` of the base layer of the 256-layer normal ziggurat
/// (Marsaglia & Tsang 2000, Table 1: r = 3.6541528853610088); the root,
/// to double precision, of "256 layers of equal area `V(R)` reach `x = 0`"
/// (checked by the test `ziggurat_tables_have_equal_areas`).
const ZIG_R: f64 = 3.654_152_885_361_009;

/// The tables of the ziggurat for `f(x) = exp(−x²/2)` (Marsaglia & Tsang,
/// "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8),
/// 2000), in the layout of Doornik's ZIGNOR ("An Improved Ziggurat Method to
/// Generate Normal Random Samples", 2005): layer `i` of 256 is the box
/// `[0, x[i]] × [f[i], f[i+1]]` (`x` decreasing from `x[1] = R` to
/// `x[256] = 0`, `f[i] = f(x[i])`), and the base layer 0 is the box
/// `[0, R] × [0, f(R)]` plus the tail `x > R`, drawn as a box of width
/// `x[0] = V/f(R)`. Every layer has the same area
/// `V = R·f(R) + ∫_R^∞ f = R·f(R) + √(π/2)·erfc(R/√2)`.
///
/// The tables are computed once, with `libm` only, so they are the same bits
/// natively and in Wasm.
#[derive(Debug)]
struct Ziggurat {
    x: [f64; ZIG_LAYERS + 1],
    f: [f64; ZIG_LAYERS + 1],
}

impl Ziggurat {
    /// Builds the layers from `R` and the common area `v` by the recursion
    /// `x[i+1] = f⁻¹(v/x[i] + f(x[i]))`, with `x[256] = 0` (the recursion
    /// reaches 0 there, up to rounding). `v` is a parameter so a test can
    /// build a wrong table and see the goodness-of-fit test reject it.
    fn build(r: f64, v: f64) -> Self {
        let f = |x: f64| libm::exp(-0.5 * x * x);
        let mut t = Self {
            x: [0.0; ZIG_LAYERS + 1],
            f: [0.0; ZIG_LAYERS + 1],
        };
        t.x[0] = v / f(r);
        t.x[1] = r;
        for i in 1..ZIG_LAYERS - 1 {
            // `min(1)`: a wrong `v` may overshoot; the last layers are then 0-wide.
            let y = (v / t.x[i] + f(t.x[i])).min(1.0);
            t.x[i + 1] = (-2.0 * libm::log(y)).sqrt();
        }
        t.x[ZIG_LAYERS] = 0.0;
        for i in 0..=ZIG_LAYERS {
            t.f[i] = f(t.x[i]);
        }
        t
    }

    /// The area of every layer for the base edge `r`.
    fn area(r: f64) -> f64 {
        r * libm::exp(-0.5 * r * r)
            + (core::f64::consts::PI / 2.0).sqrt() * libm::erfc(r / core::f64::consts::SQRT_2)
    }
}

/// The normal ziggurat's tables, built on first use.
fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| Ziggurat::build(ZIG_R, Ziggurat::area(ZIG_R)))
}

/// One standard normal by the ziggurat method (Marsaglia & Tsang 2000), exact:
/// a 64-bit draw gives the layer `i` (low 8 bits) and, independently, a
/// uniform `u` on [−1, 1) (high 53 bits); `x = u·x[i]` is returned at once
/// when `|x| < x[i+1]` (the box lies under the curve there: about 98.8% of
/// draws). Otherwise [`ziggurat_slow`] decides.
#[inline]
fn ziggurat_normal(rng: &mut Rng, t: &Ziggurat) -> f64 {
    let (i, x) = ziggurat_candidate(rng, t);
    if x.abs() < t.x[i + 1] {
        return x;
    }
    ziggurat_slow(rng, t, i, x)
}

/// A layer `i` and a candidate `x = u·x[i]` from one 64-bit draw (see
/// [`ziggurat_normal`]).
#[inline(always)]
fn ziggurat_candidate(rng: &mut Rng, t: &Ziggurat) -> (usize, f64) {
    let bits = rng.next_u64();
    let i = (bits & 0xff) as usize;
    let u = (bits >> 11) as f64 * (1.0 / (1u64 << 52) as f64) - 1.0;
    (i, u * t.x[i])
}

/// The rare part of [`ziggurat_normal`], for a candidate `x` in layer `i`
/// outside the part of the box under the curve: in the base layer, a draw
/// from the tail `|x| > R` by Marsaglia's method (1964: `x = −ln U₁/R`,
/// `y = −ln U₂`, accept when `2y > x²`, return `±(R + x)`); in another layer,
/// the wedge test `f[i] + U·(f[i+1] − f[i]) < exp(−x²/2)`. A rejected
/// candidate starts over with a fresh 64-bit draw.
#[cold]
#[inline(never)]
fn ziggurat_slow(rng: &mut Rng, t: &Ziggurat, mut i: usize, mut x: f64) -> f64 {
    loop {
        if i == 0 {
            let r = t.x[1];
            loop {
                let e = -libm::log(uniform_open(rng)) / r;
                let y = -libm::log(uniform_open(rng));
                if 2.0 * y > e * e {
                    return if x < 0.0 { -(r + e) } else { r + e };
                }
            }
        }
        if t.f[i] + uniform(rng) * (t.f[i + 1] - t.f[i]) < libm::exp(-0.5 * x * x) {
            return x;
        }
        (i, x) = ziggurat_candidate(rng, t);
        if x.abs() < t.x[i + 1] {
            return x;
        }
    }
}

/// Log-normal: `exp(mu + sigma·Z)`.
///
/// ```
/// use shijing::stats::random::{lognormal, rng};
/// let mut r = rng(2);
/// let mut xs: Vec<f64> = (0..10_001).map(|_| lognormal(&mut r, 1.0, 0.5)).collect();
/// xs.sort_by(f64::total_cmp);
/// // The median is exp(mu).
/// assert!((xs[5_000] / 1f64.exp() - 1.0).abs() < 0.03);
/// ```
pub fn lognormal(rng: &mut Rng, mu: f64, sigma: f64) -> f64 {
    libm::exp(mu + sigma * standard_normal(rng))
}

/// `n` log-normal draws with median 1 and log-scale spread `sigma`: a
/// heavy-tailed exposure sample like creators' daily plays.
///
/// ```
/// use shijing::stats::random::lognormal_sample;
/// let a = lognormal_sample(1000, 2.0, 9);
/// assert_eq!(a, lognormal_sample(1000, 2.0, 9));
/// assert!(a.iter().all(|&x| x > 0.0));
/// ```
pub fn lognormal_sample(n: usize, sigma: f64, seed: u32) -> Vec<f64> {
    let mut r = rng(seed);
    (0..n).map(|_| lognormal(&mut r, 0.0, sigma)).collect()
}

/// A source of standard normals for loops that need many (Gamma and Beta
/// sampling). It once cached the second normal of each pair from the polar
/// method; the ziggurat ([`standard_normal`]) makes one normal per 64-bit
/// draw, so it now only holds the ziggurat's tables, fetched once.
///
/// ```
/// use shijing::stats::random::{rng, standard_normal, Normals};
/// let (mut a, mut b) = (rng(4), rng(4));
/// let mut normals = Normals::new();
/// assert_eq!(normals.next(&mut a), standard_normal(&mut b));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Normals {
    tables: &'static Ziggurat,
}

impl Default for Normals {
    fn default() -> Self {
        Self { tables: ziggurat() }
    }
}

impl Normals {
    /// A source (builds the ziggurat's tables on first use).
    ///
    /// ```
    /// let mut r = shijing::stats::random::rng(1);
    /// let z = shijing::stats::random::Normals::new().next(&mut r);
    /// assert!(z.is_finite());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The next standard normal: the same as [`standard_normal`].
    ///
    /// ```
    /// use shijing::stats::random::{rng, Normals};
    /// let mut r = rng(8);
    /// let mut n = Normals::new();
    /// let inside = (0..10_000).filter(|_| n.next(&mut r).abs() < 1.96).count();
    /// assert!((inside as f64 / 1e4 - 0.95).abs() < 0.01);
    /// ```
    #[inline]
    pub fn next(&mut self, rng: &mut Rng) -> f64 {
        ziggurat_normal(rng, self.tables)
    }
}

/// Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost
/// `Gamma(a) = Gamma(a + 1)·U^(1/a)` for `a < 1`. Returns NaN when `shape`
/// is not finite and positive (so a bad parameter cannot loop forever). For
/// tiny shapes the variate underflows to 0 (see [`ln_gamma_variate`]).
///
/// ```
/// use shijing::stats::random::{gamma, rng, Normals};
/// let (mut r, mut n) = (rng(6), Normals::new());
/// let mean = (0..20_000).map(|_| gamma(&mut r, &mut n, 2.5)).sum::<f64>() / 2e4;
/// assert!((mean - 2.5).abs() < 0.05);
/// assert!(gamma(&mut r, &mut n, -1.0).is_nan());
/// ```
pub fn gamma(rng: &mut Rng, normals: &mut Normals, shape: f64) -> f64 {
    if !(shape > 0.0 && shape.is_finite()) {
        return f64::NAN;
    }
    gamma_boosted(rng, normals, shape)
}

/// Gamma(shape, 1) for a finite positive shape: Marsaglia–Tsang, boosted by
/// `U^(1/a)`, computed as `exp(ln U / a)` (one `log` and one `exp`, cheaper
/// than `libm::pow`), for `a < 1`.
#[inline]
fn gamma_boosted(rng: &mut Rng, normals: &mut Normals, shape: f64) -> f64 {
    if shape < 1.0 {
        let g = gamma_at_least_one(rng, normals, shape + 1.0);
        return g * libm::exp(libm::log(uniform_open(rng)) / shape);
    }
    gamma_at_least_one(rng, normals, shape)
}

/// `ln Gamma(shape, 1)`, accurate for tiny shapes where the variate itself
/// underflows to 0. NaN for a shape that is not finite and positive.
///
/// ```
/// use shijing::stats::random::{ln_gamma_variate, rng, Normals};
/// let (mut r, mut n) = (rng(6), Normals::new());
/// // Gamma(1e-4) itself underflows to 0 most of the time; its log does not.
/// let l = ln_gamma_variate(&mut r, &mut n, 1e-4);
/// assert!(l.is_finite() && l < 0.0);
/// ```
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

/// Gamma(shape ≥ 1, 1) by Marsaglia and Tsang ("A Simple Method for
/// Generating Gamma Variables", ACM TOMS 26(3), 2000): `d·(1 + c·Z)³` with
/// `d = a − 1/3`, `c = 1/√(9d)`, accepted by the squeeze
/// `U < 1 − 0.0331·Z⁴` (no logarithm; about 98% of draws at `a = 1`) or else
/// by the exact test `ln U < Z²/2 + d·(1 − V + ln V)`.
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
///
/// ```
/// use shijing::stats::random::{beta, rng, Normals, BETA_NORMAL_MIN_PARAM};
/// let (mut r, mut n) = (rng(1), Normals::new());
/// let a = 3.0 * BETA_NORMAL_MIN_PARAM;
/// let x = beta(&mut r, &mut n, a, a); // the normal approximation
/// assert!((x - 0.5).abs() < 0.1);
/// ```
pub const BETA_NORMAL_MIN_PARAM: f64 = 100.0;

/// Both Beta parameters at least this large (and one below 1): [`beta`]
/// draws the two Gammas directly, `x = Gamma(a+1)·exp(ln U / a)`; below it,
/// in log space. The boost cannot underflow here: `uniform_open` is at least
/// 2⁻⁵⁴, so `ln U / a ≥ −37.5·16 = −600` and `U^(1/a) ≥ e⁻⁶⁰⁰ ≈ 10⁻²⁶¹`, a
/// normal f64 with 47 decades to spare for the `Gamma(a+1)` factor (whose
/// chance of falling below 10⁻⁴⁷ is about 10⁻⁴⁷).
///
/// ```
/// use shijing::stats::random::{beta, rng, Normals, BETA_LOG_SPACE_BELOW};
/// let (mut r, mut n) = (rng(1), Normals::new());
/// let tiny = BETA_LOG_SPACE_BELOW / 1000.0;
/// // In log space: 0 or 1 (or between), never 0/0.
/// assert!((0.0..=1.0).contains(&beta(&mut r, &mut n, tiny, tiny)));
/// ```
pub const BETA_LOG_SPACE_BELOW: f64 = 1.0 / 16.0;

/// Beta(a, b) from two Gamma variates (exact), or the normal approximation
/// when `min(a, b) ≥` [`BETA_NORMAL_MIN_PARAM`]. A parameter below
/// [`BETA_LOG_SPACE_BELOW`] sends both to log space ([`ln_gamma_variate`],
/// then the logistic function), so tiny shapes give 0 or 1 rather than 0/0.
/// Returns NaN when a parameter is not finite and positive.
///
/// ```
/// use shijing::stats::random::{beta, rng, Normals};
/// let (mut r, mut n) = (rng(12), Normals::new());
/// let mean = (0..20_000).map(|_| beta(&mut r, &mut n, 2.0, 6.0)).sum::<f64>() / 2e4;
/// assert!((mean - 0.25).abs() < 0.01);
/// assert!(beta(&mut r, &mut n, 0.0, 1.0).is_nan());
/// ```
pub fn beta(rng: &mut Rng, normals: &mut Normals, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return f64::NAN;
    }
    if a >= BETA_NORMAL_MIN_PARAM && b >= BETA_NORMAL_MIN_PARAM {
        let n = a + b;
        let mean = a / n;
        let sd = (mean * (1.0 - mean) / (n + 1.0)).sqrt();
        return clamp(mean + sd * normals.next(rng), 0.0, 1.0);
    }
    if a >= BETA_LOG_SPACE_BELOW && b >= BETA_LOG_SPACE_BELOW {
        let x = gamma_boosted(rng, normals, a);
        let y = gamma_boosted(rng, normals, b);
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
///
/// ```
/// use shijing::stats::random::{binomial, rng};
/// let mut r = rng(5);
/// let k = binomial(&mut r, 1_000_000, 0.03);
/// assert!(k <= 1_000_000 && (k as f64 - 30_000.0).abs() < 5.0 * 170.6);
/// assert_eq!(binomial(&mut r, 10, 1.0), 10);
/// assert_eq!(binomial(&mut r, 10, f64::NAN), 0);
/// ```
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
///
/// ```
/// use shijing::stats::random::{poisson, rng};
/// let mut r = rng(5);
/// let mean = (0..10_000).map(|_| poisson(&mut r, 4.0) as f64).sum::<f64>() / 1e4;
/// assert!((mean - 4.0).abs() < 0.1);
/// assert_eq!(poisson(&mut r, -1.0), 0);
/// ```
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

    /// Raw moments `E[X^k]`, k = 1..4, of Beta(a, b): `∏_{j<k} (a+j)/(a+b+j)`.
    fn beta_raw_moments(a: f64, b: f64) -> [f64; 4] {
        let mut m = [0.0; 4];
        let mut p = 1.0;
        for (j, mk) in m.iter_mut().enumerate() {
            p *= (a + j as f64) / (a + b + j as f64);
            *mk = p;
        }
        m
    }

    /// Checks `n` draws of Beta(a, b): all in [0, 1] (no NaN, no 0/0), the
    /// mean within 5 standard errors, the variance within 5 standard errors
    /// of the sample variance (`√((μ₄ − σ⁴)/n)`, from the exact moments: heavy
    /// for tiny shapes, where most draws are 0 or 1).
    fn check_beta(r: &mut Rng, z: &mut Normals, a: f64, b: f64, n: usize) {
        let xs: Vec<f64> = (0..n).map(|_| beta(r, z, a, b)).collect();
        assert!(
            xs.iter().all(|x| (0.0..=1.0).contains(x)),
            "{a},{b}: a draw outside [0, 1] or NaN"
        );
        let (m, v) = mean_var(&xs);
        let [m1, m2, m3, m4] = beta_raw_moments(a, b);
        let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
        let mu4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1.powi(4);
        let nf = n as f64;
        assert!(
            (m - m1).abs() < 5.0 * (var / nf).sqrt() + 1e-12,
            "{a},{b}: mean {m} vs {m1}"
        );
        assert!(
            (v - var).abs() < 5.0 * ((mu4 - var * var).max(0.0) / nf).sqrt() + 1e-12,
            "{a},{b}: variance {v} vs {var}"
        );
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
            check_beta(&mut r, &mut z, a, b, 100_000);
        }
        assert!(beta(&mut r, &mut z, 1.0, f64::INFINITY).is_nan());
    }

    /// Both sides of [`BETA_LOG_SPACE_BELOW`] (1/16): log space for 1e-3 and
    /// 0.05, the direct boosted Gammas for 0.0625, 0.07 and 0.9, in every
    /// pairing with each other and with larger shapes.
    #[test]
    fn beta_small_shapes_on_both_sides_of_the_log_space_switch() {
        let mut r = rng(12);
        let mut z = Normals::new();
        let small = [1e-3, 0.05, BETA_LOG_SPACE_BELOW, 0.07, 0.9];
        for &a in &small {
            for &b in small.iter().chain(&[2.0, 30.0]) {
                check_beta(&mut r, &mut z, a, b, 100_000);
                check_beta(&mut r, &mut z, b, a, 20_000);
            }
        }
        // Extreme shapes: exact 0 and 1 appear (log space), never NaN.
        let xs: Vec<f64> = (0..10_000)
            .map(|_| beta(&mut r, &mut z, 1e-3, 1e-3))
            .collect();
        assert!(xs.contains(&0.0) && xs.contains(&1.0));
        let xs: Vec<f64> = (0..100_000)
            .map(|_| beta(&mut r, &mut z, 0.07, 0.07))
            .collect();
        assert!(xs.iter().all(|x| (0.0..=1.0).contains(x)));
    }

    /// `Φ(x)` from `libm::erfc`.
    fn phi(x: f64) -> f64 {
        0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
    }

    /// Pearson's chi-square of `n` draws against Φ over 402 bins: width 0.02
    /// on [−4, 4] and the two tails (smallest expected count ≈ 10 at n = 4e6);
    /// 401 degrees of freedom.
    fn chi_square_vs_phi(n: usize, mut draw: impl FnMut() -> f64) -> f64 {
        const BINS: usize = 400;
        let mut count = vec![0u64; BINS + 2];
        for _ in 0..n {
            let x = draw();
            let k = ((x + 4.0) / 0.02).floor();
            let k = if k < 0.0 {
                0
            } else if k >= BINS as f64 {
                BINS + 1
            } else {
                k as usize + 1
            };
            count[k] += 1;
        }
        let edge = |k: usize| -4.0 + 0.02 * k as f64;
        let mut chi2 = 0.0;
        for (k, &c) in count.iter().enumerate() {
            let p = match k {
                0 => phi(-4.0),
                k if k == BINS + 1 => 1.0 - phi(4.0),
                k => phi(edge(k)) - phi(edge(k - 1)),
            };
            let e = p * n as f64;
            chi2 += (c as f64 - e) * (c as f64 - e) / e;
        }
        chi2
    }

    /// The 99.99th percentile of chi-square with 401 degrees of freedom
    /// (514.97, from the regularized incomplete Gamma function at 40 digits).
    const CHI2_401_P1E4: f64 = 515.0;

    #[test]
    fn ziggurat_tables_have_equal_areas() {
        let t = ziggurat();
        let v = Ziggurat::area(ZIG_R);
        assert!((v - 0.004_928_673_233_974_655).abs() < 1e-17, "{v}");
        assert_eq!(t.x[1], ZIG_R);
        assert_eq!(t.x[ZIG_LAYERS], 0.0);
        assert_eq!(t.f[ZIG_LAYERS], 1.0);
        // The base box (width x[0], height f(R)) and every other layer.
        assert!((t.x[0] * t.f[1] / v - 1.0).abs() < 1e-14);
        let mut worst: f64 = 0.0;
        for i in 1..ZIG_LAYERS {
            assert!(t.x[i + 1] < t.x[i]);
            assert_eq!(t.f[i], libm::exp(-0.5 * t.x[i] * t.x[i]));
            worst = worst.max((t.x[i] * (t.f[i + 1] - t.f[i]) / v - 1.0).abs());
        }
        // The recursion is closed by x[256] = 0, so the top layer carries
        // the rounding of 255 steps: 9.7e-14 of V.
        assert!(worst < 1e-12, "{worst}");
    }

    /// The ziggurat normal against Φ on a fixed seed: moments, a
    /// Kolmogorov–Smirnov test (1e6 draws, `√n·D < 1.95`, the 0.1% critical
    /// value), Pearson's chi-square (4e6 draws, 402 bins, below the 0.01%
    /// critical value 515), and the share beyond the base edge `R` (drawn by
    /// the tail method). [`wrong_ziggurat_fails_the_fit`] shows the tests bite.
    #[test]
    fn ziggurat_normal_fits_phi() {
        let mut r = rng(2024);
        let mut z = Normals::new();
        let n = 1_000_000;
        let mut xs: Vec<f64> = (0..n).map(|_| z.next(&mut r)).collect();
        let nf = n as f64;
        let mean = xs.iter().sum::<f64>() / nf;
        let m2 = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / nf;
        let m3 = xs.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / nf;
        let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / nf;
        // Standard errors: 1/√n, √(2/n), √(15/n), √(96/n).
        assert!(mean.abs() < 5e-3, "{mean}");
        assert!((m2 - 1.0).abs() < 7.1e-3, "{m2}");
        assert!(m3.abs() < 1.94e-2, "{m3}");
        assert!((m4 - 3.0).abs() < 4.9e-2, "{m4}");
        xs.sort_by(f64::total_cmp);
        let d = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let p = phi(x);
                (p - i as f64 / nf).max((i + 1) as f64 / nf - p)
            })
            .fold(0.0, f64::max);
        assert!(nf.sqrt() * d < 1.95, "KS √n·D = {}", nf.sqrt() * d);

        let n = 4_000_000;
        let chi2 = chi_square_vs_phi(n, || standard_normal(&mut r));
        assert!(chi2 < CHI2_401_P1E4, "chi-square {chi2}");
        let beyond = (0..n)
            .filter(|_| standard_normal(&mut r).abs() > ZIG_R)
            .count() as f64;
        let expect = n as f64 * libm::erfc(ZIG_R / core::f64::consts::SQRT_2);
        assert!(
            (beyond - expect).abs() < 5.0 * expect.sqrt(),
            "{beyond} beyond R, expected {expect}"
        );
    }

    /// Wrong tables fail the chi-square test of [`ziggurat_normal_fits_phi`]:
    /// the layer area without the tail term (`V = R·f(R)`: no tail draws, and
    /// layers that no longer tile the curve), and the 128-layer table's edge
    /// `R = 3.4426` with its own area in 256 layers.
    #[test]
    fn wrong_ziggurat_fails_the_fit() {
        let no_tail = Ziggurat::build(ZIG_R, ZIG_R * libm::exp(-0.5 * ZIG_R * ZIG_R));
        let r128 = 3.442_619_855_899;
        let layers128 = Ziggurat::build(r128, Ziggurat::area(r128));
        for t in [&no_tail, &layers128] {
            let mut r = rng(2024);
            let chi2 = chi_square_vs_phi(4_000_000, || ziggurat_normal(&mut r, t));
            assert!(chi2 > 2.0 * CHI2_401_P1E4, "chi-square {chi2}");
        }
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
