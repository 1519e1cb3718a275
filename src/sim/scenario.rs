//! Scenarios: everything a simulation run depends on, with defaults for every
//! field (so a partial scenario from JS is merged over the defaults by serde)
//! and the seed presets of DOMAIN.md §3.
//!
//! Figures from the seed articles are marked *(seed)*; every other default is
//! a **modelling assumption**, chosen to give a plausible market and listed in
//! the README's model page.

use serde::{Deserialize, Serialize};

use crate::allocation::gini_cap::CapMode;
use crate::funnel::FunnelParams;
use crate::validate;
use crate::{Error, Result};

/// Longest simulation accepted, in days.
pub const MAX_DAYS: u32 = 730;
/// Largest population accepted.
pub const MAX_MERCHANTS: u32 = 1_000_000;
/// Smallest ad CPM accepted, yuan per 1,000 paid exposures.
pub const MIN_AD_CPM: f64 = 0.01;
/// Largest ad CPM accepted, yuan per 1,000 paid exposures.
pub const MAX_AD_CPM: f64 = 1e6;

/// A complete simulation scenario.
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
        }
    }
}

/// The platform's allocation settings.
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
        }
    }
}

/// Marketing events of the focus merchant.
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
    pub fn cap_mode(&self) -> CapMode {
        CapMode::parse("scenario.platform.giniMode", &self.platform.gini_mode)
            .unwrap_or(CapMode::Cap)
    }
}

impl MerchantSettings {
    /// Checks every field; `prefix` is e.g. `"scenario.merchant."` or `"merchant."`.
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
        Ok(())
    }
}

/// A named starting point from the seed articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    /// Stable id: `default`, `womens-wear`, `quick-brand`, `trusted-brand`.
    pub id: &'static str,
    /// Name in Chinese and English.
    pub name: Bilingual,
    /// What the preset reproduces, in Chinese and English.
    pub description: Bilingual,
    /// The full scenario.
    pub scenario: Scenario,
}

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bilingual {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

/// The seed presets (DOMAIN.md §3), each a full scenario.
pub fn presets() -> Vec<Preset> {
    let base = Scenario::default();
    let womens_wear = Scenario {
        merchant: MerchantSettings {
            content_quality: 0.92,
            follow_rate: 0.04,
            price: 150.0,
            trust: 0.6,
            diligence: 0.95,
            followers: 0.0,
            ad_spend: 0.0,
            age_days: 0.0,
        },
        ..base.clone()
    };
    let quick_brand = Scenario {
        merchant: MerchantSettings {
            content_quality: 0.75,
            follow_rate: 0.05,
            price: 700.0,
            trust: 0.9,
            diligence: 0.8,
            followers: 300_000.0,
            ad_spend: 5_000.0,
            age_days: 365.0,
        },
        events: Events {
            big_days: vec![45],
            ..Events::default()
        },
        ..base.clone()
    };
    let trusted_brand = Scenario {
        merchant: MerchantSettings {
            content_quality: 0.7,
            follow_rate: 0.08,
            price: 120.0,
            trust: 0.95,
            diligence: 0.9,
            followers: 500_000.0,
            ad_spend: 2_000.0,
            age_days: 730.0,
        },
        ..base.clone()
    };
    vec![
        Preset {
            id: "default",
            name: Bilingual { zh: "普通商家", en: "Typical merchant" },
            description: Bilingual {
                zh: "一万个商家的平台上一个中等质量的老商家；中长尾创作者获得八成以上播放。",
                en: "An established mid-quality merchant among 10,000; mid- and long-tail creators get over 80% of plays.",
            },
            scenario: base,
        },
        Preset {
            id: "womens-wear",
            name: Bilingual { zh: "女装新商家冷启动", en: "New women's-wear merchant" },
            description: Bilingual {
                zh: "零粉丝起步：第一天约五千元，第四天一条视频破百万播放，之后每天约1500新粉，月销数百万。",
                en: "Starts from zero followers: ~5,000 yuan on day 1, a video past 1M plays on day 4, then ~1,500 new followers a day and millions of yuan a month.",
            },
            scenario: womens_wear,
        },
        Preset {
            id: "quick-brand",
            name: Bilingual { zh: "快品牌（椰心式）", en: "Quick brand (YeXin-like)" },
            description: Bilingual {
                zh: "关注页每千次曝光约3200元，客单价约700元；第45天有一场营销大场。",
                en: "About 3,200 yuan per 1,000 follow-page exposures at ~700 yuan per order; a big marketing event on day 45.",
            },
            scenario: quick_brand,
        },
        Preset {
            id: "trusted-brand",
            name: Bilingual { zh: "信任品牌（徕芬式）", en: "Trusted brand (Lairun-like)" },
            description: Bilingual {
                zh: "高信任：30天复购约40%，90天复购约76%。",
                en: "High trust: about 40% repurchase within 30 days and 76% within 90 days.",
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
        s.platform.gini_mode = "max".into();
        assert!(s.validate().unwrap_err().to_string().contains("giniMode"));
    }
}
