//! The funnel: exposure → click → order (T0) → follow → follow-page exposure →
//! repurchase (T30, T90).
//!
//! This module holds the model's *rates*: pure functions of a merchant's traits
//! and the day's exposure. The day loop in [`crate::sim`] draws the random
//! counts from them. Every default in [`FunnelParams`] is a **modelling
//! assumption** unless its doc names a source figure (DOMAIN.md §3).
//!
//! * Click-through rises linearly with content quality, with diminishing
//!   returns of exposure per item: an item shown `x` times yields
//!   `ctr·s·(1 − e^{−x/s})` clicks (notes/allocation.md §5.2 step 6).
//! * Orders per click rise with trust and fall with price (constant elasticity
//!   around a reference price); follows per click are the merchant's follow rate.
//!   Strangers (discovery viewers) are more price-sensitive than fans
//!   (`priceElasticity` 1.8 against `fanPriceElasticity` 0.3): a 720-yuan brand
//!   sells to its followers, and gains followers from strangers who do not buy yet.
//! * Follow-page (private) exposure is free: each follower sees the merchant's
//!   content with a daily probability that rises with diligence, and on a live
//!   day the live room with a larger one (`liveReach`). It converts at a fan
//!   rate, higher in the live room (`liveOrderLift`).
//! * Live sessions (the super node of seed 003): entries into the room from
//!   discovery saturate on the session's own scale (`liveSaturation`), convert
//!   and follow at the live room's rates; see `sim::merchant`.
//! * Repurchase is a discrete-time buy-till-you-die process (BG/NBD-style):
//!   each customer has a daily purchase hazard drawn from a gamma mixture
//!   (represented by [`RATE_CLASSES`] quadrature classes) and drops out with
//!   probability `p` after each purchase. Trust and the experience/price ratio
//!   set the hazard and `p`; follow-page exposure lifts the hazard.

use serde::{Deserialize, Serialize};

use crate::validate;
use crate::Result;

/// Number of rate classes that stand for the gamma-distributed individual
/// purchase rates (a 4-point Gauss–Laguerre-type quadrature).
///
/// ```
/// # use shijing::funnel::{rate_classes, RATE_CLASSES};
/// // One hazard and one weight per class, the classes equally likely.
/// let (hazards, weights) = rate_classes(0.01, 20.0);
/// assert_eq!((hazards.len(), weights.len()), (RATE_CLASSES, RATE_CLASSES));
/// assert_eq!(weights[0], 1.0 / RATE_CLASSES as f64);
/// ```
pub const RATE_CLASSES: usize = 4;

