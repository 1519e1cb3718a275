//! The simulation against the seed presets (DOMAIN.md §3) and the directions a
//! merchant expects, natively. Tolerances are stated with each check.
#![cfg(not(target_arch = "wasm32"))]

use shijing::sim::{
    calibration, presets, simulate, Market, MerchantSettings, PlatformSettings, Scenario,
    SimulationResult,
};

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

/// The seeds every preset figure is checked on: the default seed and two others.
const SEEDS: [u32; 3] = [20_211_111, 1, 2];

/// Runs preset `id` on `seed`; its seed figures as `sim::calibration` measures them.
fn run_preset(id: &str, seed: u32) -> (SimulationResult, Vec<calibration::Figure>) {
    let mut s = preset(id);
    s.seed = Some(seed);
    // "At the default platform settings" (issue 17): no preset changes them.
    assert_eq!(s.platform, PlatformSettings::default(), "{id}");
    let r = simulate(&s).unwrap();
    let figures = calibration::figures(id, &r);
    (r, figures)
}

/// The figure whose name starts with `name`, checked against the range the
/// test states (which must be the one `calibrate` prints), returned.
fn check(figures: &[calibration::Figure], name: &str, lo: f64, hi: f64, what: &str) -> f64 {
    let f = figures
        .iter()
        .find(|f| f.name.starts_with(name))
        .unwrap_or_else(|| panic!("no figure {name}"));
    assert_eq!(
        (f.lo, f.hi),
        (lo, hi),
        "{what}: {name}: calibrate's tolerance"
    );
    assert!(
        (lo..=hi).contains(&f.value),
        "{what}: {name} = {} (seed: {}), expected {lo}..={hi}",
        f.value,
        f.seed
    );
    f.value
}

