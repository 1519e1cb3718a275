//! Prints the figures the seed presets are calibrated to. Run:
//! `cargo run --release --example calibrate`.
use shijing::sim::{presets, Market};
use std::time::Instant;

fn main() {
    let gini: Option<f64> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    for mut p in presets() {
        if let Some(g) = gini {
            p.scenario.platform.gini_max = g;
        }
        let t0 = Instant::now();
        let market = Market::run(&p.scenario).expect("scenario runs");
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let r = market.result();
        let m = &r.merchant;
        let d = m.gmv.len();
        let sum = |v: &[f64], a: usize, b: usize| v[a.min(d)..b.min(d)].iter().sum::<f64>();
        let lt = r.population.long_tail_play_share.iter().sum::<f64>() / d as f64;
        println!("== {} ({ms:.0} ms)", p.id);
        println!("  gini day0 {:.3} last {:.3}, top10 {:.3}, bottom50 {:.3}, long-tail plays {:.3}, capped creators {}",
            r.population.gini[0], r.population.gini[d - 1], r.population.top10_share[d - 1], r.population.bottom50_share[d - 1], lt, r.population.capped_creators[d - 1]);
        println!(
            "  allocated/budget day0 {:.4}; cap level day 0/45/89 {:.0} {:.0} {:.0}",
            r.population.allocated[0] / p.scenario.platform.budget,
            r.population.cap_level[0],
            r.population.cap_level[45],
            r.population.cap_level[d - 1]
        );
        for day in [0usize, 1, 2, 3, 4, 5, 6, 10, 20, 30, 60, 89] {
            if day < d {
                println!("  day {day:>2}: public {:>10.0} top item plays {:>10.0} cold {:>8.0} private {:>9.0} followers {:>9.0} first {:>8.1} rep {:>8.1} gmv {:>10.0} privGMV/1k {:>6.0} capped {}",
                    m.public_exposure[day], m.top_item_plays[day], m.cold_start_exposure[day], m.private_exposure[day], m.followers[day], m.first_purchases[day], m.repurchases[day], m.gmv[day],
                    if m.private_exposure[day] > 0.0 { 1000.0 * m.private_gmv[day] / m.private_exposure[day] } else { 0.0 }, m.capped_by_day[day]);
            }
        }
        let new_followers = (m.followers[d - 1] - m.followers[d - 31]) / 30.0;
        println!("  month GMV days 0-29 {:.0}, 30-59 {:.0}, 60-89 {:.0}; new followers/day last 30 {:.0}", sum(&m.gmv, 0, 30), sum(&m.gmv, 30, 60), sum(&m.gmv, 60, 90), new_followers);
        println!(
            "  T30 {:.3} T90 {:.3} percentile {:.3} capped days {}",
            m.repurchase_rate_30, m.repurchase_rate_90, m.exposure_percentile, m.capped_days
        );
        let t0 = Instant::now();
        let replay = market.run_merchant(&p.scenario.merchant).unwrap();
        let us = t0.elapsed().as_secs_f64() * 1e6;
        let tot = |v: &[f64]| v.iter().sum::<f64>();
        println!(
            "  replay same merchant ({us:.0} µs): public {:.0} vs {:.0}, gmv {:.0} vs {:.0}",
            tot(&replay.public_exposure),
            tot(&m.public_exposure),
            tot(&replay.gmv),
            tot(&m.gmv)
        );
    }
}
