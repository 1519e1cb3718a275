//! Per-customer predictions (vectorized over customers), new-customer curves,
//! spend and CLV, the merchant-level summary and the calibration/holdout check.
//!
//! Time arguments (`t`, `T`, `recency`) are in the data's own time unit (the
//! unit the model was fitted in — weeks for CDNOW). Options that speak of
//! days (`unitDays`) say how many days one such unit lasts.

use super::bgnbd::{expected_if_alive_at, PosteriorRules, Variant};
use super::chebyshev::LogCurve;
use super::data;
use super::model::Model;
use crate::stats::max_of;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

impl Model {
    fn per_customer(
        &self,
        what: &str,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        mut f: impl FnMut(&Model, f64, f64, f64) -> f64,
    ) -> Result<Vec<f64>> {
        self.require_transactions(what)?;
        data::check_customers(frequency, recency, t)?;
        Ok(frequency
            .iter()
            .zip(recency)
            .zip(t)
            .map(|((&x, &tx), &tt)| f(self, x, tx, tt))
            .collect())
    }

    /// P(alive at T) for one customer (transaction models; NaN for Gamma-Gamma).
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let bg = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
    /// let mbg = Model::from_params(ModelKind::ModifiedBgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
    /// // BG/NBD: no dropout before a repeat purchase; MBG/NBD: possibly at once.
    /// assert_eq!(bg.alive_one(0.0, 0.0, 30.0), 1.0);
    /// assert!(mbg.alive_one(0.0, 0.0, 30.0) < 1.0);
    /// // One element of the vectorized call.
    /// assert_eq!(bg.alive_one(2.0, 20.0, 30.0), bg.probability_alive(&[2.0], &[20.0], &[30.0]).unwrap()[0]);
    /// let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
    /// assert!(gg.alive_one(2.0, 20.0, 30.0).is_nan());
    /// ```
    pub fn alive_one(&self, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Model::BgNbd(p) => p.probability_alive(Variant::Bg, x, tx, t),
            Model::ModifiedBgNbd(p) => p.probability_alive(Variant::Modified, x, tx, t),
            Model::ParetoNbd(p) => p.probability_alive(x, tx, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    /// E[purchases in (T, T+h]] for one customer.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let m = Model::from_params(ModelKind::ParetoNbd, &[0.55, 10.58, 0.61, 11.67]).unwrap();
    /// let e = m.expected_one(10.0, 2.0, 20.0, 30.0);
    /// let v = m.expected_purchases(10.0, &[2.0], &[20.0], &[30.0]).unwrap();
    /// assert!((e - v[0]).abs() <= 1e-12 * e);
    /// assert_eq!(m.expected_one(0.0, 2.0, 20.0, 30.0), 0.0); // no time, no purchase
    /// ```
    pub fn expected_one(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Model::BgNbd(p) => p.expected_purchases(Variant::Bg, h, x, tx, t),
            Model::ModifiedBgNbd(p) => p.expected_purchases(Variant::Modified, h, x, tx, t),
            Model::ParetoNbd(p) => p.expected_purchases(h, x, tx, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    /// P(at least one purchase in (T, T+h]) for one customer.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let (r, alpha) = (0.25, 4.0);
    /// let m = Model::from_params(ModelKind::BgNbd, &[r, alpha, 0.8, 2.4]).unwrap();
    /// // A customer just acquired (x = t_x = T = 0) is alive; no purchase in h
    /// // has probability E[e^(−λh)] = (α/(α+h))^r.
    /// let p = m.repurchase_one(10.0, 0.0, 0.0, 0.0);
    /// assert!((p - (1.0 - (alpha / (alpha + 10.0)).powf(r))).abs() < 1e-12);
    /// ```
    pub fn repurchase_one(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Model::BgNbd(p) => p.probability_of_repurchase(Variant::Bg, h, x, tx, t),
            Model::ModifiedBgNbd(p) => p.probability_of_repurchase(Variant::Modified, h, x, tx, t),
            Model::ParetoNbd(p) => p.probability_of_repurchase(h, x, tx, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    /// P(alive) per customer.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// // CDNOW's BG/NBD (weeks): r, alpha, a, b.
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// // A customer with 2 repeat purchases, the last at week 30.43 of 38.86 …
    /// let p = m.probability_alive(&[2.0, 2.0], &[30.43, 5.0], &[38.86, 38.86]).unwrap();
    /// // … is likelier alive than one whose last was at week 5.
    /// assert!(p[0] > 0.5 && p[1] < p[0]);
    /// ```
    pub fn probability_alive(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
    ) -> Result<Vec<f64>> {
        self.per_customer("probabilityAlive", frequency, recency, t, |m, x, tx, tt| {
            m.alive_one(x, tx, tt)
        })
    }

    /// Expected purchases in the next `h` time units, per customer,
    /// conditional on each customer's history.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// // CDNOW's BG/NBD (weeks): r, alpha, a, b.
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// // Fader–Hardie–Lee's customer (x = 2, t_x = 30.43, T = 38.86) over 39 weeks: 1.226.
    /// let e = m.expected_purchases(39.0, &[2.0], &[30.43], &[38.86]).unwrap();
    /// assert!((e[0] - 1.226).abs() < 1e-3);
    /// ```
    pub fn expected_purchases(
        &self,
        h: f64,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
    ) -> Result<Vec<f64>> {
        data::check_horizon("t", h)?;
        let mut curves = Curves::new(self);
        self.per_customer(
            "expectedPurchases",
            frequency,
            recency,
            t,
            |m, x, tx, tt| m.alive_one(x, tx, tt) * curves.expected_if_alive(h, x, tt),
        )
    }

    /// P(at least one purchase in the next `h` time units), per customer.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// // CDNOW's BG/NBD (weeks): r, alpha, a, b.
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// let p = m.probability_of_repurchase(4.0, &[2.0], &[30.43], &[38.86]).unwrap();
    /// let e = m.expected_purchases(4.0, &[2.0], &[30.43], &[38.86]).unwrap();
    /// assert!(p[0] > 0.0 && p[0] <= e[0]); // P(N ≥ 1) ≤ E[N]
    /// ```
    pub fn probability_of_repurchase(
        &self,
        h: f64,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
    ) -> Result<Vec<f64>> {
        data::check_horizon("t", h)?;
        self.per_customer(
            "probabilityOfRepurchase",
            frequency,
            recency,
            t,
            |m, x, tx, tt| m.repurchase_one(h, x, tx, tt),
        )
    }

    fn check_horizons(ts: &[f64]) -> Result<()> {
        validate::non_empty("t", ts.len())?;
        validate::max_len("t", ts.len(), validate::MAX_ELEMENTS)?;
        for (i, &h) in ts.iter().enumerate() {
            data::check_horizon(&format!("t[{i}]"), h)?;
        }
        Ok(())
    }

    /// For a brand-new customer (first purchase at time 0): P(a repeat
    /// purchase within each `t`). BG/NBD: 1 − (α/(α+t))^r; MBG/NBD:
    /// b/(a+b)·(1 − (α/(α+t))^r); Pareto/NBD: the chance the first repeat
    /// purchase comes before dropout and within t.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// // CDNOW's BG/NBD (weeks): r, alpha, a, b.
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// let p = m.new_customer_repurchase(&[4.0, 13.0]).unwrap();
    /// let (r, alpha) = (0.2426_f64, 4.4136_f64);
    /// assert!((p[0] - (1.0 - (alpha / (alpha + 4.0)).powf(r))).abs() < 1e-12);
    /// assert!(p[1] > p[0]);
    /// ```
    pub fn new_customer_repurchase(&self, ts: &[f64]) -> Result<Vec<f64>> {
        self.require_transactions("newCustomerRepurchase")?;
        Self::check_horizons(ts)?;
        Ok(ts
            .iter()
            .map(|&h| self.repurchase_one(h, 0.0, 0.0, 0.0))
            .collect())
    }

    /// For a brand-new customer: expected repeat purchases within each `t`.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let (r, alpha, a, b) = (0.2426, 4.4136, 0.7929, 2.4259); // CDNOW, weeks
    /// let m = Model::from_params(ModelKind::BgNbd, &[r, alpha, a, b]).unwrap();
    /// // FHL (2005) eq. 9: (a+b−1)/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
    /// let (t, mut term, mut f) = (39.0, 1.0, 1.0);
    /// for k in 0..2000 {
    ///     let k = k as f64;
    ///     term *= (r + k) * (b + k) / ((a + b - 1.0 + k) * (k + 1.0)) * (t / (alpha + t));
    ///     f += term;
    /// }
    /// let want = (a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)).powf(r) * f);
    /// let e = m.new_customer_expected_purchases(&[t]).unwrap();
    /// assert!((e[0] - want).abs() < 1e-9);
    /// ```
    pub fn new_customer_expected_purchases(&self, ts: &[f64]) -> Result<Vec<f64>> {
        self.require_transactions("newCustomerExpectedPurchases")?;
        Self::check_horizons(ts)?;
        let mut curves = Curves::new(self);
        let alive = self.alive_one(0.0, 0.0, 0.0);
        Ok(ts
            .iter()
            .map(|&h| alive * curves.expected_if_alive(h, 0.0, 0.0))
            .collect())
    }

    /// Gamma-Gamma: expected mean transaction value per customer given x and
    /// the mean repeat-transaction value z̄ (`monetary`; ignored when x = 0,
    /// which gets the population mean p·v/(q−1)). An error when that mean
    /// does not exist (q ≤ 1) for a customer who needs it, or a value
    /// overflows.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// // CDNOW's Gamma-Gamma: p, q, v.
    /// let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
    /// let s = gg.expected_spend(&[2.0, 0.0], &[22.35, 0.0]).unwrap();
    /// // A repeat buyer's value is pulled from 22.35 toward the mean p·v/(q−1) = 35.2.
    /// assert!(s[0] > 22.35 && s[0] < 35.3);
    /// assert!((s[1] - 6.25 * 15.44 / 2.74).abs() < 1e-9);
    /// ```
    pub fn expected_spend(&self, frequency: &[f64], monetary: &[f64]) -> Result<Vec<f64>> {
        let p = self.require_spend("expectedSpend")?;
        super::gamma_gamma::check_spend(frequency, monetary, None)?;
        frequency
            .iter()
            .zip(monetary)
            .enumerate()
            .map(|(i, (&x, &m))| spend_of(&p, i, x, m))
            .collect()
    }

    /// Discounted customer lifetime value, following lifetimes'
    /// `customer_lifetime_value`: for months k = 1..=months,
    /// `CLV += spend · (E[Y(k·u)] − E[Y((k−1)·u)]) / (1 + monthlyDiscountRate)^k`
    /// where u = `unitsPerMonth` (time units per month: 30 for days, 4.345 for
    /// weeks), `E[Y]` comes from `transactions` and spend from this Gamma-Gamma
    /// model's expected spend. P(alive) is computed once per customer and
    /// only the expectation given alive month by month (`Curve`); months are
    /// at most 120, the horizons at most 1e7 time units.
    #[allow(clippy::too_many_arguments)]
    ///
    /// ```
    /// # use shijing::repurchase::{ClvOptions, Model, ModelKind};
    /// let bg = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
    /// let weeks = ClvOptions { months: Some(12.0), units_per_month: Some(4.345), ..Default::default() };
    /// let clv = gg
    ///     .customer_lifetime_value(&bg, &[2.0, 2.0], &[30.43, 5.0], &[38.86, 38.86], &[22.35, 22.35], &weeks)
    ///     .unwrap();
    /// assert!(clv[0] > clv[1] && clv[1] > 0.0); // the recent buyer is worth more
    /// ```
    pub fn customer_lifetime_value(
        &self,
        transactions: &Model,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        monetary: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        let gg = self.require_spend("customerLifetimeValue")?;
        transactions.require_transactions("customerLifetimeValue (transactions)")?;
        data::check_customers(frequency, recency, t)?;
        validate::same_len("frequency", frequency.len(), "monetary", monetary.len())?;
        super::gamma_gamma::check_spend(frequency, monetary, None)?;
        let months = options.months.unwrap_or(12.0);
        if !(months.fract() == 0.0 && (1.0..=MAX_MONTHS).contains(&months)) {
            return Err(Error::invalid(format!(
                "options.months must be an integer in [1, {}], got {}",
                num(MAX_MONTHS),
                num(months)
            )));
        }
        let rate = options.monthly_discount_rate.unwrap_or(0.01);
        validate::in_closed("options.monthlyDiscountRate", rate, 0.0, 10.0)?;
        let upm = options.units_per_month.unwrap_or(30.0);
        validate::positive("options.unitsPerMonth", upm)?;
        if upm * months > data::MAX_TIME {
            return Err(Error::invalid(format!(
                "options.unitsPerMonth × options.months is {}; at most {} time units are supported",
                num(upm * months),
                num(data::MAX_TIME)
            )));
        }
        let months = months as usize;
        let discount = 1.0 / (1.0 + rate);
        let mut curves = Curves::new(transactions);
        curves.prepare(frequency, t, upm, upm * months as f64, months);
        let mut out = Vec::with_capacity(frequency.len());
        for i in 0..frequency.len() {
            let (x, tx, tt, m) = (frequency[i], recency[i], t[i], monetary[i]);
            let spend = spend_of(&gg, i, x, m)?;
            let alive = transactions.alive_one(x, tx, tt);
            let mut sum = 0.0;
            if alive > 0.0 {
                let mut d = 1.0;
                let mut prev = 0.0;
                for k in 1..=months {
                    d *= discount;
                    let e = curves.expected_if_alive(upm * k as f64, x, tt);
                    sum += d * (e - prev);
                    prev = e;
                }
            }
            let clv = spend * alive * sum;
            if !clv.is_finite() {
                return Err(Error::invalid(format!(
                    "customerLifetimeValue overflows for customer {i} (monetary[{i}] = {})",
                    num(m)
                )));
            }
            out.push(clv);
        }
        Ok(out)
    }

    /// Merchant-level view: mean P(≥1 purchase in the next 30 and 90 days),
    /// expected purchases per customer in those windows, and the share of
    /// customers whose P(alive) exceeds `aliveThreshold` (default 0.5).
    ///
    /// ```
    /// # use shijing::repurchase::{MerchantOptions, Model, ModelKind};
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// let weeks = MerchantOptions { unit_days: Some(7.0), ..Default::default() };
    /// let s = m.merchant_summary(&[0.0, 2.0, 7.0], &[0.0, 30.43, 36.0], &[38.86; 3], &weeks).unwrap();
    /// assert_eq!(s.customers, 3);
    /// assert!(s.share_buying_next30 < s.share_buying_next90 && s.expected_purchases30 < s.expected_purchases90);
    /// ```
    pub fn merchant_summary(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        options: &MerchantOptions,
    ) -> Result<MerchantSummary> {
        self.require_transactions("merchantSummary")?;
        let (unit_days, threshold) = summary_settings(frequency, recency, t, options)?;
        let n = frequency.len() as f64;
        Ok(self.summary_of_rows((frequency, recency, t), None, n, unit_days, threshold))
    }

    /// The merchant summary of checked customer rows, each row counted
    /// `counts[i]` times (once without `counts`), over `n` customers in all.
    pub(crate) fn summary_of_rows(
        &self,
        (frequency, recency, t): (&[f64], &[f64], &[f64]),
        counts: Option<&[f64]>,
        n: f64,
        unit_days: f64,
        threshold: f64,
    ) -> MerchantSummary {
        let (h30, h90) = (30.0 / unit_days, 90.0 / unit_days);
        let mut curves = Curves::new(self);
        let mut s = MerchantSummary {
            customers: n as u32,
            ..Default::default()
        };
        for i in 0..frequency.len() {
            let (x, tx, tt) = (frequency[i], recency[i], t[i]);
            let w = counts.and_then(|c| c.get(i).copied()).unwrap_or(1.0) / n;
            let alive = self.alive_one(x, tx, tt);
            s.mean_probability_alive += w * alive;
            if alive > threshold {
                s.share_alive += w;
            }
            // A longer window never holds less: where a customer's process has
            // stopped (saturated curves) the two can differ in the last digit.
            let r30 = curves.repurchase_if_alive(h30, x, tt);
            let r90 = max_of(curves.repurchase_if_alive(h90, x, tt), r30);
            let e30 = curves.expected_if_alive(h30, x, tt);
            let e90 = max_of(curves.expected_if_alive(h90, x, tt), e30);
            s.share_buying_next30 += w * alive * r30;
            s.share_buying_next90 += w * alive * r90;
            s.expected_purchases30 += w * alive * e30;
            s.expected_purchases90 += w * alive * e90;
        }
        s
    }

    /// Calibration/holdout comparison: customers grouped by calibration
    /// frequency 0, 1, …, `maxFrequency` (the last group holds everyone at or
    /// above it; default 7), with the mean predicted purchases over the
    /// holdout `duration` and the mean actual holdout purchases per group,
    /// plus totals over all customers.
    #[allow(clippy::too_many_arguments)]
    ///
    /// ```
    /// # use shijing::repurchase::{HoldoutOptions, Model, ModelKind};
    /// let m = Model::from_params(ModelKind::BgNbd, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// let (x, tx, t) = ([0.0, 1.0, 3.0], [0.0, 10.0, 30.0], [38.0, 38.0, 38.0]);
    /// let c = m.holdout_check(&x, &tx, &t, &[0.0, 1.0, 2.0], 39.0, &HoldoutOptions::default()).unwrap();
    /// assert_eq!(c.actual_total, 3.0);
    /// assert_eq!(c.customers.iter().sum::<u32>(), 3);
    /// assert!((c.predicted_per_customer.iter().sum::<f64>() - c.predicted_total).abs() < 1e-12);
    /// ```
    pub fn holdout_check(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        holdout_frequency: &[f64],
        duration: f64,
        options: &HoldoutOptions,
    ) -> Result<HoldoutCheck> {
        self.require_transactions("holdoutCheck")?;
        data::check_customers(frequency, recency, t)?;
        validate::same_len(
            "frequency",
            frequency.len(),
            "holdoutFrequency",
            holdout_frequency.len(),
        )?;
        validate::all_finite_non_negative("holdoutFrequency", holdout_frequency)?;
        data::check_horizon("duration", duration)?;
        let cap = options.max_frequency.unwrap_or(7.0);
        if !(cap.fract() == 0.0 && (1.0..=1000.0).contains(&cap)) {
            return Err(Error::invalid(format!(
                "options.maxFrequency must be an integer in [1, 1000], got {}",
                num(cap)
            )));
        }
        let k = cap as usize + 1;
        let mut out = HoldoutCheck {
            frequency: (0..k).map(|i| i as f64).collect(),
            customers: vec![0; k],
            predicted: vec![0.0; k],
            actual: vec![0.0; k],
            predicted_per_customer: Vec::with_capacity(frequency.len()),
            ..Default::default()
        };
        let mut curves = Curves::new(self);
        for i in 0..frequency.len() {
            let (x, tx, tt) = (frequency[i], recency[i], t[i]);
            let pred = self.alive_one(x, tx, tt) * curves.expected_if_alive(duration, x, tt);
            let act = holdout_frequency[i];
            let bin = (frequency[i].min(cap)) as usize;
            if let (Some(c), Some(p), Some(a)) = (
                out.customers.get_mut(bin),
                out.predicted.get_mut(bin),
                out.actual.get_mut(bin),
            ) {
                *c += 1;
                *p += pred;
                *a += act;
            }
            out.predicted_total += pred;
            out.actual_total += act;
            out.predicted_per_customer.push(pred);
        }
        if !out.actual_total.is_finite() {
            return Err(Error::invalid(format!(
                "holdoutFrequency sums to more than {} (the largest finite number); holdout purchase counts that large are not supported",
                num(f64::MAX)
            )));
        }
        for b in 0..k {
            let c = out.customers[b] as f64;
            if c > 0.0 {
                out.predicted[b] /= c;
                out.actual[b] /= c;
            } else {
                out.predicted[b] = f64::NAN;
                out.actual[b] = f64::NAN;
            }
        }
        Ok(out)
    }
}

/// Options for [`Model::customer_lifetime_value`].
///
/// ```
/// # use shijing::repurchase::{ClvOptions, Model, ModelKind};
/// let bg = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
/// let clv = |o: &ClvOptions| gg.customer_lifetime_value(&bg, &[2.0], &[20.0], &[30.0], &[25.0], o).unwrap();
/// // The defaults: 12 months of 30 days, 1% a month.
/// let stated = ClvOptions { months: Some(12.0), monthly_discount_rate: Some(0.01), units_per_month: Some(30.0) };
/// assert_eq!(clv(&ClvOptions::default()), clv(&stated));
/// // No discount: worth more.
/// assert!(clv(&ClvOptions { monthly_discount_rate: Some(0.0), ..stated })[0] > clv(&stated)[0]);
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClvOptions {
    /// Months to sum over (default 12).
    pub months: Option<f64>,
    /// Discount rate per month (default 0.01).
    pub monthly_discount_rate: Option<f64>,
    /// Time units per month (default 30: days; 4.345 for weeks).
    pub units_per_month: Option<f64>,
}

/// Options for [`Model::merchant_summary`].
///
/// ```
/// # use shijing::repurchase::{MerchantOptions, Model, ModelKind};
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let (x, tx, t) = ([0.0, 2.0], [0.0, 20.0], [30.0, 30.0]);
/// let days = m.merchant_summary(&x, &tx, &t, &MerchantOptions::default()).unwrap();
/// let stated = MerchantOptions { unit_days: Some(1.0), alive_threshold: Some(0.5) };
/// assert_eq!(days, m.merchant_summary(&x, &tx, &t, &stated).unwrap());
/// // In weeks, 30 days are 30/7 units.
/// let weeks = m.merchant_summary(&x, &tx, &t, &MerchantOptions { unit_days: Some(7.0), ..stated }).unwrap();
/// let p = m.probability_of_repurchase(30.0 / 7.0, &x, &tx, &t).unwrap();
/// assert!((weeks.share_buying_next30 - (p[0] + p[1]) / 2.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MerchantOptions {
    /// Days per time unit of the data (default 1; 7 for weeks).
    pub unit_days: Option<f64>,
    /// P(alive) above which a customer counts as likely alive (default 0.5).
    pub alive_threshold: Option<f64>,
}

/// Merchant-level repurchase summary.
///
/// ```
/// # use shijing::repurchase::{MerchantOptions, Model, ModelKind};
/// let m = Model::from_params(ModelKind::ModifiedBgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let (x, tx, t) = ([0.0, 2.0, 5.0], [0.0, 20.0, 29.0], [30.0; 3]);
/// let s = m.merchant_summary(&x, &tx, &t, &MerchantOptions::default()).unwrap();
/// let alive = m.probability_alive(&x, &tx, &t).unwrap();
/// assert!((s.mean_probability_alive - alive.iter().sum::<f64>() / 3.0).abs() < 1e-12);
/// let above = alive.iter().filter(|&&p| p > 0.5).count() as f64;
/// assert_eq!(s.share_alive, above / 3.0);
/// // A share who buy is at most the purchases expected per customer.
/// assert!(s.share_buying_next90 <= s.expected_purchases90);
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MerchantSummary {
    /// Customers summarized.
    pub customers: u32,
    /// Mean over customers of P(≥ 1 purchase in the next 30 days): the
    /// expected share of them who buy in the next 30 days (未来30天会回购的
    /// 客户占比). Not a shop backend's 30天复购率 (that is [`crate::repurchase::cohort_repurchase`]).
    pub share_buying_next30: f64,
    /// The same for the next 90 days.
    pub share_buying_next90: f64,
    /// Mean expected purchases per customer in the next 30 days.
    pub expected_purchases30: f64,
    /// Mean expected purchases per customer in the next 90 days.
    pub expected_purchases90: f64,
    /// Share of customers with P(alive) above the threshold.
    pub share_alive: f64,
    /// Mean P(alive).
    pub mean_probability_alive: f64,
}

/// Options for [`Model::holdout_check`].
///
/// ```
/// # use shijing::repurchase::{HoldoutOptions, Model, ModelKind};
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let (x, tx, t) = ([0.0, 1.0, 2.0, 9.0], [0.0, 5.0, 9.0, 29.0], [30.0; 4]);
/// let two = HoldoutOptions { max_frequency: Some(2.0) };
/// let c = m.holdout_check(&x, &tx, &t, &[0.0, 1.0, 1.0, 4.0], 30.0, &two).unwrap();
/// assert_eq!(c.frequency, [0.0, 1.0, 2.0]); // 0, 1 and "2 or more"
/// assert_eq!(c.customers, [1, 1, 2]);
/// assert_eq!(c.actual, [0.0, 1.0, 2.5]);
/// let default = m.holdout_check(&x, &tx, &t, &[0.0; 4], 30.0, &HoldoutOptions::default()).unwrap();
/// assert_eq!(default.frequency.len(), 8); // 0, 1, …, 6, 7+
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldoutOptions {
    /// Calibration frequency at which groups are capped (default 7: 0…6, 7+).
    pub max_frequency: Option<f64>,
}

/// Predicted vs actual holdout purchases.
///
/// ```
/// # use shijing::repurchase::{HoldoutOptions, Model, ModelKind};
/// let m = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let (x, tx, t) = ([0.0, 2.0], [0.0, 20.0], [30.0, 30.0]);
/// let c = m.holdout_check(&x, &tx, &t, &[1.0, 0.0], 15.0, &HoldoutOptions::default()).unwrap();
/// // Each customer's prediction is their expected purchases over the holdout.
/// assert_eq!(c.predicted_per_customer, m.expected_purchases(15.0, &x, &tx, &t).unwrap());
/// assert_eq!(c.actual_total, 1.0);
/// assert!(c.predicted[3].is_nan()); // nobody with x = 3
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HoldoutCheck {
    /// Calibration frequency of each group (the last is "this or more").
    pub frequency: Vec<f64>,
    /// Customers per group.
    pub customers: Vec<u32>,
    /// Mean predicted holdout purchases per group (NaN for an empty group).
    pub predicted: Vec<f64>,
    /// Mean actual holdout purchases per group (NaN for an empty group).
    pub actual: Vec<f64>,
    /// Σ predicted over all customers.
    pub predicted_total: f64,
    /// Σ actual over all customers.
    pub actual_total: f64,
    /// Predicted holdout purchases per customer.
    pub predicted_per_customer: Vec<f64>,
}

/// Largest `months` of a CLV (ten years of months: with horizons to 1e7 the
/// sum costs months × customers expectation evaluations).
///
/// ```
/// # use shijing::repurchase::{ClvOptions, Model, ModelKind, MAX_MONTHS};
/// let bg = Model::from_params(ModelKind::BgNbd, &[0.25, 4.0, 0.8, 2.4]).unwrap();
/// let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
/// let clv = |months| {
///     let o = ClvOptions { months: Some(months), ..ClvOptions::default() };
///     gg.customer_lifetime_value(&bg, &[2.0], &[20.0], &[30.0], &[25.0], &o)
/// };
/// assert!(clv(MAX_MONTHS).is_ok());
/// assert_eq!(clv(MAX_MONTHS + 1.0).unwrap_err().to_string(), "options.months must be an integer in [1, 120], got 121");
/// ```
pub const MAX_MONTHS: f64 = 120.0;

/// A customer's expected spend, or the error saying why it is not finite.
fn spend_of(p: &super::gamma_gamma::GammaGammaParams, i: usize, x: f64, m: f64) -> Result<f64> {
    let v = p.expected_spend(x, m);
    if v.is_finite() {
        return Ok(v);
    }
    if x == 0.0 && p.q <= 1.0 {
        return Err(Error::invalid(format!(
            "customer {i} has no repeat purchase, and the population mean spend p·v/(q−1) it would get does not exist for q ≤ 1 (q = {})",
            num(p.q)
        )));
    }
    Err(Error::invalid(format!(
        "the expected spend of customer {i} overflows (monetary[{i}] = {})",
        num(m)
    )))
}

/// The expectation given alive, E[purchases in (T, T+h] | alive at T], for
/// many horizons and customers: for BG/NBD and MBG/NBD the quadrature rules
/// of each x's Beta posterior (Gauss–Jacobi, or the direct Beta rule) are
/// built once and kept for every later horizon and customer (see
/// [`BgParams::expected_if_alive`](super::bgnbd::BgParams::expected_if_alive)).
struct Curves<'a> {
    model: &'a Model,
    /// What each x keeps across horizons and customers (one lookup a value).
    per_x: std::collections::BTreeMap<u64, PerX>,
}

/// One x's quadrature rules of its Beta posterior and, where many horizons
/// were announced (see [`Curves::prepare`]), its expectation tabulated as a
/// function of w = h/(α+T).
#[derive(Default)]
struct PerX {
    rules: PosteriorRules,
    table: Option<LogCurve>,
}

impl<'a> Curves<'a> {
    fn new(model: &'a Model) -> Curves<'a> {
        Curves {
            model,
            per_x: std::collections::BTreeMap::new(),
        }
    }

    /// P(≥ 1 purchase in (T, T+h] | alive at T).
    fn repurchase_if_alive(&mut self, h: f64, x: f64, t: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        match self.model {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => {
                -(-(p.r + x) * (h / (p.alpha + t)).ln_1p()).exp_m1()
            }
            Model::ParetoNbd(p) => p.repurchase_if_alive(h, x, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    /// Before `per_customer` horizons in [h_lo, h_hi] are asked for each of
    /// the customers (x, T): for each x with enough of them (≥ 1,024 values,
    /// about four times a table's cost), tabulate its expectation over the w
    /// those customers reach (`LogCurve`, to ~1e-13 of the value, checked
    /// between its nodes; a curve it cannot resolve stays direct). A direct
    /// value costs from a few series terms to the direct Beta rule's hundreds
    /// of nodes (a large r with a < 50, where no closed form holds); a
    /// table's, one Clenshaw pass.
    fn prepare(&mut self, x: &[f64], t: &[f64], h_lo: f64, h_hi: f64, per_customer: usize) {
        let (p, v) = match self.model {
            Model::BgNbd(p) => (p, Variant::Bg),
            Model::ModifiedBgNbd(p) => (p, Variant::Modified),
            _ => return,
        };
        if h_lo <= 0.0 {
            return;
        }
        let mut groups = std::collections::BTreeMap::<u64, (usize, f64, f64)>::new();
        for (&xi, &ti) in x.iter().zip(t) {
            let g = groups.entry(xi.to_bits()).or_insert((0, ti, ti));
            g.0 += 1;
            g.1 = g.1.min(ti);
            g.2 = g.2.max(ti);
        }
        for (bits, (count, t_min, t_max)) in groups {
            if count.saturating_mul(per_customer) < 1024 {
                continue;
            }
            let xi = f64::from_bits(bits);
            let (a, bp, n) = (p.a, p.b + xi + v.shift(), p.r + xi);
            let (w_lo, w_hi) = (h_lo / (p.alpha + t_max), h_hi / (p.alpha + t_min));
            let per_x = self.per_x.entry(bits).or_default();
            let rules = &mut per_x.rules;
            let mut f = |w: f64| expected_if_alive_at(a, bp, n, w, Some(&mut *rules));
            per_x.table = LogCurve::build(w_lo, w_hi, &mut f);
        }
    }

    fn expected_if_alive(&mut self, h: f64, x: f64, t: f64) -> f64 {
        let (p, v) = match self.model {
            Model::BgNbd(p) => (p, Variant::Bg),
            Model::ModifiedBgNbd(p) => (p, Variant::Modified),
            Model::ParetoNbd(p) => return p.expected_if_alive(h, x, t),
            Model::GammaGamma(_) => return f64::NAN,
        };
        if h <= 0.0 {
            return 0.0;
        }
        let bp = p.b + x + v.shift();
        let (a, n, w) = (p.a, p.r + x, h / (p.alpha + t));
        let per_x = self.per_x.entry(x.to_bits()).or_default();
        match &per_x.table {
            Some(table) if table.covers(w) => table.value(w),
            _ => expected_if_alive_at(a, bp, n, w, Some(&mut per_x.rules)),
        }
    }
}

/// `merchantSummary`'s checks of its customers and options; its unit (days
/// per time unit) and P(alive) threshold.
pub(crate) fn summary_settings(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    options: &MerchantOptions,
) -> Result<(f64, f64)> {
    data::check_customers(frequency, recency, t)?;
    let unit_days = options.unit_days.unwrap_or(1.0);
    validate::positive("options.unitDays", unit_days)?;
    if unit_days > 3660.0 {
        return Err(Error::invalid(format!(
            "options.unitDays must be at most 3660, got {}",
            num(unit_days)
        )));
    }
    if 90.0 / unit_days > data::MAX_TIME {
        return Err(Error::invalid(format!(
            "options.unitDays must be at least {} (90 days must be at most {} time units), got {}",
            num(90.0 / data::MAX_TIME),
            num(data::MAX_TIME),
            num(unit_days)
        )));
    }
    let threshold = options.alive_threshold.unwrap_or(0.5);
    validate::in_closed("options.aliveThreshold", threshold, 0.0, 1.0)?;
    Ok((unit_days, threshold))
}