/// The funnel's parameters. All are modelling assumptions except where noted.
///
/// ```
/// # use shijing::funnel::FunnelParams;
/// // The defaults the field docs state (the calibrated ones among them).
/// let f = FunnelParams::default();
/// assert_eq!((f.item_saturation, f.order_rate), (30_000.0, 0.028));
/// assert_eq!((f.price_elasticity, f.fan_price_elasticity), (1.8, 0.3));
/// assert_eq!((f.fan_order_rate, f.repurchase_hazard, f.rate_shape), (0.0006, 0.0092, 20.0));
/// assert!(f.validate("funnel.").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FunnelParams {
    /// Click-through rate at content quality 0.
    pub ctr_min: f64,
    /// Click-through rate at content quality 1.
    pub ctr_max: f64,
    /// Exposures per item and day at which clicks start to saturate (`s`; default
    /// 30,000: a short video's best-matched audience; assumption).
    pub item_saturation: f64,
    /// Orders per click at the reference price and trust 0.5 (default 0.028;
    /// with `itemSaturation` and `priceElasticity`, calibrated to the seed figures:
    /// see `sim::calibration`).
    pub order_rate: f64,
    /// Reference order value (yuan) for the price effect.
    pub reference_price: f64,
    /// Price elasticity of the order rate of discovery viewers (strangers): `(referencePrice/price)^e`.
    pub price_elasticity: f64,
    /// Price elasticity of followers' order rate on the follow page and in the live room:
    /// trust makes fans less sensitive to price than strangers. Assumption.
    pub fan_price_elasticity: f64,
    /// How strongly trust moves order and fan conversion: factor `1 + w·(trust − 0.5)·2`.
    pub trust_weight: f64,
    /// Share of followers who see the merchant on their follow page per day at diligence 0.
    pub visit_rate_min: f64,
    /// Same at diligence 1.
    pub visit_rate_max: f64,
    /// First orders per follow-page exposure of a follower who is not a customer yet,
    /// at the reference price and trust 0.5 (×`liveOrderLift` in the live room).
    /// Default 0.0006, calibrated with `liveReach` and `liveRepurchaseLift` so YeXin's
    /// big day brings ≈ 3,200 yuan per 1,000 follow-page exposures of its live room *(seed)*.
    pub fan_order_rate: f64,
    /// Daily repurchase hazard of an average alive customer at trust 0.5, value 1, no follow-page lift.
    pub repurchase_hazard: f64,
    /// Shape of the gamma distribution of individual purchase rates (smaller = more
    /// heterogeneous). Default 20 with `repurchaseHazard` 0.0092: calibrated so 莱润's
    /// first-time buyers (its daily live sessions included) buy again ≈ 40% within 30
    /// days and ≈ 76% within 90 *(seed)*.
    pub rate_shape: f64,
    /// Dropout probability after a purchase at trust 0.
    pub dropout_max: f64,
    /// Dropout probability after a purchase at trust 1.
    pub dropout_min: f64,
    /// Relative hazard lift per unit of daily follow-page visit probability for customers who follow.
    pub follow_lift: f64,
    /// Buyers follow at this multiple of the merchant's follow rate (capped at 1).
    pub buyer_follow_multiplier: f64,
    /// Exponent of the experience/price ratio on the repurchase hazard.
    pub value_exponent: f64,
    /// Orders per live-room entry, as a multiple of the orders per short-video click
    /// (the live room converts better: trust is built in real time). Assumption.
    pub live_order_lift: f64,
    /// Follows per live-room entry, as a multiple of the follow rate of short-video clickers. Assumption.
    pub live_follow_lift: f64,
    /// Share of followers who see the live room on their follow page during a session of
    /// the reference length (4 hours), at diligence 1 (half of it at diligence 0). Assumption.
    pub live_reach: f64,
    /// Discovery exposures of a live session of the reference length (4 hours) at which
    /// its entries start to saturate, as `itemSaturation` does for a short video on a
    /// day (a room holds its audience for hours). Assumption.
    pub live_saturation: f64,
    /// Share of the short-video clickers since the last session who come to the next
    /// one (a viral video raises the next session's audience). Assumption.
    pub live_preheat: f64,
    /// Relative rise of following customers' repurchase hazard on a live day. Assumption.
    pub live_repurchase_lift: f64,
}

impl Default for FunnelParams {
    fn default() -> Self {
        FunnelParams {
            ctr_min: 0.01,
            ctr_max: 0.12,
            item_saturation: 30_000.0,
            order_rate: 0.028,
            reference_price: 100.0,
            price_elasticity: 1.8,
            fan_price_elasticity: 0.3,
            trust_weight: 0.6,
            visit_rate_min: 0.01,
            visit_rate_max: 0.08,
            fan_order_rate: 0.0006,
            repurchase_hazard: 0.0092,
            rate_shape: 20.0,
            dropout_max: 0.6,
            dropout_min: 0.02,
            follow_lift: 3.0,
            buyer_follow_multiplier: 4.0,
            value_exponent: 0.5,
            live_order_lift: 2.5,
            live_follow_lift: 2.0,
            live_reach: 0.5,
            live_saturation: 300_000.0,
            live_preheat: 0.05,
            live_repurchase_lift: 0.5,
        }
    }
}

