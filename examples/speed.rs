//! Workloads for profiling the allocation round and the day loop natively
//! (`valgrind --tool=callgrind`, `perf`). Run:
//! `cargo run --release --example speed -- sim|big|allocate [n]`.
use shijing::allocation::cold_start::MeritSignals;
use shijing::allocation::{self, Engagement, RoundInput, RoundSettings};
use shijing::sim::{Market, Scenario};
use shijing::stats::random;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("sim", String::as_str);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let t0 = Instant::now();
    match what {
        "sim" => {
            let m = Market::run(&Scenario::default()).expect("runs");
            println!("fingerprint {:016x}", m.result().fingerprint());
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
        _ => panic!("sim | big | allocate"),
    }
    println!("{what}: {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
}
