//! Scenarios: everything a simulation run depends on, with defaults for every
//! field (so a partial scenario from JS is merged over the defaults by serde)
//! and the seed presets of DOMAIN.md §3.
//!
//! Figures from the seed articles are marked *(seed)*; every other default is
//! a **modelling assumption**, chosen to give a plausible market and listed in
//! the README's model page.

use serde::{Deserialize, Serialize};

use super::fitted::{self, Customers, MerchantRepurchase, OrderValue};
use crate::allocation::gini_cap::CapMode;
use crate::funnel::FunnelParams;
use crate::validate;
use crate::{Error, Result};

/// Longest simulation accepted, in days.
///
/// ```
/// # use shijing::sim::{scenario::MAX_DAYS, Scenario};
/// assert!(Scenario { days: MAX_DAYS, ..Scenario::default() }.validate().is_ok());
/// let err = Scenario { days: MAX_DAYS + 1, ..Scenario::default() }.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.days must be in [1, 730], got 731");
/// ```
pub const MAX_DAYS: u32 = 730;
/// Largest population accepted.
///
/// ```
/// # use shijing::sim::{scenario::MAX_MERCHANTS, Scenario};
/// let mut s = Scenario::default();
/// s.population.merchants = MAX_MERCHANTS + 1;
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.population.merchants must be in [2, 1000000], got 1000001");
/// ```
pub const MAX_MERCHANTS: u32 = 1_000_000;
/// Shortest live session accepted, hours.
///
/// ```
/// # use shijing::sim::{scenario::MIN_LIVE_HOURS, Scenario};
/// let mut s = Scenario::default();
/// s.merchant.live_hours = MIN_LIVE_HOURS / 2.0;
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.merchant.liveHours must be in [0.5, 24], got 0.25");
/// ```
pub const MIN_LIVE_HOURS: f64 = 0.5;
/// Smallest ad CPM accepted, yuan per 1,000 paid exposures.
///
/// ```
/// # use shijing::sim::{scenario::MIN_AD_CPM, Scenario};
/// let mut s = Scenario::default();
/// s.platform.ad_cpm = MIN_AD_CPM;
/// assert!(s.validate().is_ok());
/// s.platform.ad_cpm = 0.0; // a yuan would buy unboundedly many exposures
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.platform.adCpm must be in [0.01, 1000000], got 0");
/// ```
pub const MIN_AD_CPM: f64 = 0.01;
/// Largest ad CPM accepted, yuan per 1,000 paid exposures.
///
/// ```
/// # use shijing::sim::{scenario::MAX_AD_CPM, Scenario};
/// let mut s = Scenario::default();
/// s.platform.ad_cpm = MAX_AD_CPM * 2.0;
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.platform.adCpm must be in [0.01, 1000000], got 2000000");
/// ```
pub const MAX_AD_CPM: f64 = 1e6;

/// A complete simulation scenario.
///
/// ```
/// # use shijing::sim::Scenario;
/// let s = Scenario::default();
/// assert_eq!((s.days, s.seed), (90, Some(20_211_111))); // 90 days, a fixed seed
/// assert!(s.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Scenario {
    /// Seed of every random draw; without one, a seed from the entropy source (reported back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    /// Days to simulate (default 90).
    pub days: u32,
    /// The other merchants.
    pub population: PopulationSettings,
    /// The platform's allocation settings.
    pub platform: PlatformSettings,
    /// Funnel and repurchase rates.
    pub funnel: FunnelParams,
    /// The focus merchant the user controls.
    pub merchant: MerchantSettings,
    /// Marketing events of the focus merchant.
    pub events: Events,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: Some(20_211_111),
            days: 90,
            population: PopulationSettings::default(),
            platform: PlatformSettings::default(),
            funnel: FunnelParams::default(),
            merchant: MerchantSettings::default(),
            events: Events::default(),
        }
    }
}

