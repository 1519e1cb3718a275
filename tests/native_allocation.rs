//! Property tests of the allocation core: notes/allocation.md §5.6.
//! Tolerances: float 1e-9 relative, integers exact.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

use shijing::allocation::cold_start::{self, ColdStartSettings, MeritSignals};
use shijing::allocation::platform::{CreatorColumns, Platform, PlatformConfig, PromotionRule};
use shijing::allocation::pools;
use shijing::allocation::{
    cap_gini, AppliedMode, CapMode, CapSettings, Engagement, GiniCapSolver, RoundInput,
    RoundResult, RoundSettings,
};
use shijing::stats::{self, random};

fn settings(g: f64, mode: CapMode, blend: f64) -> CapSettings {
    CapSettings {
        gini_max: g,
        mode,
        blend,
    }
}

fn sum(x: &[f64]) -> f64 {
    x.iter().sum()
}

/// The O(n²) textbook definition, `Σ_i Σ_j |x_i − x_j| / (2·n²·mean)`: the
/// reference the fast formula is tested against (finite, non-negative, not
/// all zero, and summing below `f64::MAX`).
fn gini_pairwise(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    let mut diff = 0.0;
    for &a in values {
        for &b in values {
            diff += (a - b).abs();
        }
    }
    diff / (2.0 * n * total)
}

/// Exposure vectors: log-normal with some zeros and ties.
fn exposure() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![
            6 => (-3.0f64..6.0).prop_map(f64::exp),
            1 => Just(0.0),
            1 => Just(5.0),
        ],
        2..300,
    )
    .prop_filter("not all zero", |v| v.iter().any(|&x| x > 0.0))
}

