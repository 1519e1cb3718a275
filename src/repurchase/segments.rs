//! Customer segments from a fitted model's predictions, named for what a
//! merchant does with each (the explorer shows them and writes them into
//! the exported CSV):
//!
//! | segment | rule (first that holds) | what the merchant does |
//! |---|---|---|
//! | 新客 `new` | one purchase (x = 0), made within `newDays` (30) days | welcome them: a second-purchase coupon, an invitation to follow the live room |
//! | 活跃 `active` | P(alive) ≥ `activeAlive` (0.7) and expected purchases in the next 30 days ≥ `activeExpected` (0.15) | keep serving them: new products and member perks in live sessions; no discounts needed |
//! | 可能流失 `lost` | P(alive) < `lostAlive` (0.3), or expected purchases in 30 days < `lostExpected` (0.03) | spend little: an occasional broad reminder at most |
//! | 需要唤回 `winBack` | everyone else | win them back: a targeted reminder, a coupon, a live-session invitation, now |
//!
//! P(alive) alone does not do: under BG/NBD a one-time buyer is "alive"
//! with probability 1 however long ago they bought, so the expected
//! purchases in the next 30 days (which fall with time since purchase)
//! decide between active, win-back and lost. The predicted value of a
//! segment is Σ expected purchases × value per purchase (e.g. Gamma-Gamma's
//! expected spend), over its customers.

use super::data::check_customers;
use crate::text::num;
use crate::validate;
use crate::{Error, Result};

/// A segment.
///
/// ```
/// # use shijing::repurchase::{segment_customers, segments::SEGMENTS, Segment, SegmentOptions};
/// // One purchase a week ago (x = 0, T = 7 days): a new customer.
/// let s = segment_customers(&[1.0], &[0.2], &[0.0], &[0.0], &[7.0], None, &SegmentOptions::default()).unwrap();
/// assert_eq!(SEGMENTS[s.segment[0] as usize], Segment::New);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// 活跃: likely alive and buying.
    Active,
    /// 需要唤回: slipping; worth a nudge now.
    WinBack,
    /// 可能流失: likely gone.
    Lost,
    /// 新客: one recent purchase.
    New,
}

/// The segments in a fixed order (the index in [`Segments::segment`]).
///
/// ```
/// # use shijing::repurchase::{segment_customers, segments::SEGMENTS, Segment, SegmentOptions};
/// assert_eq!(SEGMENTS.iter().position(|&s| s == Segment::Lost), Some(2));
/// // The summaries come in this order, whatever the customers.
/// let s = segment_customers(&[1.0], &[0.2], &[0.0], &[0.0], &[7.0], None, &SegmentOptions::default()).unwrap();
/// let order: Vec<Segment> = s.summary.iter().map(|g| g.segment).collect();
/// assert_eq!(order, SEGMENTS);
/// ```
pub const SEGMENTS: [Segment; 4] = [
    Segment::Active,
    Segment::WinBack,
    Segment::Lost,
    Segment::New,
];

impl Segment {
    /// The JS name.
    ///
    /// ```
    /// # use shijing::repurchase::segments::SEGMENTS;
    /// let names: Vec<&str> = SEGMENTS.iter().map(|s| s.as_str()).collect();
    /// assert_eq!(names, ["active", "winBack", "lost", "new"]);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Active => "active",
            Segment::WinBack => "winBack",
            Segment::Lost => "lost",
            Segment::New => "new",
        }
    }

    /// The Chinese name the explorer shows.
    ///
    /// ```
    /// # use shijing::repurchase::Segment;
    /// assert_eq!(Segment::WinBack.label_zh(), "需要唤回");
    /// assert_eq!(Segment::New.label_zh(), "新客");
    /// ```
    pub fn label_zh(self) -> &'static str {
        match self {
            Segment::Active => "活跃",
            Segment::WinBack => "需要唤回",
            Segment::Lost => "可能流失",
            Segment::New => "新客",
        }
    }
}