/// How the population of merchants is drawn. All defaults are assumptions:
/// heavy-tailed followers and prices, quality and trust spread over 0–1.
///
/// ```
/// # use shijing::sim::{PopulationSettings, Scenario};
/// let p = PopulationSettings::default();
/// assert_eq!((p.merchants, p.new_share, p.followers_median, p.price_median), (10_000, 0.1, 3_000.0, 90.0));
/// let mut s = Scenario::default();
/// s.population.merchants = 1; // the focus merchant needs a market
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.population.merchants must be in [2, 1000000], got 1");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PopulationSettings {
    /// Number of merchants, the focus merchant included (default 10,000).
    pub merchants: u32,
    /// Share of merchants that are new (younger than `platform.newMerchantDays`) on day 0 (default 0.1).
    pub new_share: f64,
    /// Mean content quality (Beta-distributed, default 0.4).
    pub quality_mean: f64,
    /// Concentration of the quality Beta distribution (α+β, default 6).
    pub quality_concentration: f64,
    /// Median followers (log-normal, default 3,000).
    pub followers_median: f64,
    /// Log-scale spread of followers (default 2.0: the top 1% hold about a third).
    pub followers_sigma: f64,
    /// Median order value in yuan (log-normal, default 90).
    pub price_median: f64,
    /// Log-scale spread of order values (default 0.6).
    pub price_sigma: f64,
    /// Mean trust (Beta-distributed, concentration 6; default 0.5).
    pub trust_mean: f64,
    /// Mean follow rate of clickers (log-normal around it, default 0.03).
    pub follow_rate_mean: f64,
    /// Mean daily ad spend in yuan (most merchants spend nothing; default 200).
    pub ad_spend_mean: f64,
    /// Share of the other merchants who hold live sessions (default 0.3; assumption).
    pub live_share: f64,
    /// Days between a streaming merchant's live sessions (default 2: every other
    /// day; each merchant's days are offset at random; assumption).
    pub live_every_days: u32,
    /// Length of their live sessions in hours (default 3; assumption).
    pub live_hours: f64,
}

impl Default for PopulationSettings {
    fn default() -> Self {
        PopulationSettings {
            merchants: 10_000,
            new_share: 0.1,
            quality_mean: 0.4,
            quality_concentration: 6.0,
            followers_median: 3_000.0,
            followers_sigma: 2.0,
            price_median: 90.0,
            price_sigma: 0.6,
            trust_mean: 0.5,
            follow_rate_mean: 0.03,
            ad_spend_mean: 200.0,
            live_share: 0.3,
            live_every_days: 2,
            live_hours: 3.0,
        }
    }
}

/// The platform's allocation settings.
///
/// ```
/// # use shijing::sim::PlatformSettings;
/// let p = PlatformSettings::default();
/// assert_eq!((p.budget, p.gini_max, p.gini_mode.as_str()), (1e8, 0.6, "cap"));
/// assert_eq!((p.cold_start_share, p.item_floor, p.ad_cpm), (0.1, 300.0, 30.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PlatformSettings {
    /// Discovery-page (public) exposures per day for the whole population (default 100,000,000).
    pub budget: f64,
    /// Gini cap on creators' public exposure (default 0.6; no public number exists).
    pub gini_max: f64,
    /// How the cap is enforced: `"cap"` (limit the head), `"floor"` (mix with uniform) or `"blend"`.
    pub gini_mode: String,
    /// Weight of `cap` in `blend` mode (default 0.5).
    pub blend: f64,
    /// Share of the budget reserved for new merchants' cold-start pool (default 0.1; the
    /// seeds' 800 million a day is the platform-scale figure) *(seed, scaled)*.
    pub cold_start_share: f64,
    /// Guaranteed first exposures per new item (default 300, the "保量" audience).
    pub item_floor: f64,
    /// Days a merchant counts as new (default 30).
    pub new_merchant_days: u32,
    /// Most days an item stays in the public pool before it is replaced by a new one (default 30;
    /// it leaves earlier when it fails a tier's promotion test).
    pub item_lifetime_days: u32,
    /// Yuan per 1,000 paid exposures bought with ad spend (default 30; 0.01–1,000,000).
    pub ad_cpm: f64,
    /// Weight of the returning-customer index in the public score (default 1).
    pub trust_weight: f64,
}

impl Default for PlatformSettings {
    fn default() -> Self {
        PlatformSettings {
            budget: 1e8,
            gini_max: 0.6,
            gini_mode: "cap".into(),
            blend: 0.5,
            cold_start_share: 0.1,
            item_floor: 300.0,
            new_merchant_days: 30,
            item_lifetime_days: 30,
            ad_cpm: 30.0,
            trust_weight: 1.0,
        }
    }
}

