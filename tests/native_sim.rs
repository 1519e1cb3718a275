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
