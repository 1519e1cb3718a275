//! The day loop of a full run ([`DayLoop`]): each day, every merchant's
//! items get the day's discovery budget through the allocation round, the
//! funnel runs for every merchant, items are promoted or retired, and the
//! recorded days keep what the focus merchant met (for replays) and the
//! population's metrics.

use super::fitted::FittedState;
use super::merchant::{
    merchant_day, LiveSession, MerchantRates, MerchantState, SaturationTable, LIVE_REFERENCE_HOURS,
};
use super::population::{self, Population};
use super::replay::{cold_start_day, public_part, ColdStartDay, MarketDay};
use super::results::{MerchantTrajectory, PopulationMetrics};
use super::scenario::Scenario;
use super::tiers::{settle, settle_room, thompson, Tiers, PRIOR_MEAN, SIM_TIER_QUOTAS};
use crate::allocation::cold_start::{ColdStartSettings, MeritSignals};
use crate::allocation::gini_cap::{AppliedMode, CapSettings};
use crate::allocation::round::{self, Engagement, RoundInput, RoundSettings};
use crate::funnel::FunnelParams;
use crate::stats::random::{self, Normals, Rng};
use crate::stats::{max_of, sort};
use crate::{Error, Result};

/// Days the market runs before day 0 so tiers, posteriors and customer bases
/// settle (not reported; the focus merchant joins on day 0).
///
/// ```
/// # use shijing::sim::{simulate, Scenario, WARMUP_DAYS};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 3;
/// let r = simulate(&scenario).unwrap();
/// // The market ran WARMUP_DAYS + 3 days; the 3 from day 0 are reported.
/// assert!(WARMUP_DAYS > 0);
/// assert_eq!(r.merchant.gmv.len(), 3);
/// assert_eq!(r.population.gini.len(), 3);
/// ```
pub const WARMUP_DAYS: i64 = 7;
/// Impressions the cold-start pool guarantees each new merchant a day
/// (assumption; the allocation round's default is 1,000). With 10% of a
/// 100-million budget for about 500 new merchants at a time, the pool
/// averages ≈ 20,000 each: three quarters are guaranteed and the rest goes by
/// merit, so a new merchant's first day does not hang on its first draws.
pub(crate) const SIM_COLD_START_FLOOR: f64 = 15_000.0;
/// Share of merchants by followers whose plays are not "long tail".
const HEAD_SHARE: f64 = 0.01;

pub(super) fn round_settings(s: &Scenario) -> RoundSettings {
    let pl = &s.platform;
    RoundSettings {
        budget: pl.budget.round(),
        cold_start_share: pl.cold_start_share,
        floor: pl.item_floor,
        cap: CapSettings {
            gini_max: pl.gini_max,
            mode: s.cap_mode(),
            blend: pl.blend,
        },
        seed: Some(0),
        overflow: true,
        // ×10 per tier as the notes' defaults, but the top pool is finite too:
        // with an unlimited top tier its few items soak up every impression the
        // quotas leave over. What no quota can take is spread by score (overflow).
        tier_quotas: SIM_TIER_QUOTAS.to_vec(),
        tier_weights: vec![1.0; SIM_TIER_QUOTAS.len()],
        // Every item gets the floor: a merchant has at most 3 short videos and
        // its live room (with fewer floored items the round takes a slower path).
        floored_per_creator: 4,
        cold_start: ColdStartSettings {
            floor: SIM_COLD_START_FLOOR,
            ..ColdStartSettings::default()
        },
        ..RoundSettings::default()
    }
}

pub(super) fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    sort::sort_total(&mut v);
    v
}