/// The focus merchant: what the explorer's sliders set.
///
/// ```
/// # use shijing::sim::MerchantSettings;
/// let m = MerchantSettings::default();
/// // Live every other day from day 0, 3-hour sessions; no fitted process.
/// assert_eq!((m.live_every_days, m.live_start_day, m.live_hours), (2, 0, 3.0));
/// assert!(m.repurchase.is_none() && m.validate("merchant.").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MerchantSettings {
    /// Content quality, 0–1 (drives click-through and engagement).
    pub content_quality: f64,
    /// Share of clickers who follow, 0–1.
    pub follow_rate: f64,
    /// Order value in yuan.
    pub price: f64,
    /// Trust, 0–1 (reviews, after-sales, returning-customer index at start).
    pub trust: f64,
    /// Diligence, 0–1 (posting and live days; more items, more follow-page presence).
    pub diligence: f64,
    /// Followers at day 0.
    pub followers: f64,
    /// Ad spend, yuan per day.
    pub ad_spend: f64,
    /// Age in days at day 0 (below `platform.newMerchantDays` it gets cold-start traffic).
    pub age_days: f64,
    /// Days between live sessions: 1 streams every day, 0 never (default 2; the
    /// live room is the "super node" of seed 003). Marketing big days are live
    /// days whatever the cadence.
    pub live_every_days: u32,
    /// Day (0-based) of the first live session (default 0).
    pub live_start_day: u32,
    /// Length of a live session in hours, 0.5–24 (default 3; assumption): the live
    /// room's discovery quota and its reach on the follow page scale with it.
    pub live_hours: f64,
    /// The merchant's own repurchase model, as fitted to its order log
    /// (default none: the platform-wide process of `funnel`). Its new
    /// customers repurchase by it, relative to these settings (see
    /// [`fitted`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repurchase: Option<MerchantRepurchase>,
    /// The merchant's customers at day 0, summarized in `repurchase.unitDays`
    /// (needs `repurchase`): they repurchase by the model's conditional
    /// expectation given each one's history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<Customers>,
    /// What a repeat purchase is worth (needs `repurchase`; default: `price`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_value: Option<OrderValue>,
}

impl Default for MerchantSettings {
    fn default() -> Self {
        MerchantSettings {
            content_quality: 0.5,
            follow_rate: 0.03,
            price: 100.0,
            trust: 0.5,
            diligence: 0.5,
            followers: 2_000.0,
            ad_spend: 0.0,
            age_days: 365.0,
            live_every_days: 2,
            live_start_day: 0,
            live_hours: 3.0,
            repurchase: None,
            customers: None,
            order_value: None,
        }
    }
}

/// Marketing events of the focus merchant.
///
/// ```
/// # use shijing::sim::{Events, Scenario};
/// let e = Events::default();
/// assert_eq!((e.big_day_multiplier, e.campaign_boost), (2.5, 2.0));
/// // Days are 0-based and within the run.
/// let s = Scenario { days: 30, events: Events { big_days: vec![30], ..e }, ..Scenario::default() };
/// let err = s.validate().unwrap_err();
/// assert_eq!(err.message(), "scenario.events.bigDays[0] is 30 but the scenario has only 30 days (0-based)");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Events {
    /// Days (0-based) of marketing big events (营销大场).
    pub big_days: Vec<u32>,
    /// Order multiplier on a big day (default 2.5: the seeds' "2–3× the daily average") *(seed)*.
    pub big_day_multiplier: f64,
    /// Days of a platform campaign boost for the focus merchant.
    pub campaign_days: Vec<u32>,
    /// Multiplier on the focus merchant's public score on campaign days (default 2).
    pub campaign_boost: f64,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            big_days: Vec::new(),
            big_day_multiplier: 2.5,
            campaign_days: Vec::new(),
            campaign_boost: 2.0,
        }
    }
}

