//! A simulated market: the day loop that joins allocation, funnel and
//! repurchase, run once and kept for replays.
//!
//! Each day: every merchant's items get the day's discovery budget through the
//! allocation round (Thompson-sampled scores, cold-start pool, floors and
//! tier quotas, the exact creator Gini cap); the funnel turns each merchant's
//! exposure into clicks, first orders and followers; followers bring free
//! follow-page exposure, first orders from fans, and repurchases from the
//! merchant's customer base; the returning-customer index feeds tomorrow's
//! score; items are promoted through the tiered pools or retired and replaced.
//!
//! The funnel uses expected counts given exposure (a mean-field model): the
//! randomness of a run comes from the drawn population and from exploration
//! (Thompson draws). That keeps the focus merchant's response to its own
//! settings smooth.
//!
//! [`Market`] keeps, for every day, what the focus merchant met on the
//! platform (the public pool's water level, the cold-start pool, the cap plan,
//! tier thresholds), so [`Market::run_merchant`] can replay the focus merchant
//! alone against the frozen market in microseconds. The replay ignores the
//! merchant's own effect on the market; see `tests/native_sim.rs` for how far
//! it is from a full re-run.
//!
//! The pieces: `day_loop` (the full run's day loop), `merchant` (one
//! merchant's funnel day), `tiers` (items and the tiered pools),
//! [`super::replay`] (the frozen-market replay and sweeps) and
//! [`super::results`] (what a run returns).

use std::sync::Arc;

use super::day_loop::{round_settings, sorted, DayLoop, WARMUP_DAYS};
use super::fitted::{FittedCurves, FittedState};
use super::population::Population;
use super::replay::MarketDay;
use super::results::SimulationResult;
use super::scenario::Scenario;
use super::tiers::Tiers;
use crate::allocation::cold_start::ColdStartSettings;
use crate::stats::random;
use crate::stats::{Lorenz, SortedShares};
use crate::Result;

/// A simulated market: the full run's results plus what the focus merchant
/// met on each day, for replays.
///
/// ```
/// # use shijing::sim::{Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200; // the default is 10,000
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// assert_eq!(market.result().days, 10);
/// // Replaying the run's own merchant against the frozen market: the same
/// // live days as in the full run.
/// let replay = market.run_merchant(&market.scenario().merchant).unwrap();
/// assert_eq!(replay.live_by_day, market.result().merchant.live_by_day);
/// ```
#[derive(Debug, Clone)]
pub struct Market {
    pub(super) scenario: Scenario,
    pub(super) seed: u32,
    pub(super) tiers: Tiers,
    pub(super) floor: f64,
    pub(super) floored_per_creator: usize,
    pub(super) cold_start: ColdStartSettings,
    pub(super) days: Vec<MarketDay>,
    pub(super) others_public_sorted: Vec<f64>,
    pub(super) result: SimulationResult,
    /// See [`Market::same_run_with_gini_max`].
    free_gini_max: f64,
    /// The focus merchant's own fitted process's curves (with
    /// `merchant.repurchase`), shared by the replays.
    #[cfg(feature = "myshop")]
    pub(super) fitted: Option<Arc<FittedCurves>>,
}

impl Market {
    /// Runs the full simulation of `scenario` (validated here).
    ///
    /// ```
    /// # use shijing::sim::{Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 200; // the default is 10,000
    /// scenario.days = 10;
    /// let market = Market::run(&scenario).unwrap();
    /// assert_eq!(market.result().merchant.gmv.len(), 10);
    /// let bad = Scenario { days: 0, ..scenario };
    /// assert_eq!(Market::run(&bad).unwrap_err().message(), "scenario.days must be in [1, 730], got 0");
    /// ```
    pub fn run(scenario: &Scenario) -> Result<Market> {
        scenario.validate()?;
        let seed = random::resolve_seed(scenario.seed)?;
        let mut scenario = scenario.clone();
        scenario.seed = Some(seed);
        let population = Population::draw(&scenario, &mut random::rng_stream(seed, 0));
        let settings = round_settings(&scenario);
        let tiers = Tiers::new(
            &settings.tier_quotas,
            settings.budget,
            scenario.platform.item_lifetime_days,
        );
        let days = scenario.days as usize;
        let fitted = FittedCurves::build(&scenario.merchant, scenario.days)?;
        let focus_fitted = fitted.as_ref().map(|c| {
            FittedState::new(
                Arc::clone(c),
                &scenario.merchant,
                &scenario.merchant,
                &scenario.funnel,
            )
        });
        let mut run = DayLoop::new(
            &scenario,
            &population,
            &settings,
            tiers,
            seed,
            focus_fitted.clone(),
        );
        for day in -WARMUP_DAYS..days as i64 {
            run.day(day)?;
        }
        let DayLoop {
            tiers,
            mut trajectory,
            metrics,
            public_totals,
            market_days,
            free_gini_max,
            ..
        } = run;

        let others_public_sorted = sorted(public_totals[1..].to_vec());
        let focus_traits = population.traits(0);
        trajectory.finish(
            &scenario.funnel,
            &focus_traits,
            &others_public_sorted,
            focus_fitted.as_ref(),
        );
        let lorenz = SortedShares::new("public exposure", &public_totals)
            .map(|s| s.lorenz(101))
            .unwrap_or(Lorenz {
                population: vec![0.0, 1.0],
                share: vec![0.0, 1.0],
            });
        let result = SimulationResult {
            seed,
            days: scenario.days,
            merchant: trajectory,
            population: metrics,
            lorenz,
        };
        Ok(Market {
            floor: settings.floor,
            floored_per_creator: settings.floored_per_creator,
            cold_start: settings.cold_start.clone(),
            scenario,
            seed,
            tiers,
            days: market_days,
            others_public_sorted,
            result,
            free_gini_max,
            #[cfg(feature = "myshop")]
            fitted,
        })
    }

