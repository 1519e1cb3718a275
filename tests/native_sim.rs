//! The simulation against the seed presets (DOMAIN.md §3) and the directions a
//! merchant expects, natively. Tolerances are stated with each check.
#![cfg(not(target_arch = "wasm32"))]

use shijing::sim::{presets, simulate, Market, MerchantSettings, Scenario, SimulationResult};

fn preset(id: &str) -> Scenario {
    presets()
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.scenario)
        .expect("preset exists")
}

fn sum(v: &[f64]) -> f64 {
    v.iter().sum()
}

fn mean(v: &[f64]) -> f64 {
    sum(v) / v.len() as f64
}

#[test]
fn default_mid_and_long_tail_get_over_80_percent_of_plays() {
    let r = simulate(&Scenario::default()).unwrap();
    // "Mid- and long-tail" = outside the top 1% of merchants by followers.
    let share = mean(&r.population.long_tail_play_share);
    assert!(share >= 0.80, "long-tail play share {share}");
    assert!(r.population.long_tail_play_share.iter().all(|&s| s >= 0.80));
}

#[test]
fn budget_is_conserved_every_day() {
    for id in ["default", "womens-wear"] {
        let s = preset(id);
        let r = simulate(&s).unwrap();
        for (d, &a) in r.population.allocated.iter().enumerate() {
            assert_eq!(a, s.platform.budget, "{id} day {d}");
        }
    }
}

#[test]
fn womens_wear_goes_viral_then_grows_followers_and_gmv() {
    let r = simulate(&preset("womens-wear")).unwrap().merchant;
    // Day 1 (index 0): a few thousand yuan (seed: ~5,000).
    assert!(
        (2_000.0..=15_000.0).contains(&r.gmv[0]),
        "day-1 GMV {}",
        r.gmv[0]
    );
    // The viral spike (seed: day 4, a video past 1M plays): within the first three weeks
    // a day with over 1M discovery exposures, tenfold the first day. At the default cap
    // (giniMax 0.6) the cap clips days 4–5 and the spike comes
    // on day 17; with a looser cap (0.7) it is day 5 (see the README's model page).
    // The day is a property of the draws: over the preset with seeds 1–15 it was
    // days 11–30 (median 15) with the polar normal and 11–24 (median 14) with the
    // ziggurat, so the bound is three weeks, not two.
    let viral = r.public_exposure.iter().position(|&p| p >= 1_000_000.0);
    assert!(
        matches!(viral, Some(2..=20)),
        "first day past 1M exposures: {viral:?}: {:?}",
        &r.public_exposure[..21]
    );
    assert!(r.public_exposure[viral.unwrap_or(0)] >= 10.0 * r.public_exposure[0]);
    assert!(
        r.top_item_plays[..14].iter().any(|&p| p >= 600_000.0),
        "best video plays {:?}",
        &r.top_item_plays[..14]
    );
    // The seed's day itself: with the cap loosened to 0.7 the spike is no longer
    // clipped and comes in the first week (measured: day 5).
    let mut loose = preset("womens-wear");
    loose.platform.gini_max = 0.7;
    let l = simulate(&loose).unwrap().merchant;
    let viral_loose = l.public_exposure.iter().position(|&p| p >= 1_000_000.0);
    assert!(
        matches!(viral_loose, Some(2..=7)),
        "giniMax 0.7: first day past 1M exposures: {viral_loose:?}: {:?}",
        &l.public_exposure[..8]
    );
    // Then about 1,500 new followers a day (tolerance 1,000–2,500 over days 60–89).
    let per_day = (r.followers[89] - r.followers[59]) / 30.0;
    assert!(
        (1_000.0..=2_500.0).contains(&per_day),
        "new followers/day {per_day}"
    );
    // Monthly GMV in the millions by days 60–90.
    let month3 = sum(&r.gmv[60..90]);
    assert!(month3 >= 1_000_000.0, "month-3 GMV {month3}");
}

#[test]
fn quick_brand_follow_page_value_and_order_value() {
    let s = preset("quick-brand");
    let r = simulate(&s).unwrap().merchant;
    // Seed: 1,000 follow-page exposures → 3,200 yuan (tolerance ±15%).
    let per_1000 = 1000.0 * sum(&r.private_gmv) / sum(&r.private_exposure);
    assert!(
        (2_720.0..=3_680.0).contains(&per_1000),
        "yuan per 1,000 follow-page exposures {per_1000}"
    );
    // Seed: order value over 700 yuan.
    let orders = sum(&r.first_purchases) + sum(&r.repurchases);
    let aov = sum(&r.gmv) / orders;
    assert!((650.0..=800.0).contains(&aov), "order value {aov}");
    // The big event (day 45) lifts GMV 2–3× the average day.
    let avg = mean(&r.gmv);
    assert!(
        (2.0..=3.2).contains(&(r.gmv[45] / avg)),
        "big day {} vs average {avg}",
        r.gmv[45]
    );
}