impl Scenario {
    /// Checks every field; messages name fields as `scenario.platform.giniMax`.
    ///
    /// ```
    /// # use shijing::sim::Scenario;
    /// let mut scenario = Scenario::default();
    /// assert!(scenario.validate().is_ok());
    /// scenario.platform.gini_max = 1.2;
    /// let err = scenario.validate().unwrap_err();
    /// assert_eq!(err.message(), "scenario.platform.giniMax must be in [0, 1), got 1.2");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let s = "scenario.";
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(Error::invalid(format!(
                "{s}days must be in [1, {MAX_DAYS}], got {}",
                self.days
            )));
        }
        let p = &self.population;
        let pp = "scenario.population.";
        if !(2..=MAX_MERCHANTS).contains(&p.merchants) {
            return Err(Error::invalid(format!(
                "{pp}merchants must be in [2, {MAX_MERCHANTS}], got {}",
                p.merchants
            )));
        }
        validate::in_closed(&format!("{pp}newShare"), p.new_share, 0.0, 1.0)?;
        validate::in_closed(&format!("{pp}qualityMean"), p.quality_mean, 0.01, 0.99)?;
        validate::in_closed(
            &format!("{pp}qualityConcentration"),
            p.quality_concentration,
            0.1,
            1000.0,
        )?;
        validate::in_closed(
            &format!("{pp}followersMedian"),
            p.followers_median,
            0.0,
            1e9,
        )?;
        validate::in_closed(&format!("{pp}followersSigma"), p.followers_sigma, 0.0, 5.0)?;
        validate::in_closed(&format!("{pp}priceMedian"), p.price_median, 0.01, 1e6)?;
        validate::in_closed(&format!("{pp}priceSigma"), p.price_sigma, 0.0, 5.0)?;
        validate::in_closed(&format!("{pp}trustMean"), p.trust_mean, 0.01, 0.99)?;
        validate::in_closed(&format!("{pp}followRateMean"), p.follow_rate_mean, 0.0, 1.0)?;
        validate::in_closed(&format!("{pp}adSpendMean"), p.ad_spend_mean, 0.0, 1e9)?;
        validate::in_closed(&format!("{pp}liveShare"), p.live_share, 0.0, 1.0)?;
        if !(1..=MAX_DAYS).contains(&p.live_every_days) {
            return Err(Error::invalid(format!(
                "{pp}liveEveryDays must be in [1, {MAX_DAYS}], got {}",
                p.live_every_days
            )));
        }
        validate::in_closed(
            &format!("{pp}liveHours"),
            p.live_hours,
            MIN_LIVE_HOURS,
            24.0,
        )?;

        let pl = &self.platform;
        let ps = "scenario.platform.";
        validate::in_closed(&format!("{ps}budget"), pl.budget, 1.0, 1e13)?;
        validate::in_half_open(&format!("{ps}giniMax"), pl.gini_max, 0.0, 1.0)?;
        CapMode::parse(&format!("{ps}giniMode"), &pl.gini_mode)?;
        validate::in_closed(&format!("{ps}blend"), pl.blend, 0.0, 1.0)?;
        validate::in_closed(
            &format!("{ps}coldStartShare"),
            pl.cold_start_share,
            0.0,
            1.0,
        )?;
        validate::in_closed(&format!("{ps}itemFloor"), pl.item_floor, 0.0, 1e9)?;
        if pl.new_merchant_days > MAX_DAYS {
            return Err(Error::invalid(format!(
                "{ps}newMerchantDays must be in [0, {MAX_DAYS}], got {}",
                pl.new_merchant_days
            )));
        }
        if !(1..=MAX_DAYS).contains(&pl.item_lifetime_days) {
            return Err(Error::invalid(format!(
                "{ps}itemLifetimeDays must be in [1, {MAX_DAYS}], got {}",
                pl.item_lifetime_days
            )));
        }
        // Bounded below: at a CPM near 0 a yuan buys unboundedly many paid
        // exposures (5e-324 gave NaN trajectories, issue 19).
        validate::in_closed(&format!("{ps}adCpm"), pl.ad_cpm, MIN_AD_CPM, MAX_AD_CPM)?;
        validate::in_closed(&format!("{ps}trustWeight"), pl.trust_weight, 0.0, 100.0)?;

        self.funnel.validate("scenario.funnel.")?;
        self.merchant.validate("scenario.merchant.")?;

        let e = &self.events;
        let es = "scenario.events.";
        for (name, days) in [("bigDays", &e.big_days), ("campaignDays", &e.campaign_days)] {
            validate::max_len(&format!("{es}{name}"), days.len(), MAX_DAYS as usize)?;
            if let Some((i, d)) = days.iter().enumerate().find(|(_, &d)| d >= self.days) {
                return Err(Error::invalid(format!(
                    "{es}{name}[{i}] is {d} but the scenario has only {} days (0-based)",
                    self.days
                )));
            }
        }
        validate::in_closed(
            &format!("{es}bigDayMultiplier"),
            e.big_day_multiplier,
            0.0,
            100.0,
        )?;
        validate::in_closed(&format!("{es}campaignBoost"), e.campaign_boost, 0.0, 100.0)?;
        Ok(())
    }

    /// The cap mode (validated).
    ///
    /// ```
    /// # use shijing::allocation::CapMode;
    /// # use shijing::sim::Scenario;
    /// let mut scenario = Scenario::default();
    /// assert_eq!(scenario.cap_mode(), CapMode::Cap);
    /// scenario.platform.gini_mode = "floor".into();
    /// assert_eq!(scenario.cap_mode(), CapMode::Floor);
    /// ```
    pub fn cap_mode(&self) -> CapMode {
        CapMode::parse("scenario.platform.giniMode", &self.platform.gini_mode)
            .unwrap_or(CapMode::Cap)
    }
}

