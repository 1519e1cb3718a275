//! The frozen-market replay of the focus merchant ([`Market::run_merchant`])
//! and sweeps over its settings ([`Market::sweep`]).
//!
//! One merchant barely moves a market of thousands, so the full run keeps,
//! for every day, what the focus merchant met (`MarketDay`): the public
//! pool's water level and how fast the rest of the pool responds to it, the
//! cold-start pool, the cap plan, tier thresholds and capacity cut-offs. The
//! replay runs the focus merchant alone against those days, in named steps
//! that call the same core as the round: Thompson scores, the public pool's
//! level re-solved with the merchant's own demand (`bisect`), its
//! cold-start share ([`cold_start`]), the cap plan, the funnel, promotions.

use std::sync::Arc;

use ndarray::Array2;

use super::day_loop::sorted;
use super::fitted::{FittedCurves, FittedState};
use super::market::Market;
use super::merchant::{
    merchant_day, DayOutcome, LiveSession, MerchantRates, MerchantState, LIVE_REFERENCE_HOURS,
};
use super::results::MerchantTrajectory;
use super::scenario::MerchantSettings;
use super::tiers::{settle, settle_room, thompson};
use crate::allocation::cold_start::{self, shrunk_roi, ColdStartSettings, MeritSignals};
use crate::allocation::gini_cap::{CapPlan, GiniCapSolver};
use crate::allocation::round;
use crate::funnel;
use crate::stats::random::{self, Normals, Rng};
use crate::validate;
use crate::{Error, Result};

/// 90-day (whole-run) totals over a grid of content quality × follow rate,
/// row-major with rows = content quality.
///
/// ```
/// # use shijing::sim::{Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// let base = &scenario.merchant;
/// let grid = market.sweep(base, &[0.2, 0.8], &[0.01, 0.1]).unwrap();
/// // Cell [1, 0] is the replay at content quality 0.8 and follow rate 0.01.
/// let mut one = base.clone();
/// (one.content_quality, one.follow_rate) = (0.8, 0.01);
/// let replay = market.run_merchant(&one).unwrap();
/// assert_eq!(grid.public_exposure[[1, 0]], replay.public_exposure.iter().sum::<f64>());
/// assert_eq!((grid.content_quality[1], grid.follow_rate[0]), (0.8, 0.01));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SweepGrid {
    /// Content-quality values (rows).
    pub content_quality: Vec<f64>,
    /// Follow-rate values (columns).
    pub follow_rate: Vec<f64>,
    /// Total public exposure.
    pub public_exposure: Array2<f64>,
    /// Total follow-page exposure.
    pub private_exposure: Array2<f64>,
    /// Followers at the end.
    pub followers: Array2<f64>,
    /// Total GMV.
    pub gmv: Array2<f64>,
}

/// Largest sweep grid accepted (cells).
///
/// ```
/// # use shijing::sim::{Market, Scenario, MAX_SWEEP_CELLS};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// let axis: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect(); // 101 values
/// assert!(101 * 101 > MAX_SWEEP_CELLS);
/// let err = market.sweep(&scenario.merchant, &axis, &axis).unwrap_err();
/// assert_eq!(err.message(), "axes span 10201 cells; at most 10000 are supported");
/// ```
pub const MAX_SWEEP_CELLS: usize = 10_000;

/// Cold-start pool of a day, as the focus merchant's replay needs it.
#[derive(Debug, Clone)]
pub(super) struct ColdStartDay {
    /// Sorted signals of the other new merchants.
    pub(super) diligence: Vec<f64>,
    pub(super) fan: Vec<f64>,
    pub(super) roi: Vec<f64>,
    /// `ν` of `floor + min(h, ν·m^β)`, or the equal share when the pool is below the floors.
    pub(super) level: f64,
    pub(super) equal_share: Option<f64>,
}

/// What the focus merchant met on the platform on one day.
#[derive(Debug, Clone)]
pub(super) struct MarketDay {
    pub(super) plan: CapPlan,
    pub(super) mean: f64,
    pub(super) public_level: f64,
    /// How fast the other items' total moves with the level (their unsaturated scores).
    pub(super) others_active_score: f64,
    /// The focus merchant's public-pool amount in the full run.
    pub(super) focus_public: f64,
    pub(super) overflow_level: f64,
    pub(super) cold_start: Option<ColdStartDay>,
    pub(super) thresholds: Vec<f64>,
    pub(super) cutoffs: Vec<f64>,
}

