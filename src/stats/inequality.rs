//! Inequality of exposure across creators: Gini coefficient, Lorenz curve and
//! top/bottom shares, all from one ascending sort (O(n log n)).
//!
//! Conventions: values are non-negative and finite with a positive total. The
//! sums are taken of the values times [`unit_scale`] of the largest (a power
//! of two, so exact): no sum overflows or loses the small values to
//! underflow at any scale, and every ratio (Gini, shares) has the bits the
//! unscaled sums would give wherever those do not overflow.
//!
//! The Lorenz curve of `n` values is the piecewise-linear curve through
//! `(i/n, L_i)`, where `L_i` is the share held by the `i` smallest values;
//! the share of a fractional population is read off that curve, so
//! `bottom_share(v, p) = L(p)` and `top_share(v, p) = 1 − L(1 − p)`.
//!
//! ```
//! use shijing::stats::inequality::SortedShares;
//! // One sort serves every statistic.
//! let s = SortedShares::new("exposure", &[10.0, 0.0, 30.0, 60.0])?;
//! assert!((s.gini() - 0.5).abs() < 1e-15);
//! assert!((s.top_share(0.25) - 0.6).abs() < 1e-15);
//! assert_eq!(s.bottom_share(0.25), 0.0);
//! # Ok::<(), shijing::Error>(())
//! ```

use crate::stats::clamp;
use crate::validate;
use crate::{Error, Result};

/// The power of two that brings `max` into `[1, 2)`: sums of `n` values up
/// to `max`, times this, are at most `2n` (no overflow), and every product
/// by it is exact unless it lands below `f64::MIN_POSITIVE`. For a
/// subnormal `max` it is `2^1023` (the largest power of two), which still
/// lifts `max` into the normal range; 1 for a `max` that is 0 or not finite.
///
/// ```
/// use shijing::stats::inequality::unit_scale;
/// assert_eq!(unit_scale(1.0), 1.0);
/// assert_eq!(unit_scale(12.0), 0.125);
/// assert_eq!(f64::MAX * unit_scale(f64::MAX), f64::MAX / 2f64.powi(1023));
/// assert!(5e-324 * unit_scale(5e-324) >= f64::MIN_POSITIVE);
/// assert_eq!(unit_scale(0.0), 1.0);
/// ```
pub fn unit_scale(max: f64) -> f64 {
    if !(max > 0.0 && max.is_finite()) {
        return 1.0;
    }
    let biased = ((max.to_bits() >> 52) & 0x7ff) as i32;
    // `max` in [2^e, 2^(e+1)); subnormal: as large a lift as f64 has.
    let exponent = if biased == 0 { -1023 } else { biased - 1023 };
    libm::scalbn(1.0, -exponent)
}

/// Kahan-compensated running sum: keeps prefix sums and shares exact to
/// ~1e-15 at n = 1e6.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Kahan {
    pub sum: f64,
    comp: f64,
}

impl Kahan {
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let y = x - self.comp;
        let t = self.sum + y;
        self.comp = (t - self.sum) - y;
        self.sum = t;
    }
}

/// Independent compensated chains in [`prefix_sums`]: a Kahan step is a
/// chain of four dependent additions, so one chain is latency-bound; four
/// run side by side.
const LANES: usize = 4;

/// Four Kahan chains over contiguous blocks of `0..n` for two sequences at
/// once: values `x_j` and their descending-rank terms `(n − j)·x_j`. The
/// range is cut into [`LANES`] blocks of `block` terms; lane `l` adds the
/// terms of its block in order (row `i` is term `l·block + i`). Prefix sums
/// are a lane's running sum shifted by the compensated sum of the lanes
/// before it (one rounding each, relative error ~1e-16). Each sequence gets
/// the same additions as it would alone; one pass reads the data once.
struct RankedLanes {
    n: usize,
    block: usize,
    value: [Kahan; LANES],
    rank: [Kahan; LANES],
}

impl RankedLanes {
    fn new(n: usize) -> Self {
        RankedLanes {
            n,
            block: n.div_ceil(LANES).max(1),
            value: [Kahan::default(); LANES],
            rank: [Kahan::default(); LANES],
        }
    }