/// The day loop of a full run: the market's state carried from day to day,
/// and the scratch columns reused every day.
///
/// Each pass over the merchants or items is its own function, kept out of
/// line (`#[inline(never)]`) on purpose. V8 runs a Wasm function's first
/// calls in baseline code and swaps in optimized code only for later calls
/// (there is no on-stack replacement): a day loop inlined into one function
/// called once per run would run every day of a page's first run in
/// baseline code, and that one large function would also be the slowest to
/// optimize. Called once a day, each pass is optimized after the first days.
/// (`scripts/build-pkg.sh` tells binaryen not to inline them back.)
pub(super) struct DayLoop<'a> {
    scenario: &'a Scenario,
    population: &'a Population,
    // Owned copies of what the passes read in their loops: as fields of the
    // loop itself, the compiler knows writes to its columns leave them
    // unchanged (as references they were reloaded: +2% instructions).
    params: FunnelParams,
    settings: &'a RoundSettings,
    pub(super) tiers: Tiers,
    seed: u32,
    new_days: f64,
    paid_per_yuan: f64,
    /// The focus merchant's own repurchase process as it starts (cloned into
    /// its state when it joins).
    focus_fitted: Option<FittedState>,
    rates: Vec<MerchantRates>,
    saturation: SaturationTable,
    /// Each merchant's content slots (the length of its items).
    slots: Vec<usize>,
    /// Each merchant's session length over the reference length.
    hours_factor: Vec<f64>,
    /// Whether each merchant is live today: its live room is one more item.
    live: Vec<bool>,
    /// The other merchants who stream, and the days until each one's next session.
    streamers: Vec<usize>,
    countdown: Vec<u32>,
    // Plain copies of the population's columns the passes read per merchant.
    diligence: Vec<f64>,
    age0: Vec<f64>,
    trust: Vec<f64>,
    ad_spend: Vec<f64>,
    /// Every merchant that can be new, by diligence (a static signal): the
    /// replays' sorted diligence of the day's new merchants is a filter of it.
    by_diligence: Vec<usize>,

    states: Vec<Option<MerchantState>>,
    pop_rng: Rng,
    focus_rng: Rng,
    /// Draws the established merchants' items' initial tiers.
    init_rng: Rng,
    /// The normal draws' tables (no state: both streams draw through it).
    normals: Normals,
    /// Whether each merchant has joined (its state is `Some`): the
    /// new-merchant checks read these flags instead of the states.
    present: Vec<bool>,
    is_new: Vec<bool>,
    /// The merchants yet to join, and those that can still be new (a
    /// merchant's age only grows): the daily checks visit only these.
    absent: Vec<usize>,
    maybe_new: Vec<usize>,
    /// Tier thresholds: yesterday's tier means (clicks per effective impression,
    /// as the items' posteriors count them).
    thresholds: Vec<f64>,
    // Merit columns, written after each merchant's funnel.
    fan: Vec<f64>,
    spend: Vec<f64>,
    gmv: Vec<f64>,

    // Item columns: items are numbered merchant by merchant over the
    // merchants on the platform, each with its slots (at least one) and
    // then its live room when it is live.
    owner: Vec<u32>,
    score: Vec<f64>,
    tier: Vec<u32>,
    used: Vec<f64>,
    due: Vec<bool>,
    promote: Vec<bool>,
    /// Each item's exposure as a float and its saturation factor.
    x_all: Vec<f64>,
    sat_all: Vec<f64>,
    // Per tier: the day's clicks, effective impressions, items, and items that passed.
    tier_clicks: Vec<f64>,
    tier_exposure: Vec<f64>,
    occupancy: Vec<usize>,
    /// Items due for a decision per tier (they leave their tier today unless
    /// promoted at the top).
    due_by_tier: Vec<usize>,
    pass_by_tier: Vec<Vec<(f64, usize)>>,

    // Recorded days.
    pub(super) market_days: Vec<MarketDay>,
    pub(super) trajectory: MerchantTrajectory,
    pub(super) metrics: PopulationMetrics,
    pub(super) public_totals: Vec<f64>,
    /// The smallest `giniMax` this run is the same for (see
    /// [`Market::same_run_with_gini_max`](super::Market::same_run_with_gini_max)):
    /// the largest creator Gini of any day so far, before or after the cap,
    /// or +∞ once the cap has bound (a plan applied or a repair made).
    pub(super) free_gini_max: f64,
    plays: Vec<f64>,
    /// Followers at the end of each recorded day (0 before joining).
    followers: Vec<f64>,
    head_keys: Vec<u128>,
}