fn mode() -> impl Strategy<Value = CapMode> {
    prop_oneof![
        Just(CapMode::Cap),
        Just(CapMode::Floor),
        Just(CapMode::Blend)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// §5.6 1, 2, 4, 6: total kept, cap respected and tight, no-op bit for
    /// bit, order kept, uncapped creators gain (cap mode).
    #[test]
    fn cap_properties(e in exposure(), g in 0.0f64..0.95, m in mode(), eta in 0.0f64..=1.0) {
        let g0 = stats::gini(&e).unwrap();
        let out = cap_gini("exposure", &e, &settings(g, m, eta)).unwrap();
        let y = &out.exposure;
        prop_assert!((sum(y) / sum(&e) - 1.0).abs() <= 1e-9);
        let g1 = stats::gini(y).unwrap();
        prop_assert!(g1 <= g + 1e-9, "gini {g1} > {g}");
        if g0 > g {
            prop_assert!((g1 - g).abs() <= 1e-9, "not tight: {g1} vs {g}");
        } else {
            prop_assert_eq!(out.plan.applied, AppliedMode::Unchanged);
            prop_assert!(y.iter().zip(&e).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
        for i in 0..e.len() {
            for j in 0..e.len() {
                if e[i] >= e[j] {
                    prop_assert!(y[i] >= y[j] - 1e-12 * sum(&e), "order {i} {j}");
                }
            }
        }
        if out.plan.applied == AppliedMode::Cap {
            prop_assert!(out.plan.lambda >= 1.0);
            for i in 0..e.len() {
                if e[i] < out.plan.threshold {
                    prop_assert!(y[i] >= e[i], "uncapped creator {i} lost: {} < {}", y[i], e[i]);
                }
            }
        }
    }

    /// §5.6 3: the fast Gini matches the O(M²) definition, on inputs and outputs.
    #[test]
    fn gini_matches_pairwise(e in exposure(), g in 0.0f64..0.9) {
        let out = cap_gini("exposure", &e, &settings(g, CapMode::Cap, 0.5)).unwrap();
        for v in [&e, &out.exposure] {
            let fast = stats::gini(v).unwrap();
            let slow = gini_pairwise(v);
            prop_assert!((fast - slow).abs() <= 1e-9, "{fast} vs {slow}");
            prop_assert!((0.0..1.0).contains(&fast));
        }
    }

    /// §5.6 7: a tighter cap weakly raises the bottom-50% share and the
    /// Lorenz curve at every decile (cap mode).
    #[test]
    fn tighter_cap_lifts_the_tail(e in exposure(), a in 0.0f64..0.9, b in 0.0f64..0.9) {
        let (tight, loose) = if a < b { (a, b) } else { (b, a) };
        let t = cap_gini("exposure", &e, &settings(tight, CapMode::Cap, 0.5)).unwrap();
        let l = cap_gini("exposure", &e, &settings(loose, CapMode::Cap, 0.5)).unwrap();
        // Below z/M the cap falls back to floor, which is not Lorenz-comparable
        // with a cap: compare within one mechanism.
        prop_assume!(t.plan.fell_back == l.plan.fell_back);
        let (t, l) = (t.exposure, l.exposure);
        prop_assert!(stats::bottom_share(&t, 0.5).unwrap() >= stats::bottom_share(&l, 0.5).unwrap() - 1e-9);
        let lt = stats::lorenz(&t, 11).unwrap();
        let ll = stats::lorenz(&l, 11).unwrap();
        for k in 0..11 {
            prop_assert!(lt.share[k] >= ll.share[k] - 1e-9, "decile {k}");
        }
    }

    /// §5.6 8: a convex blend of two feasible allocations with the same total
    /// is feasible; blend mode equals η·cap + (1−η)·floor and is tight.
    #[test]
    fn blends_are_feasible(e in exposure(), g in 0.05f64..0.9, eta in 0.0f64..=1.0) {
        let cap = cap_gini("exposure", &e, &settings(g, CapMode::Cap, 0.5)).unwrap();
        let floor = cap_gini("exposure", &e, &settings(g, CapMode::Floor, 0.5)).unwrap().exposure;
        let mix: Vec<f64> = cap.exposure.iter().zip(&floor).map(|(a, b)| eta * a + (1.0 - eta) * b).collect();
        prop_assert!(stats::gini(&mix).unwrap() <= g + 1e-9);
        let blend = cap_gini("exposure", &e, &settings(g, CapMode::Blend, eta)).unwrap();
        if blend.plan.applied == AppliedMode::Blend {
            for (a, b) in blend.exposure.iter().zip(&mix) {
                prop_assert!((a - b).abs() <= 1e-9 * sum(&e));
            }
            prop_assert!((stats::gini(&blend.exposure).unwrap() - g).abs() <= 1e-9);
        }
    }

    /// §5.6 13: scaling all exposures by k scales the output by k; permuting
    /// creators permutes the output.
    #[test]
    fn cap_invariances(e in exposure(), g in 0.0f64..0.9, k in 0.001f64..1000.0, m in mode()) {
        let s = settings(g, m, 0.3);
        let base = cap_gini("exposure", &e, &s).unwrap().exposure;
        let scaled: Vec<f64> = e.iter().map(|x| x * k).collect();
        let out = cap_gini("exposure", &scaled, &s).unwrap().exposure;
        for (a, b) in out.iter().zip(&base) {
            prop_assert!((a - k * b).abs() <= 1e-9 * k * sum(&e));
        }
        let mut rev = e.clone();
        rev.reverse();
        let mut out = cap_gini("exposure", &rev, &s).unwrap().exposure;
        out.reverse();
        for (a, b) in out.iter().zip(&base) {
            prop_assert!((a - b).abs() <= 1e-12 * sum(&e));
        }
    }
}

#[test]
fn gini_known_answers_and_fallback() {
    assert_eq!(stats::gini(&[4.0; 7]).unwrap(), 0.0);
    let mut one_hot = vec![0.0; 8];
    one_hot[2] = 3.0;
    assert!((stats::gini(&one_hot).unwrap() - 7.0 / 8.0).abs() < 1e-15);
    // 3 zeros of 5: cap reaches at most G = 0.6; below that it falls back to floor.
    let e = [0.0, 0.0, 0.0, 1.0, 9.0];
    let out = cap_gini("exposure", &e, &settings(0.4, CapMode::Cap, 0.5)).unwrap();
    assert_eq!(out.plan.applied, AppliedMode::Floor);
    assert!(out.plan.fell_back);
    assert!((stats::gini(&out.exposure).unwrap() - 0.4).abs() < 1e-12);
    // giniMax 0: uniform.
    let out = cap_gini(
        "exposure",
        &[1.0, 2.0, 7.0],
        &settings(0.0, CapMode::Cap, 0.5),
    )
    .unwrap();
    for &x in &out.exposure {
        assert!((x - 10.0 / 3.0).abs() < 1e-12);
    }
}

#[test]
fn cap_at_a_million_creators_is_tight() {
    let e = random::lognormal_sample(1_000_000, 2.0, 11);
    for g in [0.35, 0.6] {
        let out = cap_gini("exposure", &e, &settings(g, CapMode::Cap, 0.5)).unwrap();
        let got = stats::gini(&out.exposure).unwrap();
        assert!((got - g).abs() < 1e-9, "{got}");
        assert!((sum(&out.exposure) / sum(&e) - 1.0).abs() < 1e-9);
    }
}

// ------------------------------------------------------------------ rounds

struct Case {
    creators: usize,
    owner: Vec<u32>,
    score: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    tier: Vec<u32>,
    new_merchant: Vec<bool>,
    diligence: Vec<f64>,
    spend: Vec<f64>,
    gmv: Vec<f64>,
}

fn case(n: usize, m: usize, seed: u32) -> Case {
    let mut r = random::rng(seed);
    let owner = (0..n)
        .map(|i| {
            if i < m {
                i as u32 // every creator owns an item
            } else {
                let u = random::uniform(&mut r);
                ((u * u * u) * m as f64) as u32 % m as u32
            }
        })
        .collect();
    let score = (0..n)
        .map(|_| 0.03 * random::lognormal(&mut r, 0.0, 1.0))
        .collect();
    let alpha = (0..n)
        .map(|_| 0.5 + 20.0 * random::uniform(&mut r))
        .collect();
    let beta = (0..n)
        .map(|_| 20.0 + 500.0 * random::uniform(&mut r))
        .collect();
    let tier = (0..n).map(|i| (i % 3) as u32).collect();
    Case {
        creators: m,
        owner,
        score,
        alpha,
        beta,
        tier,
        new_merchant: (0..m).map(|c| c % 4 == 0).collect(),
        diligence: (0..m).map(|c| (c * 7 % 11) as f64).collect(),
        spend: (0..m)
            .map(|c| if c % 3 == 0 { 0.0 } else { 100.0 * c as f64 })
            .collect(),
        gmv: (0..m).map(|c| 250.0 * (c % 5) as f64).collect(),
    }
}

fn input<'a>(c: &'a Case, thompson: bool) -> RoundInput<'a> {
    RoundInput {
        creators: c.creators,
        item_creator: &c.owner,
        engagement: if thompson {
            Engagement::Posterior {
                alpha: &c.alpha,
                beta: &c.beta,
            }
        } else {
            Engagement::Score(&c.score)
        },
        value: None,
        tier: Some(&c.tier),
        used: None,
        new_merchant: Some(&c.new_merchant),
        merit: MeritSignals {
            diligence: Some(&c.diligence),
            fan_operation: None,
            spend: Some(&c.spend),
            gmv: Some(&c.gmv),
        },
    }
}

fn round_settings(budget: f64, g: f64, mode: CapMode, seed: u32) -> RoundSettings {
    RoundSettings {
        budget,
        cap: settings(g, mode, 0.5),
        seed: Some(seed),
        ..RoundSettings::default()
    }
}

fn run(c: &Case, thompson: bool, s: &RoundSettings) -> RoundResult {
    shijing::allocation::allocate(&input(c, thompson), s, "request.").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// §5.6 1, 2: integer budget exact, creators sum their items, the cold-start
    /// pool is ρB when new merchants can take it, and the integer Gini is
    /// within the cap after repair (and within 1e-3 of it when binding).
    #[test]
    fn round_conserves_budget_and_caps(
        n in 20usize..400, mfrac in 0.1f64..1.0, seed in 0u32..1000, g in 0.2f64..0.8,
        m in mode(), budget in 1_000_000u64..20_000_000, thompson in any::<bool>(),
    ) {
        let creators = ((n as f64 * mfrac) as usize).max(1);
        let c = case(n, creators, seed);
        let mut s = round_settings(budget as f64, g, m, seed);
        s.tier_quotas = vec![f64::INFINITY; 3];
        s.tier_weights = vec![1.0; 3];
        s.cold_start.ceiling = f64::INFINITY;
        let r = run(&c, thompson, &s);
        let total: u64 = r.item_exposure.iter().sum();
        prop_assert_eq!(total + r.unallocated, budget);
        prop_assert_eq!(r.unallocated, 0);
        let by_creator: u64 = r.creator_exposure.iter().sum();
        prop_assert_eq!(by_creator, total);
        prop_assert!((r.cold_start_total - 0.1 * budget as f64).abs() <= 1e-6 * budget as f64);
        prop_assert!(r.gini <= g, "integer gini {} > {g}", r.gini);
        prop_assert!(r.cap_met);
        if r.gini_before_cap > g {
            prop_assert!((r.gini - g).abs() <= 1e-3, "{} vs {g}", r.gini);
        }
        let before: f64 = r.creator_before_cap.iter().sum();
        let after: f64 = r.item_expected.iter().sum();
        prop_assert!((after / before - 1.0).abs() <= 1e-9);
    }

    /// §5.6 5: raising one item's score never lowers its expected (float,
    /// pre-rounding) allocation from the pools, all else fixed. The cap is
    /// kept out of the way (giniMax 0.99) so the property is exact.
    #[test]
    fn monotone_in_own_score(
        seed in 0u32..1000, item in 0usize..60, factor in 1.0f64..3.0, m in mode(),
    ) {
        let mut c = case(60, 20, seed);
        let s = round_settings(200_000.0, 0.99, m, 1);
        let r0 = run(&c, false, &s);
        prop_assert_eq!(r0.plan.applied, AppliedMode::Unchanged);
        c.score[item] *= factor;
        let after = run(&c, false, &s).item_expected[item];
        let before = r0.item_expected[item];
        prop_assert!(after >= before * (1.0 - 1e-12) - 1e-9, "{before} → {after}");
    }

    /// §5.6 5 with the cap binding: the item gets `min(τ, λ·E⁰)` and τ, λ are
    /// re-solved for the whole population, so where the item's own pre-cap
    /// exposure cannot rise (at its tier quota, or its creator at τ) a rise
    /// elsewhere can cost it a little. The README states the measured worst
    /// case (3.3% over 810,000 cases); beyond 10% this test fails.
    #[test]
    fn nearly_monotone_under_the_cap(
        seed in 0u32..1000, item in 0usize..60, factor in 1.0f64..3.0, g in 0.2f64..0.8, m in mode(),
    ) {
        let mut c = case(60, 20, seed);
        let s = round_settings(200_000.0, g, m, 1);
        let before = run(&c, false, &s).item_expected[item];
        c.score[item] *= factor;
        let after = run(&c, false, &s).item_expected[item];
        prop_assert!(after >= before * 0.9, "{before} → {after}");
    }

    /// §5.6 9: cold start — floor when the pool allows, ceiling, monotone in
    /// merit (raising one merchant's diligence), prior ROI without spend.
    #[test]
    fn cold_start_floor_ceiling_monotone(
        k in 1usize..50, budget in 0.0f64..2e6, who in 0usize..50, bump in 0.0f64..20.0,
    ) {
        let who = who % k;
        let s = ColdStartSettings { floor: 1000.0, ceiling: 20_000.0, ..Default::default() };
        let members: Vec<usize> = (0..k).collect();
        let mut dil: Vec<f64> = (0..k).map(|c| (c * 13 % 7) as f64).collect();
        let spend: Vec<f64> = (0..k).map(|c| (c % 3) as f64 * 50.0).collect();
        let gmv: Vec<f64> = (0..k).map(|c| (c % 4) as f64 * 80.0).collect();
        let sig = |d: &[f64]| -> Vec<f64> {
            cold_start::merit(&members, &MeritSignals {
                diligence: Some(d), fan_operation: None, spend: Some(&spend), gmv: Some(&gmv),
            }, &s)
        };
        let merit = sig(&dil);
        prop_assert!(merit.iter().all(|m| m.is_finite() && *m > 0.0));
        let (y, left) = cold_start::allocate(&merit, budget, &s);
        prop_assert!((sum(&y) + left - budget).abs() <= 1e-9 * budget.max(1.0));
        for &v in &y {
            prop_assert!(v <= s.floor + s.ceiling + 1e-9);
            if budget >= k as f64 * s.floor {
                prop_assert!(v >= s.floor - 1e-9);
            }
        }
        dil[who] += bump;
        let merit2 = sig(&dil);
        let (y2, _) = cold_start::allocate(&merit2, budget, &s);
        prop_assert!(y2[who] >= y[who] - 1e-9 * budget.max(1.0), "{} → {}", y[who], y2[who]);
    }
}

#[test]
fn no_spend_gets_prior_roi() {
    assert_eq!(cold_start::shrunk_roi(0.0, 0.0, 2.0, 1000.0), 2.0);
    assert_eq!(cold_start::shrunk_roi(0.0, 0.0, 2.0, 0.0), 2.0);
    assert_eq!(cold_start::shrunk_roi(500.0, 0.0, 2.0, 0.0), 2.0);
    let members = [0usize, 1];
    let spend = [0.0, 0.0];
    let gmv = [0.0, 0.0];
    let m = cold_start::merit(
        &members,
        &MeritSignals {
            diligence: None,
            fan_operation: None,
            spend: Some(&spend),
            gmv: Some(&gmv),
        },
        &ColdStartSettings::default(),
    );
    assert!(m.iter().all(|x| x.is_finite()));
    assert_eq!(m[0], m[1]);
}

#[test]
fn determinism_and_seeds() {
    let c = case(500, 80, 3);
    let s = round_settings(1e6, 0.5, CapMode::Cap, 42);
    let a = run(&c, true, &s);
    let b = run(&c, true, &s);
    assert_eq!(a.item_exposure, b.item_exposure);
    assert_eq!(a.score, b.score);
    let s2 = round_settings(1e6, 0.5, CapMode::Cap, 43);
    let d = run(&c, true, &s2);
    assert_ne!(a.score, d.score);
    assert_ne!(a.item_exposure, d.item_exposure);
}

#[test]
fn scale_invariance_of_rounds() {
    let c = case(300, 50, 8);
    let mut s = round_settings(1e6, 0.5, CapMode::Cap, 1);
    let base = run(&c, false, &s);
    // Scores × k: nothing changes.
    let mut scaled = case(300, 50, 8);
    scaled.score.iter_mut().for_each(|x| *x *= 37.5);
    let r = run(&scaled, false, &s);
    for (a, b) in r.item_expected.iter().zip(&base.item_expected) {
        assert!((a - b).abs() <= 1e-9 * 1e6, "{a} vs {b}");
    }
    // B → kB scales the float allocation by k when floors and quotas scale too.
    let k = 3.0;
    s.floor = 0.0;
    s.tier_quotas = vec![f64::INFINITY; 5];
    s.cold_start.floor = 0.0;
    s.cold_start.ceiling = f64::INFINITY;
    // Rounding repairs depend on the integer overshoot, which does not scale.
    s.max_repairs = 0;
    let one = run(&c, false, &s);
    s.budget *= k;
    let three = run(&c, false, &s);
    for (a, b) in three.item_expected.iter().zip(&one.item_expected) {
        assert!((a - k * b).abs() <= 1e-9 * 3e6, "{a} vs {b}");
    }
}

#[test]
fn quotas_leave_budget_unallocated_exactly() {
    let c = case(100, 20, 5);
    let mut s = round_settings(1e7, 0.6, CapMode::Cap, 1);
    s.cold_start_share = 0.0;
    let r = run(&c, false, &s);
    let total: u64 = r.item_exposure.iter().sum();
    assert_eq!(total + r.unallocated, 10_000_000);
    assert!(r.unallocated > 0);
}

// ------------------------------------------------------------------ platform

/// Simulates engagement ~ Binomial(impressions, true rate).
fn engage(rates: &[f64], exposure: &[u64], rng: &mut random::Rng) -> Vec<f64> {
    exposure
        .iter()
        .zip(rates)
        .map(|(&x, &p)| random::binomial(rng, x, p) as f64)
        .collect()
}

/// One test item among 200 background items at the prior mean 0.03; returns
/// whether the test item (index 0) reached tier 1 after day 1.
fn promoted_once(true_rate: f64, quota: f64, seed: u32) -> bool {
    let n = 201;
    let mut config = PlatformConfig::default();
    config.round.budget = 1e9;
    config.round.cold_start_share = 0.0;
    config.round.tier_quotas = vec![quota, f64::INFINITY];
    config.round.tier_weights = vec![1.0, 1.0];
    config.tier_windows = vec![1, 1];
    config.tier_capacity = Some(vec![f64::INFINITY, f64::INFINITY]);
    config.round.cap.gini_max = 0.99;
    let owner: Vec<u32> = (0..n as u32).collect();
    let creators = CreatorColumns {
        count: n,
        age_days: Some(vec![100; n]),
        ..Default::default()
    };
    let mut p = Platform::new(config, creators, &owner, "").unwrap();
    let mut rng = random::rng_stream(seed, 1);
    let r = p.allocate_day(&mut rng).unwrap();
    let mut rates = vec![0.03; n];
    rates[0] = true_rate;
    let e = engage(&rates, &r.item_exposure, &mut rng);
    p.observe(&e, &mut rng, "engaged").unwrap();
    p.items()[0].tier == 1
}

#[test]
fn tier_promotion_frequencies() {
    // §5.6 10, as a binomial test over a fixed list of 1,000 seeds.
    let seeds: Vec<u32> = (0..1000).map(|s| 1_000_003 * s + 17).collect();
    let freq = |rate: f64, quota: f64| {
        seeds
            .iter()
            .filter(|&&s| promoted_once(rate, quota, s))
            .count() as f64
            / seeds.len() as f64
    };
    // Above the threshold (0.03) by a margin: promoted with frequency → 1.
    let hi_small = freq(0.05, 500.0);
    let hi_large = freq(0.05, 5000.0);
    assert!(hi_small > 0.85, "{hi_small}");
    assert!(hi_large > 0.99, "{hi_large}");
    assert!(hi_large >= hi_small);
    // Below by a margin: promoted with frequency ≤ δ.
    let lo_small = freq(0.01, 500.0);
    let lo_large = freq(0.01, 5000.0);
    assert!(lo_small < 0.05, "{lo_small}");
    assert!(lo_large < 0.01, "{lo_large}");
}

#[test]
fn promotions_respect_capacity_and_platform_runs() {
    let n = 400;
    let m = 40;
    let mut config = PlatformConfig::default();
    config.round.budget = 500_000.0;
    config.tier_capacity = Some(vec![f64::INFINITY, 30.0, 10.0, 3.0, 1.0]);
    config.promotion = PromotionRule::Mean;
    config.new_merchant_days = 3;
    let owner: Vec<u32> = (0..n as u32).map(|i| i % m as u32).collect();
    let creators = CreatorColumns {
        count: m,
        diligence: Some((0..m).map(|c| c as f64).collect()),
        ..Default::default()
    };
    let mut p = Platform::new(config, creators, &owner, "").unwrap();
    // Under the Mean rule most items retire on their first decision, and on
    // about 13% of seeds every item has retired before day 12 (78 of 600 seeds
    // with the ziggurat normal, 77 with the polar one): the seed is one where
    // some survive.
    let mut rng = random::rng(6);
    let rates: Vec<f64> = (0..n)
        .map(|i| 0.005 + 0.06 * (i % 17) as f64 / 17.0)
        .collect();
    for day in 0..12 {
        if day == 6 {
            let first = p.add_items(&[0, 1, 2], None, "", "").unwrap();
            assert_eq!(first, n);
        }
        let r = p.allocate_day(&mut rng).unwrap();
        let total: u64 = r.item_exposure.iter().sum();
        assert_eq!(total + r.unallocated, 500_000);
        assert!(r.cap_met);
        let mut rates = rates.clone();
        rates.resize(p.items().len(), 0.03);
        let e = engage(&rates, &r.item_exposure, &mut rng);
        p.observe(&e, &mut rng, "engaged").unwrap();
        let caps = p.capacities().to_vec();
        let mut count = vec![0.0; caps.len()];
        for it in p.items().iter().filter(|it| it.active) {
            count[it.tier as usize] += 1.0;
        }
        for t in 0..caps.len() {
            assert!(
                count[t] <= caps[t],
                "day {day} tier {t}: {} > {}",
                count[t],
                caps[t]
            );
        }
        if day >= 3 {
            assert!(
                p.new_merchants().iter().all(|&x| !x),
                "graduation after 3 days"
            );
        }
    }
    assert_eq!(p.day(), 12);
    assert!(
        p.items().iter().any(|it| it.tier >= 1),
        "someone was promoted"
    );
    assert!(p.items().iter().any(|it| !it.active), "someone retired");
    // Errors name the argument.
    let r = p.allocate_day(&mut rng);
    if let Ok(r) = r {
        let mut bad = vec![0.0; p.items().len()];
        if let Some(i) = r.item_exposure.iter().position(|&x| x > 0) {
            bad[i] = r.item_exposure[i] as f64 + 1.0;
            let msg = p
                .observe(&bad, &mut rng, "engaged")
                .unwrap_err()
                .to_string();
            assert!(msg.starts_with(&format!("engaged[{i}] is")), "{msg}");
        }
        assert!(p.allocate_day(&mut rng).is_err());
    }
}

#[test]
fn platform_is_deterministic_under_a_seed() {
    let runs: Vec<Vec<u64>> = (0..2)
        .map(|_| {
            let owner: Vec<u32> = (0..200u32).map(|i| i % 25).collect();
            let mut p = Platform::new(
                PlatformConfig::default(),
                CreatorColumns {
                    count: 25,
                    ..Default::default()
                },
                &owner,
                "",
            )
            .unwrap();
            let mut rng = random::rng(99);
            let mut all = Vec::new();
            for _ in 0..4 {
                let r = p.allocate_day(&mut rng).unwrap();
                let e: Vec<f64> = r.item_exposure.iter().map(|&x| (x / 15) as f64).collect();
                p.observe(&e, &mut rng, "engaged").unwrap();
                all.extend(r.item_exposure);
            }
            all
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
}

#[test]
fn request_errors_name_the_field() {
    let c = case(10, 5, 1);
    let mut bad_owner = c.owner.clone();
    bad_owner[5] = 7;
    let mut i = input(&c, false);
    i.item_creator = &bad_owner;
    let s = round_settings(1e5, 0.5, CapMode::Cap, 1);
    let e = shijing::allocation::allocate(&i, &s, "request.").unwrap_err();
    assert_eq!(
        e.to_string(),
        "request.items.creator[5] is 7 but there are only 5 creators"
    );
    let mut s2 = s.clone();
    s2.cap.gini_max = 1.2;
    let e = shijing::allocation::allocate(&input(&c, false), &s2, "request.").unwrap_err();
    assert_eq!(
        e.to_string(),
        "request.options.giniMax must be in [0, 1), got 1.2"
    );
    let mut s3 = s.clone();
    s3.budget = 1.5;
    assert!(
        shijing::allocation::allocate(&input(&c, false), &s3, "request.")
            .unwrap_err()
            .to_string()
            .starts_with("request.options.budget must be an integer")
    );
}

/// A case the property test found: in floor mode the first repairs moved
/// the float target by less than one integer unit of Gini, so the rounding
/// came out the same and the integer Gini stayed 5e-8 over the cap.
#[test]
fn repairs_reach_the_cap_when_rounding_is_coarse() {
    let (n, mfrac, seed, g) = (
        155usize,
        0.22875637817693548f64,
        434u32,
        0.3304397643630802f64,
    );
    let creators = ((n as f64 * mfrac) as usize).max(1);
    let c = case(n, creators, seed);
    let mut s = round_settings(1_348_070.0, g, CapMode::Floor, seed);
    s.tier_quotas = vec![f64::INFINITY; 3];
    s.tier_weights = vec![1.0; 3];
    s.cold_start.ceiling = f64::INFINITY;
    let r = run(&c, false, &s);
    assert!(
        r.cap_met && r.gini <= g,
        "integer gini {} > {g} after {} repairs",
        r.gini,
        r.repairs
    );
    assert!((r.gini - g).abs() <= 1e-3);
    assert_eq!(r.item_exposure.iter().sum::<u64>(), 1_348_070);
}

// ------------------------------------------- extreme scales (issue 19)
//
// Every result from finite inputs is finite and right at any scale, from
// subnormals to f64::MAX. Outputs that are themselves subnormal carry the
// representation's error, at most a few half-steps of 2⁻¹⁰⁷⁴ each; the
// tolerances below add exactly that (`subnormal_slack`) to §5.6's 1e-9.

/// `2^k` for `k` in [-1074, 1023], exactly.
fn pow2(k: i32) -> f64 {
    assert!((-1074..=1023).contains(&k));
    if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (k + 1074))
    }
}

/// `x·2^k`, exact unless the result is subnormal (two steps: `2^k` alone
/// may not be representable).
fn times_pow2(x: f64, k: i32) -> f64 {
    let half = k / 2;
    x * pow2(half) * pow2(k - half)
}

/// Whether `moved` is `plain` times a power of two without rounding: no
/// value became subnormal or zero.
fn exactly_moved(plain: &[f64], moved: &[f64]) -> bool {
    plain
        .iter()
        .zip(moved)
        .all(|(&p, &m)| p == 0.0 || m >= f64::MIN_POSITIVE)
}

/// Largest value.
fn max(x: &[f64]) -> f64 {
    x.iter().copied().fold(0.0, f64::max)
}

/// Sum of `x` times `unit` (a power of two): comparable totals at any scale.
fn sum_times(x: &[f64], unit: f64) -> f64 {
    x.iter().map(|v| v * unit).sum()
}

/// Gini slack for outputs rounded to the subnormal grid: each output is
/// off by at most `4·2⁻¹⁰⁷⁵`, which moves the Gini by at most
/// `4n·2⁻¹⁰⁷⁴/total` (here in `unit`s).
fn subnormal_slack(n: usize, unit: f64, total_in_units: f64) -> f64 {
    4.0 * n as f64 * (pow2(-1074) * unit) / total_in_units
}

/// Values anywhere in f64's range, subnormals and f64::MAX included, with
/// zeros and ties: mantissa in [1, 2) times 2^e.
fn extreme_exposure() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![
            8 => (1.0f64..2.0, -1074i32..=1023).prop_map(|(m, e)| times_pow2(m, e).min(f64::MAX)),
            1 => Just(0.0),
            1 => Just(f64::MAX),
            1 => Just(5e-324),
        ],
        1..120,
    )
    .prop_filter("not all zero", |v| v.iter().any(|&x| x > 0.0))
}

