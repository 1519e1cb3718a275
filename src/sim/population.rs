//! The population of merchants a scenario draws: heavy-tailed followers and
//! prices, Beta-distributed quality and trust, a share of new merchants.
//! Merchant 0 is the focus merchant the user controls.

use ndarray::Array1;

use super::scenario::{MerchantSettings, Scenario};
use crate::funnel;
use crate::stats::random::{self, Normals, Rng};

/// Static traits of every merchant, one column each (index 0 = focus merchant).
#[derive(Debug, Clone)]
pub(super) struct Population {
    /// Content quality, 0–1.
    pub quality: Array1<f64>,
    /// Follow rate of clickers, 0–1.
    pub follow_rate: Array1<f64>,
    /// Order value, yuan.
    pub price: Array1<f64>,
    /// Trust, 0–1.
    pub trust: Array1<f64>,
    /// Diligence, 0–1.
    pub diligence: Array1<f64>,
    /// Followers on day 0.
    pub followers: Array1<f64>,
    /// Ad spend per day, yuan.
    pub ad_spend: Array1<f64>,
    /// Age on day 0, days (negative: joins the platform later).
    pub age: Array1<f64>,
    /// Days between live sessions (0: never streams).
    pub live_every: Vec<u32>,
    /// The merchant streams on the days `d` with `(d − phase) mod every = 0`
    /// (the focus merchant: from its start day on).
    pub live_phase: Vec<u32>,
    /// Session length, hours.
    pub live_hours: Vec<f64>,
}

/// Content slots (items live at once) of a merchant with this diligence:
/// 1 below 0.5, 2 from 0.5, 3 from 0.9.
pub(super) fn slots(diligence: f64) -> usize {
    1 + usize::from(diligence >= 0.5) + usize::from(diligence >= 0.9)
}

fn beta_mean(rng: &mut Rng, normals: &mut Normals, mean: f64, concentration: f64) -> f64 {
    let b = random::beta(
        rng,
        normals,
        mean * concentration,
        (1.0 - mean) * concentration,
    );
    if b.is_finite() {
        b
    } else {
        mean
    }
}

impl Population {
    /// Draws the population of `scenario` (validated) from `rng`, with the
    /// focus merchant's settings at index 0.
    pub(super) fn draw(scenario: &Scenario, rng: &mut Rng) -> Population {
        let p = &scenario.population;
        let m = p.merchants as usize;
        let new_days = f64::from(scenario.platform.new_merchant_days.max(1));
        let mut normals = Normals::new();
        let mut quality = Array1::zeros(m);
        let mut follow_rate = Array1::zeros(m);
        let mut price = Array1::zeros(m);
        let mut trust = Array1::zeros(m);
        let mut diligence = Array1::zeros(m);
        let mut followers = Array1::zeros(m);
        let mut ad_spend = Array1::zeros(m);
        let mut age = Array1::zeros(m);
        let mut live_every = vec![0u32; m];
        let mut live_phase = vec![0u32; m];
        let spend_share = 0.2;
        for c in 0..m {
            quality[c] = beta_mean(rng, &mut normals, p.quality_mean, p.quality_concentration);
            trust[c] = beta_mean(rng, &mut normals, p.trust_mean, 6.0);
            diligence[c] = random::uniform(rng);
            follow_rate[c] =
                (p.follow_rate_mean * libm::exp(0.5 * normals.next(rng) - 0.125)).min(0.5);
            price[c] = p.price_median * libm::exp(p.price_sigma * normals.next(rng));
            followers[c] =
                (p.followers_median * libm::exp(p.followers_sigma * normals.next(rng))).floor();
            let spends = random::uniform(rng) < spend_share;
            let draw = -libm::log(random::uniform_open(rng)) * p.ad_spend_mean / spend_share;
            ad_spend[c] = if spends { draw } else { 0.0 };
            let u = random::uniform(rng);
            age[c] = if u < p.new_share {
                // New merchants joined within the new-merchant window, some still to join.
                new_days * (u / p.new_share) * 2.0 - new_days
            } else {
                new_days + 1000.0 * random::uniform(rng)
            };
            if p.new_share >= 1.0 || age[c] < 0.0 {
                followers[c] = 0.0;
            }
            // Who streams, and on which days of the cadence.
            let u = random::uniform(rng);
            if u < p.live_share {
                live_every[c] = p.live_every_days;
                live_phase[c] = ((u / p.live_share) * f64::from(p.live_every_days)) as u32
                    % p.live_every_days.max(1);
            }
        }
        let mut pop = Population {
            quality,
            follow_rate,
            price,
            trust,
            diligence,
            followers,
            ad_spend,
            age,
            live_every,
            live_phase,
            live_hours: vec![p.live_hours; m],
        };
        pop.set_focus(&scenario.merchant);
        pop
    }

    /// Replaces the focus merchant's traits.
    pub(super) fn set_focus(&mut self, m: &MerchantSettings) {
        self.quality[0] = m.content_quality;
        self.follow_rate[0] = m.follow_rate;
        self.price[0] = m.price;
        self.trust[0] = m.trust;
        self.diligence[0] = m.diligence;
        self.followers[0] = m.followers;
        self.ad_spend[0] = m.ad_spend;
        self.age[0] = m.age_days;
        self.live_every[0] = m.live_every_days;
        self.live_phase[0] = m.live_start_day;
        self.live_hours[0] = m.live_hours;
    }

    /// Number of merchants.
    pub(super) fn len(&self) -> usize {
        self.quality.len()
    }

    /// Merchant `c`'s funnel traits.
    pub(super) fn traits(&self, c: usize) -> funnel::Traits {
        funnel::Traits {
            quality: self.quality[c],
            follow_rate: self.follow_rate[c],
            price: self.price[c],
            trust: self.trust[c],
            diligence: self.diligence[c],
        }
    }
}