impl<'a> DayLoop<'a> {
    pub(super) fn new(
        scenario: &'a Scenario,
        population: &'a Population,
        settings: &'a RoundSettings,
        tiers: Tiers,
        seed: u32,
        focus_fitted: Option<FittedState>,
    ) -> Self {
        let params = &scenario.funnel;
        let m = population.len();
        let days = scenario.days as usize;
        let new_days = f64::from(scenario.platform.new_merchant_days);
        let levels = tiers.quotas.len();
        let diligence: Vec<f64> = population.diligence.to_vec();
        let age0 = population.age.to_vec();
        let maybe_new: Vec<usize> = (0..m)
            .filter(|&c| age0[c] + (-WARMUP_DAYS as f64) < new_days)
            .collect();
        let by_diligence: Vec<usize> = {
            let mut keys: Vec<u128> = maybe_new
                .iter()
                .map(|&c| sort::asc_then_index(diligence[c], c as u32))
                .collect();
            sort::sort_wide(&mut keys);
            keys.iter().map(|&k| k as u32 as usize).collect()
        };
        let thresholds = vec![PRIOR_MEAN; levels];
        DayLoop {
            scenario,
            population,
            params: params.clone(),
            settings,
            tiers,
            seed,
            new_days,
            paid_per_yuan: 1000.0 / scenario.platform.ad_cpm,
            focus_fitted,
            rates: (0..m)
                .map(|c| MerchantRates::new(params, &population.traits(c)))
                .collect(),
            saturation: SaturationTable::new(params),
            slots: diligence.iter().map(|&d| population::slots(d)).collect(),
            hours_factor: population
                .live_hours
                .iter()
                .map(|&h| h / LIVE_REFERENCE_HOURS)
                .collect(),
            live: vec![false; m],
            streamers: (1..m).filter(|&c| population.live_every[c] > 0).collect(),
            countdown: (1..m)
                .filter(|&c| population.live_every[c] > 0)
                .map(|c| {
                    let every = i64::from(population.live_every[c]);
                    (i64::from(population.live_phase[c]) + WARMUP_DAYS).rem_euclid(every) as u32
                })
                .collect(),
            diligence,
            age0,
            trust: population.trust.to_vec(),
            ad_spend: population.ad_spend.to_vec(),
            by_diligence,
            states: vec![None; m],
            pop_rng: random::rng_stream(seed, 1),
            init_rng: random::rng_stream(seed, 3),
            focus_rng: random::rng_stream(seed, 2),
            normals: Normals::new(),
            present: vec![false; m],
            is_new: vec![false; m],
            absent: (0..m).collect(),
            maybe_new,
            thresholds,
            fan: vec![0.0; m],
            spend: vec![0.0; m],
            gmv: vec![0.0; m],
            owner: Vec::new(),
            score: Vec::new(),
            tier: Vec::new(),
            used: Vec::new(),
            due: Vec::new(),
            promote: Vec::new(),
            x_all: Vec::new(),
            sat_all: Vec::new(),
            tier_clicks: vec![0.0; levels],
            tier_exposure: vec![0.0; levels],
            occupancy: vec![0; levels],
            due_by_tier: vec![0; levels],
            pass_by_tier: vec![Vec::new(); levels],
            market_days: Vec::with_capacity(days),
            trajectory: MerchantTrajectory::with_days(days),
            metrics: PopulationMetrics {
                gini: Vec::with_capacity(days),
                top10_share: Vec::with_capacity(days),
                bottom50_share: Vec::with_capacity(days),
                long_tail_play_share: Vec::with_capacity(days),
                allocated: Vec::with_capacity(days),
                capped_creators: Vec::with_capacity(days),
                cap_level: Vec::with_capacity(days),
            },
            public_totals: vec![0.0; m],
            free_gini_max: 0.0,
            plays: vec![0.0; m],
            followers: vec![0.0; m],
            head_keys: Vec::new(),
        }
    }