impl FunnelParams {
    /// Checks every field; `prefix` names the enclosing option (e.g. `scenario.funnel.`).
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// assert!(FunnelParams::default().validate("funnel.").is_ok());
    /// let bad = FunnelParams { ctr_max: 1.5, ..FunnelParams::default() };
    /// let err = bad.validate("scenario.funnel.").unwrap_err();
    /// assert_eq!(err.message(), "scenario.funnel.ctrMax must be in [0, 1], got 1.5");
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let p = |f: &str| format!("{prefix}{f}");
        validate::in_closed(&p("ctrMin"), self.ctr_min, 0.0, 1.0)?;
        validate::in_closed(&p("ctrMax"), self.ctr_max, 0.0, 1.0)?;
        validate::positive(&p("itemSaturation"), self.item_saturation)?;
        validate::in_closed(&p("orderRate"), self.order_rate, 0.0, 1.0)?;
        validate::positive(&p("referencePrice"), self.reference_price)?;
        validate::in_closed(&p("priceElasticity"), self.price_elasticity, 0.0, 5.0)?;
        validate::in_closed(
            &p("fanPriceElasticity"),
            self.fan_price_elasticity,
            0.0,
            5.0,
        )?;
        validate::in_closed(&p("trustWeight"), self.trust_weight, 0.0, 1.0)?;
        validate::in_closed(&p("visitRateMin"), self.visit_rate_min, 0.0, 1.0)?;
        validate::in_closed(&p("visitRateMax"), self.visit_rate_max, 0.0, 1.0)?;
        validate::in_closed(&p("fanOrderRate"), self.fan_order_rate, 0.0, 1.0)?;
        validate::in_closed(&p("repurchaseHazard"), self.repurchase_hazard, 0.0, 1.0)?;
        validate::in_closed(&p("rateShape"), self.rate_shape, 0.05, 1000.0)?;
        validate::in_closed(&p("dropoutMax"), self.dropout_max, 0.0, 1.0)?;
        validate::in_closed(&p("dropoutMin"), self.dropout_min, 0.0, 1.0)?;
        validate::in_closed(&p("followLift"), self.follow_lift, 0.0, 1000.0)?;
        validate::in_closed(
            &p("buyerFollowMultiplier"),
            self.buyer_follow_multiplier,
            0.0,
            100.0,
        )?;
        validate::in_closed(&p("valueExponent"), self.value_exponent, 0.0, 5.0)?;
        validate::in_closed(&p("liveOrderLift"), self.live_order_lift, 0.0, 100.0)?;
        validate::in_closed(&p("liveFollowLift"), self.live_follow_lift, 0.0, 100.0)?;
        validate::in_closed(&p("liveReach"), self.live_reach, 0.0, 1.0)?;
        validate::positive(&p("liveSaturation"), self.live_saturation)?;
        validate::in_closed(&p("livePreheat"), self.live_preheat, 0.0, 1.0)?;
        validate::in_closed(
            &p("liveRepurchaseLift"),
            self.live_repurchase_lift,
            0.0,
            100.0,
        )?;
        Ok(())
    }
}

/// What the funnel needs to know about a merchant.
///
/// ```
/// # use shijing::funnel::{FunnelParams, Traits};
/// let f = FunnelParams::default();
/// let t = Traits { quality: 0.5, follow_rate: 0.05, price: 100.0, trust: 0.5, diligence: 1.0 };
/// // Better content is clicked more; a higher price sells less per click.
/// assert!(f.rates(&Traits { quality: 0.9, ..t }).ctr > f.rates(&t).ctr);
/// assert!(f.rates(&Traits { price: 300.0, ..t }).order_rate < f.rates(&t).order_rate);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traits {
    /// Content quality, 0–1.
    pub quality: f64,
    /// Share of clickers who follow, 0–1.
    pub follow_rate: f64,
    /// Order value in yuan (> 0).
    pub price: f64,
    /// Trust, 0–1 (returning-customer index, reviews, after-sales).
    pub trust: f64,
    /// Diligence, 0–1 (posting and live days).
    pub diligence: f64,
}

/// The per-merchant rates the funnel derives from [`Traits`].
///
/// ```
/// # use shijing::funnel::{FunnelParams, Traits};
/// let f = FunnelParams::default();
/// let t = Traits { quality: 0.5, follow_rate: 0.05, price: 100.0, trust: 0.5, diligence: 1.0 };
/// let r = f.rates(&t);
/// // Click-through from ctrMin to ctrMax with quality; the hazard capped at 1.
/// assert!((r.ctr - (f.ctr_min + 0.5 * (f.ctr_max - f.ctr_min))).abs() < 1e-15);
/// assert_eq!(r.hazard, f.mean_hazard(&t).min(1.0));
/// assert!((0.0..=1.0).contains(&r.dropout));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// Clicks per exposure before saturation.
    pub ctr: f64,
    /// Orders per click.
    pub order_rate: f64,
    /// Follows per click.
    pub follow_rate: f64,
    /// Probability a follower sees the merchant on the follow page on a given day.
    pub visit_rate: f64,
    /// Orders per follow-page exposure.
    pub fan_order_rate: f64,
    /// Dropout probability after each purchase.
    pub dropout: f64,
    /// Mean daily repurchase hazard of alive customers, including the follow-page lift.
    pub hazard: f64,
}

impl FunnelParams {
    fn trust_factor(&self, trust: f64) -> f64 {
        (1.0 + self.trust_weight * (2.0 * trust - 1.0)).max(0.0)
    }

    fn price_factor(&self, price: f64, elasticity: f64) -> f64 {
        libm::pow(self.reference_price / price, elasticity)
    }