#[test]
fn trusted_brand_repurchases_40_percent_in_30_days_76_in_90() {
    let r = simulate(&preset("trusted-brand")).unwrap().merchant;
    assert!(
        (0.37..=0.43).contains(&r.repurchase_rate_30),
        "T30 {}",
        r.repurchase_rate_30
    );
    assert!(
        (0.73..=0.79).contains(&r.repurchase_rate_90),
        "T90 {}",
        r.repurchase_rate_90
    );
}

fn with_merchant(f: impl Fn(&mut MerchantSettings)) -> SimulationResult {
    let mut s = Scenario::default();
    f(&mut s.merchant);
    simulate(&s).unwrap()
}

#[test]
fn better_content_buys_more_public_exposure_until_capped() {
    let totals: Vec<f64> = [0.2, 0.5, 0.8]
        .iter()
        .map(|&q| {
            sum(&with_merchant(|m| m.content_quality = q)
                .merchant
                .public_exposure)
        })
        .collect();
    assert!(totals[0] < totals[1] && totals[1] < totals[2], "{totals:?}");
    // At the cap, public exposure no longer responds: a tight cap holds the head flat.
    let mut s = preset("womens-wear");
    s.platform.gini_max = 0.2;
    let market = Market::run(&s).unwrap();
    let base = market.run_merchant(&s.merchant).unwrap();
    assert!(
        base.capped_days > 0,
        "the head merchant should meet a Gini cap of 0.2"
    );
    let better = market
        .run_merchant(&MerchantSettings {
            content_quality: 1.0,
            ..s.merchant.clone()
        })
        .unwrap();
    for d in 0..base.public_exposure.len() {
        if base.capped_by_day[d] == 1.0 && better.capped_by_day[d] == 1.0 {
            let (a, b) = (base.public_exposure[d], better.public_exposure[d]);
            assert!(
                (a - b).abs() <= 1e-6 * a.max(1.0) + 1.0,
                "day {d}: capped exposure moved {a} → {b}"
            );
        }
    }
}

#[test]
fn higher_follow_rate_brings_more_followers_and_private_exposure() {
    let lo = with_merchant(|m| m.follow_rate = 0.01).merchant;
    let hi = with_merchant(|m| m.follow_rate = 0.10).merchant;
    assert!(hi.followers[89] > lo.followers[89]);
    assert!(sum(&hi.private_exposure) > sum(&lo.private_exposure));
}

#[test]
fn tighter_gini_cap_raises_the_bottom_half_share() {
    let run = |g: f64| {
        let mut s = Scenario::default();
        s.platform.gini_max = g;
        s.days = 30;
        simulate(&s).unwrap()
    };
    let (loose, tight) = (run(0.6), run(0.3));
    assert!(mean(&tight.population.bottom50_share) > mean(&loose.population.bottom50_share));
    assert!(
        tight.population.gini.iter().all(|&g| g <= 0.3 + 1e-9),
        "{:?}",
        tight.population.gini
    );
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let mut s = Scenario::default();
    s.population.merchants = 500;
    s.days = 20;
    assert_eq!(simulate(&s).unwrap(), simulate(&s).unwrap());
    s.seed = Some(8);
    let other = simulate(&s).unwrap();
    s.seed = Some(9);
    assert_ne!(simulate(&s).unwrap().merchant, other.merchant);
    s.seed = None;
    let drawn = simulate(&s).unwrap();
    s.seed = Some(drawn.seed);
    assert_eq!(
        simulate(&s).unwrap(),
        drawn,
        "the reported seed reproduces the run"
    );
}

#[test]
fn replay_is_close_to_a_full_rerun() {
    // What the frozen-market replay costs: relative error of 90-day totals
    // against a full re-run with the changed merchant (typical merchant).
    let s = Scenario::default();
    let market = Market::run(&s).unwrap();
    for (q, f) in [(0.3, 0.02), (0.7, 0.05), (0.9, 0.1)] {
        let m = MerchantSettings {
            content_quality: q,
            follow_rate: f,
            ..s.merchant.clone()
        };
        let replay = market.run_merchant(&m).unwrap();
        let full = simulate(&Scenario {
            merchant: m,
            ..s.clone()
        })
        .unwrap()
        .merchant;
        for (name, a, b) in [
            (
                "public",
                sum(&replay.public_exposure),
                sum(&full.public_exposure),
            ),
            ("gmv", sum(&replay.gmv), sum(&full.gmv)),
            ("followers", replay.followers[89], full.followers[89]),
        ] {
            let err = (a - b).abs() / b;
            assert!(
                err < 0.15,
                "q {q} f {f}: {name} replay {a} vs full {b} ({:.1}%)",
                100.0 * err
            );
        }
    }
}