    /// One day (days before 0 are the unrecorded warm-up).
    pub(super) fn day(&mut self, day: i64) -> Result<()> {
        let recording = day >= 0;
        let sc = self.scenario;
        self.join(day, recording);

        // Step 1: scores, focus merchant from its own stream.
        let campaign = recording && sc.events.campaign_days.contains(&(day as u32));
        self.score_items(campaign);
        if self.owner.is_empty() {
            // The focus merchant is on the platform from day 0, so only a
            // warm-up day can be empty: in a small population every other
            // merchant may still be to join. Nothing to allocate that day.
            if recording {
                return Err(Error::Infeasible("no merchant is on the platform".into()));
            }
            return Ok(());
        }

        // Steps 2–5: the allocation round. The merit columns `fan`, `spend`
        // and `gmv` were written after each merchant's funnel yesterday (a
        // merchant that joined today has zeros, as its fresh state).
        let merit = MeritSignals {
            diligence: Some(&self.diligence),
            fan_operation: Some(&self.fan),
            spend: Some(&self.spend),
            gmv: Some(&self.gmv),
        };
        // `allocate_scored` takes the scores by value (and hands them back
        // in `r.score`) and reads no `engagement`: no copy of them.
        let input = RoundInput {
            creators: self.states.len(),
            item_creator: &self.owner,
            engagement: Engagement::Score(&[]),
            value: None,
            tier: Some(&self.tier),
            used: Some(&self.used),
            new_merchant: Some(&self.is_new),
            merit,
        };
        let score = std::mem::take(&mut self.score);
        let mut r = round::allocate_scored(&input, self.settings, score, self.seed);
        // A day's plan is `Unchanged`, whatever the mode, while its Gini
        // before the cap is within `giniMax`, and no repair is made while
        // the integers' Gini is: then any `giniMax` from both on gives it.
        self.free_gini_max = if r.plan.applied == AppliedMode::Unchanged && r.repairs == 0 {
            max_of(self.free_gini_max, max_of(r.gini_before_cap, r.gini))
        } else {
            f64::INFINITY
        };
        // The cold-start pool for replays, from today's merit signals (the
        // funnel below overwrites `fan`, `spend` and `gmv` with tomorrow's).
        let cold = if recording {
            cold_start_day(
                &r,
                &merit,
                &self.is_new,
                &self.by_diligence,
                &self.settings.cold_start,
            )
        } else {
            None
        };
        // What the focus merchant took from the public pool, for replays.
        let (focus_public, focus_active) = if recording {
            self.focus_public(&r)
        } else {
            (0.0, 0.0)
        };

        let focus_mult = if recording && sc.events.big_days.contains(&(day as u32)) {
            sc.events.big_day_multiplier
        } else {
            1.0
        };
        self.funnel(&r, recording, focus_mult);
        let cutoffs = self.promote_and_settle();
        if recording {
            self.record(&r, cold, focus_public, focus_active, cutoffs);
        }
        // Tomorrow's tier thresholds: today's tier means.
        for t in 0..self.thresholds.len() {
            if self.tier_exposure[t] > 0.0 {
                self.thresholds[t] = self.tier_clicks[t] / self.tier_exposure[t];
            }
        }
        // The round handed back the scores: tomorrow's buffer.
        self.score = std::mem::take(&mut r.score);
        Ok(())
    }

    /// Who is on the platform today (the focus merchant joins on day 0), who
    /// is new and who is live. The item columns keep their length and owners
    /// while nobody joins and the same merchants are live.
    #[inline(never)]
    fn join(&mut self, day: i64, recording: bool) {
        let joiners = self.absent.len();
        let (population, rates, new_days) = (self.population, &self.rates, self.new_days);
        let (age0, states, present) = (&self.age0, &mut self.states, &mut self.present);
        let (tiers, init_rng) = (&self.tiers, &mut self.init_rng);
        let focus_fitted = &self.focus_fitted;
        self.absent.retain(|&c| {
            let age = age0[c] + day as f64;
            let joined = if c == 0 { recording } else { age >= 0.0 };
            if joined {
                let t = population.traits(c);
                let mut st =
                    MerchantState::new(&t, &rates[c], population.followers[c], age, new_days);
                if let (0, Some(f)) = (c, focus_fitted) {
                    st = st.with_fitted(f.clone());
                }
                if c != 0 && age >= new_days {
                    // An established merchant's items are part-way through the tiers.
                    let prior = st.items[0];
                    for it in st.items.iter_mut() {
                        *it = tiers.steady_item(
                            (
                                prior.alpha / (prior.alpha + prior.beta),
                                prior.alpha + prior.beta,
                            ),
                            init_rng,
                        );
                    }
                }
                states[c] = Some(st);
                present[c] = true;
            }
            !joined
        });
        let joined_today = self.absent.len() < joiners;
        // Who is live today (the focus merchant by its scenario).
        // Only the merchants who stream are visited: each counts down the
        // days to its next session (no division per merchant and day).
        let mut live_changed = false;
        for (&c, left) in self.streamers.iter().zip(self.countdown.iter_mut()) {
            let live = present[c] && *left == 0;
            *left = if *left == 0 {
                population.live_every[c] - 1
            } else {
                *left - 1
            };
            live_changed |= live != self.live[c];
            self.live[c] = live;
        }
        let focus_live = present[0] && self.scenario.live_day(day as u32);
        live_changed |= focus_live != self.live[0];
        self.live[0] = focus_live;
        // Past the new-merchant window a merchant stays established.
        let is_new = &mut self.is_new;
        self.maybe_new.retain(|&c| {
            let young = age0[c] + (day as f64) < new_days;
            is_new[c] = present[c] && young;
            young
        });
        if joined_today || live_changed {
            self.owner.clear();
            for (c, &k) in self.slots.iter().enumerate() {
                if present[c] {
                    let k = k + usize::from(self.live[c]);
                    self.owner.extend(std::iter::repeat_n(c as u32, k));
                }
            }
            let n = self.owner.len();
            self.score.resize(n, 0.0);
            self.tier.resize(n, 0);
            self.used.resize(n, 0.0);
        }
    }