    /// The full run's results (what [`simulate`] returns).
    ///
    /// ```
    /// # use shijing::sim::{simulate, Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 200;
    /// scenario.days = 10;
    /// let market = Market::run(&scenario).unwrap();
    /// assert_eq!(market.result().days, 10);
    /// assert_eq!(market.result().fingerprint(), simulate(&scenario).unwrap().fingerprint());
    /// ```
    pub fn result(&self) -> &SimulationResult {
        &self.result
    }

    /// The scenario (with the seed that was used).
    ///
    /// ```
    /// # use shijing::sim::{Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 200;
    /// scenario.days = 10;
    /// scenario.seed = None; // drawn at random, then kept
    /// let market = Market::run(&scenario).unwrap();
    /// let seed = market.scenario().seed.unwrap();
    /// assert_eq!(market.result().seed, seed);
    /// assert_eq!(market.scenario().days, 10);
    /// ```
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Whether the run of this scenario with `platform.giniMax` set to
    /// `gini_max` (everything else the same) is this run, bit for bit, so
    /// that a caller (the platform view's cap slider) can keep this market
    /// instead of running again. True for the scenario's own `giniMax`, and
    /// when the cap bound on no day of this run (warm-up included) and
    /// `gini_max` is at least every day's creator Gini before and after the
    /// cap: each day's plan is then `Unchanged`, which no cap setting
    /// (`giniMode`, `blend`) enters. The default scenario's run is one (its
    /// daily Gini stays within 0.52–0.59 under the 0.6 cap).
    ///
    /// ```
    /// # use shijing::sim::{simulate, Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 500; // with 200 the cap binds on some days
    /// scenario.days = 10;
    /// let market = Market::run(&scenario).unwrap();
    /// let largest = market.result().population.gini.iter().fold(0.0, |m: f64, &g| m.max(g));
    /// assert!(largest < 0.6 && market.same_run_with_gini_max(0.6));
    /// // Any cap above every day's Gini: the same run.
    /// assert!(market.same_run_with_gini_max(0.9));
    /// let mut wider = scenario.clone();
    /// wider.platform.gini_max = 0.9;
    /// assert_eq!(simulate(&wider).unwrap().fingerprint(), market.result().fingerprint());
    /// // A cap below a day's Gini binds that day: another run.
    /// assert!(!market.same_run_with_gini_max(0.9 * largest));
    /// let mut tighter = scenario.clone();
    /// tighter.platform.gini_max = 0.9 * largest;
    /// assert_ne!(simulate(&tighter).unwrap().fingerprint(), market.result().fingerprint());
    /// // A market whose cap bound is the same only for its own cap.
    /// let bound = Market::run(&tighter).unwrap();
    /// assert!(bound.same_run_with_gini_max(0.9 * largest));
    /// assert!(!bound.same_run_with_gini_max(0.95));
    /// ```
    pub fn same_run_with_gini_max(&self, gini_max: f64) -> bool {
        gini_max == self.scenario.platform.gini_max
            || (self.free_gini_max <= gini_max && gini_max < 1.0)
    }
}

/// Runs a full simulation (see [`Market::run`]).
///
/// ```
/// # use shijing::sim::{simulate, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 500; // the default is 10,000
/// scenario.days = 30;
/// let result = simulate(&scenario).unwrap();
/// assert_eq!(result.merchant.gmv.len(), 30);
/// assert!(result.population.gini.iter().all(|g| (0.0..=1.0).contains(g)));
/// // Same seed, same numbers.
/// assert_eq!(simulate(&scenario).unwrap().fingerprint(), result.fingerprint());
/// ```
pub fn simulate(scenario: &Scenario) -> Result<SimulationResult> {
    Ok(Market::run(scenario)?.result)
}
