//! The focus merchant's settings from the numbers its shop backend shows
//! (issue 15 §3): daily discovery exposure, click-through rate, conversion
//! (orders per click), followers and average order value
//! ([`BackendNumbers`]), by inverting the funnel
//! ([`Market::merchant_from_backend`]); [`Market::backend_numbers`] is the
//! forward direction, the numbers a merchant's settings give.
//!
//! Which number sets which setting, and how:
//! * **average order value → `price`** and **followers → `followers`**:
//!   read directly (the model's order value and its followers at day 0).
//! * **click-through rate → `contentQuality`**, through the click-through
//!   mapping `ctr = ctrMin + (ctrMax − ctrMin)·quality`. The number is read as
//!   the model's click-through: a typical video's clicks per impression
//!   before the diminishing returns of wide exposure (`itemSaturation`,
//!   30,000 impressions a video and day). A backend's rate for a video shown
//!   far more widely is lower than its content's; give a typical video's.
//! * **conversion → `trust`**, through orders per short-video click
//!   `orderRate·(1 + trustWeight·(2·trust − 1))·(referencePrice/price)^priceElasticity`
//!   at the merchant's price (so the price is set first).
//! * **daily discovery exposure → `adSpend`**. In the model a merchant's
//!   organic discovery exposure is an outcome of the allocation, given its
//!   content, trust and diligence (which the numbers above and its other
//!   settings set) and the market; the exposure a backend shows beyond it is
//!   bought. So the ad spend is the one at which the market's replay of the
//!   merchant shows the backend's exposure over the run's first
//!   [`BACKEND_WINDOW_DAYS`] days (a backend's "last 7 days", the merchant as
//!   it is now); paid exposure only adds, so the replay's exposure rises with
//!   it and bisection finds it. Why not a starting tier: the pools' levels are
//!   learned from engagement within days of a run, so a starting level would
//!   move only the first days; why not diligence: it moves only between one
//!   and three videos and sets the follow page's reach as well.
//!
//! A number outside what its setting's range can show is reported in
//! [`BackendFit::unmatched`] with the closest the model shows and why, and
//! the setting is left at the end of its range (a click-through above
//! `ctrMax` leaves content quality at 1; an exposure the merchant gets
//! without ads leaves the ad spend at 0).

use serde::{Deserialize, Serialize};

use super::market::Market;
use super::scenario::MerchantSettings;
use crate::funnel::FunnelParams;
use crate::stats::clamp;
use crate::text::num;
use crate::validate;
use crate::Result;

/// Days the exposure is read over (a backend's "last 7 days").
///
/// ```
/// # use shijing::sim::{backend::BACKEND_WINDOW_DAYS, Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// let m = &scenario.merchant;
/// // The mean of the replay's first BACKEND_WINDOW_DAYS days of discovery exposure.
/// let replay = market.run_merchant(m).unwrap();
/// let first: f64 = replay.public_exposure.iter().take(BACKEND_WINDOW_DAYS).sum();
/// let n = market.backend_numbers(m).unwrap();
/// assert_eq!(n.daily_exposure, Some(first / BACKEND_WINDOW_DAYS as f64));
/// ```
pub const BACKEND_WINDOW_DAYS: usize = 7;
/// Most ad spend the inversion sets, yuan a day (the setting's own bound).
pub(crate) const MAX_AD_SPEND: f64 = 1e9;
/// Halvings of the ad-spend bracket at most (it shrinks to 1e-12 of its width).
const MAX_HALVINGS: usize = 60;

/// Numbers a merchant reads off its shop backend; each is optional.
///
/// ```
/// # use shijing::sim::BackendNumbers;
/// // A shop's backend shows a 5% click-through and ¥128 an order; the other
/// // numbers are not given (and set nothing).
/// let n = BackendNumbers { ctr: Some(0.05), average_order_value: Some(128.0), ..Default::default() };
/// assert!(n.validate().is_ok());
/// assert_eq!(n.followers, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendNumbers {
    /// Discovery-page exposures a day (short videos and the live room, paid
    /// ones included), 0–1e13.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_exposure: Option<f64>,
    /// Click-through rate of a typical short video: clicks per exposure, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctr: Option<f64>,
    /// Conversion: orders per short-video click, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_rate: Option<f64>,
    /// Followers now, 0–1e10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<f64>,
    /// Average order value, yuan (0.01–1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_order_value: Option<f64>,
}