    /// Each item's Thompson-sampled score times its merchant's value, its
    /// tier, and what its tier's quota has used (the round's room is
    /// quota − used: the paced room passes through it).
    #[inline(never)]
    fn score_items(&mut self, campaign: bool) {
        let sc = self.scenario;
        let (trust_weight, boost) = (sc.platform.trust_weight, sc.events.campaign_boost);
        let tiers = &self.tiers;
        // The stream as a local (kept in registers across the draws; through
        // a field each draw loaded and stored the generator's state): the
        // population's, swapped with the focus merchant's for its items. A
        // `Normals` holds no state (only its tables): one serves both.
        let (mut rng, normals) = (self.pop_rng.clone(), &mut self.normals);
        let mut start = 0;
        for (c, st) in self.states.iter().enumerate() {
            let Some(st) = st else { continue };
            let mut v = st.value(self.trust[c], trust_weight);
            if c == 0 {
                if campaign {
                    v *= boost;
                }
                std::mem::swap(&mut rng, &mut self.focus_rng);
            }
            let rng = &mut rng;
            let end = start + st.items.len();
            let columns = self.score[start..end]
                .iter_mut()
                .zip(&mut self.tier[start..end])
                .zip(&mut self.used[start..end]);
            for (it, ((s, t), u)) in st.items.iter().zip(columns) {
                *s = thompson(rng, normals, it) * v;
                *t = it.tier;
                *u = tiers.quotas[it.tier as usize] - tiers.room(it);
            }
            start = end;
            if self.live[c] {
                // The live room's room scales with the session's length.
                let room = &st.room;
                self.score[start] = thompson(rng, normals, room) * v;
                self.tier[start] = room.tier;
                self.used[start] =
                    tiers.quotas[room.tier as usize] - tiers.room(room) * self.hours_factor[c];
                start += 1;
            }
            if c == 0 {
                std::mem::swap(rng, &mut self.focus_rng);
            }
        }
        self.pop_rng = rng;
    }

    /// The focus merchant's public-pool amount and its unsaturated score.
    fn focus_public(&self, r: &round::RoundResult) -> (f64, f64) {
        let k = self.states[0].as_ref().map_or(0, |s| s.items.len()) + usize::from(self.live[0]);
        let room: Vec<f64> = (0..k)
            .map(|i| self.tiers.quotas[self.tier[i] as usize] - self.used[i])
            .collect();
        let mut x = vec![0.0; k];
        let total = public_part(
            r.public_level,
            &r.score[..k],
            &room,
            self.settings.floored_per_creator,
            self.settings.floor,
            &mut x,
        );
        let active: f64 = (0..k)
            .filter(|&i| x[i] < room[i] * (1.0 - 1e-12))
            .map(|i| r.score[i])
            .sum();
        (total, active)
    }