    /// Experience/price ratio: quality-driven experience per relative price,
    /// 1 for quality 0.5 at the reference price.
    ///
    /// ```
    /// # use shijing::funnel::{FunnelParams, Traits};
    /// let f = FunnelParams::default();
    /// let t = Traits { quality: 0.5, follow_rate: 0.0, price: 100.0, trust: 0.5, diligence: 1.0 };
    /// assert_eq!(f.value_ratio(&t), 1.0);
    /// // 16 times the reference price: (0.5 + 0.5)·(1/16)^0.25 = 0.5.
    /// let dear = Traits { price: 1600.0, ..t };
    /// assert!((f.value_ratio(&dear) - 0.5).abs() < 1e-15);
    /// ```
    pub fn value_ratio(&self, t: &Traits) -> f64 {
        (0.5 + t.quality) * libm::pow(self.reference_price / t.price, 0.25)
    }

    /// Multiplier of the repurchase hazard from follow-page exposure: buyers
    /// who follow see the merchant on their follow page.
    ///
    /// ```
    /// # use shijing::funnel::{FunnelParams, Traits};
    /// let f = FunnelParams::default();
    /// let t = Traits { quality: 0.5, follow_rate: 0.0, price: 100.0, trust: 0.5, diligence: 1.0 };
    /// // No buyer follows: no lift.
    /// assert_eq!(f.follow_lift(&t), 1.0);
    /// // 5% of clickers follow, buyers 4 times as often (20%), who visit the follow
    /// // page on 8% of days at diligence 1: 1 + 3·0.2·0.08 = 1.048.
    /// let followed = Traits { follow_rate: 0.05, ..t };
    /// assert!((f.follow_lift(&followed) - 1.048).abs() < 1e-12);
    /// ```
    pub fn follow_lift(&self, t: &Traits) -> f64 {
        let visit_rate =
            self.visit_rate_min + (self.visit_rate_max - self.visit_rate_min) * t.diligence;
        let buyer_follow = (t.follow_rate * self.buyer_follow_multiplier).min(1.0);
        1.0 + self.follow_lift * buyer_follow * visit_rate
    }

    /// Mean daily repurchase hazard of an alive customer before the cap at 1
    /// ([`Rates::hazard`] is this, at most 1): `repurchaseHazard` × the trust
    /// factor × (experience/price ratio)^`valueExponent` × the follow-page lift.
    /// A merchant's own fitted repurchase process moves with the merchant's
    /// settings as this does (see `sim::fitted`).
    ///
    /// ```
    /// # use shijing::funnel::{FunnelParams, Traits};
    /// let f = FunnelParams::default();
    /// let t = Traits { quality: 0.5, follow_rate: 0.0, price: 100.0, trust: 0.5, diligence: 1.0 };
    /// // Trust 0.5, value ratio 1, no follow lift: the base hazard itself.
    /// assert_eq!(f.mean_hazard(&t), f.repurchase_hazard);
    /// let followed = Traits { follow_rate: 0.05, ..t };
    /// let lifted = f.repurchase_hazard * f.follow_lift(&followed);
    /// assert!((f.mean_hazard(&followed) - lifted).abs() < 1e-15);
    /// ```
    pub fn mean_hazard(&self, t: &Traits) -> f64 {
        self.repurchase_hazard
            * self.trust_factor(t.trust)
            * libm::pow(self.value_ratio(t), self.value_exponent)
            * self.follow_lift(t)
    }

    /// Dropout probability after a purchase: `dropoutMax` at trust 0 to
    /// `dropoutMin` at trust 1 ([`Rates::dropout`]).
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default(); // dropoutMax 0.6, dropoutMin 0.02
    /// assert_eq!(f.dropout(0.0), 0.6);
    /// assert!((f.dropout(0.5) - 0.31).abs() < 1e-12);
    /// assert!((f.dropout(1.0) - 0.02).abs() < 1e-12);
    /// ```
    pub fn dropout(&self, trust: f64) -> f64 {
        self.dropout_max + (self.dropout_min - self.dropout_max) * trust
    }

    /// Click-through rate before saturation at content quality `quality`
    /// ([`Rates::ctr`]): `ctrMin` + (`ctrMax` − `ctrMin`)·quality.
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default(); // ctrMin 0.01, ctrMax 0.12
    /// assert_eq!(f.ctr(0.0), 0.01);
    /// assert!((f.ctr(0.5) - 0.065).abs() < 1e-15);
    /// ```
    pub fn ctr(&self, quality: f64) -> f64 {
        self.ctr_min + (self.ctr_max - self.ctr_min) * quality
    }