#[test]
fn sweep_is_a_grid_of_replays() {
    let market = Market::run(&Scenario {
        days: 30,
        ..Scenario::default()
    })
    .unwrap();
    let base = market.scenario().merchant.clone();
    let g = market.sweep(&base, &[0.2, 0.8], &[0.01, 0.1]).unwrap();
    assert_eq!(g.public_exposure.dim(), (2, 2));
    let one = market
        .run_merchant(&MerchantSettings {
            content_quality: 0.8,
            follow_rate: 0.01,
            ..base.clone()
        })
        .unwrap();
    assert_eq!(g.public_exposure[[1, 0]], sum(&one.public_exposure));
    assert!(g.followers[[0, 1]] > g.followers[[0, 0]]);
    assert!(market
        .sweep(&base, &[], &[0.1])
        .unwrap_err()
        .to_string()
        .contains("axes.contentQuality is empty"));
    assert!(market
        .sweep(&base, &[1.5], &[0.1])
        .unwrap_err()
        .to_string()
        .contains("axes.contentQuality[0] must be in [0, 1]"));
}

#[test]
fn invalid_scenarios_name_the_field() {
    let mut s = Scenario::default();
    s.population.merchants = 1;
    assert!(simulate(&s)
        .unwrap_err()
        .to_string()
        .starts_with("scenario.population.merchants must be in"));
    let market = Market::run(&Scenario {
        days: 5,
        population: shijing::sim::PopulationSettings {
            merchants: 100,
            ..Default::default()
        },
        ..Scenario::default()
    })
    .unwrap();
    let bad = MerchantSettings {
        price: -1.0,
        ..MerchantSettings::default()
    };
    assert!(market
        .run_merchant(&bad)
        .unwrap_err()
        .to_string()
        .starts_with("merchant.price must be in"));
}

#[path = "support/golden.rs"]
mod golden;

#[test]
fn golden_run_is_bit_identical_to_the_wasm_build() {
    // The same scenario and fingerprint are checked in tests/wasm.rs under Node and Chromium.
    let r = simulate(&golden::scenario()).unwrap();
    assert_eq!(
        r.fingerprint(),
        golden::FINGERPRINT,
        "fingerprint {:#x}",
        r.fingerprint()
    );
}

#[test]
fn two_merchants_run_on_every_seed() {
    // Issue 19: with 2 merchants (the documented minimum) the other one may
    // join after the warm-up starts, so some warm-up days have nobody on the
    // platform; those days must pass quietly, not fail the run.
    for seed in 0..100 {
        let mut s = Scenario {
            seed: Some(seed),
            days: 1,
            ..Scenario::default()
        };
        s.population.merchants = 2;
        let r = simulate(&s).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_finite(&r, &format!("seed {seed}"));
    }
}

/// Every number of a run is finite (the cap level may be +∞: "the cap does
/// not bind", documented on the field).
fn assert_finite(r: &SimulationResult, what: &str) {
    let m = &r.merchant;
    let p = &r.population;
    for (name, v) in [
        ("publicExposure", &m.public_exposure),
        ("privateExposure", &m.private_exposure),
        ("followers", &m.followers),
        ("firstPurchases", &m.first_purchases),
        ("repurchases", &m.repurchases),
        ("gmv", &m.gmv),
        ("privateGmv", &m.private_gmv),
        ("topItemPlays", &m.top_item_plays),
        ("coldStartExposure", &m.cold_start_exposure),
        ("cappedByDay", &m.capped_by_day),
        ("gini", &p.gini),
        ("top10Share", &p.top10_share),
        ("bottom50Share", &p.bottom50_share),
        ("longTailPlayShare", &p.long_tail_play_share),
        ("allocated", &p.allocated),
        ("cappedCreators", &p.capped_creators),
        ("lorenz", &r.lorenz.share),
    ] {
        if let Some(d) = v.iter().position(|x| !x.is_finite()) {
            panic!("{what}: {name}[{d}] = {}", v[d]);
        }
    }
    if let Some(d) = p.cap_level.iter().position(|x| x.is_nan() || *x < 0.0) {
        panic!("{what}: capLevel[{d}] = {}", p.cap_level[d]);
    }
    for (name, x) in [
        ("repurchaseRate30", m.repurchase_rate_30),
        ("repurchaseRate90", m.repurchase_rate_90),
        ("exposurePercentile", m.exposure_percentile),
    ] {
        assert!(x.is_finite(), "{what}: {name} = {x}");
    }
}