    /// Adds rows `rows` of every lane, writing the value sums' running sum
    /// after term `j` to `value_out[j + 1]` when given.
    #[inline(always)]
    fn add_rows(
        &mut self,
        rows: std::ops::Range<usize>,
        x: impl Fn(usize) -> f64,
        mut value_out: Option<&mut [f64]>,
    ) {
        let n = self.n;
        for i in rows {
            for l in 0..LANES {
                let j = l * self.block + i;
                if j < n {
                    let v = x(j);
                    self.value[l].add(v);
                    self.rank[l].add((n - j) as f64 * v);
                    if let Some(o) = value_out.as_deref_mut() {
                        o[j + 1] = self.value[l].sum;
                    }
                }
            }
        }
    }

    /// Lane and row of prefix sum `j ≥ 1` (the running sum after term `j − 1`).
    fn lane_row(&self, j: usize) -> (usize, usize) {
        let l = (j - 1) / self.block;
        (l, j - 1 - l * self.block)
    }

    /// Adds each lane's offset to its prefix sums in `out` (`n + 1` values).
    fn shift(&self, out: &mut [f64], offsets: &[f64; LANES]) {
        let n = self.n;
        for (l, &off) in offsets.iter().enumerate() {
            if off != 0.0 {
                let from = (l * self.block + 1).min(n + 1);
                let to = ((l + 1) * self.block + 1).min(n + 1);
                for v in &mut out[from..to] {
                    *v += off;
                }
            }
        }
    }
}

/// What the prefix sums of each lane are shifted by (the compensated sum of
/// the lanes before it; nothing for lane 0 or when that sum is 0), and the
/// compensated sum of all lanes.
fn lane_offsets(lanes: &[Kahan; LANES]) -> ([f64; LANES], f64) {
    let mut offsets = [0.0; LANES];
    let mut offset = Kahan::default();
    for (l, lane) in lanes.iter().enumerate() {
        if l > 0 {
            offsets[l] = offset.sum;
        }
        offset.add(lane.sum);
    }
    (offsets, offset.sum)
}

/// A lane's running sum shifted by its offset as [`RankedLanes::shift`]
/// shifts the prefix arrays (which skips a lane whose offset is 0), so the
/// same bits.
fn shifted(sum: f64, offset: f64) -> f64 {
    if offset != 0.0 {
        sum + offset
    } else {
        sum
    }
}

/// Rows of each lane between two of [`LaneMarks`]' marks.
const MARK_ROWS: usize = 256;

/// The two prefix sums of [`SortedSums`] at any `j`, without their arrays:
/// every lane's compensated state every [`MARK_ROWS`] rows of the one pass.
/// [`at`](Self::at) re-adds at most that many terms of one lane from the
/// mark before `j` — the additions the pass made, in its order — and shifts
/// them as the arrays are shifted, so it gives their bits.
#[derive(Debug, Clone)]
pub(crate) struct LaneMarks {
    n: usize,
    block: usize,
    /// What every term was multiplied by ([`unit_scale`] of the largest).
    scale: f64,
    /// Mark `c`: each lane's value and rank sums before its row `c·MARK_ROWS`.
    marks: Vec<[[Kahan; LANES]; 2]>,
    /// [`lane_offsets`] of the value and of the rank lanes.
    offsets: [[f64; LANES]; 2],
}

impl LaneMarks {
    /// The marks of `asc` times `scale` and the rank total
    /// `Σ_i (n−i)·asc[i]·scale`.
    fn new(asc: &[f64], scale: f64) -> (Self, f64) {
        let n = asc.len();
        let mut lanes = RankedLanes::new(n);
        let mut marks = Vec::with_capacity(lanes.block.div_ceil(MARK_ROWS));
        for from in (0..lanes.block).step_by(MARK_ROWS) {
            marks.push([lanes.value, lanes.rank]);
            let to = (from + MARK_ROWS).min(lanes.block);
            lanes.add_rows(from..to, |j| asc[j] * scale, None);
        }
        let (rank_offsets, rank_total) = lane_offsets(&lanes.rank);
        let offsets = [lane_offsets(&lanes.value).0, rank_offsets];
        let block = lanes.block;
        (
            LaneMarks {
                n,
                block,
                scale,
                marks,
                offsets,
            },
            rank_total,
        )
    }