    /// The funnel for every merchant, and then whether each of its items is
    /// due for a promotion decision and passes the tier's threshold (see
    /// [`DayLoop::promote_and_settle`]); the day's tier statistics.
    #[inline(never)]
    fn funnel(&mut self, r: &round::RoundResult, recording: bool, focus_mult: f64) {
        let (params, tiers) = (&self.params, &self.tiers);
        let n = self.owner.len();
        self.tier_clicks.fill(0.0);
        self.tier_exposure.fill(0.0);
        self.occupancy.fill(0);
        self.due_by_tier.fill(0);
        self.pass_by_tier.iter_mut().for_each(Vec::clear);
        self.due.clear();
        self.due.resize(n, false);
        // Each item's exposure as a float and its saturation factor, for
        // all items at once; merchants take their slices below.
        self.x_all.clear();
        self.x_all.extend(r.item_exposure.iter().map(|&e| e as f64));
        self.sat_all.clear();
        let saturation = &self.saturation;
        self.sat_all
            .extend(r.item_exposure.iter().map(|&e| saturation.at(params, e)));
        // Plain locals for the columns the loop writes (a write through a
        // column could otherwise make the compiler reload the others).
        let (x_all, sat_all) = (&self.x_all[..], &self.sat_all[..]);
        let (tier, due, thresholds) = (&self.tier[..], &mut self.due[..], &self.thresholds[..]);
        let (tier_clicks, tier_exposure, occupancy, due_by_tier, pass_by_tier) = (
            &mut self.tier_clicks[..],
            &mut self.tier_exposure[..],
            &mut self.occupancy[..],
            &mut self.due_by_tier[..],
            &mut self.pass_by_tier[..],
        );
        let (fan, spend, gmv) = (&mut self.fan[..], &mut self.spend[..], &mut self.gmv[..]);
        let (public_totals, plays, followers) = (
            &mut self.public_totals[..],
            &mut self.plays[..],
            &mut self.followers[..],
        );
        let mut start = 0;
        for (c, st) in self.states.iter_mut().enumerate() {
            let Some(st) = st.as_mut() else { continue };
            let end = start + st.items.len();
            let x = &x_all[start..end];
            let ad = self.ad_spend[c];
            let mult = if c == 0 { focus_mult } else { 1.0 };
            let live =
                self.live[c].then(|| LiveSession::new(params, x_all[end], self.hours_factor[c]));
            // Each item's tier statistics as its merchant's funnel updates
            // it (items in index order, as the sums always were); the item's
            // tier is the one it was scored in.
            let item_due = &mut due[start..end];
            let (o, room_clicks) = merchant_day(
                st,
                &self.rates[c],
                params,
                x,
                &sat_all[start..end],
                live,
                ad * self.paid_per_yuan,
                ad,
                mult,
                |k, it, clicks, effective| {
                    let t = it.tier as usize;
                    tier_clicks[t] += clicks;
                    tier_exposure[t] += effective;
                    occupancy[t] += 1;
                    if tiers.due(it) {
                        item_due[k] = true;
                        due_by_tier[t] += 1;
                        let stat = it.alpha / (it.alpha + it.beta);
                        if stat > thresholds[t] {
                            pass_by_tier[t].push((stat, start + k));
                        }
                    }
                },
            );
            fan[c] = st.fan_signal;
            spend[c] = st.spend_total;
            gmv[c] = st.gmv_total;
            let end = if let Some(l) = live {
                // The live room, after the merchant's items.
                let (i, room) = (end, &st.room);
                let t = tier[i] as usize;
                tier_clicks[t] += room_clicks;
                tier_exposure[t] += l.effective;
                occupancy[t] += 1;
                if tiers.due(room) {
                    due[i] = true;
                    due_by_tier[t] += 1;
                    let stat = room.alpha / (room.alpha + room.beta);
                    if stat > thresholds[t] {
                        pass_by_tier[t].push((stat, i));
                    }
                }
                end + 1
            } else {
                end
            };
            if recording {
                public_totals[c] += o.public + o.paid;
                plays[c] = o.public + o.paid + o.private;
                followers[c] = st.followers;
                if c == 0 {
                    self.trajectory
                        .push(&o, st.followers, r.cold_start[0], r.capped[0]);
                }
            }
            start = end;
        }
    }