type Setter = fn(&mut Scenario, f64);

/// Each numeric scenario field at the ends of its accepted range (and the
/// smallest/largest finite values where the range is open): JS name, setter,
/// values.
fn extreme_fields() -> Vec<(&'static str, Setter, Vec<f64>)> {
    let tiny = f64::from_bits(1); // 5e-324
    let open = vec![tiny, 1e-300, 1e-6, 1e300, f64::MAX];
    let unit = vec![0.0, tiny, 1.0];
    vec![
        ("days", |s, v| s.days = v as u32, vec![1.0, 730.0]),
        (
            "population.newShare",
            |s, v| s.population.new_share = v,
            unit.clone(),
        ),
        (
            "population.qualityMean",
            |s, v| s.population.quality_mean = v,
            vec![0.01, 0.99],
        ),
        (
            "population.qualityConcentration",
            |s, v| s.population.quality_concentration = v,
            vec![0.1, 1000.0],
        ),
        (
            "population.followersMedian",
            |s, v| s.population.followers_median = v,
            vec![0.0, tiny, 1e9],
        ),
        (
            "population.followersSigma",
            |s, v| s.population.followers_sigma = v,
            vec![0.0, 5.0],
        ),
        (
            "population.priceMedian",
            |s, v| s.population.price_median = v,
            vec![0.01, 1e6],
        ),
        (
            "population.priceSigma",
            |s, v| s.population.price_sigma = v,
            vec![0.0, 5.0],
        ),
        (
            "population.trustMean",
            |s, v| s.population.trust_mean = v,
            vec![0.01, 0.99],
        ),
        (
            "population.followRateMean",
            |s, v| s.population.follow_rate_mean = v,
            unit.clone(),
        ),
        (
            "population.adSpendMean",
            |s, v| s.population.ad_spend_mean = v,
            vec![0.0, tiny, 1e9],
        ),
        (
            "platform.budget",
            |s, v| s.platform.budget = v,
            vec![1.0, 1.5, 1e13],
        ),
        (
            "platform.giniMax",
            |s, v| s.platform.gini_max = v,
            vec![0.0, tiny, 0.999_999],
        ),
        (
            "platform.blend",
            |s, v| s.platform.blend = v,
            vec![0.0, 1.0],
        ),
        (
            "platform.coldStartShare",
            |s, v| s.platform.cold_start_share = v,
            unit.clone(),
        ),
        (
            "platform.itemFloor",
            |s, v| s.platform.item_floor = v,
            vec![0.0, tiny, 1e9],
        ),
        (
            "platform.newMerchantDays",
            |s, v| s.platform.new_merchant_days = v as u32,
            vec![0.0, 730.0],
        ),
        (
            "platform.itemLifetimeDays",
            |s, v| s.platform.item_lifetime_days = v as u32,
            vec![1.0, 730.0],
        ),
        ("platform.adCpm", |s, v| s.platform.ad_cpm = v, open.clone()),
        (
            "platform.trustWeight",
            |s, v| s.platform.trust_weight = v,
            vec![0.0, 100.0],
        ),
        ("funnel.ctrMin", |s, v| s.funnel.ctr_min = v, unit.clone()),
        ("funnel.ctrMax", |s, v| s.funnel.ctr_max = v, unit.clone()),
        (
            "funnel.itemSaturation",
            |s, v| s.funnel.item_saturation = v,
            open.clone(),
        ),
        (
            "funnel.orderRate",
            |s, v| s.funnel.order_rate = v,
            unit.clone(),
        ),
        (
            "funnel.referencePrice",
            |s, v| s.funnel.reference_price = v,
            open.clone(),
        ),
        (
            "funnel.priceElasticity",
            |s, v| s.funnel.price_elasticity = v,
            vec![0.0, 5.0],
        ),
        (
            "funnel.trustWeight",
            |s, v| s.funnel.trust_weight = v,
            unit.clone(),
        ),
        (
            "funnel.visitRateMin",
            |s, v| s.funnel.visit_rate_min = v,
            unit.clone(),
        ),
        (
            "funnel.visitRateMax",
            |s, v| s.funnel.visit_rate_max = v,
            unit.clone(),
        ),
        (
            "funnel.fanOrderRate",
            |s, v| s.funnel.fan_order_rate = v,
            unit.clone(),
        ),
        (
            "funnel.repurchaseHazard",
            |s, v| s.funnel.repurchase_hazard = v,
            unit.clone(),
        ),
        (
            "funnel.rateShape",
            |s, v| s.funnel.rate_shape = v,
            vec![0.05, 1000.0],
        ),
        (
            "funnel.dropoutMax",
            |s, v| s.funnel.dropout_max = v,
            unit.clone(),
        ),
        (
            "funnel.dropoutMin",
            |s, v| s.funnel.dropout_min = v,
            unit.clone(),
        ),
        (
            "funnel.followLift",
            |s, v| s.funnel.follow_lift = v,
            vec![0.0, 1000.0],
        ),
        (
            "funnel.buyerFollowMultiplier",
            |s, v| s.funnel.buyer_follow_multiplier = v,
            vec![0.0, 100.0],
        ),
        (
            "funnel.valueExponent",
            |s, v| s.funnel.value_exponent = v,
            vec![0.0, 5.0],
        ),
        (
            "merchant.contentQuality",
            |s, v| s.merchant.content_quality = v,
            unit.clone(),
        ),
        (
            "merchant.followRate",
            |s, v| s.merchant.follow_rate = v,
            unit.clone(),
        ),
        (
            "merchant.price",
            |s, v| s.merchant.price = v,
            vec![0.01, 1e6],
        ),
        ("merchant.trust", |s, v| s.merchant.trust = v, unit.clone()),
        (
            "merchant.diligence",
            |s, v| s.merchant.diligence = v,
            unit.clone(),
        ),
        (
            "merchant.followers",
            |s, v| s.merchant.followers = v,
            vec![0.0, tiny, 1e10],
        ),
        (
            "merchant.adSpend",
            |s, v| s.merchant.ad_spend = v,
            vec![0.0, tiny, 1e9],
        ),
        (
            "merchant.ageDays",
            |s, v| s.merchant.age_days = v,
            vec![0.0, 1e5],
        ),
        (
            "events.bigDayMultiplier",
            |s, v| {
                s.events.big_days = vec![0];
                s.events.big_day_multiplier = v;
            },
            vec![0.0, 100.0],
        ),
        (
            "events.campaignBoost",
            |s, v| {
                s.events.campaign_days = vec![0];
                s.events.campaign_boost = v;
            },
            vec![0.0, 100.0],
        ),
    ]
}