    /// `(Σ_{i<j} asc[i], Σ_{i<j} (n−i)·asc[i])` times the scale for
    /// `j ≤ n`, `asc` the values the marks were made from.
    pub(crate) fn at(&self, asc: &[f64], j: usize) -> (f64, f64) {
        if j == 0 {
            return (0.0, 0.0);
        }
        let lane = (j - 1) / self.block;
        let row = j - 1 - lane * self.block;
        let [value, rank] = &self.marks[row / MARK_ROWS];
        let (mut value, mut rank) = (value[lane], rank[lane]);
        let from = lane * self.block + row / MARK_ROWS * MARK_ROWS;
        for (i, &x) in (from..).zip(&asc[from..j]) {
            let x = x * self.scale;
            value.add(x);
            rank.add((self.n - i) as f64 * x);
        }
        (
            shifted(value.sum, self.offsets[0][lane]),
            shifted(rank.sum, self.offsets[1][lane]),
        )
    }
}

/// Values sorted ascending with the running sums every inequality statistic
/// and the Gini cap solver need, built in one pass after the one sort. The
/// sums are of the values times `scale` ([`unit_scale`] of the largest).
pub(crate) struct SortedSums {
    /// The values, ascending (not scaled).
    pub asc: Vec<f64>,
    /// `prefix[j] = Σ_{i<j} asc[i]·scale`; `prefix[n]` is the scaled
    /// total. Empty when the sums are marked instead.
    pub prefix: Vec<f64>,
    /// The prefix sums and `Σ_{i<j} (n−i)·asc[i]·scale` (descending
    /// 1-based ranks) at any `j`, when asked for instead of the array (the
    /// cap solver's `S_k` and `R_k`).
    pub marks: Option<LaneMarks>,
    /// `Σ_i asc[i]·scale`, bit for bit `prefix[n]`.
    total: f64,
    /// `Σ_i (n−i)·asc[i]·scale`.
    pub rank_total: f64,
    /// The power of two every sum's terms were multiplied by.
    pub scale: f64,
}

impl SortedSums {
    /// Validates `values` (`name` non-empty, finite, non-negative, not all
    /// zero), sorts them and accumulates both sums; `marked` keeps
    /// [`LaneMarks`] instead of the `prefix` array.
    pub(crate) fn new(name: &str, values: &[f64], marked: bool) -> Result<Self> {
        validate::non_empty(name, values.len())?;
        validate::max_len(name, values.len(), validate::MAX_ELEMENTS)?;
        let Some(asc) = super::sort::sort_checked(values) else {
            validate::all_finite_non_negative(name, values)?;
            return Err(Error::invalid(format!(
                "{name} must be finite and non-negative"
            )));
        };
        let sums = Self::from_sorted(asc, marked);
        if sums.total() <= 0.0 {
            return Err(Error::invalid(format!(
                "{name} are all zero; shares and the Gini coefficient are undefined"
            )));
        }
        Ok(sums)
    }

    /// The sums of values already sorted ascending, finite and non-negative
    /// (not checked; the total may be zero).
    pub(crate) fn from_sorted(asc: Vec<f64>, marked: bool) -> Self {
        let n = asc.len();
        let scale = unit_scale(asc.last().copied().unwrap_or(0.0));
        if marked {
            let (marks, rank_total) = LaneMarks::new(&asc, scale);
            let total = marks.at(&asc, n).0;
            return SortedSums {
                asc,
                prefix: Vec::new(),
                marks: Some(marks),
                total,
                rank_total,
                scale,
            };
        }
        let mut prefix = vec![0.0; n + 1];
        let mut lanes = RankedLanes::new(n);
        lanes.add_rows(0..lanes.block, |j| asc[j] * scale, Some(&mut prefix));
        lanes.shift(&mut prefix, &lane_offsets(&lanes.value).0);
        SortedSums {
            total: prefix[n],
            asc,
            prefix,
            marks: None,
            rank_total: lane_offsets(&lanes.rank).1,
            scale,
        }
    }

    /// Total of the values times `scale` (in `[1, 2n]` unless all are zero).
    pub(crate) fn total(&self) -> f64 {
        self.total
    }

    /// Gini coefficient `2·Σ i·y₍ᵢ₎/(n·T) − (n+1)/n` (1-based ascending ranks),
    /// written with the descending-rank sum `R = Σ (n+1−i)·y₍ᵢ₎` as
    /// `(n+1)/n − 2R/(n·T)`: no second pass over the data. In `[0, (n−1)/n]`.
    pub(crate) fn gini(&self) -> f64 {
        let n = self.asc.len() as f64;
        let g = (n + 1.0) / n - 2.0 * self.rank_total / (n * self.total());
        clamp(g, 0.0, (n - 1.0) / n)
    }
}