    /// Orders per short-video click at `trust` and `price` ([`Rates::order_rate`]).
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default();
    /// // Trust 0.5 at the reference price (100 yuan): `orderRate` itself.
    /// assert_eq!(f.order_rate_at(0.5, 100.0), f.order_rate);
    /// // Twice the price: (1/2)^priceElasticity as many orders per click.
    /// let want = f.order_rate * 0.5f64.powf(f.price_elasticity);
    /// assert!((f.order_rate_at(0.5, 200.0) - want).abs() < 1e-15);
    /// ```
    pub fn order_rate_at(&self, trust: f64, price: f64) -> f64 {
        (self.order_rate
            * self.trust_factor(trust)
            * self.price_factor(price, self.price_elasticity))
        .min(1.0)
    }

    /// The content quality whose click-through ([`FunnelParams::ctr`]) is
    /// `ctr`, not limited to [0, 1]; NaN when `ctrMin` = `ctrMax`.
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default();
    /// assert!((f.quality_for_ctr(f.ctr(0.37)) - 0.37).abs() < 1e-12);
    /// ```
    pub fn quality_for_ctr(&self, ctr: f64) -> f64 {
        let span = self.ctr_max - self.ctr_min;
        if span > 0.0 {
            (ctr - self.ctr_min) / span
        } else {
            f64::NAN
        }
    }

    /// The trust at which the orders per short-video click at `price`
    /// ([`FunnelParams::order_rate_at`]) are `rate`, not limited to [0, 1]:
    /// the trust factor `1 + w·(2·trust − 1)` solved for; NaN when trust does
    /// not move the rate (`trustWeight` 0) or the rate at `price` is 0.
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default();
    /// let rate = f.order_rate_at(0.8, 59.0);
    /// assert!((f.trust_for_order_rate(rate, 59.0) - 0.8).abs() < 1e-12);
    /// ```
    pub fn trust_for_order_rate(&self, rate: f64, price: f64) -> f64 {
        let at_half = self.order_rate * self.price_factor(price, self.price_elasticity);
        if !(at_half > 0.0 && self.trust_weight > 0.0) {
            return f64::NAN;
        }
        (rate / at_half - 1.0) / (2.0 * self.trust_weight) + 0.5
    }

    /// The merchant's rates.
    ///
    /// ```
    /// # use shijing::funnel::{FunnelParams, Traits};
    /// let f = FunnelParams::default();
    /// let t = Traits { quality: 0.5, follow_rate: 0.05, price: 100.0, trust: 0.5, diligence: 0.5 };
    /// let r = f.rates(&t);
    /// assert_eq!(r.ctr, f.ctr(0.5));
    /// assert_eq!(r.order_rate, f.order_rate_at(0.5, 100.0));
    /// // More trust: fewer customers drop out after a purchase.
    /// assert!(f.rates(&Traits { trust: 0.9, ..t }).dropout < r.dropout);
    /// ```
    pub fn rates(&self, t: &Traits) -> Rates {
        let ctr = self.ctr(t.quality);
        let trust = self.trust_factor(t.trust);
        let price = self.price_factor(t.price, self.price_elasticity);
        let fan_price = self.price_factor(t.price, self.fan_price_elasticity);
        let visit_rate =
            self.visit_rate_min + (self.visit_rate_max - self.visit_rate_min) * t.diligence;
        let hazard = self.mean_hazard(t);
        Rates {
            ctr,
            order_rate: (self.order_rate * trust * price).min(1.0),
            follow_rate: t.follow_rate,
            visit_rate,
            fan_order_rate: (self.fan_order_rate * trust * fan_price).min(1.0),
            dropout: self.dropout(t.trust),
            hazard: hazard.min(1.0),
        }
    }

    /// Expected clicks from `exposure` impressions of one item (diminishing returns).
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default(); // itemSaturation 30,000
    /// // Few exposures: nearly ctr clicks each.
    /// assert!((f.item_clicks(0.1, 30.0) - 3.0).abs() < 0.01);
    /// // At the saturation scale: ctr·s·(1 − 1/e).
    /// let want = 0.1 * 30_000.0 * (1.0 - (-1.0f64).exp());
    /// assert!((f.item_clicks(0.1, 30_000.0) - want).abs() < 1e-9);
    /// ```
    pub fn item_clicks(&self, ctr: f64, exposure: f64) -> f64 {
        self.clicks_at(ctr, self.saturation(exposure))
    }

    /// The diminishing-returns factor of [`FunnelParams::item_clicks`]:
    /// `1 − e^(−exposure/s)`, in `[0, 1)`.
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default();
    /// assert_eq!(f.saturation(0.0), 0.0);
    /// let s = f.saturation(f.item_saturation);
    /// assert!((s - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
    /// ```
    pub fn saturation(&self, exposure: f64) -> f64 {
        -libm::expm1(-exposure / self.item_saturation)
    }