/// A small scenario for the extreme-value checks.
fn small(seed: u32) -> Scenario {
    let mut s = Scenario {
        seed: Some(seed),
        days: 8,
        ..Scenario::default()
    };
    s.population.merchants = 40;
    s
}

/// Runs `s` (and replays its merchant): finite results, or a rejection that
/// names one of `fields`.
fn finite_or_rejected(s: &Scenario, fields: &[&str], what: &str) {
    match Market::run(s) {
        Ok(market) => {
            assert_finite(market.result(), what);
            let replay = market.run_merchant(&s.merchant).unwrap();
            let r = SimulationResult {
                merchant: replay,
                ..market.result().clone()
            };
            assert_finite(&r, &format!("{what} (replay)"));
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(
                fields
                    .iter()
                    .any(|f| msg.starts_with(&format!("scenario.{f} "))),
                "{what}: rejected without naming the field: {msg}"
            );
            assert!(msg.contains("must be"), "{what}: no supported range: {msg}");
        }
    }
}

#[test]
fn every_field_at_its_extremes_gives_finite_results() {
    // Issue 19: `platform.adCpm = 5e-324` gave NaN trajectories. Each field
    // alone at the ends of its range, over the three cap modes.
    for (name, set, values) in extreme_fields() {
        for &v in &values {
            for mode in ["cap", "floor", "blend"] {
                let mut s = small(3);
                s.platform.gini_mode = mode.into();
                set(&mut s, v);
                finite_or_rejected(&s, &[name], &format!("{name} = {v:e} ({mode})"));
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 96, ..Default::default() })]
    /// Several fields at their extremes at once (interactions), on random seeds.
    #[test]
    fn extreme_combinations_give_finite_results(
        seed in 0u32..1000,
        picks in proptest::collection::vec((0usize..1000, 0usize..1000), 1..8),
    ) {
        let fields = extreme_fields();
        let mut s = small(seed);
        let mut names = Vec::new();
        for (f, v) in picks {
            let (name, set, values) = &fields[f % fields.len()];
            let v = values[v % values.len()];
            set(&mut s, v);
            names.push(*name);
        }
        finite_or_rejected(&s, &names, &format!("{names:?} seed {seed}"));
    }
}
