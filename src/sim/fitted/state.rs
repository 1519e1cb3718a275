//! The fitted process day by day in a run or a replay: the lever factors
//! relative to the baseline, the new customers' cohorts and the state
//! carried from day to day.

use std::sync::Arc;

use super::curves::*;
use crate::funnel::{FunnelParams, Traits};
#[cfg(feature = "myshop")]
use crate::repurchase::Model;
#[cfg(feature = "myshop")]
use crate::repurchase::ParetoParams;
use crate::sim::merchant::LIVE_REFERENCE_HOURS;
use crate::sim::scenario::MerchantSettings;
#[cfg(feature = "myshop")]
use crate::stats::max_of;
use crate::stats::{clamp, min_of};

/// A cohort of new customers: its size, where the process's clock `U` stood
/// when it joined, and its curve value yesterday.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    n: f64,
    start: f64,
    prev: f64,
}

/// One day of the fitted process.
#[derive(Debug, Clone, Copy)]
pub(in crate::sim) struct FittedDay {
    pub(in crate::sim) repurchases: f64,
    /// Of which by the customers given.
    pub(in crate::sim) existing: f64,
    /// Their value, yuan (`None`: worth the price).
    pub(in crate::sim) value: Option<f64>,
    /// The day's factor on the purchase rate (big day, live session),
    /// relative to the fitted baseline.
    pub(in crate::sim) factor: f64,
}

/// The fitted process in a run or a replay: the curves, the lever factors
/// relative to the baseline, and the state carried from day to day.
#[cfg(feature = "myshop")]
#[derive(Debug, Clone)]
pub(in crate::sim) struct FittedState {
    curves: Arc<FittedCurves>,
    /// Purchase-rate factor `h` and dropout factor `d` (module docs).
    hazard_factor: f64,
    dropout_factor: f64,
    /// price / baseline price.
    value_scale: f64,
    /// The live-day lift and the baseline's reach and share of live days.
    live_lift: f64,
    reach0: f64,
    share0: f64,
    /// The process's clock `U`: days of the baseline process so far.
    clock: f64,
    prev_existing: f64,
    prev_existing_value: f64,
    cohorts: Vec<Cohort>,
    alive_existing: f64,
    alive_new: f64,
}

/// `a / b` for the lever factors: 1 when both are 0, `MAX_FACTOR` when only
/// the baseline is, within `[lo, MAX_FACTOR]`.
fn factor(a: f64, b: f64, lo: f64) -> f64 {
    let r = if b > 0.0 {
        a / b
    } else if a > 0.0 {
        MAX_FACTOR
    } else {
        1.0
    };
    if r.is_nan() {
        1.0
    } else {
        clamp(r, lo, MAX_FACTOR)
    }
}

fn traits(m: &MerchantSettings) -> Traits {
    Traits {
        quality: m.content_quality,
        follow_rate: m.follow_rate,
        price: m.price,
        trust: m.trust,
        diligence: m.diligence,
    }
}

/// The live room's reach on the follow page in a session of merchant `m`
/// (as `merchant_day` computes it).
pub(in crate::sim) fn live_reach(params: &FunnelParams, m: &MerchantSettings) -> f64 {
    let base = min_of(params.live_reach * (0.5 + 0.5 * m.diligence), 1.0);
    min_of(base * (m.live_hours / LIVE_REFERENCE_HOURS), 1.0)
}

#[cfg(feature = "myshop")]
impl FittedState {
    /// The process for a merchant with settings `current`, the curves fitted
    /// at `baseline`.
    pub(in crate::sim) fn new(
        curves: Arc<FittedCurves>,
        baseline: &MerchantSettings,
        current: &MerchantSettings,
        params: &FunnelParams,
    ) -> FittedState {
        let (t0, t1) = (traits(baseline), traits(current));
        let hazard_factor = factor(params.mean_hazard(&t1), params.mean_hazard(&t0), 0.0);
        let dropout_factor = factor(
            params.dropout(t1.trust),
            params.dropout(t0.trust),
            1.0 / MAX_FACTOR,
        );
        let alive0 = curves.alive0;
        FittedState {
            curves,
            hazard_factor,
            dropout_factor,
            value_scale: factor(current.price, baseline.price, 0.0),
            live_lift: params.live_repurchase_lift,
            reach0: live_reach(params, baseline),
            share0: if baseline.live_every_days > 0 {
                1.0 / f64::from(baseline.live_every_days)
            } else {
                0.0
            },
            clock: 0.0,
            prev_existing: 0.0,
            prev_existing_value: 0.0,
            cohorts: Vec::new(),
            alive_existing: alive0,
            alive_new: 0.0,
        }
    }