    /// Discovery entries of a live session from `exposure` at click-through
    /// `ctr`, the session `hours_factor` times the reference length:
    /// `ctr·S·(1 − e^{−x/S})` with `S = liveSaturation·hours_factor`.
    ///
    /// ```
    /// # use shijing::funnel::FunnelParams;
    /// let f = FunnelParams::default(); // liveSaturation 300,000
    /// let four_hours = f.live_entries(0.1, 300_000.0, 1.0);
    /// assert!((four_hours - 30_000.0 * (1.0 - (-1.0f64).exp())).abs() < 1e-9);
    /// // Twice as long a session with twice the exposure: twice the entries.
    /// assert!((f.live_entries(0.1, 600_000.0, 2.0) - 2.0 * four_hours).abs() < 1e-9);
    /// // `S` past f64 (liveSaturation near its largest, a long session):
    /// // the limit, every impression saturating nothing, `ctr·x`.
    /// let wide = FunnelParams { live_saturation: f64::MAX, ..f };
    /// assert_eq!(wide.live_entries(0.1, 1000.0, 6.0), 0.1 * 1000.0);
    /// ```
    pub fn live_entries(&self, ctr: f64, exposure: f64, hours_factor: f64) -> f64 {
        let s = self.live_saturation * hours_factor;
        if s == f64::INFINITY {
            // S·(1 − e^{−x/S}) → x; the formula would give ∞·0 = NaN.
            return ctr * exposure;
        }
        ctr * s * -libm::expm1(-exposure / s)
    }

    /// [`FunnelParams::item_clicks`] given its [`FunnelParams::saturation`]
    /// factor (the same operations in the same order: the same bits).
    pub(crate) fn clicks_at(&self, ctr: f64, saturation: f64) -> f64 {
        ctr * self.item_saturation * saturation
    }
}

/// Daily hazards of the rate classes for mean hazard `hazard` and gamma shape
/// `shape`, with their weights. The classes are the quartile medians of the
/// gamma distribution, rescaled so the weighted mean is exactly `hazard`.
///
/// ```
/// # use shijing::funnel::rate_classes;
/// let (hazards, weights) = rate_classes(0.01, 20.0);
/// assert_eq!(weights, [0.25; 4]);
/// let mean: f64 = hazards.iter().zip(&weights).map(|(h, w)| h * w).sum();
/// assert!((mean - 0.01).abs() < 1e-15);
/// assert!(hazards.windows(2).all(|p| p[0] < p[1]));
/// ```
pub fn rate_classes(hazard: f64, shape: f64) -> ([f64; RATE_CLASSES], [f64; RATE_CLASSES]) {
    // Quartile midpoints (probabilities 1/8, 3/8, 5/8, 7/8) of Gamma(shape, 1/shape)
    // by Wilson–Hilferty, which is accurate to ~1% for shape ≥ 0.5 and keeps the
    // code free of an inverse incomplete gamma.
    let probs = [0.125, 0.375, 0.625, 0.875];
    let z = [
        -1.150_349_380_376_008,
        -0.318_639_363_964_375,
        0.318_639_363_964_375,
        1.150_349_380_376_008,
    ];
    let mut nodes = [0.0; RATE_CLASSES];
    let c = 1.0 / (9.0 * shape);
    for (k, &zk) in z.iter().enumerate() {
        let w = 1.0 - c + zk * (c).sqrt();
        nodes[k] = (w * w * w).max(1e-6);
    }
    let mean: f64 = nodes.iter().sum::<f64>() / RATE_CLASSES as f64;
    let weights = [1.0 / probs.len() as f64; RATE_CLASSES];
    for n in &mut nodes {
        *n = (*n / mean * hazard).min(1.0);
    }
    (nodes, weights)
}