/// Thresholds of [`segment_customers`]; `Default` gives the documented ones.
///
/// ```
/// # use shijing::repurchase::SegmentOptions;
/// let o = SegmentOptions::default();
/// assert_eq!((o.unit_days, o.new_days), (1.0, 30.0));
/// assert_eq!((o.active_alive, o.active_expected), (0.7, 0.15));
/// assert_eq!((o.lost_alive, o.lost_expected), (0.3, 0.03));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentOptions {
    /// Days per time unit of `recency` and `T` (default 1).
    pub unit_days: f64,
    /// A one-time buyer within this many days is new (default 30).
    pub new_days: f64,
    /// P(alive) at or above which a customer can be active (default 0.7).
    pub active_alive: f64,
    /// Expected purchases in 30 days at or above which a customer can be active (default 0.15).
    pub active_expected: f64,
    /// P(alive) below which a customer is lost (default 0.3).
    pub lost_alive: f64,
    /// Expected purchases in 30 days below which a customer is lost (default 0.03).
    pub lost_expected: f64,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            unit_days: 1.0,
            new_days: 30.0,
            active_alive: 0.7,
            active_expected: 0.15,
            lost_alive: 0.3,
            lost_expected: 0.03,
        }
    }
}

/// One segment's totals.
///
/// ```
/// # use shijing::repurchase::{segment_customers, Segment, SegmentOptions};
/// // Two active customers, expected to buy 0.9 and 0.5 times at ¥100 and ¥40.
/// let (x, tx, t) = ([3.0, 4.0], [170.0, 175.0], [180.0; 2]);
/// let value = [100.0, 40.0];
/// let s = segment_customers(&[0.95, 0.9], &[0.9, 0.5], &x, &tx, &t, Some(&value), &SegmentOptions::default()).unwrap();
/// let active = &s.summary[0];
/// assert_eq!((active.segment, active.customers), (Segment::Active, 2));
/// assert!((active.expected_purchases - 1.4).abs() < 1e-12);
/// assert!((active.value.unwrap() - 110.0).abs() < 1e-12); // 0.9·100 + 0.5·40
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSummary {
    /// The segment.
    pub segment: Segment,
    /// Customers in it.
    pub customers: u64,
    /// Σ expected purchases in the next 30 days.
    pub expected_purchases: f64,
    /// Σ expected purchases × value per purchase (when values are given).
    pub value: Option<f64>,
}

/// Per-customer segments and per-segment totals.
///
/// ```
/// # use shijing::repurchase::{segment_customers, SegmentOptions};
/// // A frequent buyer, a lapsed one, a long-gone one and a first-time buyer of last week.
/// let (x, tx, t) = ([6.0, 3.0, 1.0, 0.0], [170.0, 90.0, 10.0, 0.0], [180.0, 180.0, 400.0, 7.0]);
/// let s = segment_customers(&[0.95, 0.5, 0.05, 1.0], &[0.9, 0.1, 0.005, 0.2], &x, &tx, &t, None, &SegmentOptions::default()).unwrap();
/// assert_eq!(s.segment, [0, 1, 2, 3]);
/// // Each summary counts its customers.
/// for (i, g) in s.summary.iter().enumerate() {
///     assert_eq!(g.customers, s.segment.iter().filter(|&&k| k as usize == i).count() as u64);
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Segments {
    /// Per customer: index into [`SEGMENTS`].
    pub segment: Vec<u8>,
    /// Per segment, in [`SEGMENTS`]' order.
    pub summary: Vec<SegmentSummary>,
}