/// The Gini coefficient, `top_share(top)` and `bottom_share(bottom)` that
/// [`SortedShares`] gives for the `n` values `x(0..n)`, sorted ascending,
/// finite and non-negative (not checked), bit for bit, without its arrays:
/// one pass keeps the three prefix sums they read (at the two cuts and the
/// total). `None` when they sum to zero (or there are none).
pub(crate) fn sorted_shares(
    n: usize,
    x: impl Fn(usize) -> f64,
    top: f64,
    bottom: f64,
) -> Option<(f64, f64, f64)> {
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let scale = unit_scale(x(n - 1));
    let x = |j: usize| x(j) * scale;
    // Where `lorenz_at` reads the curve: prefix index and fraction of the next value.
    let at = |p: f64| {
        let pos = clamp(p, 0.0, 1.0) * nf;
        let j = (pos.floor() as usize).min(n);
        (j, pos - j as f64)
    };
    let cuts = [at(1.0 - top), at(bottom)];
    let mut lanes = RankedLanes::new(n);
    // The running sums wanted (the cuts' prefix sums, then the total's), by row.
    let wanted = [cuts[0].0, cuts[1].0, n];
    let mut raw = [0.0; 3];
    // By row (insertion sort of three; `j = 0` is the empty prefix, no row).
    let row_of = |w: usize| (wanted[w] > 0).then(|| lanes.lane_row(wanted[w]).1);
    let mut order = [0usize, 1, 2];
    for a in 1..3 {
        let mut b = a;
        while b > 0 && row_of(order[b - 1]) > row_of(order[b]) {
            order.swap(b - 1, b);
            b -= 1;
        }
    }
    let mut row = 0;
    for w in order {
        let j = wanted[w];
        if j == 0 {
            continue;
        }
        let (l, r) = lanes.lane_row(j);
        if r >= row {
            lanes.add_rows(row..r + 1, x, None);
            row = r + 1;
        }
        raw[w] = lanes.value[l].sum;
    }
    lanes.add_rows(row..lanes.block, x, None);
    let (offsets, _) = lane_offsets(&lanes.value);
    let prefix = |w: usize| {
        let j = wanted[w];
        if j == 0 {
            return 0.0;
        }
        shifted(raw[w], offsets[lanes.lane_row(j).0])
    };
    let total = prefix(2);
    if total <= 0.0 {
        return None;
    }
    let (_, rank_total) = lane_offsets(&lanes.rank);
    let g = (nf + 1.0) / nf - 2.0 * rank_total / (nf * total);
    let gini = clamp(g, 0.0, (nf - 1.0) / nf);
    let lorenz = |w: usize| {
        let (j, frac) = cuts[w];
        let mut held = prefix(w);
        if j < n {
            held += frac * x(j);
        }
        clamp(held / total, 0.0, 1.0)
    };
    Some((gini, clamp(1.0 - lorenz(0), 0.0, 1.0), lorenz(1)))
}

/// Values sorted ascending with their prefix sums: the one sort that every
/// inequality statistic here needs.
///
/// ```
/// use shijing::stats::SortedShares;
/// let s = SortedShares::new("values", &[4.0, 1.0, 3.0, 2.0])?;
/// assert_eq!(s.sorted(), &[1.0, 2.0, 3.0, 4.0]);
/// assert!((s.gini() - 0.25).abs() < 1e-15);
/// assert!((s.top_share(0.25) - 0.4).abs() < 1e-15);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SortedShares {
    sorted: Vec<f64>,
    /// `prefix[i]` = sum of the `i` smallest values times `scale`;
    /// `prefix[n]` = the scaled total.
    prefix: Vec<f64>,
    /// [`unit_scale`] of the largest value.
    scale: f64,
    gini: f64,
}