    /// Expected alive customers.
    pub(in crate::sim) fn alive_total(&self) -> f64 {
        self.alive_existing + self.alive_new
    }

    /// Expected alive customers at day 0 (the customers given).
    pub(in crate::sim) fn alive_at_start(&self) -> f64 {
        self.curves.alive0
    }

    /// Share of new customers alive after their first purchase.
    pub(in crate::sim) fn first_survival(&self) -> f64 {
        self.curves.first_survival
    }

    /// The day's factor on the purchase rate: the big-day multiplier times
    /// the live room's lift `1 + lift·reach·φ`, over the baseline's average
    /// lift `1 + lift·reach₀·φ·share₀`.
    fn day_factor(&self, order_multiplier: f64, reach: f64, phi: f64) -> f64 {
        let lift = 1.0 + self.live_lift * reach * phi;
        let norm = 1.0 + self.live_lift * self.reach0 * phi * self.share0;
        order_multiplier * lift / norm
    }

    /// One day: the repeat purchases of the customers given and of the new
    /// customers so far, on a day with the big-day multiplier
    /// `order_multiplier`, a live room reaching a share `reach` of followers
    /// (0 without a session) and a share `phi` of alive customers who follow.
    pub(in crate::sim) fn day(&mut self, order_multiplier: f64, reach: f64, phi: f64) -> FittedDay {
        let c = Arc::clone(&self.curves);
        let (h, d) = (self.hazard_factor, self.dropout_factor);
        let factor = self.day_factor(order_multiplier, reach, phi);
        let speed = sane(h * factor, f64::MAX);
        let clock = sane(self.clock + speed, f64::MAX);
        let existing_now = c.existing.eval(d * clock) / d;
        let existing = max_of(existing_now - self.prev_existing, 0.0);
        self.prev_existing = max_of(existing_now, self.prev_existing);
        let mut new = 0.0;
        for co in self.cohorts.iter_mut() {
            let now = c.new.eval(d * (clock - co.start)) / d;
            new += co.n * max_of(now - co.prev, 0.0);
            co.prev = max_of(now, co.prev);
        }
        self.clock = clock;
        let worth = |w: Worth, purchases: f64| match w {
            Worth::Price => None,
            Worth::Yuan(y) => Some(purchases * y),
        };
        let existing_value = match &c.existing_value {
            Some(curve) => {
                let now = curve.eval(d * clock) / d;
                let v = max_of(now - self.prev_existing_value, 0.0);
                self.prev_existing_value = max_of(now, self.prev_existing_value);
                Some(v)
            }
            None => worth(c.existing_worth, existing),
        };
        let value = match (existing_value, worth(c.new_worth, new)) {
            (Some(a), Some(b)) => Some((a + b) * self.value_scale),
            _ => None,
        };
        // Alive customers, by the model's mean dropout.
        if c.per_purchase {
            self.alive_existing =
                max_of(self.alive_existing - d * c.dropout_existing * existing, 0.0);
            self.alive_new = max_of(self.alive_new - d * c.dropout_new * new, 0.0);
        } else {
            self.alive_existing *= libm::exp(-d * speed * c.dropout_existing);
            self.alive_new *= libm::exp(-d * speed * c.dropout_new);
        }
        FittedDay {
            repurchases: existing + new,
            existing,
            value,
            factor,
        }
    }

    /// Adds `n` first-time buyers of today (they buy again from tomorrow).
    pub(in crate::sim) fn acquire(&mut self, n: f64) {
        if n > 0.0 && n.is_finite() {
            self.cohorts.push(Cohort {
                n,
                start: self.clock,
                prev: 0.0,
            });
            self.alive_new += n * self.curves.first_survival;
        }
    }