/// Probability that a new customer (just made a first purchase) buys again
/// within `days` days, under constant conditions: survives the first dropout,
/// then at least one purchase.
///
/// ```
/// # use shijing::funnel::{repurchase_probability, FunnelParams, Rates, Traits};
/// let t = Traits { quality: 0.5, follow_rate: 0.05, price: 100.0, trust: 0.5, diligence: 0.5 };
/// let rates = Rates { hazard: 0.01, dropout: 0.2, ..FunnelParams::default().rates(&t) };
/// // Within one day: survives the dropout (0.8), then buys at the mean hazard.
/// assert!((repurchase_probability(&rates, 20.0, 1.0) - 0.8 * 0.01).abs() < 1e-15);
/// // A longer window can only add repurchases.
/// assert!(repurchase_probability(&rates, 20.0, 90.0) > repurchase_probability(&rates, 20.0, 30.0));
/// ```
pub fn repurchase_probability(rates: &Rates, shape: f64, days: f64) -> f64 {
    let (h, w) = rate_classes(rates.hazard, shape);
    let mut p = 0.0;
    for k in 0..RATE_CLASSES {
        p += w[k] * -libm::expm1(days * libm::log1p(-h[k]));
    }
    (1.0 - rates.dropout) * p
}

/// The repurchase rate a shop backend reports for a window of `window` days:
/// of the first-time buyers of each day (`first[t]`) whose first order was at
/// least `window` days before the end of the `first.len()` days, the share who
/// ordered again within `window` days, cohorts weighted by size. A buyer
/// survives the first dropout (`dropout`) and then buys on day `d` with
/// probability `h_k·multiplier[d]` in rate class `k` (classes `hazards` with
/// `weights`). When no cohort has a complete window (a short run, or no
/// buyers in time), every cohort counts and days past the end have
/// multiplier 1. Returns 0 when there are no first-time buyers at all.
///
/// ```
/// # use shijing::funnel::cohort_repurchase_rate;
/// let (hazards, weights) = ([0.1; 4], [0.25; 4]);
/// // 100 first-time buyers on day 0 of 3; a 2-day window: 1 − 0.9² = 0.19.
/// let rate = cohort_repurchase_rate(&hazards, &weights, 0.0, &[100.0, 0.0, 0.0], &[1.0; 3], 2);
/// assert!((rate - 0.19).abs() < 1e-12);
/// // Half drop out after the first purchase.
/// let rate = cohort_repurchase_rate(&hazards, &weights, 0.5, &[100.0, 0.0, 0.0], &[1.0; 3], 2);
/// assert!((rate - 0.095).abs() < 1e-12);
/// assert_eq!(cohort_repurchase_rate(&hazards, &weights, 0.0, &[0.0; 3], &[1.0; 3], 2), 0.0);
/// ```
pub fn cohort_repurchase_rate(
    hazards: &[f64; RATE_CLASSES],
    weights: &[f64; RATE_CLASSES],
    dropout: f64,
    first: &[f64],
    multiplier: &[f64],
    window: usize,
) -> f64 {
    let days = first.len();
    // Log-survival prefix sums per class over the run and `window` days past it.
    let span = days + window + 1;
    let mut prefix = vec![[0.0; RATE_CLASSES]; span + 1];
    for d in 0..span {
        let m = multiplier.get(d).copied().unwrap_or(1.0);
        for k in 0..RATE_CLASSES {
            // Below 1 so the log stays finite (a certain purchase is e^-27.6 ≈ 0).
            let p = crate::stats::clamp(hazards[k] * m, 0.0, 1.0 - 1e-12);
            prefix[d + 1][k] = prefix[d][k] + libm::log1p(-p);
        }
    }
    let rate_of = |t: usize| -> f64 {
        // Repurchase days t+1 ..= t+window.
        let mut p = 0.0;
        for k in 0..RATE_CLASSES {
            let survive = libm::exp(prefix[t + window + 1][k] - prefix[t + 1][k]);
            p += weights[k] * (1.0 - survive);
        }
        (1.0 - dropout) * p
    };
    let average = |cohorts: std::ops::Range<usize>| -> Option<f64> {
        let (mut n, mut sum) = (0.0, 0.0);
        for t in cohorts {
            if first[t] > 0.0 {
                n += first[t];
                sum += first[t] * rate_of(t);
            }
        }
        (n > 0.0).then(|| sum / n)
    };
    let complete = days.saturating_sub(window);
    average(0..complete)
        .or_else(|| average(0..days))
        .unwrap_or(0.0)
}

/// A merchant's customers as alive counts per rate class.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct CustomerBase {
    /// Expected alive customers in each rate class.
    pub(crate) alive: [f64; RATE_CLASSES],
    /// All customers ever acquired.
    pub(crate) total: f64,
}

impl CustomerBase {
    /// Adds `n` first-time buyers; a share `dropout` of them never returns.
    pub(crate) fn acquire(&mut self, n: f64, dropout: f64, weights: &[f64; RATE_CLASSES]) {
        for (a, w) in self.alive.iter_mut().zip(weights) {
            *a += n * w * (1.0 - dropout);
        }
        self.total += n;
    }