/// Checks the cap's contract on one request: finite, total kept, Gini at
/// the target (or unchanged bit for bit when already under it), order kept,
/// and in cap mode every uncapped creator gains.
fn check_cap_contract(v: &[f64], s: &CapSettings) -> Result<(), TestCaseError> {
    let n = v.len();
    let g = s.gini_max;
    let out = cap_gini("exposure", v, s).unwrap();
    let y = &out.exposure;
    prop_assert!(y.iter().all(|x| x.is_finite() && *x >= 0.0), "{y:?}");
    let unit = stats::inequality::unit_scale(max(v));
    let (t0, t1) = (sum_times(v, unit), sum_times(y, unit));
    let slack = subnormal_slack(n, unit, t0);
    prop_assert!(
        (t1 - t0).abs() <= 1e-9 * t0 + slack * t0,
        "total {t1} vs {t0} (in units of {unit:e})"
    );
    if y.iter().all(|&x| x == 0.0) {
        // Possible only when an even share is below the subnormal grid
        // (e.g. floor mode spreading 2⁻¹⁰⁷³ over 4 creators).
        prop_assert!(t0 <= 4.0 * n as f64 * pow2(-1074) * unit, "lost {t0}");
        return Ok(());
    }
    let g0 = stats::gini(v).unwrap();
    let g1 = stats::gini(y).unwrap();
    prop_assert!(g1.is_finite() && g1 <= g + 1e-9 + slack, "gini {g1} > {g}");
    if g0 > g {
        prop_assert!((g1 - g).abs() <= 1e-9 + slack, "not tight: {g1} vs {g}");
    } else {
        prop_assert_eq!(out.plan.applied, AppliedMode::Unchanged);
        prop_assert!(y.iter().zip(v).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    for w in order.windows(2) {
        let (a, b) = (y[w[0]] * unit, y[w[1]] * unit);
        prop_assert!(
            b >= a - 1e-12 * t0,
            "order: {} → {}, {} → {}",
            v[w[0]],
            y[w[0]],
            v[w[1]],
            y[w[1]]
        );
    }
    if out.plan.applied == AppliedMode::Cap {
        prop_assert!(out.plan.lambda >= 1.0);
        for i in 0..n {
            if v[i] < out.plan.threshold {
                prop_assert!(
                    y[i] >= v[i],
                    "uncapped creator {i} lost: {} < {}",
                    y[i],
                    v[i]
                );
            }
        }
    }
    // The cached solver (GiniCapper) gives the same bits, and its Gini of
    // the output agrees.
    let solver = GiniCapSolver::new("exposure", v).unwrap();
    let plan = solver.solve(s).unwrap();
    prop_assert_eq!(&plan, &out.plan);
    let again = solver.apply(&plan, v);
    prop_assert!(again.iter().zip(y).all(|(a, b)| a.to_bits() == b.to_bits()));
    prop_assert!((solver.gini_after(&plan) - g1).abs() <= 1e-9 + slack);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Scale invariance: `gini(c·v)` is `gini(v)` to a few ulps of 1 for
    /// `c` anywhere in 1e-300..1e300 (measured worst: 1 ulp), and so are the
    /// shares; a power-of-two `c` that keeps every value normal gives the
    /// same bits.
    #[test]
    fn gini_is_scale_invariant(e in exposure(), u in -300.0f64..300.0, k in -1000i32..1000) {
        let g = stats::gini(&e).unwrap();
        let c = 10f64.powf(u);
        let scaled: Vec<f64> = e.iter().map(|x| x * c).collect();
        let eps = f64::EPSILON;
        prop_assert!((stats::gini(&scaled).unwrap() - g).abs() <= 4.0 * eps, "c = {c:e}");
        for p in [0.1, 0.5, 0.9] {
            let (a, b) = (stats::top_share(&scaled, p).unwrap(), stats::top_share(&e, p).unwrap());
            prop_assert!((a - b).abs() <= 4.0 * eps, "top {p}: {a} vs {b}");
            let (a, b) = (stats::bottom_share(&scaled, p).unwrap(), stats::bottom_share(&e, p).unwrap());
            prop_assert!((a - b).abs() <= 4.0 * eps, "bottom {p}: {a} vs {b}");
        }
        let exact: Vec<f64> = e.iter().map(|&x| times_pow2(x, k)).collect();
        if exact.iter().all(|&x| x == 0.0 || x >= f64::MIN_POSITIVE) {
            prop_assert_eq!(stats::gini(&exact).unwrap().to_bits(), g.to_bits());
            let (a, b) = (stats::lorenz(&exact, 11).unwrap(), stats::lorenz(&e, 11).unwrap());
            prop_assert_eq!(a, b);
        }
    }

    /// Permutation invariance (bit for bit), and the invariants at any
    /// scale: the Gini in [0, (n−1)/n] and equal to the pairwise definition
    /// on the scaled values, the Lorenz curve finite, within [0, 1],
    /// non-decreasing and ending at 1, `top(p) + bottom(1−p) = 1`.
    #[test]
    fn gini_invariants_at_extreme_values(v in extreme_exposure(), rot in 0usize..1000) {
        let n = v.len();
        let g = stats::gini(&v).unwrap();
        prop_assert!(g.is_finite() && (0.0..=(n as f64 - 1.0) / n as f64).contains(&g), "{g}");
        let unit = stats::inequality::unit_scale(max(&v));
        let scaled: Vec<f64> = v.iter().map(|x| x * unit).collect();
        prop_assert!((g - gini_pairwise(&scaled)).abs() <= 1e-12, "{g} vs {}", gini_pairwise(&scaled));
        let mut moved = v.clone();
        moved.rotate_left(rot % n);
        moved.reverse();
        prop_assert_eq!(stats::gini(&moved).unwrap().to_bits(), g.to_bits());
        let l = stats::lorenz(&v, 21).unwrap();
        prop_assert_eq!(&stats::lorenz(&moved, 21).unwrap(), &l);
        prop_assert!(l.share.iter().all(|s| s.is_finite() && (0.0..=1.0).contains(s)));
        prop_assert!(l.share.windows(2).all(|w| w[0] <= w[1]), "{:?}", l.share);
        prop_assert!((l.share[20] - 1.0).abs() <= 1e-15);
        for p in [0.0, 0.1, 0.5, 0.75, 1.0] {
            let (top, bottom) = (stats::top_share(&v, p).unwrap(), stats::bottom_share(&v, 1.0 - p).unwrap());
            prop_assert!((top + bottom - 1.0).abs() <= 2.0 * f64::EPSILON, "{p}: {top} + {bottom}");
        }
    }

    /// The cap's contract for ordinary vectors moved anywhere in f64's
    /// range by `2^k`, subnormals and near f64::MAX included; while the
    /// moved inputs and outputs stay normal the outputs are the unmoved
    /// ones times `2^k`, bit for bit.
    #[test]
    fn cap_contract_at_any_scale(
        e in exposure(), k in -1085i32..=1014, g in 0.0f64..0.95, m in mode(), eta in 0.0f64..=1.0,
    ) {
        let s = settings(g, m, eta);
        let v: Vec<f64> = e.iter().map(|&x| times_pow2(x, k)).collect();
        prop_assume!(v.iter().any(|&x| x > 0.0));
        check_cap_contract(&v, &s)?;
        let plain = cap_gini("exposure", &e, &s).unwrap().exposure;
        let base: Vec<f64> = plain.iter().map(|&x| times_pow2(x, k)).collect();
        if exactly_moved(&e, &v) && exactly_moved(&plain, &base) {
            let out = cap_gini("exposure", &v, &s).unwrap().exposure;
            prop_assert!(out.iter().zip(&base).all(|(a, b)| a.to_bits() == b.to_bits()), "{out:?} vs {base:?}");
        }
    }

    /// The same contract for vectors spanning f64's whole range at once
    /// (the cap's multiplier λ can exceed f64::MAX there).
    #[test]
    fn cap_contract_on_wide_vectors(v in extreme_exposure(), g in 0.0f64..0.95, m in mode(), eta in 0.0f64..=1.0) {
        check_cap_contract(&v, &settings(g, m, eta))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// A round with its scores moved by `2^k` anywhere in f64's range:
    /// finite, the budget exact, the cap met; while the scores stay normal
    /// the allocation is the unmoved one, bit for bit.
    #[test]
    fn rounds_at_any_score_scale(
        n in 20usize..200, seed in 0u32..1000, k in -1074i32..=1000, g in 0.2f64..0.8, m in mode(),
    ) {
        let mut c = case(n, (n / 3).max(1), seed);
        let s = round_settings(1_000_000.0, g, m, seed);
        let base = run(&c, false, &s);
        let plain = c.score.clone();
        c.score.iter_mut().for_each(|x| *x = times_pow2(*x, k));
        let r = run(&c, false, &s);
        prop_assert!(r.item_expected.iter().all(|x| x.is_finite() && *x >= 0.0));
        let total: u64 = r.item_exposure.iter().sum();
        prop_assert_eq!(total + r.unallocated, 1_000_000);
        prop_assert!(r.cap_met && r.gini <= g, "integer gini {} > {g}", r.gini);
        prop_assert!(r.gini_before_cap.is_finite() && r.top10_share.is_finite() && r.bottom50_share.is_finite());
        if exactly_moved(&plain, &c.score) {
            prop_assert_eq!(&r.item_exposure, &base.item_exposure);
            prop_assert!(r.item_expected.iter().zip(&base.item_expected).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    /// A round whose items' scores are spread over f64's whole range, some
    /// items against a tier quota, with and without overflow: finite, the
    /// budget exact, the cap met.
    #[test]
    fn rounds_with_scores_over_the_whole_range(
        score in extreme_exposure(), g in 0.2f64..0.8, m in mode(), overflow in any::<bool>(),
    ) {
        let n = score.len();
        let owner: Vec<u32> = (0..n as u32).map(|i| i / 2).collect();
        let tier: Vec<u32> = (0..n as u32).map(|i| i % 2).collect();
        let input = RoundInput {
            creators: n.div_ceil(2),
            item_creator: &owner,
            engagement: Engagement::Score(&score),
            value: None,
            tier: Some(&tier),
            used: None,
            new_merchant: None,
            merit: MeritSignals::default(),
        };
        let s = RoundSettings {
            budget: 1e7,
            tier_quotas: vec![2000.0, f64::INFINITY],
            tier_weights: vec![1.0, 1.0],
            overflow,
            cap: settings(g, m, 0.5),
            seed: Some(1),
            ..RoundSettings::default()
        };
        let r = shijing::allocation::allocate(&input, &s, "").unwrap();
        prop_assert!(r.item_expected.iter().all(|x| x.is_finite() && *x >= 0.0), "{:?}", r.item_expected);
        prop_assert_eq!(r.item_exposure.iter().sum::<u64>() + r.unallocated, 10_000_000);
        prop_assert!(r.cap_met && r.gini <= g, "integer gini {} > {g}", r.gini);
    }
}

#[test]
fn gini_of_values_whose_sum_overflows() {
    // Was NaN: the total overflowed. Exactly 2b/(3(a+b)) with the tiny value ~0.
    let (a, b) = (1e307, f64::MAX);
    let g = stats::gini(&[a, b, 1e-310]).unwrap();
    let want = 2.0 / (3.0 * (a / b + 1.0));
    assert!((g - want).abs() < 1e-15, "{g} vs {want}");
    let s = stats::SortedShares::new("values", &[a, b, 1e-310]).unwrap();
    assert_eq!(s.total(), f64::INFINITY);
    let top = s.top_share(1.0 / 3.0);
    assert!((top - 1.0 / (a / b + 1.0)).abs() < 1e-15, "{top}");
    let l = stats::lorenz(&[f64::MAX; 4], 5).unwrap();
    assert_eq!(l.share, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
}

#[test]
fn cap_near_f64_max_keeps_total_and_target() {
    // Was [∞, ∞, 1]: the total overflowed. The exact answer is
    // [23, 23, 14]/60 of the total 2e308 (+1).
    let out = cap_gini(
        "exposure",
        &[1e308, 1e308, 1.0],
        &settings(0.1, CapMode::Cap, 0.5),
    )
    .unwrap();
    let want = [23.0 / 60.0, 23.0 / 60.0, 14.0 / 60.0].map(|f| f * 2.0 * 1e308);
    for (a, b) in out.exposure.iter().zip(want) {
        assert!((a / b - 1.0).abs() < 1e-12, "{:?}", out.exposure);
    }
    assert!((stats::gini(&out.exposure).unwrap() - 0.1).abs() < 1e-12);
    for m in [CapMode::Cap, CapMode::Floor, CapMode::Blend] {
        check_cap_contract(&[1e308, 1e308, 1.0], &settings(0.1, m, 0.5)).unwrap();
        check_cap_contract(
            &[f64::MAX, f64::MAX, f64::MAX / 2.0],
            &settings(0.01, m, 0.5),
        )
        .unwrap();
    }
}

#[test]
fn cap_of_tiny_exposures_keeps_total_and_target() {
    // Was 27% of the total and a Gini of 0.06 in cap mode: the segment
    // boundaries multiplied two exposures (1e-200 · 1e-200 underflows).
    let base = [5.0, 1.0, 1.0, 1.0, 0.5, 0.2, 30.0];
    let tiny: Vec<f64> = base.iter().map(|x| x * 1e-200).collect();
    let unit = stats::inequality::unit_scale(30e-200);
    for m in [CapMode::Cap, CapMode::Floor, CapMode::Blend] {
        let s = settings(0.3, m, 0.5);
        let out = cap_gini("exposure", &tiny, &s).unwrap();
        assert!((sum_times(&out.exposure, unit) / sum_times(&tiny, unit) - 1.0).abs() < 1e-12);
        assert!(
            (stats::gini(&out.exposure).unwrap() - 0.3).abs() < 1e-12,
            "{m:?}"
        );
        let plain = cap_gini("exposure", &base, &s).unwrap().exposure;
        for (a, b) in out.exposure.iter().zip(&plain) {
            assert!(
                (a / (b * 1e-200) - 1.0).abs() < 1e-12,
                "{m:?}: {a} vs {b}e-200"
            );
        }
        check_cap_contract(&tiny, &s).unwrap();
    }
}

#[test]
fn cap_lifts_creators_by_more_than_f64_holds() {
    // λ ≈ 4e599 and ≈ 1.5e631: the uncapped creator still gets its share.
    let out = cap_gini(
        "exposure",
        &[1e300, 1e-300],
        &settings(0.1, CapMode::Cap, 0.5),
    )
    .unwrap();
    assert_eq!(out.plan.lambda, f64::INFINITY);
    assert!(
        (out.exposure[0] / 6e299 - 1.0).abs() < 1e-12,
        "{:?}",
        out.exposure
    );
    assert!(
        (out.exposure[1] / 4e299 - 1.0).abs() < 1e-12,
        "{:?}",
        out.exposure
    );
    for v in [[f64::MAX, 5e-324], [1e300, 1e-300]] {
        for m in [CapMode::Cap, CapMode::Floor, CapMode::Blend] {
            check_cap_contract(&v, &settings(0.1, m, 0.5)).unwrap();
        }
    }
}

#[test]
fn rounds_with_extreme_scores_follow_the_scores() {
    // Scores whose sum overflowed gave an even split; subnormal scores gave
    // `item_expected` of ∞.
    let owner: Vec<u32> = (0..6).collect();
    let run_scores = |score: &[f64]| {
        let input = RoundInput {
            creators: 6,
            item_creator: &owner,
            engagement: Engagement::Score(score),
            value: None,
            tier: None,
            used: None,
            new_merchant: None,
            merit: MeritSignals::default(),
        };
        let s = RoundSettings {
            budget: 1e6,
            floor: 0.0,
            tier_quotas: vec![f64::INFINITY],
            tier_weights: vec![1.0],
            cap: settings(0.99, CapMode::Cap, 0.5),
            seed: Some(1),
            ..RoundSettings::default()
        };
        shijing::allocation::allocate(&input, &s, "").unwrap()
    };
    let r = run_scores(&[1e308, 1e308, 1e308, 1.0, 0.0, 0.0]);
    assert_eq!(r.item_exposure, vec![333_334, 333_333, 333_333, 0, 0, 0]);
    assert!(r.item_expected.iter().all(|x| x.is_finite()));
    let r = run_scores(&[5e-324, 1e-323, 5e-324, 0.0, 0.0, 0.0]);
    assert_eq!(r.item_exposure, vec![250_000, 500_000, 250_000, 0, 0, 0]);
    assert!(r.item_expected.iter().all(|x| x.is_finite()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The public pool with scores anywhere in f64's range and some items
    /// at their quota: finite, within the quotas, the budget placed or
    /// reported unplaced, and the unsaturated scored items in proportion to
    /// their scores, for scores within 2¹⁰⁰⁰ of the largest (beyond that a
    /// score, scaled with the largest, can be subnormal: it is then exact to
    /// 2⁻¹⁰⁷⁴ of the scale, as documented on `public_pool`).
    #[test]
    fn public_pool_at_extreme_scores(
        score in extreme_exposure(),
        rooms in prop::collection::vec(prop_oneof![Just(f64::INFINITY), 0.0f64..5000.0], 120),
        budget in 1.0f64..1e7,
    ) {
        let n = score.len();
        let cap = &rooms[..n];
        let p = pools::public_pool(&score, cap, &vec![false; n], 0.0, budget);
        let x = &p.exposure;
        prop_assert!(x.iter().zip(cap).all(|(&v, &c)| v.is_finite() && v >= 0.0 && v <= c * (1.0 + 1e-12)), "{x:?}");
        prop_assert!((sum(x) + p.unplaced - budget).abs() <= 1e-9 * budget, "{} + {} vs {budget}", sum(x), p.unplaced);
        let top = max(&score);
        let free: Vec<usize> = (0..n)
            .filter(|&i| score[i] >= top * pow2(-1000) && x[i] >= f64::MIN_POSITIVE && x[i] < cap[i] * (1.0 - 1e-9))
            .collect();
        if let Some(&a) = free.iter().max_by(|&&a, &&b| score[a].total_cmp(&score[b])) {
            // x_i/s_i is the level ν for every unsaturated item: compare
            // x_i/x_a with s_i/s_a (both ratios at most 1 in size here).
            for &i in &free {
                let (want, got) = (score[i] / score[a], x[i] / x[a]);
                if want >= f64::MIN_POSITIVE {
                    prop_assert!((got / want - 1.0).abs() <= 1e-9, "item {i}: {got} vs {want}");
                }
            }
        }
    }
}