    /// Promotions and retirements: an item that is due passes when its
    /// posterior mean engagement beats the tier's threshold (the notes'
    /// conservative variant: deterministic, no draw; collected by
    /// [`DayLoop::funnel`]); then per tier (top first, so capacity freed
    /// above is available below) the passing items up to the next tier's
    /// free capacity. The next tier's free capacity counts the slots its
    /// own due items free today (they move up or leave; at the top, those
    /// that pass stay). Returns each tier's cutoff (−∞ when all passed).
    #[inline(never)]
    fn promote_and_settle(&mut self) -> Vec<f64> {
        let tiers = &self.tiers;
        let levels = tiers.quotas.len();
        self.promote.clear();
        self.promote.resize(self.owner.len(), false);
        let mut cutoffs = vec![f64::NEG_INFINITY; levels];
        // Items that stay in each tier today: those not due (and, at the top,
        // the due ones that pass); promotions into a tier add to it below.
        let mut staying: Vec<usize> = (0..levels)
            .map(|t| self.occupancy[t] - self.due_by_tier[t])
            .collect();
        staying[levels - 1] += self.pass_by_tier[levels - 1].len();
        for t in (0..levels).rev() {
            let pass = &mut self.pass_by_tier[t];
            if t + 1 < levels {
                let room = (tiers.capacity[t + 1] - staying[t + 1] as f64).max(0.0) as usize;
                if pass.len() > room {
                    // The `room` best by (stat desc, index): a selection, not a sort
                    // (the set and its last member are the same).
                    if room > 0 {
                        let mut keys: Vec<u128> = pass
                            .iter()
                            .map(|&(stat, i)| sort::desc_then_index(stat, i as u32))
                            .collect();
                        sort::select_wide(&mut keys, room - 1);
                        for (p, &k) in pass.iter_mut().zip(&keys[..room]) {
                            *p = (sort::desc_key_value(k), k as u32 as usize);
                        }
                    }
                    pass.truncate(room);
                    cutoffs[t] = pass.last().map_or(f64::INFINITY, |p| p.0);
                }
                staying[t + 1] += pass.len();
            }
            for &(_, i) in pass.iter() {
                self.promote[i] = true;
            }
        }
        // Items are numbered merchant by merchant, as in the scores; a
        // merchant's prior for new items is the same for all of its slots.
        let mut i = 0;
        for (st, &live) in self.states.iter_mut().zip(&self.live) {
            let Some(st) = st else { continue };
            let prior = st.item_prior();
            for it in st.items.iter_mut() {
                settle(it, tiers, self.due[i], self.promote[i], prior);
                i += 1;
            }
            if live {
                settle_room(&mut st.room, tiers, self.due[i], self.promote[i]);
                i += 1;
            }
        }
        cutoffs
    }

    /// What a recorded day keeps: the market the focus merchant met, for
    /// replays, and the population's metrics.
    #[inline(never)]
    fn record(
        &mut self,
        r: &round::RoundResult,
        cold: Option<ColdStartDay>,
        focus_public: f64,
        focus_active: f64,
        cutoffs: Vec<f64>,
    ) {
        let mut count = 0usize;
        let sum: f64 = (0..self.states.len())
            .filter(|&c| r.in_population[c])
            .inspect(|_| count += 1)
            .map(|c| r.creator_before_cap[c])
            .sum();
        let mean = if count == 0 { 0.0 } else { sum / count as f64 };
        self.market_days.push(MarketDay {
            plan: r.plan.clone(),
            mean,
            public_level: r.public_level,
            others_active_score: (r.public_active_score - focus_active).max(0.0),
            focus_public,
            overflow_level: r.overflow_level,
            cold_start: cold,
            thresholds: self.thresholds.clone(),
            cutoffs,
        });
        let metrics = &mut self.metrics;
        metrics.gini.push(r.gini);
        metrics.top10_share.push(r.top10_share);
        metrics.bottom50_share.push(r.bottom50_share);
        metrics
            .allocated
            .push(r.item_exposure.iter().sum::<u64>() as f64);
        metrics
            .capped_creators
            .push(r.capped.iter().filter(|&&b| b).count() as f64);
        metrics.cap_level.push(r.plan.tau);
        metrics.long_tail_play_share.push(long_tail_share(
            &self.plays,
            &self.followers,
            &mut self.head_keys,
        ));
    }
}

/// Share of plays going to merchants outside the top 1% by followers.
/// `keys` is scratch. The head is selected on (followers descending, index)
/// keys: the selection makes the same comparisons as one on the indices with
/// that comparator, so it leaves the head in the same order, and the head's
/// plays are summed in that order.
fn long_tail_share(plays: &[f64], followers: &[f64], keys: &mut Vec<u128>) -> f64 {
    let m = plays.len();
    let head = ((m as f64 * HEAD_SHARE).ceil() as usize).clamp(1, m);
    keys.clear();
    keys.extend(
        followers
            .iter()
            .enumerate()
            .map(|(c, &f)| sort::desc_then_index(f, c as u32)),
    );
    sort::select_wide(keys, head - 1);
    let total: f64 = plays.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let head_plays: f64 = keys[..head].iter().map(|&k| plays[k as u32 as usize]).sum();
    1.0 - head_plays / total
}