impl SortedShares {
    /// Validates `values` (non-empty, finite, non-negative, not all zero) and sorts them.
    ///
    /// ```
    /// use shijing::stats::SortedShares;
    /// let err = SortedShares::new("exposure", &[1.0, -2.0]).unwrap_err();
    /// assert_eq!(err.to_string(), "exposure[1] is negative (-2)");
    /// assert!(SortedShares::new("exposure", &[0.0, 0.0]).is_err());
    /// ```
    pub fn new(name: &str, values: &[f64]) -> Result<Self> {
        Ok(Self::from_sums(SortedSums::new(name, values, false)?))
    }

    /// From values already sorted ascending, finite and non-negative (not
    /// checked): `None` when they sum to zero (or there are none). The
    /// reference [`sorted_shares`] is tested against.
    #[cfg(test)]
    fn from_sorted(sorted: Vec<f64>) -> Option<Self> {
        let sums = SortedSums::from_sorted(sorted, false);
        (sums.total() > 0.0).then(|| Self::from_sums(sums))
    }

    fn from_sums(sums: SortedSums) -> Self {
        SortedShares {
            gini: sums.gini(),
            sorted: sums.asc,
            prefix: sums.prefix,
            scale: sums.scale,
        }
    }

    /// Number of values.
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[3.0, 1.0, 2.0])?;
    /// assert_eq!(s.len(), 3);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always false: construction rejects empty input.
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[3.0])?;
    /// assert!(!s.is_empty());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Sum of all values: `+∞` when it exceeds `f64::MAX` (the shares and
    /// the Gini are computed scaled and stay finite and right).
    ///
    /// ```
    /// use shijing::stats::SortedShares;
    /// assert_eq!(SortedShares::new("values", &[1.0, 2.0, 3.0])?.total(), 6.0);
    /// let huge = SortedShares::new("values", &[f64::MAX, f64::MAX])?;
    /// assert_eq!(huge.total(), f64::INFINITY);
    /// assert_eq!(huge.top_share(0.5), 0.5);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn total(&self) -> f64 {
        self.prefix[self.sorted.len()] / self.scale
    }

    /// The values in ascending order.
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[2.0, -0.0, 1.0])?;
    /// assert_eq!(s.sorted(), &[0.0, 1.0, 2.0]);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// Gini coefficient, `2·Σ i·y₍ᵢ₎ / (n·T) − (n+1)/n` with 1-based ranks of the
    /// ascending sort. In `[0, (n−1)/n]`: 0 when all values are equal,
    /// `(n−1)/n` when one value holds everything.
    ///
    /// ```
    /// use shijing::stats::SortedShares;
    /// assert_eq!(SortedShares::new("values", &[5.0; 4])?.gini(), 0.0);
    /// let one_hot = SortedShares::new("values", &[0.0, 0.0, 0.0, 9.0])?;
    /// assert!((one_hot.gini() - 0.75).abs() < 1e-15);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn gini(&self) -> f64 {
        self.gini
    }

    /// Share of the total held by the poorest fraction `p` of the population
    /// (the Lorenz curve at `p`, linear between `(i/n, L_i)`).
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[1.0, 2.0, 3.0, 4.0])?;
    /// assert!((s.lorenz_at(0.5) - 0.3).abs() < 1e-15);
    /// // Linear inside a value: the poorest 12.5% hold half of the smallest.
    /// assert!((s.lorenz_at(0.125) - 0.05).abs() < 1e-15);
    /// assert_eq!(s.lorenz_at(1.0), 1.0);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn lorenz_at(&self, p: f64) -> f64 {
        let n = self.sorted.len();
        let pos = clamp(p, 0.0, 1.0) * n as f64;
        let j = (pos.floor() as usize).min(n);
        let frac = pos - j as f64;
        let mut held = self.prefix[j];
        if j < n {
            held += frac * (self.sorted[j] * self.scale);
        }
        clamp(held / self.prefix[n], 0.0, 1.0)
    }

    /// Share held by the poorest fraction `p` (0 ≤ p ≤ 1).
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[1.0, 2.0, 3.0, 4.0])?;
    /// assert!((s.bottom_share(0.5) - 0.3).abs() < 1e-15);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn bottom_share(&self, p: f64) -> f64 {
        self.lorenz_at(p)
    }

    /// Share held by the richest fraction `p` (0 ≤ p ≤ 1).
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[1.0, 2.0, 3.0, 4.0])?;
    /// assert!((s.top_share(0.5) - 0.7).abs() < 1e-15);
    /// assert!((s.top_share(0.5) + s.bottom_share(0.5) - 1.0).abs() < 1e-15);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn top_share(&self, p: f64) -> f64 {
        clamp(1.0 - self.lorenz_at(1.0 - p), 0.0, 1.0)
    }

    /// The Lorenz curve sampled at `points` evenly spaced population
    /// fractions from 0 to 1 inclusive.
    ///
    /// ```
    /// let s = shijing::stats::SortedShares::new("values", &[1.0, 1.0])?;
    /// let l = s.lorenz(3);
    /// assert_eq!(l.population, vec![0.0, 0.5, 1.0]);
    /// assert_eq!(l.share, vec![0.0, 0.5, 1.0]);
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn lorenz(&self, points: usize) -> Lorenz {
        let last = (points - 1) as f64;
        let population: Vec<f64> = (0..points).map(|k| k as f64 / last).collect();
        let share = population.iter().map(|&p| self.lorenz_at(p)).collect();
        Lorenz { population, share }
    }
}