impl BackendNumbers {
    /// Checks every number given; messages name them as `numbers.ctr`.
    ///
    /// ```
    /// # use shijing::sim::BackendNumbers;
    /// assert!(BackendNumbers::default().validate().is_ok()); // none given
    /// let n = BackendNumbers { ctr: Some(1.5), ..Default::default() };
    /// assert_eq!(n.validate().unwrap_err().message(), "numbers.ctr must be in [0, 1], got 1.5");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let checks: [(&str, Option<f64>, f64, f64); 5] = [
            ("dailyExposure", self.daily_exposure, 0.0, 1e13),
            ("ctr", self.ctr, 0.0, 1.0),
            ("orderRate", self.order_rate, 0.0, 1.0),
            ("followers", self.followers, 0.0, 1e10),
            ("averageOrderValue", self.average_order_value, 0.01, 1e6),
        ];
        for (name, v, lo, hi) in checks {
            if let Some(v) = v {
                validate::in_closed(&format!("numbers.{name}"), v, lo, hi)?;
            }
        }
        Ok(())
    }
}

/// A setting a number set.
///
/// ```
/// # use shijing::sim::{BackendNumbers, KnobSet, Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// // Followers are read directly: the number sets the setting of that name.
/// let numbers = BackendNumbers { followers: Some(1500.0), ..Default::default() };
/// let fit = market.merchant_from_backend(&scenario.merchant, &numbers).unwrap();
/// assert_eq!(fit.set, vec![KnobSet { number: "followers", setting: "followers", value: 1500.0 }]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KnobSet {
    /// The number (`dailyExposure`, `ctr`, `orderRate`, `followers`,
    /// `averageOrderValue`).
    pub number: &'static str,
    /// The setting it set (`adSpend`, `contentQuality`, `trust`, `followers`, `price`).
    pub setting: &'static str,
    /// The setting's value.
    pub value: f64,
}

/// A number the model cannot show at any value of its setting.
///
/// ```
/// # use shijing::sim::{BackendNumbers, Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// // A click-through above what the best content shows (`ctrMax`): content
/// // quality stays at 1, and the number is reported with the closest shown.
/// let numbers = BackendNumbers { ctr: Some(0.9), ..Default::default() };
/// let fit = market.merchant_from_backend(&scenario.merchant, &numbers).unwrap();
/// let u = &fit.unmatched[0];
/// assert_eq!((u.number, u.side, u.target), ("ctr", "above", 0.9));
/// assert_eq!(u.closest, scenario.funnel.ctr(1.0));
/// assert_eq!(fit.merchant.content_quality, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unmatched {
    /// The number.
    pub number: &'static str,
    /// `"above"` (more than the setting's top shows) or `"below"`.
    pub side: &'static str,
    /// The backend's value.
    pub target: f64,
    /// The closest the model shows (at the end of the setting's range).
    pub closest: f64,
    /// Why, in words.
    pub reason: String,
}

/// Settings from backend numbers.
///
/// ```
/// # use shijing::sim::{BackendNumbers, Market, Scenario};
/// let mut scenario = Scenario::default();
/// scenario.population.merchants = 200;
/// scenario.days = 10;
/// let market = Market::run(&scenario).unwrap();
/// let numbers = BackendNumbers { followers: Some(1500.0), average_order_value: Some(99.0), ..Default::default() };
/// let fit = market.merchant_from_backend(&scenario.merchant, &numbers).unwrap();
/// // The merchant shows the numbers it was fitted to, and nothing was out of reach.
/// assert_eq!((fit.merchant.followers, fit.merchant.price), (1500.0, 99.0));
/// assert_eq!(fit.achieved.followers, Some(1500.0));
/// assert_eq!(fit.achieved.average_order_value, Some(99.0));
/// assert!(fit.unmatched.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendFit {
    /// The merchant with the settings the numbers set (the others as given).
    pub merchant: MerchantSettings,
    /// Which setting each number set, in the order of [`BackendNumbers`]'s fields.
    pub set: Vec<KnobSet>,
    /// The numbers no value of their setting shows.
    pub unmatched: Vec<Unmatched>,
    /// The numbers `merchant` shows ([`Market::backend_numbers`]).
    pub achieved: BackendNumbers,
}

/// Where a number the model cannot show falls, with the closest it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Above(f64),
    Below(f64),
}

/// `x` within `[0, 1]`, with the side it fell off at and the number `shown`
/// at that end.
fn within_unit(x: f64, shown: impl Fn(f64) -> f64) -> (f64, Option<Side>) {
    if x > 1.0 {
        (1.0, Some(Side::Above(shown(1.0))))
    } else if x < 0.0 {
        (0.0, Some(Side::Below(shown(0.0))))
    } else {
        (x, None)
    }
}

