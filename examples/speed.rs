//! Workloads for profiling the allocation round and the day loop natively
//! (`valgrind --tool=callgrind`, `perf`). Run:
//! `cargo run --release --example speed -- sim|big|allocate|replay [n]`, or
//! `-- orders FILE [reps]` (`orders::read_orders` of an export, e.g.
//! `python3 tests/data/make_exports.py --big 1000000 /tmp/big.csv`), or
//! `-- pareto REPS FILE…` (Pareto/NBD fits of `frequency,recency,T` CSVs), or
//! `-- summary FILE OUT` (an export's customers in weeks, as the explorer
//! fits them, written as a `frequency,recency,T` CSV), or
//! `-- fit FILE [reps] [bgnbd|mbgnbd|paretonbd]` (fits of such a CSV).
//! `replay` replays every preset's focus merchant over a 4×4 grid of content
//! quality × follow rate (and as simulated) and prints an FNV-1a hash of every
//! replayed number: equal hashes mean bit-identical replays.
use shijing::allocation::cold_start::MeritSignals;
use shijing::allocation::{self, Engagement, RoundInput, RoundSettings};
use shijing::repurchase::Variant;
use shijing::sim::{presets, Market, MerchantSettings, MerchantTrajectory, Scenario};
use shijing::stats::random;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("sim", String::as_str);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let t0 = Instant::now();
    match what {
        "sim" => {
            // `sim N`: N runs in this process, their median and fastest
            // time on the CPU (Linux: /proc/self/schedstat, so the time
            // waiting for a core on a loaded machine is left out; else wall).
            let mut times = Vec::new();
            for _ in 0..n.max(1) {
                let (t1, c1) = (Instant::now(), cpu_ns());
                let m = Market::run(&Scenario::default()).expect("runs");
                times.push(match (c1, cpu_ns()) {
                    (Some(a), Some(b)) => (b - a) as f64 / 1e6,
                    _ => t1.elapsed().as_secs_f64() * 1e3,
                });
                if times.len() == 1 {
                    println!("fingerprint {:016x}", m.result().fingerprint());
                }
            }
            times.sort_by(f64::total_cmp);
            println!(
                "simulate, default scenario, {} runs: median {:.1} ms, fastest {:.1} ms",
                times.len(),
                times[times.len() / 2],
                times[0]
            );
        }
        "replay" => {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for p in presets() {
                let market = Market::run(&p.scenario).expect("runs");
                let base = market.scenario().merchant.clone();
                let mut cells = vec![base.clone()];
                for q in [0.1, 0.4, 0.7, 1.0] {
                    for f in [0.01, 0.03, 0.08, 0.2] {
                        cells.push(MerchantSettings {
                            content_quality: q,
                            follow_rate: f,
                            ..base.clone()
                        });
                    }
                }
                let t1 = Instant::now();
                for m in &cells {
                    h = hash_trajectory(h, &market.run_merchant(m).expect("replays"));
                }
                println!(
                    "{}: {} replays, {:.0} µs each",
                    p.id,
                    cells.len(),
                    t1.elapsed().as_secs_f64() * 1e6 / cells.len() as f64
                );
            }
            println!("replay hash {h:016x}");
        }
        "big" => {
            let mut s = Scenario {
                days: if n > 0 { n as u32 } else { 1 },
                seed: Some(1),
                ..Scenario::default()
            };
            s.population.merchants = 666_667;
            let m = Market::run(&s).expect("runs");
            println!("fingerprint {:016x}", m.result().fingerprint());
        }
        "allocate" => {
            let n = if n > 0 { n } else { 100_000 };
            let m = n / 10;
            let mut r = random::rng(7);
            let mut owner = Vec::with_capacity(n);
            let (mut alpha, mut beta, mut tier) = (vec![], vec![], vec![]);
            for i in 0..n {
                let u = random::uniform(&mut r);
                owner.push(((u * u) * m as f64) as u32 % m as u32);
                let shown = [0.0, 300.0, 500.0, 3000.0][i % 4];
                let e = (shown * 0.03 * random::lognormal(&mut r, 0.0, 0.5)).floor();
                alpha.push(0.9 + e);
                beta.push(29.1 + shown - e);
                tier.push(if i % 50 == 0 {
                    2
                } else {
                    u32::from(i % 7 == 0)
                });
            }
            let new_merchant: Vec<bool> = (0..m).map(|c| c % 5 == 0).collect();
            let diligence: Vec<f64> = (0..m).map(|c| (c % 13) as f64).collect();
            let input = RoundInput {
                creators: m,
                item_creator: &owner,
                engagement: Engagement::Posterior {
                    alpha: &alpha,
                    beta: &beta,
                },
                value: None,
                tier: Some(&tier),
                used: None,
                new_merchant: Some(&new_merchant),
                merit: MeritSignals {
                    diligence: Some(&diligence),
                    ..MeritSignals::default()
                },
            };
            let settings = RoundSettings {
                budget: 100.0 * n as f64,
                seed: Some(1),
                ..RoundSettings::default()
            };
            let t1 = Instant::now();
            let reps = 5;
            let mut h = 0u64;
            for _ in 0..reps {
                let r = allocation::allocate(&input, &settings, "").expect("allocates");
                h = r
                    .item_exposure
                    .iter()
                    .fold(h, |h, &x| h.wrapping_mul(31).wrapping_add(x));
            }
            println!(
                "hash {h:016x}, {:.1} ms per round",
                t1.elapsed().as_secs_f64() * 1e3 / reps as f64
            );
        }
        "orders" => {
            let path = args.get(2).expect("orders FILE [reps]");
            let bytes = std::fs::read(path).expect("reads the file");
            let reps: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
            for _ in 0..reps {
                let t1 = Instant::now();
                let o = shijing::orders::read_orders(&bytes, &Default::default()).expect("reads");
                println!(
                    "{} lines, {} orders, {} purchases, {} customers, {} malformed: {:.1} ms",
                    o.report.lines,
                    o.report.orders,
                    o.report.purchases,
                    o.report.customers,
                    o.report.malformed,
                    t1.elapsed().as_secs_f64() * 1e3
                );
            }
        }
        "summary" => {
            // What the explorer fits after reading an export (www/src/api.js,
            // fitRepeat with its defaults): the customers in weeks, to the
            // export's last day.
            let path = args.get(2).expect("summary FILE OUT");
            let out = args.get(3).expect("summary FILE OUT");
            let bytes = std::fs::read(path).expect("reads the file");
            let o = shijing::orders::read_orders(&bytes, &Default::default()).expect("reads");
            let options = shijing::repurchase::SummaryOptions {
                calibration_end: o.report.last_day.expect("a last day"),
                period_days: Some(1.0),
                unit_days: Some(7.0),
                ..Default::default()
            };
            let s = shijing::repurchase::summarize(
                &o.customers,
                &o.days,
                o.amounts.as_deref(),
                &options,
            )
            .expect("summarizes");
            let mut text = String::from("frequency,recency,T\n");
            for i in 0..s.frequency.len() {
                // `{}` prints the shortest text that reads back to the same f64.
                text += &format!("{},{},{}\n", s.frequency[i], s.recency[i], s.t[i]);
            }
            std::fs::write(out, text).expect("writes the summary");
            println!("{} customers written to {out}", s.frequency.len());
        }
        "fit" => {
            // A customer summary (CSV: frequency,recency,T[,…] with a header),
            // fitted by each model (or the one named).
            let path = args.get(2).expect("fit FILE [reps] [model]");
            let (f, r, t) = read_summary(path);
            let reps: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
            let only = args.get(4).map(String::as_str);
            let opts = shijing::repurchase::FitOptions::default();
            for _ in 0..reps {
                for (name, variant) in [
                    ("bgnbd", Some(Variant::Bg)),
                    ("mbgnbd", Some(Variant::Modified)),
                    ("paretonbd", None),
                ] {
                    if only.is_some_and(|o| o != name) {
                        continue;
                    }
                    let t1 = Instant::now();
                    let fit = match variant {
                        Some(v) => shijing::repurchase::fit_bg(v, &f, &r, &t, &opts),
                        None => shijing::repurchase::fit_pareto(&f, &r, &t, &opts),
                    }
                    .expect("fits");
                    println!(
                        "{name}: {:?} ll {:.12} iterations {} boundary {}: {:.1} ms",
                        fit.model.params(),
                        fit.log_likelihood,
                        fit.iterations,
                        fit.boundary,
                        t1.elapsed().as_secs_f64() * 1e3
                    );
                }
            }
        }
        "pareto" => {
            // Pareto/NBD fits of `frequency,recency,T` CSVs (the data sets
            // `node benches/bench.mjs pareto` fits).
            let reps: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
            for path in args.iter().skip(3) {
                let (x, tx, t) = read_summary(path);
                for _ in 0..reps {
                    let t1 = Instant::now();
                    let f = shijing::repurchase::fit_pareto_nbd(&x, &tx, &t, &Default::default())
                        .expect("fits");
                    println!(
                        "{path}: LL {:.9} it {} conv {} bnd {} {:?}: {:.1} ms",
                        f.log_likelihood,
                        f.iterations,
                        f.converged,
                        f.boundary,
                        f.model.params(),
                        t1.elapsed().as_secs_f64() * 1e3
                    );
                }
            }
        }
        _ => panic!("sim | big | allocate | replay | orders | summary | fit | pareto"),
    }
    println!("{what}: {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
}

/// FNV-1a over the bits of every number of a trajectory.
fn hash_trajectory(mut h: u64, t: &MerchantTrajectory) -> u64 {
    let arrays: [&[f64]; 10] = [
        &t.public_exposure,
        &t.private_exposure,
        &t.followers,
        &t.first_purchases,
        &t.repurchases,
        &t.gmv,
        &t.private_gmv,
        &t.top_item_plays,
        &t.cold_start_exposure,
        &t.capped_by_day,
    ];
    let scalars = [
        t.repurchase_rate_30,
        t.repurchase_rate_90,
        t.exposure_percentile,
        f64::from(t.capped_days),
    ];
    for x in arrays.iter().flat_map(|a| a.iter()).chain(scalars.iter()) {
        for b in x.to_bits().to_le_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A customer summary CSV (frequency,recency,T[,…] with a header line).
fn read_summary(path: &str) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(path).expect("reads the file");
    let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .map(|c| c.parse().expect("a number"))
            .collect();
        x.push(v[0]);
        tx.push(v[1]);
        t.push(v[2]);
    }
    (x, tx, t)
}

/// Nanoseconds this process has run on a CPU (Linux), if known.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