impl MerchantSettings {
    /// Checks every field; `prefix` is e.g. `"scenario.merchant."` or `"merchant."`.
    ///
    /// ```
    /// # use shijing::sim::MerchantSettings;
    /// let m = MerchantSettings { price: 0.0, ..MerchantSettings::default() };
    /// let err = m.validate("merchant.").unwrap_err();
    /// assert_eq!(err.message(), "merchant.price must be in [0.01, 1000000], got 0");
    /// assert!(MerchantSettings::default().validate("merchant.").is_ok());
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let p = |f: &str| format!("{prefix}{f}");
        validate::in_closed(&p("contentQuality"), self.content_quality, 0.0, 1.0)?;
        validate::in_closed(&p("followRate"), self.follow_rate, 0.0, 1.0)?;
        validate::in_closed(&p("price"), self.price, 0.01, 1e6)?;
        validate::in_closed(&p("trust"), self.trust, 0.0, 1.0)?;
        validate::in_closed(&p("diligence"), self.diligence, 0.0, 1.0)?;
        validate::in_closed(&p("followers"), self.followers, 0.0, 1e10)?;
        validate::in_closed(&p("adSpend"), self.ad_spend, 0.0, 1e9)?;
        validate::in_closed(&p("ageDays"), self.age_days, 0.0, 1e5)?;
        for (name, v) in [
            ("liveEveryDays", self.live_every_days),
            ("liveStartDay", self.live_start_day),
        ] {
            if v > MAX_DAYS {
                return Err(Error::invalid(format!(
                    "{prefix}{name} must be in [0, {MAX_DAYS}], got {v}"
                )));
            }
        }
        validate::in_closed(&p("liveHours"), self.live_hours, MIN_LIVE_HOURS, 24.0)?;
        fitted::validate(self, prefix)?;
        Ok(())
    }
}

impl MerchantSettings {
    /// Whether the merchant holds a live session on `day` (0-based) by its
    /// cadence (marketing big days are live days too: see [`Scenario::live_day`]).
    ///
    /// ```
    /// # use shijing::sim::MerchantSettings;
    /// // Live every other day from day 4.
    /// let m = MerchantSettings { live_every_days: 2, live_start_day: 4, ..MerchantSettings::default() };
    /// let days: Vec<u32> = (0..10).filter(|&d| m.streams_on(d)).collect();
    /// assert_eq!(days, [4, 6, 8]);
    /// ```
    pub fn streams_on(&self, day: u32) -> bool {
        self.live_every_days > 0
            && day >= self.live_start_day
            && (day - self.live_start_day) % self.live_every_days == 0
    }
}

impl Scenario {
    /// Whether the focus merchant is live on `day`: by its cadence, or a
    /// marketing big day (a 营销大场 is a big live session).
    ///
    /// ```
    /// # use shijing::sim::Scenario;
    /// let mut scenario = Scenario::default();
    /// scenario.merchant.live_every_days = 0; // never streams by cadence
    /// scenario.events.big_days = vec![9];
    /// let days: Vec<u32> = (0..30).filter(|&d| scenario.live_day(d)).collect();
    /// assert_eq!(days, [9]);
    /// ```
    pub fn live_day(&self, day: u32) -> bool {
        self.merchant.streams_on(day) || self.events.big_days.contains(&day)
    }
}