/// A Lorenz curve: cumulative population share against cumulative value share.
///
/// ```
/// let l = shijing::stats::lorenz(&[1.0, 2.0, 3.0, 4.0], 5)?;
/// assert_eq!(l.population, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// assert!(l.share.windows(2).all(|w| w[0] <= w[1]));
/// assert_eq!(l.share[4], 1.0);
/// # Ok::<(), shijing::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lorenz {
    /// Population fractions, 0 to 1, evenly spaced.
    pub population: Vec<f64>,
    /// Share of the total held by the poorest `population[k]`.
    pub share: Vec<f64>,
}

/// Smallest and largest number of points a Lorenz curve may be sampled at.
///
/// ```
/// use shijing::stats::{inequality::LORENZ_POINTS, lorenz};
/// assert!(lorenz(&[1.0, 2.0], LORENZ_POINTS.0).is_ok());
/// assert!(lorenz(&[1.0, 2.0], LORENZ_POINTS.0 - 1).is_err());
/// assert!(lorenz(&[1.0, 2.0], LORENZ_POINTS.1 + 1).is_err());
/// ```
pub const LORENZ_POINTS: (usize, usize) = (2, 1_000_001);

/// Gini coefficient of `values` (see [`SortedShares::gini`]).
///
/// ```
/// use shijing::stats::gini;
/// assert!((gini(&[1.0, 2.0, 3.0, 4.0])? - 0.25).abs() < 1e-15);
/// // Scale-free at any scale: the total of these overflows f64.
/// let g = gini(&[1e307, f64::MAX, 1e-310])?;
/// assert!((g - 2.0 / (3.0 * (1e307 / f64::MAX + 1.0))).abs() < 1e-15);
/// assert!(gini(&[]).is_err());
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn gini(values: &[f64]) -> Result<f64> {
    Ok(SortedShares::new("values", values)?.gini())
}

/// Lorenz curve of `values` at `points` evenly spaced population fractions.
///
/// ```
/// let l = shijing::stats::lorenz(&[3.0, 1.0], 3)?;
/// assert_eq!(l.share, vec![0.0, 0.25, 1.0]);
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn lorenz(values: &[f64], points: usize) -> Result<Lorenz> {
    validate::count_in("points", points, LORENZ_POINTS.0, LORENZ_POINTS.1)?;
    Ok(SortedShares::new("values", values)?.lorenz(points))
}

/// Share of the total held by the richest `fraction` of the population.
///
/// ```
/// use shijing::stats::top_share;
/// assert!((top_share(&[1.0, 1.0, 1.0, 7.0], 0.25)? - 0.7).abs() < 1e-15);
/// assert!(top_share(&[1.0], 1.5).is_err());
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn top_share(values: &[f64], fraction: f64) -> Result<f64> {
    validate::in_closed("fraction", fraction, 0.0, 1.0)?;
    Ok(SortedShares::new("values", values)?.top_share(fraction))
}