    /// The model a new customer follows under the lever factors, for
    /// probabilities of a first repeat purchase read at the process's clock:
    /// BG/NBD and MBG/NBD as fitted (their dropout comes after purchases),
    /// Pareto/NBD with its dropout rate scaled by `d` (β/d).
    fn scaled_model(&self) -> Model {
        match self.curves.model {
            Model::ParetoNbd(p) => Model::ParetoNbd(ParetoParams {
                beta: p.beta / self.dropout_factor,
                ..p
            }),
            m => m,
        }
    }

    /// P(a new customer buys again within `clock` days of the process's clock).
    fn repurchase_within(&self, model: &Model, clock: f64) -> f64 {
        sane(
            model.repurchase_one(clock / self.curves.unit, 0.0, 0.0, 0.0),
            1.0,
        )
    }

    /// A new customer's chance to buy again within `days` days on average
    /// days (factor 1) with the merchant's levers.
    pub(in crate::sim) fn chance(&self, days: f64) -> f64 {
        let m = self.scaled_model();
        self.repurchase_within(&m, sane(self.hazard_factor * days, f64::MAX))
    }

    /// The backend's cohort repurchase rate for a window of `window` days
    /// (as `funnel::cohort_repurchase_rate` for the platform model): of the
    /// first-time buyers of each day (`first`) whose first order was at
    /// least `window` days before the end, the share who bought again within
    /// `window` days, days weighted by their day factors (`factors`; past the
    /// end, factor 1).
    pub(in crate::sim) fn cohort_rate(&self, first: &[f64], factors: &[f64], window: usize) -> f64 {
        let days = first.len();
        let h = self.hazard_factor;
        let mut prefix = vec![0.0; days + window + 2];
        for d in 0..days + window + 1 {
            let f = factors.get(d).copied().unwrap_or(1.0);
            prefix[d + 1] = prefix[d] + sane(h * f, MAX_FACTOR * MAX_FACTOR);
        }
        let m = self.scaled_model();
        let average = |cohorts: std::ops::Range<usize>| -> Option<f64> {
            let (mut n, mut sum) = (0.0, 0.0);
            for t in cohorts {
                if first[t] > 0.0 {
                    n += first[t];
                    // Repurchase days t+1 ..= t+window.
                    let clock = prefix[t + window + 1] - prefix[t + 1];
                    sum += first[t] * self.repurchase_within(&m, clock);
                }
            }
            (n > 0.0).then(|| sum / n)
        };
        let complete = days.saturating_sub(window);
        average(0..complete)
            .or_else(|| average(0..days))
            .unwrap_or(0.0)
    }
}

/// See the `myshop` off [`FittedCurves`].
#[cfg(not(feature = "myshop"))]
#[derive(Debug, Clone)]
pub(in crate::sim) enum FittedState {}

#[cfg(not(feature = "myshop"))]
impl FittedState {
    pub(in crate::sim) fn new(
        curves: Arc<FittedCurves>,
        _baseline: &MerchantSettings,
        _current: &MerchantSettings,
        _params: &FunnelParams,
    ) -> FittedState {
        match *curves {}
    }
    pub(in crate::sim) fn alive_total(&self) -> f64 {
        match *self {}
    }
    pub(in crate::sim) fn alive_at_start(&self) -> f64 {
        match *self {}
    }
    pub(in crate::sim) fn first_survival(&self) -> f64 {
        match *self {}
    }
    pub(in crate::sim) fn day(
        &mut self,
        _order_multiplier: f64,
        _reach: f64,
        _phi: f64,
    ) -> FittedDay {
        match *self {}
    }
    pub(in crate::sim) fn acquire(&mut self, _n: f64) {
        match *self {}
    }
    pub(in crate::sim) fn chance(&self, _days: f64) -> f64 {
        match *self {}
    }
    pub(in crate::sim) fn cohort_rate(
        &self,
        _first: &[f64],
        _factors: &[f64],
        _window: usize,
    ) -> f64 {
        match *self {}
    }
}