impl Market {
    /// The numbers a merchant's backend shows in the model, as
    /// [`Market::merchant_from_backend`] reads them: the mean daily discovery
    /// exposure of the market's replay of `merchant` over its first
    /// [`BACKEND_WINDOW_DAYS`] days (paid included), its click-through
    /// (`ctrMin`–`ctrMax` by content quality) and orders per short-video
    /// click at its trust and price, its followers and its price.
    ///
    /// ```
    /// # use shijing::sim::{Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 200;
    /// scenario.days = 10;
    /// let market = Market::run(&scenario).unwrap();
    /// let m = &scenario.merchant;
    /// let n = market.backend_numbers(m).unwrap();
    /// assert_eq!(n.ctr, Some(scenario.funnel.ctr(m.content_quality)));
    /// assert_eq!(n.order_rate, Some(scenario.funnel.order_rate_at(m.trust, m.price)));
    /// assert_eq!((n.followers, n.average_order_value), (Some(m.followers), Some(m.price)));
    /// assert!(n.daily_exposure.unwrap() > 0.0);
    /// ```
    pub fn backend_numbers(&self, merchant: &MerchantSettings) -> Result<BackendNumbers> {
        merchant.validate("merchant.")?;
        let curves = self.curves_for(merchant)?;
        let exposure = self.window_exposure(merchant, curves.as_ref());
        Ok(numbers_at(&self.scenario.funnel, merchant, exposure))
    }

    /// Mean daily discovery exposure of the replay over the backend window.
    fn window_exposure(
        &self,
        m: &MerchantSettings,
        curves: Option<&std::sync::Arc<super::fitted::FittedCurves>>,
    ) -> f64 {
        let t = self.replay(m, curves);
        let w = BACKEND_WINDOW_DAYS.min(t.public_exposure.len()).max(1);
        t.public_exposure.iter().take(w).sum::<f64>() / w as f64
    }