/// Share of the total held by the poorest `fraction` of the population.
///
/// ```
/// use shijing::stats::bottom_share;
/// assert!((bottom_share(&[1.0, 1.0, 1.0, 7.0], 0.5)? - 0.2).abs() < 1e-15);
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn bottom_share(values: &[f64], fraction: f64) -> Result<f64> {
    validate::in_closed("fraction", fraction, 0.0, 1.0)?;
    Ok(SortedShares::new("values", values)?.bottom_share(fraction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_prefix_sums_are_the_running_sums() {
        // Integer terms: every partial sum is exact in f64, so the lanes and
        // their offsets must reproduce the plain running sum bit for bit.
        for n in [0usize, 1, 2, 3, 4, 5, 7, 8, 9, 1000, 10_007] {
            let mut xs: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1_000_003) as f64).collect();
            xs.sort_by(f64::total_cmp);
            let (mut want, mut want_rank) = (vec![0.0], vec![0.0]);
            for i in 0..n {
                want.push(want[i] + xs[i]);
                want_rank.push(want_rank[i] + (n - i) as f64 * xs[i]);
            }
            // The sums are of the values times a power of two: exact too.
            let c = unit_scale(xs.last().copied().unwrap_or(0.0));
            let (want, want_rank): (Vec<f64>, Vec<f64>) = want
                .iter()
                .zip(&want_rank)
                .map(|(a, b)| (a * c, b * c))
                .unzip();
            let marked = SortedSums::from_sorted(xs.clone(), true);
            assert_eq!(marked.scale, c);
            let marks = marked.marks.as_ref().unwrap();
            for j in 0..=n {
                assert_eq!(
                    marks.at(&xs, j),
                    (want[j], want_rank[j]),
                    "n = {n}, j = {j}"
                );
            }
            assert!(marked.prefix.is_empty());
            assert_eq!(marked.total(), want[n]);
            assert_eq!(marked.rank_total, want_rank[n]);
            let arrays = SortedSums::from_sorted(xs, false);
            assert_eq!(arrays.prefix, want);
            assert!(arrays.marks.is_none());
            assert_eq!(arrays.total(), want[n]);
            assert_eq!(arrays.rank_total, marked.rank_total);
        }
        // Fractional terms: within a few ulps of an exact (i128) reference.
        // (Unsorted: the test is of the sums; the scale, a power of two
        // from the last value, is undone exactly.)
        let xs = crate::stats::random::lognormal_sample(100_003, 2.0, 5);
        let sums = SortedSums::from_sorted(xs.clone(), false);
        let got: Vec<f64> = sums.prefix.iter().map(|p| p / sums.scale).collect();
        let scale = 2f64.powi(40);
        let mut exact = 0i128;
        for (i, &x) in xs.iter().enumerate() {
            exact += (x * scale).round() as i128;
            let want = exact as f64 / scale;
            assert!((got[i + 1] - want).abs() <= 1e-12 * want.max(1.0), "{i}");
        }
    }

    /// Both prefix arrays as one pass fills them: every lane's running sums
    /// read after each row, then shifted by the lanes before.
    fn lane_arrays(xs: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let n = xs.len();
        let (mut value, mut rank) = (vec![0.0; n + 1], vec![0.0; n + 1]);
        let mut lanes = RankedLanes::new(n);
        for i in 0..lanes.block {
            lanes.add_rows(i..i + 1, |j| xs[j], None);
            for l in 0..LANES {
                let j = l * lanes.block + i;
                if j < n {
                    (value[j + 1], rank[j + 1]) = (lanes.value[l].sum, lanes.rank[l].sum);
                }
            }
        }
        lanes.shift(&mut value, &lane_offsets(&lanes.value).0);
        lanes.shift(&mut rank, &lane_offsets(&lanes.rank).0);
        (value, rank)
    }

    #[test]
    fn marks_give_the_arrays_bits() {
        // Fractional terms (every addition rounds), zeros first, for lane
        // layouts around MARK_ROWS and LANES · MARK_ROWS.
        let big = LANES * MARK_ROWS;
        for n in [
            1,
            2,
            5,
            MARK_ROWS - 1,
            MARK_ROWS,
            MARK_ROWS + 1,
            big - 1,
            big,
            big + 1,
            3 * big + 7,
            20_011,
        ] {
            let mut xs = crate::stats::random::lognormal_sample(n, 2.0, n as u32);
            for x in xs.iter_mut().step_by(9) {
                *x = 0.0;
            }
            xs.sort_by(f64::total_cmp);
            let c = unit_scale(xs[n - 1]);
            let scaled: Vec<f64> = xs.iter().map(|x| x * c).collect();
            let (value, rank) = lane_arrays(&scaled);
            let with_arrays = SortedSums::from_sorted(xs.clone(), false);
            assert_eq!(with_arrays.prefix, value, "n = {n}");
            let marked = SortedSums::from_sorted(xs.clone(), true);
            let marks = marked.marks.as_ref().unwrap();
            for j in 0..=n {
                let (a, b) = marks.at(&xs, j);
                assert_eq!(
                    (a.to_bits(), b.to_bits()),
                    (value[j].to_bits(), rank[j].to_bits()),
                    "n = {n}, j = {j}"
                );
            }
            assert_eq!(marked.total().to_bits(), with_arrays.total().to_bits());
            assert_eq!(
                marked.rank_total.to_bits(),
                with_arrays.rank_total.to_bits()
            );
            assert_eq!(marked.gini().to_bits(), with_arrays.gini().to_bits());
        }
    }

    #[test]
    fn sorted_shares_match_the_arrays() {
        // Bit for bit what `SortedShares` reads off its prefix array, for
        // every lane layout of small n and cuts at, between and past lanes.
        let mut r = crate::stats::random::rng(3);
        for n in (0usize..40).chain([99, 1000, 4097, 10_007]) {
            let mut xs: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 5 == 0 {
                        0.0
                    } else {
                        crate::stats::random::lognormal(&mut r, 3.0, 2.0).round()
                    }
                })
                .collect();
            xs.sort_by(f64::total_cmp);
            for (top, bottom) in [(0.1, 0.5), (0.25, 0.75), (0.0, 1.0), (1.0, 0.0), (0.5, 0.5)] {
                let got = sorted_shares(n, |i| xs[i], top, bottom);
                let want = SortedShares::from_sorted(xs.clone())
                    .map(|s| (s.gini(), s.top_share(top), s.bottom_share(bottom)));
                let bits = |v: Option<(f64, f64, f64)>| {
                    v.map(|(a, b, c)| [a.to_bits(), b.to_bits(), c.to_bits()])
                };
                assert_eq!(bits(got), bits(want), "n = {n}, top {top}, bottom {bottom}");
            }
        }
    }

    #[test]
    fn known_answers() {
        assert_eq!(gini(&[5.0; 10]).unwrap(), 0.0);
        let mut one_hot = vec![0.0; 10];
        one_hot[3] = 7.0;
        assert!((gini(&one_hot).unwrap() - 0.9).abs() < 1e-15);
        assert!((gini(&[1.0, 2.0, 3.0, 4.0]).unwrap() - 0.25).abs() < 1e-15);
        assert_eq!(gini(&[3.0]).unwrap(), 0.0);
    }

    #[test]
    fn rejects_bad_values() {
        assert_eq!(gini(&[]).unwrap_err().to_string(), "values is empty");
        assert_eq!(
            gini(&[1.0, f64::NAN]).unwrap_err().to_string(),
            "values[1] is NaN"
        );
        assert!(gini(&[1.0, f64::INFINITY])
            .unwrap_err()
            .to_string()
            .contains("values[1] is infinite"));
        assert!(gini(&[-1.0])
            .unwrap_err()
            .to_string()
            .contains("values[0] is negative"));
        assert!(gini(&[0.0, 0.0])
            .unwrap_err()
            .to_string()
            .contains("all zero"));
        assert!(lorenz(&[1.0], 1)
            .unwrap_err()
            .to_string()
            .starts_with("points must be in"));
        assert!(top_share(&[1.0], 1.5)
            .unwrap_err()
            .to_string()
            .starts_with("fraction must be in"));
    }

    #[test]
    fn lorenz_and_shares() {
        let v = [1.0, 2.0, 3.0, 4.0];
        let l = lorenz(&v, 5).unwrap();
        assert_eq!(l.population, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let want = [0.0, 0.1, 0.3, 0.6, 1.0];
        for (a, b) in l.share.iter().zip(want) {
            assert!((a - b).abs() < 1e-15);
        }
        assert!((top_share(&v, 0.25).unwrap() - 0.4).abs() < 1e-15);
        assert!((bottom_share(&v, 0.5).unwrap() - 0.3).abs() < 1e-15);
        // interpolation inside a unit: the poorest 12.5% holds half of the smallest value
        assert!((bottom_share(&v, 0.125).unwrap() - 0.05).abs() < 1e-15);
        // -0 sorts as 0
        assert_eq!(gini(&[-0.0, 1.0]).unwrap(), 0.5);
    }
}