/// The focus merchant's items in the day's public pool at water level
/// `level`: floors for its best items, then `min(room, floor + level·score)`.
/// Writes each item's amount to `x` and returns their sum.
pub(super) fn public_part(
    level: f64,
    score: &[f64],
    room: &[f64],
    floored: usize,
    floor: f64,
    x: &mut [f64],
) -> f64 {
    let n = score.len();
    let mut order = [0usize, 1, 2, 3];
    let order = &mut order[..n.min(4)];
    // By score descending, ties to the lower index (insertion sort: at most 4).
    for j in 1..order.len() {
        let mut k = j;
        while k > 0 && score[order[k - 1]].total_cmp(&score[order[k]]).is_lt() {
            order.swap(k - 1, k);
            k -= 1;
        }
    }
    let mut total = 0.0;
    for (rank, &k) in order.iter().enumerate() {
        let base = if rank < floored {
            floor.min(room[k])
        } else {
            0.0
        };
        let add = if level.is_finite() {
            level * score[k]
        } else {
            f64::INFINITY
        };
        x[k] = (base + add).min(room[k]);
        total += x[k];
    }
    total
}

/// Halvings of the replay's water-level bisection: the bracket shrinks to
/// 2⁻⁶⁰ of its width, below one ulp of the level.
const LEVEL_STEPS: u32 = 60;