/// A named starting point from the seed articles.
///
/// ```
/// # use shijing::sim::{presets, Scenario};
/// let all = presets();
/// // The typical merchant is the default scenario; the new women's-wear shop
/// // starts from zero followers.
/// assert_eq!((all[0].id, all[0].name.en), ("default", "Typical merchant"));
/// assert_eq!(all[0].scenario, Scenario::default());
/// let shop = all.iter().find(|p| p.id == "womens-wear").unwrap();
/// assert_eq!(shop.scenario.merchant.followers, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    /// Stable id: `default`, `womens-wear` (若衣轻奢定制), `quick-brand` (YeXin),
    /// `trusted-brand` (莱润); the ids predate the articles' names and stay
    /// for the explorer's links.
    pub id: &'static str,
    /// Name in Chinese and English.
    pub name: Bilingual,
    /// What the preset reproduces, in Chinese and English.
    pub description: Bilingual,
    /// The full scenario.
    pub scenario: Scenario,
}

/// A text in Chinese and English.
///
/// ```
/// # use shijing::sim::presets;
/// let name = &presets()[0].name;
/// assert_eq!((name.zh, name.en), ("普通商家", "Typical merchant"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bilingual {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

/// The seed presets (DOMAIN.md §3), each a full scenario. The merchants'
/// settings the articles do not give (content quality, follow rate, trust,
/// diligence, starting followers, cadence) are chosen so the run reproduces
/// the figures they do give; `sim::calibration` lists those figures and the
/// `calibrate` example prints them.
///
/// ```
/// # use shijing::sim::presets;
/// let all = presets();
/// let ids: Vec<&str> = all.iter().map(|p| p.id).collect();
/// assert_eq!(ids, ["default", "womens-wear", "quick-brand", "trusted-brand"]);
/// assert!(all.iter().all(|p| p.scenario.validate().is_ok()));
/// ```
pub fn presets() -> Vec<Preset> {
    let base = Scenario::default();
    // 若衣轻奢定制 (seed 002): a new women's-wear shop from zero followers;
    // short-video clips from day 1, live every other day from day 5 (right
    // after its day-4 video passed a million plays).
    let womens_wear = Scenario {
        merchant: MerchantSettings {
            content_quality: 0.92,
            follow_rate: 0.065,
            price: 150.0,
            trust: 0.5,
            diligence: 0.95,
            followers: 0.0,
            ad_spend: 0.0,
            age_days: 0.0,
            live_every_days: 2,
            live_start_day: 4,
            ..MerchantSettings::default()
        },
        ..base.clone()
    };
    // 叶歆's quick brand YeXin (seed 003): joined in December 2021 with the
    // anchor's few fans, live every day; 150 days to 歆上人超级日 on 30 April,
    // the run's last day, a marketing big event.
    let quick_brand = Scenario {
        days: 150,
        merchant: MerchantSettings {
            content_quality: 0.9,
            follow_rate: 0.06,
            price: 720.0,
            trust: 0.9,
            diligence: 0.8,
            followers: 20_000.0,
            ad_spend: 0.0,
            age_days: 0.0,
            live_every_days: 1,
            live_start_day: 0,
            ..MerchantSettings::default()
        },
        events: Events {
            big_days: vec![149],
            ..Events::default()
        },
        ..base.clone()
    };
    // 莱润 (seed 003): an established trusted brand whose founder 小虫 shares
    // skincare know-how in the live room every day; 180 days so the 90-day
    // repurchase rate has three months of full cohorts.
    let trusted_brand = Scenario {
        days: 180,
        merchant: MerchantSettings {
            content_quality: 0.7,
            follow_rate: 0.08,
            price: 120.0,
            trust: 0.95,
            diligence: 0.9,
            followers: 500_000.0,
            ad_spend: 2_000.0,
            age_days: 730.0,
            live_every_days: 1,
            live_start_day: 0,
            ..MerchantSettings::default()
        },
        ..base.clone()
    };
    vec![
        Preset {
            id: "default",
            name: Bilingual { zh: "普通商家", en: "Typical merchant" },
            description: Bilingual {
                zh: "一万个商家的平台上一个中等质量的老商家，隔天直播；中长尾创作者获得八成以上播放。",
                en: "An established mid-quality merchant among 10,000, live every other day; mid- and long-tail creators get over 80% of plays.",
            },
            scenario: base,
        },
        Preset {
            id: "womens-wear",
            name: Bilingual { zh: "若衣轻奢定制（女装新商家）", en: "Ruoyi Qingshe (new women's-wear shop)" },
            description: Bilingual {
                zh: "零粉丝起步：第一天短视频卖出约五千元，第四天一条视频破百万播放，随即开播，第四场直播超十万元；一周冷启成功，之后每天涨粉1500以上，月销稳定在三百万元左右。",
                en: "Starts from zero followers: about 5,000 yuan from short videos on day 1, a video past 1M plays on day 4, then live sessions, the 4th above 100,000 yuan; cold start done in a week, then 1,500+ new followers a day and a steady 3M yuan a month.",
            },
            scenario: womens_wear,
        },
        Preset {
            id: "quick-brand",
            name: Bilingual { zh: "叶歆的快品牌 YeXin", en: "YeXin, 叶歆's quick brand" },
            description: Bilingual {
                zh: "主播叶歆2021年12月入驻、天天直播：月GMV从约200万元涨到1000万元以上，客单价超过700元；4月30日“歆上人超级日”粉丝购买率约77%，直播间在关注页每千次曝光约3200元。",
                en: "The anchor 叶歆 joined in December 2021 and streams daily: monthly GMV grows from about 2M to over 10M yuan at orders above 700 yuan; on her 30 April super day (歆上人超级日) about 77% of buyers are fans and 1,000 follow-page exposures of the live room bring about 3,200 yuan.",
            },
            scenario: quick_brand,
        },
        Preset {
            id: "trusted-brand",
            name: Bilingual { zh: "莱润（信任快品牌）", en: "Lairun (trusted quick brand)" },
            description: Bilingual {
                zh: "创始人在直播间分享护肤干货的高信任品牌：首购客户30天内复购约40%，90天内约76%。",
                en: "A high-trust brand whose founder shares skincare know-how in the live room: about 40% of first-time buyers buy again within 30 days and 76% within 90.",
            },
            scenario: trusted_brand,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_presets_validate() {
        Scenario::default().validate().unwrap();
        for p in presets() {
            p.scenario
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", p.id));
        }
    }

    #[test]
    fn live_days_follow_the_cadence_and_the_big_days() {
        let mut s = Scenario::default();
        s.merchant.live_every_days = 3;
        s.merchant.live_start_day = 2;
        s.events.big_days = vec![4];
        let days: Vec<u32> = (0..12).filter(|&d| s.live_day(d)).collect();
        assert_eq!(days, vec![2, 4, 5, 8, 11]);
        s.merchant.live_every_days = 0;
        let days: Vec<u32> = (0..12).filter(|&d| s.live_day(d)).collect();
        assert_eq!(days, vec![4]);
    }

    #[test]
    fn messages_name_the_field() {
        let mut s = Scenario::default();
        s.platform.gini_max = 1.2;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.platform.giniMax must be in [0, 1), got 1.2"
        );
        let mut s = Scenario::default();
        s.merchant.content_quality = f64::NAN;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.merchant.contentQuality is NaN"
        );
        let mut s = Scenario::default();
        s.events.big_days = vec![3, 90];
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("scenario.events.bigDays[1] is 90"));
        let mut s = Scenario::default();
        s.platform.ad_cpm = 5e-324;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.platform.adCpm must be in [0.01, 1000000], got 5e-324"
        );
        let mut s = Scenario::default();
        s.merchant.live_hours = 0.1;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.merchant.liveHours must be in [0.5, 24], got 0.1"
        );
        let mut s = Scenario::default();
        s.population.live_every_days = 0;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.population.liveEveryDays must be in [1, 730], got 0"
        );
        let mut s = Scenario::default();
        s.merchant.live_start_day = 731;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "scenario.merchant.liveStartDay must be in [0, 730], got 731"
        );
        let mut s = Scenario::default();
        s.platform.gini_mode = "max".into();
        assert!(s.validate().unwrap_err().to_string().contains("giniMode"));
    }
}