    /// Expected repurchases today per class with the class hazards `h`.
    pub(crate) fn expected_repurchases(&self, h: &[f64; RATE_CLASSES]) -> [f64; RATE_CLASSES] {
        std::array::from_fn(|k| self.alive[k] * h[k])
    }

    /// Applies today's repurchases: a share `dropout` of the buyers drops out.
    pub(crate) fn after_purchases(&mut self, purchases: &[f64; RATE_CLASSES], dropout: f64) {
        for (a, p) in self.alive.iter_mut().zip(purchases) {
            *a = crate::stats::max_of(*a - p * dropout, 0.0);
        }
    }

    /// Expected alive customers.
    pub(crate) fn alive_total(&self) -> f64 {
        self.alive.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traits() -> Traits {
        Traits {
            quality: 0.5,
            follow_rate: 0.03,
            price: 100.0,
            trust: 0.5,
            diligence: 0.5,
        }
    }

    #[test]
    fn defaults_validate() {
        FunnelParams::default().validate("funnel.").unwrap();
        let bad = FunnelParams {
            ctr_min: 1.5,
            ..FunnelParams::default()
        };
        assert_eq!(
            bad.validate("funnel.").unwrap_err().to_string(),
            "funnel.ctrMin must be in [0, 1], got 1.5"
        );
    }

    #[test]
    fn rates_move_the_right_way() {
        let p = FunnelParams::default();
        let base = p.rates(&traits());
        let better = p.rates(&Traits {
            quality: 0.9,
            ..traits()
        });
        assert!(better.ctr > base.ctr);
        let trusted = p.rates(&Traits {
            trust: 0.9,
            ..traits()
        });
        assert!(
            trusted.order_rate > base.order_rate
                && trusted.dropout < base.dropout
                && trusted.hazard > base.hazard
        );
        let dear = p.rates(&Traits {
            price: 400.0,
            ..traits()
        });
        assert!(dear.order_rate < base.order_rate);
        let fans = p.rates(&Traits {
            follow_rate: 0.2,
            ..traits()
        });
        assert!(fans.hazard > base.hazard, "following lifts repurchase");
    }

    #[test]
    fn clicks_saturate() {
        let p = FunnelParams::default();
        // Far below the saturation scale, clicks are ctr × exposure (within 0.2%).
        let x = p.item_saturation / 300.0;
        let c1 = p.item_clicks(0.1, x);
        assert!((c1 - 0.1 * x).abs() < 0.002 * 0.1 * x, "{c1}");
        let big = p.item_clicks(0.1, 10_000_000.0);
        assert!(big <= 0.1 * p.item_saturation + 1e-9);
        let s = p.item_saturation;
        assert!(p.item_clicks(0.1, 2.0 * s) > p.item_clicks(0.1, s));
        // A live session saturates on its own scale, longer with the session.
        let e = p.live_entries(0.1, p.live_saturation, 1.0);
        assert!((e - 0.1 * p.live_saturation * (1.0 - (-1.0f64).exp())).abs() < 1e-6);
        assert!(p.live_entries(0.1, p.live_saturation, 2.0) > e);
    }

    #[test]
    fn rate_classes_keep_the_mean() {
        for shape in [0.5, 1.0, 3.0, 20.0] {
            let (h, w) = rate_classes(0.01, shape);
            let mean: f64 = h.iter().zip(w).map(|(a, b)| a * b).sum();
            assert!((mean - 0.01).abs() < 1e-12, "{shape}: {mean}");
            assert!(h.windows(2).all(|p| p[0] <= p[1]));
        }
    }

    #[test]
    fn repurchase_probability_rises_with_days_and_is_a_probability() {
        let r = FunnelParams::default().rates(&traits());
        let p30 = repurchase_probability(&r, 3.0, 30.0);
        let p90 = repurchase_probability(&r, 3.0, 90.0);
        assert!(0.0 < p30 && p30 < p90 && p90 < 1.0 - r.dropout + 1e-12);
    }

    #[test]
    fn customer_base_accounting() {
        let mut base = CustomerBase::default();
        let (h, w) = rate_classes(0.02, 3.0);
        base.acquire(1000.0, 0.1, &w);
        assert!((base.alive_total() - 900.0).abs() < 1e-9);
        let buys = base.expected_repurchases(&h);
        let total: f64 = buys.iter().sum();
        assert!((total - 900.0 * 0.02).abs() < 1e-9);
        base.after_purchases(&buys, 0.5);
        assert!((base.alive_total() - (900.0 - total * 0.5)).abs() < 1e-9);
    }
}