#[test]
fn default_mid_and_long_tail_get_over_80_percent_of_plays_every_day() {
    for seed in SEEDS {
        let (r, figures) = run_preset("default", seed);
        // "Mid- and long-tail" = outside the top 1% of merchants by followers.
        let lowest = check(
            &figures,
            "mid- and long-tail",
            0.80,
            1.0,
            &format!("seed {seed}"),
        );
        assert!(r.population.long_tail_play_share.iter().all(|&s| s >= 0.80));
        assert!(lowest >= 0.80);
    }
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
fn womens_wear_reproduces_seed_002() {
    // 若衣轻奢定制 (seed 002), issue 17's tolerances, on three seeds.
    for seed in SEEDS {
        let what = format!("womens-wear seed {seed}");
        let (r, f) = run_preset("womens-wear", seed);
        // Day-1 GMV ¥4,000–6,000 (the article: "nearly 5,000 yuan").
        check(&f, "GMV on day 1", 4_000.0, 6_000.0, &what);
        // A day above 1M discovery plays on day 4 (±1), without changing giniMax
        // (run_preset checks the platform is the default one, giniMax 0.6).
        check(&f, "first day (1-based) with over 1M", 3.0, 5.0, &what);
        // The 4th live session's GMV ≥ ¥100k ("第四场直播单场 GMV 就做到 10 万以上").
        check(
            &f,
            "GMV of the 4th live session",
            100_000.0,
            f64::INFINITY,
            &what,
        );
        // ≥ 1,500 new followers a day once stable (after the one-week cold start:
        // days 31–90).
        check(
            &f,
            "new followers a day once stable",
            1_500.0,
            f64::INFINITY,
            &what,
        );
        // Monthly GMV ¥2.4M–3.6M in the stable months (3M ±20%; months 2 and 3).
        check(&f, "GMV in month 2", 2.4e6, 3.6e6, &what);
        check(&f, "GMV in month 3", 2.4e6, 3.6e6, &what);
        // It streams from day 5 on, every other day: the 4th session is day 11.
        let m = &r.merchant;
        let live: Vec<usize> = (0..m.live_by_day.len())
            .filter(|&d| m.live_by_day[d] > 0.0)
            .collect();
        assert_eq!(&live[..4], &[4, 6, 8, 10], "{what}");
    }
}

#[test]
fn yexin_reproduces_seed_003() {
    // 叶歆's quick brand YeXin (seed 003), issue 17's tolerances, on three seeds.
    // The run's last day (index 149) is 歆上人超级日, 30 April.
    for seed in SEEDS {
        let what = format!("quick-brand seed {seed}");
        let (r, f) = run_preset("quick-brand", seed);
        // ¥2,560–3,840 per 1,000 follow-page exposures of the live room on the big day.
        check(
            &f,
            "big day: GMV per 1,000 follow-page",
            2_560.0,
            3_840.0,
            &what,
        );
        // Orders ≥ ¥700 ("客单价超过700元").
        check(&f, "order value", 700.0, f64::INFINITY, &what);
        // Fan purchase rate (粉丝购买率) 61–92% on the big day (the article's
        // 76.71%). The article does not define it; we read it as a merchant's
        // backend does: the share of the day's buyers (orders) who are
        // followers. Every order here has the same price, so it is the
        // followers' share of the day's GMV.
        let fan = check(&f, "big day: fan purchase rate", 0.61, 0.92, &what);
        let d = r.days as usize - 1;
        let orders = r.merchant.first_purchases[d] + r.merchant.repurchases[d];
        let follower_orders = r.merchant.private_gmv[d] / preset("quick-brand").merchant.price;
        assert!((follower_orders / orders - fan).abs() < 1e-9, "{what}");
        // Monthly GMV rising from ≈ ¥2M toward ¥10M over the run: month 1 at
        // 2M ±20%, the last month at 10M ±20%, every month above the one before.
        check(&f, "GMV in month 1", 1.6e6, 2.4e6, &what);
        check(&f, "GMV in the last month", 8e6, 12e6, &what);
        check(&f, "smallest month-over-month", 1.0, f64::INFINITY, &what);
        // A marketing big event: 2–3× the month's daily average (seed 004), ±20%.
        check(&f, "big day's GMV over", 1.6, 3.6, &what);
    }
}

#[test]
fn lairun_repurchases_40_percent_in_30_days_76_in_90() {
    // 莱润 (seed 003): T30 32–48% and T90 61–91% (40% / 76% ±20%), measured the
    // seeds' way: of the first-time buyers whose first order is at least 30
    // (90) days before the end, the share who buy again within 30 (90) days.
    for seed in SEEDS {
        let what = format!("trusted-brand seed {seed}");
        let (r, f) = run_preset("trusted-brand", seed);
        let t30 = check(&f, "30-day repurchase rate", 0.32, 0.48, &what);
        let t90 = check(&f, "90-day repurchase rate", 0.61, 0.91, &what);
        assert_eq!(
            (t30, t90),
            (r.merchant.repurchase_rate_30, r.merchant.repurchase_rate_90)
        );
    }
}

#[test]
fn cohort_rates_count_first_time_buyers_who_come_back() {
    // The cohort figure by hand on a tiny case: one class, hazard 0.1, no
    // dropout, 100 buyers on day 0 and none after, 40 days: 1 − 0.9^30.
    let (h, w) = ([0.1; 4], [0.25; 4]);
    let mut first = vec![0.0; 40];
    first[0] = 100.0;
    let m = vec![1.0; 40];
    let t30 = shijing::funnel::cohort_repurchase_rate(&h, &w, 0.0, &first, &m, 30);
    assert!((t30 - (1.0 - 0.9f64.powi(30))).abs() < 1e-12, "{t30}");
    // A live day doubling the hazard inside the window counts.
    let mut m2 = m.clone();
    m2[5] = 2.0;
    let t30b = shijing::funnel::cohort_repurchase_rate(&h, &w, 0.0, &first, &m2, 30);
    assert!(
        (t30b - (1.0 - 0.9f64.powi(29) * 0.8)).abs() < 1e-12,
        "{t30b}"
    );
    // Dropout after the first purchase: a share never returns.
    let t30c = shijing::funnel::cohort_repurchase_rate(&h, &w, 0.25, &first, &m, 30);
    assert!((t30c - 0.75 * t30).abs() < 1e-12);
    // Cohorts without a full window are left out when any has one.
    first[20] = 1e6;
    let t30d = shijing::funnel::cohort_repurchase_rate(&h, &w, 0.0, &first, &m, 30);
    assert_eq!(t30d, t30);
}

#[test]
fn live_days_show_in_the_trajectory() {
    let s = preset("quick-brand");
    let m = simulate(&s).unwrap().merchant;
    for d in 0..m.gmv.len() {
        let live = m.live_by_day[d] > 0.0;
        assert_eq!(live, s.live_day(d as u32), "day {d}");
        assert!(m.live_gmv[d] <= m.gmv[d] * (1.0 + 1e-12), "day {d}");
        assert!(m.live_private_gmv[d] <= m.live_gmv[d] * (1.0 + 1e-12));
        assert!(m.live_private_gmv[d] <= m.private_gmv[d] * (1.0 + 1e-12));
        assert!(m.live_exposure[d] <= m.public_exposure[d] * (1.0 + 1e-12));
        assert!(m.live_private_exposure[d] <= m.private_exposure[d] * (1.0 + 1e-12));
        if !live {
            assert_eq!((m.live_gmv[d], m.live_exposure[d]), (0.0, 0.0), "day {d}");
        }
    }
    // The super node: most of a streaming brand's GMV is made in the live room.
    assert!(sum(&m.live_gmv) > 0.5 * sum(&m.gmv));
    // A merchant that never streams has no live days; big days are live days.
    let mut quiet = preset("womens-wear");
    quiet.merchant.live_every_days = 0;
    quiet.events.big_days = vec![20];
    let q = simulate(&quiet).unwrap().merchant;
    let live: Vec<usize> = (0..q.gmv.len())
        .filter(|&d| q.live_by_day[d] > 0.0)
        .collect();
    assert_eq!(live, vec![20]);
}

#[test]
fn a_viral_video_raises_the_next_live_session() {
    // 若衣轻奢's first session (day 5) follows its day-4 viral video: the
    // video's clickers come to the room. Without that preheat the session is smaller.
    let s = preset("womens-wear");
    let with = simulate(&s).unwrap().merchant;
    let mut cold = s.clone();
    cold.funnel.live_preheat = 0.0;
    let without = simulate(&cold).unwrap().merchant;
    assert!(
        with.live_gmv[4] > 1.2 * without.live_gmv[4],
        "first session {} vs {} without preheat",
        with.live_gmv[4],
        without.live_gmv[4]
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
    // The replay honours the live cadence: the last cases change it.
    let s = Scenario::default();
    let market = Market::run(&s).unwrap();
    for (q, f, every) in [
        (0.3, 0.02, 2),
        (0.7, 0.05, 2),
        (0.9, 0.1, 2),
        (0.5, 0.03, 1),
        (0.5, 0.03, 0),
        (0.7, 0.05, 3),
    ] {
        let m = MerchantSettings {
            content_quality: q,
            follow_rate: f,
            live_every_days: every,
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
                "q {q} f {f} every {every}: {name} replay {a} vs full {b} ({:.1}%)",
                100.0 * err
            );
        }
        assert_eq!(replay.live_by_day, full.live_by_day, "every {every}");
    }
}

#[test]
fn replay_of_the_simulated_merchant_follows_its_live_sessions() {
    // Replaying each preset's own merchant against its market: live days as
    // simulated and the whole run's live GMV within 15% of the full run.
    for p in presets() {
        let market = Market::run(&p.scenario).unwrap();
        let full = &market.result().merchant;
        let replay = market.run_merchant(&p.scenario.merchant).unwrap();
        assert_eq!(replay.live_by_day, full.live_by_day, "{}", p.id);
        let (a, b) = (sum(&replay.live_gmv), sum(&full.live_gmv));
        assert!(
            (a - b).abs() <= 0.15 * b,
            "{}: live GMV replay {a} vs full {b}",
            p.id
        );
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

/// One row of [`extreme_fields`]: the JS name, the scenario field it sets
/// (`v as _` also serves the whole-day fields), and the values to try; with
/// `on day0 = list`, `list` is set to `[0]` first so the field takes effect.
macro_rules! field {
    ($name:literal, $($f:ident).+, $values:expr) => {
        ($name, (|s, v| s.$($f).+ = v as _) as Setter, $values.to_vec())
    };
    ($name:literal, $($f:ident).+ on day0 = $($d:ident).+, $values:expr) => {
        ($name, (|s, v| { s.$($d).+ = vec![0]; s.$($f).+ = v }) as Setter, $values.to_vec())
    };
}

/// Each numeric scenario field at the ends of its accepted range (and the
/// smallest/largest finite values where the range is open): JS name, setter,
/// values.
#[rustfmt::skip]
fn extreme_fields() -> Vec<(&'static str, Setter, Vec<f64>)> {
    let tiny = f64::from_bits(1); // 5e-324
    let open = [tiny, 1e-300, 1e-6, 1e300, f64::MAX];
    let unit = [0.0, tiny, 1.0];
    vec![
        field!("days", days, [1.0, 730.0]),
        field!("population.newShare", population.new_share, unit),
        field!("population.qualityMean", population.quality_mean, [0.01, 0.99]),
        field!("population.qualityConcentration", population.quality_concentration, [0.1, 1000.0]),
        field!("population.followersMedian", population.followers_median, [0.0, tiny, 1e9]),
        field!("population.followersSigma", population.followers_sigma, [0.0, 5.0]),
        field!("population.priceMedian", population.price_median, [0.01, 1e6]),
        field!("population.priceSigma", population.price_sigma, [0.0, 5.0]),
        field!("population.trustMean", population.trust_mean, [0.01, 0.99]),
        field!("population.followRateMean", population.follow_rate_mean, unit),
        field!("population.adSpendMean", population.ad_spend_mean, [0.0, tiny, 1e9]),
        field!("platform.budget", platform.budget, [1.0, 1.5, 1e13]),
        field!("platform.giniMax", platform.gini_max, [0.0, tiny, 0.999_999]),
        field!("platform.blend", platform.blend, [0.0, 1.0]),
        field!("platform.coldStartShare", platform.cold_start_share, unit),
        field!("platform.itemFloor", platform.item_floor, [0.0, tiny, 1e9]),
        field!("platform.newMerchantDays", platform.new_merchant_days, [0.0, 730.0]),
        field!("platform.itemLifetimeDays", platform.item_lifetime_days, [1.0, 730.0]),
        field!("platform.adCpm", platform.ad_cpm, open),
        field!("platform.trustWeight", platform.trust_weight, [0.0, 100.0]),
        field!("funnel.ctrMin", funnel.ctr_min, unit),
        field!("funnel.ctrMax", funnel.ctr_max, unit),
        field!("funnel.itemSaturation", funnel.item_saturation, open),
        field!("funnel.orderRate", funnel.order_rate, unit),
        field!("funnel.referencePrice", funnel.reference_price, open),
        field!("funnel.priceElasticity", funnel.price_elasticity, [0.0, 5.0]),
        field!("funnel.trustWeight", funnel.trust_weight, unit),
        field!("funnel.visitRateMin", funnel.visit_rate_min, unit),
        field!("funnel.visitRateMax", funnel.visit_rate_max, unit),
        field!("funnel.fanOrderRate", funnel.fan_order_rate, unit),
        field!("funnel.repurchaseHazard", funnel.repurchase_hazard, unit),
        field!("funnel.rateShape", funnel.rate_shape, [0.05, 1000.0]),
        field!("funnel.dropoutMax", funnel.dropout_max, unit),
        field!("funnel.dropoutMin", funnel.dropout_min, unit),
        field!("funnel.followLift", funnel.follow_lift, [0.0, 1000.0]),
        field!("funnel.buyerFollowMultiplier", funnel.buyer_follow_multiplier, [0.0, 100.0]),
        field!("funnel.valueExponent", funnel.value_exponent, [0.0, 5.0]),
        field!("merchant.contentQuality", merchant.content_quality, unit),
        field!("merchant.followRate", merchant.follow_rate, unit),
        field!("merchant.price", merchant.price, [0.01, 1e6]),
        field!("merchant.trust", merchant.trust, unit),
        field!("merchant.diligence", merchant.diligence, unit),
        field!("merchant.followers", merchant.followers, [0.0, tiny, 1e10]),
        field!("merchant.adSpend", merchant.ad_spend, [0.0, tiny, 1e9]),
        field!("merchant.ageDays", merchant.age_days, [0.0, 1e5]),
        field!("merchant.liveEveryDays", merchant.live_every_days, [0.0, 1.0, 730.0]),
        field!("merchant.liveStartDay", merchant.live_start_day, [0.0, 730.0]),
        field!("merchant.liveHours", merchant.live_hours, [0.5, 24.0]),
        field!("population.liveShare", population.live_share, unit),
        field!("population.liveEveryDays", population.live_every_days, [1.0, 730.0]),
        field!("population.liveHours", population.live_hours, [0.5, 24.0]),
        field!("funnel.fanPriceElasticity", funnel.fan_price_elasticity, [0.0, 5.0]),
        field!("funnel.liveOrderLift", funnel.live_order_lift, [0.0, 100.0]),
        field!("funnel.liveFollowLift", funnel.live_follow_lift, [0.0, 100.0]),
        field!("funnel.liveReach", funnel.live_reach, unit),
        field!("funnel.liveSaturation", funnel.live_saturation, open),
        field!("funnel.livePreheat", funnel.live_preheat, unit),
        field!("funnel.liveRepurchaseLift", funnel.live_repurchase_lift, [0.0, 100.0]),
        field!("events.bigDayMultiplier", events.big_day_multiplier on day0 = events.big_days, [0.0, 100.0]),
        field!("events.campaignBoost", events.campaign_boost on day0 = events.campaign_days, [0.0, 100.0]),
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