/// Root of `g` on `[lo, hi]` by `steps` halvings, for a `g` that rises
/// through 0 there: the midpoint of the last bracket, or `None` when the
/// bracket does not hold (`g(lo) < 0 < g(hi)` fails).
pub(super) fn bisect(mut g: impl FnMut(f64) -> f64, lo: f64, hi: f64, steps: u32) -> Option<f64> {
    let (mut lo, mut hi) = (lo, hi);
    if !(g(lo) < 0.0 && g(hi) > 0.0) {
        return None;
    }
    for _ in 0..steps {
        let mid = 0.5 * (lo + hi);
        if g(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

impl Market {
    /// Replays the focus merchant with other settings against the frozen
    /// market (see the module docs for what this approximation ignores).
    ///
    /// With `merchant.repurchase`, the fitted process is the merchant's at
    /// the market's own merchant settings (`scenario().merchant`), and the
    /// replayed settings scale it from there (see [`super::fitted`]). Its
    /// curves are the market's when `repurchase`, `customers` and
    /// `orderValue` are the market merchant's (the usual case: a partial
    /// merchant merged over it), else computed for this replay.
    ///
    /// ```
    /// # use shijing::sim::{Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 500; // the default is 10,000
    /// scenario.days = 30;
    /// let market = Market::run(&scenario).unwrap();
    /// let mut better = scenario.merchant.clone();
    /// better.content_quality = (better.content_quality + 0.3).min(1.0);
    /// let base = market.run_merchant(&scenario.merchant).unwrap();
    /// let up = market.run_merchant(&better).unwrap();
    /// let total = |v: &[f64]| v.iter().sum::<f64>();
    /// assert!(total(&up.public_exposure) > total(&base.public_exposure));
    /// ```
    pub fn run_merchant(&self, merchant: &MerchantSettings) -> Result<MerchantTrajectory> {
        merchant.validate("merchant.")?;
        let curves = self.curves_for(merchant)?;
        Ok(self.replay(merchant, curves.as_ref()))
    }

    /// The fitted curves of `merchant` (validated): the market's own when its
    /// fitted inputs are the market merchant's.
    pub(super) fn curves_for(
        &self,
        merchant: &MerchantSettings,
    ) -> Result<Option<Arc<FittedCurves>>> {
        if merchant.repurchase.is_none() {
            return Ok(None);
        }
        // Without `myshop` there are no curves to share (`build` says so).
        #[cfg(feature = "myshop")]
        let own = &self.scenario.merchant;
        #[cfg(feature = "myshop")]
        if merchant.repurchase == own.repurchase
            && merchant.customers == own.customers
            && merchant.order_value == own.order_value
        {
            if let Some(c) = &self.fitted {
                return Ok(Some(Arc::clone(c)));
            }
        }
        FittedCurves::build(merchant, self.scenario.days)
    }

    pub(super) fn replay(
        &self,
        merchant: &MerchantSettings,
        curves: Option<&Arc<FittedCurves>>,
    ) -> MerchantTrajectory {
        let mut r = Replay::new(self, merchant, curves);
        let mut traj = MerchantTrajectory::with_days(self.days.len());
        for (d, md) in self.days.iter().enumerate() {
            r.score_items(d);
            let public = r.public_pool(md);
            let cold = r.cold_start(md, d);
            r.spread_cold_start(cold);
            let capped = r.apply_cap(md, public + cold);
            let o = r.funnel(d);
            traj.push(&o, r.state.followers, cold, capped);
            r.promote(md);
        }
        traj.finish(
            &self.scenario.funnel,
            &r.traits,
            &self.others_public_sorted,
            r.fitted_start.as_ref(),
        );
        traj
    }

    /// Whole-run totals of the focus merchant over a grid of content quality
    /// (rows) × follow rate (columns), other settings from `base`.
    ///
    /// ```
    /// # use shijing::sim::{Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 500; // the default is 10,000
    /// scenario.days = 30;
    /// let market = Market::run(&scenario).unwrap();
    /// let grid = market.sweep(&scenario.merchant, &[0.2, 0.8], &[0.01, 0.05, 0.1]).unwrap();
    /// assert_eq!(grid.gmv.dim(), (2, 3));
    /// assert!(grid.followers[[1, 2]] > grid.followers[[0, 0]]);
    /// ```
    pub fn sweep(
        &self,
        base: &MerchantSettings,
        content_quality: &[f64],
        follow_rate: &[f64],
    ) -> Result<SweepGrid> {
        base.validate("merchant.")?;
        validate::non_empty("axes.contentQuality", content_quality.len())?;
        validate::non_empty("axes.followRate", follow_rate.len())?;
        let cells = content_quality.len().saturating_mul(follow_rate.len());
        if cells > MAX_SWEEP_CELLS {
            return Err(Error::invalid(format!(
                "axes span {cells} cells; at most {MAX_SWEEP_CELLS} are supported"
            )));
        }
        for (name, axis) in [
            ("axes.contentQuality", content_quality),
            ("axes.followRate", follow_rate),
        ] {
            for (i, &v) in axis.iter().enumerate() {
                validate::in_closed(&format!("{name}[{i}]"), v, 0.0, 1.0)?;
            }
        }
        let curves = self.curves_for(base)?;
        let shape = (content_quality.len(), follow_rate.len());
        let mut grid = SweepGrid {
            content_quality: content_quality.to_vec(),
            follow_rate: follow_rate.to_vec(),
            public_exposure: Array2::zeros(shape),
            private_exposure: Array2::zeros(shape),
            followers: Array2::zeros(shape),
            gmv: Array2::zeros(shape),
        };
        for (i, &q) in content_quality.iter().enumerate() {
            for (j, &f) in follow_rate.iter().enumerate() {
                let m = MerchantSettings {
                    content_quality: q,
                    follow_rate: f,
                    ..base.clone()
                };
                let t = self.replay(&m, curves.as_ref());
                grid.public_exposure[[i, j]] = t.public_exposure.iter().sum();
                grid.private_exposure[[i, j]] = t.private_exposure.iter().sum();
                grid.followers[[i, j]] = t.followers.last().copied().unwrap_or(0.0);
                grid.gmv[[i, j]] = t.gmv.iter().sum();
            }
        }
        Ok(grid)
    }
}

/// The focus merchant replayed alone against a [`Market`]'s recorded days:
/// its state, its rates, and the per-item columns of the day (its items,
/// then its live room on a live day).
struct Replay<'m> {
    market: &'m Market,
    merchant: &'m MerchantSettings,
    traits: funnel::Traits,
    rates: MerchantRates,
    state: MerchantState,
    rng: Rng,
    normals: Normals,
    /// Paid exposure a day (ad spend at the CPM).
    paid: f64,
    /// The session's length over the reference length.
    hours_factor: f64,
    /// Whether the merchant is live today, and its items and room today.
    live: bool,
    k: usize,
    score: Vec<f64>,
    room: Vec<f64>,
    /// Each item's exposure today.
    x: Vec<f64>,
    saturation: Vec<f64>,
    /// The merchant's own fitted process as it started (for the summary figures).
    fitted_start: Option<FittedState>,
}

impl<'m> Replay<'m> {
    fn new(
        market: &'m Market,
        merchant: &'m MerchantSettings,
        curves: Option<&Arc<FittedCurves>>,
    ) -> Self {
        let s = &market.scenario;
        let params = &s.funnel;
        let traits = funnel::Traits {
            quality: merchant.content_quality,
            follow_rate: merchant.follow_rate,
            price: merchant.price,
            trust: merchant.trust,
            diligence: merchant.diligence,
        };
        let rates = MerchantRates::new(params, &traits);
        #[cfg_attr(not(feature = "myshop"), allow(unused_mut))]
        let mut state = MerchantState::new(
            &traits,
            &rates,
            merchant.followers,
            merchant.age_days,
            f64::from(s.platform.new_merchant_days),
        );
        let fitted_start =
            curves.map(|c| FittedState::new(Arc::clone(c), &s.merchant, merchant, params));
        // Without `myshop` no `FittedState` exists (sim::fitted): nothing to add.
        #[cfg_attr(not(feature = "myshop"), allow(unreachable_code))]
        if let Some(f) = &fitted_start {
            state = state.with_fitted(f.clone());
        }
        // Room for the items and the live room.
        let n = state.items.len() + 1;
        Replay {
            market,
            merchant,
            traits,
            rates,
            state,
            // The focus merchant's own stream, as in the full run.
            rng: random::rng_stream(market.seed, 2),
            normals: Normals::new(),
            paid: merchant.ad_spend * 1000.0 / s.platform.ad_cpm,
            hours_factor: merchant.live_hours / LIVE_REFERENCE_HOURS,
            live: false,
            k: 0,
            score: vec![0.0; n],
            room: vec![0.0; n],
            x: vec![0.0; n],
            saturation: vec![0.0; n],
            fitted_start,
        }
    }

    /// Step 1: each item's Thompson-sampled score times the merchant's
    /// value (boosted on campaign days), and its room in its tier; on a live
    /// day (by the replayed merchant's cadence, or a big day) the live room's
    /// too, its room scaled by the session's length.
    fn score_items(&mut self, day: usize) {
        let s = &self.market.scenario;
        let mut v = self.state.value(self.traits.trust, s.platform.trust_weight);
        if s.events.campaign_days.contains(&(day as u32)) {
            v *= s.events.campaign_boost;
        }
        let tiers = &self.market.tiers;
        for (k, it) in self.state.items.iter().enumerate() {
            self.score[k] = thompson(&mut self.rng, &mut self.normals, it) * v;
            self.room[k] = tiers.room(it);
        }
        let n = self.state.items.len();
        self.live =
            self.merchant.streams_on(day as u32) || s.events.big_days.contains(&(day as u32));
        if self.live {
            let room = &self.state.room;
            self.score[n] = thompson(&mut self.rng, &mut self.normals, room) * v;
            self.room[n] = tiers.room(room) * self.hours_factor;
        }
        self.k = n + usize::from(self.live);
    }

    /// Step 2: the public pool. The day's water level is re-solved with
    /// this merchant's own demand: the other items' total moves by
    /// `others_active_score` per unit of level, so `S·(ν′ − ν) = F_full(ν) −
    /// F(ν′)`. Writes the items' amounts (with the overflow spread by
    /// score) to `x` and returns their sum.
    fn public_pool(&mut self, md: &MarketDay) -> f64 {
        let (fl, f) = (self.market.floored_per_creator, self.market.floor);
        let k = self.k;
        let (score, room, x) = (&self.score[..k], &self.room[..k], &mut self.x[..k]);
        let mut level = md.public_level;
        if level.is_finite() && md.others_active_score > 0.0 {
            let s_o = md.others_active_score;
            let g = |nu: f64| {
                s_o * (nu - md.public_level) + public_part(nu, score, room, fl, f, x)
                    - md.focus_public
            };
            let hi = md.public_level + md.focus_public / s_o;
            level = bisect(g, 0.0, hi, LEVEL_STEPS).unwrap_or(level);
        }
        let mut public = public_part(level, score, room, fl, f, x);
        for (xk, &sk) in x.iter_mut().zip(score) {
            *xk += md.overflow_level * sk;
            public += md.overflow_level * sk;
        }
        public
    }

    /// Step 3: the cold-start pool while the merchant is new: its share of
    /// the day's pool by its merit among the day's other new merchants
    /// ([`cold_start::merit_joining`], [`cold_start::share_at_level`]).
    fn cold_start(&self, md: &MarketDay, day: usize) -> f64 {
        let new_days = f64::from(self.market.scenario.platform.new_merchant_days);
        if self.merchant.age_days + day as f64 >= new_days {
            return 0.0;
        }
        let Some(cs) = &md.cold_start else {
            return 0.0;
        };
        if let Some(e) = cs.equal_share {
            return e;
        }
        let settings = &self.market.cold_start;
        let st = &self.state;
        let roi = shrunk_roi(
            st.gmv_total,
            st.spend_total,
            settings.roi_prior,
            settings.roi_prior_spend,
        );
        let m = cold_start::merit_joining(
            [&cs.diligence, &cs.fan, &cs.roi],
            [self.traits.diligence, st.fan_signal, roi],
            settings,
        );
        cold_start::share_at_level(m, cs.level, settings)
    }

    /// Step 4: the cold-start share over the items in proportion to score
    /// (evenly when every score is 0), as the round splits it.
    fn spread_cold_start(&mut self, cold: f64) {
        let n = self.k;
        let total_score: f64 = self.score[..n].iter().sum();
        for (xk, &sk) in self.x[..n].iter_mut().zip(&self.score) {
            *xk += if total_score > 0.0 {
                cold * sk / total_score
            } else {
                cold / n as f64
            };
        }
    }

    /// Step 5: the day's cap plan on the merchant's total `e0` (both
    /// pools), scaled back to its items. Returns whether it was capped.
    fn apply_cap(&mut self, md: &MarketDay, e0: f64) -> bool {
        if e0 <= 0.0 {
            return false;
        }
        let ratio = GiniCapSolver::map(&md.plan, md.mean, e0) / e0;
        self.x[..self.k].iter_mut().for_each(|v| *v *= ratio);
        GiniCapSolver::is_capped(&md.plan, e0)
    }

    /// Step 6: the funnel (orders multiplied on big days).
    fn funnel(&mut self, day: usize) -> DayOutcome {
        let s = &self.market.scenario;
        let params = &s.funnel;
        let mult = if s.events.big_days.contains(&(day as u32)) {
            s.events.big_day_multiplier
        } else {
            1.0
        };
        let k = self.k;
        for (f, &v) in self.saturation[..k].iter_mut().zip(&self.x) {
            *f = params.saturation(v);
        }
        let n = self.state.items.len();
        let live = self
            .live
            .then(|| LiveSession::new(params, self.x[n], self.hours_factor));
        merchant_day(
            &mut self.state,
            &self.rates,
            params,
            &self.x[..n],
            &self.saturation[..n],
            live,
            self.paid,
            self.merchant.ad_spend,
            mult,
            |_, _, _, _| {},
        )
        .0
    }

    /// Step 7: promotions against the day's tier thresholds and capacity
    /// cut-offs; retired items are replaced, the live room moves a tier.
    fn promote(&mut self, md: &MarketDay) {
        let tiers = &self.market.tiers;
        let decide = |it: &super::tiers::Item| {
            let t = it.tier as usize;
            let due = tiers.due(it);
            let stat = it.alpha / (it.alpha + it.beta);
            (due, due && stat > md.thresholds[t] && stat >= md.cutoffs[t])
        };
        let prior = self.state.item_prior();
        for it in self.state.items.iter_mut() {
            let (due, promote) = decide(it);
            settle(it, tiers, due, promote, prior);
        }
        if self.live {
            let (due, promote) = decide(&self.state.room);
            settle_room(&mut self.state.room, tiers, due, promote);
        }
    }
}

/// The cold-start pool of a round, for replays: the other new merchants'
/// signals (sorted) and the pool's level. `by_diligence` lists every merchant
/// that can be new, by its diligence signal (ascending in total order), so
/// the members' sorted diligence is read off it.
#[inline(never)]
pub(super) fn cold_start_day(
    r: &round::RoundResult,
    signals: &MeritSignals,
    is_new: &[bool],
    by_diligence: &[usize],
    settings: &ColdStartSettings,
) -> Option<ColdStartDay> {
    let members: Vec<usize> = by_diligence
        .iter()
        .copied()
        .filter(|&c| is_new[c] && r.in_population[c])
        .collect();
    let others: Vec<usize> = members.iter().copied().filter(|&c| c != 0).collect();
    if others.is_empty() {
        return None;
    }
    let col = |s: Option<&[f64]>, c: usize| s.map_or(0.0, |s| s[c]);
    let diligence = others.iter().map(|&c| col(signals.diligence, c)).collect();
    let fan = sorted(
        others
            .iter()
            .map(|&c| col(signals.fan_operation, c))
            .collect(),
    );
    let roi = sorted(
        others
            .iter()
            .map(|&c| {
                shrunk_roi(
                    col(signals.gmv, c),
                    col(signals.spend, c),
                    settings.roi_prior,
                    settings.roi_prior_spend,
                )
            })
            .collect(),
    );
    let floors = settings.floor * members.len() as f64;
    if r.cold_start_total <= floors * (1.0 + 1e-12) {
        return Some(ColdStartDay {
            diligence,
            fan,
            roi,
            level: 0.0,
            equal_share: Some(r.cold_start_total / members.len() as f64),
        });
    }
    Some(ColdStartDay {
        diligence,
        fan,
        roi,
        level: r.cold_start_level,
        equal_share: None,
    })
}