/// Assigns each customer a segment (see the module docs). `p_alive` and
/// `expected30` (expected purchases in the next 30 days) are a model's
/// predictions for the customers `(frequency, recency, T)`; `value`, when
/// given, is each customer's expected value per purchase.
///
/// ```
/// # use shijing::repurchase::{segment_customers, Segment, SegmentOptions};
/// // A frequent buyer, a lapsed one, a long-gone one and a first-time buyer of last week.
/// let (x, tx, t) = ([6.0, 3.0, 1.0, 0.0], [170.0, 90.0, 10.0, 0.0], [180.0, 180.0, 400.0, 7.0]);
/// let p_alive = [0.95, 0.5, 0.05, 1.0];
/// let expected30 = [0.9, 0.1, 0.005, 0.2];
/// let s = segment_customers(&p_alive, &expected30, &x, &tx, &t, None, &SegmentOptions::default()).unwrap();
/// let names: Vec<&str> = s.segment.iter().map(|&i| shijing::repurchase::segments::SEGMENTS[i as usize].label_zh()).collect();
/// assert_eq!(names, ["活跃", "需要唤回", "可能流失", "新客"]);
/// assert_eq!(s.summary.iter().map(|g| g.customers).sum::<u64>(), 4);
/// # let _ = Segment::New;
/// ```
pub fn segment_customers(
    p_alive: &[f64],
    expected30: &[f64],
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    value: Option<&[f64]>,
    options: &SegmentOptions,
) -> Result<Segments> {
    check_customers(frequency, recency, t)?;
    let n = frequency.len();
    validate::same_len("frequency", n, "pAlive", p_alive.len())?;
    validate::same_len("frequency", n, "expected30", expected30.len())?;
    for (i, &p) in p_alive.iter().enumerate() {
        if !(0.0..=1.0).contains(&p) {
            validate::finite(&format!("pAlive[{i}]"), p)?;
            return Err(Error::invalid(format!(
                "pAlive[{i}] must be in [0, 1], got {}",
                num(p)
            )));
        }
    }
    validate::all_finite_non_negative("expected30", expected30)?;
    if let Some(v) = value {
        validate::same_len("frequency", n, "value", v.len())?;
        validate::all_finite_non_negative("value", v)?;
    }
    let o = options;
    validate::positive("options.unitDays", o.unit_days)?;
    validate::finite_non_negative("options.newDays", o.new_days)?;
    for (name, x) in [
        ("options.activeAlive", o.active_alive),
        ("options.lostAlive", o.lost_alive),
    ] {
        validate::in_closed(name, x, 0.0, 1.0)?;
    }
    validate::finite_non_negative("options.activeExpected", o.active_expected)?;
    validate::finite_non_negative("options.lostExpected", o.lost_expected)?;
    if o.lost_alive > o.active_alive || o.lost_expected > o.active_expected {
        return Err(Error::invalid(
            "options: the lost thresholds must not be above the active ones (lostAlive ≤ activeAlive, lostExpected ≤ activeExpected)",
        ));
    }
    let mut segment = Vec::with_capacity(n);
    let mut counts = [0u64; 4];
    let mut expected = [0.0f64; 4];
    let mut values = [0.0f64; 4];
    // Sums of many finite terms can overflow: scaled by the largest value.
    let scale = value.map_or(1.0, |v| {
        let m = v.iter().fold(0.0f64, |m, &x| m.max(x));
        if m > 1e300 {
            1.0 / m
        } else {
            1.0
        }
    });
    for i in 0..n {
        let (x, tt) = (frequency[i], t[i] * o.unit_days);
        let (p, e) = (p_alive[i], expected30[i]);
        let s = if x == 0.0 && tt <= o.new_days {
            Segment::New
        } else if p >= o.active_alive && e >= o.active_expected {
            Segment::Active
        } else if p < o.lost_alive || e < o.lost_expected {
            Segment::Lost
        } else {
            Segment::WinBack
        };
        let k = SEGMENTS.iter().position(|&g| g == s).unwrap_or(0);
        segment.push(k as u8);
        counts[k] += 1;
        expected[k] += e;
        if let Some(v) = value {
            values[k] += e * (v[i] * scale);
        }
    }
    let summary = SEGMENTS
        .iter()
        .enumerate()
        .map(|(k, &s)| SegmentSummary {
            segment: s,
            customers: counts[k],
            expected_purchases: expected[k],
            value: value.map(|_| values[k] / scale),
        })
        .collect::<Vec<_>>();
    if summary
        .iter()
        .any(|s| !s.expected_purchases.is_finite() || s.value.is_some_and(|v| !v.is_finite()))
    {
        return Err(Error::invalid(
            "expected30 or value are too large: a segment's total exceeds the largest number there is",
        ));
    }
    Ok(Segments { segment, summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_order() {
        // 0: one purchase 10 days ago → new (whatever the model says).
        // 1: alive 0.9, 0.5 expected → active. 2: alive 0.9 but 0.05 expected → win-back.
        // 3: alive 0.5, 0.2 expected → win-back. 4: alive 0.2 → lost.
        // 5: one purchase 200 days ago, BG/NBD alive 1, 0.01 expected → lost.
        let p = [1.0, 0.9, 0.9, 0.5, 0.2, 1.0];
        let e = [0.3, 0.5, 0.05, 0.2, 0.4, 0.01];
        let x = [0.0, 3.0, 2.0, 1.0, 4.0, 0.0];
        let tx = [0.0, 50.0, 40.0, 20.0, 10.0, 0.0];
        let t = [10.0, 60.0, 90.0, 100.0, 300.0, 200.0];
        let v = [100.0, 200.0, 50.0, 80.0, 10.0, 60.0];
        let s =
            segment_customers(&p, &e, &x, &tx, &t, Some(&v), &SegmentOptions::default()).unwrap();
        assert_eq!(s.segment, vec![3, 0, 1, 1, 2, 2]);
        let c: Vec<u64> = s.summary.iter().map(|x| x.customers).collect();
        assert_eq!(c, vec![1, 2, 2, 1]);
        assert_eq!(s.summary[0].expected_purchases, 0.5);
        assert_eq!(s.summary[0].value, Some(100.0));
        assert_eq!(s.summary[1].value, Some(0.05 * 50.0 + 0.2 * 80.0));
        assert_eq!(s.summary[3].value, Some(30.0));
        // Weeks: T = 2 weeks is 14 days, still new.
        let s = segment_customers(
            &[1.0],
            &[0.1],
            &[0.0],
            &[0.0],
            &[2.0],
            None,
            &SegmentOptions {
                unit_days: 7.0,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.segment, vec![3]);
        assert_eq!(s.summary[3].value, None);
    }

    #[test]
    fn checks_inputs() {
        let o = SegmentOptions::default();
        let e = segment_customers(&[1.2], &[0.1], &[1.0], &[1.0], &[2.0], None, &o).unwrap_err();
        assert_eq!(e.to_string(), "pAlive[0] must be in [0, 1], got 1.2");
        let e = segment_customers(&[0.5], &[-1.0], &[1.0], &[1.0], &[2.0], None, &o).unwrap_err();
        assert_eq!(e.to_string(), "expected30[0] is negative (-1)");
        let e =
            segment_customers(&[0.5, 0.5], &[0.1], &[1.0], &[1.0], &[2.0], None, &o).unwrap_err();
        assert!(e.to_string().starts_with("pAlive has 2 elements"));
        let bad = SegmentOptions {
            lost_alive: 0.9,
            ..Default::default()
        };
        assert!(segment_customers(&[0.5], &[0.1], &[1.0], &[1.0], &[2.0], None, &bad).is_err());
        // Huge values stay finite.
        let s = segment_customers(
            &[0.9, 0.9],
            &[1.0, 1.0],
            &[1.0, 1.0],
            &[1.0, 1.0],
            &[40.0, 40.0],
            Some(&[1e308, 1e308]),
            &o,
        );
        assert!(s.is_err());
    }
}