    /// The focus merchant's settings from its backend numbers: `base` (e.g.
    /// the scenario's merchant, with its fitted repurchase process) with
    /// `price`, `followers`, `contentQuality`, `trust` and `adSpend` set by
    /// the numbers given (see the module docs for how each is read).
    ///
    /// ```
    /// # use shijing::sim::{BackendNumbers, Market, Scenario};
    /// let mut scenario = Scenario::default();
    /// scenario.population.merchants = 500; // the default is 10,000
    /// scenario.days = 30;
    /// let market = Market::run(&scenario).unwrap();
    /// let numbers = BackendNumbers { ctr: Some(0.05), average_order_value: Some(128.0), ..Default::default() };
    /// let fit = market.merchant_from_backend(&scenario.merchant, &numbers).unwrap();
    /// assert_eq!(fit.merchant.price, 128.0);
    /// assert!((fit.achieved.ctr.unwrap() - 0.05).abs() < 1e-9);
    /// assert!(fit.set.iter().any(|k| k.number == "ctr" && k.setting == "contentQuality"));
    /// ```
    pub fn merchant_from_backend(
        &self,
        base: &MerchantSettings,
        numbers: &BackendNumbers,
    ) -> Result<BackendFit> {
        base.validate("merchant.")?;
        numbers.validate()?;
        let params = &self.scenario.funnel;
        let mut m = base.clone();
        if let Some(v) = numbers.average_order_value {
            m.price = v;
        }
        if let Some(v) = numbers.followers {
            m.followers = v;
        }
        let mut unmatched = Vec::new();
        if let Some(ctr) = numbers.ctr {
            let q = params.quality_for_ctr(ctr);
            let (q, side) = if q.is_nan() {
                // ctrMin = ctrMax: every quality shows the same rate.
                let c = params.ctr_min;
                let side = if ctr > c {
                    Some(Side::Above(c))
                } else if ctr < c {
                    Some(Side::Below(c))
                } else {
                    None
                };
                (m.content_quality, side)
            } else {
                within_unit(q, |q| params.ctr(q))
            };
            m.content_quality = q;
            if let Some(side) = side {
                unmatched.push(unmatched_number(&m, "ctr", ctr, side));
            }
        }
        if let Some(rate) = numbers.order_rate {
            let t = params.trust_for_order_rate(rate, m.price);
            let at = |t: f64| params.order_rate_at(t, m.price);
            let (t, side) = if t.is_nan() {
                let r = at(m.trust);
                let side = if rate > r {
                    Some(Side::Above(r))
                } else if rate < r {
                    Some(Side::Below(r))
                } else {
                    None
                };
                (m.trust, side)
            } else {
                within_unit(t, at)
            };
            m.trust = t;
            if let Some(side) = side {
                unmatched.push(unmatched_number(&m, "orderRate", rate, side));
            }
        }
        let curves = self.curves_for(&m)?;
        if let Some(e) = numbers.daily_exposure {
            let cpm = self.scenario.platform.ad_cpm;
            // Paid exposure alone shows the target at this spend.
            let hi = clamp(e * cpm / 1000.0, 0.0, MAX_AD_SPEND);
            let mut exposure_at = |s: f64| {
                m.ad_spend = s;
                self.window_exposure(&m, curves.as_ref())
            };
            // Both finite: the target is validated, a replay's exposure is finite.
            let f_lo = exposure_at(0.0);
            let f_hi = if e > f_lo { exposure_at(hi) } else { f_lo };
            let (s, side) = if e <= f_lo {
                let side = (e < f_lo * (1.0 - 1e-9)).then_some(Side::Below(f_lo));
                (0.0, side)
            } else if e >= f_hi {
                let side = (e > f_hi * (1.0 + 1e-9)).then_some(Side::Above(f_hi));
                (hi, side)
            } else {
                let (mut a, mut b) = (0.0, hi);
                for _ in 0..MAX_HALVINGS {
                    if b - a <= 1e-12 * hi {
                        break;
                    }
                    let mid = 0.5 * (a + b);
                    if exposure_at(mid) < e {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                (0.5 * (a + b), None)
            };
            m.ad_spend = s;
            if let Some(side) = side {
                unmatched.insert(0, unmatched_number(&m, "dailyExposure", e, side));
            }
        }
        let mut set = Vec::new();
        for (number, setting, given, value) in [
            (
                "dailyExposure",
                "adSpend",
                numbers.daily_exposure.is_some(),
                m.ad_spend,
            ),
            (
                "ctr",
                "contentQuality",
                numbers.ctr.is_some(),
                m.content_quality,
            ),
            ("orderRate", "trust", numbers.order_rate.is_some(), m.trust),
            (
                "followers",
                "followers",
                numbers.followers.is_some(),
                m.followers,
            ),
            (
                "averageOrderValue",
                "price",
                numbers.average_order_value.is_some(),
                m.price,
            ),
        ] {
            if given {
                set.push(KnobSet {
                    number,
                    setting,
                    value,
                });
            }
        }
        let exposure = self.window_exposure(&m, curves.as_ref());
        let achieved = numbers_at(params, &m, exposure);
        Ok(BackendFit {
            merchant: m,
            set,
            unmatched,
            achieved,
        })
    }
}

/// The numbers of merchant `m` with daily discovery exposure `exposure`.
fn numbers_at(params: &FunnelParams, m: &MerchantSettings, exposure: f64) -> BackendNumbers {
    BackendNumbers {
        daily_exposure: Some(exposure),
        ctr: Some(params.ctr(m.content_quality)),
        order_rate: Some(params.order_rate_at(m.trust, m.price)),
        followers: Some(m.followers),
        average_order_value: Some(m.price),
    }
}

/// The report of a number no value of its setting shows.
fn unmatched_number(
    m: &MerchantSettings,
    number: &'static str,
    target: f64,
    side: Side,
) -> Unmatched {
    let (above, closest) = match side {
        Side::Above(c) => (true, c),
        Side::Below(c) => (false, c),
    };
    let (t, c) = (num(target), num(closest));
    let reason = match (number, above) {
        ("ctr", true) => format!(
            "ctr {t} is above the model's highest click-through, funnel.ctrMax = {c} (content quality 1)"
        ),
        ("ctr", false) => format!(
            "ctr {t} is below the model's lowest click-through, funnel.ctrMin = {c} (content quality 0)"
        ),
        ("orderRate", true) => format!(
            "orderRate {t} is above the model's highest conversion at price {}: {c} at trust 1",
            num(m.price)
        ),
        ("orderRate", false) => format!(
            "orderRate {t} is below the model's lowest conversion at price {}: {c} at trust 0",
            num(m.price)
        ),
        (_, true) => format!(
            "dailyExposure {t} is above what an ad spend of {} yuan a day buys this merchant: {c}",
            num(m.ad_spend)
        ),
        (_, false) => format!(
            "dailyExposure {t} is below what the market gives this merchant without ads: {c} a day (adSpend is 0)"
        ),
    };
    Unmatched {
        number,
        side: if above { "above" } else { "below" },
        target,
        closest,
        reason,
    }
}
